"""Every export leaves a record: what, how many rows, by whom, and whether full phone numbers went out.

Phone numbers are masked in exports unless someone chooses otherwise; that choice is personal data
leaving the app, so it is written down with the data (the `export_log` table) and in the log
(without any number or name). The record is written before the file is put in place and withdrawn
if that fails, so every export on disk has its record (a kill in between leaves a record whose file
never appeared, never a file without one).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from peewee import Database

from wallet_crm.db.bulk import insert_returning_id
from wallet_crm.stored_time import db_time, from_db_time
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
    db: Database,
    kind: str,
    file_name: str,
    rows: int,
    full_phone: bool,
    when: dt.datetime | None = None,
    by: str | None = None,
) -> int:
    """Record an export about to be put in place, by the signed-in user `by` (default: the OS user, on a
    database without users); returns the record's id (see `withdraw_export`)."""
    when = (when or dt.datetime.now()).replace(microsecond=0)
    with db.atomic():
        record_id = insert_returning_id(
            db,
            "export_log",
            ("kind", "file_name", "rows", "full_phone", "exported_at", "exported_by"),
            (kind, file_name, rows, full_phone, db_time(when), by or current_user()),
        )
    log.info("exported %s: %d rows, full phone numbers: %s", kind, rows, "yes" if full_phone else "no")
    return record_id


def withdraw_export(db: Database, record_id: int) -> None:
    """Take back the record of an export whose file could not be put in place after all."""
    with db.atomic():
        db.execute_sql(f"DELETE FROM export_log WHERE id = {db.param}", (record_id,))
    log.info("export %d was not saved; its record is withdrawn", record_id)


def list_exports(db: Database, limit: int = 200) -> list[ExportEntry]:
    """The latest exports first."""
    rows = db.execute_sql(
        "SELECT id, kind, file_name, rows, full_phone, exported_at, exported_by FROM export_log "
        f"ORDER BY exported_at DESC, id DESC LIMIT {int(limit)}"
    )
    return [
        ExportEntry(int(r[0]), str(r[1]), str(r[2]), int(r[3]), bool(r[4]), from_db_time(r[5]), str(r[6])) for r in rows
    ]
