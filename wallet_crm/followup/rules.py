"""The rules that say who should be called: one function per reason code, each one SQL pass.

Every rule looks at what happened up to `as_of` (never after, so a build is reproducible) and gives
at most one `Candidate` per customer: the latest trigger of that reason. Which candidates become
tasks (contact policy, one task per customer, what was already handled) is `build.py`'s job.

Times: a reason becomes callable at its trigger (a callback or complaint recheck later), and is due
its rule's `due_hours` after the team learns of it (the later of the trigger and `as_of`), so a
week-old export does not arrive already overdue. The SQL is portable: bounds are computed here
and passed as parameters, and the heavy filtering runs on the composite indexes of `transactions`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple, Protocol

from peewee import Database

from wallet_crm.db.bulk import db_time, time_parser
from wallet_crm.errors import OperationCancelled
from wallet_crm.followup.hours import end_of_calling_day, next_calling_time
from wallet_crm.followup.settings import FollowupSettings, RuleConfig
from wallet_crm.money import HOME_CURRENCY

# A failed *payment*: failed transfers, top-ups and withdrawals are the wallet's own business.
PAYMENT_TYPE = "payment"
LARGE_AMOUNT_SKIPS = ("failed",)  # a large failed payment is the failed_payment rule's


class TriggerKey(Protocol):
    """What identifies a trigger: a candidate, or a reason stored on a task."""

    @property
    def triggered_at(self) -> dt.datetime: ...

    @property
    def transaction_id(self) -> int | None: ...

    @property
    def attempt_id(self) -> int | None: ...

    @property
    def amount_fen(self) -> int | None: ...


class Candidate(NamedTuple):
    """One reason to call one customer, with what triggered it (kept on the task as a snapshot).

    A named tuple, not a dataclass: a build makes ~100k of them and a tuple is made 3x faster.
    """

    customer_id: int
    reason: str
    triggered_at: dt.datetime
    available_at: dt.datetime
    due_at: dt.datetime
    amount_fen: int | None = None
    transaction_id: int | None = None
    attempt_id: int | None = None

    def same_trigger(self, other: TriggerKey) -> bool:
        return (self.triggered_at, self.transaction_id, self.attempt_id, self.amount_fen) == (
            other.triggered_at,
            other.transaction_id,
            other.attempt_id,
            other.amount_fen,
        )


Rule = Callable[[Database, dt.datetime, FollowupSettings], list[Candidate]]
Candidates = dict[int, dict[str, Candidate]]


def _rows(db: Database, sql: str, params: Iterable[object], times: tuple[int, ...] = ()) -> list[list[Any]]:
    """The rows of a query, the columns at `times` read as datetimes (None stays None)."""
    parse = time_parser(db)
    rows = []
    for row in db.execute_sql(sql, tuple(params)).fetchall():
        values = list(row)
        for index in times:
            if values[index] is not None:
                values[index] = parse(values[index])
        rows.append(values)
    return rows


def _due(trigger: dt.datetime, as_of: dt.datetime, rule: RuleConfig) -> dt.datetime:
    return max(trigger, as_of) + dt.timedelta(hours=rule.due_hours)


def _latest(candidates: Iterable[Candidate]) -> list[Candidate]:
    """One candidate per customer: the latest trigger (ties: the higher transaction/attempt id)."""
    best: dict[int, Candidate] = {}
    for candidate in candidates:
        current = best.get(candidate.customer_id)
        key = (candidate.triggered_at, candidate.transaction_id or 0, candidate.attempt_id or 0)
        if current is None or key > (current.triggered_at, current.transaction_id or 0, current.attempt_id or 0):
            best[candidate.customer_id] = candidate
    return list(best.values())


def _event(reason: str, row: list[Any], as_of: dt.datetime, rule: RuleConfig, with_amount: bool = True) -> Candidate:
    """A candidate from a `(transaction id, customer id, occurred_at, amount_fen, currency)` row.

    Only a home-currency amount is kept: priorities and explanations compare and print yuan, and
    an amount in another currency must never pass for one (the transaction itself keeps it).
    """
    txn_id, customer_id, when, amount_fen, currency = row
    with_amount = with_amount and currency == HOME_CURRENCY
    return Candidate(
        customer_id=int(customer_id),
        reason=reason,
        triggered_at=when,
        available_at=when,
        due_at=_due(when, as_of, rule),
        amount_fen=int(amount_fen) if with_amount else None,
        transaction_id=int(txn_id),
    )


def window_start(as_of: dt.datetime, settings: FollowupSettings) -> dt.datetime:
    return as_of - dt.timedelta(days=settings.window_days)


def failed_payment(db: Database, as_of: dt.datetime, settings: FollowupSettings) -> list[Candidate]:
    """A failed payment in the window, unless the customer paid successfully within `recovery_hours` after it."""
    rule = settings.rule("failed_payment")
    p = db.param
    # All failures of the window by the (status, occurred_at) index, then payments only: filtering the type in SQL
    # lets the planner pick the (txn_type, occurred_at) index instead and read every payment of the window.
    rows = _rows(
        db,
        f"""SELECT f.id, f.customer_id, f.occurred_at, f.amount_fen, f.currency, f.txn_type,
                   (SELECT MIN(s.occurred_at) FROM transactions s
                     WHERE s.customer_id = f.customer_id AND s.status = {p} AND s.txn_type = {p}
                       AND s.occurred_at > f.occurred_at AND s.occurred_at <= {p}) AS recovered_at
              FROM transactions f
             WHERE f.status = {p} AND f.occurred_at >= {p} AND f.occurred_at <= {p}""",
        ("success", PAYMENT_TYPE, db_time(as_of), "failed", db_time(window_start(as_of, settings)), db_time(as_of)),
        times=(2, 6),
    )
    grace = dt.timedelta(hours=rule.param("recovery_hours"))
    open_failures = (
        _event("failed_payment", row[:5], as_of, rule)
        for row in rows
        if row[5] == PAYMENT_TYPE and (row[6] is None or row[6] > row[2] + grace)
    )
    return _latest(open_failures)


def refund(db: Database, as_of: dt.datetime, settings: FollowupSettings) -> list[Candidate]:
    """A refund in the window: a refund transaction, or a payment marked refunded."""
    rule = settings.rule("refund")
    p = db.param
    start, end = db_time(window_start(as_of, settings)), db_time(as_of)
    rows = _rows(
        db,
        f"""SELECT id, customer_id, occurred_at, amount_fen, currency FROM transactions
             WHERE (txn_type = {p} AND occurred_at >= {p} AND occurred_at <= {p})
                OR (status = {p} AND occurred_at >= {p} AND occurred_at <= {p})""",
        ("refund", start, end, "refunded", start, end),
        times=(2,),
    )
    return _latest(_event("refund", row, as_of, rule) for row in rows)


def large_amount(db: Database, as_of: dt.datetime, settings: FollowupSettings) -> list[Candidate]:
    """One transaction of at least `min_amount_fen` in the window (failed ones are failed_payment's).

    The threshold is in yuan, so only home-currency transactions count: USD 50,000 is not ¥50,000.
    """
    rule = settings.rule("large_amount")
    p = db.param
    rows = _rows(
        db,
        f"""SELECT id, customer_id, occurred_at, amount_fen, currency FROM transactions
             WHERE occurred_at >= {p} AND occurred_at <= {p} AND amount_fen >= {p} AND status <> {p}
               AND currency = {p}""",
        (
            db_time(window_start(as_of, settings)),
            db_time(as_of),
            rule.param("min_amount_fen"),
            *LARGE_AMOUNT_SKIPS,
            HOME_CURRENCY,
        ),
        times=(2,),
    )
    return _latest(_event("large_amount", row, as_of, rule) for row in rows)


def new_customer(db: Database, as_of: dt.datetime, settings: FollowupSettings) -> list[Candidate]:
    """Customers whose first transaction ever falls in the last `new_days` days."""
    rule = settings.rule("new_customer")
    p = db.param
    since = db_time(as_of - dt.timedelta(days=rule.param("new_days")))
    # First the customers active this week with nothing before (one probe each), then their first transaction.
    rows = _rows(
        db,
        f"""SELECT t.id, t.customer_id, t.occurred_at, t.amount_fen, t.currency
              FROM (SELECT customer_id, MIN(occurred_at) AS first_at FROM transactions
                     WHERE occurred_at >= {p} AND occurred_at <= {p} GROUP BY customer_id) x
              JOIN transactions t ON t.customer_id = x.customer_id AND t.occurred_at = x.first_at
             WHERE NOT EXISTS (SELECT 1 FROM transactions e
                                WHERE e.customer_id = x.customer_id AND e.occurred_at < {p})""",
        (since, db_time(as_of), since),
        times=(2,),
    )
    first: dict[int, Candidate] = {}
    for row in rows:
        candidate = _event("new_customer", row, as_of, rule)
        current = first.get(candidate.customer_id)
        if current is None or (candidate.triggered_at, candidate.transaction_id or 0) < (
            current.triggered_at,
            current.transaction_id or 0,
        ):
            first[candidate.customer_id] = candidate
    return list(first.values())


def dormant(db: Database, as_of: dt.datetime, settings: FollowupSettings) -> list[Candidate]:
    """At least `min_transactions` ever and none in the last `quiet_days`, gone quiet within the window.

    The trigger is the last transaction; the customer became dormant `quiet_days` after it. Only
    customers who became dormant inside the look-back window are picked up, so someone who left a
    year ago is not called again and again.
    """
    rule = settings.rule("dormant")
    p = db.param
    quiet = dt.timedelta(days=rule.param("quiet_days"))
    latest_allowed = as_of - quiet
    earliest = latest_allowed - dt.timedelta(days=settings.window_days)
    # Customers whose latest transaction of the window's slice has none after it (one probe each), with their count.
    rows = _rows(
        db,
        f"""SELECT x.customer_id, x.last_at,
                   (SELECT COUNT(*) FROM transactions c WHERE c.customer_id = x.customer_id AND c.occurred_at < {p})
              FROM (SELECT customer_id, MAX(occurred_at) AS last_at FROM transactions
                     WHERE occurred_at >= {p} AND occurred_at < {p} GROUP BY customer_id) x
             WHERE NOT EXISTS (SELECT 1 FROM transactions n WHERE n.customer_id = x.customer_id
                                  AND n.occurred_at >= {p} AND n.occurred_at <= {p})""",
        (db_time(latest_allowed), db_time(earliest), db_time(latest_allowed), db_time(latest_allowed), db_time(as_of)),
        times=(1,),
    )
    minimum = rule.param("min_transactions")
    candidates = []
    for customer_id, last, count in rows:
        if count < minimum:
            continue
        candidates.append(
            Candidate(
                customer_id=int(customer_id),
                reason="dormant",
                triggered_at=last,
                available_at=last + quiet,
                due_at=_due(last + quiet, as_of, rule),
            )
        )
    return candidates


def in_survey_sample(customer_id: int, percent: int) -> bool:
    """The same customers every time: a hash of the id, not a random draw."""
    return int(hashlib.sha256(f"survey:{customer_id}".encode()).hexdigest(), 16) % 100 < percent


def survey(db: Database, as_of: dt.datetime, settings: FollowupSettings) -> list[Candidate]:
    """A fixed sample of customers with a recent success, none surveyed (a survey task closed) lately."""
    rule = settings.rule("survey")
    p = db.param
    percent = rule.param("percent")
    if percent <= 0:
        return []
    rows = _rows(
        db,
        f"""SELECT customer_id, MAX(occurred_at) FROM transactions
             WHERE status = {p} AND occurred_at >= {p} AND occurred_at <= {p}
             GROUP BY customer_id""",
        ("success", db_time(as_of - dt.timedelta(days=rule.param("recent_days"))), db_time(as_of)),
        times=(1,),
    )
    surveyed = {
        int(row[0])
        for row in _rows(
            db,
            f"""SELECT DISTINCT r.customer_id FROM task_reasons r JOIN tasks t ON t.id = r.task_id
                 WHERE r.reason = {p} AND r.created_at >= {p} AND t.status <> {p} AND t.status <> {p}""",
            ("survey", db_time(as_of - dt.timedelta(days=rule.param("repeat_days"))), "open", "obsolete"),
        )
    }
    candidates = []
    for customer_id, last_at in rows:
        if int(customer_id) in surveyed or not in_survey_sample(int(customer_id), percent):
            continue
        last = last_at
        candidates.append(
            Candidate(int(customer_id), "survey", triggered_at=last, available_at=last, due_at=_due(last, as_of, rule))
        )
    return candidates


def complaint_recheck_candidate(
    customer_id: int, attempt_id: int, attempted_at: dt.datetime, settings: FollowupSettings
) -> Candidate:
    """A recheck `after_days` days after a complaint: callable from that day's first calling hour, due its last."""
    rule = settings.rule("complaint_recheck")
    policy = settings.policy
    day = attempted_at.date() + dt.timedelta(days=rule.param("after_days"))
    start = next_calling_time(dt.datetime.combine(day, policy.calling_start), policy)
    return Candidate(
        customer_id=customer_id,
        reason="complaint_recheck",
        triggered_at=attempted_at,
        available_at=start,
        due_at=end_of_calling_day(day, policy) + dt.timedelta(hours=rule.due_hours),
        attempt_id=attempt_id,
    )


def complaint_recheck(db: Database, as_of: dt.datetime, settings: FollowupSettings) -> list[Candidate]:
    """Outcomes recorded as complaints in the window."""
    p = db.param
    rows = _rows(
        db,
        f"""SELECT id, customer_id, attempted_at FROM contact_attempts
             WHERE attempted_at >= {p} AND attempted_at <= {p} AND category = {p}""",
        (db_time(window_start(as_of, settings)), db_time(as_of), "complaint"),
        times=(2,),
    )
    return _latest(
        complaint_recheck_candidate(int(customer_id), int(attempt_id), at, settings)
        for attempt_id, customer_id, at in rows
    )


def callback_candidate(
    customer_id: int, attempt_id: int, callback_at: dt.datetime, settings: FollowupSettings
) -> Candidate:
    """The time the customer asked to be called back: callable then, due then."""
    rule = settings.rule("callback")
    return Candidate(
        customer_id=customer_id,
        reason="callback",
        triggered_at=callback_at,
        available_at=callback_at,
        due_at=callback_at + dt.timedelta(hours=rule.due_hours),
        attempt_id=attempt_id,
    )


def callback(db: Database, as_of: dt.datetime, settings: FollowupSettings) -> list[Candidate]:
    """Callback times asked for (by outcomes logged up to `as_of`) that are in the window or still ahead."""
    p = db.param
    rows = _rows(
        db,
        f"""SELECT id, customer_id, callback_at FROM contact_attempts
             WHERE callback_at >= {p} AND attempted_at <= {p}""",
        (db_time(window_start(as_of, settings)), db_time(as_of)),
        times=(2,),
    )
    return _latest(
        callback_candidate(int(customer_id), int(attempt_id), at, settings) for attempt_id, customer_id, at in rows
    )


RULES: Mapping[str, Rule] = {
    "failed_payment": failed_payment,
    "refund": refund,
    "large_amount": large_amount,
    "new_customer": new_customer,
    "dormant": dormant,
    "survey": survey,
    "complaint_recheck": complaint_recheck,
    "callback": callback,
}


def collect_candidates(
    db: Database,
    as_of: dt.datetime,
    settings: FollowupSettings,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> Candidates:
    """Every enabled rule's candidates, by customer then reason."""
    enabled = [reason for reason, rule in settings.rules.items() if rule.enabled]
    result: Candidates = {}
    for done, reason in enumerate(enabled, start=1):
        if cancel is not None and cancel.is_set():
            raise OperationCancelled("Queue build cancelled; nothing was changed.")
        for candidate in RULES[reason](db, as_of, settings):
            result.setdefault(candidate.customer_id, {})[reason] = candidate
        if progress is not None:
            progress(done, len(enabled) + 1)
    return result
