"""`wallet-crm copy --to postgresql://…`: a team's SQLite database moved to a PostgreSQL server, whole."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from tests.conftest import AS_OF
from wallet_crm.cli_table import display_width
from wallet_crm.db import close_database, open_database
from wallet_crm.db.copy import CopyRefused, copy_database
from wallet_crm.feedback.figures import compute_report
from wallet_crm.feedback.period import Period
from wallet_crm.feedback.scope import ReportQuery
from wallet_crm.followup.agents import add_agent

PERIOD = Period(AS_OF.date() - dt.timedelta(days=29), AS_OF.date())


def test_every_row_moves_and_the_answers_stay_the_same(demo_path: Path, pg_url: str) -> None:
    source = SqliteDatabase(str(demo_path))  # the copy reads the file as it is
    report_before = compute_report(open_database(demo_path), ReportQuery(PERIOD), AS_OF).as_dict()
    close_database()
    target = open_database(pg_url)
    counts = copy_database(source, target)
    assert {count.table for count in counts} >= {"customers", "transactions", "tasks", "contact_attempts"}
    assert all(count.source == count.target for count in counts), counts
    assert next(count for count in counts if count.table == "transactions").target == 3000
    assert compute_report(target, ReportQuery(PERIOD), AS_OF).as_dict() == report_before
    new_agent = add_agent(target, "新来的", AS_OF)  # the id sequences moved past the copied ids
    assert new_agent.id > max(count.target for count in counts if count.table == "agents")
    with pytest.raises(CopyRefused, match="already holds data"):
        copy_database(source, target)
    close_database()


def test_the_command_prints_both_sides_counts(demo_path: Path, pg_url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "wallet_crm", "--db", str(demo_path), "copy", "--to", pg_url],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    transactions = next(line for line in lines if line.split()[:1] == ["transactions"])
    assert transactions.split()[1:3] == ["3,000", "3,000"]
    # In the command line's language (Chinese under the tests' C locale), the columns lined up by display width
    header = lines[0]
    assert header.split() == ["表", "来源", "目标"]
    assert display_width(header[: header.index("来源") + 2]) == len(transactions[: transactions.index("3,000") + 5])
    assert "  transactions：3,000 行" in done.stderr.splitlines()
    again = subprocess.run(
        [sys.executable, "-m", "wallet_crm", "--db", str(demo_path), "copy", "--to", pg_url],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    # In the command line's language: Chinese under the tests' C locale.
    assert again.returncode != 0 and "目标数据库中已有数据" in again.stderr and "Traceback" not in again.stderr
