"""A summary of the open database, shared by `wallet-crm status` and the status bar."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from peewee import Database

from wallet_crm.db.connection import describe_target, sqlite_path
from wallet_crm.db.migrations import read_version
from wallet_crm.db.models import Customer, ImportBatch, Setting, Transaction

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
    path = sqlite_path(db)
    return DatabaseStatus(
        schema_version=read_version(db),
        database=str(path) if path else describe_target(f"postgresql://{db.database}"),
        backend="sqlite" if path else "postgresql",
        customers=Customer.select().count(),
        transactions=Transaction.select().count(),
        import_batches=ImportBatch.select().count(),
        is_demo=is_demo_database(),
    )


def is_demo_database() -> bool:
    row = Setting.get_or_none(Setting.key == DEMO_SETTING)
    return bool(row is not None and json.loads(row.value))
