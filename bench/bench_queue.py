"""How fast the follow-up queue builds, hands out the next customer and opens its first screen.

Database: the demo generator at 1M transactions / 200k customers (WALLET_CRM_BENCH_ROWS scales it),
plus 150k contact attempts on 60k closed tasks of the last 90 days, bulk-inserted. Goals from the
issue: build < 3 s, next < 50 ms, first screen (ids + 50 rows) < 200 ms.
Peer, measured in the same run: the naive way to build, one customer at a time (read their
transactions and attempts, apply the rules in Python), on every 10th customer, scaled x10.
Then the query plans of every SELECT the build, "next" and the first screen ran, and the feedback
report over the same 150k attempts (`report_timing.py`; goal < 1 s).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from peewee import Database

from bench.report_timing import report_results
from wallet_crm.db import open_database
from wallet_crm.db.bulk import db_time, insert_rows
from wallet_crm.demo import create_demo_database
from wallet_crm.followup.build import build_queue
from wallet_crm.followup.queue_query import QueueQuery, queue_ids, queue_rows, reason_counts
from wallet_crm.followup.settings import DEFAULT_TOPICS
from wallet_crm.followup.vocabulary import CATEGORIES, REASONS
from wallet_crm.followup.work import Outcome, log_outcome, next_task, release_task

AS_OF = dt.datetime(2026, 11, 20, 12, 0)
AGENTS = 10
DISPOSITIONS = ("reached_resolved", "reached_followup", "no_answer", "busy", "voicemail", "unreachable")


def add_history(db: Database, attempts_wanted: int, seed: int = 7) -> tuple[int, int]:
    """Agents, closed tasks and their attempts over the last 90 days; returns (tasks, attempts)."""
    rng = random.Random(seed)
    customers = int(db.execute_sql("SELECT MAX(id) FROM customers").fetchone()[0])
    start = db_time(AS_OF - dt.timedelta(days=90))
    tasks, reasons, attempts, topics = [], [], [], []
    task_id = attempt_id = 0
    while attempt_id < attempts_wanted:
        task_id += 1
        customer = rng.randrange(1, customers + 1)
        created = AS_OF - dt.timedelta(days=rng.uniform(2, 90), minutes=rng.randrange(600))
        count = min(rng.choice((1, 1, 2, 3, 3)), attempts_wanted - attempt_id)
        reached = False
        when = created
        for number in range(count):
            attempt_id += 1
            when = created + dt.timedelta(hours=4 * number)
            reached = number == count - 1 and rng.random() < 0.7
            disposition = rng.choice(DISPOSITIONS[:2]) if reached else rng.choice(DISPOSITIONS[2:])
            category = rng.choice(CATEGORIES) if reached and rng.random() < 0.6 else None
            callback = db_time(when + dt.timedelta(days=2)) if disposition == "reached_followup" else None
            attempts.append(
                (
                    attempt_id,
                    task_id,
                    customer,
                    1 + attempt_id % AGENTS,
                    db_time(when),
                    "phone",
                    disposition,
                    reached,
                    rng.randint(1, 5) if reached else None,
                    rng.randint(0, 10) if reached else None,
                    category,
                    callback,
                )
            )
            if category is not None:
                topics.append((attempt_id, rng.choice(DEFAULT_TOPICS)))
        reason = rng.choice(REASONS[:6])
        status = "done" if reached else "unreachable"
        created_at, closed_at = db_time(created), db_time(when)
        times = (created_at, created_at, count, created_at, closed_at, closed_at)
        tasks.append((task_id, customer, status, 50, reason, None, *times))
        trigger = db_time(created - dt.timedelta(hours=6))
        reasons.append((task_id, customer, reason, trigger, db_time(created), db_time(created), db_time(created)))
    with db.atomic():
        insert_rows(
            db,
            "agents",
            ("id", "name", "active", "created_at"),
            [(i, f"坐席{i}", True, start) for i in range(1, AGENTS + 1)],
        )
        insert_rows(
            db,
            "tasks",
            (
                "id", "customer_id", "status", "priority", "top_reason", "amount_fen", "available_at", "due_at",
                "attempts", "created_at", "updated_at", "closed_at",
            ),
            tasks,
        )  # fmt: skip
        insert_rows(
            db,
            "task_reasons",
            ("task_id", "customer_id", "reason", "triggered_at", "available_at", "due_at", "created_at"),
            reasons,
        )
        insert_rows(
            db,
            "contact_attempts",
            (
                "id", "task_id", "customer_id", "agent_id", "attempted_at", "channel", "disposition", "reached",
                "csat", "nps", "category", "callback_at",
            ),
            attempts,
        )  # fmt: skip
        insert_rows(db, "attempt_topics", ("attempt_id", "topic"), topics)
    return len(tasks), len(attempts)


def timed(action: Callable[[], object]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


@contextmanager
def recording(db: Database, seen: dict[str, Any]) -> Iterator[None]:
    """Remember every SELECT the services run (for EXPLAIN QUERY PLAN afterwards)."""
    original = db.execute_sql

    def record(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.setdefault(" ".join(sql.split()), params)
        return original(sql, params, *args, **kwargs)

    db.execute_sql = record  # type: ignore[method-assign]
    try:
        yield
    finally:
        del db.execute_sql


def naive_build(db: Database, customer_ids: range) -> int:
    """The peer: per customer, read everything and apply the rules in Python (no merge, no writes)."""
    window = AS_OF - dt.timedelta(days=30)
    week = AS_OF - dt.timedelta(days=7)
    found = 0
    for customer_id in customer_ids:
        rows = db.execute_sql(
            "SELECT occurred_at, amount_fen, status, txn_type FROM transactions WHERE customer_id = ? "
            "ORDER BY occurred_at",
            (customer_id,),
        ).fetchall()
        txns = [(dt.datetime.fromisoformat(r[0]), r[1], r[2], r[3]) for r in rows if r[0] <= db_time(AS_OF)]
        reached = db.execute_sql(
            "SELECT COUNT(*) FROM contact_attempts WHERE customer_id = ? AND reached = 1 AND attempted_at >= ?",
            (customer_id, db_time(AS_OF - dt.timedelta(days=30))),
        ).fetchone()[0]
        reasons = set()
        for when, amount, status, kind in txns:
            if when < window:
                continue
            if status == "failed" and kind == "payment":
                recovered = any(
                    s == "success" and k == "payment" and when < w <= when + dt.timedelta(hours=24)
                    for w, _, s, k in txns
                )
                if not recovered:
                    reasons.add("failed_payment")
            if kind == "refund" or status == "refunded":
                reasons.add("refund")
            if amount >= 500_000 and status != "failed":
                reasons.add("large_amount")
        if txns and txns[0][0] >= week:
            reasons.add("new_customer")
        if len(txns) >= 3 and AS_OF - dt.timedelta(days=90) <= txns[-1][0] < AS_OF - dt.timedelta(days=60):
            reasons.add("dormant")
        recent_success = any(s == "success" and w >= week for w, _, s, _ in txns)
        if recent_success and int(hashlib.sha256(f"survey:{customer_id}".encode()).hexdigest(), 16) % 100 < 5:
            reasons.add("survey")
        if reached:
            reasons &= {"failed_payment"}
        found += bool(reasons)
    return found


def measure(path: Path, label: str) -> list[tuple[str, str, str]]:
    db = open_database(path, bind=False)  # every step is given `db`: nothing reads the models' binding
    results: list[tuple[str, str, str]] = []
    counts = db.execute_sql(
        "SELECT (SELECT COUNT(*) FROM transactions), (SELECT COUNT(*) FROM customers), "
        "(SELECT COUNT(*) FROM contact_attempts)"
    ).fetchone()
    results.append((label, "transactions / customers / attempts", " / ".join(f"{n:,}" for n in counts)))
    plans: dict[str, Any] = {}
    with recording(db, plans):
        seconds, built = timed(lambda: build_queue(db, AS_OF))
    results.append((label, f"build, first ({built.created:,} tasks created)", f"{seconds * 1000:,.0f} ms"))
    seconds, again = timed(lambda: build_queue(db, AS_OF))
    changed = again.created + again.updated + again.closed
    results.append((label, f"build again, same as_of ({changed} changes)", f"{seconds * 1000:,.0f} ms"))
    seconds, later = timed(lambda: build_queue(db, AS_OF + dt.timedelta(days=1)))
    results.append(
        (label, f"build next day ({later.updated:,} updated, {later.closed:,} closed)", f"{seconds * 1000:,.0f} ms")
    )
    now = AS_OF + dt.timedelta(days=1, minutes=5)
    nexts = []
    handed_out = 0
    with recording(db, plans):
        for call in range(30):
            agent = 1 + call % AGENTS
            started = time.perf_counter()
            handed = next_task(db, agent, now)
            nexts.append(time.perf_counter() - started)
            handed_out += handed.status == "ok"
            release_task(db, handed.task_id or 0, agent)  # so each call searches the queue, not the agent's hold
    median = statistics.median(nexts) * 1000
    results.append((label, f"next customer (median of 30, {handed_out} handed out)", f"{median:,.1f} ms"))
    results.append((label, "next customer (slowest of 30)", f"{max(nexts) * 1000:,.1f} ms"))
    logs = []
    for call in range(10):
        agent = 1 + call % AGENTS
        handed = next_task(db, agent, now + dt.timedelta(minutes=1))
        started = time.perf_counter()
        log_outcome(db, Outcome(handed.task_id or 0, agent, "no_answer"), now + dt.timedelta(minutes=2))
        logs.append(time.perf_counter() - started)
    results.append((label, "log an outcome (median of 10)", f"{statistics.median(logs) * 1000:,.1f} ms"))
    screens = []
    with recording(db, plans):
        for _ in range(5):
            seconds, _ = timed(lambda: queue_rows(db, queue_ids(db, QueueQuery())[:50], now))
            screens.append(seconds)
    ids = queue_ids(db, QueueQuery())
    results.append(
        (label, f"first screen: ids of {len(ids):,} open + 50 rows", f"{statistics.median(screens) * 1000:,.0f} ms")
    )
    seconds, _ = timed(lambda: reason_counts(db, QueueQuery()))
    results.append((label, "count per reason", f"{seconds * 1000:,.0f} ms"))
    step = 10
    seconds, _ = timed(lambda: naive_build(db, range(1, counts[1] + 1, step)))
    results.append((label, f"peer: per-customer loop on 1/{step} of customers", f"{seconds * 1000:,.0f} ms"))
    first_build = float(results[1][2].replace(",", "").split()[0]) / 1000
    results.append(
        (label, "ratio peer (x10, all customers) / our first build", f"{seconds * step / first_build:,.1f}x")
    )
    print_plans(db, plans)
    results += report_results(db, now, label)
    db.close()
    return results


def print_plans(db: Database, plans: dict[str, Any]) -> None:
    print("query plans (EXPLAIN QUERY PLAN of every SELECT run by build, next and the first screen):")
    for sql, params in plans.items():
        if "IN (" in sql and sql.count("?") > 20:
            params = params[: sql.count("?")]
        print(f"  {sql[:150]}{'...' if len(sql) > 150 else ''}")
        for row in db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params):
            print(f"      {row[-1]}")


def main() -> None:
    rows = int(os.environ.get("WALLET_CRM_BENCH_ROWS", "1000000")) or 20_000
    results: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "queue.sqlite3"
        seconds, _ = timed(
            lambda: create_demo_database(path, AS_OF, customers=rows // 5, transactions=rows, followup=False)
        )
        db = open_database(path, bind=False)
        history_seconds, (tasks, attempts) = timed(lambda: add_history(db, rows * 15 // 100))
        db.close()
        label = f"{rows // 1000:,}k"
        results.append((label, "(generating the database)", f"{seconds + history_seconds:,.1f} s"))
        results.append((label, f"(history: {tasks:,} closed tasks)", f"{attempts:,} attempts"))
        results += measure(path, label)
    width = max(len(name) for _, name, _ in results)
    print(f"{'database':<9} {'what':<{width}} {'figure':>14}")
    for label, name, figure in results:
        print(f"{label:<9} {name:<{width}} {figure:>14}")
    print("goals: build < 3 s, next < 50 ms, first screen < 200 ms; report over 150k attempts < 1 s")


if __name__ == "__main__":
    main()
