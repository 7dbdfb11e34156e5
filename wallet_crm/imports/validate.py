"""Check every data row against the mapping: a good row becomes a `Record`, a bad one its `RowError`s.

Blank rows, totals rows (合计/总计/Total), one-cell notes and repeated header rows are skipped, not
errors. A transaction id seen earlier in the same file is a duplicate. This loop runs once per row
of files with a million rows, so the common path does little: cached look-ups for words and phones,
and the row is only classified as a note or a totals row once it has failed as data.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from wallet_crm.errors import OperationCancelled
from wallet_crm.imports.mapping import FIELDS_BY_NAME
from wallet_crm.imports.outcome import RowError
from wallet_crm.imports.values import (
    STATUS_WORDS,
    TYPE_WORDS,
    BadValue,
    Cell,
    clean_text,
    display,
    is_blank,
    is_masked_phone,
    parse_amount_fen,
    parse_phone,
    parse_time,
    parse_txn_id,
    parse_word,
)

Progress = Callable[[int, int], None]
MAX_ERRORS = 100_000  # past this only the number of errors is kept, not each one
CHECK_EVERY = 2_000  # rows between progress reports and cancel checks
_TOTALS = re.compile(r"^\s*(合计|总计|小计|汇总|共计|总笔数|总金额|total|sum\b|subtotal|grand total)", re.IGNORECASE)
_DECORATION = re.compile(r"^[\s#\-=*_—~.]*$")


class Record(NamedTuple):
    """One good row, already in stored form."""

    row: int
    txn_id: str
    customer_id: str | None
    phone: str | None
    name: str | None
    occurred_at: str
    amount_fen: int
    status: str
    txn_type: str
    channel: str | None
    merchant: str | None
    remark: str | None


@dataclass
class Checked:
    records: list[Record] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    errors_not_listed: int = 0
    rejected: int = 0
    skipped: int = 0
    duplicates: int = 0
    rows_read: int = 0


_ID_EDGES = frozenset(" \t\r\n\u00a0\u3000'")
_CACHEABLE = (str, float, int)  # not bool: True == 1 would share an entry


class _Cache:
    """What a parser said about each distinct cell value (status words and phones repeat a lot)."""

    def __init__(self, parse: Callable[[Cell], str]) -> None:
        self.parse = parse
        self.seen: dict[object, str | BadValue] = {}

    def get(self, value: Cell) -> str | BadValue:
        found = self.seen.get(value)
        if found is not None:
            return found
        try:
            found = self.parse(value)
        except BadValue as exc:
            found = exc
        if value.__class__ in _CACHEABLE and len(self.seen) < 500_000:
            self.seen[value] = found
        return found


def check_rows(
    rows: Iterator[list[Cell]],
    first_row: int,
    mapping: Mapping[str, int],
    header: tuple[str, ...],
    total: int,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Checked:
    """Validate `rows` (the first is Excel row `first_row`); `progress(done, total)` counts rows."""
    result = Checked()
    seen: set[str] = set()
    statuses = _Cache(lambda value: parse_word(value, STATUS_WORDS, "status"))
    types = _Cache(lambda value: parse_word(value, TYPE_WORDS, "transaction type"))
    phones = _Cache(parse_phone)
    columns = {name: mapping.get(name, -1) for name in FIELDS_BY_NAME}
    c_id, c_time, c_amount, c_status = columns["txn_id"], columns["occurred_at"], columns["amount"], columns["status"]
    c_type, c_cust, c_phone, c_name = columns["txn_type"], columns["customer_id"], columns["phone"], columns["name"]
    c_channel, c_merchant, c_remark = columns["channel"], columns["merchant"], columns["remark"]
    width = max(mapping.values()) + 1
    header_key = tuple(cell.lower() for cell in header)
    row_number = first_row - 1
    append = result.records.append
    for row in rows:
        row_number += 1
        if row_number % CHECK_EVERY == 0:
            if cancel is not None and cancel.is_set():
                raise OperationCancelled("Import cancelled; nothing was written.")
            if progress is not None:
                progress(min(row_number - first_row, total), total)
        if len(row) < width:
            row = [*row, *([""] * (width - len(row)))]
        problems: list[tuple[str, Cell, str]] = []
        value = row[c_id]
        if value.__class__ is str and value and value[0] not in _ID_EDGES and value[-1] not in _ID_EDGES:
            txn_id = value  # the common case, no cleaning needed
        else:
            try:
                txn_id = parse_txn_id(value)
            except BadValue as exc:
                txn_id = ""
                problems.append(("txn_id", value, str(exc)))
        value = row[c_time]
        if isinstance(value, dt.datetime) and not value.microsecond and value.tzinfo is None:
            occurred_at = value.isoformat(" ")
        else:
            try:
                occurred_at = parse_time(value)
            except BadValue as exc:
                occurred_at = ""
                problems.append(("occurred_at", value, str(exc)))
        try:
            amount_fen = parse_amount_fen(row[c_amount])
        except BadValue as exc:
            amount_fen = 0
            problems.append(("amount", row[c_amount], str(exc)))
        status = statuses.get(row[c_status])
        if isinstance(status, BadValue):
            problems.append(("status", row[c_status], str(status)))
        txn_type = types.get(row[c_type])
        if isinstance(txn_type, BadValue):
            problems.append(("txn_type", row[c_type], str(txn_type)))
        customer_id = _customer_id(row[c_cust], problems) if c_cust >= 0 else None
        phone: str | BadValue | None = None
        if c_phone >= 0 and not is_blank(row[c_phone]):
            # Our own export with masked numbers: the customer id tells the customer, the phone stays as it is.
            masked_but_known = customer_id is not None and is_masked_phone(row[c_phone])
            phone = None if masked_but_known else phones.get(row[c_phone])
            if isinstance(phone, BadValue):
                problems.append(("phone", row[c_phone], str(phone)))
        elif customer_id is None and not any(name == "customer_id" for name, _, _ in problems):
            which = "customer_id" if c_cust >= 0 else "phone"
            problems.append((which, "", "missing: the row names no customer (no customer id or phone)"))
        if problems:
            if _is_not_data(row, header_key):
                result.skipped += 1
            else:
                _reject(result, row_number, problems)
            continue
        if txn_id in seen:
            result.duplicates += 1
            continue
        seen.add(txn_id)
        append(
            Record(
                row_number,
                txn_id,
                customer_id,
                phone,  # type: ignore[arg-type]  # a BadValue made `problems` non-empty above
                _text(row[c_name]) if c_name >= 0 else None,
                occurred_at,
                amount_fen,
                status,  # type: ignore[arg-type]
                txn_type,  # type: ignore[arg-type]
                _text(row[c_channel]) if c_channel >= 0 else None,
                _text(row[c_merchant]) if c_merchant >= 0 else None,
                _text(row[c_remark]) if c_remark >= 0 else None,
            )
        )
    result.rows_read = max(row_number - first_row + 1, 0)
    if progress is not None:
        progress(total, total)
    return result


def _text(value: Cell) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    return clean_text(value)


def _customer_id(value: Cell, problems: list[tuple[str, Cell, str]]) -> str | None:
    if is_blank(value):
        return None
    try:
        return parse_txn_id(value)
    except BadValue as exc:
        problems.append(("customer_id", value, str(exc).replace("an id", "a customer id")))
        return None


def _is_not_data(row: list[Cell], header_key: tuple[str, ...]) -> bool:
    """Blank, a one-cell note, a totals row, a line of dashes or the header again: skipped, not rejected."""
    filled = [cell for cell in row if not is_blank(cell)]
    if len(filled) <= 1:
        return True
    if _TOTALS.match(display(filled[0])) or all(_DECORATION.match(display(cell)) for cell in filled):
        return True
    texts = tuple(display(cell).strip().lower() for cell in row)
    return texts[: len(header_key)] == header_key


def _reject(result: Checked, row_number: int, problems: list[tuple[str, Cell, str]]) -> None:
    result.rejected += 1
    for name, value, reason in problems:
        if len(result.errors) >= MAX_ERRORS:
            result.errors_not_listed += 1
            continue
        result.errors.append(RowError(row_number, FIELDS_BY_NAME[name].label, display(value).strip(), reason))
