"""Schema versions: each step moves a database from version N-1 to N.

A step declares the tables it creates as frozen copies (not the live models), so running every step
on an empty database and upgrading an old file give the same schema. Steps use only SQL that SQLite
and PostgreSQL both accept. Add a step at the end; never edit one that has shipped.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from peewee import (
    SQL,
    AutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    Database,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)
from playhouse.migrate import SchemaMigrator, migrate


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


def _v3_import_undo_and_profiles(db: Database) -> None:
    """Who created each customer (so undoing a batch removes only its own), undone batches, mapping profiles."""

    class Base(Model):
        class Meta:
            database = db

    class ImportBatch(Base):
        id = AutoField()

        class Meta:
            table_name = "import_batches"

    class ImportProfile(Base):
        id = AutoField()
        header_key = CharField(unique=True)
        headers = TextField()
        mapping = TextField()
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            table_name = "import_profiles"

    migrator = SchemaMigrator.from_database(db)
    migrate(
        migrator.add_column(
            "customers",
            "created_batch_id",
            ForeignKeyField(ImportBatch, field=ImportBatch.id, null=True, on_delete="RESTRICT"),
        ),
        migrator.add_column("import_batches", "sheet_name", CharField(null=True)),
        migrator.add_column("import_batches", "undone_at", DateTimeField(null=True)),
        migrator.add_column("import_batches", "undone_by", CharField(null=True)),
    )
    db.create_tables([ImportProfile], safe=False)


def _v4_followup_queue(db: Database) -> None:
    """Agents, follow-up tasks and their reasons, contact attempts with topics, phone reveals; contact flags."""

    class Base(Model):
        class Meta:
            database = db

    class Customer(Base):
        id = AutoField()

        class Meta:
            table_name = "customers"

    class Agent(Base):
        id = AutoField()
        name = CharField(unique=True)
        active = BooleanField(default=True, constraints=[SQL("DEFAULT TRUE")])
        created_at = DateTimeField()

        class Meta:
            table_name = "agents"

    class Task(Base):
        id = AutoField()
        customer = ForeignKeyField(Customer, backref="+", on_delete="RESTRICT")
        status = CharField()
        priority = IntegerField()
        top_reason = CharField()
        amount_fen = BigIntegerField(null=True)
        available_at = DateTimeField()
        due_at = DateTimeField()
        attempts = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])
        assigned_to = ForeignKeyField(Agent, null=True, backref="+", on_delete="RESTRICT")
        held_by = ForeignKeyField(Agent, null=True, backref="+", on_delete="RESTRICT")
        held_until = DateTimeField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        closed_at = DateTimeField(null=True)

        class Meta:
            table_name = "tasks"

    class TaskReason(Base):
        id = AutoField()
        task = ForeignKeyField(Task, backref="+", on_delete="RESTRICT", index=False)
        customer = ForeignKeyField(Customer, backref="+", on_delete="RESTRICT", index=False)
        reason = CharField()
        transaction_id = BigIntegerField(null=True)
        attempt_id = BigIntegerField(null=True)
        amount_fen = BigIntegerField(null=True)
        triggered_at = DateTimeField()
        available_at = DateTimeField()
        due_at = DateTimeField()
        created_at = DateTimeField()

        class Meta:
            table_name = "task_reasons"
            indexes = ((("task", "reason"), True), (("customer", "reason", "triggered_at"), False))

    class ContactAttempt(Base):
        id = AutoField()
        task = ForeignKeyField(Task, backref="+", on_delete="RESTRICT")
        customer = ForeignKeyField(Customer, backref="+", on_delete="RESTRICT", index=False)
        agent = ForeignKeyField(Agent, backref="+", on_delete="RESTRICT")
        attempted_at = DateTimeField(index=True)
        channel = CharField()
        disposition = CharField()
        reached = BooleanField()
        csat = IntegerField(null=True)
        nps = IntegerField(null=True)
        category = CharField(null=True)
        notes = TextField(null=True)
        callback_at = DateTimeField(null=True, index=True)

        class Meta:
            table_name = "contact_attempts"
            indexes = ((("customer", "attempted_at"), False),)

    class AttemptTopic(Base):
        id = AutoField()
        attempt = ForeignKeyField(ContactAttempt, backref="+", on_delete="RESTRICT", index=False)
        topic = CharField(index=True)

        class Meta:
            table_name = "attempt_topics"
            indexes = ((("attempt", "topic"), True),)

    class PhoneReveal(Base):
        id = AutoField()
        customer = ForeignKeyField(Customer, backref="+", on_delete="RESTRICT")
        agent = ForeignKeyField(Agent, backref="+", on_delete="RESTRICT")
        task = ForeignKeyField(Task, null=True, backref="+", on_delete="RESTRICT")
        revealed_at = DateTimeField()

        class Meta:
            table_name = "phone_reveals"

    migrator = SchemaMigrator.from_database(db)
    # NOT NULL with a DEFAULT in one ALTER (both databases accept it): no table rebuild on SQLite.
    migrate(
        migrator.add_column(
            "customers",
            "do_not_contact",
            BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")]),
            allow_not_null=True,
        ),
        migrator.add_column(
            "customers",
            "phone_invalid",
            BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")]),
            allow_not_null=True,
        ),
    )
    db.create_tables([Agent, Task, TaskReason, ContactAttempt, AttemptTopic, PhoneReveal], safe=False)
    for statement in (
        # One open task per customer, enforced by the database (partial indexes: SQLite and PostgreSQL).
        "CREATE UNIQUE INDEX tasks_one_open_per_customer ON tasks (customer_id) WHERE status = 'open'",
        # "Next customer" and the queue page: open tasks in priority order, read straight off the index.
        "CREATE INDEX tasks_status_priority_due_at ON tasks (status, priority DESC, due_at)",
        # Overdue filter and sorting by due time.
        "CREATE INDEX tasks_status_due_at ON tasks (status, due_at)",
        # The refund rule reads refunds of the look-back window by type.
        "CREATE INDEX transactions_type_occurred_at ON transactions (txn_type, occurred_at)",
    ):
        db.execute_sql(statement)


def _v5_export_log_and_customer_changes(db: Database) -> None:
    """A record of every Excel export: what, how many rows, and whether full phone numbers went out; and the
    name and phone each import batch changed on an existing customer, so undoing the batch restores them."""

    class Base(Model):
        class Meta:
            database = db

    class Customer(Base):
        id = AutoField()

        class Meta:
            table_name = "customers"

    class ImportBatch(Base):
        id = AutoField()

        class Meta:
            table_name = "import_batches"

    class ExportRecord(Base):
        id = AutoField()
        kind = CharField()
        file_name = CharField()
        rows = IntegerField()
        full_phone = BooleanField()
        exported_at = DateTimeField(index=True)
        exported_by = CharField()

        class Meta:
            table_name = "export_log"

    class CustomerChange(Base):
        id = AutoField()
        batch = ForeignKeyField(ImportBatch, backref="+", on_delete="RESTRICT")
        # Indexed too: deleting a customer (an undo) looks here for rows that still refer to it.
        customer = ForeignKeyField(Customer, backref="+", on_delete="RESTRICT")
        old_name = CharField(null=True)
        old_phone = CharField(null=True)
        new_name = CharField(null=True)
        new_phone = CharField(null=True)

        class Meta:
            table_name = "customer_changes"

    db.create_tables([ExportRecord, CustomerChange], safe=False)
    for statement in (
        # The feedback report reads these columns of every attempt in its period: from the index alone,
        # its scans skip a table lookup per attempt (0.85 s instead of 1.35 s at 150k attempts).
        "CREATE INDEX contact_attempts_report ON contact_attempts "
        "(attempted_at, task_id, agent_id, reached, disposition, csat, nps, category)",
        # Tasks closed unreachable in a period.
        "CREATE INDEX tasks_status_closed_at ON tasks (status, closed_at)",
    ):
        db.execute_sql(statement)


def _v6_currencies_identities_and_formats(db: Database) -> None:
    """Real exports: a currency and a direction per transaction and the type word as written; which kind
    of identifier named each customer (customer id, phone, platform user id, email, counterparty, name),
    their email, and whether their phone can be called; the format each batch was read with; profiles
    that are whole import formats (with a name) instead of a bare column mapping."""
    for statement in (
        "ALTER TABLE transactions ADD COLUMN currency VARCHAR(3) NOT NULL DEFAULT 'CNY'",
        "ALTER TABLE transactions ADD COLUMN direction VARCHAR(8)",
        "ALTER TABLE transactions ADD COLUMN type_word VARCHAR(255)",
        # Money is stored as a magnitude with its direction beside it: a negative amount was money out.
        "UPDATE transactions SET direction = 'out', amount_fen = -amount_fen WHERE amount_fen < 0",
        "ALTER TABLE customers ADD COLUMN id_kind VARCHAR(16) NOT NULL DEFAULT 'customer_id'",
        "UPDATE customers SET id_kind = 'phone' WHERE external_id IS NULL",
        "ALTER TABLE customers ADD COLUMN email VARCHAR(255)",
        "ALTER TABLE customers ADD COLUMN phone_callable BOOLEAN NOT NULL DEFAULT TRUE",
        # The same text may name a wallet account in one file and a platform user in another.
        "DROP INDEX customer_external_id",
        "CREATE UNIQUE INDEX customers_kind_external_id ON customers (id_kind, external_id)",
        "ALTER TABLE import_batches ADD COLUMN format_id VARCHAR(64)",
        "ALTER TABLE import_batches ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE import_profiles ADD COLUMN name VARCHAR(255)",
        "ALTER TABLE import_profiles ADD COLUMN definition TEXT",
        "ALTER TABLE tasks ADD COLUMN amount_currency VARCHAR(3)",
        "ALTER TABLE task_reasons ADD COLUMN amount_currency VARCHAR(3)",
    ):
        db.execute_sql(statement)
    p = db.param
    rows = db.execute_sql("SELECT id, headers, mapping FROM import_profiles ORDER BY id").fetchall()
    for profile_id, headers_json, mapping_json in rows:
        headers = json.loads(headers_json)
        columns = {
            field: [headers[index] if 0 <= index < len(headers) and headers[index] else f"#{index + 1}"]
            for field, index in json.loads(mapping_json).items()
        }
        name = f"profile-{profile_id}"
        definition = {"id": name, "name": {"zh_CN": name, "en": name}, "header": headers, "columns": columns}
        db.execute_sql(
            f"UPDATE import_profiles SET name = {p}, definition = {p} WHERE id = {p}",
            (name, json.dumps(definition, ensure_ascii=False), profile_id),
        )
    db.execute_sql("CREATE UNIQUE INDEX import_profiles_name ON import_profiles (name)")


def _v7_queue_stale_mark(db: Database) -> None:
    """An import or undo now marks the follow-up queue stale in its own transaction (the `queue_stale`
    setting) until a build clears it. Before, a process killed between the import's commit and its queue
    build left transactions without tasks, and nothing ever noticed: a database with transactions is marked
    stale once, so the first look at its queue rebuilds it."""
    p = db.param
    db.execute_sql(
        f"INSERT INTO settings (key, value) SELECT {p}, {p} WHERE EXISTS (SELECT 1 FROM transactions)",
        ("queue_stale", f"{dt.datetime.now():%Y-%m-%d %H:%M:%S} upgrade to schema v7"),
    )


def _v8_fewer_transaction_indexes(db: Database) -> None:
    """Two indexes repeated others: customer_id is the prefix of (customer_id, occurred_at), and batch_id had
    two. Each one slowed every imported row (8 indexes to 6), and a million rows' worth outgrew the cache."""
    db.execute_sql("DROP INDEX IF EXISTS transaction_customer_id")
    db.execute_sql("DROP INDEX IF EXISTS transaction_batch_id")


def _v9_users_and_roles(db: Database) -> None:
    """Log-in for teams: an agent with a password hash and a role (agent, supervisor or admin) is a user;
    while no agent has one, nobody logs in."""
    db.execute_sql("ALTER TABLE agents ADD COLUMN role VARCHAR(16)")
    db.execute_sql("ALTER TABLE agents ADD COLUMN password_hash VARCHAR(255)")


def _v10_lighter_task_indexes(db: Database) -> None:
    """Less index work for each new task (a first queue build on 1M transactions writes 76k of them).

    Three indexes now cover only the rows that have the value: every task is created without an agent,
    a hold or a closing time, and indexing those NULLs cost ~0.15 s of that build. Every query on these
    columns compares them (`= ?`, a time range), which implies IS NOT NULL, so the partial indexes still
    serve them (and the foreign-key checks when an agent is deleted). And (status, due_at) goes: the
    overdue filter reads (status, priority, due_at) as fast (11 ms either way on 76k open tasks), and
    sorting the queue by due time without it takes 52 ms instead of 27-44 ms, while the index cost
    every build ~0.12 s.
    """
    for name, columns, present in (
        ("task_assigned_to_id", "assigned_to_id", "assigned_to_id"),
        ("task_held_by_id", "held_by_id", "held_by_id"),
        ("tasks_status_closed_at", "status, closed_at", "closed_at"),
    ):
        db.execute_sql(f"DROP INDEX IF EXISTS {name}")
        db.execute_sql(f"CREATE INDEX {name} ON tasks ({columns}) WHERE {present} IS NOT NULL")
    db.execute_sql("DROP INDEX IF EXISTS tasks_status_due_at")


MIGRATIONS: tuple[Callable[[Database], None], ...] = (
    _v1_initial,
    _v2_browse_indexes,
    _v3_import_undo_and_profiles,
    _v4_followup_queue,
    _v5_export_log_and_customer_changes,
    _v6_currencies_identities_and_formats,
    _v7_queue_stale_mark,
    _v8_fewer_transaction_indexes,
    _v9_users_and_roles,
    _v10_lighter_task_indexes,
)
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
