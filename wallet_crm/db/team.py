"""The team's PostgreSQL server as a PC is set up to use it: its URL from the parts a person types, and
a connection test that says what is there without changing anything.

The password is not kept by the app: libpq, under psycopg2, reads it from `PGPASSWORD` or PostgreSQL's own
password file (`~/.pgpass`; on Windows `%APPDATA%\\postgresql\\pgpass.conf`), as every PostgreSQL tool does.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from wallet_crm.db.migrations import LATEST_VERSION
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
        raise DatabaseError("Give the server's host name and the database's name.")
    try:
        import psycopg2
    except ImportError as exc:
        raise DatabaseError("A team database needs the PostgreSQL driver: pip install 'wallet-crm[team]'.") from exc
    try:
        connection = psycopg2.connect(
            host=server.host.strip(),
            port=server.port,
            dbname=server.database.strip(),
            user=server.user.strip() or None,
            password=password or None,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
        )
    except psycopg2.Error as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseError(f"Can't connect to {server.url()}: {first_line}") from exc
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = str(cursor.fetchone()[0])
            cursor.execute("SELECT to_regclass('schema_info') IS NOT NULL")
            schema = 0
            if cursor.fetchone()[0]:
                cursor.execute("SELECT version FROM schema_info ORDER BY id LIMIT 1")
                row = cursor.fetchone()
                schema = int(row[0]) if row else 0
    finally:
        connection.close()
    return TeamCheck(version, schema)
