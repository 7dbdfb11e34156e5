"""Which customers carry follow-up work, for the import undo: it must not delete a customer who has
tasks, contact attempts or phone reveals (they reference the customer, and the history matters)."""

from __future__ import annotations

from collections.abc import Iterable

from peewee import Database

CHUNK = 500
_TABLES = ("tasks", "contact_attempts", "phone_reveals")


def customers_with_followup_work(db: Database, customer_ids: Iterable[int]) -> set[int]:
    """Those of `customer_ids` that have any task, contact attempt or phone reveal."""
    ids = sorted({int(customer_id) for customer_id in customer_ids})
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ", ".join([db.param] * len(chunk))
        for table in _TABLES:
            rows = db.execute_sql(f"SELECT DISTINCT customer_id FROM {table} WHERE customer_id IN ({marks})", chunk)
            found.update(int(row[0]) for row in rows)
    return found
