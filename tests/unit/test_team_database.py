"""The team set-up: the same work on a PostgreSQL server as on a SQLite file, and many agents at once.

The PostgreSQL cases start a throwaway server (tests/postgres.py) and are skipped, with the reason,
where its binaries or the driver are missing.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from peewee import Database, PostgresqlDatabase

from tests.import_files import failed_payment_rows, row, write_xlsx
from wallet_crm.db import close_database, open_database
from wallet_crm.db.browse import TransactionQuery
from wallet_crm.db.dialect import ANALYZE_AFTER_ROWS, refresh_statistics
from wallet_crm.exports.service import run_export
from wallet_crm.feedback.figures import compute_report
from wallet_crm.feedback.period import Period
from wallet_crm.feedback.scope import ReportQuery
from wallet_crm.followup.agents import add_agent
from wallet_crm.followup.build import build_queue
from wallet_crm.followup.work import Outcome, log_outcome, next_task
from wallet_crm.imports import import_file
from wallet_crm.imports.history import undo_batch

AS_OF = dt.datetime(2026, 11, 20, 10, 0, 0)
AGENTS, ROUNDS = 6, 12


def failed_payments(path: Path, count: int) -> Path:
    """`count` customers, each with one failed payment the day before AS_OF: one task each."""
    return write_xlsx(path, failed_payment_rows(count, AS_OF))


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, db_path: Path) -> str:
    return str(db_path) if request.param == "sqlite" else str(request.getfixturevalue("pg_url"))


def scenario(target: str, folder: Path) -> dict[str, Any]:
    """Import → build → next customer → outcome → report → export → undo, as a team's first day goes."""
    db = open_database(target)
    imported = import_file(db, failed_payments(folder / "bill.xlsx", 30))
    built = build_queue(db, AS_OF)
    agent = add_agent(db, "小王", AS_OF)
    handed = next_task(db, agent.id, AS_OF)
    assert handed.task_id is not None
    logged = log_outcome(
        db,
        Outcome(task_id=handed.task_id, agent_id=agent.id, disposition="reached_resolved", channel="phone", csat=5),
        AS_OF + dt.timedelta(minutes=3),
    )
    report = compute_report(db, ReportQuery(Period(AS_OF.date() - dt.timedelta(days=6), AS_OF.date())), AS_OF)
    exported = run_export(db, "transactions", folder / "transactions.xlsx", TransactionQuery())
    later = import_file(
        db, write_xlsx(folder / "later.xlsx", [row(txn_id="L1", customer="C9001", phone="13900009001")])
    )
    undone = undo_batch(db, later.batch_id or 0, AS_OF)
    close_database()
    return {
        "imported": (imported.inserted, imported.customers_created, imported.rejected),
        "built": (built.created, built.updated, built.closed),
        "handed": handed.status,
        "closed": (logged.task_status, logged.attempts),
        "report": {key: value for key, value in report.as_dict().items() if key != "as_of"},
        "exported": exported.rows,
        "undone": (undone.transactions_removed, undone.customers_removed),
    }


def test_a_teams_first_day_gives_the_same_answers_on_postgresql_as_on_sqlite(
    db_path: Path, pg_url: str, tmp_path: Path
) -> None:
    (tmp_path / "sqlite").mkdir()
    (tmp_path / "pg").mkdir()
    on_sqlite = scenario(str(db_path), tmp_path / "sqlite")
    on_postgres = scenario(pg_url, tmp_path / "pg")
    assert on_sqlite["imported"] == (30, 30, 0)
    assert on_sqlite["built"][0] == 30 and on_sqlite["report"]["attempts"] == 1
    assert on_sqlite["exported"] == 30 and on_sqlite["undone"] == (1, 1)
    assert on_postgres == on_sqlite


def _agent_rounds(target: str, name: str, rounds: int) -> list[int]:
    """One agent's process: take the next customer and log a no-answer, `rounds` times; the task ids taken."""
    db = open_database(target)
    agent = add_agent(db, name, AS_OF)
    taken = []
    for _ in range(rounds):
        handed = next_task(db, agent.id, AS_OF)
        if handed.task_id is None:
            break
        taken.append(handed.task_id)
        log_outcome(
            db, Outcome(task_id=handed.task_id, agent_id=agent.id, disposition="no_answer", channel="phone"), AS_OF
        )
    close_database()
    return taken


def test_agents_asking_at_once_never_get_the_same_customer(target: str, tmp_path: Path) -> None:
    """Each no-answer puts the task 4 hours later, so in one moment a task can be handed out once only:
    a task id taken twice means two agents were given one customer."""
    db = open_database(target)
    import_file(db, failed_payments(tmp_path / "bill.xlsx", AGENTS * ROUNDS + 20))
    assert build_queue(db, AS_OF).created == AGENTS * ROUNDS + 20
    close_database()
    context = multiprocessing.get_context("spawn")
    with context.Pool(AGENTS) as pool:
        taken = pool.starmap(_agent_rounds, [(target, f"坐席{number}", ROUNDS) for number in range(AGENTS)])
    counts = Counter(task for tasks in taken for task in tasks)
    assert [task for task, times in counts.items() if times > 1] == []
    assert sum(counts.values()) == AGENTS * ROUNDS
    db = open_database(target)
    attempts = db.execute_sql("SELECT COUNT(*), COUNT(DISTINCT task_id) FROM contact_attempts").fetchone()
    close_database()
    assert tuple(attempts) == (AGENTS * ROUNDS, AGENTS * ROUNDS)  # every outcome kept, one per task


def _build(target: str) -> int:
    db = open_database(target)
    created = build_queue(db, AS_OF).created
    close_database()
    return created


def test_two_queue_builds_at_once_make_one_task_per_customer(target: str, tmp_path: Path) -> None:
    """Two PCs pressing "Rebuild queue" together: one merges after the other, neither fails, no customer
    gets two open tasks."""
    db = open_database(target)
    import_file(db, failed_payments(tmp_path / "bill.xlsx", 400))
    close_database()
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        created = pool.map(_build, [target, target])
    assert sum(created) == 400
    db = open_database(target)
    tasks = db.execute_sql("SELECT COUNT(*), COUNT(DISTINCT customer_id) FROM tasks WHERE status = 'open'").fetchone()
    close_database()
    assert tuple(tasks) == (400, 400)


def test_a_big_write_refreshes_the_planner_statistics_on_postgresql(db: Database) -> None:
    def analysed() -> bool:
        if not isinstance(db, PostgresqlDatabase):
            return False
        db.execute_sql("SELECT pg_stat_clear_snapshot()")
        row = db.execute_sql("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'agents'").fetchone()
        return row[0] is not None

    refresh_statistics(db, ("agents",), ANALYZE_AFTER_ROWS - 1)
    assert not analysed()  # a small write leaves it to autovacuum
    refresh_statistics(db, ("agents",), ANALYZE_AFTER_ROWS)
    assert analysed() == isinstance(db, PostgresqlDatabase)
