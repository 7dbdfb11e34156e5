"""Working the queue: hand out the next customer, hold it for one agent, log what the call gave.

"Next customer" takes the highest-priority open task that may be called now (`available_at`), is
not held by someone else and not assigned to someone else, and holds it for `hold_minutes`, so two
agents never call the same person; the same agent asking again gets its held task back first.
An agent who skips a task releases it and asks once with `exclude_task_id`, so the next call hands
out the next customer instead of the one just skipped (which stays in the queue for later). Opening
a task by hand (from the queue table) holds it with `hold_task`, unless another agent holds it.
Logging an outcome records the attempt and applies the disposition to the task in one transaction,
releases the hold, and schedules a callback or complaint recheck when the outcome asks for one.

Dispositions: reached_resolved closes the task (done); reached_followup keeps it open until the
callback time or `followup_hours` later; no_answer, busy, voicemail and unreachable (关机/停机) retry
`retry_hours` later inside calling hours, and close the task as unreachable once it has had
`max_attempts` attempts (every attempt counts, reached or not); wrong_number closes it and marks the
phone invalid; do_not_contact marks the customer and cancels their open tasks for good.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from peewee import Database

from wallet_crm.db.bulk import insert_returning_id, insert_rows
from wallet_crm.db.dialect import skip_locked
from wallet_crm.errors import FollowupError
from wallet_crm.followup.agents import get_agent
from wallet_crm.followup.build import merge_candidates
from wallet_crm.followup.customers import cancel_open_tasks
from wallet_crm.followup.hours import in_calling_hours, next_calling_time
from wallet_crm.followup.rules import callback_candidate, complaint_recheck_candidate
from wallet_crm.followup.settings import FollowupSettings, load_settings
from wallet_crm.followup.vocabulary import (
    CATEGORIES,
    CHANNELS,
    DISPOSITIONS,
    RETRY_DISPOSITIONS,
    check_language,
    disposition_label,
    in_both,
)
from wallet_crm.stored_time import db_time, from_db_time

MAX_NOTES_LENGTH = 2000


@dataclass(frozen=True)
class NextResult:
    """The task handed out (`status == "ok"`), or why there is none."""

    task_id: int | None
    status: str
    held_until: dt.datetime | None = None
    next_available_at: dt.datetime | None = None

    def message(self, language: str = "zh_CN") -> str:
        """One sentence for the agent."""
        template = _NEXT_MESSAGES[check_language(language)][self.status]
        return template.format(
            task=self.task_id,
            until=f"{self.held_until:%H:%M}" if self.held_until else "",
            when=f"{self.next_available_at:%m-%d %H:%M}" if self.next_available_at else "",
        )


_NEXT_MESSAGES = {
    "zh_CN": {
        "ok": "任务 {task} 已为您保留到 {until}。",
        "outside_calling_hours": "现在不在呼叫时段，{when} 起可以拨打。呼叫时段在 设置 → 联系策略 中修改。",
        "not_yet": "暂时没有可拨打的客户，下一个在 {when}。",
        "all_held": "可拨打的客户都在其他坐席处理中。",
        "queue_empty": "队列已清空。",
        "no_other": "没有其他可拨打的客户了；跳过的客户仍在队列中。",
    },
    "en": {
        "ok": "Task {task} is yours until {until}.",
        "outside_calling_hours": (
            "Outside calling hours; calls start again at {when}. The hours are set in Settings → Contact policy."
        ),
        "not_yet": "No customer can be called yet; the next one at {when}.",
        "all_held": "Every callable customer is being called by another agent.",
        "queue_empty": "The queue is empty.",
        "no_other": "No other customer can be called now; the one you skipped stays in the queue.",
    },
}


@dataclass(frozen=True)
class Outcome:
    """What the agent enters after a call; everything but the task, agent and disposition is optional."""

    task_id: int
    agent_id: int
    disposition: str
    channel: str = "phone"
    csat: int | None = None  # satisfaction 1-5
    nps: int | None = None  # 0-10
    category: str | None = None  # praise, complaint, suggestion, question
    topics: Sequence[str] = ()
    notes: str | None = None
    callback_at: dt.datetime | None = None


@dataclass(frozen=True)
class OutcomeResult:
    attempt_id: int
    task_id: int
    task_status: str
    attempts: int
    available_at: dt.datetime
    due_at: dt.datetime
    follow_up_task_id: int | None  # the open task for a callback or complaint recheck, if one was scheduled


# --- next / hold / release --------------------------------------------------------------------------


_CALLABLE = (
    " AND EXISTS (SELECT 1 FROM customers c"
    " WHERE c.id = tasks.customer_id AND c.phone IS NOT NULL AND c.phone_callable)"
)


def next_task(
    db: Database,
    agent_id: int,
    as_of: dt.datetime,
    settings: FollowupSettings | None = None,
    mine_only: bool = False,
    exclude_task_id: int | None = None,
) -> NextResult:
    """Hold and return the next task for `agent_id` (see the module docstring).

    `exclude_task_id` (the task the agent just skipped) is passed over this once; when it is the only
    callable one, nothing is handed out and the status is `no_other`.
    """
    settings = settings or load_settings(db)
    policy = settings.policy
    get_agent(db, agent_id)
    as_of = as_of.replace(microsecond=0)
    if not in_calling_hours(as_of, policy):
        return NextResult(None, "outside_calling_hours", next_available_at=next_calling_time(as_of, policy))
    p = db.param
    now = db_time(as_of)
    held_until = as_of + dt.timedelta(minutes=policy.hold_minutes)
    excluded = f" AND id <> {p}" if exclude_task_id is not None else ""
    exclude_params: tuple[int, ...] = () if exclude_task_id is None else (exclude_task_id,)
    with db.atomic():
        # The agent's own hold first (by the held_by index: an agent holds one task or so).
        held = db.execute_sql(
            f"SELECT id, priority, due_at FROM tasks WHERE held_by_id = {p} AND held_until > {p} AND status = {p}"
            + excluded,
            (agent_id, now, "open", *exclude_params),
        ).fetchall()
        row = min(held, key=lambda task: (-task[1], str(task[2]), task[0]), default=None)
        assignee = f"assigned_to_id = {p}" if mine_only else f"(assigned_to_id IS NULL OR assigned_to_id = {p})"
        # Customers with a phone to call first; those without one (reachable by other channels) after them.
        for phone_filter in (_CALLABLE, ""):
            if row is not None:
                break
            row = db.execute_sql(
                f"SELECT id FROM tasks WHERE status = {p} AND available_at <= {p} "
                f"AND (held_by_id IS NULL OR held_until <= {p} OR held_by_id = {p}) AND {assignee}{excluded}"
                f"{phone_filter} ORDER BY priority DESC, due_at, id LIMIT 1{skip_locked(db)}",
                ("open", now, now, agent_id, agent_id, *exclude_params),
            ).fetchone()
        if row is None:
            return _why_nothing(db, agent_id, as_of, mine_only, exclude_task_id)
        task_id = int(row[0])
        db.execute_sql(
            f"UPDATE tasks SET held_by_id = {p}, held_until = {p} WHERE id = {p}",
            (agent_id, db_time(held_until), task_id),
        )
    return NextResult(task_id, "ok", held_until=held_until)


def _why_nothing(
    db: Database, agent_id: int, as_of: dt.datetime, mine_only: bool, exclude_task_id: int | None = None
) -> NextResult:
    p = db.param
    now = db_time(as_of)
    assignee = f"assigned_to_id = {p}" if mine_only else f"(assigned_to_id IS NULL OR assigned_to_id = {p})"
    skipped = -1 if exclude_task_id is None else exclude_task_id  # task ids start at 1
    held, later, callable_skipped = db.execute_sql(
        f"SELECT SUM(CASE WHEN available_at <= {p} AND id <> {p} THEN 1 ELSE 0 END), "
        f"MIN(CASE WHEN available_at > {p} THEN available_at END), "
        f"SUM(CASE WHEN available_at <= {p} AND id = {p} THEN 1 ELSE 0 END) "
        f"FROM tasks WHERE status = {p} AND {assignee}",
        (now, skipped, now, now, skipped, "open", agent_id),
    ).fetchone()
    if held:
        return NextResult(None, "all_held")
    if callable_skipped:
        return NextResult(None, "no_other")
    if later is not None:
        return NextResult(None, "not_yet", next_available_at=from_db_time(later))
    return NextResult(None, "queue_empty")


@dataclass(frozen=True)
class HoldResult:
    """Whether `hold_task` holds the task for the agent now; if not, the task's status or who holds it."""

    task_id: int
    held: bool
    status: str  # the task's status: only an open task can be held
    held_by: str | None = None  # the other agent holding it
    held_until: dt.datetime | None = None  # this agent's hold, or the other agent's


def hold_task(
    db: Database, task_id: int, agent_id: int, as_of: dt.datetime, settings: FollowupSettings | None = None
) -> HoldResult:
    """Hold an open task for `agent_id` for `hold_minutes` (opened by hand), unless another agent holds it.

    Holding again renews the agent's own hold. A closed task, or one another agent holds, is left as it
    is and the answer says why. Raises `FollowupError` for an unknown task or agent.
    """
    settings = settings or load_settings(db)
    get_agent(db, agent_id)
    as_of = as_of.replace(microsecond=0)
    p = db.param
    now = db_time(as_of)
    held_until = as_of + dt.timedelta(minutes=settings.policy.hold_minutes)
    with db.atomic():
        cursor = db.execute_sql(
            f"UPDATE tasks SET held_by_id = {p}, held_until = {p} WHERE id = {p} AND status = {p} "
            f"AND (held_by_id IS NULL OR held_until IS NULL OR held_until <= {p} OR held_by_id = {p})",
            (agent_id, db_time(held_until), task_id, "open", now, agent_id),
        )
        if int(cursor.rowcount) > 0:
            return HoldResult(task_id, True, "open", held_until=held_until)
        task = _load_task(db, task_id)
    if task.status != "open" or task.held_by_id is None:
        return HoldResult(task_id, False, task.status)
    holder = get_agent(db, task.held_by_id, active=False)
    return HoldResult(task_id, False, task.status, held_by=holder.name, held_until=task.held_until)


def release_task(db: Database, task_id: int, agent_id: int) -> bool:
    """Give a held task back to the queue (the agent skipped it); False when it wasn't held by `agent_id`."""
    p = db.param
    with db.atomic():
        cursor = db.execute_sql(
            f"UPDATE tasks SET held_by_id = NULL, held_until = NULL WHERE id = {p} AND held_by_id = {p}",
            (task_id, agent_id),
        )
        return int(cursor.rowcount) > 0


# --- outcomes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TaskState:
    id: int
    customer_id: int
    status: str
    attempts: int
    available_at: dt.datetime
    due_at: dt.datetime
    held_by_id: int | None
    held_until: dt.datetime | None


def _load_task(db: Database, task_id: int) -> _TaskState:
    row = db.execute_sql(
        "SELECT id, customer_id, status, attempts, available_at, due_at, held_by_id, held_until "
        f"FROM tasks WHERE id = {db.param}",
        (task_id,),
    ).fetchone()
    if row is None:
        raise FollowupError(code="followup.no_task", task=task_id)
    return _TaskState(
        int(row[0]),
        int(row[1]),
        str(row[2]),
        int(row[3]),
        from_db_time(row[4]),
        from_db_time(row[5]),
        None if row[6] is None else int(row[6]),
        None if row[7] is None else from_db_time(row[7]),
    )


def validate_outcome(outcome: Outcome, as_of: dt.datetime, settings: FollowupSettings) -> tuple[str, ...]:
    """Check every value before anything is written; returns the topics cleaned of repeats."""
    if outcome.disposition not in DISPOSITIONS:
        raise FollowupError(
            code="followup.unknown_disposition", value=outcome.disposition, choices=", ".join(DISPOSITIONS)
        )
    if outcome.channel not in CHANNELS:
        raise FollowupError(code="followup.unknown_channel", value=outcome.channel, choices=", ".join(CHANNELS))
    if outcome.csat is not None and not 1 <= outcome.csat <= 5:
        raise FollowupError(code="followup.csat_range", value=outcome.csat)
    if outcome.nps is not None and not 0 <= outcome.nps <= 10:
        raise FollowupError(code="followup.nps_range", value=outcome.nps)
    if outcome.category is not None and outcome.category not in CATEGORIES:
        raise FollowupError(code="followup.unknown_category", value=outcome.category, choices=", ".join(CATEGORIES))
    topics = tuple(dict.fromkeys(topic.strip() for topic in outcome.topics))
    unknown = [topic for topic in topics if topic not in settings.topics]
    if unknown:
        raise FollowupError(code="followup.unknown_topic", value=unknown[0], choices="、".join(settings.topics))
    if outcome.notes is not None and len(outcome.notes) > MAX_NOTES_LENGTH:
        raise FollowupError(code="followup.notes_too_long", limit=MAX_NOTES_LENGTH)
    reached = DISPOSITIONS[outcome.disposition]
    has_feedback = outcome.csat is not None or outcome.nps is not None or outcome.category is not None or topics
    if has_feedback and not reached:
        raise FollowupError(
            code="followup.feedback_needs_reached", disposition=in_both(outcome.disposition, disposition_label)
        )
    if outcome.callback_at is not None:
        if outcome.disposition not in ("reached_resolved", "reached_followup"):
            raise FollowupError(
                code="followup.callback_needs_reached", disposition=in_both(outcome.disposition, disposition_label)
            )
        if outcome.callback_at <= as_of:
            raise FollowupError(code="followup.callback_past", at=f"{outcome.callback_at:%Y-%m-%d %H:%M}")
        if not in_calling_hours(outcome.callback_at, settings.policy):
            policy = settings.policy
            raise FollowupError(
                code="followup.callback_outside_hours",
                at=f"{outcome.callback_at:%H:%M}",
                start=f"{policy.calling_start:%H:%M}",
                end=f"{policy.calling_end:%H:%M}",
            )
    return topics


def log_outcome(
    db: Database, outcome: Outcome, as_of: dt.datetime, settings: FollowupSettings | None = None
) -> OutcomeResult:
    """Record one attempt and apply its disposition; all or nothing. Raises `FollowupError` for bad input."""
    settings = settings or load_settings(db)
    as_of = as_of.replace(microsecond=0)
    topics = validate_outcome(outcome, as_of, settings)
    notes = (outcome.notes or "").strip() or None
    get_agent(db, outcome.agent_id)
    with db.atomic():
        task = _load_task(db, outcome.task_id)
        if task.status != "open":
            raise FollowupError(code="followup.task_closed", task=task.id, status=in_both(task.status))
        if task.held_by_id not in (None, outcome.agent_id) and task.held_until is not None and task.held_until > as_of:
            holder = get_agent(db, task.held_by_id, active=False)
            raise FollowupError(
                code="followup.task_held", task=task.id, agent=holder.name, until=f"{task.held_until:%H:%M}"
            )
        if outcome.channel == "phone" and DISPOSITIONS.get(outcome.disposition) and not _has_callable_phone(db, task):
            raise FollowupError(code="followup.no_callable_phone", task=task.id)
        attempt_id = _insert_attempt(db, task, outcome, notes, topics, as_of)
        status, available_at, due_at = _apply_disposition(db, task, outcome, as_of, settings)
        follow_up = _schedule_follow_ups(db, task, outcome, attempt_id, as_of, settings)
    return OutcomeResult(
        attempt_id=attempt_id,
        task_id=task.id,
        task_status=status,
        attempts=task.attempts + 1,
        available_at=available_at,
        due_at=due_at,
        follow_up_task_id=follow_up,
    )


def _has_callable_phone(db: Database, task: _TaskState) -> bool:
    row = db.execute_sql(
        f"SELECT phone IS NOT NULL AND phone_callable FROM customers WHERE id = {db.param}", (task.customer_id,)
    ).fetchone()
    return bool(row and row[0])


def _insert_attempt(
    db: Database, task: _TaskState, outcome: Outcome, notes: str | None, topics: tuple[str, ...], as_of: dt.datetime
) -> int:
    attempt_id = insert_returning_id(
        db,
        "contact_attempts",
        (
            "task_id",
            "customer_id",
            "agent_id",
            "attempted_at",
            "channel",
            "disposition",
            "reached",
            "csat",
            "nps",
            "category",
            "notes",
            "callback_at",
        ),
        (
            task.id,
            task.customer_id,
            outcome.agent_id,
            db_time(as_of),
            outcome.channel,
            outcome.disposition,
            DISPOSITIONS[outcome.disposition],
            outcome.csat,
            outcome.nps,
            outcome.category,
            notes,
            db_time(outcome.callback_at) if outcome.callback_at else None,
        ),
    )
    insert_rows(db, "attempt_topics", ("attempt_id", "topic"), [(attempt_id, topic) for topic in topics])
    return attempt_id


def _apply_disposition(
    db: Database, task: _TaskState, outcome: Outcome, as_of: dt.datetime, settings: FollowupSettings
) -> tuple[str, dt.datetime, dt.datetime]:
    """The task's new status and times, written; returns (status, available_at, due_at)."""
    policy = settings.policy
    disposition = outcome.disposition
    attempts = task.attempts + 1
    status, available_at, due_at = "open", task.available_at, task.due_at
    p = db.param
    if disposition == "reached_resolved":
        status = "done"
    elif disposition == "reached_followup":
        available_at = outcome.callback_at or next_calling_time(
            as_of + dt.timedelta(hours=policy.followup_hours), policy
        )
        due_at = available_at
    elif disposition in RETRY_DISPOSITIONS:
        if attempts >= policy.max_attempts:
            status = "unreachable"
        else:
            available_at = next_calling_time(as_of + dt.timedelta(hours=policy.retry_hours), policy)
    elif disposition == "wrong_number":
        status = "wrong_number"
        db.execute_sql(f"UPDATE customers SET phone_invalid = {p} WHERE id = {p}", (True, task.customer_id))
    elif disposition == "do_not_contact":
        status = "cancelled"
        db.execute_sql(f"UPDATE customers SET do_not_contact = {p} WHERE id = {p}", (True, task.customer_id))
    now = db_time(as_of)
    db.execute_sql(
        f"UPDATE tasks SET status = {p}, attempts = {p}, available_at = {p}, due_at = {p}, updated_at = {p}, "
        f"closed_at = {p}, held_by_id = NULL, held_until = NULL WHERE id = {p}",
        (status, attempts, db_time(available_at), db_time(due_at), now, None if status == "open" else now, task.id),
    )
    if disposition == "do_not_contact":
        cancel_open_tasks(db, task.customer_id, as_of)  # any other open task (there should be none)
    return status, available_at, due_at


def _schedule_follow_ups(
    db: Database, task: _TaskState, outcome: Outcome, attempt_id: int, as_of: dt.datetime, settings: FollowupSettings
) -> int | None:
    """A complaint schedules its recheck, a callback time its call: on the open task, or a new one."""
    candidates = []
    complaint = outcome.category == "complaint" and outcome.disposition != "do_not_contact"
    if complaint and settings.rule("complaint_recheck").enabled:
        candidates.append(complaint_recheck_candidate(task.customer_id, attempt_id, as_of, settings))
    if outcome.callback_at is not None and settings.rule("callback").enabled:
        candidates.append(callback_candidate(task.customer_id, attempt_id, outcome.callback_at, settings))
    if not candidates:
        return None
    merge_candidates(db, {task.customer_id: {c.reason: c for c in candidates}}, as_of, settings, complete=False)
    row = db.execute_sql(
        f"SELECT id FROM tasks WHERE customer_id = {db.param} AND status = {db.param}", (task.customer_id, "open")
    ).fetchone()
    return None if row is None else int(row[0])
