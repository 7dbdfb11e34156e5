"""What the agent sees about one customer: the call panel of a task, and the customer's timeline.

The phone number is always masked here; the full number only comes from `customers.reveal_phone`,
which records who asked. Scripts are the team's templates with the customer's details filled in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from peewee import Database

from wallet_crm.errors import FollowupError
from wallet_crm.followup.scoring import describe_reason, explain, ordered
from wallet_crm.followup.settings import FollowupSettings, load_settings
from wallet_crm.followup.vocabulary import check_language, disposition_label, join_labels, label
from wallet_crm.formatting import format_fen, mask_phone
from wallet_crm.money import HOME_CURRENCY, format_minor, signed_minor
from wallet_crm.stored_time import from_db_time

RECENT_TRANSACTIONS = 10
_ID_CHUNK = 500
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_EMPTY_BRACKETS = re.compile(r"（\s*）|\(\s*\)")
# At the same second: the transaction, then the task it opened, the call, the task closed by the call.
_KIND_ORDER = {"transaction": 0, "task_opened": 1, "attempt": 2, "task_closed": 3}


@dataclass(frozen=True)
class CustomerCard:
    id: int
    external_id: str | None
    name: str | None
    phone_masked: str
    has_phone: bool  # a number that can be called (an import keeps an invalid one as written, not callable)
    do_not_contact: bool
    phone_invalid: bool


@dataclass(frozen=True)
class ReasonView:
    code: str
    label: str
    description: str  # `支付失败 ¥1,280.00 · 2 天前`
    triggered_at: dt.datetime
    amount_fen: int | None
    transaction_id: int | None


@dataclass(frozen=True)
class TransactionView:
    id: int
    txn_id: str
    occurred_at: dt.datetime
    txn_type: str
    status: str
    amount_fen: int
    merchant: str | None
    remark: str | None
    currency: str = HOME_CURRENCY
    direction: str | None = None

    @property
    def amount_text(self) -> str:
        """`¥45.60`, `-USD 25.00` for money out: in its own currency."""
        return format_minor(signed_minor(self.amount_fen, self.direction), self.currency)


@dataclass(frozen=True)
class AttemptView:
    id: int
    task_id: int
    attempted_at: dt.datetime
    agent: str
    channel: str
    disposition: str
    reached: bool
    csat: int | None
    nps: int | None
    category: str | None
    topics: tuple[str, ...]
    notes: str | None
    callback_at: dt.datetime | None


@dataclass(frozen=True)
class TaskDetail:
    """Everything the call panel shows for one task."""

    task_id: int
    status: str
    priority: int
    explanation: str
    reasons: tuple[ReasonView, ...]  # strongest first
    script: str
    customer: CustomerCard
    available_at: dt.datetime
    due_at: dt.datetime
    overdue: bool
    attempts: int
    max_attempts: int
    assignee: str | None
    held_by: str | None
    held_until: dt.datetime | None
    transactions: tuple[TransactionView, ...]  # the latest first
    contacts: tuple[AttemptView, ...]  # earlier attempts on any task of the customer, latest first


@dataclass(frozen=True)
class TimelineEvent:
    at: dt.datetime
    kind: str  # transaction, task_opened, task_closed, attempt
    ref_id: int
    title: str
    detail: str
    amount_fen: int | None = None


@dataclass(frozen=True)
class _Reason:
    reason: str
    triggered_at: dt.datetime
    amount_fen: int | None
    transaction_id: int | None


def _opt_time(value: Any) -> dt.datetime | None:
    return None if value is None else from_db_time(value)


def render_script(template: str, values: Mapping[str, str]) -> str:
    """Fill `{name}`-style placeholders; unknown ones stay as typed, brackets left empty go away."""
    filled = _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), template)
    return _EMPTY_BRACKETS.sub("", filled)


def customer_card(db: Database, customer_id: int) -> CustomerCard:
    row = db.execute_sql(
        "SELECT id, external_id, name, phone, do_not_contact, phone_invalid, phone_callable FROM customers "
        f"WHERE id = {db.param}",
        (customer_id,),
    ).fetchone()
    if row is None:
        raise FollowupError(code="followup.no_customer_id", customer=customer_id)
    callable_phone = row[3] is not None and bool(row[6])
    return CustomerCard(int(row[0]), row[1], row[2], mask_phone(row[3]), callable_phone, bool(row[4]), bool(row[5]))


def recent_transactions(
    db: Database, customer_id: int, limit: int = RECENT_TRANSACTIONS
) -> tuple[TransactionView, ...]:
    p = db.param
    rows = db.execute_sql(
        "SELECT id, txn_id, occurred_at, txn_type, status, amount_fen, merchant, remark, currency, direction "
        "FROM transactions "
        f"WHERE customer_id = {p} ORDER BY occurred_at DESC, id DESC LIMIT {int(limit)}",
        (customer_id,),
    )
    return tuple(
        TransactionView(
            int(r[0]), str(r[1]), from_db_time(r[2]), str(r[3]), str(r[4]), int(r[5]), r[6], r[7], str(r[8]), r[9]
        )
        for r in rows
    )


def customer_attempts(db: Database, customer_id: int) -> tuple[AttemptView, ...]:
    """Every contact attempt with the customer, latest first, with its topics."""
    p = db.param
    rows = list(
        db.execute_sql(
            "SELECT a.id, a.task_id, a.attempted_at, g.name, a.channel, a.disposition, a.reached, a.csat, a.nps, "
            "a.category, a.notes, a.callback_at FROM contact_attempts a JOIN agents g ON g.id = a.agent_id "
            f"WHERE a.customer_id = {p} ORDER BY a.attempted_at DESC, a.id DESC",
            (customer_id,),
        )
    )
    topics = attempt_topics(db, [int(row[0]) for row in rows])
    return tuple(
        AttemptView(
            id=int(r[0]),
            task_id=int(r[1]),
            attempted_at=from_db_time(r[2]),
            agent=str(r[3]),
            channel=str(r[4]),
            disposition=str(r[5]),
            reached=bool(r[6]),
            csat=r[7],
            nps=r[8],
            category=r[9],
            topics=topics.get(int(r[0]), ()),
            notes=r[10],
            callback_at=_opt_time(r[11]),
        )
        for r in rows
    )


def attempt_topics(db: Database, attempt_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """The topic tags of each attempt, in the order they were given."""
    p = db.param
    topics: dict[int, list[str]] = {}
    for start in range(0, len(attempt_ids), _ID_CHUNK):
        chunk = tuple(attempt_ids[start : start + _ID_CHUNK])
        for attempt_id, topic in db.execute_sql(
            f"SELECT attempt_id, topic FROM attempt_topics WHERE attempt_id IN ({', '.join([p] * len(chunk))}) "
            "ORDER BY id",
            chunk,
        ):
            topics.setdefault(int(attempt_id), []).append(str(topic))
    return {attempt_id: tuple(names) for attempt_id, names in topics.items()}


def _task_reasons(db: Database, task_id: int) -> list[_Reason]:
    return [
        _Reason(str(r[0]), from_db_time(r[1]), None if r[2] is None else int(r[2]), r[3])
        for r in db.execute_sql(
            f"SELECT reason, triggered_at, amount_fen, transaction_id FROM task_reasons WHERE task_id = {db.param}",
            (task_id,),
        )
    ]


def _agent_name(db: Database, agent_id: Any) -> str | None:
    if agent_id is None:
        return None
    row = db.execute_sql(f"SELECT name FROM agents WHERE id = {db.param}", (agent_id,)).fetchone()
    return None if row is None else str(row[0])


def task_detail(
    db: Database,
    task_id: int,
    as_of: dt.datetime,
    language: str = "zh_CN",
    agent_name: str | None = None,
    settings: FollowupSettings | None = None,
) -> TaskDetail:
    """The call panel: why this customer, what to say, their transactions and earlier contacts."""
    check_language(language)
    settings = settings or load_settings(db)
    row = db.execute_sql(
        "SELECT id, customer_id, status, priority, available_at, due_at, attempts, assigned_to_id, held_by_id, "
        f"held_until FROM tasks WHERE id = {db.param}",
        (task_id,),
    ).fetchone()
    if row is None:
        raise FollowupError(code="followup.no_task", task=task_id)
    customer = customer_card(db, int(row[1]))
    reasons = ordered(_task_reasons(db, task_id))
    attempts = int(row[6])
    due_at = from_db_time(row[5])
    top = reasons[0]
    held_until = _opt_time(row[9])
    return TaskDetail(
        task_id=int(row[0]),
        status=str(row[2]),
        priority=int(row[3]),
        explanation=explain(reasons, attempts, as_of, language, status=str(row[2])),
        reasons=tuple(
            ReasonView(
                r.reason,
                label(r.reason, language),
                describe_reason(r, as_of, language),
                r.triggered_at,
                r.amount_fen,
                r.transaction_id,
            )
            for r in reasons
        ),
        script=_script(db, settings, top, customer, agent_name),
        customer=customer,
        available_at=from_db_time(row[4]),
        due_at=due_at,
        overdue=str(row[2]) == "open" and due_at < as_of,
        attempts=attempts,
        max_attempts=settings.policy.max_attempts,
        assignee=_agent_name(db, row[7]),
        held_by=_agent_name(db, row[8]) if held_until is not None and held_until > as_of else None,
        held_until=held_until if held_until is not None and held_until > as_of else None,
        transactions=recent_transactions(db, customer.id),
        contacts=customer_attempts(db, customer.id),
    )


def _script(
    db: Database, settings: FollowupSettings, top: _Reason, customer: CustomerCard, agent_name: str | None
) -> str:
    merchant = remark = ""
    if top.transaction_id is not None:
        found = db.execute_sql(
            f"SELECT merchant, remark FROM transactions WHERE id = {db.param}", (top.transaction_id,)
        ).fetchone()
        if found is not None:
            merchant, remark = found[0] or "", found[1] or ""
    values = {
        "name": customer.name or "您好",
        "agent": agent_name or "",
        "amount": format_fen(top.amount_fen) if top.amount_fen is not None else "",
        "time": f"{top.triggered_at.month}月{top.triggered_at.day}日 {top.triggered_at:%H:%M}",
        "merchant": merchant,
        "remark": remark,
    }
    return render_script(settings.templates.get(top.reason, ""), values)


def customer_timeline(db: Database, customer_id: int, language: str = "zh_CN") -> list[TimelineEvent]:
    """Transactions, tasks opened and closed, and contact attempts with their feedback; latest first."""
    check_language(language)
    en = language == "en"
    customer_card(db, customer_id)
    p = db.param
    events: list[TimelineEvent] = []
    for txn in recent_transactions(db, customer_id, limit=1_000):
        detail = " · ".join(part for part in (txn.txn_id, txn.merchant, txn.remark) if part)
        title = f"{label(txn.txn_type, language)} {label(txn.status, language)} {txn.amount_text}"
        events.append(TimelineEvent(txn.occurred_at, "transaction", txn.id, title, detail, txn.amount_fen))
    for task_id, status, created_at, closed_at in db.execute_sql(
        f"SELECT id, status, created_at, closed_at FROM tasks WHERE customer_id = {p} ORDER BY id", (customer_id,)
    ):
        reasons = ordered(_task_reasons(db, int(task_id)))
        names = join_labels((label(r.reason, language) for r in reasons), language)
        events.append(
            TimelineEvent(
                from_db_time(created_at),
                "task_opened",
                int(task_id),
                f"{'Follow-up task' if en else '回访任务'} #{task_id}",
                names,
            )
        )
        if closed_at is not None:
            events.append(
                TimelineEvent(
                    from_db_time(closed_at),
                    "task_closed",
                    int(task_id),
                    f"{'Task' if en else '任务'} #{task_id} {label(str(status), language)}",
                    names,
                )
            )
    for attempt in customer_attempts(db, customer_id):
        events.append(
            TimelineEvent(
                attempt.attempted_at,
                "attempt",
                attempt.id,
                f"{label(attempt.channel, language)} · {disposition_label(attempt.disposition, language)}",
                _attempt_detail(attempt, language),
            )
        )
    events.sort(key=lambda event: (event.at, _KIND_ORDER[event.kind], event.ref_id), reverse=True)
    return events


def _attempt_detail(attempt: AttemptView, language: str) -> str:
    en = language == "en"
    parts = [attempt.agent]
    if attempt.csat is not None:
        parts.append(f"CSAT {attempt.csat}/5" if en else f"满意度 {attempt.csat}/5")
    if attempt.nps is not None:
        parts.append(f"NPS {attempt.nps}")
    if attempt.category:
        parts.append(label(attempt.category, language))
    if attempt.topics:
        parts.append(join_labels(attempt.topics, language))
    if attempt.callback_at is not None:
        parts.append(f"{'callback' if en else '约定回电'} {attempt.callback_at:%m-%d %H:%M}")
    if attempt.notes:
        parts.append(attempt.notes)
    return " · ".join(parts)
