"""The feedback report over the queue benchmark's database (150k attempts), against a plain Python pass.

Called by `bench_queue` on the database it builds (1M transactions, 200k customers, 150k attempts).
The peer is what a script without our SQL aggregates would do: read every attempt of the period (and
its topics) into Python and count there (the same figures, bar win-back and the previous period).
"""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
import time
from collections import Counter, defaultdict
from typing import Any

from peewee import Database

from wallet_crm.db.bulk import db_time
from wallet_crm.feedback.figures import compute_report
from wallet_crm.feedback.period import Period
from wallet_crm.feedback.scope import ReportQuery


def python_pass(db: Database, period: Period) -> dict[str, object]:
    """The peer: every attempt of the period (and the topics) read into Python and counted there, for the
    same figures as the report bar win-back and the previous period: totals, categories, topics, agents
    and the weekly trend."""
    start, end = period.bounds()
    rows = db.execute_sql(
        "SELECT id, task_id, agent_id, reached, disposition, csat, nps, category, attempted_at FROM contact_attempts "
        "WHERE attempted_at >= ? AND attempted_at < ?",
        (db_time(start), db_time(end)),
    ).fetchall()
    weeks = [db_time(week.bounds()[0]) for week in period.weeks()]

    def tally() -> dict[str, Any]:
        return {"attempts": 0, "tasks": {}, "csat": [], "nps": [], "categories": Counter()}

    total, by_week = tally(), [tally() for _ in weeks]
    by_agent: defaultdict[int, dict[str, Any]] = defaultdict(tally)
    for _id, task, agent, reached, disposition, score, recommend, category, when in rows:
        for bucket in (total, by_week[bisect.bisect_right(weeks, when) - 1], by_agent[agent]):
            bucket["attempts"] += 1
            seen = bucket["tasks"].setdefault(task, [False, False])
            seen[0] |= bool(reached)
            seen[1] |= disposition == "reached_resolved"
            if score is not None:
                bucket["csat"].append(score)
            if recommend is not None:
                bucket["nps"].append(recommend)
            if category:
                bucket["categories"][category] += 1
    ids = {row[0] for row in rows}
    topics = Counter(t for a, t in db.execute_sql("SELECT attempt_id, topic FROM attempt_topics") if a in ids)
    return {"total": total, "weeks": by_week, "agents": dict(by_agent), "topics": topics}


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
            (
                label,
                f"peer: Python pass over the {days} days (no win-back, no previous period)",
                f"{peer * 1000:,.0f} ms",
            )
        )
        results.append((label, f"ratio peer / our report, {days} days", f"{peer / ours:,.1f}x"))
    return results
