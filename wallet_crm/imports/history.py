"""The import history, and undoing a batch: its transactions go, and the customers only it created.

An undone batch stays in the history (marked with when and by whom) so the record of what happened
is never lost. Undo is refused, with the reason, when the batch is already undone, is demo data, or
when other records (follow-up tasks, contact attempts) refer to what it would remove: the database's
foreign keys say so and the whole undo is rolled back.
"""

from __future__ import annotations

import datetime as dt
import getpass
import logging
from dataclasses import asdict, dataclass

from peewee import Database, IntegrityError

from wallet_crm.db.bulk import db_time
from wallet_crm.errors import KnownError, UndoRefused
from wallet_crm.followup.dependencies import customers_with_contact_history, remove_untouched_tasks

log = logging.getLogger(__name__)

_COLUMNS = (
    "id",
    "file_name",
    "sha256",
    "source",
    "imported_at",
    "imported_by",
    "sheet_name",
    "rows_read",
    "inserted",
    "duplicates",
    "rejected",
    "skipped",
    "customers_created",
    "customers_updated",
    "undone_at",
    "undone_by",
)


@dataclass(frozen=True)
class BatchInfo:
    id: int
    file_name: str
    sha256: str
    source: str
    imported_at: str
    imported_by: str
    sheet_name: str | None
    rows_read: int
    inserted: int
    duplicates: int
    rejected: int
    skipped: int
    customers_created: int
    customers_updated: int
    undone_at: str | None
    undone_by: str | None

    @property
    def undone(self) -> bool:
        return self.undone_at is not None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class UndoResult:
    batch_id: int
    transactions_removed: int
    customers_removed: int
    customers_kept: int  # created by this batch but used by a later one, so they stay


def list_batches(db: Database, limit: int | None = None) -> list[BatchInfo]:
    """Import batches, newest first."""
    sql = f"SELECT {', '.join(_COLUMNS)} FROM import_batches ORDER BY id DESC"
    rows = db.execute_sql(sql + (f" LIMIT {int(limit)}" if limit is not None else "")).fetchall()
    return [_batch(row) for row in rows]


def get_batch(db: Database, batch_id: int) -> BatchInfo:
    row = db.execute_sql(
        f"SELECT {', '.join(_COLUMNS)} FROM import_batches WHERE id = {db.param}", (batch_id,)
    ).fetchone()
    if row is None:
        raise KnownError(f"There is no import batch {batch_id}.")
    return _batch(row)


def _batch(row: tuple[object, ...]) -> BatchInfo:
    values = dict(zip(_COLUMNS, row, strict=True))
    for name in ("imported_at", "undone_at"):
        if values[name] is not None:
            values[name] = str(values[name])[:19]
    return BatchInfo(**values)  # type: ignore[arg-type]


def undo_batch(
    db: Database, batch_id: int, as_of: dt.datetime | None = None, undone_by: str | None = None
) -> UndoResult:
    """Remove a batch's transactions and the customers it alone created, in one transaction."""
    batch = get_batch(db, batch_id)
    if batch.source != "import":
        raise UndoRefused(f"Batch {batch_id} is {batch.source} data, not an import; it can't be undone.")
    if batch.undone:
        raise UndoRefused(f"Batch {batch_id} ({batch.file_name}) was already undone at {batch.undone_at}.")
    p = db.param
    stamp = db_time((as_of or dt.datetime.now()).replace(microsecond=0))
    try:
        with db.atomic():
            _refuse_if_followed_up(db, batch)
            removed = db.execute_sql(f"DELETE FROM transactions WHERE batch_id = {p}", (batch_id,)).rowcount
            created = db.execute_sql(
                f"SELECT COUNT(*) FROM customers WHERE created_batch_id = {p}", (batch_id,)
            ).fetchone()[0]
            gone = db.execute_sql(
                f"DELETE FROM customers WHERE created_batch_id = {p} "
                "AND NOT EXISTS (SELECT 1 FROM transactions WHERE transactions.customer_id = customers.id)",
                (batch_id,),
            ).rowcount
            db.execute_sql(
                f"UPDATE import_batches SET undone_at = {p}, undone_by = {p} WHERE id = {p}",
                (stamp, undone_by or current_user(), batch_id),
            )
    except IntegrityError as exc:
        raise UndoRefused(
            f"Batch {batch_id} ({batch.file_name}) can't be undone: follow-up work (tasks or contact records) "
            "refers to its transactions or customers."
        ) from exc
    log.info("undid import batch %d: %d transactions, %d customers removed", batch_id, removed, gone)
    return UndoResult(batch_id, int(removed), int(gone), int(created) - int(gone))


def _refuse_if_followed_up(db: Database, batch: BatchInfo) -> None:
    """A contact attempt or phone reveal on any customer this batch touched stops the undo: that work may
    stem from its transactions, and its history must not lose its ground. Tasks nobody has worked yet
    are removed instead; the next queue build decides again."""
    touched = [
        row[0]
        for row in db.execute_sql(
            f"SELECT DISTINCT customer_id FROM transactions WHERE batch_id = {db.param}", (batch.id,)
        ).fetchall()
    ]
    busy = customers_with_contact_history(db, touched)
    if busy:
        raise UndoRefused(
            f"Batch {batch.id} ({batch.file_name}) can't be undone: {len(busy):,} of its customers already have "
            "follow-up work (contact attempts or revealed phone numbers)."
        )
    remove_untouched_tasks(db, touched)


def current_user() -> str:
    """Who is doing an import or undo, for the history: the OS user name."""
    try:
        return getpass.getuser() or "unknown"
    except (OSError, KeyError, ImportError):
        return "unknown"
