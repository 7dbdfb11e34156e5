"""The tables as the current schema version has them.

Models are bound to `database_proxy`, which `open_database` points at the SQLite file or the
PostgreSQL server. The tables themselves are created by `migrations.py`, never from these classes,
so an old database and a new one end up with the same shape.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    BigIntegerField,
    CharField,
    DatabaseProxy,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database_proxy = DatabaseProxy()

TRANSACTION_STATUSES = ("success", "failed", "pending", "refunded", "closed")
TRANSACTION_TYPES = ("payment", "transfer", "top_up", "withdrawal", "refund")


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class SchemaInfo(BaseModel):
    """One row: the schema version this database is at."""

    id = AutoField()
    version = IntegerField()
    updated_at = DateTimeField()

    class Meta:
        table_name = "schema_info"


class Customer(BaseModel):
    """A wallet customer: by the wallet's own id when known, else by E.164 phone."""

    id = AutoField()
    external_id = CharField(null=True, unique=True)
    phone = CharField(null=True, index=True)
    name = CharField(null=True)
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = "customers"


class ImportBatch(BaseModel):
    """One imported file: where it came from and what it did, so it can be listed and undone."""

    id = AutoField()
    file_name = CharField()
    sha256 = CharField(index=True)
    source = CharField(default="import")
    imported_at = DateTimeField()
    imported_by = CharField()
    rows_read = IntegerField(default=0)
    inserted = IntegerField(default=0)
    duplicates = IntegerField(default=0)
    rejected = IntegerField(default=0)
    skipped = IntegerField(default=0)
    customers_created = IntegerField(default=0)
    customers_updated = IntegerField(default=0)

    class Meta:
        table_name = "import_batches"


class Transaction(BaseModel):
    """One wallet transaction. Money is integer fen; `occurred_at` is local time to the second."""

    id = AutoField()
    txn_id = CharField(unique=True)
    customer = ForeignKeyField(Customer, backref="transactions", on_delete="RESTRICT")
    occurred_at = DateTimeField()
    amount_fen = BigIntegerField()
    status = CharField()
    txn_type = CharField()
    channel = CharField(null=True)
    merchant = CharField(null=True)
    remark = TextField(null=True)
    batch = ForeignKeyField(ImportBatch, null=True, backref="transactions", on_delete="RESTRICT")

    class Meta:
        table_name = "transactions"


class Setting(BaseModel):
    """Team-wide settings stored with the data (JSON values), e.g. whether this is a demo database."""

    key = CharField(primary_key=True)
    value = TextField()

    class Meta:
        table_name = "settings"


ALL_MODELS: tuple[type[BaseModel], ...] = (SchemaInfo, Customer, ImportBatch, Transaction, Setting)
