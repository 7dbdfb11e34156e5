"""The import history, and undoing a batch: its transactions go, and the customers only it created.

Names and phone numbers the batch changed on customers that were there before get their old values back
(from `customer_changes`), unless a later batch has changed them again. An undone batch stays in the
history (marked with when and by whom) so the record of what happened is never lost. Undo is refused,
with the reason, when the batch is already undone, is demo data, or when follow-up work depends on what
it would remove: a worked task one of its transactions triggered, or contact with a customer only it
created. Anything else referring to it is caught by the database's foreign keys and rolls the undo back.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass

from peewee import Database, IntegrityError

from wallet_crm.errors import KnownError, UndoRefused
from wallet_crm.followup.build import BuildResult, rebuild_if_stale
from wallet_crm.followup.dependencies import (
    customers_with_contact_history,
    remove_untouched_tasks,
    tasks_worked_because_of_batch,
)
from wallet_crm.followup.stale import mark_queue_stale
from wallet_crm.messages import LANGUAGES, text
from wallet_crm.stored_time import db_time
from wallet_crm.users import current_user

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
    customers_restored: int = 0  # existing customers whose name or phone got the value from before the batch


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
        raise KnownError(code="undo.no_batch", batch=batch_id)
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
    """Remove a batch's transactions and the customers it alone created, and restore the names and phones
    it changed, in one transaction."""
    batch = get_batch(db, batch_id)
    if batch.source != "import":
        raise UndoRefused(
            code="undo.not_an_import",
            batch=batch_id,
            source={"en": batch.source, "zh_CN": "演示" if batch.source == "demo" else batch.source},
        )
    if batch.undone:
        raise UndoRefused(code="undo.already_undone", batch=batch_id, file=batch.file_name, at=batch.undone_at)
    p = db.param
    stamp = db_time((as_of or dt.datetime.now()).replace(microsecond=0))
    try:
        with db.atomic():
            _refuse_if_followed_up(db, batch)
            restored = _restore_customer_changes(db, batch_id, stamp)
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
            mark_queue_stale(db, f"undo of batch {batch_id}")  # the tasks it removed are decided again
    except IntegrityError as exc:
        raise UndoRefused(code="undo.referred_to", batch=batch_id, file=batch.file_name) from exc
    log.info(
        "undid import batch %d: %d transactions, %d customers removed, %d restored", batch_id, removed, gone, restored
    )
    return UndoResult(batch_id, int(removed), int(gone), int(created) - int(gone), restored)


def undo_and_rebuild(
    db: Database, batch_id: int, as_of: dt.datetime | None = None, undone_by: str | None = None
) -> tuple[UndoResult, BuildResult | None]:
    """Undo a batch, then rebuild the queue (the undo marked it stale; a kill in between leaves the mark).
    `undone_by`: the signed-in user (default: the OS user, on a database without users)."""
    result = undo_batch(db, batch_id, as_of, undone_by)
    return result, rebuild_if_stale(db, as_of or dt.datetime.now())


def _refuse_if_followed_up(db: Database, batch: BatchInfo) -> None:
    """Refuse when a person's work stands on what the undo removes: a task that one of the batch's
    transactions triggered and someone then called or revealed the number of, or a customer only this
    batch created (the undo deletes it) that someone contacted. Work on customers that were there before,
    done because of other transactions, keeps its ground and does not block. Tasks nobody has worked yet
    are removed instead; the next queue build decides again."""
    worked = tasks_worked_because_of_batch(db, batch.id)
    contacted = customers_with_contact_history(db, _customers_the_undo_deletes(db, batch.id))
    if worked or contacted:
        raise _refusal(batch, len(worked), len(contacted))
    touched = [
        row[0]
        for row in db.execute_sql(
            f"SELECT DISTINCT customer_id FROM transactions WHERE batch_id = {db.param}", (batch.id,)
        ).fetchall()
    ]
    remove_untouched_tasks(db, touched)


def _customers_the_undo_deletes(db: Database, batch_id: int) -> list[int]:
    """Customers this batch created that no other batch (nor demo data) has a transaction of."""
    p = db.param
    rows = db.execute_sql(
        f"SELECT c.id FROM customers c WHERE c.created_batch_id = {p} AND NOT EXISTS ("
        "SELECT 1 FROM transactions t WHERE t.customer_id = c.id "
        f"AND (t.batch_id IS NULL OR t.batch_id <> {p}))",
        (batch_id, batch_id),
    )
    return [int(row[0]) for row in rows]


def _refusal(batch: BatchInfo, worked_tasks: int, contacted_customers: int) -> UndoRefused:
    """Why the undo is refused, with how many tasks and customers stand in its way, in both languages."""

    def reasons(language: str) -> str:
        parts = []
        if worked_tasks:
            parts.append(text("undo.tasks_worked", language, count=worked_tasks))
        if contacted_customers:
            parts.append(text("undo.customers_contacted", language, count=contacted_customers))
        return (" and " if language == "en" else "，且").join(parts)

    said = {language: reasons(language) for language in LANGUAGES}
    return UndoRefused(code="undo.refused", batch=batch.id, file=batch.file_name, reasons=said)


def _restore_customer_changes(db: Database, batch_id: int, stamp: str) -> int:
    """Put back the name and phone each customer had before this batch changed them, newest change first.

    A value is restored only while the customer still holds what this batch wrote: a later batch that
    changed it again knows better and keeps its value (see `_pass_on`). The batch's change rows go
    afterwards. Returns how many customers got a value back; the caller holds the transaction."""
    p = db.param
    changes = db.execute_sql(
        f"SELECT id, customer_id, old_name, old_phone, new_name, new_phone FROM customer_changes WHERE batch_id = {p} "
        "ORDER BY id DESC",
        (batch_id,),
    ).fetchall()
    restored: set[int] = set()
    for change_id, customer_id, old_name, old_phone, new_name, new_phone in changes:
        for column, old, new in (("name", old_name, new_name), ("phone", old_phone, new_phone)):
            if new is None or old == new:
                continue
            put_back = db.execute_sql(
                f"UPDATE customers SET {column} = {p}, updated_at = {p} WHERE id = {p} AND {column} = {p}",
                (old, stamp, customer_id, new),
            ).rowcount
            if put_back:
                restored.add(int(customer_id))
            else:
                _pass_on(db, column, change_id, customer_id, old, new)
    db.execute_sql(f"DELETE FROM customer_changes WHERE batch_id = {p}", (batch_id,))
    return len(restored)


def _pass_on(db: Database, column: str, change_id: int, customer_id: int, old: str | None, new: str) -> None:
    """The next batch that changed this value took it from what this batch wrote; once this batch is gone,
    that change came from what this batch found. Undoing it later then restores a value that still stands,
    not the one this undo took away."""
    p = db.param
    db.execute_sql(
        f"UPDATE customer_changes SET old_{column} = {p} WHERE id = (SELECT MIN(id) FROM customer_changes "
        f"WHERE customer_id = {p} AND id > {p} AND old_{column} = {p} AND new_{column} <> old_{column})",
        (old, customer_id, change_id, new),
    )
