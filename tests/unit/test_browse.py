"""The queries behind the Transactions and Customers pages, checked against the data itself."""

from __future__ import annotations

import datetime as dt

from peewee import Database

from tests.conftest import AS_OF
from wallet_crm.db.browse import (
    CustomerQuery,
    TransactionQuery,
    customer_ids,
    customer_rows,
    transaction_ids,
    transaction_rows,
)
from wallet_crm.db.models import Customer, Transaction


def test_default_order_is_newest_first_and_covers_everything(demo_db: Database) -> None:
    ids = transaction_ids(demo_db, TransactionQuery())
    assert len(ids) == Transaction.select().count() == 3000
    rows = transaction_rows(demo_db, ids[:50])
    times = [rows[i].occurred_at for i in ids[:50]]
    assert times == sorted(times, reverse=True)


def test_sorting_by_amount_ascending(demo_db: Database) -> None:
    ids = transaction_ids(demo_db, TransactionQuery(sort_key="amount_fen", descending=False))
    rows = transaction_rows(demo_db, ids[:200])
    amounts = [rows[i].amount_fen for i in ids[:200]]
    assert amounts == sorted(amounts)
    assert amounts[0] == Transaction.select(Transaction.amount_fen).order_by(Transaction.amount_fen).first().amount_fen


def test_filters_by_status_type_and_dates(demo_db: Database) -> None:
    start, end = (AS_OF - dt.timedelta(days=10)).date(), (AS_OF - dt.timedelta(days=3)).date()
    ids = transaction_ids(demo_db, TransactionQuery(status="failed", txn_type="payment", date_from=start, date_to=end))
    expected = Transaction.select().where(
        (Transaction.status == "failed")
        & (Transaction.txn_type == "payment")
        & (Transaction.occurred_at >= dt.datetime.combine(start, dt.time()))
        & (Transaction.occurred_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    )
    assert set(ids) == {t.id for t in expected}
    assert len(ids) > 0


def test_search_finds_by_phone_digits_name_and_transaction_id(demo_db: Database) -> None:
    customer = Customer.get_by_id(17)
    national = str(customer.phone)[3:]
    spaced = f"{national[:3]} {national[3:7]} {national[7:]}"
    by_phone = transaction_ids(demo_db, TransactionQuery(search=spaced))
    assert set(by_phone) == {t.id for t in Transaction.select().where(Transaction.customer == customer)}
    by_name = transaction_ids(demo_db, TransactionQuery(search=str(customer.name)))
    assert set(by_phone) <= set(by_name)
    some = Transaction.select().first()
    assert list(transaction_ids(demo_db, TransactionQuery(search=some.txn_id))) == [some.id]
    assert len(transaction_ids(demo_db, TransactionQuery(search="no such thing"))) == 0


def test_customer_rows_carry_their_transaction_figures(demo_db: Database) -> None:
    ids = customer_ids(demo_db, CustomerQuery(sort_key="transactions", descending=True))
    rows = customer_rows(demo_db, ids[:5])
    top = rows[ids[0]]
    mine = Transaction.select().where(Transaction.customer == top.id)
    assert top.transactions == mine.count()
    assert top.success_fen == sum(t.amount_fen for t in mine if t.status == "success")
    assert top.transactions >= rows[ids[4]].transactions


def test_customers_filtered_by_status_in_period(demo_db: Database) -> None:
    start = (AS_OF - dt.timedelta(days=6)).date()
    ids = customer_ids(demo_db, CustomerQuery(status="failed", date_from=start))
    expected = {
        t.customer.id
        for t in Transaction.select(Transaction.customer).where(
            (Transaction.status == "failed") & (Transaction.occurred_at >= dt.datetime.combine(start, dt.time()))
        )
    }
    assert set(ids) == expected and expected
