"""The feedback report over the queue benchmark's database (150k attempts), against a plain Python pass.

Called by `bench_queue` on the database it builds (1M transactions, 200k customers, 150k attempts).
The peer is what a script without our SQL aggregates would do: read every attempt of the period (and
its topics) into Python and count there; it computes the headline figures only.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections import Counter

from peewee import Database

from wallet_crm.db.bulk import db_time
from wallet_crm.feedback.figures import compute_report
from wallet_crm.feedback.period import Period
from wallet_crm.feedback.scope import ReportQuery


def python_pass(db: Database, period: Period) -> dict[str, object]:
    start, end = period.bounds()
    rows = db.execute_sql(
        "SELECT id, task_id, agent_id, reached, disposition, csat, nps, category FROM contact_attempts "
        "WHERE attempted_at >= ? AND attempted_at < ?",
        (db_time(start), db_time(end)),
    ).fetchall()
    tasks: dict[int, list[bool]] = {}
    csat: list[int] = []
    nps: list[int] = []
    categories: Counter[str] = Counter()
    for _id, task, _agent, reached, disposition, score, recommend, category in rows:
        seen = tasks.setdefault(task, [False, False])
        seen[0] |= bool(reached)
        seen[1] |= disposition == "reached_resolved"
        if score is not None:
            csat.append(score)
        if recommend is not None:
            nps.append(recommend)
        if category:
            categories[category] += 1
    ids = {row[0] for row in rows}
    topics = Counter(t for a, t in db.execute_sql("SELECT attempt_id, topic FROM attempt_topics") if a in ids)
    return {
        "attempts": len(rows),
        "contact_rate": sum(r for r, _ in tasks.values()) / max(len(tasks), 1),
        "csat": sum(s >= 4 for s in csat) / max(len(csat), 1),
        "nps": (sum(n >= 9 for n in nps) - sum(n <= 6 for n in nps)) / max(len(nps), 1),
        "categories": categories,
        "topics": topics,
    }


def report_results(db: Database, as_of: dt.datetime, label: str) -> list[tuple[str, str, str]]:
    results: list[tuple[str, str, str]] = []
    for days in (90, 30):
        period = Period(as_of.date() - dt.timedelta(days=days - 1), as_of.date())
        times = []
        for _ in range(3):
            started = time.perf_counter()
            report = compute_report(db, ReportQuery(period), as_of)
            times.append(time.perf_counter() - started)
        attempts = report.current.totals.attempts
        ours = statistics.median(times)
        results.append(
            (label, f"report, {days} days ({attempts:,} attempts, previous period too)", f"{ours * 1000:,.0f} ms")
        )
        started = time.perf_counter()
        python_pass(db, period)
        peer = time.perf_counter() - started
        results.append(
            (label, f"peer: Python pass over the {days} days (headline figures only)", f"{peer * 1000:,.0f} ms")
        )
        results.append((label, f"ratio peer / our report, {days} days", f"{peer / ours:,.1f}x"))
    return results
