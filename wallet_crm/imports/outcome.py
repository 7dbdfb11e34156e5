"""The plain values an import hands back to the CLI and the GUI."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

from wallet_crm.imports.reasons import reason_text


@dataclass(frozen=True)
class RowError:
    """Why one cell made its row unusable, or (as a warning) what the import noticed about it.
    `row` is the row number Excel shows; `code` and `params` name the reason in any language."""

    row: int
    field: str  # the field's label in English, as the CLI prints it
    value: str
    reason: str  # the English sentence
    code: str = ""
    field_name: str = ""  # the field's name (txn_id, amount...), for the wizard's own labels
    params: Mapping[str, str] = dataclasses.field(default_factory=dict)  # `field` is taken above

    def text(self, language: str) -> str:
        return reason_text(self.code, self.params, language) if self.code else self.reason

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "field": self.field, "value": self.value, "reason": self.reason, "code": self.code}


@dataclass(frozen=True)
class ColumnInfo:
    """One column of the header row as the wizard shows it: its text and the field it feeds, if any."""

    index: int
    header: str
    field: str | None


@dataclass(frozen=True)
class FormatInfo:
    """Which format a file was recognised as (a platform's bill, the user's profile, or any table)."""

    id: str
    names: Mapping[str, str]
    is_profile: bool

    def title(self, language: str) -> str:
        return self.names.get(language) or self.names.get("en") or self.id


@dataclass(frozen=True)
class Preview:
    """What a file looks like before importing: enough for the wizard's first page."""

    file: str
    kind: str  # "xlsx", "xls" or "csv"
    sheet_names: tuple[str, ...]
    sheet: str
    header_row: int  # as Excel numbers it
    columns: tuple[ColumnInfo, ...]
    rows: tuple[tuple[str, ...], ...]  # the first data rows, as text
    mapping: dict[str, int]  # field -> column index
    missing: tuple[str, ...]  # fields without a column that an import needs (field names); empty when importable
    from_profile: bool  # the layout came from a profile the user saved earlier
    encoding: str | None
    delimiter: str | None
    format: FormatInfo | None = None
    names_customer: bool = True  # some column can say who the customer is


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, in a dry run, would do). Counts are rows; `errors` may hold several per row."""

    file: str
    inserted: int
    duplicates: int
    rejected: int
    skipped: int
    customers_created: int
    customers_updated: int
    batch_id: int | None
    errors: tuple[RowError, ...]
    dry_run: bool
    rows_read: int
    sheet: str
    header_row: int
    mapping: dict[str, int] = field(default_factory=dict)
    errors_not_listed: int = 0  # past MAX_ERRORS only the count is kept
    format: FormatInfo | None = None
    profile: str | None = None  # the profile used or saved, by name
    warnings: tuple[RowError, ...] = ()
    warnings_not_listed: int = 0
    unknown_words: Mapping[str, Mapping[str, int]] = field(default_factory=dict)  # field -> word -> rows
    unknown_examples: Mapping[str, Mapping[str, tuple[int, ...]]] = field(default_factory=dict)  # example rows
    held: int = 0  # rows not imported because of an unknown status or direction word

    @property
    def format_id(self) -> str | None:
        return self.format.id if self.format else None

    def as_dict(self) -> dict[str, object]:
        """The CLI's JSON shape."""
        return {
            "file": self.file,
            "format": self.format_id,
            "profile": self.profile,
            "inserted": self.inserted,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "skipped": self.skipped,
            "held": self.held,
            "customers_created": self.customers_created,
            "customers_updated": self.customers_updated,
            "batch_id": self.batch_id,
            "errors": [error.as_dict() for error in self.errors],
            "errors_not_listed": self.errors_not_listed,  # past the list's cap only the count is kept
            "warnings": [warning.as_dict() for warning in self.warnings],
            "warnings_not_listed": self.warnings_not_listed,
            "unknown_words": {name: dict(words) for name, words in self.unknown_words.items()},
            "dry_run": self.dry_run,
        }
