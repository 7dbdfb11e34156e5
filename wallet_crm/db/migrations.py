"""Schema versions: each step moves a database from version N-1 to N.

A step declares the tables it creates as frozen copies (not the live models), so running every step
on an empty database and upgrading an old file give the same schema. Steps use only SQL that SQLite
and PostgreSQL both accept. Add a step at the end; never edit one that has shipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from peewee import (
    SQL,
    AutoField,
    BigIntegerField,
    CharField,
    Database,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def _v1_initial(db: Database) -> None:
    """Customers, transactions, import batches, settings and the schema version row."""

    class Base(Model):
        class Meta:
            database = db

    class SchemaInfo(Base):
        id = AutoField()
        version = IntegerField()
        updated_at = DateTimeField()

        class Meta:
            table_name = "schema_info"

    class Customer(Base):
        id = AutoField()
        external_id = CharField(null=True, unique=True)
        phone = CharField(null=True, index=True)
        name = CharField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            table_name = "customers"

    class ImportBatch(Base):
        id = AutoField()
        file_name = CharField()
        sha256 = CharField(index=True)
        source = CharField(default="import", constraints=[SQL("DEFAULT 'import'")])
        imported_at = DateTimeField()
        imported_by = CharField()
        rows_read = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])
        inserted = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])
        duplicates = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])
        rejected = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])
        skipped = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])
        customers_created = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])
        customers_updated = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])

        class Meta:
            table_name = "import_batches"

    class Transaction(Base):
        id = AutoField()
        txn_id = CharField(unique=True)
        customer = ForeignKeyField(Customer, on_delete="RESTRICT")
        occurred_at = DateTimeField()
        amount_fen = BigIntegerField()
        status = CharField()
        txn_type = CharField()
        channel = CharField(null=True)
        merchant = CharField(null=True)
        remark = TextField(null=True)
        batch = ForeignKeyField(ImportBatch, null=True, on_delete="RESTRICT")

        class Meta:
            table_name = "transactions"

    class Setting(Base):
        key = CharField(primary_key=True)
        value = TextField()

        class Meta:
            table_name = "settings"

    db.create_tables([SchemaInfo, Customer, ImportBatch, Transaction, Setting], safe=False)


def _v2_browse_indexes(db: Database) -> None:
    """Indexes that keep the Transactions and Customers pages fast on a million rows."""
    for statement in (
        "CREATE INDEX IF NOT EXISTS transactions_occurred_at ON transactions (occurred_at)",
        "CREATE INDEX IF NOT EXISTS transactions_status_occurred_at ON transactions (status, occurred_at)",
        "CREATE INDEX IF NOT EXISTS transactions_customer_occurred_at ON transactions (customer_id, occurred_at)",
        "CREATE INDEX IF NOT EXISTS transactions_batch_id ON transactions (batch_id)",
        "CREATE INDEX IF NOT EXISTS customers_name ON customers (name)",
    ):
        db.execute_sql(statement)


MIGRATIONS: tuple[Callable[[Database], None], ...] = (_v1_initial, _v2_browse_indexes)
LATEST_VERSION = len(MIGRATIONS)


def read_version(db: Database) -> int:
    """The stored schema version, 0 for a database without our tables."""
    if not db.table_exists("schema_info"):
        return 0
    row = db.execute_sql("SELECT version FROM schema_info ORDER BY id LIMIT 1").fetchone()
    return int(row[0]) if row else 0


def apply_migrations(db: Database, current: int, target: int = LATEST_VERSION) -> None:
    """Run steps current+1..target and record the new version; the caller holds the transaction."""
    for step in MIGRATIONS[current:target]:
        step(db)
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    p = db.param
    if current == 0:
        db.execute_sql(f"INSERT INTO schema_info (version, updated_at) VALUES ({p}, {p})", (target, now))
    else:
        db.execute_sql(f"UPDATE schema_info SET version = {p}, updated_at = {p}", (target, now))
