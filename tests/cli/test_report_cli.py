"""`wallet-crm report` and `wallet-crm export` run as subprocesses over the hand-built history."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from tests.cli.test_cli import run
from tests.feedback_data import AS_OF, PERIOD, build_history
from wallet_crm.db import close_database, open_database
from wallet_crm.feedback.figures import compute_report
from wallet_crm.feedback.scope import ReportQuery

RANGE = ("--from", "2026-11-09", "--to", "2026-11-22", "--as-of", "2026-11-22 12:00")


@pytest.fixture
def history_db(tmp_path: Path) -> Path:
    path = tmp_path / "crm.sqlite3"
    build_history(open_database(path))
    close_database()
    return path


def test_report_json_is_the_service_answer(history_db: Path) -> None:
    result = run("--db", str(history_db), "report", *RANGE, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    db = open_database(history_db)
    expected = compute_report(db, ReportQuery(PERIOD), AS_OF).as_dict()
    close_database()
    assert data == expected
    assert (data["attempts"], data["contact_rate"], data["csat_pct"], data["nps"]) == (8, 75.0, 66.7, 0.0)
    for key in ("tasks_worked", "resolution_rate", "csat_avg", "categories", "topics", "win_back_rate", "queue",
                "agents", "trend"):  # fmt: skip
        assert key in data


def test_report_for_one_agent_and_for_people(history_db: Path) -> None:
    agent = run("--db", str(history_db), "report", *RANGE, "--agent", "小王", "--json")
    assert json.loads(agent.stdout)["attempts"] == 3
    table = run("--db", str(history_db), "report", *RANGE)
    assert table.returncode == 0
    assert "接通率" in table.stdout and "75.0%" in table.stdout and "100.0%" in table.stdout
    assert "2026-11-09 – 2026-11-22" in table.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--agent", "nobody"), "没有名为 nobody 的坐席"),  # the CLI speaks Chinese under a C locale
        (("--from", "2026-11-30", "--to", "2026-11-01"), "--to 2026-11-01 早于 --from 2026-11-30"),
        (("--from", "2026-13-01"), "not a date"),  # argparse's own words for a value it can't convert
        (("--reason", "nope"), "未知的回访原因“nope”"),
    ],
)
def test_bad_report_arguments_exit_2_with_one_line(history_db: Path, args: tuple[str, ...], message: str) -> None:
    result = run("--db", str(history_db), "report", *args)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_export_every_kind(history_db: Path, tmp_path: Path) -> None:
    # customers with a transaction in the range: c1 and c2; attempts in the range: a1..a8
    for kind, rows in (("transactions", 3), ("customers", 2), ("queue", 3), ("outcomes", 8)):
        target = tmp_path / f"{kind}.xlsx"
        result = run("--db", str(history_db), "export", kind, "-o", str(target), *RANGE, "--json")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == {"kind": kind, "file": str(target), "rows": rows, "full_phone": False}
        assert openpyxl.load_workbook(target).active.max_row == rows + 1
    report = tmp_path / "report.xlsx"
    assert run("--db", str(history_db), "export", "report", "-o", str(report), *RANGE).returncode == 0
    assert openpyxl.load_workbook(report)["汇总"]["B2"].value == 8  # attempts, as `report --json` says


def test_full_phone_export_is_recorded(history_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "c.xlsx"
    assert run("--db", str(history_db), "export", "customers", "-o", str(target), "--full-phone").returncode == 0
    assert openpyxl.load_workbook(target).active["C2"].value == "13800000001"
    db = open_database(history_db)
    rows = db.execute_sql("SELECT kind, file_name, rows, full_phone FROM export_log").fetchall()
    close_database()
    assert rows == [("customers", "c.xlsx", 7, 1)]  # every customer: no range given


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("queue", "-o", "out.csv"), "文件名必须以 .xlsx 结尾"),
        (("queue", "-o", "x.xlsx", "--status", "nope"), "未知的任务状态“nope”"),
        (("transactions", "-o", "x.xlsx", "--status", "nope"), "未知的交易状态“nope”"),
        (("nonsense", "-o", "x.xlsx"), "invalid choice"),
    ],
)
def test_bad_export_arguments_exit_2_and_write_nothing(
    history_db: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    result = run(
        "--db", str(history_db), "export", *[str(folder / a) if a.endswith(("xlsx", "csv")) else a for a in args]
    )
    assert result.returncode == 2 and message in result.stderr
    assert list(folder.iterdir()) == []
