"""Every export leaves a record: what, how many rows, by whom, and whether full phone numbers went out.

Phone numbers are masked in exports unless someone chooses otherwise; that choice is personal data
leaving the app, so it is written down with the data (the `export_log` table) and in the log
(without any number or name).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from peewee import Database

from wallet_crm.db.bulk import db_time, from_db_time, insert_rows
from wallet_crm.users import current_user

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportEntry:
    id: int
    kind: str
    file_name: str
    rows: int
    full_phone: bool
    exported_at: dt.datetime
    exported_by: str


def record_export(
    db: Database, kind: str, file_name: str, rows: int, full_phone: bool, when: dt.datetime | None = None
) -> None:
    when = (when or dt.datetime.now()).replace(microsecond=0)
    with db.atomic():
        insert_rows(
            db,
            "export_log",
            ("kind", "file_name", "rows", "full_phone", "exported_at", "exported_by"),
            [(kind, file_name, rows, full_phone, db_time(when), current_user())],
        )
    log.info("exported %s: %d rows, full phone numbers: %s", kind, rows, "yes" if full_phone else "no")


def list_exports(db: Database, limit: int = 200) -> list[ExportEntry]:
    """The latest exports first."""
    rows = db.execute_sql(
        "SELECT id, kind, file_name, rows, full_phone, exported_at, exported_by FROM export_log "
        f"ORDER BY exported_at DESC, id DESC LIMIT {int(limit)}"
    )
    return [
        ExportEntry(int(r[0]), str(r[1]), str(r[2]), int(r[3]), bool(r[4]), from_db_time(r[5]), str(r[6])) for r in rows
    ]
