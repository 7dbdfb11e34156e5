"""Read-only queries behind the queue page: ordered task ids for a filter, then rows a page at a time.

The same shape as `wallet_crm/db/browse.py`: `queue_ids` runs one indexed query for the whole
filtered, sorted list (8 bytes a task), `queue_rows` fetches the rows of the ids on screen.
The default order (priority, then due time) is read straight off the `tasks_status_priority_due_at` index.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from peewee import Database

from wallet_crm.followup.scoring import explain
from wallet_crm.followup.vocabulary import REASONS, check_language
from wallet_crm.formatting import mask_phone
from wallet_crm.stored_time import db_time, from_db_time


@dataclass(frozen=True)
class QueueQuery:
    status: str | None = "open"  # None: tasks of every status
    reason: str | None = None  # tasks that have this reason (not only as the strongest)
    assignee_id: int | None = None  # "mine": the working agent's id
    unassigned: bool = False
    overdue_only: bool = False  # open tasks past their due time at `as_of`
    as_of: dt.datetime | None = None
    sort_key: str = "priority"
    descending: bool = True


@dataclass(frozen=True)
class QueueRow:
    task_id: int
    customer_id: int
    customer_name: str | None
    phone_masked: str
    has_phone: bool  # a phone number that can be called; without one the customer is followed up another way
    priority: int
    reasons: tuple[str, ...]  # strongest first
    explanation: str
    amount_fen: int | None
    due_at: dt.datetime
    available_at: dt.datetime
    attempts: int
    assignee: str | None
    held_by: str | None  # only while the hold lasts
    status: str
    overdue: bool


# Sort key -> ORDER BY terms for ascending order (descending flips each); ties end on the id.
SORT_KEYS: Mapping[str, tuple[str, ...]] = {
    "priority": ("t.priority", "t.due_at DESC"),
    "due_at": ("t.due_at",),
    "available_at": ("t.available_at",),
    "attempts": ("t.attempts",),
    "amount_fen": ("t.amount_fen",),
    "reasons": ("t.top_reason",),
    "customer": ("c.name",),
    "phone": ("c.phone",),
    "assignee": ("g.name",),
    "status": ("t.status",),
    "created_at": ("t.created_at",),
}


def _flip(term: str) -> str:
    return term[: -len(" DESC")] if term.endswith(" DESC") else f"{term} DESC"


def _where(db: Database, query: QueueQuery) -> tuple[list[str], list[object]]:
    p = db.param
    conditions: list[str] = []
    params: list[object] = []
    if query.status is not None:
        conditions.append(f"t.status = {p}")
        params.append(query.status)
    if query.reason is not None:
        conditions.append(f"EXISTS (SELECT 1 FROM task_reasons r WHERE r.task_id = t.id AND r.reason = {p})")
        params.append(query.reason)
    if query.assignee_id is not None:
        conditions.append(f"t.assigned_to_id = {p}")
        params.append(query.assignee_id)
    elif query.unassigned:
        conditions.append("t.assigned_to_id IS NULL")
    if query.overdue_only:
        if query.as_of is None:
            raise ValueError("overdue_only needs as_of")
        conditions.append(f"t.status = {p} AND t.due_at < {p}")
        params += ["open", db_time(query.as_of)]
    return conditions, params


def queue_sql(db: Database, query: QueueQuery) -> tuple[str, list[object]]:
    """The SELECT behind `queue_ids` (also for EXPLAIN in the benchmark)."""
    conditions, params = _where(db, query)
    key = query.sort_key if query.sort_key in SORT_KEYS else "priority"
    order = [_flip(term) if query.descending else term for term in SORT_KEYS[key]]
    # Ties by id in the direction that lets "priority, highest first" come straight off the index.
    order.append("t.id DESC" if query.descending != (key == "priority") else "t.id")
    joins = ""
    if key in ("customer", "phone"):
        joins += " JOIN customers c ON c.id = t.customer_id"
    if key == "assignee":
        joins += " LEFT JOIN agents g ON g.id = t.assigned_to_id"
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return f"SELECT t.id FROM tasks t{joins}{where} ORDER BY {', '.join(order)}", params


def queue_ids(db: Database, query: QueueQuery) -> array[int]:
    """Ids of the matching tasks in display order."""
    sql, params = queue_sql(db, query)
    return array("q", (int(row[0]) for row in db.execute_sql(sql, tuple(params))))


def queue_rows(db: Database, ids: Sequence[int], as_of: dt.datetime, language: str = "zh_CN") -> dict[int, QueueRow]:
    """Display rows for `ids` (a page), keyed by task id; the explanation is worded for `as_of`."""
    check_language(language)
    if not ids:
        return {}
    p = db.param
    id_list = [int(task_id) for task_id in ids]
    marks = ", ".join([p] * len(id_list))
    reasons: dict[int, list[_Trigger]] = {}
    for task_id, reason, triggered_at, amount in db.execute_sql(
        f"SELECT task_id, reason, triggered_at, amount_fen FROM task_reasons WHERE task_id IN ({marks})",
        tuple(id_list),
    ):
        reasons.setdefault(int(task_id), []).append(
            _Trigger(str(reason), from_db_time(triggered_at), None if amount is None else int(amount))
        )
    rows: dict[int, QueueRow] = {}
    for r in db.execute_sql(
        "SELECT t.id, t.customer_id, c.name, c.phone, t.priority, t.amount_fen, t.due_at, t.available_at, t.attempts, "
        "a.name, h.name, t.held_until, t.status, c.phone_callable "
        "FROM tasks t JOIN customers c ON c.id = t.customer_id "
        "LEFT JOIN agents a ON a.id = t.assigned_to_id LEFT JOIN agents h ON h.id = t.held_by_id "
        f"WHERE t.id IN ({marks})",
        tuple(id_list),
    ):
        task_id = int(r[0])
        triggers = sorted(reasons.get(task_id, []), key=lambda trigger: REASONS.index(trigger.reason))
        due_at = from_db_time(r[6])
        held = r[11] is not None and from_db_time(r[11]) > as_of
        rows[task_id] = QueueRow(
            task_id=task_id,
            customer_id=int(r[1]),
            customer_name=r[2],
            phone_masked=mask_phone(r[3]),
            has_phone=r[3] is not None and bool(r[13]),
            priority=int(r[4]),
            reasons=tuple(trigger.reason for trigger in triggers),
            explanation=explain(triggers, int(r[8]), as_of, language, status=str(r[12])) if triggers else "",
            amount_fen=None if r[5] is None else int(r[5]),
            due_at=due_at,
            available_at=from_db_time(r[7]),
            attempts=int(r[8]),
            assignee=r[9],
            held_by=r[10] if held else None,
            status=str(r[12]),
            overdue=str(r[12]) == "open" and due_at < as_of,
        )
    return rows


@dataclass(frozen=True)
class _Trigger:
    reason: str
    triggered_at: dt.datetime
    amount_fen: int | None


def task_count(db: Database, query: QueueQuery) -> int:
    """How many tasks match `query` (a task with several reasons counts once)."""
    conditions, params = _where(db, query)
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return int(db.execute_sql(f"SELECT COUNT(*) FROM tasks t{where}", tuple(params)).fetchone()[0])


def reason_counts(db: Database, query: QueueQuery) -> dict[str, int]:
    """Tasks per reason under the query's other filters (its own reason filter is ignored); every reason listed."""
    conditions, params = _where(db, replace(query, reason=None))
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    counts = dict.fromkeys(REASONS, 0)
    for reason, count in db.execute_sql(
        f"SELECT r.reason, COUNT(*) FROM task_reasons r JOIN tasks t ON t.id = r.task_id{where} GROUP BY r.reason",
        tuple(params),
    ):
        counts[str(reason)] = int(count)
    return counts
