"""A summary of the open database, shared by `wallet-crm status` and the status bar."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from peewee import Database

from wallet_crm.db.connection import describe_target, sqlite_path
from wallet_crm.db.migrations import read_version

DEMO_SETTING = "is_demo"


@dataclass(frozen=True)
class DatabaseStatus:
    schema_version: int
    database: str
    backend: str
    customers: int
    transactions: int
    import_batches: int
    is_demo: bool

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def database_status(db: Database) -> DatabaseStatus:
    """Counts of `db` itself, whatever database the models are bound to (the window may show another)."""
    path = sqlite_path(db)
    return DatabaseStatus(
        schema_version=read_version(db),
        database=str(path) if path else describe_target(f"postgresql://{db.database}"),
        backend="sqlite" if path else "postgresql",
        customers=_count(db, "customers"),
        transactions=_count(db, "transactions"),
        import_batches=_count(db, "import_batches"),
        is_demo=is_demo_database(db),
    )


def _count(db: Database, table: str) -> int:
    return int(db.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def is_demo_database(db: Database) -> bool:
    row = db.execute_sql(f"SELECT value FROM settings WHERE key = {db.param}", (DEMO_SETTING,)).fetchone()
    return bool(row is not None and json.loads(row[0]))
