"""Check data rows against a layout: a good row becomes a `Record`, a bad one its `RowError`s.

The checker sees a file in chunks (the import streams: read, check, write), keeping across chunks
only what must be: the transaction keys seen (in-file duplicates), the date order, unknown words with
their counts and example rows, and whether the summary under the data has begun. Blank rows, totals
and summary lines (合计, 总交易单数…, #交易合计…, 共 N 笔), one-cell notes and repeated header rows are
skipped, not errors. An unknown status or direction word is never guessed: the row is held back and
the word listed, and the service refuses to write a file that has any.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from wallet_crm.imports.format import IDENTITY_FIELDS, ImportFormat, clean_word
from wallet_crm.imports.layout import Layout
from wallet_crm.imports.outcome import RowError
from wallet_crm.imports.values import (
    MAX_AMOUNT_MAJOR,
    NOTHING_TEXTS,
    TEXT_EDGES,
    AmbiguousDate,
    BadValue,
    Cell,
    clean,
    clean_text,
    display,
    is_blank,
    is_masked,
    is_masked_phone,
    is_nothing,
    parse_amount,
    parse_clock,
    parse_datetime,
    parse_phone,
    parse_txn_id,
    phone_text,
)
from wallet_crm.imports.words import WordBook
from wallet_crm.imports.zones import to_local, zone_for
from wallet_crm.messages import Localized
from wallet_crm.money import currency_code, minor_units

WORD_CACHE_LIMIT = 10_000  # distinct cells remembered per cache; past it they are read each time
MAX_ERRORS = 100_000  # past this only the number of errors is kept, not each one
MAX_WARNINGS = 10_000
MAX_EXAMPLES = 3  # example rows kept per unknown word

# Each field as a line outside the window names it, in both languages (the same words as the window's
# labels, ui/labels.py); FIELD_LABELS is the English, which `RowError.field` carries.
FIELD_TITLES: dict[str, Localized] = {
    "txn_id": {"en": "transaction id", "zh_CN": "交易流水号"},
    "refund_id": {"en": "refund id", "zh_CN": "退款单号"},
    "occurred_at": {"en": "time", "zh_CN": "日期时间"},
    "occurred_time": {"en": "time of day", "zh_CN": "时刻"},
    "timezone": {"en": "time zone", "zh_CN": "时区"},
    "customer_id": {"en": "customer id", "zh_CN": "客户号"},
    "phone": {"en": "phone", "zh_CN": "手机号"},
    "platform_user": {"en": "platform user id", "zh_CN": "平台用户标识"},
    "email": {"en": "email", "zh_CN": "邮箱"},
    "counterparty": {"en": "counterparty", "zh_CN": "交易对方"},
    "name": {"en": "name", "zh_CN": "姓名"},
    "amount": {"en": "amount", "zh_CN": "金额"},
    "amount_in": {"en": "amount in", "zh_CN": "收入金额"},
    "amount_out": {"en": "amount out", "zh_CN": "支出金额"},
    "direction": {"en": "direction", "zh_CN": "收/支"},
    "currency": {"en": "currency", "zh_CN": "币种"},
    "status": {"en": "status", "zh_CN": "状态"},
    "txn_type": {"en": "type", "zh_CN": "类型"},
    "channel": {"en": "channel", "zh_CN": "渠道"},
    "merchant": {"en": "merchant", "zh_CN": "商户"},
    "remark": {"en": "remark", "zh_CN": "备注"},
}
FIELD_LABELS = {name: title["en"] for name, title in FIELD_TITLES.items()}


def field_title(name: str) -> Localized:
    """A field in a line of either language: its label, and in Chinese its name as `--map` and `--word`
    take it (`金额（amount）`); a field new to this version by its name."""
    title = FIELD_TITLES.get(name)
    if title is None:
        return {"en": name, "zh_CN": name}
    return {"en": title["en"], "zh_CN": f"{title['zh_CN']}（{name}）"}


_SUMMARY = re.compile(
    r"^\s*[#＃]|^\s*(合计|总计|小计|汇总|共计|总笔数|总金额|总交易单数|资金流水总笔数|共\s*\d+\s*笔"
    r"|total\b|sum\b|subtotal|grand total)",
    re.IGNORECASE,
)
_DECORATION = re.compile(r"^[\s#\-=*_—~.]*$")


class Record(NamedTuple):
    """One good row, already in stored form. `amount` is a magnitude in minor units of `currency`."""

    row: int
    key: str  # the transaction's id as stored: the refund id, the id, or `<id>#refund`
    id_kind: str
    identity: str
    phone: str | None
    phone_callable: bool
    email: str | None
    name: str | None
    occurred_at: str
    amount: int
    currency: str
    direction: str | None
    status: str
    txn_type: str
    type_word: str | None
    channel: str | None
    merchant: str | None
    remark: str | None


@dataclass
class Checked:
    """What one chunk gave; the counts add up over chunks."""

    records: list[Record] = field(default_factory=list)
    rejected: int = 0
    skipped: int = 0
    duplicates: int = 0
    held: int = 0  # rows with an unknown status or direction word
    rows_read: int = 0


FastRow = Callable[[list[Cell], int, Checked], bool]


@dataclass(frozen=True)
class CheckSettings:
    """The operator's settings an import reads: the local zone and the plausibility limit (major units)."""

    local_zone: dt.tzinfo
    max_plausible: int = 1_000_000


class RowChecker:
    """Checks rows chunk by chunk against one layout, keeping the file-wide state between chunks."""

    def __init__(
        self,
        layout: Layout,
        generic: ImportFormat,
        settings: CheckSettings,
        user_words: Mapping[str, Mapping[str, str]] | None = None,
        date_order: str | None = None,
        fast_path: bool = True,  # False: every row through `_check_row` (the tests compare the two)
    ) -> None:
        self.layout = layout
        self.settings = settings
        fmt = layout.format
        user_words = user_words or {}
        self.books = {
            name: WordBook([user_words.get(name, {}), fmt.words.get(name, {}), generic.words.get(name, {})])
            for name in ("status", "txn_type", "direction")
        }
        self.defaults = fmt.defaults
        self.default_currency = fmt.defaults.get("currency", "CNY")
        self.decimal_mark = fmt.decimal_mark
        self.signed = fmt.signed_amounts
        self.order = date_order or fmt.date_order
        self.footer = tuple(clean_word(text) for text in (*fmt.footer, *generic.footer))
        # A row whose first cell starts with one of these ASCII letters or digits starts no footer.
        self.not_footer = (
            frozenset(
                ch
                for ch in string.ascii_letters + string.digits
                if not any(word.startswith(ch.lower()) for word in self.footer)
            )
            if all(self.footer)
            else frozenset()
        )
        self.source_zone = _source_zone(fmt, layout)
        self.header_texts = tuple(cell.lower() for cell in layout.header)
        self.width = (
            max((*layout.columns.values(), *(c for r in layout.rule_columns for c in r.values())), default=0) + 1
        )
        self.share_ids = fmt.refunds_share_ids
        self.seen: dict[str, bool] = {}  # key -> whether that row was a refund
        self.refund_counts: dict[str, int] = {}
        self.derived_counts: dict[str, int] = {}
        self.in_footer = False
        self.errors: list[RowError] = []
        self.errors_not_listed = 0
        self.warnings: list[RowError] = []
        self.warnings_not_listed = 0
        self.unknown: dict[str, dict[str, int]] = {}
        self.examples: dict[str, dict[str, list[int]]] = {}
        self.no_customer = 0
        self.data_rows = 0
        self.phones: dict[Cell, tuple[str | None, bool, BadValue | None]] = {}
        # Status, type and channel words repeat on every row: each distinct cell is read once.
        self.word_cells: dict[tuple[str, Cell], tuple[str | None, str | None]] = {}
        self.short_texts: dict[Cell, str | None] = {}
        self._plans: dict[tuple[int, int], tuple[Mapping[str, int], Mapping[str, str], FastRow | None]] = {}
        self.fast_path = fast_path

    # --- the loop ---------------------------------------------------------------------------------

    def check(self, rows: Sequence[list[Cell]], first_row: int) -> Checked:
        """Check `rows`, the first of which is row `first_row` as Excel numbers it."""
        result = Checked(rows_read=len(rows))
        width = self.width
        layout = self.layout
        not_footer = self.not_footer
        fast = None if layout.rules else self._plan(layout.columns, layout.fixed_codes)
        for offset, row in enumerate(rows):
            number = first_row + offset
            if self.in_footer:
                result.skipped += 1
                continue
            head = row[0] if row else None
            if (head is None or head == "") and all(cell is None or cell == "" for cell in row):
                result.skipped += 1  # an empty row: a million of them below a stray far-off cell cost nothing
                continue
            if len(row) < width:
                row = [*row, *([""] * (width - len(row)))]
            first = row[0] if row else ""
            if self.footer and (first.__class__ is not str or first[:1] not in not_footer) and self._starts_footer(row):
                self.in_footer = True
                result.skipped += 1
                continue
            if layout.rules:
                fast = self._plan(*layout.variant(row))
            if fast is None or not fast(row, number, result):
                self._check_row(row, number, result)
        return result

    def _starts_footer(self, row: list[Cell]) -> bool:
        for cell in row:
            if cell is None or cell == "":
                continue
            if cell.__class__ is not str:
                return False  # a data row: its first cell is a number or a date
            word = clean_word(cell)
            if word:
                return word.startswith(self.footer)
        return False

    def _check_row(self, row: list[Cell], number: int, result: Checked) -> None:
        columns, fixed = self.layout.columns, self.layout.fixed_codes
        if self.layout.rules:
            columns, fixed = self.layout.variant(row)
        problems: list[tuple[str, Cell, BadValue]] = []
        warnings: list[tuple[str, Cell, BadValue]] = []
        get = columns.get

        id_column = get("txn_id", -1)
        txn_id = self._text_id("txn_id", row[id_column], problems) if id_column >= 0 else self._derived_id(row)
        refund_column = get("refund_id", -1)
        refund_id = _optional_id(row[refund_column]) if refund_column >= 0 else None
        occurred = self._time(row, columns, problems)
        currency = self._currency(row, get("currency", -1), problems)
        amount, note, direction = self._amount(row, columns, currency, fixed, problems)
        status = self._word("status", row, get("status", -1), fixed, problems)
        txn_type, type_word = self._type(row, get("txn_type", -1), fixed)
        identity = self._identity(row, columns, problems, warnings)
        if problems:
            if self._is_not_data(row):
                result.skipped += 1
                return
            self.data_rows += 1
            if any(bad.code == "no_customer" for _, _, bad in problems):
                self.no_customer += 1
            self._reject(result, number, problems)
            return
        self.data_rows += 1
        if status is None or direction == "?":
            if status is None:
                self._unknown("status", _word_text(row[get("status", -1)]), number)
            if direction == "?":
                self._unknown("direction", _word_text(row[get("direction", -1)]), number)
            result.held += 1
            return
        assert identity is not None and occurred is not None and txn_id is not None
        key = self._key(txn_id, refund_id, txn_type)
        if key in self.seen:
            result.duplicates += 1
            return
        self.seen[key] = txn_type == "refund"
        if amount > self.settings.max_plausible * 10 ** minor_units(currency):
            limit = f"{self.settings.max_plausible:,} {currency}"
            warnings.append(("amount", row[get("amount", get("amount_in", get("amount_out", 0)))],
                             BadValue("amount_implausible", limit=limit)))  # fmt: skip
        for name, value, warning in warnings:
            self._warn(number, name, value, warning)
        kind, value, phone, callable_, email, name_text = identity
        remark = clean_text(row[get("remark", -1)]) if "remark" in columns else None
        if note:
            remark = f"{remark}；{note}" if remark else note
        result.records.append(
            Record(
                number,
                key,
                kind,
                value,
                phone,
                callable_,
                email,
                name_text,
                occurred.isoformat(" "),
                amount,
                currency,
                direction,
                status,
                txn_type,
                type_word,
                self._short_text(row[columns["channel"]]) if "channel" in columns else None,
                self._short_text(row[columns["merchant"]]) if "merchant" in columns else None,
                remark,
            )
        )

    # --- the fast path ----------------------------------------------------------------------------

    def _plan(self, columns: Mapping[str, int], fixed: Mapping[str, str]) -> FastRow | None:
        """The fast path for rows read with `columns`, remembered per (columns, fixed) pair."""
        if not self.fast_path:
            return None
        key = (id(columns), id(fixed))
        try:
            return self._plans[key][2]
        except KeyError:
            pass
        plan = self._make_plan(columns, fixed)
        self._plans[key] = (columns, fixed, plan)  # the mappings kept alive: their ids stay theirs
        return plan

    def _make_plan(self, columns: Mapping[str, int], fixed: Mapping[str, str]) -> FastRow | None:
        """A function that checks one good row of the common shape exactly as `_check_row` would, with
        the layout's columns and parsers bound once. It returns False, having changed nothing but caches,
        for any row it isn't sure of (a problem, an unknown word, an unusual cell): `_check_row` takes that.
        """
        if "txn_id" not in columns or "occurred_at" not in columns:
            return None
        if "occurred_time" in columns or "timezone" in columns:
            return None
        get = columns.get
        id_col, time_col = columns["txn_id"], columns["occurred_at"]
        refund_col, currency_col = get("refund_id", -1), get("currency", -1)
        amount_col, direction_col = get("amount", -1), get("direction", -1)
        status_col, type_col = get("status", -1), get("txn_type", -1)
        phone_col, email_col, name_col = get("phone", -1), get("email", -1), get("name", -1)
        counterparty_col, remark_col = get("counterparty", -1), get("remark", -1)
        channel_col, merchant_col = get("channel", -1), get("merchant", -1)
        kinds = tuple((kind, columns[kind]) for kind in IDENTITY_FIELDS if kind in columns)
        if not kinds:
            return None
        defaults = self.defaults
        default_currency = self.default_currency
        fixed_status, fixed_type, fixed_direction = fixed.get("status"), fixed.get("txn_type"), fixed.get("direction")
        default_status = defaults.get("status")
        default_type = defaults.get("txn_type", "other")
        default_direction = defaults.get("direction")
        decimal_mark, signed = self.decimal_mark, self.signed
        source_zone, local_zone = self.source_zone, self.settings.local_zone
        max_plausible = self.settings.max_plausible
        word_cell, short_text, phones, seen = self._word_cell, self._short_text, self.phones, self.seen
        currencies: dict[str, tuple[str, int, int]] = {}  # cell -> (code, exponent, plausible limit)

        def money(code: str) -> tuple[str, int, int]:
            exponent = minor_units(code)
            return code, exponent, max_plausible * 10**exponent

        default_money = money(default_currency)
        status_cells: dict[str, tuple[str | None, str | None]] = {}
        type_cells: dict[str, tuple[str | None, str | None]] = {}

        def cached_word(
            cells: dict[str, tuple[str | None, str | None]], name: str, cell: Cell
        ) -> tuple[str | None, str | None]:
            """`word_cell` for a text cell, looked up by the cell alone (no key tuple, no method call)."""
            found = cells.get(cell) if cell.__class__ is str else None
            if found is None:
                found = word_cell(name, cell)
                if cell.__class__ is str and len(cells) < WORD_CACHE_LIMIT:
                    cells[cell] = found
            return found

        share_ids = self.share_ids
        scratch: list[tuple[str, Cell, BadValue]] = []
        new_record = tuple.__new__
        datetime = dt.datetime
        edges = _ID_EDGES | frozenset(TEXT_EDGES)

        def fast(row: list[Cell], number: int, result: Checked) -> bool:
            txn_id = row[id_col]
            if txn_id.__class__ is not str or not txn_id or txn_id[0] in _ID_EDGES or txn_id[-1] in _ID_EDGES:
                try:
                    txn_id = parse_txn_id(txn_id)
                except BadValue:
                    return False
            refund_id = None
            if refund_col >= 0:
                refund_cell = row[refund_col]
                if refund_cell != "":
                    refund_id = _optional_id(refund_cell)
            when = row[time_col]
            learn = False
            if when.__class__ is not datetime or when.microsecond or when.tzinfo is not None:
                try:
                    when = parse_datetime(when, self.order)
                except BadValue:  # AmbiguousDate too: `_check_row` decides the order
                    return False
                learn = self.order is None and row[time_col].__class__ is str
            if currency_col < 0:
                currency, exponent, plausible = default_money
            else:
                cell = row[currency_col]
                if cell.__class__ is not str:
                    return False
                found_currency = currencies.get(cell)
                if found_currency is None:
                    currency = self._currency(row, currency_col, scratch)
                    if scratch:
                        scratch.clear()
                        return False
                    found_currency = money(currency)
                    if len(currencies) < WORD_CACHE_LIMIT:
                        currencies[cell] = found_currency
                currency, exponent, plausible = found_currency
            note = None
            if amount_col >= 0:
                value = row[amount_col]
                text = repr(value) if value.__class__ is float else ""
                whole, dot, part = text.partition(".")
                if dot and "e" not in text and len(part) <= exponent:  # `_float_to_minor`'s common case
                    minor = int(whole + part.ljust(exponent, "0")) if part != "0" else int(whole) * 10**exponent
                else:
                    try:
                        minor, note = parse_amount(value, exponent, decimal_mark, currency)
                    except BadValue:
                        return False
                if abs(minor) >= MAX_AMOUNT_MAJOR * 10**exponent:
                    return False
                signed_direction = "out" if minor < 0 else "in" if signed and minor > 0 else None
                amount = abs(minor)
                direction = fixed_direction
                if direction is None and direction_col >= 0:
                    code, word = word_cell("direction", row[direction_col])
                    if word is not None:
                        if code is None:
                            return False
                        direction = code
                if direction is None:
                    direction = signed_direction or default_direction
            else:
                amount, note, direction = self._amount(row, columns, currency, fixed, scratch)
                if scratch:
                    scratch.clear()
                    return False
                if direction == "?":
                    return False
            status: str | None = fixed_status
            if status is None:
                if status_col < 0:
                    code, word = None, None
                else:
                    code, word = cached_word(status_cells, "status", row[status_col])
                status = default_status if word is None else code
                if status is None:
                    return False
            if type_col < 0:
                code, type_word = None, None
            else:
                code, type_word = cached_word(type_cells, "txn_type", row[type_col])
            if fixed_type is not None:
                txn_type = fixed_type
            elif type_word is None:
                txn_type = default_type
            else:
                txn_type = code or "other"
            # the customer, as `_identity` finds it
            phone_value: Cell = None
            if phone_col >= 0:
                phone_value = row[phone_col]
                cacheable = phone_value.__class__ in _CACHEABLE
                phone_found = phones.get(phone_value) if cacheable else None
                if phone_found is None:
                    phone_found = _read_phone(phone_value)
                    if cacheable and len(phones) < 500_000:
                        phones[phone_value] = phone_found
                phone, callable_, _problem = phone_found
            else:
                phone, callable_ = None, True
            email = _email(row[email_col]) if email_col >= 0 else None
            name = _clean_text(row[name_col]) if name_col >= 0 else None
            counterparty = _plain(row[counterparty_col]) if counterparty_col >= 0 else None
            identity: str | None = None
            kind = ""
            for kind, column in kinds:
                if kind == "customer_id":
                    value = row[column]
                    if value.__class__ is str and value and value[0] not in edges and value[-1] not in edges:
                        identity = value
                    elif is_blank(value):
                        continue
                    else:
                        try:
                            identity = parse_txn_id(value)
                        except BadValue:
                            return False
                    if identity.lower() in NOTHING_TEXTS:
                        identity = None
                        continue
                elif kind == "phone":
                    identity = phone
                elif kind == "email":
                    identity = email
                elif kind == "counterparty":
                    identity = counterparty
                else:
                    identity = _plain(row[column])
                if identity is not None:
                    break
            if identity is None:
                return False
            # a good row: from here on the file-wide state changes
            self.data_rows += 1
            if learn:
                self._learn_order(str(row[time_col]))
            is_refund = txn_type == "refund"
            if refund_id is None and not (is_refund and share_ids):
                earlier = seen.get(txn_id)  # `_key`'s common case written out
                if earlier is None:
                    key = txn_id
                elif earlier == is_refund:
                    result.duplicates += 1
                    return True
                else:
                    key = self._key(txn_id, refund_id, txn_type)
                    if key in seen:
                        result.duplicates += 1
                        return True
            else:
                key = self._key(txn_id, refund_id, txn_type)
                if key in seen:
                    result.duplicates += 1
                    return True
            seen[key] = is_refund
            if not callable_:
                self._warn(number, "phone", phone_value, BadValue("phone_not_callable"))
            if amount > plausible:
                limit = f"{max_plausible:,} {currency}"
                cell = row[amount_col if amount_col >= 0 else get("amount_in", get("amount_out", 0))]
                self._warn(number, "amount", cell, BadValue("amount_implausible", limit=limit))
            remark = _clean_text(row[remark_col]) if remark_col >= 0 else None
            if note:
                remark = f"{remark}；{note}" if remark else note
            if when.tzinfo is not None:
                when = when.astimezone(local_zone).replace(tzinfo=None)
            elif source_zone is not None:
                when = to_local(when, source_zone, local_zone)
            result.records.append(
                new_record(
                    Record,
                    (
                        number,
                        key,
                        kind,
                        identity,
                        phone,
                        callable_,
                        email,
                        name or counterparty,
                        when.isoformat(" "),
                        amount,
                        currency,
                        direction,
                        status,
                        txn_type,
                        type_word,
                        short_text(row[channel_col]) if channel_col >= 0 else None,
                        short_text(row[merchant_col]) if merchant_col >= 0 else None,
                        remark,
                    ),
                )
            )
            return True

        return fast

    # --- fields -----------------------------------------------------------------------------------

    def _short_text(self, value: Cell) -> str | None:
        """`clean_text` of a cell from a column with few distinct values (channel, merchant), remembered."""
        try:
            return self.short_texts[value]
        except KeyError:
            text = clean_text(value)
            if len(self.short_texts) < WORD_CACHE_LIMIT:
                self.short_texts[value] = text
            return text

    def _word_cell(self, name: str, value: Cell) -> tuple[str | None, str | None]:
        """(code, the word as written) of a status/type/direction cell; (None, None) for an empty one."""
        key = (name, value)
        try:
            return self.word_cells[key]
        except KeyError:
            pass
        if _empty_word(value):
            found: tuple[str | None, str | None] = (None, None)
        else:
            word = _word_text(value)
            found = (self.books[name].code(word), word)
        if len(self.word_cells) < WORD_CACHE_LIMIT:
            self.word_cells[key] = found
        return found

    def _text_id(self, name: str, value: Cell, problems: list[tuple[str, Cell, BadValue]]) -> str | None:
        if value.__class__ is str and value and value[0] not in _ID_EDGES and value[-1] not in _ID_EDGES:
            return value  # the common case, nothing to clean
        try:
            return parse_txn_id(value)
        except BadValue as exc:
            problems.append((name, value, exc))
            return None

    def _derived_id(self, row: list[Cell]) -> str:
        """A key for a row of a file without ids: a digest of its cells, then its place among identical rows."""
        texts = [display(clean(cell)) for cell in row]
        while texts and not texts[-1]:
            texts.pop()
        digest = hashlib.blake2b("\x1f".join(texts).encode(), digest_size=10).hexdigest()
        count = self.derived_counts.get(digest, 0) + 1
        self.derived_counts[digest] = count
        return f"auto-{digest}" if count == 1 else f"auto-{digest}-{count}"

    def _time(
        self, row: list[Cell], columns: Mapping[str, int], problems: list[tuple[str, Cell, BadValue]]
    ) -> dt.datetime | None:
        value = row[columns["occurred_at"]]
        try:
            if value.__class__ is dt.datetime and not value.microsecond and value.tzinfo is None:
                when: dt.datetime = value
            else:
                when = parse_datetime(value, self.order)
        except AmbiguousDate:
            self.order = "mdy"  # the service's scan found nothing that decides: it warned once already
            when = parse_datetime(value, self.order)
        except BadValue as exc:
            problems.append(("occurred_at", value, exc))
            return None
        if self.order is None and isinstance(value, str):
            self._learn_order(value)
        if "occurred_time" in columns:
            clock_cell = row[columns["occurred_time"]]
            if not is_blank(clock_cell):
                try:
                    when = dt.datetime.combine(when.date(), parse_clock(clock_cell))
                except BadValue as exc:
                    problems.append(("occurred_time", clock_cell, exc))
                    return None
        zone = self.source_zone
        if "timezone" in columns:
            zone_cell = row[columns["timezone"]]
            if not is_blank(zone_cell):
                zone = zone_for(str(clean(zone_cell)))
                if zone is None:
                    problems.append(("timezone", zone_cell, BadValue("unknown_timezone")))
                    return None
        if when.tzinfo is not None:
            return when.astimezone(self.settings.local_zone).replace(tzinfo=None)
        if zone is not None:
            when = to_local(when, zone, self.settings.local_zone)
        return when

    def _learn_order(self, value: str) -> None:
        from wallet_crm.imports.values import date_order_hint

        hint = date_order_hint(value)
        if hint in ("dmy", "mdy"):
            self.order = hint

    def _currency(self, row: list[Cell], column: int, problems: list[tuple[str, Cell, BadValue]]) -> str:
        if column < 0 or is_blank(row[column]):
            return self.default_currency
        text = str(clean(row[column]))
        code = currency_code(text)
        if code is None:
            problems.append(("currency", row[column], BadValue("unknown_currency")))
            return self.default_currency
        return code

    def _amount(
        self,
        row: list[Cell],
        columns: Mapping[str, int],
        currency: str,
        fixed: Mapping[str, str],
        problems: list[tuple[str, Cell, BadValue]],
    ) -> tuple[int, str | None, str | None]:
        """The magnitude, a note written beside it, and the direction ("?" for an unknown word)."""
        exponent = minor_units(currency)
        note = None
        signed_direction: str | None = None
        if "amount" in columns:
            value = row[columns["amount"]]
            try:
                minor, note = parse_amount(value, exponent, self.decimal_mark, currency)
            except BadValue as exc:
                problems.append(("amount", value, exc))
                return 0, None, None
            if minor < 0:
                signed_direction = "out"
            elif self.signed and minor > 0:
                signed_direction = "in"
            minor = abs(minor)
        else:
            minor_in = self._side(row, columns.get("amount_in", -1), exponent, currency, "amount_in", problems)
            minor_out = self._side(row, columns.get("amount_out", -1), exponent, currency, "amount_out", problems)
            if minor_in is None and minor_out is None:
                if not any(name in ("amount_in", "amount_out") for name, _, _ in problems):
                    which = "amount_in" if "amount_in" in columns else "amount_out"
                    problems.append((which, "", BadValue("missing")))
                return 0, None, None
            if minor_in and minor_out:
                problems.append(("amount_in", row[columns["amount_in"]], BadValue("not_amount")))
                return 0, None, None
            minor = minor_in or minor_out or 0
            signed_direction = "in" if minor_in else "out" if minor_out else None
        direction = fixed.get("direction")
        if direction is None and "direction" in columns:
            code, word = self._word_cell("direction", row[columns["direction"]])
            if word is not None:
                direction = code or "?"
        if direction is None:
            direction = signed_direction or self.defaults.get("direction")
        return minor, note, direction

    def _side(
        self,
        row: list[Cell],
        column: int,
        exponent: int,
        currency: str,
        name: str,
        problems: list[tuple[str, Cell, BadValue]],
    ) -> int | None:
        if column < 0 or _empty_word(row[column]):
            return None
        try:
            return abs(parse_amount(row[column], exponent, self.decimal_mark, currency).minor)
        except BadValue as exc:
            problems.append((name, row[column], exc))
            return None

    def _word(
        self,
        name: str,
        row: list[Cell],
        column: int,
        fixed: Mapping[str, str],
        problems: list[tuple[str, Cell, BadValue]],
    ) -> str | None:
        """The status code; None for an unknown word (the caller lists it and holds the row back)."""
        if name in fixed:
            return fixed[name]
        code, word = self._word_cell(name, row[column]) if column >= 0 else (None, None)
        if word is None:
            default = self.defaults.get(name)
            if default is None:
                problems.append((name, "" if column < 0 else row[column], BadValue("missing")))
            return default
        return code

    def _type(self, row: list[Cell], column: int, fixed: Mapping[str, str]) -> tuple[str, str | None]:
        code, word = self._word_cell("txn_type", row[column]) if column >= 0 else (None, None)
        if "txn_type" in fixed:
            return fixed["txn_type"], word
        if word is None:
            return self.defaults.get("txn_type", "other"), None
        return code or "other", word

    def _identity(
        self,
        row: list[Cell],
        columns: Mapping[str, int],
        problems: list[tuple[str, Cell, BadValue]],
        warnings: list[tuple[str, Cell, BadValue]],
    ) -> tuple[str, str, str | None, bool, str | None, str | None] | None:
        """(kind, value, phone, phone callable, email, name) of the row's customer."""
        phone, callable_, phone_problem = self._phone(row, columns.get("phone", -1), warnings)
        email = _email(row[columns["email"]]) if "email" in columns else None
        name = clean_text(row[columns["name"]]) if "name" in columns else None
        counterparty = _plain(row[columns["counterparty"]]) if "counterparty" in columns else None
        found: tuple[str, str] | None = None
        for kind in IDENTITY_FIELDS:
            column = columns.get(kind, -1)
            if column < 0:
                continue
            value = row[column]
            if kind == "customer_id":
                if is_blank(value):
                    continue
                try:
                    text = parse_txn_id(value)
                except BadValue as exc:
                    problems.append(("customer_id", value, exc))
                    return None
                if is_nothing(text):
                    continue
                found = (kind, text)
            elif kind == "phone":
                if phone is None:
                    continue
                found = (kind, phone)
            elif kind == "email":
                if email is None:
                    continue
                found = (kind, email)
            elif kind == "counterparty":
                if counterparty is None:
                    continue
                found = (kind, counterparty)
            else:
                text_value = _plain(value)
                if text_value is None:
                    continue
                found = (kind, text_value)
            break
        if found is None:
            if phone_problem is not None:
                problems.append(("phone", row[columns["phone"]], phone_problem))
            else:
                first = next((name for name in IDENTITY_FIELDS if name in columns), "customer_id")
                problems.append((first, "", BadValue("no_customer")))
            return None
        return (found[0], found[1], phone, callable_, email, name or counterparty)

    def _phone(
        self, row: list[Cell], column: int, warnings: list[tuple[str, Cell, BadValue]]
    ) -> tuple[str | None, bool, BadValue | None]:
        """The phone as stored, whether it can be called, and why there is none (a masked number)."""
        if column < 0:
            return None, True, None
        value = row[column]
        cacheable = value.__class__ in _CACHEABLE
        found = self.phones.get(value) if cacheable else None
        if found is None:
            found = _read_phone(value)
            if cacheable and len(self.phones) < 500_000:
                self.phones[value] = found
        phone, callable_, problem = found
        if not callable_:
            warnings.append(("phone", value, BadValue("phone_not_callable")))
        return phone, callable_, problem

    # --- bookkeeping ------------------------------------------------------------------------------

    def _key(self, txn_id: str, refund_id: str | None, txn_type: str) -> str:
        """The refund id; else the id, but a refund that shares its payment's id gets `<id>#refund` (always
        where the format says its refunds do; elsewhere when the id clashes in the file with a row of the
        other kind, which then keeps both, whichever came first)."""
        if refund_id is not None:
            return refund_id
        is_refund = txn_type == "refund"
        if is_refund and self.share_ids:
            return self._refund_key(txn_id)
        earlier = self.seen.get(txn_id)
        if earlier is None or earlier == is_refund:
            return txn_id
        return self._refund_key(txn_id) if is_refund else f"{txn_id}#{txn_type}"

    def _refund_key(self, txn_id: str) -> str:
        """`<id>#refund` for a refund that shares its payment's id; a second one in the file `#refund-2`."""
        count = self.refund_counts.get(txn_id, 0) + 1
        self.refund_counts[txn_id] = count
        return f"{txn_id}#refund" if count == 1 else f"{txn_id}#refund-{count}"

    def _unknown(self, name: str, word: str, number: int) -> None:
        counts = self.unknown.setdefault(name, {})
        counts[word] = counts.get(word, 0) + 1
        if number:
            examples = self.examples.setdefault(name, {}).setdefault(word, [])
            if len(examples) < MAX_EXAMPLES:
                examples.append(number)

    def _is_not_data(self, row: list[Cell]) -> bool:
        """Blank, a one-cell note, a totals or summary row, a line of dashes or the header again."""
        filled = [cell for cell in row if not is_blank(cell)]
        if len(filled) <= 1:
            return True
        first = display(clean(filled[0]))
        if _SUMMARY.match(first) or all(_DECORATION.match(display(cell)) for cell in filled):
            return True
        texts = tuple(display(clean(cell)).lower() for cell in row)
        return texts[: len(self.header_texts)] == self.header_texts

    def _reject(self, result: Checked, number: int, problems: list[tuple[str, Cell, BadValue]]) -> None:
        result.rejected += 1
        for name, value, reason in problems:
            if len(self.errors) >= MAX_ERRORS:
                self.errors_not_listed += 1
                continue
            self.errors.append(_row_error(number, name, value, reason))

    def _warn(self, number: int, name: str, value: Cell, reason: BadValue) -> None:
        if len(self.warnings) >= MAX_WARNINGS:
            self.warnings_not_listed += 1
            return
        self.warnings.append(_row_error(number, name, value, reason))

    def all_without_customer(self) -> bool:
        """Every data row lacked a customer: the file names none (a fund-flow bill, empty customer columns)."""
        return self.data_rows > 0 and self.no_customer == self.data_rows


_ID_EDGES = frozenset(" \t\r\n\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff`'")
_CACHEABLE = (str, float, int)  # not bool: True == 1 would share an entry


def _row_error(number: int, name: str, value: Cell, reason: BadValue) -> RowError:
    return RowError(
        number,
        FIELD_LABELS.get(name, name),
        display(clean(value)).strip(),
        str(reason),
        code=reason.code,
        field_name=name,
        params={key: str(item) for key, item in reason.params.items()},
    )


def _clean_text(value: Cell) -> str | None:
    """`clean_text`, with its common case (a str) written out."""
    if value.__class__ is str:
        if not value:
            return None
        text = value.strip(TEXT_EDGES)
        if text[:1] in _QUOTES:
            text = text[1:].strip(TEXT_EDGES)
        return text or None
    return clean_text(value)


_QUOTES = ("`", "'")


def _word_text(value: Cell) -> str:
    return str(clean(value)) if isinstance(value, str) else display(value)


def _optional_id(value: Cell) -> str | None:
    if is_blank(value):
        return None
    try:
        text = parse_txn_id(value)
    except BadValue:
        return None
    return None if is_nothing(text) else text


_EMPTY_WORDS = frozenset(["", "-", "--", "`", "'"])


def _read_phone(value: Cell) -> tuple[str | None, bool, BadValue | None]:
    """(phone, callable, why there is none) of a phone cell: E.164 when valid, else kept as written."""
    if is_blank(value):
        return None, True, None
    if is_masked_phone(value):
        return None, True, BadValue("masked_phone")
    try:
        return parse_phone(value), True, None
    except BadValue:
        pass
    text = phone_text(value)
    if is_nothing(text) or is_masked(text):
        return None, True, None
    return text, False, None


def _empty_word(value: Cell) -> bool:
    if value.__class__ is not str:
        return value is None
    return clean(value) in _EMPTY_WORDS


def _plain(value: Cell) -> str | None:
    """A name-like identifier, None when empty, a placeholder (`/`) or masked."""
    text = clean_text(value)
    if text is None or is_nothing(text) or is_masked(text):
        return None
    return text


def _email(value: Cell) -> str | None:
    text = _plain(value)
    if text is None or "@" not in text:
        return None
    return text.lower()


def _source_zone(fmt: ImportFormat, layout: Layout) -> dt.tzinfo | None:
    """The zone the file's times are written in when it is the same for every row."""
    if fmt.timezone:
        return zone_for(fmt.timezone)
    header = layout.header[layout.columns["occurred_at"]] if "occurred_at" in layout.columns else ""
    if re.search(r"\butc\b|\(utc\)|（utc）|gmt", header, re.IGNORECASE):
        return dt.UTC
    return None
