"""The team's PostgreSQL server as a PC is set up to use it: its URL from the parts a person types, and
a connection test that says what is there without changing anything.

The password is not kept by the app: libpq, under psycopg2, reads it from `PGPASSWORD` or PostgreSQL's own
password file (`~/.pgpass`; on Windows `%APPDATA%\\postgresql\\pgpass.conf`), as every PostgreSQL tool does.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from peewee import DatabaseError as PeeweeDatabaseError
from peewee import PostgresqlDatabase

from wallet_crm.db.migrations import LATEST_VERSION, read_version
from wallet_crm.errors import DatabaseError

CONNECT_TIMEOUT_SECONDS = 5


@dataclass(frozen=True)
class TeamServer:
    host: str
    port: int
    database: str
    user: str

    def url(self) -> str:
        """`postgresql://user@host:port/database`, without a password."""
        user = f"{quote(self.user, safe='')}@" if self.user else ""
        return f"postgresql://{user}{self.host}:{self.port}/{quote(self.database, safe='')}"


@dataclass(frozen=True)
class TeamCheck:
    server_version: str
    schema_version: int  # 0: an empty database, which the first start fills

    @property
    def usable(self) -> bool:
        return self.schema_version <= LATEST_VERSION


def check_team_server(server: TeamServer, password: str | None = None) -> TeamCheck:
    """Connect, read the server's version and our schema version, and disconnect; nothing is written.

    `DatabaseError` with one line when the driver is missing, the server can't be reached or refuses."""
    if not (server.host.strip() and server.database.strip()):
        raise DatabaseError(code="team.no_server")
    try:
        import psycopg2  # noqa: F401
    except ImportError as exc:
        raise DatabaseError(code="team.no_driver") from exc
    db = PostgresqlDatabase(
        server.database.strip(),
        host=server.host.strip(),
        port=server.port,
        user=server.user.strip() or None,
        password=password or None,
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        autoconnect=False,
    )
    try:
        db.connect()
        version = str(db.execute_sql("SHOW server_version").fetchone()[0])
        schema = read_version(db)
    except PeeweeDatabaseError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseError(code="db.cant_connect", database=server.url(), detail=first_line) from exc
    finally:
        db.close()
    return TeamCheck(version, schema)
