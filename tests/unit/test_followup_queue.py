"""What the queue page and call panel read: paged ids and rows, filters, counts, the call panel, the timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from peewee import Database

from tests.unit.followup_data import AS_OF, agent, ago, customer, open_task, txn
from wallet_crm.errors import FollowupError
from wallet_crm.followup.agents import add_agent, assign_round_robin, assign_tasks, list_agents, set_agent_active
from wallet_crm.followup.build import build_queue
from wallet_crm.followup.dependencies import customers_with_followup_work
from wallet_crm.followup.queue_query import QueueQuery, queue_ids, queue_rows, reason_counts, task_count
from wallet_crm.followup.timeline import customer_timeline, render_script, task_detail
from wallet_crm.followup.work import Outcome, log_outcome, next_task


def queue(db: Database) -> dict[str, int]:
    """Four customers with one clear top reason each, queued at AS_OF; name -> customer id."""
    ids = {name: customer(db, name=name) for name in ("甲", "乙", "丙", "丁")}
    for who in ids.values():
        txn(db, who, ago(days=45))
    txn(db, ids["甲"], ago(days=1), amount_fen=128_000, status="failed", remark="余额不足")
    txn(db, ids["乙"], ago(days=1), amount_fen=2_000, txn_type="refund")
    txn(db, ids["丙"], ago(days=2), amount_fen=800_000, txn_type="transfer")
    txn(db, ids["丁"], ago(days=2), amount_fen=1_000, txn_type="refund")
    txn(db, ids["丁"], ago(days=2), amount_fen=600_000, txn_type="transfer")
    build_queue(db, AS_OF)
    return ids


def test_ids_come_highest_priority_first_and_rows_fill_the_columns(db: Database) -> None:
    ids = queue(db)
    order = queue_ids(db, QueueQuery())
    rows = queue_rows(db, order, AS_OF)
    assert [rows[task_id].customer_name for task_id in order] == ["甲", "乙", "丁", "丙"]
    first = rows[order[0]]
    assert first.customer_id == ids["甲"] and first.phone_masked.startswith("138") and "****" in first.phone_masked
    assert (first.priority, first.reasons, first.amount_fen, first.attempts, first.status) == (
        93,
        ("failed_payment",),
        128_000,
        0,
        "open",
    )
    assert first.explanation == "支付失败 ¥1,280.00 · 1 天前 · 第 1 次联系"
    assert rows[order[2]].reasons == ("refund", "large_amount")
    assert not first.overdue and queue_rows(db, order, AS_OF + dt.timedelta(days=2))[order[0]].overdue


def test_sorting_and_filters(db: Database) -> None:
    ids = queue(db)
    by_amount = queue_ids(db, QueueQuery(sort_key="amount_fen", descending=False))
    rows = queue_rows(db, by_amount, AS_OF)
    assert [rows[t].amount_fen for t in by_amount] == [1_000, 2_000, 128_000, 800_000]
    by_name = queue_ids(db, QueueQuery(sort_key="customer", descending=True))
    assert len(by_name) == 4
    refunds = queue_ids(db, QueueQuery(reason="refund"))
    assert {queue_rows(db, refunds, AS_OF)[t].customer_id for t in refunds} == {ids["乙"], ids["丁"]}
    li = agent(db)
    assign_tasks(db, [open_task(db, ids["丙"]) or 0], li.id)
    assert list(queue_ids(db, QueueQuery(assignee_id=li.id))) == [open_task(db, ids["丙"])]
    assert len(queue_ids(db, QueueQuery(unassigned=True))) == 3
    assert len(queue_ids(db, QueueQuery(overdue_only=True, as_of=AS_OF + dt.timedelta(days=2)))) == 1
    log_outcome(db, Outcome(open_task(db, ids["甲"]) or 0, li.id, "reached_resolved"), AS_OF)
    assert len(queue_ids(db, QueueQuery())) == 3
    assert len(queue_ids(db, QueueQuery(status="done"))) == 1
    assert len(queue_ids(db, QueueQuery(status=None))) == 4


def test_closed_tasks_say_how_many_contacts_were_made(db: Database) -> None:
    ids = queue(db)
    li = agent(db)
    done = open_task(db, ids["甲"]) or 0
    log_outcome(db, Outcome(done, li.id, "reached_resolved"), AS_OF)
    unreachable = open_task(db, ids["乙"]) or 0
    for hours in (0, 4, 8):
        log_outcome(db, Outcome(unreachable, li.id, "no_answer"), AS_OF + dt.timedelta(hours=hours))
    still_open = open_task(db, ids["丙"]) or 0
    log_outcome(db, Outcome(still_open, li.id, "busy"), AS_OF)
    later = AS_OF + dt.timedelta(hours=9)
    rows = queue_rows(db, [done, unreachable, still_open], later)
    assert (rows[unreachable].status, rows[unreachable].attempts) == ("unreachable", 3)
    assert rows[unreachable].explanation == "退款 ¥20.00 · 1 天前 · 共 3 次联系"
    assert rows[done].status == "done" and rows[done].explanation.endswith(" · 共 1 次联系")
    assert rows[still_open].explanation.endswith(" · 第 2 次联系")
    english = queue_rows(db, [done, unreachable], later, "en")
    assert english[unreachable].explanation.endswith(" · 3 contacts")
    assert english[done].explanation.endswith(" · 1 contact")


def test_reason_counts_cover_every_reason_under_the_other_filters(db: Database) -> None:
    ids = queue(db)
    counts = reason_counts(db, QueueQuery(reason="refund"))
    assert counts["failed_payment"] == 1 and counts["refund"] == 2 and counts["large_amount"] == 2
    assert counts["survey"] == 0 and len(counts) == 8
    li = agent(db)
    assign_tasks(db, [open_task(db, ids["乙"]) or 0], li.id)
    assert sum(reason_counts(db, QueueQuery(assignee_id=li.id)).values()) == 1
    # 丁 has two reasons: counted under each, once among the tasks.
    assert sum(reason_counts(db, QueueQuery()).values()) == 5 and task_count(db, QueueQuery()) == 4
    assert task_count(db, QueueQuery(unassigned=True)) == 3 and task_count(db, QueueQuery(reason="refund")) == 2


def test_the_call_panel_explains_masks_and_fills_the_script(db: Database) -> None:
    ids = queue(db)
    li = agent(db)
    task = next_task(db, li.id, AS_OF).task_id or 0
    detail = task_detail(db, task, AS_OF, agent_name=li.name)
    assert detail.customer.id == ids["甲"] and detail.customer.name == "甲"
    assert "****" in detail.customer.phone_masked and "+86" not in detail.customer.phone_masked
    assert detail.explanation == "支付失败 ¥1,280.00 · 1 天前 · 第 1 次联系"
    assert detail.script.startswith(
        "您好，甲，我是钱包客服小李。看到您11月19日 10:00有一笔¥1,280.00的支付没有成功（余额不足）"
    )
    assert detail.held_by == "小李" and detail.max_attempts == 3
    assert [t.status for t in detail.transactions] == ["failed", "success"]
    assert detail.contacts == ()
    log_outcome(db, Outcome(task, li.id, "reached_followup", csat=3, topics=("支付失败",), notes="下午再打"), AS_OF)
    again = task_detail(db, task, AS_OF + dt.timedelta(hours=1), "en")
    assert again.explanation.endswith("2nd contact") and again.held_by is None
    (contact,) = again.contacts
    assert (contact.agent, contact.csat, contact.topics, contact.notes) == ("小李", 3, ("支付失败",), "下午再打")


def test_render_script_keeps_unknown_placeholders_and_drops_empty_brackets() -> None:
    assert render_script("{name}您好（{remark}）{unknown}", {"name": "王芳", "remark": ""}) == "王芳您好{unknown}"


def test_timeline_shows_transactions_tasks_and_attempts_latest_first(db: Database) -> None:
    ids = queue(db)
    li = agent(db)
    task = open_task(db, ids["甲"]) or 0
    log_outcome(db, Outcome(task, li.id, "reached_resolved", csat=5, nps=10, category="praise"), AS_OF)
    events = customer_timeline(db, ids["甲"])
    kinds = [event.kind for event in events]
    assert kinds == ["task_closed", "attempt", "task_opened", "transaction", "transaction"]
    assert events[1].title == "电话 · 已接通，已解决"
    assert events[1].detail == "小李 · 满意度 5/5 · NPS 10 · 表扬"
    assert events[3].title == "支付 失败 ¥1,280.00"
    assert customer_timeline(db, ids["甲"], "en")[1].title == "Phone · Reached, resolved"
    with pytest.raises(FollowupError):
        customer_timeline(db, 99_999)


def test_agents_are_unique_and_deactivating_frees_their_tasks(db: Database) -> None:
    ids = queue(db)
    li = agent(db, "小李")
    with pytest.raises(FollowupError, match="already"):
        add_agent(db, " 小李 ", AS_OF)
    with pytest.raises(FollowupError, match="name"):
        add_agent(db, "   ", AS_OF)
    wang = agent(db, "小王")
    plan = assign_round_robin(db, list(queue_ids(db, QueueQuery())), [li.id, wang.id])
    assert list(plan.values()) == [li.id, wang.id, li.id, wang.id]
    next_task(db, li.id, AS_OF)
    set_agent_active(db, li.id, False)
    assert [a.name for a in list_agents(db)] == ["小王"]
    assert len(queue_ids(db, QueueQuery(assignee_id=li.id))) == 0
    with pytest.raises(FollowupError, match="inactive"):
        next_task(db, li.id, AS_OF)
    assert open_task(db, ids["甲"]) is not None


def test_customers_with_followup_work(db: Database) -> None:
    ids = queue(db)
    idle = customer(db)
    assert customers_with_followup_work(db, [*ids.values(), idle, 99_999]) == set(ids.values())
    assert customers_with_followup_work(db, []) == set()
