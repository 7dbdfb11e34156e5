"""The import as the CLI and the GUI call it: preview a file, then import it as one atomic batch.

`preview_file` and `import_file` take plain values and return plain dataclasses. The whole file is
read and checked before the write lock is taken; the look-ups that decide what is new and the writes
then happen in one transaction, so a batch is all in or not at all, also when the process is killed
or `cancel` is set. Progress is `(done, total)`: the first half is reading, the second writing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from peewee import Database, OperationalError

from wallet_crm.db.bulk import bulk_cache, db_time, insert_returning_id
from wallet_crm.errors import DatabaseError, OperationCancelled, UnreadableFileError
from wallet_crm.imports import store
from wallet_crm.imports.header import HeaderGuess, find_header, first_filled_row, guess_at
from wallet_crm.imports.mapping import FIELDS_BY_NAME, ColumnMapping, check_mapping, missing_fields
from wallet_crm.imports.outcome import ColumnInfo, ImportResult, Preview
from wallet_crm.imports.profiles import find_profile, profile_keys, save_profile
from wallet_crm.imports.readers import Source, open_source
from wallet_crm.imports.safety import FileInfo, inspect_file
from wallet_crm.imports.validate import Checked, check_rows
from wallet_crm.imports.values import display
from wallet_crm.users import current_user

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
PREVIEW_ROWS = 20


@dataclass(frozen=True)
class ImportOptions:
    sheet: str | None = None  # None: the sheet that holds transactions
    mapping: Mapping[str, int] | None = None  # field -> column index, as the user corrected it
    dry_run: bool = False
    imported_by: str | None = None  # default: the OS user name
    as_of: dt.datetime | None = None  # the batch's time (default: now)
    header_row: int | None = None  # the header's row number as Excel shows it, when the user picked it


@dataclass
class _Located:
    info: FileInfo
    source: Source
    sheet: str
    header: HeaderGuess
    mapping: ColumnMapping
    from_profile: bool


def preview_file(
    db: Database | None,
    path: Path,
    sheet: str | None = None,
    mapping: Mapping[str, int] | None = None,
    rows: int = PREVIEW_ROWS,
    header_row: int | None = None,
) -> Preview:
    """Sheets, header row, first rows and the column mapping (given, saved in a profile, or detected).

    A file whose header we can't recognise still previews (its first non-empty row as the header, no
    mapping), so the user can pick the header row and map the columns.
    """
    located = _locate(db, path, sheet, mapping, require_complete=False, header_row=header_row)
    try:
        width = len(located.header.cells)
        data = itertools.islice(located.source.rows(located.sheet), located.header.index + 1, None)
        sample = [tuple(display(cell).strip() for cell in row[:width]) for row in itertools.islice(data, rows)]
    finally:
        located.source.close()
    by_column = {column: name for name, column in located.mapping.items()}
    return Preview(
        file=str(path),
        kind=located.info.kind,
        sheet_names=tuple(located.source.sheet_names),
        sheet=located.sheet,
        header_row=located.header.index + 1,
        columns=tuple(ColumnInfo(index, text, by_column.get(index)) for index, text in enumerate(located.header.cells)),
        rows=tuple(sample),
        mapping=dict(located.mapping),
        missing=tuple(missing_fields(located.mapping)),
        from_profile=located.from_profile,
        encoding=located.source.encoding,
        delimiter=located.source.delimiter,
    )


def import_file(
    db: Database,
    path: Path,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ImportResult:
    """Import one file as one batch (or, with `dry_run`, say what that would do and write nothing)."""
    options = options or ImportOptions()
    now = (options.as_of or dt.datetime.now()).replace(microsecond=0)
    located = _locate(db, path, options.sheet, options.mapping, require_complete=True, header_row=options.header_row)
    try:
        total = max(located.source.row_count(located.sheet) - located.header.index - 1, 0)
        overall = 2 * total or 1
        rows = itertools.islice(located.source.rows(located.sheet), located.header.index + 1, None)
        checked = check_rows(
            rows,
            first_row=located.header.index + 2,
            mapping=located.mapping,
            header=located.header.cells,
            total=total,
            progress=(lambda done, _: progress(done, overall)) if progress else None,
            cancel=cancel,
        )
    finally:
        located.source.close()  # the parsed sheet can be large: let it go before writing
    if cancel is not None and cancel.is_set():
        raise OperationCancelled(f"Import of {path.name} cancelled; nothing was written.")
    batch_id: int | None = None
    try:
        if options.dry_run:
            the_plan = store.plan(db, checked.records)
        else:
            with bulk_cache(db), db.atomic():
                the_plan = store.plan(db, checked.records)
                batch_id = _insert_batch(db, located, now, options.imported_by)
                new_count = max(len(the_plan.new), 1)
                store.write(
                    db,
                    the_plan,
                    batch_id,
                    db_time(now),
                    progress=(lambda done: progress(total + done * total // new_count, overall)) if progress else None,
                    cancel=cancel,
                )
                counts = _counts(checked.rows_read, the_plan, checked)
                assignments = ", ".join(f"{name} = {db.param}" for name in counts)
                db.execute_sql(
                    f"UPDATE import_batches SET {assignments} WHERE id = {db.param}", (*counts.values(), batch_id)
                )
                if options.mapping is not None and dict(options.mapping) != located.header.mapping:
                    save_profile(db, located.header.cells, located.mapping, now)
    except OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseError("The database is busy (another wallet-crm is writing); try again.") from exc
        raise
    if progress is not None:
        progress(overall, overall)
    counts = _counts(checked.rows_read, the_plan, checked)
    log.info(
        "%s %s: %d rows, %d inserted, %d duplicates, %d rejected, %d skipped (batch %s)",
        "checked" if options.dry_run else "imported",
        path.name,
        counts["rows_read"],
        counts["inserted"],
        counts["duplicates"],
        counts["rejected"],
        counts["skipped"],
        batch_id,
    )
    return ImportResult(
        file=str(path),
        inserted=counts["inserted"],
        duplicates=counts["duplicates"],
        rejected=counts["rejected"],
        skipped=counts["skipped"],
        customers_created=counts["customers_created"],
        customers_updated=counts["customers_updated"],
        batch_id=batch_id,
        errors=tuple(checked.errors),
        dry_run=options.dry_run,
        rows_read=counts["rows_read"],
        sheet=located.sheet,
        header_row=located.header.index + 1,
        mapping=dict(located.mapping),
        errors_not_listed=checked.errors_not_listed,
    )


def save_mapping(
    db: Database, path: Path, mapping: Mapping[str, int], sheet: str | None = None, header_row: int | None = None
) -> None:
    """Remember a corrected mapping for files with this file's header row (the wizard's "save" button)."""
    located = _locate(db, path, sheet, mapping, require_complete=True, header_row=header_row)
    located.source.close()
    save_profile(db, located.header.cells, located.mapping, dt.datetime.now())


def _counts(rows_read: int, the_plan: store.Plan, checked: Checked) -> dict[str, int]:
    return {
        "rows_read": rows_read,
        "inserted": len(the_plan.new),
        "duplicates": checked.duplicates + the_plan.duplicates,
        "rejected": checked.rejected,
        "skipped": checked.skipped,
        "customers_created": len(the_plan.create),
        "customers_updated": len(the_plan.update),
    }


def _insert_batch(db: Database, located: _Located, now: dt.datetime, imported_by: str | None) -> int:
    columns = ("file_name", "sha256", "source", "imported_at", "imported_by", "sheet_name")
    sheet = located.sheet if located.info.kind != "csv" else None
    values = (located.info.path.name, located.info.sha256, "import", db_time(now), imported_by or current_user(), sheet)
    return insert_returning_id(db, "import_batches", columns, values)


def _locate(
    db: Database | None,
    path: Path,
    sheet: str | None,
    mapping: Mapping[str, int] | None,
    require_complete: bool,
    header_row: int | None = None,
) -> _Located:
    """Open the file, pick the sheet and header row, and settle the mapping (given, saved or detected)."""
    info = inspect_file(path)
    source = open_source(info)
    try:
        known = profile_keys(db) if db is not None and header_row is None else set()
        chosen, guess = _choose_sheet(
            source, path, sheet, header_row, known, fallback=not require_complete or mapping is not None
        )
        where = f"{path.name}" + (f", sheet {chosen!r}" if info.kind != "csv" else "") + f", row {guess.index + 1}"
        saved = find_profile(db, guess.cells) if db is not None and mapping is None else None
        if mapping is not None:
            final = check_mapping(mapping, len(guess.cells), where)
        else:
            final = saved if saved is not None else dict(guess.mapping)
            missing = missing_fields(final)
            if missing and require_complete:
                raise UnreadableFileError(
                    f"{where}: no column for {', '.join(missing)}; map the columns in the import wizard."
                )
        return _Located(info, source, chosen, guess, final, saved is not None)
    except BaseException:
        source.close()
        raise


def _choose_sheet(
    source: Source, path: Path, sheet: str | None, header_row: int | None, known: set[str], fallback: bool
) -> tuple[str, HeaderGuess]:
    """The named sheet, else the one whose header a profile knows or that names the most fields."""
    if sheet is not None and sheet not in source.sheet_names:
        names = ", ".join(repr(name) for name in source.sheet_names)
        raise UnreadableFileError(f"{path.name} has no sheet named {sheet!r} (it has {names}).")
    candidates = [sheet] if sheet is not None else source.sheet_names
    if header_row is not None:
        line = next(itertools.islice(source.rows(candidates[0]), header_row - 1, None), None)
        if header_row < 1 or line is None:
            raise UnreadableFileError(f"{path.name} has no row {header_row}.")
        return candidates[0], guess_at(header_row - 1, line)
    best: tuple[str, HeaderGuess] | None = None
    for name in candidates:
        guess = find_header(source.rows(name), known=known)
        if guess is not None and (best is None or guess.rank > best[1].rank):
            best = (name, guess)
    if best is None and fallback:
        first = first_filled_row(source.rows(candidates[0]))
        best = (candidates[0], first) if first is not None else None
    if best is None:
        where = f"sheet {sheet!r} of {path.name}" if sheet else path.name
        examples = "、".join(FIELDS_BY_NAME[name].synonyms[0] for name in ("txn_id", "occurred_at", "amount"))
        raise UnreadableFileError(
            f"No header row found in {where}: expected columns such as {examples} in the first rows."
        )
    return best
