"""Which follow-up work depends on an import batch, for the import undo.

Work a person did (a contact attempt, a revealed phone number) stops an undo when it stands on what the
undo removes: a customer the batch created and would delete, or a task one of the batch's transactions
triggered. Work on a customer the batch merely added a transaction to, for another reason, does not: that
history keeps its ground either way. A task the queue built by itself and nobody has touched yet is not
work: the undo removes it and the next queue build decides again from the data that is left.
"""

from __future__ import annotations

from collections.abc import Iterable

from peewee import Database

CHUNK = 500
_TABLES = ("tasks", "contact_attempts", "phone_reveals")


_WORK_TABLES = ("contact_attempts", "phone_reveals")


def customers_with_contact_history(db: Database, customer_ids: Iterable[int]) -> set[int]:
    """Those of `customer_ids` someone has contacted or whose number someone has revealed."""
    return _customers_in(db, customer_ids, _WORK_TABLES)


def tasks_worked_because_of_batch(db: Database, batch_id: int) -> set[int]:
    """Tasks with a contact attempt or phone reveal that a reason ties to one of the batch's transactions.

    `task_reasons.transaction_id` has no foreign key (so the reason keeps what the agent saw), so only
    this look-up, made before the transactions go, knows that the work was done because of them."""
    rows = db.execute_sql(
        "SELECT DISTINCT r.task_id FROM task_reasons r JOIN transactions t ON t.id = r.transaction_id "
        f"WHERE t.batch_id = {db.param} AND ("
        "EXISTS (SELECT 1 FROM contact_attempts a WHERE a.task_id = r.task_id) "
        "OR EXISTS (SELECT 1 FROM phone_reveals v WHERE v.task_id = r.task_id))",
        (batch_id,),
    )
    return {int(row[0]) for row in rows}


def remove_untouched_tasks(db: Database, customer_ids: Iterable[int]) -> int:
    """Delete the never-attempted tasks (and their reasons) of these customers; the caller holds the transaction."""
    ids = sorted({int(customer_id) for customer_id in customer_ids})
    removed = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ", ".join([db.param] * len(chunk))
        untouched = (
            f"SELECT id FROM tasks WHERE customer_id IN ({marks}) "
            "AND NOT EXISTS (SELECT 1 FROM contact_attempts WHERE contact_attempts.task_id = tasks.id) "
            "AND NOT EXISTS (SELECT 1 FROM phone_reveals WHERE phone_reveals.task_id = tasks.id)"
        )
        db.execute_sql(f"DELETE FROM task_reasons WHERE task_id IN ({untouched})", chunk)
        removed += db.execute_sql(f"DELETE FROM tasks WHERE id IN ({untouched})", chunk).rowcount
    return int(removed)


def customers_with_followup_work(db: Database, customer_ids: Iterable[int]) -> set[int]:
    """Those of `customer_ids` that have any task, contact attempt or phone reveal."""
    return _customers_in(db, customer_ids, _TABLES)


def _customers_in(db: Database, customer_ids: Iterable[int], tables: tuple[str, ...]) -> set[int]:
    ids = sorted({int(customer_id) for customer_id in customer_ids})
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ", ".join([db.param] * len(chunk))
        for table in tables:
            rows = db.execute_sql(f"SELECT DISTINCT customer_id FROM {table} WHERE customer_id IN ({marks})", chunk)
            found.update(int(row[0]) for row in rows)
    return found
