"""Building the queue: one open task per customer, merged reasons, idempotence, closing, cooldown, do-not-contact."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from peewee import Database, IntegrityError

from tests.unit.followup_data import AS_OF, agent, ago, customer, open_task, reasons_of, task_rows, txn
from wallet_crm.errors import OperationCancelled
from wallet_crm.followup.build import BuildResult, build_queue
from wallet_crm.followup.customers import set_do_not_contact
from wallet_crm.followup.settings import FollowupSettings
from wallet_crm.followup.work import Outcome, log_outcome


def snapshot(db: Database) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    tasks = db.execute_sql("SELECT * FROM tasks ORDER BY id").fetchall()
    reasons = db.execute_sql("SELECT * FROM task_reasons ORDER BY id").fetchall()
    return list(tasks), list(reasons)


def test_reasons_of_one_customer_merge_into_one_task_scored_by_the_strongest(db: Database) -> None:
    alice = customer(db)
    txn(db, alice, ago(days=2), amount_fen=128_000, status="failed")
    txn(db, alice, ago(days=1), amount_fen=3_000, txn_type="refund")
    result = build_queue(db, AS_OF)
    assert result == BuildResult(created=1, updated=0, closed=0, open=1)
    assert reasons_of(db, alice) == {"failed_payment", "refund", "new_customer"}
    (row,) = task_rows(db)
    # failed_payment 80 + ¥1,280 → 9 + two days ago → 3
    assert row == (alice, "open", "failed_payment", 92, 0)
    due, available = db.execute_sql("SELECT due_at, available_at FROM tasks").fetchone()
    assert due == "2026-11-21 10:00:00"  # the earliest due of its reasons: failed_payment's day
    assert available == "2026-11-18 10:00:00"  # the earliest trigger (the failure, her first transaction)


def test_a_second_build_with_the_same_as_of_changes_nothing(db: Database) -> None:
    for index in range(6):
        who = customer(db)
        txn(db, who, ago(days=index + 1), amount_fen=600_000 * (index % 2) + 1_000, status="failed")
        txn(db, who, ago(days=40 + index))
    first = build_queue(db, AS_OF)
    before = snapshot(db)
    second = build_queue(db, AS_OF)
    assert first.created == 6 and first.open == 6
    assert second == BuildResult(created=0, updated=0, closed=0, open=6)
    assert snapshot(db) == before


def test_a_new_reason_joins_the_open_task(db: Database) -> None:
    bob = customer(db)
    txn(db, bob, ago(days=20))
    txn(db, bob, ago(days=3), txn_type="refund", amount_fen=500)
    build_queue(db, AS_OF)
    task = open_task(db, bob)
    txn(db, bob, ago(hours=1), status="failed", amount_fen=50_000)
    result = build_queue(db, AS_OF)
    assert (result.created, result.updated, result.open) == (0, 1, 1)
    assert open_task(db, bob) == task
    assert reasons_of(db, bob) == {"refund", "failed_payment"}
    assert task_rows(db)[0][2:4] == ("failed_payment", 80 + 8 + 5)


def test_a_reason_that_no_longer_applies_closes_an_untouched_task(db: Database) -> None:
    carol = customer(db)
    txn(db, carol, ago(days=20))
    txn(db, carol, ago(hours=5), status="failed")
    build_queue(db, AS_OF)
    txn(db, carol, ago(hours=4))  # a later import: she paid an hour after the failure
    result = build_queue(db, AS_OF)
    assert (result.closed, result.open) == (1, 0)
    assert task_rows(db)[0][1] == "obsolete"


def test_a_reason_that_no_longer_applies_stays_once_someone_has_called(db: Database) -> None:
    dave = customer(db)
    txn(db, dave, ago(days=20))
    txn(db, dave, ago(hours=5), status="failed")
    build_queue(db, AS_OF)
    caller = agent(db)
    log_outcome(db, Outcome(open_task(db, dave) or 0, caller.id, "no_answer"), AS_OF)
    txn(db, dave, ago(hours=4))
    result = build_queue(db, AS_OF + dt.timedelta(minutes=5))
    assert (result.closed, result.open) == (0, 1)
    assert reasons_of(db, dave) == {"failed_payment"}


def test_one_reason_of_several_dropping_leaves_the_others_and_rescores(db: Database) -> None:
    erin = customer(db)
    txn(db, erin, ago(days=20))
    txn(db, erin, ago(hours=5), status="failed")
    txn(db, erin, ago(days=1), txn_type="refund", amount_fen=2_000)
    build_queue(db, AS_OF)
    txn(db, erin, ago(hours=4))
    result = build_queue(db, AS_OF)
    assert (result.updated, result.closed, result.open) == (1, 0, 1)
    assert reasons_of(db, erin) == {"refund"}
    assert task_rows(db)[0][2:4] == ("refund", 60 + 3 + 4)


def test_a_handled_reason_is_not_queued_again_but_a_new_trigger_is(db: Database) -> None:
    frank = customer(db)
    txn(db, frank, ago(days=20))
    txn(db, frank, ago(days=2), status="failed")
    build_queue(db, AS_OF)
    caller = agent(db)
    log_outcome(db, Outcome(open_task(db, frank) or 0, caller.id, "reached_resolved"), AS_OF)
    later = AS_OF + dt.timedelta(days=3)
    assert build_queue(db, later).created == 0
    txn(db, frank, later - dt.timedelta(hours=1), status="failed")
    assert build_queue(db, later).created == 1  # failed_payment is exempt from the cooldown
    assert reasons_of(db, frank) == {"failed_payment"}


def test_a_customer_reached_lately_gets_only_the_exempt_reasons(db: Database) -> None:
    gina = customer(db)
    txn(db, gina, ago(days=25))
    txn(db, gina, ago(days=24), status="failed")
    build_queue(db, AS_OF - dt.timedelta(days=20))
    caller = agent(db)
    log_outcome(db, Outcome(open_task(db, gina) or 0, caller.id, "reached_resolved"), AS_OF - dt.timedelta(days=20))
    txn(db, gina, ago(days=1), txn_type="refund")
    assert build_queue(db, AS_OF).created == 0  # reached 20 days ago: the refund waits
    txn(db, gina, ago(hours=2), status="failed")
    assert build_queue(db, AS_OF).created == 1
    assert reasons_of(db, gina) == {"failed_payment"}
    db.execute_sql("UPDATE tasks SET status = 'done' WHERE status = 'open'")
    txn(db, gina, AS_OF + dt.timedelta(days=11), txn_type="refund")
    assert build_queue(db, AS_OF + dt.timedelta(days=12)).created == 1  # past the 30-day cooldown
    assert reasons_of(db, gina) == {"refund"}


def test_do_not_contact_and_invalid_phones_are_never_queued(db: Database) -> None:
    quiet, invalid, normal = customer(db), customer(db), customer(db)
    for who in (quiet, invalid, normal):
        txn(db, who, ago(days=1), status="failed")
    db.execute_sql("UPDATE customers SET do_not_contact = ? WHERE id = ?", (True, quiet))
    db.execute_sql("UPDATE customers SET phone_invalid = ? WHERE id = ?", (True, invalid))
    assert build_queue(db, AS_OF).created == 1
    assert open_task(db, normal) is not None and open_task(db, quiet) is None and open_task(db, invalid) is None


def test_switching_do_not_contact_on_cancels_the_open_task_for_good(db: Database) -> None:
    hank = customer(db)
    txn(db, hank, ago(days=1), status="failed")
    build_queue(db, AS_OF)
    assert set_do_not_contact(db, hank, True, AS_OF) == 1
    assert task_rows(db)[0][1] == "cancelled"
    txn(db, hank, ago(hours=1), status="failed", amount_fen=900_000)
    assert build_queue(db, AS_OF).created == 0
    assert set_do_not_contact(db, hank, False, AS_OF) == 0
    assert build_queue(db, AS_OF).created == 1


def test_the_database_refuses_a_second_open_task_for_a_customer(db: Database) -> None:
    ivy = customer(db)
    txn(db, ivy, ago(days=1), status="failed")
    build_queue(db, AS_OF)
    with pytest.raises(IntegrityError), db.atomic():
        db.execute_sql(
            "INSERT INTO tasks (customer_id, status, priority, top_reason, available_at, due_at, attempts, "
            "created_at, updated_at) VALUES (?, 'open', 1, 'survey', ?, ?, 0, ?, ?)",
            (ivy, "2026-11-20 10:00:00", "2026-11-21 10:00:00", "2026-11-20 10:00:00", "2026-11-20 10:00:00"),
        )


def test_priority_decays_with_the_days_and_a_same_day_rebuild_does_not_touch_it(db: Database) -> None:
    jack = customer(db)
    txn(db, jack, ago(days=60))
    txn(db, jack, ago(hours=1), txn_type="refund", amount_fen=100)
    build_queue(db, AS_OF)
    assert task_rows(db)[0][3] == 60 + 0 + 5
    assert build_queue(db, AS_OF + dt.timedelta(hours=8)).updated == 0
    assert build_queue(db, AS_OF + dt.timedelta(days=2)).updated == 1
    assert task_rows(db)[0][3] == 60 + 0 + 3


def test_an_unworked_task_expires_when_its_trigger_leaves_the_window(db: Database) -> None:
    kate = customer(db)
    txn(db, kate, ago(days=60))
    txn(db, kate, ago(days=2), txn_type="refund")
    build_queue(db, AS_OF)
    result = build_queue(db, AS_OF + dt.timedelta(days=29))
    assert (result.closed, result.open) == (1, 0)


def test_the_rules_and_window_follow_the_settings(db: Database) -> None:
    leo = customer(db)
    txn(db, leo, ago(days=60))
    txn(db, leo, ago(days=2), txn_type="refund")
    assert build_queue(db, AS_OF, settings=FollowupSettings().with_rule("refund", enabled=False)).created == 0
    assert build_queue(db, AS_OF, settings=FollowupSettings(window_days=1)).created == 0
    assert build_queue(db, AS_OF).created == 1


def test_a_cancelled_build_writes_nothing(db: Database) -> None:
    mia = customer(db)
    txn(db, mia, ago(days=1), status="failed")
    cancel = threading.Event()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        cancel.set()

    with pytest.raises(OperationCancelled):
        build_queue(db, AS_OF, progress=progress, cancel=cancel)
    assert seen == [(1, 9)]
    assert task_rows(db) == []


def test_a_build_inside_a_transaction_sees_its_uncommitted_rows(db: Database) -> None:
    """The demo writes its data and builds in one transaction: the rules must not read on other connections."""
    with db.atomic():
        mia = customer(db)
        txn(db, mia, ago(days=1), status="failed")
        assert build_queue(db, AS_OF).created == 1
    assert [row[0] for row in db.execute_sql("SELECT customer_id FROM tasks WHERE status = 'open'")] == [mia]
