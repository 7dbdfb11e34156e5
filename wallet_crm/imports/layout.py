"""A format laid over one file's header row: which column feeds which field, for every row and per rule.

Columns are resolved field by field in `FIELD_NAMES` order: each field takes the first of its header
texts that names a column no earlier field took (so 日期 + 时间 become a date and a time of day,
while a lone 时间 is the whole time). A user's corrections (`overrides`, field -> column) win.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from wallet_crm.errors import KnownError
from wallet_crm.imports.format import (
    FIELD_NAMES,
    IDENTITY_FIELDS,
    ImportFormat,
    Rule,
    clean_word,
    column_index,
    normalise_header,
)
from wallet_crm.imports.values import Cell
from wallet_crm.messages import Localized, listed

REQUIRED_FIELDS = ("txn_id", "occurred_at")
AMOUNT_FIELDS = ("amount", "amount_in", "amount_out")
WORD_CODE_FIELDS = ("status",)  # a status column is needed unless the format says what every row is


@dataclass(frozen=True)
class Layout:
    format: ImportFormat
    header_index: int  # 0-based row index; Excel's row number is header_index + 1
    header: tuple[str, ...]
    columns: Mapping[str, int]  # field -> 0-based column
    rules: tuple[tuple[Rule, Mapping[str, int]], ...] = ()  # each rule with the columns it gives a row
    fixed_codes: Mapping[str, str] = field(default_factory=dict)

    @property
    def rule_columns(self) -> tuple[Mapping[str, int], ...]:
        return tuple(columns for _, columns in self.rules)

    def variant(self, row: Sequence[Cell]) -> tuple[Mapping[str, int], Mapping[str, str]]:
        """The columns and fixed codes for `row`: those of the first rule whose words it has, else the base."""
        for rule, columns in self.rules:
            if all(_has_word(row, self.columns.get(name, -1), words) for name, words in rule.when.items()):
                return columns, rule.set
        return self.columns, self.fixed_codes

    def missing(self) -> list[str]:
        """Fields an import can't do without, as field names; empty when the layout is usable."""
        return missing_fields(self.columns, self.format)

    def names_customer(self) -> bool:
        return any(name in self.columns for name in IDENTITY_FIELDS)


# Words a header may put before what the column holds, naming whose it is: `客户手机` is the customer's 手机.
SUBJECT_PREFIXES: Final = ("客户", "用户", "会员", "买家", "顾客", "customer", "client", "member", "buyer", "user")


def missing_fields(fields: Collection[str], fmt: ImportFormat) -> list[str]:
    """The fields `fmt` can't do without that `fields` (those some column feeds) lack: an id unless the
    format derives one, the time, an amount (one of `AMOUNT_FIELDS`) and a status unless the format fixes it.
    The wizard asks this of a mapping the user is still editing."""
    missing = [name for name in REQUIRED_FIELDS if name not in fields]
    if fmt.derive_ids and "txn_id" in missing:
        missing.remove("txn_id")
    if not any(name in fields for name in AMOUNT_FIELDS):
        missing.append("amount")
    if "status" not in fields and "status" not in fmt.defaults:
        missing.append("status")
    return missing


def _has_word(row: Sequence[Cell], column: int, words: frozenset[str]) -> bool:
    if column < 0 or column >= len(row):
        return False
    word = clean_word(row[column])
    return word in words or any(w.endswith("*") and word.startswith(w[:-1]) for w in words)


def resolve_columns(
    texts: Mapping[str, Sequence[str]], header: Sequence[str], taken: set[int] | None = None
) -> dict[str, int]:
    """Field -> column for the fields whose header texts (or `#n`) the header row has."""
    normalised = [normalise_header(cell) for cell in header]
    positions: dict[str, list[int]] = {}
    for index, text in enumerate(normalised):
        if text:
            positions.setdefault(text, []).append(index)
    used = set(taken or ())
    result: dict[str, int] = {}
    for lookup in (positions, _without_subject(normalised)):  # exact headers first, then `客户手机` as `手机`
        for name in FIELD_NAMES:
            if name in result:
                continue
            for text in texts.get(name, ()):
                numbered = column_index(text)
                if numbered is not None:
                    candidates = [numbered] if numbered < len(header) and lookup is positions else []
                else:
                    candidates = lookup.get(normalise_header(text), [])
                free = [column for column in candidates if column not in used]
                if free:
                    result[name] = free[0]
                    used.add(free[0])
                    break
    return result


def _without_subject(normalised: Sequence[str]) -> dict[str, list[int]]:
    """Header text -> columns, for headers that name whose value it is before what it is (`客户手机`,
    `会员邮箱`, `Customer Phone`): the text without that word. Only a header no field took as written."""
    positions: dict[str, list[int]] = {}
    for index, text in enumerate(normalised):
        for prefix in SUBJECT_PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                positions.setdefault(text[len(prefix) :], []).append(index)
                break
    return positions


def make_layout(
    fmt: ImportFormat, header_index: int, header: Sequence[str], mapping: Mapping[str, int] | None = None
) -> Layout:
    """`fmt` over this header row; `mapping` (the user's, complete: field -> column) replaces its columns."""
    base = dict(mapping) if mapping is not None else resolve_columns(fmt.columns, header)
    rules = []
    for rule in fmt.rules:
        extra = resolve_columns(rule.columns, header)
        rules.append((rule, {**base, **extra}))
    return Layout(fmt, header_index, tuple(header), base, tuple(rules))


def check_overrides(mapping: Mapping[str, int], width: int, where: Localized) -> dict[str, int]:
    """A user-given mapping, checked: known fields, columns that exist, no column used twice. `where` names
    the file, sheet and header row in each language."""
    unknown = sorted(set(mapping) - set(FIELD_NAMES))
    if unknown:
        raise KnownError(code="mapping.unknown_fields", where=where, fields=listed(unknown))
    outside = [f"{name}={column + 1}" for name, column in mapping.items() if not 0 <= column < width]
    if outside:
        raise KnownError(code="mapping.outside", where=where, columns=listed(outside))
    columns = list(mapping.values())
    if len(set(columns)) != len(columns):
        raise KnownError(code="mapping.column_twice", where=where)
    return dict(mapping)


def apply_overrides(layout: Layout, overrides: Mapping[str, str], where: Localized) -> Layout:
    """`layout` with some fields fed from other columns (the CLI's `--map FIELD=COLUMN`).

    A column is named by its header text or its number (1 = the first); a column given to a field
    here leaves the field that had it.
    """
    chosen: dict[str, int] = {}
    for name, column in overrides.items():
        if name not in FIELD_NAMES:
            raise KnownError(code="mapping.unknown_field", where=where, name=name, fields=listed(FIELD_NAMES))
        chosen[name] = _column_named(column, layout.header, where)
    taken = set(chosen.values())
    kept = {name: index for name, index in layout.columns.items() if index not in taken and name not in chosen}
    mapping = check_overrides({**kept, **chosen}, len(layout.header), where)
    return make_layout(layout.format, layout.header_index, layout.header, mapping)


def _column_named(column: str, header: Sequence[str], where: Localized) -> int:
    text = column.strip()
    if text.isdigit():
        return int(text) - 1
    wanted = normalise_header(text)
    matches = [index for index, cell in enumerate(header) if normalise_header(cell) == wanted]
    if not matches:
        shown = listed(cell for cell in header if cell)
        raise KnownError(code="mapping.no_column", where=where, column=column, shown=shown)
    return matches[0]
