"""Demo data: realistic, deterministic, complete, and never mixed into a real database."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from pathlib import Path

import phonenumbers
import pytest
from peewee import Database, fn

from tests.conftest import AS_OF
from wallet_crm.db import close_database, open_database
from wallet_crm.db.models import TRANSACTION_STATUSES, TRANSACTION_TYPES, Customer, Transaction
from wallet_crm.db.status import database_status
from wallet_crm.demo import Cancelled, create_demo_database, generate
from wallet_crm.errors import KnownError
from wallet_crm.followup.build import build_queue


def test_full_size_demo_has_the_promised_shape(tmp_path: Path) -> None:
    result = create_demo_database(tmp_path / "demo.sqlite3", AS_OF)
    assert (result.customers, result.transactions) == (2000, 20000)
    db = open_database(result.path)
    try:
        status = database_status(db)
        assert status.is_demo and status.customers == 2000 and status.transactions == 20000
        pairs = {
            (t.txn_type, t.status) for t in Transaction.select(Transaction.txn_type, Transaction.status).distinct()
        }
        assert {t for t, _ in pairs} == set(TRANSACTION_TYPES) - {"other"}  # "other" is for words an import never saw
        assert {s for _, s in pairs} == set(TRANSACTION_STATUSES)
        assert ("payment", "failed") in pairs and ("refund", "success") in pairs
        large_transfers = (
            Transaction.select()
            .where((Transaction.txn_type == "transfer") & (Transaction.amount_fen >= 500_000))
            .count()
        )
        assert large_transfers >= 20
        oldest = Transaction.select(Transaction.occurred_at).order_by(Transaction.occurred_at).first().occurred_at
        newest = (
            Transaction.select(Transaction.occurred_at).order_by(Transaction.occurred_at.desc()).first().occurred_at
        )
        assert AS_OF - dt.timedelta(days=90) <= oldest and newest <= AS_OF
        new_customers = (
            Transaction.select(Transaction.customer)
            .group_by(Transaction.customer)
            .having(fn.MIN(Transaction.occurred_at) >= AS_OF - dt.timedelta(days=7))
            .count()
        )
        assert new_customers > 0
    finally:
        close_database()


def test_demo_customers_have_chinese_names_and_valid_unique_mobiles(demo_db: Database) -> None:
    customers = list(Customer.select())
    assert len(customers) == 300
    assert len({c.phone for c in customers}) == 300
    for customer in customers:
        phone, name = str(customer.phone), str(customer.name)
        number = phonenumbers.parse(phone)
        assert phonenumbers.is_valid_number(number) and number.country_code == 86
        assert phone.startswith("+861") and len(phone) == 14
        assert 2 <= len(name) <= 3 and all("\u4e00" <= ch <= "\u9fff" for ch in name)


def test_demo_amounts_are_whole_fen() -> None:
    _customers, transactions = generate(AS_OF, seed=3, customers=50, transactions=500)
    assert all(isinstance(row[3], int) and row[3] > 0 for row in transactions)


def test_same_seed_same_data() -> None:
    assert generate(AS_OF, 11, 40, 400) == generate(AS_OF, 11, 40, 400)
    assert generate(AS_OF, 11, 40, 400) != generate(AS_OF, 12, 40, 400)


@pytest.mark.sqlite_only
def test_demo_refuses_a_real_database(db: Database, db_path: Path) -> None:
    with db.atomic():
        db.execute_sql(
            "INSERT INTO customers (id, name, created_at, updated_at) VALUES (1, '张三', '2026-01-01', '2026-01-01')"
        )
        db.execute_sql(
            "INSERT INTO transactions (txn_id, customer_id, occurred_at, amount_fen, status, txn_type) "
            "VALUES ('REAL-1', 1, '2026-01-01 10:00:00', 100, 'success', 'payment')"
        )
    close_database()
    with pytest.raises(KnownError, match="real data"):
        create_demo_database(db_path, AS_OF, customers=10, transactions=10)
    check = sqlite3.connect(db_path)
    assert check.execute("SELECT txn_id FROM transactions").fetchall() == [("REAL-1",)]
    check.close()


def test_demo_replaces_an_older_demo_file(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    create_demo_database(path, AS_OF, seed=1, customers=20, transactions=100)
    create_demo_database(path, AS_OF, seed=2, customers=30, transactions=300)
    check = sqlite3.connect(path)
    assert check.execute("SELECT COUNT(*) FROM customers").fetchone()[0] == 30
    assert check.execute("SELECT COUNT(*) FROM transactions").fetchone()[0] == 300
    check.close()


def test_cancelled_demo_leaves_no_file(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "demo.sqlite3"
    cancel = threading.Event()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        cancel.set()

    with pytest.raises(Cancelled):
        create_demo_database(path, AS_OF, customers=100, transactions=5000, progress=progress, cancel=cancel)
    assert seen and seen[0][1] == 5100
    assert list(folder.iterdir()) == []


def test_demo_has_agents_a_built_queue_and_90_days_of_outcomes(demo_db: Database, demo_path: Path) -> None:
    """The simulated team: three agents, outcomes of every kind with feedback, a queue built at `as_of`."""
    agents = [row[0] for row in demo_db.execute_sql("SELECT name FROM agents ORDER BY id")]
    assert agents == ["小李", "小王", "小张"]
    dispositions = {row[0] for row in demo_db.execute_sql("SELECT DISTINCT disposition FROM contact_attempts")}
    assert {"reached_resolved", "reached_followup", "no_answer"} <= dispositions
    first, last = demo_db.execute_sql("SELECT MIN(attempted_at), MAX(attempted_at) FROM contact_attempts").fetchone()
    assert str(first) >= str(AS_OF - dt.timedelta(days=90)) and str(last) <= str(AS_OF)
    feedback = demo_db.execute_sql(
        "SELECT COUNT(csat), COUNT(nps), COUNT(category), MIN(csat), MAX(csat) FROM contact_attempts WHERE reached = ?",
        (True,),
    ).fetchone()
    assert feedback[0] > 0 and feedback[1] > 0 and feedback[2] > 0 and 1 <= feedback[3] <= feedback[4] <= 5
    assert demo_db.execute_sql("SELECT COUNT(*) FROM attempt_topics").fetchone()[0] > 0
    assert demo_db.execute_sql("SELECT COUNT(*) FROM tasks WHERE status = 'open'").fetchone()[0] > 0
    again = build_queue(demo_db, AS_OF)
    assert (again.created, again.updated, again.closed) == (0, 0, 0)  # the demo's queue is built at its `as_of`


def test_same_seed_same_followup_history(tmp_path: Path) -> None:
    def history(path: Path) -> list[tuple[object, ...]]:
        create_demo_database(path, AS_OF, seed=5, customers=60, transactions=600)
        check = sqlite3.connect(path)
        rows = check.execute(
            "SELECT task_id, agent_id, attempted_at, disposition, csat, nps, category, notes FROM contact_attempts"
        ).fetchall()
        check.close()
        return rows

    first = history(tmp_path / "a.sqlite3")
    assert first and first == history(tmp_path / "b.sqlite3")
