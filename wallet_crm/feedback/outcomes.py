"""The attempts behind a figure: the drill-down list of the Feedback page and the `outcomes` export.

`outcome_ids` returns the ordered ids of the attempts a figure counted (same `Scope`, plus the
figure's own condition), latest first; `outcome_rows` fetches the rows of a page of them, with the
customer, the task's reasons and the topics.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from peewee import Database

from wallet_crm.feedback.figures import first_reached_failed_payments
from wallet_crm.feedback.kpis import KPIS, WIN_BACK
from wallet_crm.feedback.period import Period
from wallet_crm.feedback.scope import ReportQuery, Scope
from wallet_crm.followup.timeline import attempt_topics
from wallet_crm.followup.vocabulary import REASONS
from wallet_crm.stored_time import from_db_time

_CHUNK = 500

# The figures with attempts behind them (the KPI registry's drill-down), in the registry's order.
FIGURES_WITH_ATTEMPTS = tuple(key for key, kpi in KPIS.items() if kpi.drill is not None)


@dataclass(frozen=True)
class Focus:
    """What was clicked: a figure key, a category, a topic, an agent or a week (None: every attempt)."""

    figure: str | None = None
    category: str | None = None
    topic: str | None = None
    agent_id: int | None = None
    week: Period | None = None


@dataclass(frozen=True)
class OutcomeRow:
    attempt_id: int
    attempted_at: dt.datetime
    agent: str
    task_id: int
    reasons: tuple[str, ...]  # strongest first
    customer_id: int
    customer_external_id: str | None
    customer_name: str | None
    phone: str | None  # in full: mask it before showing (`formatting.mask_phone`)
    channel: str
    disposition: str
    reached: bool
    csat: int | None
    nps: int | None
    category: str | None
    topics: tuple[str, ...]
    notes: str | None
    callback_at: dt.datetime | None


def outcome_ids(db: Database, query: ReportQuery, focus: Focus = Focus()) -> array[int]:
    """Ids of the attempts in the query's scope that `focus` picks, latest first."""
    scope = Scope.of(query, focus.week)
    if focus.agent_id is not None:
        scope = Scope(scope.start, scope.end, focus.agent_id, scope.reason)
    kpi = KPIS.get(focus.figure) if focus.figure is not None else None
    if kpi is not None and kpi.drill == WIN_BACK:
        firsts = sorted(first_reached_failed_payments(db, scope), key=lambda first: (first[3], first[0]), reverse=True)
        return array("q", (attempt_id for attempt_id, *_rest in firsts))
    where, params = scope.where(db)
    p = db.param
    if focus.figure is not None:
        if kpi is None or kpi.drill is None:
            raise ValueError(f"no attempts stand behind the figure {focus.figure!r}")
        if kpi.drill:
            where += f" AND {kpi.drill.format(p=p)}"
            params += kpi.drill_params
    if focus.category is not None:
        where += f" AND a.category = {p}"
        params.append(focus.category)
    if focus.topic is not None:
        where += f" AND EXISTS (SELECT 1 FROM attempt_topics t WHERE t.attempt_id = a.id AND t.topic = {p})"
        params.append(focus.topic)
    rows = db.execute_sql(
        f"SELECT a.id FROM contact_attempts a WHERE {where} ORDER BY a.attempted_at DESC, a.id DESC", tuple(params)
    )
    return array("q", (int(row[0]) for row in rows))


def outcome_rows(db: Database, ids: Sequence[int]) -> dict[int, OutcomeRow]:
    """The rows of `ids` (a page, or chunks of an export), keyed by attempt id."""
    p = db.param
    rows: dict[int, OutcomeRow] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = tuple(int(attempt_id) for attempt_id in ids[start : start + _CHUNK])
        marks = ", ".join([p] * len(chunk))
        found = list(
            db.execute_sql(
                "SELECT a.id, a.attempted_at, g.name, a.task_id, a.customer_id, c.external_id, c.name, c.phone, "
                "a.channel, a.disposition, a.reached, a.csat, a.nps, a.category, a.notes, a.callback_at "
                "FROM contact_attempts a JOIN agents g ON g.id = a.agent_id JOIN customers c ON c.id = a.customer_id "
                f"WHERE a.id IN ({marks})",
                chunk,
            )
        )
        task_ids = tuple(sorted({int(r[3]) for r in found}))
        reasons: dict[int, list[str]] = {}
        if task_ids:
            for task_id, reason in db.execute_sql(
                f"SELECT task_id, reason FROM task_reasons WHERE task_id IN ({', '.join([p] * len(task_ids))})",
                task_ids,
            ):
                reasons.setdefault(int(task_id), []).append(str(reason))
        topics = attempt_topics(db, chunk)
        for r in found:
            attempt_id = int(r[0])
            rows[attempt_id] = OutcomeRow(
                attempt_id=attempt_id,
                attempted_at=from_db_time(r[1]),
                agent=str(r[2]),
                task_id=int(r[3]),
                reasons=tuple(sorted(reasons.get(int(r[3]), ()), key=REASONS.index)),
                customer_id=int(r[4]),
                customer_external_id=r[5],
                customer_name=r[6],
                phone=r[7],
                channel=str(r[8]),
                disposition=str(r[9]),
                reached=bool(r[10]),
                csat=None if r[11] is None else int(r[11]),
                nps=None if r[12] is None else int(r[12]),
                category=r[13],
                topics=topics.get(attempt_id, ()),
                notes=r[14],
                callback_at=None if r[15] is None else from_db_time(r[15]),
            )
    return rows
