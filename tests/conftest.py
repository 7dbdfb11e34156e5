"""Shared test set-up: offscreen Qt, per-test user folders, and real SQLite databases in tmp_path."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Must happen before anything imports Qt: without a display pytest-qt would abort the process.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("WALLET_CRM_DB", None)
os.environ.pop("WALLET_CRM_BUSY_TIMEOUT_MS", None)
# The command line picks its language from the locale when --lang is not given: the same on every machine.
os.environ["LC_ALL"] = "C.UTF-8"

import pytest
from peewee import Database

from tests import postgres
from wallet_crm.db import close_database, open_database
from wallet_crm.demo import create_demo_database

AS_OF = dt.datetime(2026, 11, 20, 10, 0, 0)


@pytest.fixture(autouse=True)
def user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point platformdirs (XDG on Linux) at the test's own folder: no test touches the real home."""
    home = tmp_path / "home"
    for variable, folder in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        (home / folder).mkdir(parents=True)
        monkeypatch.setenv(variable, str(home / folder))
    monkeypatch.delenv("WALLET_CRM_DB", raising=False)
    monkeypatch.delenv("WALLET_CRM_BUSY_TIMEOUT_MS", raising=False)
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "crm.sqlite3"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[postgres.Server]:
    """One PostgreSQL server for the run, started on first use; skipped with the reason where it can't run."""
    reason = postgres.why_not()
    if reason is not None:
        pytest.skip(reason)
    # Not under pytest's own temporary folder: another pytest run on the machine prunes old ones, and with
    # them a running server's files.
    folder = Path(tempfile.mkdtemp(prefix="wallet-crm-postgres-"))
    server = postgres.start_server(folder / "server")
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(postgres_server: postgres.Server) -> Iterator[str]:
    """A fresh, empty database on the test server."""
    url = postgres_server.create_database()
    yield url
    close_database()
    postgres_server.drop_database(url)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test on the `db` fixture runs twice, on a SQLite file and on PostgreSQL (the team's server),
    unless it is marked `sqlite_only` because it checks the file itself."""
    if "db" in metafunc.fixturenames:
        sqlite_only = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("db", ["sqlite"] if sqlite_only else ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def db(request: pytest.FixtureRequest, db_path: Path) -> Iterator[Database]:
    """The app's database: the services must give the same answers on both."""
    backend = getattr(request, "param", "sqlite")
    target = str(db_path) if backend == "sqlite" else request.getfixturevalue("pg_url")
    database = open_database(target)
    if backend == "postgresql":
        postgres.accept_question_marks_from_tests(database)
    yield database
    close_database()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small demo database per run (300 customers, 3,000 transactions), copied by tests that need it."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    create_demo_database(path, AS_OF, seed=7, customers=300, transactions=3000)
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo.sqlite3"
    copy.write_bytes(demo_template.read_bytes())
    return copy


@pytest.fixture
def demo_db(demo_path: Path) -> Iterator[Database]:
    database = open_database(demo_path)
    yield database
    close_database()
