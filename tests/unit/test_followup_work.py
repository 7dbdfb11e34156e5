"""Working tasks: next customer and holds between agents, calling hours, each disposition, retries and the cap."""

from __future__ import annotations

import datetime as dt

import pytest
from peewee import Database

from tests.unit.followup_data import AS_OF, agent, ago, customer, open_task, reasons_of, txn
from wallet_crm.errors import FollowupError
from wallet_crm.followup.agents import assign_tasks
from wallet_crm.followup.build import build_queue
from wallet_crm.followup.customers import reveal_phone
from wallet_crm.followup.settings import FollowupSettings
from wallet_crm.followup.work import Outcome, log_outcome, next_task, release_task


def task_state(db: Database, task_id: int) -> tuple[object, ...]:
    return tuple(
        db.execute_sql(
            "SELECT status, attempts, available_at, due_at, held_by_id, held_until, closed_at FROM tasks WHERE id = ?",
            (task_id,),
        ).fetchone()
    )


def three_customers(db: Database) -> tuple[int, int, int]:
    """A failed payment (highest), a refund, a dormant customer (lowest); queued at AS_OF."""
    failed, refund, dormant = customer(db), customer(db), customer(db)
    txn(db, failed, ago(days=40))
    txn(db, failed, ago(days=1), status="failed")
    txn(db, refund, ago(days=40))
    txn(db, refund, ago(days=1), txn_type="refund")
    for days in (80, 70, 65):
        txn(db, dormant, ago(days=days))
    build_queue(db, AS_OF)
    return failed, refund, dormant


def only_task(db: Database) -> int:
    who = customer(db, name="王芳", phone="+8613812348000")
    txn(db, who, ago(days=40))
    txn(db, who, ago(hours=3), amount_fen=128_000, status="failed", remark="余额不足")
    build_queue(db, AS_OF)
    return open_task(db, who) or 0


def test_next_hands_out_by_priority_and_holds_for_fifteen_minutes(db: Database) -> None:
    failed, refund, _dormant = three_customers(db)
    li, wang = agent(db, "小李"), agent(db, "小王")
    first = next_task(db, li.id, AS_OF)
    assert (first.status, first.task_id) == ("ok", open_task(db, failed))
    assert first.held_until == AS_OF + dt.timedelta(minutes=15)
    second = next_task(db, wang.id, AS_OF + dt.timedelta(minutes=1))
    assert second.task_id == open_task(db, refund)  # never the one 小李 holds
    again = next_task(db, li.id, AS_OF + dt.timedelta(minutes=2))
    assert again.task_id == first.task_id  # the same agent gets its held task back first (hold renewed: 10:17)
    assert next_task(db, wang.id, AS_OF + dt.timedelta(minutes=10)).task_id == second.task_id
    assert release_task(db, second.task_id or 0, wang.id) is True
    assert release_task(db, first.task_id or 0, wang.id) is False  # not his to release
    # 小李's hold ran out at 10:17 and 小王 let go of his: the failed payment is the next customer again.
    assert next_task(db, wang.id, AS_OF + dt.timedelta(minutes=30)).task_id == first.task_id


def test_next_outside_calling_hours_gives_nothing_and_says_when(db: Database) -> None:
    three_customers(db)
    li = agent(db)
    evening = next_task(db, li.id, AS_OF.replace(hour=21, minute=0))
    assert (evening.status, evening.task_id) == ("outside_calling_hours", None)
    assert evening.next_available_at == dt.datetime(2026, 11, 21, 9, 0)
    early = next_task(db, li.id, AS_OF.replace(hour=8, minute=59))
    assert early.next_available_at == dt.datetime(2026, 11, 20, 9, 0)
    assert "09:00" in early.message("en") and "不在呼叫时段" in early.message()
    assert next_task(db, li.id, AS_OF.replace(hour=9, minute=0)).status == "ok"


def test_next_says_why_there_is_nobody(db: Database) -> None:
    li, wang = agent(db, "小李"), agent(db, "小王")
    assert next_task(db, li.id, AS_OF).status == "queue_empty"
    task = only_task(db)
    assert next_task(db, li.id, AS_OF).task_id == task
    assert next_task(db, wang.id, AS_OF).status == "all_held"
    log_outcome(db, Outcome(task, li.id, "no_answer"), AS_OF)
    later = next_task(db, wang.id, AS_OF + dt.timedelta(hours=1))
    assert (later.status, later.next_available_at) == ("not_yet", AS_OF + dt.timedelta(hours=4))


def test_tasks_assigned_to_another_agent_are_skipped_and_mine_only_filters(db: Database) -> None:
    failed, refund, _ = three_customers(db)
    li, wang = agent(db, "小李"), agent(db, "小王")
    assign_tasks(db, [open_task(db, failed) or 0], wang.id)
    assert next_task(db, li.id, AS_OF).task_id == open_task(db, refund)
    assert next_task(db, wang.id, AS_OF, mine_only=True).task_id == open_task(db, failed)
    assert next_task(db, li.id, AS_OF + dt.timedelta(minutes=1), mine_only=True).task_id == open_task(db, refund)


def test_reached_resolved_closes_the_task_and_releases_the_hold(db: Database) -> None:
    task = only_task(db)
    li = agent(db)
    next_task(db, li.id, AS_OF)
    result = log_outcome(db, Outcome(task, li.id, "reached_resolved", csat=5, nps=9, category="praise"), AS_OF)
    assert (result.task_status, result.attempts, result.follow_up_task_id) == ("done", 1, None)
    status, attempts, _available, _due, held_by, held_until, closed_at = task_state(db, task)
    assert (status, attempts, held_by, held_until, closed_at) == ("done", 1, None, None, "2026-11-20 10:00:00")


def test_reached_followup_is_due_in_a_day_or_at_the_callback_time(db: Database) -> None:
    task = only_task(db)
    li = agent(db)
    result = log_outcome(db, Outcome(task, li.id, "reached_followup"), AS_OF)
    tomorrow = AS_OF + dt.timedelta(days=1)
    assert (result.task_status, result.available_at, result.due_at) == ("open", tomorrow, tomorrow)
    callback = dt.datetime(2026, 11, 23, 15, 30)
    result = log_outcome(db, Outcome(task, li.id, "reached_followup", callback_at=callback), AS_OF)
    assert (result.available_at, result.due_at, result.follow_up_task_id) == (callback, callback, task)
    customer_id = db.execute_sql("SELECT customer_id FROM tasks WHERE id = ?", (task,)).fetchone()[0]
    assert reasons_of(db, customer_id) == {"failed_payment", "callback"}
    assert build_queue(db, AS_OF).updated == 0  # the rule sees the same callback: nothing to change


def test_a_callback_on_a_resolved_call_opens_a_new_task_at_that_time(db: Database) -> None:
    task = only_task(db)
    li = agent(db)
    callback = dt.datetime(2026, 11, 24, 9, 30)
    result = log_outcome(db, Outcome(task, li.id, "reached_resolved", callback_at=callback), AS_OF)
    assert result.task_status == "done" and result.follow_up_task_id not in (None, task)
    status, _attempts, available, due, *_ = task_state(db, result.follow_up_task_id or 0)
    assert (status, available, due) == ("open", "2026-11-24 09:30:00", "2026-11-24 09:30:00")
    assert next_task(db, li.id, AS_OF + dt.timedelta(hours=1)).status == "not_yet"
    assert next_task(db, li.id, callback).task_id == result.follow_up_task_id


@pytest.mark.parametrize("disposition", ["no_answer", "busy", "voicemail", "unreachable"])
def test_not_reached_retries_in_four_hours_and_closes_after_the_third_attempt(db: Database, disposition: str) -> None:
    task = only_task(db)
    li = agent(db)
    first = log_outcome(db, Outcome(task, li.id, disposition), AS_OF)
    assert (first.task_status, first.available_at) == ("open", AS_OF + dt.timedelta(hours=4))
    assert first.due_at == dt.datetime(2026, 11, 21, 10, 0)  # a retry keeps the deadline
    evening = AS_OF.replace(hour=18)
    second = log_outcome(db, Outcome(task, li.id, disposition), evening)
    assert second.available_at == dt.datetime(2026, 11, 21, 9, 0)  # 22:00 is after hours: next morning
    third = log_outcome(db, Outcome(task, li.id, disposition), dt.datetime(2026, 11, 21, 9, 5))
    assert (third.task_status, third.attempts) == ("unreachable", 3)
    reached = db.execute_sql("SELECT COUNT(*) FROM contact_attempts WHERE reached = ?", (False,)).fetchone()[0]
    assert reached == 3


def test_every_attempt_counts_toward_the_cap(db: Database) -> None:
    task = only_task(db)
    li = agent(db)
    assert log_outcome(db, Outcome(task, li.id, "reached_followup"), AS_OF).task_status == "open"
    assert log_outcome(db, Outcome(task, li.id, "no_answer"), AS_OF + dt.timedelta(days=1)).task_status == "open"
    third = log_outcome(db, Outcome(task, li.id, "busy"), AS_OF + dt.timedelta(days=1, hours=4))
    assert (third.task_status, third.attempts) == ("unreachable", 3)


def test_the_attempt_cap_follows_the_settings(db: Database) -> None:
    task = only_task(db)
    li = agent(db)
    settings = FollowupSettings().with_policy(max_attempts=1)
    assert log_outcome(db, Outcome(task, li.id, "busy"), AS_OF, settings).task_status == "unreachable"


def test_wrong_number_closes_the_task_and_marks_the_phone_invalid(db: Database) -> None:
    task = only_task(db)
    li = agent(db)
    assert log_outcome(db, Outcome(task, li.id, "wrong_number"), AS_OF).task_status == "wrong_number"
    customer_id = db.execute_sql("SELECT customer_id FROM tasks WHERE id = ?", (task,)).fetchone()[0]
    assert db.execute_sql("SELECT phone_invalid FROM customers WHERE id = ?", (customer_id,)).fetchone()[0] == 1
    txn(db, customer_id, AS_OF + dt.timedelta(hours=1), status="failed")
    assert build_queue(db, AS_OF + dt.timedelta(hours=2)).created == 0


def test_do_not_contact_cancels_and_the_customer_is_never_queued_again(db: Database) -> None:
    task = only_task(db)
    li = agent(db)
    result = log_outcome(db, Outcome(task, li.id, "do_not_contact", category="complaint"), AS_OF)
    assert (result.task_status, result.follow_up_task_id) == ("cancelled", None)  # no recheck either
    customer_id = db.execute_sql("SELECT customer_id FROM tasks WHERE id = ?", (task,)).fetchone()[0]
    assert db.execute_sql("SELECT do_not_contact FROM customers WHERE id = ?", (customer_id,)).fetchone()[0] == 1
    txn(db, customer_id, AS_OF + dt.timedelta(days=40), status="failed", amount_fen=900_000)
    assert build_queue(db, AS_OF + dt.timedelta(days=41)).created == 0
    assert db.execute_sql("SELECT COUNT(*) FROM tasks WHERE status = 'open'").fetchone()[0] == 0


def test_a_complaint_schedules_a_recheck_two_days_later(db: Database) -> None:
    task = only_task(db)
    li = agent(db)
    result = log_outcome(
        db, Outcome(task, li.id, "reached_resolved", category="complaint", topics=("到账慢", "手续费")), AS_OF
    )
    recheck = result.follow_up_task_id
    assert recheck is not None and recheck != task
    status, _attempts, available, due, *_ = task_state(db, recheck)
    assert (status, available, due) == ("open", "2026-11-22 09:00:00", "2026-11-22 21:00:00")
    customer_id = db.execute_sql("SELECT customer_id FROM tasks WHERE id = ?", (task,)).fetchone()[0]
    assert reasons_of(db, customer_id) == {"complaint_recheck"}
    assert db.execute_sql("SELECT priority FROM tasks WHERE id = ?", (recheck,)).fetchone()[0] == 75 + 5
    # The rule finds the same complaint: a rebuild (even on the recheck day) changes nothing but the recency.
    assert build_queue(db, AS_OF + dt.timedelta(hours=1)).updated == 0
    topics = db.execute_sql("SELECT topic FROM attempt_topics").fetchall()
    assert sorted(row[0] for row in topics) == sorted(["到账慢", "手续费"])


def test_an_outcome_stores_every_field_for_the_reports(db: Database) -> None:
    task = only_task(db)
    li = agent(db)
    callback = dt.datetime(2026, 11, 21, 14, 0)
    outcome = Outcome(
        task, li.id, "reached_followup", "wechat", 4, 8, "suggestion", ("界面难用",), "  希望简化支付流程  ", callback
    )
    attempt = log_outcome(db, outcome, AS_OF).attempt_id
    row = db.execute_sql(
        "SELECT task_id, agent_id, attempted_at, channel, disposition, reached, csat, nps, category, notes, "
        "callback_at FROM contact_attempts WHERE id = ?",
        (attempt,),
    ).fetchone()
    assert row == (
        task,
        li.id,
        "2026-11-20 10:00:00",
        "wechat",
        "reached_followup",
        1,
        4,
        8,
        "suggestion",
        "希望简化支付流程",
        "2026-11-21 14:00:00",
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"disposition": "maybe"}, "Unknown disposition"),
        ({"channel": "fax"}, "Unknown channel"),
        ({"csat": 7}, "CSAT"),
        ({"csat": 0}, "CSAT"),
        ({"nps": 11}, "NPS"),
        ({"category": "rant"}, "category"),
        ({"topics": ("天气",)}, "Unknown topic"),
        ({"disposition": "no_answer", "csat": 3}, "reached customer"),
        ({"callback_at": AS_OF - dt.timedelta(hours=1)}, "not in the future"),
        ({"callback_at": AS_OF.replace(hour=22)}, "outside calling hours"),
        ({"disposition": "busy", "callback_at": AS_OF + dt.timedelta(hours=2)}, "callback time needs"),
        ({"notes": "字" * 2001}, "Notes"),
    ],
)
def test_bad_values_are_refused_and_change_nothing(db: Database, changes: dict[str, object], message: str) -> None:
    task = only_task(db)
    li = agent(db)
    before = task_state(db, task)
    values: dict[str, object] = {"task_id": task, "agent_id": li.id, "disposition": "reached_followup", **changes}
    with pytest.raises(FollowupError, match=message):
        log_outcome(db, Outcome(**values), AS_OF)  # type: ignore[arg-type]
    assert task_state(db, task) == before
    assert db.execute_sql("SELECT COUNT(*) FROM contact_attempts").fetchone()[0] == 0


def test_a_closed_task_or_one_held_by_someone_else_is_refused(db: Database) -> None:
    task = only_task(db)
    li, wang = agent(db, "小李"), agent(db, "小王")
    next_task(db, li.id, AS_OF)
    with pytest.raises(FollowupError, match="小李"):
        log_outcome(db, Outcome(task, wang.id, "no_answer"), AS_OF + dt.timedelta(minutes=5))
    log_outcome(db, Outcome(task, li.id, "reached_resolved"), AS_OF + dt.timedelta(minutes=6))
    with pytest.raises(FollowupError, match="closed"):
        log_outcome(db, Outcome(task, li.id, "no_answer"), AS_OF + dt.timedelta(minutes=7))
    assert db.execute_sql("SELECT COUNT(*) FROM contact_attempts").fetchone()[0] == 1
    with pytest.raises(FollowupError, match="no task"):
        log_outcome(db, Outcome(9999, li.id, "no_answer"), AS_OF)


def test_revealing_a_phone_is_recorded(db: Database) -> None:
    task = only_task(db)
    li = agent(db)
    customer_id = db.execute_sql("SELECT customer_id FROM tasks WHERE id = ?", (task,)).fetchone()[0]
    assert reveal_phone(db, customer_id, li.id, AS_OF, task) == "+8613812348000"
    row = db.execute_sql("SELECT customer_id, agent_id, task_id, revealed_at FROM phone_reveals").fetchone()
    assert tuple(row) == (customer_id, li.id, task, "2026-11-20 10:00:00")


def test_customers_without_a_callable_phone_come_after_those_with_one_and_cannot_be_reached_by_phone(
    db: Database,
) -> None:
    no_phone = customer(db, name="Alice")
    db.execute_sql("UPDATE customers SET phone = NULL WHERE id = ?", (no_phone,))  # known by id and email only
    kept_as_written = customer(db, name="Bob", phone="12345")
    db.execute_sql("UPDATE customers SET phone_callable = ? WHERE id = ?", (False, kept_as_written))
    callable_one = customer(db, name="王芳", phone="+8613812348000")
    for who, amount in ((no_phone, 900_000), (kept_as_written, 800_000), (callable_one, 1_000)):
        txn(db, who, ago(days=40))
        txn(db, who, ago(hours=3), amount_fen=amount, status="failed")
    build_queue(db, AS_OF)
    li, wang, zhao = agent(db, "小李"), agent(db, "小王"), agent(db, "小赵")

    first = next_task(db, li.id, AS_OF)
    assert first.task_id == open_task(db, callable_one)  # the smallest failure, but the only one with a phone
    later = {next_task(db, wang.id, AS_OF).task_id, next_task(db, zhao.id, AS_OF).task_id}
    assert later == {open_task(db, no_phone), open_task(db, kept_as_written)}  # still handed out, after

    for who in (no_phone, kept_as_written):
        task = open_task(db, who) or 0
        holder = wang if next_task(db, wang.id, AS_OF).task_id == task else zhao
        with pytest.raises(FollowupError, match="can't have been reached by phone"):
            log_outcome(db, Outcome(task, holder.id, "reached_resolved", channel="phone"), AS_OF)
        assert db.execute_sql("SELECT COUNT(*) FROM contact_attempts WHERE task_id = ?", (task,)).fetchone()[0] == 0
        by_sms = log_outcome(db, Outcome(task, holder.id, "reached_resolved", channel="sms"), AS_OF)
        assert by_sms.task_status == "done"
