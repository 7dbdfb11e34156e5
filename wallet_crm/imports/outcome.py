"""The plain values an import hands back to the CLI and the GUI."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class RowError:
    """Why one cell made its row unusable. `row` is the row number Excel shows."""

    row: int
    field: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class ColumnInfo:
    """One column of the header row as the wizard shows it: its text and the field it feeds, if any."""

    index: int
    header: str
    field: str | None


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
    missing: tuple[str, ...]  # required fields without a column; empty when importable
    from_profile: bool  # the mapping came from a profile the user saved earlier
    encoding: str | None
    delimiter: str | None


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

    def as_dict(self) -> dict[str, object]:
        """The CLI's JSON shape."""
        return {
            "file": self.file,
            "inserted": self.inserted,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "skipped": self.skipped,
            "customers_created": self.customers_created,
            "customers_updated": self.customers_updated,
            "batch_id": self.batch_id,
            "errors": [error.as_dict() for error in self.errors],
            "errors_not_listed": self.errors_not_listed,  # past the list's cap only the count is kept
            "dry_run": self.dry_run,
        }
