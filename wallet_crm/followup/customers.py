"""What the follow-up work changes on a customer: do-not-contact, and who saw the full phone number."""

from __future__ import annotations

import datetime as dt

from peewee import Database

from wallet_crm.db.bulk import insert_returning_id
from wallet_crm.errors import FollowupError
from wallet_crm.followup.agents import get_agent
from wallet_crm.stored_time import db_time


def _customer_phone(db: Database, customer_id: int) -> str | None:
    row = db.execute_sql(f"SELECT phone FROM customers WHERE id = {db.param}", (customer_id,)).fetchone()
    if row is None:
        raise FollowupError(code="followup.no_customer_id", customer=customer_id)
    return None if row[0] is None else str(row[0])


def reveal_phone(db: Database, customer_id: int, agent_id: int, as_of: dt.datetime, task_id: int | None = None) -> str:
    """The full number, for dialling; who asked and when is recorded first (the number is masked elsewhere)."""
    get_agent(db, agent_id)
    phone = _customer_phone(db, customer_id)
    if phone is None:
        raise FollowupError(code="followup.no_phone_on_file")
    with db.atomic():
        insert_returning_id(
            db,
            "phone_reveals",
            ("customer_id", "agent_id", "task_id", "revealed_at"),
            (customer_id, agent_id, task_id, db_time(as_of)),
        )
    return phone


def cancel_open_tasks(db: Database, customer_id: int, as_of: dt.datetime) -> int:
    """Cancel the customer's open tasks (there is at most one); the caller holds the transaction."""
    p = db.param
    now = db_time(as_of)
    cursor = db.execute_sql(
        f"UPDATE tasks SET status = {p}, closed_at = {p}, updated_at = {p}, held_by_id = NULL, held_until = NULL "
        f"WHERE customer_id = {p} AND status = {p}",
        ("cancelled", now, now, customer_id, "open"),
    )
    return int(cursor.rowcount)


def set_do_not_contact(db: Database, customer_id: int, value: bool, as_of: dt.datetime) -> int:
    """Switch do-not-contact; switching it on cancels the customer's open tasks (returns how many)."""
    _customer_phone(db, customer_id)
    p = db.param
    with db.atomic():
        db.execute_sql(f"UPDATE customers SET do_not_contact = {p} WHERE id = {p}", (value, customer_id))
        return cancel_open_tasks(db, customer_id, as_of) if value else 0
