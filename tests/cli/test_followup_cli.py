"""`wallet-crm queue|outcome|agents`, run as a subprocess on a database prepared in the test."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.followup_data import ago, customer, txn
from wallet_crm.cli_table import display_width
from wallet_crm.db import close_database, open_database

AS_OF = "2026-11-20 10:00"


def run(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wallet_crm", "--db", str(path), *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def crm(tmp_path: Path) -> Path:
    """Two customers: a failed payment and a refund."""
    path = tmp_path / "crm.sqlite3"
    db = open_database(path)
    failed, refund = customer(db, "王芳"), customer(db, "李雷")
    txn(db, failed, ago(days=40))
    txn(db, failed, ago(days=1), amount_fen=128_000, status="failed")
    txn(db, refund, ago(days=40))
    txn(db, refund, ago(days=2), amount_fen=3_000, txn_type="refund")
    close_database()
    return path


def counts(path: Path) -> tuple[int, int]:
    check = sqlite3.connect(path)
    try:
        tasks = check.execute("SELECT COUNT(*) FROM tasks").fetchone()[0]
        attempts = check.execute("SELECT COUNT(*) FROM contact_attempts").fetchone()[0]
    finally:
        check.close()
    return int(tasks), int(attempts)


def test_build_twice_then_list(crm: Path) -> None:
    first = run(crm, "queue", "build", "--as-of", AS_OF, "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {"created": 2, "updated": 0, "closed": 0, "open": 2}
    second = run(crm, "queue", "build", "--as-of", AS_OF, "--json")
    assert json.loads(second.stdout) == {"created": 0, "updated": 0, "closed": 0, "open": 2}
    listed = run(crm, "queue", "list", "--as-of", AS_OF, "--json")
    assert listed.returncode == 0, listed.stderr
    tasks = json.loads(listed.stdout)
    assert [task["reasons"] for task in tasks] == [["failed_payment"], ["refund"]]
    assert set(tasks[0]) >= {"task_id", "customer_id", "priority", "explanation", "due_at", "attempts", "status"}
    assert tasks[0]["explanation"] == "支付失败 ¥1,280.00 · 1 天前 · 第 1 次联系"
    assert (tasks[0]["due_at"], tasks[0]["assignee"], tasks[0]["status"]) == ("2026-11-21 10:00:00", None, "open")
    english = run(crm, "--lang", "en", "queue", "list", "--as-of", AS_OF, "--limit", "1")
    assert "Failed payment ¥1,280.00 · 1 day ago · 1st contact" in english.stdout
    assert len([line for line in english.stdout.splitlines() if line.strip()]) == 2  # header + one task
    assert english.stdout.splitlines()[1].split()[5] == "open"  # the status's code, for scripts


def test_the_queue_table_speaks_chinese_and_its_columns_line_up(crm: Path) -> None:
    run(crm, "queue", "build", "--as-of", AS_OF)
    header, first, second = run(crm, "--lang", "zh_CN", "queue", "list", "--as-of", AS_OF).stdout.splitlines()
    assert header.split() == ["任务", "优先", "到期", "次数", "状态", "负责人", "原因"]
    assert first.split()[5] == "待处理" and first.endswith("支付失败 ¥1,280.00 · 1 天前 · 第 1 次联系")
    # every column starts at the same terminal cell on every line: a Chinese character is two cells wide
    for column in ("状态", "原因"):
        start = display_width(header[: header.index(column)])
        assert display_width(first[: first.index(first.split()[5 if column == "状态" else 7])]) == start
    assert display_width(second[: second.index("退款")]) == display_width(header[: header.index("原因")])
    empty = run(crm, "--lang", "zh_CN", "queue", "list", "--status", "done")
    assert empty.stdout.strip() == "没有任务。"


def test_next_and_outcome_work_a_task(crm: Path) -> None:
    run(crm, "queue", "build", "--as-of", AS_OF)
    added = run(crm, "agents", "add", "小李", "--json")
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["name"] == "小李"
    nxt = run(crm, "queue", "next", "--agent", "小李", "--as-of", AS_OF, "--json")
    assert nxt.returncode == 0, nxt.stderr
    handed = json.loads(nxt.stdout)
    assert handed["status"] == "ok" and handed["held_until"] == "2026-11-20 10:15:00"
    task = handed["task"]
    assert task["reasons"] == ["failed_payment"] and task["phone"].count("*") == 4
    assert "王芳" in task["script"] and "小李" in task["script"]
    logged = run(
        crm,
        "outcome",
        str(task["task_id"]),
        "--agent",
        "小李",
        "--disposition",
        "reached_resolved",
        "--csat",
        "4",
        "--nps",
        "9",
        "--category",
        "complaint",
        "--topic",
        "到账慢",
        "--topic",
        "手续费",
        "--note",
        "已解释到账时间",
        "--as-of",
        "2026-11-20 10:05",
        "--json",
    )
    assert logged.returncode == 0, logged.stderr
    result = json.loads(logged.stdout)
    assert (result["task_status"], result["attempts"]) == ("done", 1)
    assert result["follow_up_task_id"] is not None  # the complaint's recheck
    assert counts(crm) == (3, 1)


def test_a_note_that_starts_with_a_dash_is_text(crm: Path) -> None:
    run(crm, "queue", "build", "--as-of", AS_OF)
    run(crm, "agents", "add", "小李")
    logged = run(
        crm, "outcome", "1", "--agent", "小李", "--disposition", "no_answer", "--note", "-1+1",
        "--as-of", AS_OF, "--json",
    )  # fmt: skip
    assert logged.returncode == 0, logged.stderr
    notes = sqlite3.connect(crm).execute("SELECT notes FROM contact_attempts").fetchall()
    assert notes == [("-1+1",)]


def test_the_build_and_an_outcome_are_reported_in_the_command_lines_language(crm: Path) -> None:
    built = run(crm, "queue", "build", "--as-of", AS_OF)  # Chinese under the tests' C locale
    assert built.stdout.strip() == "回访队列已按 2026-11-20 10:00 生成：新建 2 个，更新 0 个，关闭 0 个；待处理 2 个。"
    again = run(crm, "--lang", "en", "queue", "build", "--as-of", AS_OF)
    assert again.stdout.strip() == "Queue built as of 2026-11-20 10:00: 0 created, 0 updated, 0 closed; 2 open."
    run(crm, "agents", "add", "小李")
    logged = run(crm, "outcome", "1", "--agent", "小李", "--disposition", "no_answer", "--as-of", AS_OF)
    assert logged.stdout.startswith("已记录联系 1（任务 1）：仍待处理，") and logged.stdout.strip().endswith(
        "起再次联系。"
    )
    done = run(crm, "--lang", "en", "outcome", "2", "--agent", "小李", "--disposition", "reached_resolved",
               "--as-of", AS_OF)  # fmt: skip
    assert done.stdout.strip() == "Logged attempt 2 on task 2: done."  # English: the status's code, for scripts


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--disposition", "maybe"], "未知的回访结果"),  # the CLI speaks Chinese under a C locale
        (["--disposition", "reached_resolved", "--csat", "7"], "CSAT"),
        (["--disposition", "reached_followup", "--callback-at", "2026-11-19 10:00"], "不在将来"),
        (["--disposition", "reached_resolved", "--agent", "小王"], "没有名为 小王 的坐席"),
        (["--disposition", "reached_resolved", "--csat", "high"], "invalid int value"),
    ],
)
def test_bad_outcomes_exit_2_with_one_line_and_change_nothing(crm: Path, extra: list[str], message: str) -> None:
    run(crm, "queue", "build", "--as-of", AS_OF)
    run(crm, "agents", "add", "小李")
    before = counts(crm)
    result = run(crm, "outcome", "1", "--agent", "小李", "--as-of", AS_OF, *extra)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert counts(crm) == before


def test_a_closed_task_and_an_unknown_status_exit_2(crm: Path) -> None:
    run(crm, "queue", "build", "--as-of", AS_OF)
    run(crm, "agents", "add", "小李")
    done = run(crm, "outcome", "1", "--agent", "小李", "--disposition", "wrong_number", "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    again = run(crm, "outcome", "1", "--agent", "小李", "--disposition", "no_answer", "--as-of", AS_OF)
    assert again.returncode == 2 and "任务 1 已关闭（空号/错号）" in again.stderr
    assert counts(crm) == (2, 1)
    bad = run(crm, "queue", "list", "--status", "finished")
    assert bad.returncode == 2 and "未知的任务状态“finished”" in bad.stderr
    listed = run(crm, "queue", "list", "--status", "wrong_number", "--json")
    assert [task["task_id"] for task in json.loads(listed.stdout)] == [1]


def test_next_outside_calling_hours_says_when(crm: Path) -> None:
    run(crm, "queue", "build", "--as-of", AS_OF)
    run(crm, "agents", "add", "小李")
    late = run(crm, "--lang", "en", "queue", "next", "--agent", "小李", "--as-of", "2026-11-20 21:30")
    assert late.returncode == 0
    assert late.stdout.strip() == (
        "Outside calling hours; calls start again at 11-21 09:00. The hours are set in Settings → Contact policy."
    )
