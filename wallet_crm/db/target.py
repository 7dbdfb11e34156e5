"""How a database is named to the user and in the log: a file's path, or a server URL without its password."""

from __future__ import annotations

from urllib.parse import urlparse

from peewee import Database, PostgresqlDatabase, SqliteDatabase


def is_postgres_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def describe_target(target: str) -> str:
    """The target as it may be shown or logged: a server URL loses its password."""
    if not is_postgres_url(target):
        return target
    parts = urlparse(target)
    host = parts.hostname or "localhost"
    port = f":{parts.port}" if parts.port else ""
    user = f"{parts.username}@" if parts.username else ""
    return f"postgresql://{user}{host}{port}{parts.path}"


def database_label(db: Database) -> str:
    """An open database named as `describe_target` names its target (a server's URL is rebuilt)."""
    if isinstance(db, SqliteDatabase) or not isinstance(db, PostgresqlDatabase):
        return str(db.database)
    params = db.connect_params
    user = f"{params['user']}@" if params.get("user") else ""
    port = f":{params['port']}" if params.get("port") else ""
    return f"postgresql://{user}{params.get('host') or 'localhost'}{port}/{db.database}"
