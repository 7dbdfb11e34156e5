"""Read-only queries behind the Transactions and Customers pages.

A page first asks for the ordered ids that match its filter (one cheap query, run on a worker), then
for the rows of the ids on screen, a page at a time. That keeps scrolling a million rows smooth:
any position costs one `WHERE id IN (...)` lookup, never a deep OFFSET.
"""

from __future__ import annotations

import datetime as dt
import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from peewee import Case, Database, Expression, Field, fn

from wallet_crm.db.models import Customer, Transaction
from wallet_crm.money import HOME_CURRENCY

_NON_DIGITS = re.compile(r"\D")


@dataclass(frozen=True)
class TransactionQuery:
    search: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None  # inclusive
    status: str | None = None
    txn_type: str | None = None
    sort_key: str = "occurred_at"
    descending: bool = True


@dataclass(frozen=True)
class TransactionRow:
    id: int
    txn_id: str
    occurred_at: str
    customer_id: int
    customer_name: str | None
    phone: str | None
    txn_type: str
    type_word: str | None  # the file's own word for a type the import didn't know (txn_type "other")
    status: str
    amount_fen: int  # minor units of `currency`, the magnitude; `direction` says which way it went
    currency: str
    direction: str
    channel: str | None
    merchant: str | None
    remark: str | None


@dataclass(frozen=True)
class CustomerQuery:
    """Customers with at least one transaction in the date range (and of the status), if given."""

    search: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    status: str | None = None
    sort_key: str = "id"
    descending: bool = False


@dataclass(frozen=True)
class CustomerRow:
    id: int
    external_id: str | None
    name: str | None
    phone: str | None
    transactions: int
    success_fen: int  # successful transactions in the home currency (CNY), minor units
    other_totals: tuple[tuple[str, int], ...]  # (currency, minor units) for the others: never added to it
    first_at: str | None
    last_at: str | None


TRANSACTION_SORT_KEYS: dict[str, Any] = {
    "occurred_at": Transaction.occurred_at,
    "txn_id": Transaction.txn_id,
    "customer_name": Customer.name,
    "phone": Customer.phone,
    "txn_type": Transaction.txn_type,
    "status": Transaction.status,
    "amount_fen": Transaction.amount_fen,
    "channel": Transaction.channel,
    "merchant": Transaction.merchant,
    "remark": Transaction.remark,
}

_TXN_COUNT = Transaction.select(fn.COUNT(Transaction.id)).where(Transaction.customer == Customer.id)
_SUCCESS_SUM = Transaction.select(fn.COALESCE(fn.SUM(Transaction.amount_fen), 0)).where(
    (Transaction.customer == Customer.id) & (Transaction.status == "success") & (Transaction.currency == HOME_CURRENCY)
)
_FIRST_AT = Transaction.select(fn.MIN(Transaction.occurred_at)).where(Transaction.customer == Customer.id)
_LAST_AT = Transaction.select(fn.MAX(Transaction.occurred_at)).where(Transaction.customer == Customer.id)

CUSTOMER_SORT_KEYS: dict[str, Any] = {
    "id": Customer.id,
    "external_id": Customer.external_id,
    "name": Customer.name,
    "phone": Customer.phone,
    "transactions": fn.COALESCE(_TXN_COUNT, 0),
    "success_fen": fn.COALESCE(_SUCCESS_SUM, 0),
    "first_at": fn.COALESCE(_FIRST_AT, ""),
    "last_at": fn.COALESCE(_LAST_AT, ""),
}


def _customer_search(text: str) -> Expression | None:
    """Match `text` in a customer's name, wallet id or phone (compared by its digits)."""
    text = text.strip()
    if not text:
        return None
    condition: Expression = Customer.name.contains(text) | Customer.external_id.contains(text)
    digits = _NON_DIGITS.sub("", text)
    if len(digits) >= 3:
        condition = condition | Customer.phone.contains(digits)
    return condition


def _date_bounds(field: Field, date_from: dt.date | None, date_to: dt.date | None) -> list[Expression]:
    conditions = []
    if date_from is not None:
        conditions.append(field >= dt.datetime.combine(date_from, dt.time()))
    if date_to is not None:
        conditions.append(field < dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time()))
    return conditions


def _tuples(db: Database, query: Any) -> list[tuple[Any, ...]]:
    """A select's rows as plain tuples, run on `db` (not on whatever database the models are bound to)."""
    return [tuple(row) for row in db.execute(query)]


def _ordered_ids(db: Database, query: Any) -> array[int]:
    return array("q", (row[0] for row in db.execute(query)))


def transaction_ids(db: Database, query: TransactionQuery) -> array[int]:
    """Ids of the matching transactions in display order (ties broken by id, so order is stable)."""
    select = Transaction.select(Transaction.id)
    conditions = _date_bounds(Transaction.occurred_at, query.date_from, query.date_to)
    if query.status:
        conditions.append(Transaction.status == query.status)
    if query.txn_type:
        conditions.append(Transaction.txn_type == query.txn_type)
    customer_search = _customer_search(query.search)
    if customer_search is not None:
        # Customers first (a small table), then their transactions by index: no join over every row.
        matching_customers = Customer.select(Customer.id).where(customer_search)
        conditions.append(
            Transaction.customer.in_(matching_customers) | Transaction.txn_id.contains(query.search.strip())
        )
    sort_field = TRANSACTION_SORT_KEYS.get(query.sort_key, Transaction.occurred_at)
    # Compare keys, not fields: peewee's `==` on fields builds an (always truthy) SQL expression.
    if query.sort_key in ("customer_name", "phone"):
        select = select.join(Customer)
    for condition in conditions:
        select = select.where(condition)
    order = sort_field.desc() if query.descending else sort_field.asc()
    tie = Transaction.id.desc() if query.descending else Transaction.id.asc()
    return _ordered_ids(db, select.order_by(order, tie))


def transaction_rows(db: Database, ids: Sequence[int]) -> dict[int, TransactionRow]:
    """The display rows for `ids` (at most a page), keyed by id."""
    if not ids:
        return {}
    select = (
        Transaction.select(
            Transaction.id,
            Transaction.txn_id,
            Transaction.occurred_at,
            Transaction.customer,
            Customer.name,
            Customer.phone,
            Transaction.txn_type,
            Transaction.type_word,
            Transaction.status,
            Transaction.amount_fen,
            Transaction.currency,
            Transaction.direction,
            Transaction.channel,
            Transaction.merchant,
            Transaction.remark,
        )
        .join(Customer)
        .where(Transaction.id.in_(list(ids)))
    )
    rows = {}
    for values in _tuples(db, select):
        row = TransactionRow(values[0], values[1], str(values[2]), *values[3:])
        rows[row.id] = row
    return rows


def customer_ids(db: Database, query: CustomerQuery) -> array[int]:
    """Ids of the matching customers in display order."""
    select = Customer.select(Customer.id)
    search = _customer_search(query.search)
    if search is not None:
        select = select.where(search)
    activity = _date_bounds(Transaction.occurred_at, query.date_from, query.date_to)
    if query.status:
        activity.append(Transaction.status == query.status)
    if activity:
        inner = Transaction.select(Transaction.id).where(Transaction.customer == Customer.id)
        for condition in activity:
            inner = inner.where(condition)
        select = select.where(fn.EXISTS(inner))
    sort_field = CUSTOMER_SORT_KEYS.get(query.sort_key, Customer.id)
    order = sort_field.desc() if query.descending else sort_field.asc()
    tie = Customer.id.desc() if query.descending else Customer.id.asc()
    return _ordered_ids(db, select.order_by(order, tie))


def customer_rows(db: Database, ids: Sequence[int]) -> dict[int, CustomerRow]:
    """Display rows with each customer's transaction count, successful total and first/last time."""
    if not ids:
        return {}
    id_list = list(ids)
    stats: dict[int, tuple[int, str | None, str | None]] = {}
    totals: dict[int, dict[str, int]] = {}
    for customer_id, currency, count, total, first, last in _tuples(
        db,
        Transaction.select(
            Transaction.customer,
            Transaction.currency,
            fn.COUNT(Transaction.id),
            fn.SUM(Case(None, [(Transaction.status == "success", Transaction.amount_fen)], 0)),
            fn.MIN(Transaction.occurred_at),
            fn.MAX(Transaction.occurred_at),
        )
        .where(Transaction.customer.in_(id_list))
        .group_by(Transaction.customer, Transaction.currency),
    ):
        before = stats.get(customer_id)
        firsts = [str(t) for t in (first, before and before[1]) if t]
        lasts = [str(t) for t in (last, before and before[2]) if t]
        stats[customer_id] = (
            (before[0] if before else 0) + int(count),
            min(firsts, default=None),
            max(lasts, default=None),
        )
        totals.setdefault(customer_id, {})[currency] = int(total or 0)
    rows = {}
    for customer_id, external_id, name, phone in _tuples(
        db,
        Customer.select(Customer.id, Customer.external_id, Customer.name, Customer.phone).where(
            Customer.id.in_(id_list)
        ),
    ):
        count, first, last = stats.get(customer_id, (0, None, None))
        by_currency = totals.get(customer_id, {})
        rows[customer_id] = CustomerRow(
            customer_id,
            external_id,
            name,
            phone,
            count,
            by_currency.get(HOME_CURRENCY, 0),
            tuple(sorted((code, total) for code, total in by_currency.items() if code != HOME_CURRENCY and total)),
            first,
            last,
        )
    return rows


__all__ = [
    "CustomerQuery",
    "CustomerRow",
    "TransactionQuery",
    "TransactionRow",
    "customer_ids",
    "customer_rows",
    "transaction_ids",
    "transaction_rows",
]
