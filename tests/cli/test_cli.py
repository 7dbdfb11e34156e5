"""The real `wallet-crm` command, run as a subprocess."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from wallet_crm import __version__
from wallet_crm.db.migrations import LATEST_VERSION


def run(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "wallet_crm", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"wallet-crm {__version__}"


def test_status_json_on_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    result = run("--db", str(path), "status", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == LATEST_VERSION
    assert (data["customers"], data["transactions"]) == (0, 0)
    assert data["database"] == str(path) and data["backend"] == "sqlite"


def test_status_for_people_is_a_table_in_the_command_lines_language(tmp_path: Path) -> None:
    result = run("--lang", "en", "--db", str(tmp_path / "x.sqlite3"), "status")
    assert result.returncode == 0
    lines = dict(
        line.split(None, 1) for line in result.stdout.splitlines() if line.startswith(("customers", "backend"))
    )
    assert lines == {"customers": "0", "backend": "sqlite"}
    chinese = run("--lang", "zh_CN", "--db", str(tmp_path / "x.sqlite3"), "status")
    rows = dict(line.split(None, 1) for line in chinese.stdout.splitlines())
    assert (rows["客户"], rows["演示数据"]) == ("0", "否")


def test_database_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "env.sqlite3"
    result = run("status", "--json", env_extra={"WALLET_CRM_DB": str(path)})
    assert result.returncode == 0
    assert json.loads(result.stdout)["database"] == str(path)


def test_default_database_lives_in_the_user_data_folder(user_folders: Path) -> None:
    result = run("status", "--json")
    assert result.returncode == 0, result.stderr
    database = Path(json.loads(result.stdout)["database"])
    assert database.name == "wallet-crm.sqlite3"
    assert database.is_relative_to(user_folders / "data") and database.exists()


def test_a_file_that_is_not_a_database_exits_2_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "report.sqlite3"
    path.write_text("this is a text file, not a database\n" * 50, encoding="utf-8")
    result = run("--db", str(path), "status", "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    # In the command line's language: Chinese under the tests' C locale (the app is Chinese first).
    assert len(lines) == 1 and "不是 wallet-crm 数据库" in lines[0] and str(path) in lines[0]
    assert "Traceback" not in result.stderr


def test_a_newer_schema_exits_2_naming_both_versions(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    assert run("--db", str(path), "status").returncode == 0
    connection = sqlite3.connect(path)
    connection.execute("UPDATE schema_info SET version = 99")
    connection.commit()
    connection.close()
    result = run("--db", str(path), "status", "--json")
    assert result.returncode == 2
    line = result.stderr.strip()
    assert "\n" not in line and "99" in line and f"最高支持 {LATEST_VERSION}" in line
    english = run("--lang", "en", "--db", str(path), "status").stderr.strip()
    assert "\n" not in english and f"knows up to version {LATEST_VERSION}" in english


def test_bad_usage_exits_2_with_one_line() -> None:
    result = run("no-such-command")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "invalid choice" in result.stderr
    result = run("demo", "--customers", "lots")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


def test_demo_writes_a_separate_database_and_status_sees_it(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    result = run("demo", "--db", str(path), "--customers", "50", "--transactions", "400", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"database": str(path), "customers": 50, "transactions": 400}
    status = json.loads(run("--db", str(path), "status", "--json").stdout)
    assert (status["customers"], status["transactions"], status["is_demo"]) == (50, 400, True)


def test_demo_refuses_to_overwrite_a_real_database(tmp_path: Path) -> None:
    path = tmp_path / "real.sqlite3"
    assert run("--db", str(path), "status").returncode == 0
    connection = sqlite3.connect(path)
    connection.execute(
        "INSERT INTO customers (id, name, created_at, updated_at) VALUES (1, 'x', '2026-01-01', '2026-01-01')"
    )
    connection.execute(
        "INSERT INTO transactions (txn_id, customer_id, occurred_at, amount_fen, status, txn_type) "
        "VALUES ('R1', 1, '2026-01-01 10:00:00', 100, 'success', 'payment')"
    )
    connection.commit()
    connection.close()
    result = run("demo", "--db", str(path))
    assert result.returncode == 2 and "中有真实数据" in result.stderr  # Chinese under the tests' C locale
    english = run("--lang", "en", "demo", "--db", str(path))
    assert english.returncode == 2 and "holds real data" in english.stderr
    assert json.loads(run("--db", str(path), "status", "--json").stdout)["transactions"] == 1


def test_installed_console_script_runs() -> None:
    script = Path(sys.executable).with_name("wallet-crm")
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and __version__ in result.stdout
