"""Small builders for follow-up tests: customers and transactions written straight into a test database."""

from __future__ import annotations

import datetime as dt
from itertools import count

from peewee import Database

from wallet_crm.db.bulk import insert_returning_id
from wallet_crm.followup.agents import Agent, add_agent
from wallet_crm.stored_time import db_time

AS_OF = dt.datetime(2026, 11, 20, 10, 0, 0)  # a Friday morning, inside calling hours
_numbers = count(1)


def customer(db: Database, name: str = "张三", phone: str | None = None) -> int:
    number = next(_numbers)
    with db.atomic():
        return insert_returning_id(
            db,
            "customers",
            ("external_id", "phone", "name", "created_at", "updated_at"),
            (f"C{number}", phone or f"+86138{number:08d}", name, "2026-01-01 00:00:00", "2026-01-01 00:00:00"),
        )


def txn(
    db: Database,
    customer_id: int,
    when: dt.datetime,
    amount_fen: int = 12_800,
    status: str = "success",
    txn_type: str = "payment",
    merchant: str | None = "城市便利店",
    remark: str | None = None,
) -> int:
    with db.atomic():
        return insert_returning_id(
            db,
            "transactions",
            ("txn_id", "customer_id", "occurred_at", "amount_fen", "status", "txn_type", "merchant", "remark"),
            (f"T{next(_numbers)}", customer_id, db_time(when), amount_fen, status, txn_type, merchant, remark),
        )


def ago(days: float = 0, hours: float = 0) -> dt.datetime:
    return AS_OF - dt.timedelta(days=days, hours=hours)


def agent(db: Database, name: str = "小李") -> Agent:
    return add_agent(db, name, AS_OF)


def task_rows(db: Database) -> list[tuple[object, ...]]:
    """Every task as (customer_id, status, top_reason, priority, attempts), by id: a snapshot to compare."""
    return list(
        db.execute_sql("SELECT customer_id, status, top_reason, priority, attempts FROM tasks ORDER BY id").fetchall()
    )


def reasons_of(db: Database, customer_id: int, status: str = "open") -> set[str]:
    rows = db.execute_sql(
        "SELECT r.reason FROM task_reasons r JOIN tasks t ON t.id = r.task_id WHERE t.customer_id = ? AND t.status = ?",
        (customer_id, status),
    )
    return {str(row[0]) for row in rows}


def open_task(db: Database, customer_id: int) -> int | None:
    row = db.execute_sql("SELECT id FROM tasks WHERE customer_id = ? AND status = 'open'", (customer_id,)).fetchone()
    return None if row is None else int(row[0])
