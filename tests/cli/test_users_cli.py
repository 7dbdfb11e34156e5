"""`--user`, `users add|list|passwd|role` and the role each command needs, run as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import postgres
from tests.import_files import numbered_rows, write_csv
from tests.unit.followup_data import ago, customer, txn
from wallet_crm.db import close_database, open_database
from wallet_crm.logging_setup import LOG_FILE_NAME

AS_OF = "2026-11-20 10:00"
ADMIN_PASSWORD, AGENT_PASSWORD = "admin secret 1", "agent secret 2"


def run(path: Path | str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("WALLET_CRM_PASSWORD", "WALLET_CRM_NEW_PASSWORD")}
    return subprocess.run(
        [sys.executable, "-m", "wallet_crm", "--lang", "en", "--db", str(path), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**clean, **env},
        stdin=subprocess.DEVNULL,
    )


def error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture(params=["sqlite", "postgresql"])
def crm(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A failed payment to call about, an admin 老张 and an agent 小李; on a SQLite file and on PostgreSQL."""
    target = str(tmp_path / "crm.sqlite3") if request.param == "sqlite" else request.getfixturevalue("pg_url")
    db = open_database(target)
    if request.param == "postgresql":
        postgres.accept_question_marks_from_tests(db)
    who = customer(db, "王芳")
    txn(db, who, ago(days=40))
    txn(db, who, ago(days=1), amount_fen=128_000, status="failed")
    close_database()
    added = run(target, "users", "add", "老张", "--role", "admin", WALLET_CRM_NEW_PASSWORD=ADMIN_PASSWORD)
    assert added.returncode == 0, added.stderr
    agent = run(
        target, "--user", "老张", "users", "add", "小李", "--role", "agent",
        WALLET_CRM_PASSWORD=ADMIN_PASSWORD, WALLET_CRM_NEW_PASSWORD=AGENT_PASSWORD,
    )  # fmt: skip
    assert agent.returncode == 0, agent.stderr
    return target


def test_without_users_nothing_asks_for_a_log_in_but_a_call_needs_an_agent(tmp_path: Path) -> None:
    path = tmp_path / "crm.sqlite3"
    assert run(path, "status").returncode == 0
    assert "--agent NAME" in error_line(run(path, "queue", "next", "--as-of", AS_OF))
    first = run(path, "users", "add", "小李", "--role", "agent", WALLET_CRM_NEW_PASSWORD=AGENT_PASSWORD)
    assert "first user must be an admin" in error_line(first)


def test_with_users_every_command_signs_in_first(crm: str) -> None:
    assert "sign in with --user NAME" in error_line(run(crm, "status"))
    assert "Wrong user name or password." in error_line(
        run(crm, "--user", "老张", "status", WALLET_CRM_PASSWORD="nope")
    )
    assert "Wrong user name or password." in error_line(run(crm, "--user", "老王", "status", WALLET_CRM_PASSWORD="x"))
    assert "set $WALLET_CRM_PASSWORD" in error_line(run(crm, "--user", "老张", "status"))  # no terminal to ask on
    ok = run(crm, "--user", "老张", "status", "--json", WALLET_CRM_PASSWORD=ADMIN_PASSWORD)
    assert ok.returncode == 0 and json.loads(ok.stdout)["customers"] == 1
    listed = run(crm, "--user", "小李", "users", "list", "--json", WALLET_CRM_PASSWORD=AGENT_PASSWORD)
    assert json.loads(listed.stdout) == [
        {"name": "小李", "role": "agent", "active": True},
        {"name": "老张", "role": "admin", "active": True},
    ]


def test_an_agent_calls_as_themselves_and_is_refused_what_needs_a_higher_role(crm: str) -> None:
    agent = {"WALLET_CRM_PASSWORD": AGENT_PASSWORD}
    built = run(crm, "--user", "小李", "queue", "build", "--as-of", AS_OF, **agent)
    assert error_line(built) == (
        "wallet-crm: error: Rebuilding the queue needs the supervisor role; 小李 is signed in as agent."
    )
    assert (
        run(crm, "--user", "老张", "queue", "build", "--as-of", AS_OF, WALLET_CRM_PASSWORD=ADMIN_PASSWORD).returncode
        == 0
    )
    handed = run(crm, "--user", "小李", "queue", "next", "--as-of", AS_OF, "--json", **agent)
    assert handed.returncode == 0, handed.stderr
    task_id = json.loads(handed.stdout)["task"]["task_id"]
    check = open_database(crm, bind=False)
    holder = check.execute_sql(
        f"SELECT a.name FROM tasks t JOIN agents a ON a.id = t.held_by_id WHERE t.id = {check.param}", (task_id,)
    ).fetchone()
    check.close()
    assert tuple(holder) == ("小李",)
    other = run(crm, "--user", "小李", "queue", "next", "--agent", "老张", "--as-of", AS_OF, **agent)
    assert "works as themselves" in error_line(other)
    role = run(crm, "--user", "小李", "users", "role", "小李", "admin", **agent)
    assert "needs the admin role" in error_line(role)


def test_an_import_records_the_signed_in_user_as_its_importer(crm: str, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "orders.csv", numbered_rows(3), encoding="utf-8")
    admin = {"WALLET_CRM_PASSWORD": ADMIN_PASSWORD}
    refused = run(crm, "--user", "小李", "import", str(source), WALLET_CRM_PASSWORD=AGENT_PASSWORD)
    assert "Importing transactions needs the supervisor role" in error_line(refused)
    assert run(crm, "--user", "老张", "import", str(source), **admin).returncode == 0
    history = run(crm, "--user", "老张", "imports", "--json", **admin)
    assert [batch["imported_by"] for batch in json.loads(history.stdout)] == ["老张"]


def test_an_export_and_an_undo_record_the_signed_in_user(crm: str, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "orders.csv", numbered_rows(3), encoding="utf-8")
    admin = {"WALLET_CRM_PASSWORD": ADMIN_PASSWORD}
    assert run(crm, "--user", "老张", "import", str(source), **admin).returncode == 0
    batch = json.loads(run(crm, "--user", "老张", "imports", "--json", **admin).stdout)[0]["id"]
    undone = run(crm, "--user", "老张", "undo-import", str(batch), **admin)
    assert undone.returncode == 0, undone.stderr
    exported = run(crm, "--user", "老张", "export", "customers", "-o", str(tmp_path / "c.xlsx"), **admin)
    assert exported.returncode == 0, exported.stderr
    check = open_database(crm, bind=False)
    undone_by = check.execute_sql("SELECT undone_by FROM import_batches").fetchall()
    exported_by = check.execute_sql("SELECT exported_by FROM export_log").fetchall()
    check.close()
    assert [tuple(row) for row in undone_by] == [("老张",)]
    assert [tuple(row) for row in exported_by] == [("老张",)]


def test_a_command_signs_in_and_works_on_one_opening_of_the_database(crm: str, tmp_path: Path) -> None:
    state = tmp_path / "state"
    listed = run(
        crm, "--user", "老张", "queue", "list", "--as-of", AS_OF, WALLET_CRM_PASSWORD=ADMIN_PASSWORD,
        XDG_STATE_HOME=str(state),
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    [log_file] = state.rglob(LOG_FILE_NAME)
    opened = [line for line in log_file.read_text(encoding="utf-8").splitlines() if "opened database" in line]
    assert len(opened) == 1, opened  # the log-in and the listing share it (it was opened twice)
