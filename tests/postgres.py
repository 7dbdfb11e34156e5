"""A throwaway PostgreSQL server for the tests: `initdb` and `pg_ctl` on a free port in a temporary folder.

It starts once per test run (about 1.5 s) with durability off (fsync, synchronous commit), and each
test gets a database of its own. Without the server binaries (Debian: `apt-get install postgresql`)
or the driver (`pip install 'wallet-crm[team]'`), the PostgreSQL tests are skipped with the reason.
As root, the server runs as the `postgres` user: PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEARCH = ("/usr/lib/postgresql", "/usr/local/pgsql", "/opt/homebrew/opt/postgresql")
_names = itertools.count(1)


def server_binaries() -> Path | None:
    """The folder holding `initdb` and `pg_ctl`: on the PATH, else the newest Debian version folder."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    for root in SEARCH:
        versions = sorted(Path(root).glob("*/bin/initdb"), key=lambda path: path.parent.parent.name)
        if versions:
            return versions[-1].parent
    return None


def why_not() -> str | None:
    """Why PostgreSQL tests can't run here, or None when they can."""
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        return "psycopg2 is not installed (pip install 'wallet-crm[team]')"
    if server_binaries() is None:
        return "no PostgreSQL server binaries (initdb, pg_ctl); Debian: apt-get install postgresql"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run the server as"
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    folder: Path
    port: int
    binaries: Path

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database; its URL."""
        name = f"wallet_crm_test_{os.getpid()}_{next(_names)}"
        self._admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _admin(self, statement: str) -> None:
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres")
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()

    def stop(self) -> None:
        """Stop the server; one that is gone already is fine (the test that lost it has failed)."""
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop", check=False)

    def _run(self, program: str, *arguments: str, check: bool = True) -> None:
        command = [str(self.binaries / program), *arguments]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=check, capture_output=True, text=True, timeout=60)


def start_server(folder: Path) -> Server:
    """initdb + pg_ctl start on a free port; the caller stops it."""
    binaries = server_binaries()
    assert binaries is not None
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(folder, account.pw_uid, account.pw_gid)
        for parent in folder.parents:  # the server must be able to reach its folder (mkdtemp makes it 0700)
            if parent in (Path(tempfile.gettempdir()), Path("/")):
                break
            os.chmod(parent, os.stat(parent).st_mode | 0o011)
    server = Server(folder, free_port(), binaries)
    data = str(folder / "data")
    server._run("initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync")
    options = (
        f"-c listen_addresses=127.0.0.1 -p {server.port} -k {folder} -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
    )
    server._run("pg_ctl", "-D", data, "-l", str(folder / "server.log"), "-o", options, "-w", "start")
    return server


def accept_question_marks_from_tests(db: Any) -> None:
    """Let SQL written in a test with SQLite's `?` placeholders run on PostgreSQL (`%s`).

    Only SQL whose caller is a test module is rewritten: the app's own SQL must use `db.param`, and a `?`
    in it still fails on PostgreSQL, as it would for a user."""
    execute = db.execute_sql

    def execute_sql(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if not caller.startswith("tests."):
            return execute(sql, params, *args, **kwargs)
        if "?" in sql and "%s" not in sql:
            sql = sql.replace("?", "%s")
        return _TextTimes(execute(sql, params, *args, **kwargs))

    db.execute_sql = execute_sql


class _TextTimes:
    """A cursor whose timestamps read as SQLite stores them (`YYYY-MM-DD HH:MM:SS`), for tests that compare
    stored times as text; PostgreSQL hands back datetimes."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor

    @staticmethod
    def _row(row: Any) -> Any:
        if row is None:
            return None
        return tuple(value.isoformat(" ", "seconds") if isinstance(value, dt.datetime) else value for value in row)

    def fetchone(self) -> Any:
        return self._row(self.cursor.fetchone())

    def fetchall(self) -> list[Any]:
        return [self._row(row) for row in self.cursor.fetchall()]

    def __iter__(self) -> Any:
        return (self._row(row) for row in self.cursor)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.cursor, name)
