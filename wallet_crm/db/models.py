"""The tables as the current schema version has them.

Models are bound to `database_proxy`, which `open_database` points at the SQLite file or the
PostgreSQL server. The tables themselves are created by `migrations.py`, never from these classes,
so an old database and a new one end up with the same shape.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    BigIntegerField,
    BooleanField,
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
TRANSACTION_TYPES = ("payment", "transfer", "top_up", "withdrawal", "refund", "other")
DIRECTIONS = ("in", "out", "none")  # NULL: the source did not say
# Which identifier named a customer, strongest first (imports take the first one a row has).
ID_KINDS = ("customer_id", "phone", "platform_user", "email", "counterparty", "name")


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
    sheet_name = CharField(null=True)
    format_id = CharField(null=True)  # the import format the file was read with
    warnings = IntegerField(default=0)
    undone_at = DateTimeField(null=True)
    undone_by = CharField(null=True)

    class Meta:
        table_name = "import_batches"


class Customer(BaseModel):
    """A wallet customer, named by the first identifier its rows had (`id_kind`): the value is in
    `external_id`, except for kind `phone`, whose number is in `phone`. Unique per (kind, value)."""

    id = AutoField()
    id_kind = CharField(default="customer_id")
    external_id = CharField(null=True)
    phone = CharField(null=True, index=True)  # E.164, or as written when it is not a valid number
    phone_callable = BooleanField(default=True)  # False: the phone as written is not a number to call
    email = CharField(null=True)
    name = CharField(null=True)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    created_batch = ForeignKeyField(ImportBatch, null=True, backref="created_customers", on_delete="RESTRICT")
    do_not_contact = BooleanField(default=False)  # the customer asked not to be contacted: never queued
    phone_invalid = BooleanField(default=False)  # 空号/错号: the follow-up rules skip the customer

    class Meta:
        table_name = "customers"


class Transaction(BaseModel):
    """One wallet transaction. `amount_fen` is a magnitude in minor units of `currency` (fen for CNY, cents
    for USD), with `direction` beside it; `occurred_at` is the operator's local time to the second."""

    id = AutoField()
    txn_id = CharField(unique=True)
    # Indexed by (customer_id, occurred_at) and transactions_batch_id, not by peewee's own FK indexes.
    customer = ForeignKeyField(Customer, backref="transactions", on_delete="RESTRICT", index=False)
    occurred_at = DateTimeField()
    amount_fen = BigIntegerField()
    currency = CharField(default="CNY")
    direction = CharField(null=True)  # in, out, none; NULL when the source did not say
    status = CharField()
    txn_type = CharField()
    type_word = CharField(null=True)  # the type as the file wrote it (an unknown one is txn_type "other")
    channel = CharField(null=True)
    merchant = CharField(null=True)
    remark = TextField(null=True)
    batch = ForeignKeyField(ImportBatch, null=True, backref="transactions", on_delete="RESTRICT", index=False)

    class Meta:
        table_name = "transactions"


class Setting(BaseModel):
    """Team-wide settings stored with the data (JSON values), e.g. whether this is a demo database."""

    key = CharField(primary_key=True)
    value = TextField()

    class Meta:
        table_name = "settings"


class ImportProfile(BaseModel):
    """A column mapping the user corrected, keyed by the file's header row, reused for the next such file."""

    id = AutoField()
    name = CharField(unique=True, null=True)
    header_key = CharField(unique=True)
    headers = TextField()  # JSON list of the header cells as read
    mapping = TextField()  # JSON object: field name -> column index (before schema 6; kept for old copies)
    definition = TextField(null=True)  # the profile as an import format (imports/format.py), JSON
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = "import_profiles"


class Agent(BaseModel):
    """A person who makes follow-up calls; deactivated, never deleted, so old attempts keep their author."""

    id = AutoField()
    name = CharField(unique=True)
    active = BooleanField(default=True)
    created_at = DateTimeField()
    role = CharField(null=True)  # agent, supervisor or admin: set for a user who logs in (wallet_crm/accounts)
    password_hash = CharField(null=True)  # argon2id

    class Meta:
        table_name = "agents"


class Task(BaseModel):
    """One follow-up of one customer; at most one is `open` per customer (a partial unique index)."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="tasks", on_delete="RESTRICT")
    status = CharField()  # open, done, unreachable, wrong_number, cancelled, obsolete
    priority = IntegerField()
    top_reason = CharField()  # the strongest reason, which the priority and explanation are about
    amount_fen = BigIntegerField(null=True)  # the strongest reason's transaction amount, minor units
    amount_currency = CharField(null=True)  # its currency (NULL: CNY)
    available_at = DateTimeField()  # don't call before (retry time, callback time, recheck day)
    due_at = DateTimeField()  # should be done by; past it the task is overdue
    attempts = IntegerField(default=0)
    assigned_to = ForeignKeyField(Agent, null=True, backref="assigned_tasks", on_delete="RESTRICT")
    held_by = ForeignKeyField(Agent, null=True, backref="held_tasks", on_delete="RESTRICT")
    held_until = DateTimeField(null=True)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    closed_at = DateTimeField(null=True)

    class Meta:
        table_name = "tasks"


class TaskReason(BaseModel):
    """Why a task exists: one row per reason code, with a snapshot of what triggered it.

    The triggering transaction is kept by id without a foreign key (and its amount and time copied),
    so undoing an import never trips over a reason, and the explanation stays what the agent saw.
    """

    id = AutoField()
    task = ForeignKeyField(Task, backref="reasons", on_delete="RESTRICT", index=False)
    customer = ForeignKeyField(Customer, backref="task_reasons", on_delete="RESTRICT", index=False)
    reason = CharField()
    transaction_id = BigIntegerField(null=True)
    attempt_id = BigIntegerField(null=True)
    amount_fen = BigIntegerField(null=True)
    amount_currency = CharField(null=True)  # NULL: CNY
    triggered_at = DateTimeField()
    available_at = DateTimeField()
    due_at = DateTimeField()
    created_at = DateTimeField()

    class Meta:
        table_name = "task_reasons"


class ContactAttempt(BaseModel):
    """One call (or message) on a task and what came of it: the raw material of the feedback reports."""

    id = AutoField()
    task = ForeignKeyField(Task, backref="attempts_made", on_delete="RESTRICT")
    customer = ForeignKeyField(Customer, backref="contact_attempts", on_delete="RESTRICT", index=False)
    agent = ForeignKeyField(Agent, backref="contact_attempts", on_delete="RESTRICT")
    attempted_at = DateTimeField()
    channel = CharField()
    disposition = CharField()
    reached = BooleanField()
    csat = IntegerField(null=True)  # satisfaction 1-5
    nps = IntegerField(null=True)  # likelihood to recommend 0-10
    category = CharField(null=True)  # praise, complaint, suggestion, question
    notes = TextField(null=True)
    callback_at = DateTimeField(null=True)

    class Meta:
        table_name = "contact_attempts"


class AttemptTopic(BaseModel):
    """One topic tag of an attempt (支付失败, 到账慢...), a row each so reports can count by topic."""

    id = AutoField()
    attempt = ForeignKeyField(ContactAttempt, backref="topics", on_delete="RESTRICT", index=False)
    topic = CharField()

    class Meta:
        table_name = "attempt_topics"


class PhoneReveal(BaseModel):
    """Who saw which customer's full phone number, and when (the number is masked everywhere else)."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="phone_reveals", on_delete="RESTRICT")
    agent = ForeignKeyField(Agent, backref="phone_reveals", on_delete="RESTRICT")
    task = ForeignKeyField(Task, null=True, backref="phone_reveals", on_delete="RESTRICT")
    revealed_at = DateTimeField()

    class Meta:
        table_name = "phone_reveals"


class ExportRecord(BaseModel):
    """One Excel export: what was exported, how many rows, by whom, and whether full phone numbers were in it."""

    id = AutoField()
    kind = CharField()  # transactions, customers, queue, outcomes, report
    file_name = CharField()  # the name only, not the folder
    rows = IntegerField()
    full_phone = BooleanField()
    exported_at = DateTimeField(index=True)
    exported_by = CharField()

    class Meta:
        table_name = "export_log"


class CustomerChange(BaseModel):
    """The name and phone an import batch changed on a customer that was there before it, so undoing the
    batch can put the old values back (only where a later batch has not changed them again)."""

    id = AutoField()
    batch = ForeignKeyField(ImportBatch, backref="customer_changes", on_delete="RESTRICT")
    customer = ForeignKeyField(Customer, backref="changes", on_delete="RESTRICT")
    old_name = CharField(null=True)
    old_phone = CharField(null=True)
    new_name = CharField(null=True)
    new_phone = CharField(null=True)

    class Meta:
        table_name = "customer_changes"


ALL_MODELS: tuple[type[BaseModel], ...] = (
    SchemaInfo,
    Customer,
    ImportBatch,
    Transaction,
    Setting,
    ImportProfile,
    Agent,
    Task,
    TaskReason,
    ContactAttempt,
    AttemptTopic,
    PhoneReveal,
    ExportRecord,
    CustomerChange,
)
