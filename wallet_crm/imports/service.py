"""The import as the CLI and the GUI call it: preview a file, then import it as one atomic batch.

`preview_file` and `import_file` take plain values and return plain dataclasses. The file streams
through in chunks (read, check, write) inside one transaction, so memory stays flat on a million
rows and a batch is still all in or not at all, also when the process is killed or `cancel` is set.
A big file is read and checked in a child process while this one writes (`pipeline`), the same rows
in the same chunks, so the result is the same either way.
A file with a status or direction word nobody mapped writes nothing: the words are listed, with
counts and example rows, for the user to map once. A file that brings nothing new records no batch.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from peewee import Database, OperationalError

from wallet_crm.collector import collector_paused
from wallet_crm.db.bulk import bulk_cache, foreign_keys_trusted, insert_returning_id
from wallet_crm.db.checkpoint import checkpoint_after
from wallet_crm.db.dialect import refresh_statistics
from wallet_crm.db.errors import classify_database_error
from wallet_crm.errors import KnownError, OperationCancelled, UnreadableFileError
from wallet_crm.followup.build import BuildResult, rebuild_if_stale
from wallet_crm.followup.stale import mark_queue_stale
from wallet_crm.imports.format import ImportFormat
from wallet_crm.imports.formats import builtin_formats, generic_format
from wallet_crm.imports.layout import Layout, apply_overrides, check_overrides, make_layout
from wallet_crm.imports.outcome import ColumnInfo, FormatInfo, ImportResult, Preview, RowError
from wallet_crm.imports.pipeline import CheckJob, ChildFeed, Summary, open_feed, start_early
from wallet_crm.imports.profiles import find_profile, header_key, list_profiles, save_profile
from wallet_crm.imports.readers import Source, open_source
from wallet_crm.imports.recognise import header_cells, layout_at, recognise
from wallet_crm.imports.safety import FileInfo, inspect_file
from wallet_crm.imports.settings import load_import_settings
from wallet_crm.imports.store import BatchWriter
from wallet_crm.imports.validate import CheckSettings, field_title
from wallet_crm.imports.values import BadValue, clean, date_order_hint, display
from wallet_crm.imports.zones import operator_zone
from wallet_crm.messages import listed
from wallet_crm.stored_time import db_time
from wallet_crm.users import current_user

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
PREVIEW_ROWS = 20
CHUNK_ROWS = 5_000  # rows read, checked and written at a time (also between progress reports and cancel checks)
ORDER_SAMPLE = 200  # data rows looked at before scanning the whole date column for its order


class NoCustomerError(UnreadableFileError):
    """The file names no customer at all: nobody to follow up."""


class UnknownWordsError(KnownError):
    """Status or direction words nobody mapped: nothing was written; the user maps each once."""

    def __init__(
        self,
        file: str,
        words: Mapping[str, Mapping[str, int]],
        examples: Mapping[str, Mapping[str, list[int]]],
    ) -> None:
        super().__init__(code="import.unknown_words", file=file, words=_listed_words(words, examples),
                         hint=_word_hint(words))  # fmt: skip
        self.words = words
        self.examples = examples


@dataclass(frozen=True)
class ImportOptions:
    sheet: str | None = None  # None: the sheet that holds transactions
    mapping: Mapping[str, int] | None = None  # field -> column index, as the user corrected it
    columns: Mapping[str, str] | None = None  # field -> header text or column number: fields moved (`--map`)
    dry_run: bool = False
    imported_by: str | None = None  # default: the OS user name
    as_of: dt.datetime | None = None  # the batch's time (default: now)
    header_row: int | None = None  # the header's row number as Excel shows it, when the user picked it
    profile: str | None = None  # read the file with this saved profile or built-in format (by name)
    words: Mapping[str, Mapping[str, str]] | None = None  # field -> {word as written: code}, the user's mapping
    date_order: str | None = None  # "dmy" or "mdy" for dates like 03/04/2026
    save_as: str | None = None  # keep the corrections as a profile of this name (default: a name of its own)

    @property
    def corrected(self) -> bool:
        return bool(self.mapping) or bool(self.columns) or bool(self.words) or self.date_order is not None


@dataclass
class _Located:
    info: FileInfo
    source: Source
    sheet: str
    layout: Layout
    from_profile: bool
    closed: bool = False

    def close(self) -> None:
        """Close the file, once: a reader may refuse a second close, and the import may close it early."""
        if not self.closed:
            self.closed = True
            self.source.close()


def preview_file(
    db: Database | None,
    path: Path,
    sheet: str | None = None,
    mapping: Mapping[str, int] | None = None,
    rows: int = PREVIEW_ROWS,
    header_row: int | None = None,
    profile: str | None = None,
) -> Preview:
    """Sheets, header row, first rows, the recognised format and its column mapping.

    A file whose header we can't recognise still previews (its first non-empty row as the header, no
    mapping), so the user can pick the header row and map the columns.
    """
    options = ImportOptions(sheet=sheet, mapping=mapping, header_row=header_row, profile=profile)
    located = _locate(db, path, options, require_complete=False)
    try:
        layout = located.layout
        width = len(layout.header)
        data = itertools.islice(located.source.rows(located.sheet), layout.header_index + 1, None)
        sample = [tuple(display(clean(cell)).strip() for cell in row[:width]) for row in itertools.islice(data, rows)]
    finally:
        located.close()
    by_column = {column: name for name, column in layout.columns.items()}
    return Preview(
        file=str(path),
        kind=located.info.kind,
        sheet_names=tuple(located.source.sheet_names),
        sheet=located.sheet,
        header_row=layout.header_index + 1,
        columns=tuple(ColumnInfo(index, text, by_column.get(index)) for index, text in enumerate(layout.header)),
        rows=tuple(sample),
        mapping=dict(layout.columns),
        missing=tuple(layout.missing()),
        from_profile=located.from_profile,
        encoding=located.source.encoding,
        delimiter=located.source.delimiter,
        format=_format_info(layout.format, located.from_profile),
        names_customer=layout.names_customer(),
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
    with contextlib.ExitStack() as stack:
        early = start_early(path)  # a big file's reader process starts while the header is found
        if early is not None:
            stack.callback(early.close)
        located = _locate(db, path, options, require_complete=True)
        stack.callback(located.close)
        try:
            with collector_paused():  # the rows, keys and customers make no cycles
                result = _run(db, path, located, options, now, progress, cancel, early)
            if not options.dry_run:
                refresh_statistics(db, ("transactions", "customers"), result.inserted + result.customers_created)
            return result
        except OperationalError as exc:
            known = classify_database_error(exc, str(db.database))
            if known is not None:
                raise known from exc
            raise


def import_and_rebuild(
    db: Database,
    path: Path,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> tuple[ImportResult, BuildResult | None]:
    """Import one file, then rebuild the queue if it (or an earlier import whose process died) left it stale.

    The rebuild is not cancellable: the batch is already in when it starts. Several files in a row:
    `import_file` each, then one `rebuild_if_stale`."""
    result = import_file(db, path, options, progress, cancel)
    return result, rebuild_if_stale(db, dt.datetime.now())


def _run(
    db: Database,
    path: Path,
    located: _Located,
    options: ImportOptions,
    now: dt.datetime,
    progress: Progress | None,
    cancel: threading.Event | None,
    early: ChildFeed | None,
) -> ImportResult:
    layout = located.layout
    job = _check_job(db, located, options)
    total = max(located.source.row_count(located.sheet) - layout.header_index - 1, 0)
    writer = BatchWriter(db, options.dry_run, db_time(now), lambda: _insert_batch(db, located, now, options))
    counts = {"rows_read": 0, "rejected": 0, "skipped": 0, "duplicates": 0, "held": 0}
    transaction = contextlib.nullcontext() if options.dry_run else _write_transaction(db)
    profile_name: str | None = layout.format.id if located.from_profile else None

    def stop_if_cancelled() -> None:
        if cancel is not None and cancel.is_set():
            raise OperationCancelled(code="cancelled.import", file=path.name)

    # The feed closes (its child ended) before the transaction rolls back on cancel or an error.
    with transaction, contextlib.closing(open_feed(job, located.source, total, early)) as feed:
        if not feed.reads_here:
            located.close()  # what this process loaded of the file (shared strings, a parsed sheet) can go
        for checked, unknown_met in feed.chunks(stop_if_cancelled):
            for key in counts:
                counts[key] += getattr(checked, key)
            if options.dry_run or not unknown_met:
                writer.write(checked.records)  # after an unknown word a real import only checks the rest
            if progress is not None:
                progress(min(counts["rows_read"], total), total)
        summary = feed.summary()
        if summary.without_customer:
            raise _no_customer(path, layout)
        if summary.unknown and not options.dry_run:
            raise UnknownWordsError(path.name, summary.unknown, summary.examples)
        writer.finish()
        if writer.batch_id is not None:
            _record_counts(db, writer, counts, summary)
            mark_queue_stale(db, f"import batch {writer.batch_id}")  # with the batch: a kill can't lose it
        if options.corrected and not options.dry_run:
            profile_name = _save_corrections(db, located, options, now)
    if progress is not None:
        progress(total, total)
    result = ImportResult(
        file=str(path),
        inserted=writer.counts.inserted,
        duplicates=counts["duplicates"] + writer.counts.duplicates,
        rejected=counts["rejected"],
        skipped=counts["skipped"],
        customers_created=writer.counts.customers_created,
        customers_updated=len(writer.counts.customers_updated),
        batch_id=writer.batch_id,
        errors=tuple(summary.errors),
        dry_run=options.dry_run,
        rows_read=counts["rows_read"],
        sheet=located.sheet,
        header_row=layout.header_index + 1,
        mapping=dict(layout.columns),
        errors_not_listed=summary.errors_not_listed,
        format=_format_info(layout.format, located.from_profile),
        profile=profile_name,
        warnings=tuple(summary.warnings),
        warnings_not_listed=summary.warnings_not_listed,
        unknown_words={name: dict(words) for name, words in summary.unknown.items()},
        unknown_examples={
            name: {word: tuple(rows) for word, rows in words.items()} for name, words in summary.examples.items()
        },
        held=counts["held"],
    )
    log.info(
        "%s %s as %s: %d rows, %d inserted, %d duplicates, %d rejected, %d skipped, %d warnings (batch %s)",
        "checked" if options.dry_run else "imported",
        path.name,
        layout.format.id,
        result.rows_read,
        result.inserted,
        result.duplicates,
        result.rejected,
        result.skipped,
        len(result.warnings) + result.warnings_not_listed,
        result.batch_id,
    )
    return result


def _check_job(db: Database, located: _Located, options: ImportOptions) -> CheckJob:
    """How to read and check the file's rows, in values a child process can take."""
    settings = load_import_settings(db)
    order, order_warning = _date_order(located, options)
    return CheckJob(
        info=located.info,
        sheet=located.sheet,
        layout=located.layout,
        generic=generic_format(),
        settings=CheckSettings(operator_zone(settings.timezone), settings.max_plausible),
        user_words={name: dict(words) for name, words in options.words.items()} if options.words else None,
        date_order=order,
        order_warning=order_warning,
        chunk_rows=CHUNK_ROWS,
    )


@contextlib.contextmanager
def _write_transaction(db: Database) -> Iterator[None]:
    """One transaction with a big page cache and no per-row foreign-key look-ups (every id the batch writes
    comes from the transaction itself), whose commit leaves the WAL checkpoint to a background thread."""
    with bulk_cache(db), foreign_keys_trusted(db), checkpoint_after(db), db.atomic():
        yield


def _record_counts(db: Database, writer: BatchWriter, counts: Mapping[str, int], summary: Summary) -> None:
    values = {
        "rows_read": counts["rows_read"],
        "inserted": writer.counts.inserted,
        "duplicates": counts["duplicates"] + writer.counts.duplicates,
        "rejected": counts["rejected"],
        "skipped": counts["skipped"],
        "customers_created": writer.counts.customers_created,
        "customers_updated": len(writer.counts.customers_updated),
        "warnings": len(summary.warnings) + summary.warnings_not_listed,
    }
    assignments = ", ".join(f"{name} = {db.param}" for name in values)
    db.execute_sql(
        f"UPDATE import_batches SET {assignments} WHERE id = {db.param}", (*values.values(), writer.batch_id)
    )


def _insert_batch(db: Database, located: _Located, now: dt.datetime, options: ImportOptions) -> int:
    columns = ("file_name", "sha256", "source", "imported_at", "imported_by", "sheet_name", "format_id")
    sheet = located.sheet if located.info.kind != "csv" else None
    values = (
        located.info.path.name,
        located.info.sha256,
        "import",
        db_time(now),
        options.imported_by or current_user(),
        sheet,
        located.layout.format.id,
    )
    return insert_returning_id(db, "import_batches", columns, values)


# --- the layout of a file -------------------------------------------------------------------------


def _locate(db: Database | None, path: Path, options: ImportOptions, require_complete: bool) -> _Located:
    """Open the file, pick the sheet, the header row and the format, and apply the user's corrections."""
    info = inspect_file(path)
    source = open_source(info)
    try:
        profiles = list_profiles(db) if db is not None else []
        forced = _forced_format(db, options.profile, profiles) if options.profile else None
        formats = [forced] if forced is not None else [*profiles, *builtin_formats()]
        fallback = not require_complete or options.mapping is not None or bool(options.columns)
        sheet, layout = _choose_sheet(source, path, options, formats, fallback)
        row = layout.header_index + 1
        where = (
            {"en": f"{path.name}, sheet {sheet!r}, row {row}", "zh_CN": f"{path.name}，工作表“{sheet}”，第 {row} 行"}
            if info.kind != "csv"
            else {"en": f"{path.name}, row {row}", "zh_CN": f"{path.name}，第 {row} 行"}
        )
        if options.mapping is not None:
            overrides = check_overrides(options.mapping, len(layout.header), where)
            layout = make_layout(layout.format, layout.header_index, layout.header, overrides)
        if options.columns:
            layout = apply_overrides(layout, options.columns, where)
        if require_complete:
            _check_complete(path, where, layout)
        from_profile = layout.format.header != () or (forced is not None and not forced.builtin)
        return _Located(info, source, sheet, layout, from_profile)
    except BaseException:
        source.close()
        raise


def _forced_format(db: Database | None, name: str, profiles: list[ImportFormat]) -> ImportFormat:
    found = find_profile(db, name) if db is not None else None
    if found is None:
        found = next((fmt for fmt in builtin_formats() if fmt.id == name), None)
    if found is None:
        known = listed([*(p.id for p in profiles), *(f.id for f in builtin_formats())])
        raise KnownError(code="profile.unknown", name=name, known=known)
    return found


def _choose_sheet(
    source: Source, path: Path, options: ImportOptions, formats: list[ImportFormat], fallback: bool
) -> tuple[str, Layout]:
    """The named sheet, else the one whose header is recognised best (a profile, a platform, most fields)."""
    sheet = options.sheet
    if sheet is not None and sheet not in source.sheet_names:
        names = {
            "en": ", ".join(repr(name) for name in source.sheet_names),
            "zh_CN": "、".join(f"“{name}”" for name in source.sheet_names),
        }
        raise UnreadableFileError(code="file.no_sheet_listed", file=path.name, sheet=sheet, names=names)
    candidates = [sheet] if sheet is not None else source.sheet_names
    generic = formats[0] if len(formats) == 1 else generic_format()
    if options.header_row is not None:
        layout = layout_at(source.rows(candidates[0]), options.header_row - 1, formats, generic)
        if options.header_row < 1 or layout is None:
            raise UnreadableFileError(code="file.no_row", file=path.name, row=options.header_row)
        return candidates[0], layout
    best: tuple[tuple[int, int], str, Layout] | None = None
    for name in candidates:
        layout = recognise(source.rows(name), formats, generic)
        if layout is None:
            continue
        rank = (0 if layout.format.header else 1 if layout.format.match else 2, -len(layout.columns))
        if best is None or rank < best[0]:
            best = (rank, name, layout)
    if best is None and fallback:
        first = _first_filled(source, candidates[0], generic)
        if first is not None:
            return candidates[0], first
    if best is None:
        where = (
            {"en": f"sheet {sheet!r} of {path.name}", "zh_CN": f"{path.name} 的工作表“{sheet}”"} if sheet else path.name
        )
        raise UnreadableFileError(code="file.no_header", where=where)
    return best[1], best[2]


def _first_filled(source: Source, sheet: str, generic: ImportFormat) -> Layout | None:
    """For a preview of a file whose header we can't recognise: its first non-empty row, for the user to map."""
    for index, row in enumerate(itertools.islice(source.rows(sheet), 30)):
        cells = header_cells(row)
        if any(cells):
            return make_layout(generic, index, cells)
    return None


def _check_complete(path: Path, where: Mapping[str, str], layout: Layout) -> None:
    if not layout.names_customer():
        raise _no_customer(path, layout)
    missing = layout.missing()
    if missing:
        titles = [field_title(name) for name in missing]
        fields = {"en": ", ".join(title["en"] for title in titles), "zh_CN": "、".join(t["zh_CN"] for t in titles)}
        raise UnreadableFileError(code="file.no_column_for", where=where, fields=fields)


def _no_customer(path: Path, layout: Layout) -> NoCustomerError:
    fmt = layout.format
    if fmt.id == "generic":
        return NoCustomerError(code="file.no_customer", file=path.name)
    title = {"en": fmt.title("en"), "zh_CN": fmt.title("zh_CN")}
    return NoCustomerError(code="file.no_customer_recognised", file=path.name, format=title)


def _listed_words(
    unknown: Mapping[str, Mapping[str, int]], examples: Mapping[str, Mapping[str, list[int]]]
) -> dict[str, str]:
    """Each unmapped word with its count and first row, most frequent first, in both languages."""
    english, chinese = [], []
    for name, words in unknown.items():
        en_words, zh_words = [], []
        for word, count in sorted(words.items(), key=lambda item: -item[1]):
            rows = examples.get(name, {}).get(word)
            en_words.append(f"{word!r} ({count:,} rows{f', e.g. row {rows[0]}' if rows else ''})")
            zh_words.append(f"“{word}”（{count:,} 行{f'，例如第 {rows[0]} 行' if rows else ''}）")
        title = field_title(name)
        english.append(f"{title['en']} {', '.join(en_words)}")
        chinese.append(f"{title['zh_CN']}{'、'.join(zh_words)}")
    return {"en": "; ".join(english), "zh_CN": "；".join(chinese)}


def _word_hint(unknown: Mapping[str, Mapping[str, int]]) -> str:
    field, words = next(iter(unknown.items()))
    return f"--word {field}:{next(iter(words))}=CODE"


def _date_order(located: _Located, options: ImportOptions) -> tuple[str | None, RowError | None]:
    """The order of dates like 03/04/2026: given, the format's, or the first date in the column that decides
    it (a part over 12). When none does, month-first, with a warning at the first such date."""
    if options.date_order or located.layout.format.date_order:
        return options.date_order or located.layout.format.date_order, None
    column = located.layout.columns.get("occurred_at")
    if column is None:
        return None, None
    rows = itertools.islice(located.source.rows(located.sheet), located.layout.header_index + 1, None)
    first_ambiguous: tuple[int, str] | None = None
    for offset, row in enumerate(rows):
        if offset >= ORDER_SAMPLE and first_ambiguous is None:
            return None, None  # no undecided date early on: the checker learns the order as it goes
        hint = date_order_hint(row[column]) if column < len(row) else None
        if hint in ("dmy", "mdy"):
            return hint, None
        if hint == "?" and first_ambiguous is None:
            first_ambiguous = (located.layout.header_index + 2 + offset, str(clean(row[column])))
    if first_ambiguous is None:
        return None, None
    row_number, example = first_ambiguous
    reason = BadValue("date_order_assumed", example=example, order="mdy")
    return "mdy", RowError(
        row_number, "time", example, str(reason), code=reason.code, field_name="occurred_at",
        params={"example": example, "order": "mdy"},
    )  # fmt: skip


# --- profiles -------------------------------------------------------------------------------------


def profile_from(layout: Layout, name: str, options: ImportOptions) -> ImportFormat:
    """The layout as the user corrected it, kept as a profile: columns by header text, the base format's
    words with the user's on top, and the rest of the base format."""
    header = layout.header
    columns = {}
    for field_name, column in layout.columns.items():
        text = header[column] if column < len(header) else ""
        unique = text and sum(1 for cell in header if cell == text) == 1
        columns[field_name] = (text,) if unique else (f"#{column + 1}",)
    words = {field_name: dict(found) for field_name, found in layout.format.words.items()}
    for field_name, found in (options.words or {}).items():
        words.setdefault(field_name, {}).update(found)
    return replace(
        layout.format,
        id=name,
        name={"zh_CN": name, "en": name},
        match=(),
        header=header,
        columns=columns,
        words=words,
        date_order=options.date_order or layout.format.date_order,
        builtin=False,
    )


def _save_corrections(db: Database, located: _Located, options: ImportOptions, now: dt.datetime) -> str:
    layout = located.layout
    name = options.save_as or (layout.format.id if located.from_profile else None)
    if name is None and options.profile and not any(f.id == options.profile for f in builtin_formats()):
        name = options.profile
    if name is None:
        name = f"{layout.format.id}-{header_key(layout.header)[:6]}"
    save_profile(db, profile_from(layout, name, options), now)
    return name


def save_mapping(db: Database, path: Path, options: ImportOptions) -> str:
    """Keep the wizard's corrections (columns, words, date order) as a profile without importing; its name."""
    located = _locate(db, path, options, require_complete=True)
    located.close()
    return _save_corrections(db, located, options, dt.datetime.now())


def _format_info(fmt: ImportFormat, is_profile: bool) -> FormatInfo:
    return FormatInfo(fmt.id, dict(fmt.name), is_profile)
