"""After an import: history and undo, saved mapping profiles, progress and cancel, the rejected-rows workbook."""

from __future__ import annotations

import threading
from pathlib import Path

import openpyxl
import pytest
from peewee import Database

from tests.conftest import AS_OF
from tests.import_files import numbered_rows, row, snapshot, write_csv, write_xlsx
from wallet_crm.db.models import Customer, Transaction
from wallet_crm.errors import KnownError, OperationCancelled, UndoRefused
from wallet_crm.followup.agents import add_agent
from wallet_crm.followup.build import build_queue
from wallet_crm.followup.customers import reveal_phone
from wallet_crm.followup.work import Outcome, log_outcome
from wallet_crm.imports import ImportOptions, import_file, list_batches, preview_file, undo_batch
from wallet_crm.imports.errors_export import REASON_HEADER, write_rejected_rows


def test_undo_removes_the_batch_and_only_the_customers_it_alone_created(db: Database, tmp_path: Path) -> None:
    first = import_file(db, write_xlsx(tmp_path / "a.xlsx", [row("T1", customer="C1"), row("T2", customer="C2")]))
    second = import_file(
        db, write_xlsx(tmp_path / "b.xlsx", [row("T3", customer="C2"), row("T4", customer="C3", phone="13912345678")])
    )
    assert second.customers_created == 1  # C3; C2 is first's

    undone = undo_batch(db, second.batch_id or 0, undone_by="lead")

    assert (undone.transactions_removed, undone.customers_removed, undone.customers_kept) == (2, 1, 0)
    assert sorted(t.txn_id for t in Transaction.select()) == ["T1", "T2"]
    assert sorted(str(c.external_id) for c in Customer.select()) == ["C1", "C2"]
    history = list_batches(db)
    assert [(b.id, b.undone, b.undone_by) for b in history] == [
        (second.batch_id, True, "lead"),
        (first.batch_id, False, None),
    ]
    with pytest.raises(UndoRefused, match="already undone"):
        undo_batch(db, second.batch_id or 0)

    # A customer first's batch created but the next import also used stays when first's is undone.
    third = import_file(db, write_xlsx(tmp_path / "c.xlsx", [row("T5", customer="C1")]))
    result = undo_batch(db, first.batch_id or 0)
    assert (result.transactions_removed, result.customers_removed, result.customers_kept) == (2, 1, 1)
    assert [c.external_id for c in Customer.select()] == ["C1"]
    assert third.batch_id is not None and [t.txn_id for t in Transaction.select()] == ["T5"]
    # Undone rows are importable again.
    assert import_file(db, tmp_path / "a.xlsx").inserted == 2


@pytest.mark.sqlite_only
def test_undo_is_refused_once_follow_up_work_depends_on_the_batch(db: Database, db_path: Path, tmp_path: Path) -> None:
    result = import_file(db, write_xlsx(tmp_path / "a.xlsx", numbered_rows(3)))
    # Stands in for the follow-up tables to come: any row referring to an imported transaction.
    db.execute_sql(
        "CREATE TABLE follow_up_tasks (id INTEGER PRIMARY KEY, transaction_id INTEGER REFERENCES transactions (id))"
    )
    db.execute_sql("INSERT INTO follow_up_tasks (transaction_id) SELECT MIN(id) FROM transactions")
    before = snapshot(db_path)
    with pytest.raises(UndoRefused, match="follow-up work"):
        undo_batch(db, result.batch_id or 0)
    assert snapshot(db_path) == before


def _open_task_for(db: Database, external_id: str) -> None:
    db.execute_sql(
        "INSERT INTO tasks (customer_id, status, priority, top_reason, available_at, due_at, created_at, updated_at) "
        "SELECT id, 'open', 50, 'failed_payment', '2026-11-20 10:00:00', '2026-11-20 18:00:00', "
        "'2026-11-20 10:00:00', '2026-11-20 10:00:00' FROM customers WHERE external_id = ?",
        (external_id,),
    )


def _day(tmp_path: Path, name: str, rows: list[tuple[object, ...]]) -> Path:
    """A day's export as a UTF-8 CSV with BOM, as Excel saves one."""
    return write_csv(tmp_path / name, rows, "utf-8-sig")


def _customer_id(db: Database, external_id: str) -> int:
    return int(db.execute_sql("SELECT id FROM customers WHERE external_id = ?", (external_id,)).fetchone()[0])


def _work_on_open_task_of(db: Database, external_id: str, agent_id: int, how: str = "attempt") -> int:
    """What an agent does with the customer's queued task: log a call, or reveal the number to dial it."""
    customer_id = _customer_id(db, external_id)
    task_id = int(
        db.execute_sql("SELECT id FROM tasks WHERE customer_id = ? AND status = 'open'", (customer_id,)).fetchone()[0]
    )
    if how == "attempt":
        log_outcome(db, Outcome(task_id=task_id, agent_id=agent_id, disposition="no_answer"), AS_OF)
    else:
        reveal_phone(db, customer_id, agent_id, AS_OF, task_id=task_id)
    return task_id


def _count(db: Database, table: str) -> int:
    return int(db.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_undo_is_not_refused_by_earlier_work_on_a_customer_unrelated_to_the_batch(db: Database, tmp_path: Path) -> None:
    t1 = row("T1", when="2026-11-18 10:00:00", customer="C1", name="甲", phone="13812345678", status="失败")
    import_file(db, _day(tmp_path, "day1.csv", [t1]))
    build_queue(db, AS_OF)
    agent = add_agent(db, "小李", AS_OF)
    task_id = _work_on_open_task_of(db, "C1", agent.id)  # about day1's failed payment
    t2 = row("T2", when="2026-11-19 10:00:00", customer="C1", name="甲", phone="13812345678")
    second = import_file(db, _day(tmp_path, "day2.csv", [t1, t2]))
    build_queue(db, AS_OF)

    result = undo_batch(db, second.batch_id or 0)

    assert (result.transactions_removed, result.customers_removed, result.customers_kept) == (1, 0, 0)
    assert [t.txn_id for t in Transaction.select()] == ["T1"]
    assert db.execute_sql("SELECT id, attempts FROM tasks").fetchall() == [(task_id, 1)]  # the work keeps its ground
    assert _count(db, "contact_attempts") == 1


@pytest.mark.parametrize("how", ["attempt", "reveal"])
@pytest.mark.sqlite_only
def test_undo_is_refused_once_tasks_its_transactions_triggered_were_worked_on(
    db: Database, db_path: Path, tmp_path: Path, how: str
) -> None:
    earlier = [
        row("T1", when="2026-10-01 10:00:00", customer="C1", phone="13812345671"),
        row("T2", when="2026-10-01 10:00:00", customer="C2", phone="13812345672"),
    ]
    import_file(db, _day(tmp_path, "day1.csv", earlier))
    failures = [
        row("T3", when="2026-11-19 10:00:00", customer="C1", phone="13812345671", status="失败"),
        row("T4", when="2026-11-19 11:00:00", customer="C2", phone="13812345672", status="失败"),
    ]
    second = import_file(db, _day(tmp_path, "day2.csv", [*earlier, *failures]))
    build_queue(db, AS_OF)
    agent = add_agent(db, "小李", AS_OF)
    for external_id in ("C1", "C2"):
        _work_on_open_task_of(db, external_id, agent.id, how)
    before = snapshot(db_path)

    message = r"Batch 2 \(day2.csv\) can't be undone: 2 follow-up tasks were worked on because of its transactions\.$"
    with pytest.raises(UndoRefused, match=message):
        undo_batch(db, second.batch_id or 0)
    assert snapshot(db_path) == before


@pytest.mark.sqlite_only
def test_undo_is_refused_once_a_customer_it_created_was_contacted_until_a_later_batch_keeps_it(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    import_file(db, _day(tmp_path, "day1.csv", [row("T1", when="2026-11-18 10:00:00", customer="C1")]))
    new = row("T2", when="2026-11-19 10:00:00", customer="C2", phone="13912345678")
    second = import_file(db, _day(tmp_path, "day2.csv", [new]))
    agent = add_agent(db, "小李", AS_OF)
    reveal_phone(db, _customer_id(db, "C2"), agent.id, AS_OF)  # from the Customers page: no task
    before = snapshot(db_path)

    message = "1 customer it created has been contacted or had their phone number revealed"
    with pytest.raises(UndoRefused, match=rf"Batch 2 \(day2.csv\) can't be undone: {message}\.$"):
        undo_batch(db, second.batch_id or 0)
    assert snapshot(db_path) == before

    # Once a later batch uses C2 the undo keeps it, so the reveal no longer stands in the way.
    import_file(db, _day(tmp_path, "day3.csv", [row("T3", when="2026-11-19 12:00:00", customer="C2")]))
    result = undo_batch(db, second.batch_id or 0)
    assert (result.transactions_removed, result.customers_removed, result.customers_kept) == (1, 0, 1)
    assert _count(db, "phone_reveals") == 1


def test_undo_restores_the_name_and_phone_the_batch_changed(db: Database, tmp_path: Path) -> None:
    t1 = row("T1", when="2026-11-18 10:00:00", customer="C1", name="甲", phone="13812345678")
    import_file(db, _day(tmp_path, "day1.csv", [t1]))
    t2 = row("T2", when="2026-11-19 10:00:00", customer="C1", name="甲新名", phone="13912345678")
    second = import_file(db, _day(tmp_path, "day2.csv", [t1, t2]))
    assert second.customers_updated == 1
    assert [(c.name, c.phone) for c in Customer.select()] == [("甲新名", "+8613912345678")]

    result = undo_batch(db, second.batch_id or 0)

    assert result.customers_restored == 1
    assert [(c.name, c.phone) for c in Customer.select()] == [("甲", "+8613812345678")]
    assert _count(db, "customer_changes") == 0


def test_undo_keeps_what_a_later_batch_changed_again(db: Database, tmp_path: Path) -> None:
    t1 = row("T1", when="2026-11-18 10:00:00", customer="C1", name="甲", phone="13812345678")
    import_file(db, _day(tmp_path, "day1.csv", [t1]))
    t2 = row("T2", when="2026-11-19 10:00:00", customer="C1", name="甲新名", phone="13912345678")
    second = import_file(db, _day(tmp_path, "day2.csv", [t1, t2]))
    t3 = row("T3", when="2026-11-19 12:00:00", customer="C1", name="甲三", phone="13912345678")
    third = import_file(db, _day(tmp_path, "day3.csv", [t1, t2, t3]))
    assert third.customers_updated == 1

    undo_batch(db, second.batch_id or 0)

    # day3 wrote the name, so it stays; the phone is still what day2 wrote, so day1's comes back.
    assert [(c.name, c.phone) for c in Customer.select()] == [("甲三", "+8613812345678")]

    undo_batch(db, third.batch_id or 0)

    # day3's change now goes back to day1's name, not to day2's, which was undone.
    assert [(c.name, c.phone) for c in Customer.select()] == [("甲", "+8613812345678")]
    assert _count(db, "customer_changes") == 0


def test_undo_removes_tasks_nobody_has_worked_yet(db: Database, tmp_path: Path) -> None:
    first = import_file(db, write_xlsx(tmp_path / "a.xlsx", [row("T1", customer="C1", status="失败")]))
    _open_task_for(db, "C1")
    result = undo_batch(db, first.batch_id or 0)
    assert (result.transactions_removed, result.customers_removed) == (1, 1)
    assert db.execute_sql("SELECT COUNT(*) FROM tasks").fetchone()[0] == 0


def test_undo_of_an_unknown_batch_or_demo_data_is_refused(demo_db: Database) -> None:
    with pytest.raises(KnownError, match="no import batch 999"):
        undo_batch(demo_db, 999)
    with pytest.raises(UndoRefused, match="demo data"):
        undo_batch(demo_db, 1)


def test_a_corrected_mapping_is_saved_and_used_next_time(db: Database, tmp_path: Path) -> None:
    header = (
        "单据",
        "发生于",
        "会员",
        "手机号",
        "业务",
        "发生额",
        "结果",
    )  # 单据/发生于/业务/发生额/结果: unknown words
    rows = [("X1", "2026-11-03 10:00:00", "C1", "13812345678", "消费", "10.00", "成功")]
    path = write_xlsx(tmp_path / "odd.xlsx", rows, header=header, preamble=())
    preview = preview_file(db, path)
    assert preview.missing and not preview.from_profile
    mapping = {"txn_id": 0, "occurred_at": 1, "customer_id": 2, "phone": 3, "txn_type": 4, "amount": 5, "status": 6}

    assert import_file(db, path, ImportOptions(mapping=mapping)).inserted == 1

    later = write_xlsx(tmp_path / "odd2.xlsx", [("X2", *rows[0][1:])], header=header, preamble=())
    again = preview_file(db, later)
    assert again.from_profile and again.mapping == mapping and again.missing == ()
    assert import_file(db, later).inserted == 1


def test_a_bad_mapping_is_refused_with_its_reason(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", numbered_rows(1))
    with pytest.raises(KnownError, match="one column for two fields"):
        import_file(db, path, ImportOptions(mapping={"txn_id": 0, "occurred_at": 0}))
    with pytest.raises(KnownError, match="columns the header row does not have"):
        import_file(db, path, ImportOptions(mapping={"txn_id": 40}))
    with pytest.raises(KnownError, match="no column for status"):
        import_file(
            db, path, ImportOptions(mapping={"txn_id": 0, "occurred_at": 1, "amount": 6, "phone": 4, "txn_type": 5})
        )


@pytest.mark.sqlite_only
def test_progress_goes_up_to_the_total_and_cancel_writes_nothing(db: Database, db_path: Path, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "big.xlsx", numbered_rows(9000), preamble=())
    seen: list[tuple[int, int]] = []
    cancel = threading.Event()

    def stop_when_writing(done: int, total: int) -> None:
        seen.append((done, total))
        if done > total // 2:
            cancel.set()

    before = snapshot(db_path)
    with pytest.raises(OperationCancelled, match="nothing was written"):
        import_file(db, path, progress=stop_when_writing, cancel=cancel)
    assert snapshot(db_path) == before
    assert any(done > total // 2 for done, total in seen)  # it got into the writing half

    seen.clear()
    result = import_file(db, path, progress=lambda done, total: seen.append((done, total)))
    assert result.inserted == 9000
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert seen[-1][0] == seen[-1][1] and len({total for _, total in seen}) == 1


def test_rejected_rows_are_saved_with_their_reasons(db: Database, tmp_path: Path) -> None:
    rows = [
        row("T1"),
        row("T2", amount="=1+1"),
        row("T3"),
        row("T4", customer=None, name=None, phone="138****8000", when="soon"),
    ]
    source = write_csv(tmp_path / "in.csv", rows, "utf-8-sig", preamble=[("账单",), ()])
    result = import_file(db, source, ImportOptions(dry_run=True))
    target = tmp_path / "rejected.xlsx"

    assert write_rejected_rows(source, result, target) == 2

    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    lines = [tuple(cell.value for cell in line) for line in sheet.iter_rows()]
    assert lines[0][1] == "交易流水号" and lines[0][-1] == REASON_HEADER
    assert [line[0] for line in lines[1:]] == [5, 7]  # the rows as the source numbers them
    assert lines[1][1] == "T2" and lines[1][7] == "=1+1"  # kept as text, not a formula
    assert lines[1][-1] == "amount: not an amount of money (=1+1)"
    assert lines[2][-1] == (
        "time: not a date (soon); phone: not a phone number: masked like 138****8000 (export full numbers, or include "
        "the customer id) (138****8000)"
    )
