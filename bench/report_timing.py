"""The feedback report over the queue benchmark's database (150k attempts), against a plain Python pass.

Called by `bench_queue` on the database it builds (1M transactions, 200k customers, 150k attempts).
The peer is what a script without our SQL aggregates would do: read the attempts of both periods
(the report's and the one before it), their topics, the reached attempts of failed-payment tasks and
the open tasks into Python, and count there. It counts the same figures as `compute_report` (totals,
categories, weekly trend, topics, agents, win-back, queue), and its JSON is compared with ours, so the
two did the same work. For the win-back it asks for the customers' successful payments in the week
after each first reach the same way ours does (`won_back_tasks`, an indexed look-up by customer),
since reading every transaction would only make the peer slower.
"""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from peewee import Database

from bench import goals as goals_table
from wallet_crm.feedback.figures import (
    AgentFigures,
    Figures,
    QueueFigures,
    Report,
    TopicCount,
    Totals,
    WeekFigures,
    WinBack,
    compute_report,
    won_back_tasks,
)
from wallet_crm.feedback.period import Period
from wallet_crm.feedback.scope import ReportQuery
from wallet_crm.followup.vocabulary import CATEGORIES
from wallet_crm.stored_time import db_time, from_db_time

GOAL_DAYS = 90  # the report goal is over the 90 days that hold all 150k attempts


@dataclass
class _Tally:
    """The counts of one bucket of attempts (the period, a week or an agent)."""

    attempts: int = 0
    reached_attempts: int = 0
    resolved_attempts: int = 0
    tasks: dict[int, list[bool]] = field(default_factory=dict)  # task -> [reached, resolved]
    csat: list[int] = field(default_factory=list)
    nps: list[int] = field(default_factory=list)
    categories: Counter[str] = field(default_factory=Counter)

    def add(self, task: int, reached: bool, resolved: bool, csat: int | None, nps: int | None, category: str) -> None:
        self.attempts += 1
        self.reached_attempts += reached
        self.resolved_attempts += resolved
        seen = self.tasks.setdefault(task, [False, False])
        seen[0] |= reached
        seen[1] |= resolved
        if csat is not None:
            self.csat.append(csat)
        if nps is not None:
            self.nps.append(nps)
        if category:
            self.categories[category] += 1

    def totals(self) -> Totals:
        return Totals(
            attempts=self.attempts,
            tasks_worked=len(self.tasks),
            tasks_reached=sum(1 for reached, _ in self.tasks.values() if reached),
            tasks_resolved=sum(1 for _, resolved in self.tasks.values() if resolved),
            csat_responses=len(self.csat),
            csat_good=sum(1 for score in self.csat if score >= 4),
            csat_sum=sum(self.csat),
            nps_responses=len(self.nps),
            nps_promoters=sum(1 for score in self.nps if score >= 9),
            nps_detractors=sum(1 for score in self.nps if score <= 6),
            complaints=self.categories["complaint"],
        )


def python_pass(db: Database, period: Period, as_of: dt.datetime) -> Report:
    """The peer: the report of `period` (no agent or reason filter) counted in Python from plain reads."""
    previous = period.previous()
    start, end = period.bounds()
    rows = db.execute_sql(
        "SELECT id, task_id, agent_id, reached, disposition, csat, nps, category, attempted_at FROM contact_attempts "
        "WHERE attempted_at >= ? AND attempted_at < ?",
        (db_time(previous.bounds()[0]), db_time(end)),
    ).fetchall()
    start_text = db_time(start)
    weeks = list(period.weeks())
    week_starts = [db_time(week.bounds()[0]) for week in weeks]
    current, before = _Tally(), _Tally()
    by_week = [_Tally() for _ in weeks]
    by_agent: defaultdict[int, _Tally] = defaultdict(_Tally)
    in_period: set[int] = set()
    for attempt_id, task, agent, reached, disposition, csat, nps, category, when in rows:
        values = (task, bool(reached), disposition == "reached_resolved", csat, nps, category)
        if when < start_text:
            before.add(*values)
            continue
        in_period.add(attempt_id)
        for bucket in (current, by_week[bisect.bisect_right(week_starts, when) - 1], by_agent[agent]):
            bucket.add(*values)
    topics = _topics(db, in_period, {row[0]: row[7] for row in rows})
    names = {int(agent_id): str(name) for agent_id, name in db.execute_sql("SELECT id, name FROM agents")}
    firsts = _first_reached_failed_payments(db)
    return Report(
        query=ReportQuery(period),
        as_of=as_of,
        agent_name=None,
        current=Figures(
            period=period,
            totals=current.totals(),
            categories={name: current.categories[name] for name in CATEGORIES},
            win_back=_win_back(db, firsts, period),
            queue=_queue(db, period, as_of, snapshot=True),
            topics=topics,
            agents=_agents(by_agent, names),
            trend=tuple(WeekFigures(week, tally.totals()) for week, tally in zip(weeks, by_week, strict=True)),
        ),
        previous=Figures(
            period=previous,
            totals=before.totals(),
            categories={name: before.categories[name] for name in CATEGORIES},
            win_back=_win_back(db, firsts, previous),
            queue=_queue(db, previous, as_of, snapshot=False),
        ),
    )


def _topics(db: Database, attempts: set[int], categories: dict[int, str | None]) -> tuple[TopicCount, ...]:
    counts: Counter[str] = Counter()
    complaints: Counter[str] = Counter()
    for attempt_id, topic in db.execute_sql("SELECT attempt_id, topic FROM attempt_topics"):
        if attempt_id in attempts:
            counts[topic] += 1
            complaints[topic] += categories[attempt_id] == "complaint"
    found = [TopicCount(topic, count, complaints[topic]) for topic, count in counts.items()]
    return tuple(sorted(found, key=lambda t: (-t.count, -t.complaints, t.topic)))


def _agents(by_agent: dict[int, _Tally], names: dict[int, str]) -> tuple[AgentFigures, ...]:
    agents = [
        AgentFigures(
            agent_id,
            names.get(agent_id, str(agent_id)),
            tally.attempts,
            tally.reached_attempts,
            tally.resolved_attempts,
            len(tally.tasks),
            len(tally.csat),
            sum(1 for score in tally.csat if score >= 4),
        )
        for agent_id, tally in by_agent.items()
    ]
    return tuple(sorted(agents, key=lambda a: (-a.attempts, a.name)))


def _first_reached_failed_payments(db: Database) -> list[tuple[int, int, str]]:
    """(task, customer, time) of each failed-payment task's first reached attempt (lowest id on a tie)."""
    failed = {task for (task,) in db.execute_sql("SELECT task_id FROM task_reasons WHERE reason = 'failed_payment'")}
    first: dict[int, tuple[str, int, int]] = {}
    for attempt_id, task, customer, when in db.execute_sql(
        "SELECT id, task_id, customer_id, attempted_at FROM contact_attempts WHERE reached = 1"
    ):
        if task in failed and (task not in first or (when, attempt_id) < first[task][::2]):
            first[task] = (when, customer, attempt_id)
    return [(task, customer, when) for task, (when, customer, _id) in first.items()]


def _win_back(db: Database, firsts: Iterable[tuple[int, int, str]], period: Period) -> WinBack:
    low, high = (db_time(bound) for bound in period.bounds())
    reached = [(task, customer, from_db_time(when)) for task, customer, when in firsts if low <= when < high]
    return WinBack(reached=len(reached), won=len(won_back_tasks(db, reached)))


def _queue(db: Database, period: Period, as_of: dt.datetime, snapshot: bool) -> QueueFigures:
    low, high = (db_time(bound) for bound in period.bounds())
    closed = len(
        [
            status
            for status, closed_at in db.execute_sql("SELECT status, closed_at FROM tasks WHERE closed_at IS NOT NULL")
            if status == "unreachable" and low <= closed_at < high
        ]
    )
    if not snapshot:
        return QueueFigures(None, None, None, closed, None)
    now = db_time(as_of)
    open_tasks = db.execute_sql("SELECT due_at, assigned_to_id FROM tasks WHERE status = 'open'").fetchall()
    blocked = len([flag for (flag,) in db.execute_sql("SELECT do_not_contact FROM customers") if flag])
    return QueueFigures(
        open=len(open_tasks),
        overdue=sum(1 for due, _agent in open_tasks if due is not None and due < now),
        unassigned=sum(1 for _due, agent in open_tasks if agent is None),
        closed_unreachable=closed,
        do_not_contact=blocked,
    )


def _differences(ours: Any, peer: Any, path: str = "") -> list[str]:
    """Where two report JSONs differ, as `key.path: ours != peer` lines."""
    if isinstance(ours, dict) and isinstance(peer, dict):
        found = []
        for key in sorted(set(ours) | set(peer)):
            found += _differences(ours.get(key), peer.get(key), f"{path}.{key}" if path else key)
        return found
    if isinstance(ours, list) and isinstance(peer, list) and len(ours) == len(peer):
        return [
            line
            for index, pair in enumerate(zip(ours, peer, strict=True))
            for line in _differences(*pair, f"{path}[{index}]")
        ]
    return [] if ours == peer else [f"{path}: {ours!r} != {peer!r}"]


def _median_seconds(work: Any, runs: int = 3) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def report_results(db: Database, as_of: dt.datetime, label: str) -> list[tuple[str, str, str]]:
    results: list[tuple[str, str, str]] = []
    for days in (GOAL_DAYS, 30):
        period = Period(as_of.date() - dt.timedelta(days=days - 1), as_of.date())
        ours_seconds, ours = _median_seconds(lambda period=period: compute_report(db, ReportQuery(period), as_of))
        peer_seconds, peer = _median_seconds(lambda period=period: python_pass(db, period, as_of))
        attempts = ours.current.totals.attempts, peer.current.totals.attempts
        differences = _differences(ours.as_dict(), peer.as_dict())
        results += [
            (label, f"report, {days} days (attempts: ours {attempts[0]:,}, peer {attempts[1]:,})", _ms(ours_seconds)),
            (label, f"peer: Python pass over the {days} days, same figures", _ms(peer_seconds)),
            (label, f"ratio peer / our report, {days} days", f"{peer_seconds / ours_seconds:,.2f}x"),
            (label, f"figures that differ, {days} days", f"{len(differences):,}"),
        ]  # fmt: skip
        for line in differences[:5]:
            print(f"report {days} days differs: {line}")
        if days == GOAL_DAYS:
            measured = f"{_ms(ours_seconds)} vs {_ms(peer_seconds)}"
            goals_table.record(
                f"report {label}", f"ours ahead of the Python pass, {days} days", measured, ours_seconds < peer_seconds
            )
            goals_table.record(
                f"report {label}", f"peer figures equal ours, {days} days", f"{len(differences):,} differences",
                not differences,
            )  # fmt: skip
    return results


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"
