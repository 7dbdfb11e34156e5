"""The queue benchmark's peer, its comparison with ours, and the floor (the rules' SQL alone).

The peer computes, in plain Python, the (customer, reason) pairs `build_queue` leaves open: one scan
of `transactions`, one of `contact_attempts`, one of the tasks with their reasons and one of the
blocked customers; no rule SQL, no writes. It applies the same rules with the same thresholds
(`load_settings`, as `build_queue` reads them) and the same merge:

- failed_payment: a failed payment in the window [as_of - window_days, as_of] with no successful
  payment of the customer after it and within `recovery_hours` (and up to as_of); latest per customer;
- refund: a refund transaction or a payment marked refunded in the window; latest;
- large_amount: a CNY transaction of at least `min_amount_fen` in the window, not failed; latest;
- new_customer: the first transaction ever (up to as_of) falls in the last `new_days`; that one;
- dormant: the last transaction (up to as_of) lies in [as_of - quiet_days - window_days,
  as_of - quiet_days) and at least `min_transactions` came before as_of - quiet_days;
- survey: a success in the last `recent_days`, in the fixed hash sample of `percent`, no survey reason
  created within `repeat_days` on a closed (not obsolete) task; trigger: the latest such success;
- complaint_recheck: an attempt in the window with category complaint; latest;
- callback: an attempt made up to as_of asking for a callback at or after the window start; latest
  callback time;
- merge: blocked customers (do-not-contact, invalid phone) get nothing; a candidate whose trigger is
  not newer than the latest one of that reason on a closed, not obsolete task is ignored; customers
  reached within `cooldown_days` only get the exempt reasons; an open task keeps its reasons that are
  offered again (with the new trigger) and, once someone has tried to call, the ones no longer offered,
  and takes the welcome new ones; a task left without reasons is closed.

"Latest" ties go to the higher transaction or attempt id, as in the rules (`_latest_per_customer` in SQL
for transactions, `_latest` for attempts). Times are compared
as the stored text (`YYYY-MM-DD HH:MM:SS`, as `db_time` writes and SQLite compares them).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from peewee import Database

from wallet_crm.followup.rules import PAYMENT_TYPE, RULES, in_survey_sample
from wallet_crm.followup.settings import FollowupSettings, load_settings
from wallet_crm.money import HOME_CURRENCY
from wallet_crm.stored_time import db_time


class Trigger(NamedTuple):
    """What a task reason says triggered it: the time as stored, and the transaction or attempt."""

    triggered_at: str
    transaction_id: int | None
    attempt_id: int | None


Pairs = dict[tuple[int, str], Trigger]  # (customer, reason) -> its trigger


def _txn(when: str, txn_id: int) -> Trigger:
    return Trigger(when, txn_id, None)


def _keep_latest(best: dict[int, tuple[str, int]], customer: int, when: str, row_id: int) -> None:
    current = best.get(customer)
    if current is None or (when, row_id) > current:
        best[customer] = (when, row_id)


def _transaction_candidates(
    db: Database, as_of: dt.datetime, settings: FollowupSettings, candidates: dict[int, dict[str, Trigger]]
) -> int:
    """The six transaction rules from one scan of `transactions`; returns the rows read."""
    rules = settings.rules
    end = db_time(as_of)
    start = db_time(as_of - dt.timedelta(days=settings.window_days))
    failed_on = rules["failed_payment"].enabled
    grace = dt.timedelta(hours=rules["failed_payment"].param("recovery_hours"))
    refund_on = rules["refund"].enabled
    large_on = rules["large_amount"].enabled
    large_min = rules["large_amount"].param("min_amount_fen")
    new_since = db_time(as_of - dt.timedelta(days=rules["new_customer"].param("new_days")))
    quiet_from = as_of - dt.timedelta(days=rules["dormant"].param("quiet_days"))
    dormant_until = db_time(quiet_from)
    dormant_since = db_time(quiet_from - dt.timedelta(days=settings.window_days))
    survey_rule = rules["survey"]
    survey_on = survey_rule.enabled and survey_rule.param("percent") > 0
    survey_since = db_time(as_of - dt.timedelta(days=survey_rule.param("recent_days")))

    # customer -> [first time, its id, last time, transactions before as_of - quiet_days], all up to as_of
    seen: dict[int, list[Any]] = {}
    failures: list[tuple[int, str, int]] = []  # failed payments of the window: (customer, time, id)
    paid: dict[int, list[str]] = {}  # times of successful payments after the window start
    refunds: dict[int, tuple[str, int]] = {}
    large: dict[int, tuple[str, int]] = {}
    recent_success: dict[int, tuple[str, int]] = {}
    rows = 0
    cursor = db.execute_sql(
        "SELECT id, customer_id, occurred_at, amount_fen, currency, status, txn_type FROM transactions"
    )
    for txn_id, customer, when, amount, currency, status, kind in cursor:
        rows += 1
        if when > end:
            continue
        state = seen.get(customer)
        if state is None:
            seen[customer] = [when, txn_id, when, 1 if when < dormant_until else 0]
        else:
            if when <= state[0] and (when < state[0] or txn_id < state[1]):
                state[0], state[1] = when, txn_id
            elif when > state[2]:  # the first is never after the last
                state[2] = when
            if when < dormant_until:
                state[3] += 1
        if status == "success":
            if when >= survey_since:
                _keep_latest(recent_success, customer, when, txn_id)
            if kind == PAYMENT_TYPE and when > start:
                paid.setdefault(customer, []).append(when)
        if when < start:
            continue
        if status == "failed":
            if kind == PAYMENT_TYPE:
                failures.append((customer, when, txn_id))
        elif amount >= large_min and currency == HOME_CURRENCY:
            _keep_latest(large, customer, when, txn_id)
        if kind == "refund" or status == "refunded":
            _keep_latest(refunds, customer, when, txn_id)

    def add(customer: int, reason: str, trigger: Trigger) -> None:
        candidates.setdefault(customer, {})[reason] = trigger

    if failed_on:
        open_failures: dict[int, tuple[str, int]] = {}
        for customer, when, txn_id in failures:
            until = db_time(dt.datetime.fromisoformat(when) + grace)
            if not any(when < paid_at <= until for paid_at in paid.get(customer, ())):
                _keep_latest(open_failures, customer, when, txn_id)
        for customer, (when, txn_id) in open_failures.items():
            add(customer, "failed_payment", _txn(when, txn_id))
    for on, reason, found in ((refund_on, "refund", refunds), (large_on, "large_amount", large)):
        if on:
            for customer, (when, txn_id) in found.items():
                add(customer, reason, _txn(when, txn_id))
    if rules["new_customer"].enabled:
        for customer, (when, txn_id, _, _) in seen.items():
            if when >= new_since:
                add(customer, "new_customer", _txn(when, txn_id))
    if rules["dormant"].enabled:
        minimum = rules["dormant"].param("min_transactions")
        for customer, (_, _, when, before_quiet) in seen.items():
            if dormant_since <= when < dormant_until and before_quiet >= minimum:
                add(customer, "dormant", Trigger(when, None, None))
    if survey_on:
        percent = survey_rule.param("percent")
        surveyed = _recently_surveyed(db, as_of, survey_rule.param("repeat_days"))
        for customer, (when, _) in recent_success.items():
            if customer not in surveyed and in_survey_sample(customer, percent):
                add(customer, "survey", Trigger(when, None, None))
    return rows


def _recently_surveyed(db: Database, as_of: dt.datetime, days: int) -> set[int]:
    since = db_time(as_of - dt.timedelta(days=days))
    return {
        int(customer)
        for customer, created, status in db.execute_sql(
            "SELECT r.customer_id, r.created_at, t.status FROM task_reasons r JOIN tasks t ON t.id = r.task_id "
            "WHERE r.reason = 'survey'"
        )
        if created >= since and status not in ("open", "obsolete")
    }


def _attempt_candidates(
    db: Database, as_of: dt.datetime, settings: FollowupSettings, candidates: dict[int, dict[str, Trigger]]
) -> set[int]:
    """complaint_recheck and callback from one scan of `contact_attempts`; returns the customers in cooldown."""
    end = db_time(as_of)
    start = db_time(as_of - dt.timedelta(days=settings.window_days))
    cooldown = settings.policy.cooldown_days
    cool_since = db_time(as_of - dt.timedelta(days=cooldown))
    complaints: dict[int, tuple[str, int]] = {}
    callbacks: dict[int, tuple[str, int]] = {}
    cooled: set[int] = set()
    for attempt_id, customer, when, reached, category, callback_at in db.execute_sql(
        "SELECT id, customer_id, attempted_at, reached, category, callback_at FROM contact_attempts"
    ):
        if when > end:
            continue
        if reached and cooldown > 0 and when >= cool_since:
            cooled.add(customer)
        if category == "complaint" and when >= start:
            _keep_latest(complaints, customer, when, attempt_id)
        if callback_at is not None and callback_at >= start:
            _keep_latest(callbacks, customer, callback_at, attempt_id)
    for on, reason, found in (
        (settings.rules["complaint_recheck"].enabled, "complaint_recheck", complaints),
        (settings.rules["callback"].enabled, "callback", callbacks),
    ):
        if on:
            for customer, (when, attempt_id) in found.items():
                candidates.setdefault(customer, {})[reason] = Trigger(when, None, attempt_id)
    return cooled


class _OpenTask(NamedTuple):
    attempts: int
    reasons: dict[str, Trigger]


def peer_build(db: Database, as_of: dt.datetime) -> tuple[Pairs, int]:
    """The (customer, reason) pairs open after `build_queue(db, as_of)`, and the transactions read; writes nothing."""
    settings = load_settings(db)
    as_of = as_of.replace(microsecond=0)
    candidates: dict[int, dict[str, Trigger]] = {}
    rows = _transaction_candidates(db, as_of, settings, candidates)
    cooled = _attempt_candidates(db, as_of, settings, candidates)
    blocked = {int(row[0]) for row in db.execute_sql("SELECT id FROM customers WHERE do_not_contact OR phone_invalid")}
    handled: dict[tuple[int, str], str] = {}
    open_tasks: dict[int, _OpenTask] = {}
    for customer, status, attempts, reason, triggered_at, txn_id, attempt_id in db.execute_sql(
        "SELECT t.customer_id, t.status, t.attempts, r.reason, r.triggered_at, r.transaction_id, r.attempt_id "
        "FROM tasks t LEFT JOIN task_reasons r ON r.task_id = t.id"
    ):
        if status == "open":
            task = open_tasks.setdefault(customer, _OpenTask(attempts, {}))
            if reason is not None:
                task.reasons[reason] = Trigger(triggered_at, txn_id, attempt_id)
        elif status != "obsolete" and reason is not None and triggered_at > handled.get((customer, reason), ""):
            handled[(customer, reason)] = triggered_at
    exempt = settings.policy.cooldown_exempt

    def welcome(customer: int, reason: str, trigger: Trigger) -> bool:
        latest = handled.get((customer, reason))
        if latest is not None and trigger.triggered_at <= latest:
            return False
        return customer not in cooled or reason in exempt

    pairs: Pairs = {}
    for customer in set(candidates) | set(open_tasks):
        if customer in blocked:
            continue
        offered = candidates.get(customer, {})
        current = open_tasks.get(customer)
        kept: dict[str, Trigger] = {}
        if current is not None:
            for reason, stored in current.reasons.items():
                if reason in offered:
                    kept[reason] = offered[reason]
                elif current.attempts > 0:
                    kept[reason] = stored
        for reason, trigger in offered.items():
            if reason not in kept and welcome(customer, reason, trigger):  # a reason of the task is in `kept`
                kept[reason] = trigger
        for reason, trigger in kept.items():
            pairs[(customer, reason)] = trigger
    return pairs, rows


def our_pairs(db: Database) -> tuple[Pairs, int]:
    """The (customer, reason) pairs of the open tasks, as `build_queue` left them, and the number of open tasks."""
    pairs: Pairs = {}
    for customer, reason, triggered_at, txn_id, attempt_id in db.execute_sql(
        "SELECT t.customer_id, r.reason, r.triggered_at, r.transaction_id, r.attempt_id "
        "FROM tasks t JOIN task_reasons r ON r.task_id = t.id WHERE t.status = 'open'"
    ):
        pairs[(int(customer), str(reason))] = Trigger(str(triggered_at), txn_id, attempt_id)
    tasks = int(db.execute_sql("SELECT COUNT(*) FROM tasks WHERE status = 'open'").fetchone()[0])
    return pairs, tasks


class Comparison(NamedTuple):
    rows: list[tuple[str, int, int]]  # (what, ours, peer)
    differences: int  # pairs in one output only, plus shared pairs with another trigger
    examples: list[str]


def compare(ours: Pairs, our_tasks: int, peer: Pairs, limit: int = 5) -> Comparison:
    only_ours = sorted(set(ours) - set(peer))
    only_peer = sorted(set(peer) - set(ours))
    moved = sorted(key for key in set(ours) & set(peer) if ours[key] != peer[key])
    rows = [
        ("customers with an open task", len({c for c, _ in ours}), len({c for c, _ in peer})),
        ("open tasks", our_tasks, len({c for c, _ in peer})),
        ("(customer, reason) pairs", len(ours), len(peer)),
    ]
    for reason in sorted({r for _, r in ours} | {r for _, r in peer}):
        rows.append((f"  of them {reason}", sum(r == reason for _, r in ours), sum(r == reason for _, r in peer)))
    examples = [f"only ours: customer {c} {r} {ours[(c, r)]}" for c, r in only_ours[:limit]]
    examples += [f"only peer: customer {c} {r} {peer[(c, r)]}" for c, r in only_peer[:limit]]
    examples += [f"other trigger: customer {c} {r} ours {ours[(c, r)]} peer {peer[(c, r)]}" for c, r in moved[:limit]]
    return Comparison(rows, len(only_ours) + len(only_peer) + len(moved), examples)


# --- the floor --------------------------------------------------------------------------------------


@contextmanager
def capturing(db: Database, seen: list[tuple[str, Any]]) -> Iterator[None]:
    """Keep every statement run on `db` (in order, with its parameters)."""
    original = db.execute_sql

    def record(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        seen.append((sql, params))
        return original(sql, params, *args, **kwargs)

    db.execute_sql = record  # type: ignore[method-assign]
    try:
        yield
    finally:
        del db.execute_sql


def rule_statements(db: Database, as_of: dt.datetime) -> list[tuple[str, str, Any]]:
    """(rule, sql, params) of every SELECT the enabled rules run at `as_of`, captured by running each rule once."""
    settings = load_settings(db)
    statements: list[tuple[str, str, Any]] = []
    for reason, rule in settings.rules.items():
        if not rule.enabled:
            continue
        seen: list[tuple[str, Any]] = []
        with capturing(db, seen):
            RULES[reason](db, as_of.replace(microsecond=0), settings)
        statements += [(reason, sql, params) for sql, params in seen]
    return statements


def floor(db: Database, statements: list[tuple[str, str, Any]], runs: int = 2) -> dict[str, tuple[float, int]]:
    """Each rule's SQL alone, every row fetched and nothing made of them: rule -> (seconds, rows).

    Each statement's fastest of `runs`: the floor is what the SQL needs at best, not what it got on a busy box."""
    result: dict[str, tuple[float, int]] = {}
    for reason, sql, params in statements:
        best, rows = float("inf"), 0
        for _ in range(runs):
            started = time.perf_counter()
            rows = len(db.execute_sql(sql, params).fetchall())
            best = min(best, time.perf_counter() - started)
        seconds, count = result.get(reason, (0.0, 0))
        result[reason] = (seconds + best, count + rows)
    return result
