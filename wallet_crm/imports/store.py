"""From checked records to database rows: what is new, which customers to create or update, and the write.

`plan` only reads, so a dry run and a real import count the same way; a real import calls it inside
the write transaction, so nothing can slip in between the look-ups and the inserts. `write` puts the
batch, its customers and its transactions in that one transaction, with a `customer_changes` row for
each existing customer whose name or phone it changes, so an undo can put the old values back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from peewee import Database

from wallet_crm.db.bulk import TRANSACTION_COLUMNS, execute_many, insert_rows
from wallet_crm.errors import OperationCancelled
from wallet_crm.imports.validate import Record

LOOKUP_CHUNK = 500  # parameters per IN (...) look-up
WRITE_CHUNK = 5_000  # rows per executemany between progress reports and cancel checks
CustomerKey = tuple[str, str]  # ("id", external id) or ("phone", E.164)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CustomerRow:
    id: int
    external_id: str | None
    phone: str | None
    name: str | None


@dataclass
class Plan:
    new: list[Record]
    duplicates: int
    existing: dict[CustomerKey, int] = field(default_factory=dict)  # key -> customer id
    create: dict[CustomerKey, tuple[str | None, str | None, str | None]] = field(default_factory=dict)
    update: dict[int, tuple[str | None, str | None, str | None]] = field(default_factory=dict)  # id -> ext, phone, name
    before: dict[int, tuple[str | None, str | None]] = field(default_factory=dict)  # id -> phone, name as they were


def customer_key(record: Record) -> CustomerKey:
    if record.customer_id is not None:
        return ("id", record.customer_id)
    assert record.phone is not None  # validate rejects rows with neither
    return ("phone", record.phone)


def plan(db: Database, records: list[Record]) -> Plan:
    """What writing `records` would do, from the database as it is now."""
    sql = "SELECT txn_id FROM transactions WHERE txn_id IN ({})"
    existing_ids = {row[0] for row in _select_in(db, sql, _ids(records))}
    new = [record for record in records if record.txn_id not in existing_ids]
    result = Plan(new=new, duplicates=len(records) - len(new))
    latest: dict[CustomerKey, Record] = {}
    for record in new:
        key = customer_key(record)
        known = latest.get(key)
        if known is None or (record.occurred_at, record.row) >= (known.occurred_at, known.row):
            latest[key] = record
    matched = _match_customers(db, latest)
    last_seen = dict(
        _select_in(
            db,
            "SELECT customer_id, MAX(occurred_at) FROM transactions WHERE customer_id IN ({}) GROUP BY customer_id",
            sorted({customer.id for customer in matched.values()}),
        )
    )
    for key, record in latest.items():
        customer = matched.get(key)
        if customer is None:
            external_id = key[1] if key[0] == "id" else None
            result.create[key] = (external_id, record.phone, record.name)
            continue
        result.existing[key] = customer.id
        newest = last_seen.get(customer.id)
        if newest is not None and str(newest)[:19] > record.occurred_at:
            continue  # the database knows this customer from later transactions than this file
        wanted = result.update.get(customer.id, (customer.external_id, customer.phone, customer.name))
        external_id = wanted[0] or (key[1] if key[0] == "id" else None)
        changed = (external_id, record.phone or wanted[1], record.name or wanted[2])
        if changed != (customer.external_id, customer.phone, customer.name):
            result.update[customer.id] = changed
            result.before[customer.id] = (customer.phone, customer.name)
    return result


def _match_customers(db: Database, latest: dict[CustomerKey, Record]) -> dict[CustomerKey, CustomerRow]:
    """Existing customers by wallet id, else by phone; a wallet id new to us adopts a phone-only customer."""
    columns = "SELECT id, external_id, phone, name FROM customers WHERE {} IN ({{}}) ORDER BY id"
    external_ids = sorted(key[1] for key in latest if key[0] == "id")
    by_id = {row[1]: CustomerRow(*row) for row in _select_in(db, columns.format("external_id"), external_ids)}
    phones = {key[1] for key in latest if key[0] == "phone"}
    phones.update(r.phone for key, r in latest.items() if key[0] == "id" and key[1] not in by_id and r.phone)
    by_phone: dict[str, CustomerRow] = {}
    unlinked: dict[str, CustomerRow] = {}
    for row in _select_in(db, columns.format("phone"), sorted(phone for phone in phones if phone)):
        customer = CustomerRow(*row)
        by_phone.setdefault(row[2], customer)
        if customer.external_id is None:
            unlinked.setdefault(row[2], customer)
    matched: dict[CustomerKey, CustomerRow] = {}
    adopted: set[int] = set()
    for key, record in latest.items():
        if key[0] == "phone":
            if key[1] in by_phone:
                matched[key] = by_phone[key[1]]
        elif key[1] in by_id:
            matched[key] = by_id[key[1]]
        elif record.phone in unlinked and unlinked[record.phone].id not in adopted:
            matched[key] = unlinked[record.phone]
            adopted.add(matched[key].id)
    return matched


def write(
    db: Database,
    the_plan: Plan,
    batch_id: int,
    now: str,
    progress: Callable[[int], None] | None = None,
    cancel: threading.Event | None = None,
) -> None:
    """Insert the plan's customers and transactions under `batch_id`; the caller holds the transaction."""
    p = db.param
    insert_rows(
        db,
        "customers",
        ("external_id", "phone", "name", "created_at", "updated_at", "created_batch_id"),
        [(*values, now, now, batch_id) for values in the_plan.create.values()],
    )
    ids = dict(the_plan.existing)
    created = db.execute_sql(f"SELECT id, external_id, phone FROM customers WHERE created_batch_id = {p}", (batch_id,))
    for customer_id, external_id, phone in created.fetchall():
        ids[("id", external_id) if external_id is not None else ("phone", phone)] = customer_id
    execute_many(
        db,
        f"UPDATE customers SET external_id = {p}, phone = {p}, name = {p}, updated_at = {p} WHERE id = {p}",
        [(*values, now, customer_id) for customer_id, values in the_plan.update.items()],
    )
    insert_rows(
        db,
        "customer_changes",
        ("batch_id", "customer_id", "old_name", "old_phone", "new_name", "new_phone"),
        _changes(the_plan, batch_id),
    )
    done = 0
    for chunk in _chunks(the_plan.new, WRITE_CHUNK):
        if cancel is not None and cancel.is_set():
            raise OperationCancelled("Import cancelled; nothing was written.")
        insert_rows(db, "transactions", TRANSACTION_COLUMNS, _transaction_rows(chunk, ids, batch_id))
        done += len(chunk)
        if progress is not None:
            progress(done)


def _changes(the_plan: Plan, batch_id: int) -> Iterator[tuple[object, ...]]:
    """The name and phone before and after, for the customers whose name or phone the plan changes (a wallet
    id adopted by a phone-only customer alone is not a change an undo would need to put back)."""
    for customer_id, (_, phone, name) in the_plan.update.items():
        old_phone, old_name = the_plan.before[customer_id]
        if (phone, name) != (old_phone, old_name):
            yield (batch_id, customer_id, old_name, old_phone, name, phone)


def _transaction_rows(
    records: Sequence[Record], ids: dict[CustomerKey, int], batch_id: int
) -> Iterator[tuple[Any, ...]]:
    for record in records:
        yield (
            record.txn_id,
            ids[customer_key(record)],
            record.occurred_at,
            record.amount_fen,
            record.status,
            record.txn_type,
            record.channel,
            record.merchant,
            record.remark,
            batch_id,
        )


def _ids(records: list[Record]) -> list[str]:
    return [record.txn_id for record in records]


def _chunks(items: Sequence[Record], size: int) -> Iterator[Sequence[Record]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _select_in(db: Database, sql: str, values: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
    """Rows of `sql` (with one `{}` for the IN list) over `values`, asked LOOKUP_CHUNK at a time."""
    chunk: list[Any] = []
    for value in values:
        chunk.append(value)
        if len(chunk) == LOOKUP_CHUNK:
            yield from db.execute_sql(sql.format(", ".join([db.param] * len(chunk))), chunk).fetchall()
            chunk = []
    if chunk:
        yield from db.execute_sql(sql.format(", ".join([db.param] * len(chunk))), chunk).fetchall()
