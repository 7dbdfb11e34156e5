"""Opening a task by hand holds it, and skipping a task moves on to the next customer."""

from __future__ import annotations

import datetime as dt

import pytest
from peewee import Database

from tests.unit.followup_data import AS_OF, agent, ago, customer, open_task, txn
from wallet_crm.errors import FollowupError
from wallet_crm.followup.build import build_queue
from wallet_crm.followup.work import Outcome, hold_task, log_outcome, next_task, release_task


def two_customers(db: Database) -> tuple[int, int]:
    """A failed payment (first in the queue) and a refund (second); their open task ids."""
    failed, refund = customer(db), customer(db)
    txn(db, failed, ago(days=40))
    txn(db, failed, ago(days=1), status="failed")
    txn(db, refund, ago(days=40))
    txn(db, refund, ago(days=1), txn_type="refund")
    build_queue(db, AS_OF)
    return open_task(db, failed) or 0, open_task(db, refund) or 0


def holder(db: Database, task_id: int) -> tuple[object, ...]:
    return tuple(db.execute_sql("SELECT held_by_id, held_until FROM tasks WHERE id = ?", (task_id,)).fetchone())


def test_hold_task_holds_an_open_task_for_fifteen_minutes_and_renews_the_own_hold(db: Database) -> None:
    _first, second = two_customers(db)
    li = agent(db, "小李")
    result = hold_task(db, second, li.id, AS_OF)
    assert (result.held, result.status, result.held_by) == (True, "open", None)
    assert result.held_until == AS_OF + dt.timedelta(minutes=15)
    assert holder(db, second) == (li.id, "2026-11-20 10:15:00")
    renewed = hold_task(db, second, li.id, AS_OF + dt.timedelta(minutes=5))
    assert renewed.held and holder(db, second) == (li.id, "2026-11-20 10:20:00")
    assert next_task(db, li.id, AS_OF + dt.timedelta(minutes=6)).task_id == second  # its own hold first


def test_a_task_held_by_another_agent_is_not_taken_over(db: Database) -> None:
    first, _second = two_customers(db)
    li, wang = agent(db, "小李"), agent(db, "小王")
    assert next_task(db, li.id, AS_OF).task_id == first
    taken = hold_task(db, first, wang.id, AS_OF + dt.timedelta(minutes=1))
    assert (taken.held, taken.status, taken.held_by) == (False, "open", "小李")
    assert taken.held_until == AS_OF + dt.timedelta(minutes=15)
    assert holder(db, first) == (li.id, "2026-11-20 10:15:00")
    after = hold_task(db, first, wang.id, AS_OF + dt.timedelta(minutes=16))  # 小李's hold has run out
    assert after.held and holder(db, first) == (wang.id, "2026-11-20 10:31:00")


def test_a_closed_task_is_not_held_and_unknown_ids_are_refused(db: Database) -> None:
    first, _second = two_customers(db)
    li = agent(db, "小李")
    log_outcome(db, Outcome(first, li.id, "reached_resolved"), AS_OF)
    closed = hold_task(db, first, li.id, AS_OF)
    assert (closed.held, closed.status, closed.held_by) == (False, "done", None)
    assert holder(db, first) == (None, None)
    with pytest.raises(FollowupError, match="no task"):
        hold_task(db, 99_999, li.id, AS_OF)
    with pytest.raises(FollowupError, match="no agent"):
        hold_task(db, first, 99_999, AS_OF)


def test_a_released_task_comes_straight_back_unless_next_skips_it_once(db: Database) -> None:
    first, second = two_customers(db)
    li = agent(db, "小李")
    assert next_task(db, li.id, AS_OF).task_id == first
    assert release_task(db, first, li.id)
    assert next_task(db, li.id, AS_OF).task_id == first  # released alone, it is still the top of the queue
    assert release_task(db, first, li.id)
    skipped = next_task(db, li.id, AS_OF, exclude_task_id=first)
    assert (skipped.status, skipped.task_id) == ("ok", second)
    assert holder(db, first) == (None, None) and holder(db, second)[0] == li.id
    # Only once: after the next customer is logged, the skipped one is handed out again.
    log_outcome(db, Outcome(second, li.id, "reached_resolved"), AS_OF)
    assert next_task(db, li.id, AS_OF).task_id == first


def test_skipping_the_only_callable_task_hands_out_nothing(db: Database) -> None:
    first, second = two_customers(db)
    li = agent(db, "小李")
    log_outcome(db, Outcome(second, li.id, "reached_resolved"), AS_OF)
    assert next_task(db, li.id, AS_OF).task_id == first
    release_task(db, first, li.id)
    result = next_task(db, li.id, AS_OF, exclude_task_id=first)
    assert (result.task_id, result.status) == (None, "no_other")
    assert holder(db, first) == (None, None)
    assert "skipped" in result.message("en") and "跳过" in result.message()
    wang = agent(db, "小王")
    assert next_task(db, wang.id, AS_OF, exclude_task_id=first).status == "no_other"
    hold_task(db, first, wang.id, AS_OF)
    assert next_task(db, li.id, AS_OF, exclude_task_id=first).status == "no_other"
