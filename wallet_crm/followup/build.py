"""Build the queue: merge the rules' candidates into one open task per customer, idempotently.

For each customer with candidates or an open task:
- customers marked do-not-contact or with an invalid phone get no task (an open one is cancelled);
- a candidate whose trigger is not newer than one already handled (on a closed task) is ignored,
  so a resolved failed payment is not queued again while it stays in the look-back window;
- a customer reached within the cooldown gets no new task or reason, except the exempt reasons;
- an open task takes new reasons, follows a reason whose trigger moved, and loses a reason that no
  longer applies only while nobody has tried to call yet (no reasons left: closed as `obsolete`);
- priority and top reason are recomputed; a task is written only when something differs.
So a second build with the same `as_of` writes nothing. Candidates are read before the write
transaction (the long part); the merge reads the tasks again inside it, so outcomes logged in the
meantime are respected, and, when another connection committed since the candidates were read,
drops those whose customer or triggering transaction an undo deleted meanwhile (the undo marked the
queue stale again, and that newer mark stays for the next build). The merge also clears the stale
mark an import or undo left (`stale.py`); `rebuild_if_stale` is what every face calls after an
import or undo and before it shows the queue.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

from peewee import Database

from wallet_crm.collector import collector_paused
from wallet_crm.db.bulk import (
    bulk_cache,
    execute_many,
    foreign_keys_trusted,
    insert_returning,
    insert_rows,
    time_parser,
)
from wallet_crm.db.checkpoint import checkpoint_after
from wallet_crm.db.dialect import commit_count, refresh_statistics, take_build_lock
from wallet_crm.followup.rules import Candidate, Candidates, collect_candidates, stop_if_cancelled
from wallet_crm.followup.scoring import priority, priority_scorer, strongest, top_priority
from wallet_crm.followup.settings import FollowupSettings, load_settings
from wallet_crm.followup.stale import clear_stale_mark, stale_mark
from wallet_crm.stored_time import db_time, db_time_memo, from_db_time

log = logging.getLogger(__name__)
CHUNK = 500
FEW_CUSTOMERS = 20 * CHUNK  # up to this many, a query by customer ids beats reading all the rows
_rebuilding = threading.Lock()  # one `rebuild_if_stale` at a time in this process


@dataclass(frozen=True)
class BuildResult:
    created: int
    updated: int
    closed: int
    open: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


class StoredReason(NamedTuple):
    """A reason on an open task; its times are parsed only when the task's times are recomputed (rarely)."""

    id: int
    reason: str
    triggered_at: dt.datetime
    amount_fen: int | None
    transaction_id: int | None
    attempt_id: int | None
    available_raw: Any
    due_raw: Any

    @property
    def available_at(self) -> dt.datetime:
        return from_db_time(self.available_raw)

    @property
    def due_at(self) -> dt.datetime:
        return from_db_time(self.due_raw)


@dataclass(slots=True)
class OpenTask:
    id: int
    customer_id: int
    attempts: int
    priority: int
    top_reason: str
    amount_fen: int | None
    available_raw: Any  # as stored, parsed on use: most tasks of a rebuild only get their priority checked
    due_raw: Any
    reasons: dict[str, StoredReason] = field(default_factory=dict)

    @property
    def available_at(self) -> dt.datetime:
        return from_db_time(self.available_raw)

    @property
    def due_at(self) -> dt.datetime:
        return from_db_time(self.due_raw)


@dataclass
class Plan:
    """The writes a merge decided on; nothing is written until `apply_plan`."""

    new_tasks: list[tuple[int, list[Candidate]]] = field(default_factory=list)
    add_reasons: list[tuple[int, Candidate]] = field(default_factory=list)
    change_reasons: list[tuple[int, Candidate]] = field(default_factory=list)
    drop_reasons: list[int] = field(default_factory=list)
    task_updates: list[tuple[int, int, str, int | None, dt.datetime, dt.datetime]] = field(default_factory=list)
    priority_updates: list[tuple[int, int]] = field(default_factory=list)
    closes: list[tuple[int, str]] = field(default_factory=list)
    updated_tasks: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class MergeContext:
    """What the merge must know besides the candidates and the open tasks."""

    handled: dict[tuple[int, str], dt.datetime]  # (customer, reason) -> latest trigger on a closed task
    blocked: set[int]  # do-not-contact or invalid phone
    cooled: set[int]  # reached within the cooldown
    exempt: tuple[str, ...]
    complete: bool  # the candidates are every rule's for these customers (False: just some new ones)


def build_queue(
    db: Database,
    as_of: dt.datetime,
    settings: FollowupSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    before_merge: Callable[[], None] | None = None,
) -> BuildResult:
    """Run every enabled rule at `as_of` and bring the open tasks in line; one transaction.

    The stale mark seen before reading the candidates is cleared with the merge: a newer one (an import
    or undo that committed meanwhile) stays for the next build. `before_merge` runs between reading the
    candidates and the merge transaction (the tests commit other writes there). The cyclic collector
    rests meanwhile (see `collector.py`): a build makes ~400k short-lived objects and no cycles."""
    with collector_paused():
        return _build_queue(db, as_of, settings or load_settings(db), progress, cancel, before_merge)


def _build_queue(
    db: Database,
    as_of: dt.datetime,
    settings: FollowupSettings,
    progress: Callable[[int, int], None] | None,
    cancel: threading.Event | None,
    before_merge: Callable[[], None] | None,
) -> BuildResult:
    as_of = as_of.replace(microsecond=0)
    commits = commit_count(db)
    mark = stale_mark(db)
    candidates = collect_candidates(db, as_of, settings, progress, cancel)
    stop_if_cancelled(cancel)
    if before_merge is not None:
        before_merge()
    # Every id the merge writes comes from rows it reads under the write lock: no per-row foreign-key look-ups.
    with foreign_keys_trusted(db), checkpoint_after(db), db.atomic():
        take_build_lock(db)  # one merge at a time, also across PCs on a team's PostgreSQL server
        others_wrote = commits is None or commit_count(db) != commits  # counted again under the write lock
        result = merge_candidates(db, candidates, as_of, settings, complete=True, recheck=others_wrote)
        if mark is not None:
            clear_stale_mark(db, mark)
    refresh_statistics(db, ("tasks", "task_reasons"), result.created + result.updated + result.closed)
    if progress is not None:
        steps = sum(rule.enabled for rule in settings.rules.values()) + 1
        progress(steps, steps)
    log.info("queue built as of %s: %s", as_of, result.as_dict())
    return result


def rebuild_if_stale(
    db: Database,
    as_of: dt.datetime,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> BuildResult | None:
    """Rebuild the queue if an import or undo left it stale (also one whose process died before it could
    rebuild); None when it was up to date. One rebuild at a time per process: a second caller waits, then
    finds the mark cleared."""
    if stale_mark(db) is None:
        return None
    with _rebuilding:
        mark = stale_mark(db)
        if mark is None:
            return None
        log.info("the queue is stale (%s); rebuilding", mark.rsplit(" ", 1)[0])
        return build_queue(db, as_of, progress=progress, cancel=cancel)


def merge_candidates(
    db: Database,
    candidates: Candidates,
    as_of: dt.datetime,
    settings: FollowupSettings,
    complete: bool,
    recheck: bool = True,
) -> BuildResult:
    """Merge `candidates` into the open tasks in one transaction (nested in the caller's, if any).

    With `complete=False` only the given customers are looked at and their other reasons are kept:
    logging an outcome uses that to add a callback or a complaint recheck at once. `recheck=False`
    when nothing else committed since the candidates were read: their customers and transactions are
    all still there, and looking again costs ~0.5 s on a million transactions.
    """
    customers = None if complete else set(candidates)
    with db.atomic():
        if recheck:
            candidates = drop_vanished(db, candidates)
        open_tasks = load_open_tasks(db, customers)
        context = MergeContext(
            handled=load_handled(db, unsettled(open_tasks, candidates), customers),
            blocked=load_blocked(db, customers),
            cooled=load_cooled(db, as_of, settings.policy.cooldown_days, customers),
            exempt=settings.policy.cooldown_exempt,
            complete=complete,
        )
        plan = plan_merge(open_tasks, candidates, context, as_of)
        with bulk_cache(db):
            apply_plan(db, plan, as_of)
        still_open = int(
            db.execute_sql(f"SELECT COUNT(*) FROM tasks WHERE status = {db.param}", ("open",)).fetchone()[0]
        )
    return BuildResult(
        created=len(plan.new_tasks), updated=len(plan.updated_tasks), closed=len(plan.closes), open=still_open
    )


# --- reading the current state ----------------------------------------------------------------------


def _in_chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    items = sorted(ids)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _customer_filter(db: Database, column: str, customers: set[int] | None) -> Iterable[tuple[str, list[int]]]:
    """`("", [])` once for everyone, else `(" AND column IN (...)", chunk)` per chunk of customers."""
    if customers is None:
        yield "", []
        return
    for chunk in _in_chunks(customers):
        yield f" AND {column} IN ({', '.join([db.param] * len(chunk))})", chunk


def _existing(db: Database, table: str, ids: Iterable[int]) -> set[int]:
    """Those of `ids` that are still rows of `table`."""
    found: set[int] = set()
    for chunk in _in_chunks(set(ids)):
        rows = db.execute_sql(f"SELECT id FROM {table} WHERE id IN ({', '.join([db.param] * len(chunk))})", chunk)
        found.update(int(row[0]) for row in rows)
    return found


def drop_vanished(db: Database, candidates: Candidates) -> Candidates:
    """`candidates` without the customers and triggering transactions that are gone (an undo committed after
    they were read). The caller holds the write transaction: on SQLite that is the write lock, so what is
    left stays until the merge commits (on PostgreSQL an undo can still commit in between; rare, not handled).
    A task or reason for a deleted customer would fail its foreign key, one for a deleted transaction would
    explain itself by a row that no longer exists."""
    transactions = {c.transaction_id for by in candidates.values() for c in by.values() if c.transaction_id is not None}
    gone_customers = set(candidates) - _existing(db, "customers", candidates)
    gone_transactions = transactions - _existing(db, "transactions", transactions)
    if not gone_customers and not gone_transactions:
        return candidates
    kept: Candidates = {}
    for customer_id, by_reason in candidates.items():
        left = {reason: c for reason, c in by_reason.items() if c.transaction_id not in gone_transactions}
        if left and customer_id not in gone_customers:
            kept[customer_id] = left
    dropped = sum(map(len, candidates.values())) - sum(map(len, kept.values()))
    log.info("dropped %d candidates whose customer or transaction was removed meanwhile", dropped)
    return kept


def load_open_tasks(db: Database, customers: set[int] | None = None) -> dict[int, OpenTask]:
    """Open tasks with their reasons, by customer."""
    p = db.param
    parse = time_parser(db)
    tasks: dict[int, OpenTask] = {}
    by_id: dict[int, OpenTask] = {}
    for where, chunk in _customer_filter(db, "t.customer_id", customers):
        for task_id, customer_id, attempts, score, top, amount, available_at, due_at in db.execute_sql(
            "SELECT t.id, t.customer_id, t.attempts, t.priority, t.top_reason, t.amount_fen, t.available_at, t.due_at "
            f"FROM tasks t WHERE t.status = {p}{where}",
            ("open", *chunk),
        ):
            task = OpenTask(task_id, customer_id, attempts, score, top, amount, available_at, due_at)
            tasks[customer_id] = task
            by_id[task_id] = task
        for (
            reason_id,
            task_id,
            reason,
            triggered_at,
            amount,
            txn_id,
            attempt_id,
            available_at,
            due_at,
        ) in db.execute_sql(
            "SELECT r.id, r.task_id, r.reason, r.triggered_at, r.amount_fen, r.transaction_id, r.attempt_id, "
            "r.available_at, r.due_at FROM task_reasons r JOIN tasks t ON t.id = r.task_id "
            f"WHERE t.status = {p}{where}",
            ("open", *chunk),
        ):
            by_id[task_id].reasons[reason] = StoredReason(
                reason_id, reason, parse(triggered_at), amount, txn_id, attempt_id, available_at, due_at
            )
    return tasks


def unsettled(open_tasks: dict[int, OpenTask], candidates: Candidates) -> dict[tuple[int, str], dt.datetime]:
    """The (customer, reason) candidates no open task has yet, with their triggers: only their welcome depends on
    what was handled. On a rebuild that is a few thousand of ~90k."""
    wanted: dict[tuple[int, str], dt.datetime] = {}
    for customer_id, by_reason in candidates.items():
        task = open_tasks.get(customer_id)
        for reason, candidate in by_reason.items():
            if task is None or reason not in task.reasons:
                wanted[(customer_id, reason)] = candidate.triggered_at
    return wanted


def load_handled(
    db: Database, wanted: dict[tuple[int, str], dt.datetime], customers: set[int] | None = None
) -> dict[tuple[int, str], dt.datetime]:
    """The latest trigger per (customer, reason) on closed tasks, for the `wanted` pairs (an earlier one than the
    candidate's own trigger can't refuse it); `obsolete` tasks were never worked.

    The rows come back unsorted and are sifted here: grouping them in SQL walks the reasons in index order, 4x
    slower. Stored times are compared as stored (SQLite's text sorts as the times do); only each latest is parsed.
    A rebuild wants a few thousand pairs: their customers' rows are asked for by id instead (half the time).
    """
    if not wanted:
        return {}
    if customers is None:
        asked = {customer_id for customer_id, _ in wanted}
        customers = asked if len(asked) <= FEW_CUSTOMERS else None
    p = db.param
    earliest = db_time(min(wanted.values()))
    latest: dict[tuple[int, str], Any] = {}
    for where, chunk in _customer_filter(db, "r.customer_id", customers):
        for customer_id, reason, triggered_at in db.execute_sql(
            "SELECT r.customer_id, r.reason, r.triggered_at FROM task_reasons r JOIN tasks t ON t.id = r.task_id "
            f"WHERE r.triggered_at >= {p} AND t.status <> {p} AND t.status <> {p}{where}",
            (earliest, "open", "obsolete", *chunk),
        ):
            key = (customer_id, reason)
            if key in wanted and (key not in latest or triggered_at > latest[key]):
                latest[key] = triggered_at
    return {key: from_db_time(value) for key, value in latest.items()}


def load_blocked(db: Database, customers: set[int] | None = None) -> set[int]:
    p = db.param
    blocked: set[int] = set()
    for where, chunk in _customer_filter(db, "id", customers):
        rows = db.execute_sql(
            f"SELECT id FROM customers WHERE (do_not_contact = {p} OR phone_invalid = {p}){where}", (True, True, *chunk)
        )
        blocked.update(int(row[0]) for row in rows)
    return blocked


def load_cooled(db: Database, as_of: dt.datetime, days: int, customers: set[int] | None = None) -> set[int]:
    """Customers reached within the last `days` days."""
    p = db.param
    cooled: set[int] = set()
    if days <= 0:
        return cooled
    for where, chunk in _customer_filter(db, "customer_id", customers):
        rows = db.execute_sql(
            f"SELECT DISTINCT customer_id FROM contact_attempts WHERE attempted_at >= {p} AND attempted_at <= {p} "
            f"AND reached = {p}{where}",
            (db_time(as_of - dt.timedelta(days=days)), db_time(as_of), True, *chunk),
        )
        cooled.update(int(row[0]) for row in rows)
    return cooled


# --- deciding ---------------------------------------------------------------------------------------


def plan_merge(
    open_tasks: dict[int, OpenTask], candidates: Candidates, context: MergeContext, as_of: dt.datetime
) -> Plan:
    """Pure: what to write so the open tasks reflect `candidates` (see the module docstring)."""
    plan = Plan()
    for customer_id in sorted(set(open_tasks) | set(candidates)):
        task = open_tasks.get(customer_id)
        if customer_id in context.blocked:
            if task is not None:
                plan.closes.append((task.id, "cancelled"))
            continue
        offered = candidates.get(customer_id, {})
        if task is None:
            new = [candidate for reason, candidate in sorted(offered.items()) if _welcome(context, candidate)]
            if new:
                plan.new_tasks.append((customer_id, new))
            continue
        _plan_open_task(plan, task, offered, context, as_of)
    return plan


def _welcome(context: MergeContext, candidate: Candidate) -> bool:
    """Not handled already, and not held back by the cooldown."""
    handled = context.handled.get((candidate.customer_id, candidate.reason))
    if handled is not None and candidate.triggered_at <= handled:
        return False
    return candidate.customer_id not in context.cooled or candidate.reason in context.exempt


def _plan_open_task(
    plan: Plan, task: OpenTask, offered: dict[str, Candidate], context: MergeContext, as_of: dt.datetime
) -> None:
    reasons: dict[str, StoredReason | Candidate] = dict(task.reasons)
    arrived: list[Candidate] = []
    for code, stored in task.reasons.items():
        candidate = offered.get(code)
        if candidate is None:
            if context.complete and task.attempts == 0:  # no longer applies, and nobody has called yet
                plan.drop_reasons.append(stored.id)
                del reasons[code]
        elif not candidate.same_trigger(stored):
            plan.change_reasons.append((stored.id, candidate))
            reasons[code] = candidate
            arrived.append(candidate)
    for code, candidate in sorted(offered.items()):
        if code not in task.reasons and _welcome(context, candidate):
            plan.add_reasons.append((task.id, candidate))
            reasons[code] = candidate
            arrived.append(candidate)
    if not reasons:
        plan.closes.append((task.id, "obsolete"))
        return
    if len(reasons) == len(task.reasons) and not arrived:  # the common case on a rebuild: only the recency moved
        score = priority(reasons.values(), as_of)
        if score != task.priority:
            plan.priority_updates.append((task.id, score))
            plan.updated_tasks.add(task.id)
        return
    if task.attempts == 0:  # no disposition has moved the times: they follow the reasons
        available_at = min(reason.available_at for reason in reasons.values())
        due_at = min(reason.due_at for reason in reasons.values())
    else:  # keep the retry/follow-up times, but a new reason may make the call sooner
        available_at = min([task.available_at, *(c.available_at for c in arrived)])
        due_at = min([task.due_at, *(c.due_at for c in arrived)])
    top = strongest(reasons.values())
    fields = (top_priority(top, as_of), top.reason, top.amount_fen, available_at, due_at)
    if fields != (task.priority, task.top_reason, task.amount_fen, task.available_at, task.due_at):
        plan.task_updates.append((task.id, *fields))
    plan.updated_tasks.add(task.id)  # its reasons changed


# --- writing ----------------------------------------------------------------------------------------


def _reason_row(task_id: int, candidate: Candidate, now: str, text: Callable[[dt.datetime], str]) -> tuple[object, ...]:
    return (
        task_id,
        candidate.customer_id,
        candidate.reason,
        candidate.transaction_id,
        candidate.attempt_id,
        candidate.amount_fen,
        text(candidate.triggered_at),
        text(candidate.available_at),
        text(candidate.due_at),
        now,
    )


REASON_COLUMNS = (
    "task_id",
    "customer_id",
    "reason",
    "transaction_id",
    "attempt_id",
    "amount_fen",
    "triggered_at",
    "available_at",
    "due_at",
    "created_at",
)


def apply_plan(db: Database, plan: Plan, as_of: dt.datetime) -> None:
    """Write a plan; the caller holds the transaction."""
    p = db.param
    now = db_time(as_of)
    text = db_time_memo()
    execute_many(
        db,
        f"UPDATE tasks SET status = {p}, closed_at = {p}, updated_at = {p}, held_by_id = NULL, held_until = NULL "
        f"WHERE id = {p} AND status = {p}",
        [(status, now, now, task_id, "open") for task_id, status in plan.closes],
    )
    execute_many(db, f"DELETE FROM task_reasons WHERE id = {p}", [(reason_id,) for reason_id in plan.drop_reasons])
    execute_many(
        db,
        f"UPDATE task_reasons SET transaction_id = {p}, attempt_id = {p}, amount_fen = {p}, triggered_at = {p}, "
        f"available_at = {p}, due_at = {p} WHERE id = {p}",
        [
            (
                c.transaction_id,
                c.attempt_id,
                c.amount_fen,
                text(c.triggered_at),
                text(c.available_at),
                text(c.due_at),
                reason_id,
            )
            for reason_id, c in plan.change_reasons
        ],
    )
    insert_rows(
        db, "task_reasons", REASON_COLUMNS, [_reason_row(task_id, c, now, text) for task_id, c in plan.add_reasons]
    )
    execute_many(
        db,
        f"UPDATE tasks SET priority = {p}, top_reason = {p}, amount_fen = {p}, available_at = {p}, due_at = {p}, "
        f"updated_at = {p} WHERE id = {p}",
        [
            (score, top, amount, text(available), text(due), now, task_id)
            for task_id, score, top, amount, available, due in plan.task_updates
        ],
    )
    execute_many(
        db,
        f"UPDATE tasks SET priority = {p}, updated_at = {p} WHERE id = {p}",
        [(score, now, task_id) for task_id, score in plan.priority_updates],
    )
    _insert_new_tasks(db, plan.new_tasks, as_of, text)


def _new_task_row(
    customer_id: int,
    reasons: list[Candidate],
    score: Callable[[Candidate], int],
    now: str,
    text: Callable[[dt.datetime], str],
) -> tuple[object, ...]:
    """A new task: about its strongest reason, callable and due with its earliest one (most have just one reason)."""
    if len(reasons) == 1:
        top = reasons[0]
        available_at, due_at = top.available_at, top.due_at
    else:
        top = strongest(reasons)
        available_at, due_at = min(c.available_at for c in reasons), min(c.due_at for c in reasons)
    return (
        customer_id,
        "open",
        score(top),
        top.reason,
        top.amount_fen,
        text(available_at),
        text(due_at),
        0,
        now,
        now,
    )


def _insert_new_tasks(
    db: Database, new_tasks: list[tuple[int, list[Candidate]]], as_of: dt.datetime, text: Callable[[dt.datetime], str]
) -> None:
    if not new_tasks:
        return
    now = db_time(as_of)
    score = priority_scorer(as_of)
    inserted = insert_returning(
        db,
        "tasks",
        (
            "customer_id",
            "status",
            "priority",
            "top_reason",
            "amount_fen",
            "available_at",
            "due_at",
            "attempts",
            "created_at",
            "updated_at",
        ),
        [_new_task_row(customer_id, reasons, score, now, text) for customer_id, reasons in new_tasks],
        ("id", "customer_id"),
    )
    task_ids = {int(customer_id): int(task_id) for task_id, customer_id in inserted}
    insert_rows(
        db,
        "task_reasons",
        REASON_COLUMNS,
        [_reason_row(task_ids[customer_id], c, now, text) for customer_id, reasons in new_tasks for c in reasons],
    )
