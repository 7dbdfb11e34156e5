"""`wallet-crm import`, `imports`, `undo-import` and `profiles`: getting transaction exports in from the shell.

They call the same services as the Import page. A correction given here (`--map`, `--word`,
`--date-order`) is kept as a profile by a real import, so the next file of that shape needs none.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wallet_crm import messages
from wallet_crm.cli_session import Command, CommandSession
from wallet_crm.cli_table import cut, line, pad
from wallet_crm.errors import EXIT_USER_ERROR, KnownError

if TYPE_CHECKING:
    from wallet_crm.imports import ImportResult
    from wallet_crm.imports.outcome import RowError


def parse_map(text: str) -> tuple[str, str]:
    """`FIELD=COLUMN`: the column by its header text or number (1 = the first)."""
    field, sep, column = text.partition("=")
    if not sep or not field.strip() or not column.strip():
        raise argparse.ArgumentTypeError(f"not FIELD=COLUMN: {text!r} (e.g. phone=手机号 or phone=5)")
    return field.strip(), column.strip()


def parse_word(text: str) -> tuple[str, str, str]:
    """`FIELD:WORD=CODE`, e.g. `status:Completed=success`."""
    from wallet_crm.imports.format import CODES

    head, sep, code = text.rpartition("=")
    field, colon, word = head.partition(":")
    field, word, code = field.strip(), word.strip(), code.strip()
    if not sep or not colon or not word or field not in CODES:
        raise argparse.ArgumentTypeError(
            f"not FIELD:WORD=CODE: {text!r} (e.g. status:Completed=success; fields: {', '.join(CODES)})"
        )
    if code not in CODES[field]:
        raise argparse.ArgumentTypeError(f"{text!r}: {field} codes are {', '.join(CODES[field])}")
    return field, word, code


def add_import_commands(commands: argparse._SubParsersAction[Any]) -> None:
    imports = commands.add_parser("import", help="import transaction exports (.xlsx, .xls, .csv)")
    imports.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imports.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
    imports.add_argument("--sheet", help="the sheet to read (default: the one that holds transactions)")
    imports.add_argument("--header-row", type=int, metavar="N", help="the header is row N (as Excel numbers it)")
    imports.add_argument("--profile", metavar="NAME", help="read the files with this profile or built-in format")
    imports.add_argument(
        "--map", type=parse_map, action="append", default=[], metavar="FIELD=COLUMN",
        help="feed FIELD from COLUMN (header text or number); repeat for several",
    )  # fmt: skip
    imports.add_argument(
        "--word", type=parse_word, action="append", default=[], metavar="FIELD:WORD=CODE",
        help="what a status, type or direction word means, e.g. status:Completed=success; repeatable",
    )  # fmt: skip
    imports.add_argument("--date-order", choices=("dmy", "mdy"), help="for dates like 03/04/2026")
    imports.add_argument("--save-as", metavar="NAME", help="the name of the profile the corrections are kept as")
    imports.add_argument("--json", action="store_true", help="print one JSON object per file")

    history = commands.add_parser("imports", help="the import history")
    history.add_argument("--json", action="store_true")

    undo = commands.add_parser("undo-import", help="remove an imported batch and the customers only it created")
    undo.add_argument("batch_id", type=int, metavar="BATCH_ID")
    undo.add_argument("--json", action="store_true")

    profiles = commands.add_parser("profiles", help="saved import profiles and the built-in formats")
    actions = profiles.add_subparsers(dest="profiles_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the saved profiles and the built-in formats")
    listing.add_argument("--json", action="store_true")
    show = actions.add_parser("show", help="one profile or format as JSON")
    show.add_argument("name", metavar="NAME")
    export = actions.add_parser("export", help="write a profile as JSON, to import on another PC")
    export.add_argument("name", metavar="NAME")
    export.add_argument("file", type=Path, nargs="?", metavar="FILE", help="default: print it")
    load = actions.add_parser("import", help="save a profile from a JSON file")
    load.add_argument("file", type=Path, metavar="FILE")
    delete = actions.add_parser("delete", help="forget a saved profile")
    delete.add_argument("name", metavar="NAME")


def _options(args: argparse.Namespace, session: CommandSession) -> Any:
    from wallet_crm.imports import ImportOptions

    words: dict[str, dict[str, str]] = {}
    for field, word, code in args.word:
        words.setdefault(field, {})[word] = code
    return ImportOptions(
        sheet=args.sheet,
        dry_run=args.dry_run,
        header_row=args.header_row,
        profile=args.profile,
        columns=dict(args.map) or None,
        words=words or None,
        date_order=args.date_order,
        save_as=args.save_as,
        imported_by=session.user_name,
    )


def cmd_import(args: argparse.Namespace, session: CommandSession) -> int:
    """Each file is its own batch; a file that can't be read is reported and the others still go in."""
    from wallet_crm.followup.build import rebuild_if_stale
    from wallet_crm.imports import UnknownWordsError, import_file

    options = _options(args, session)
    language = session.language
    db = session.db
    failed = False
    for path in args.files:
        try:
            result = import_file(db, path, options)
        except KnownError as exc:
            failed = True
            print(f"wallet-crm: error: {exc.text(language)}", file=sys.stderr)  # the JSON's stays English
            if args.json:
                failure: dict[str, object] = {"file": str(path), "error": str(exc)}
                if isinstance(exc, UnknownWordsError):
                    failure["unknown_words"] = {name: dict(words) for name, words in exc.words.items()}
                print(json.dumps(failure, ensure_ascii=False))
            continue
        if args.json:
            print(json.dumps(result.as_dict(), ensure_ascii=False))
        else:
            _print_result(path, result, language)
    # Once for all the files: each batch marked the queue stale (so did one whose process was killed).
    queue = None if options.dry_run else rebuild_if_stale(db, dt.datetime.now())
    if queue is not None and not args.json:
        print(messages.text("cli.queue_after_import", language, created=queue.created, open=queue.open))
    return EXIT_USER_ERROR if failed else 0


def _print_result(path: Path, result: ImportResult, language: str) -> None:
    """The import's summary and its rows' problems, in the command's language."""
    from wallet_crm.imports.validate import field_title

    def say(code: str, **params: object) -> None:
        print(messages.text(code, language, **params))

    held = messages.text("cli.import_held", language, held=result.held) if result.held else ""
    source = result.format.title(language) if result.format else "?"
    counts = {
        "inserted": result.inserted,
        "duplicates": result.duplicates,
        "rejected": result.rejected,
        "skipped": result.skipped,
        "created": result.customers_created,
        "updated": result.customers_updated,
    }
    if result.dry_run:
        say("cli.import_dry_run", file=str(path), source=source, held=held, **counts)
    elif result.batch_id is None:  # nothing new: no empty batch is recorded
        say("cli.import_nothing_new", file=str(path), source=source, held=held, **counts)
    else:
        say("cli.import_done", file=str(path), source=source, held=held, batch=result.batch_id, **counts)
    if result.profile:
        say("cli.import_profile", profile=result.profile)

    def field(problem: RowError) -> messages.Localized | str:
        return field_title(problem.field_name) if problem.field_name else problem.field

    for error in result.errors:
        say(
            "cli.import_error",
            row=error.row,
            field=field(error),
            value=_quoted(error.value),
            reason=error.text(language),
        )
    if result.errors_not_listed:
        say("cli.import_more_errors", count=result.errors_not_listed)
    for warning in result.warnings:
        say("cli.import_warning", row=warning.row, field=field(warning), value=_quoted(warning.value),
            reason=warning.text(language))  # fmt: skip
    if result.warnings_not_listed:
        say("cli.import_more_warnings", count=result.warnings_not_listed)
    for name, words in result.unknown_words.items():
        for word, count in sorted(words.items(), key=lambda item: -item[1]):
            rows = result.unknown_examples.get(name, {}).get(word, ())
            example = messages.text("cli.import_example_row", language, row=rows[0]) if rows else ""
            say("cli.import_unknown_word", field=name, label=field_title(name), shown=_quoted(word), word=word,
                count=count, example=example)  # fmt: skip


def _quoted(value: str) -> dict[str, str]:
    """A cell or word as a line quotes it: as Python writes it in English, in “” in Chinese."""
    return {"en": repr(value), "zh_CN": f"“{value}”"}


def cmd_imports(args: argparse.Namespace, session: CommandSession) -> int:
    from wallet_crm.imports import list_batches

    db = session.db
    batches = list_batches(db)
    if args.json:
        print(json.dumps([batch.as_dict() for batch in batches], ensure_ascii=False))
        return 0
    if not batches:
        print(messages.text("cli.no_imports", session.language))
        return 0
    language = session.language
    widths, right = (5, 19, 12, 8, 6, 8), (True, False, False, True, True, True)
    print(line(messages.text("cli.imports_columns", language).split("|"), widths, right))
    for batch in batches:
        state = messages.text("cli.imports_undone", language, at=batch.undone_at) if batch.undone else ""
        cells = (str(batch.id), batch.imported_at, cut(batch.imported_by, 12), f"{batch.inserted:,}",
                 f"{batch.duplicates:,}", f"{batch.rejected:,}")  # fmt: skip
        print(line([*cells, f"{batch.file_name}{state}"], widths, right))
    return 0


def cmd_undo_import(args: argparse.Namespace, session: CommandSession) -> int:
    from wallet_crm.imports import undo_and_rebuild

    db = session.db
    result, _queue = undo_and_rebuild(db, args.batch_id, undone_by=session.user_name)
    if args.json:
        print(json.dumps(dataclasses.asdict(result), ensure_ascii=False))
    else:
        language = session.language
        kept = messages.text("cli.undo_kept", language, count=result.customers_kept) if result.customers_kept else ""
        print(
            messages.text(
                "cli.undo_done", language, batch=result.batch_id, transactions=result.transactions_removed,
                customers=result.customers_removed, kept=kept,
            )
        )  # fmt: skip
    return 0


def cmd_profiles(args: argparse.Namespace, session: CommandSession) -> int:
    from wallet_crm.imports.formats import builtin_formats
    from wallet_crm.imports.profiles import (
        delete_profile,
        export_profile,
        find_profile,
        import_profile,
        list_profiles,
    )

    db = session.db
    action = args.profiles_command
    if action == "list":
        saved, builtin = list_profiles(db), builtin_formats()
        if args.json:
            listing = [{"name": p.id, "kind": "profile", "title": p.title("en")} for p in saved]
            listing += [{"name": f.id, "kind": "builtin", "title": f.title("en")} for f in builtin]
            print(json.dumps(listing, ensure_ascii=False))
            return 0
        language = session.language
        print(messages.text("cli.profiles_saved", language) if saved else messages.text("cli.profiles_none", language))
        for profile in saved:
            print(f"  {profile.id}")
        print(messages.text("cli.profiles_builtin", language))
        for fmt in builtin:
            print(f"  {pad(fmt.id, 26)} {fmt.title(language)}")
        return 0
    if action == "import":
        try:
            text = args.file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise KnownError(code="file.unreadable", file=args.file.name, reason=str(exc)) from exc
        profile = import_profile(db, text, args.file.name, dt.datetime.now())
        print(messages.text("cli.profile_saved", session.language, name=profile.id))
        return 0
    if action == "delete":
        if not delete_profile(db, args.name):
            raise KnownError(code="profile.not_saved", name=args.name)
        print(messages.text("cli.profile_deleted", session.language, name=args.name))
        return 0
    found = find_profile(db, args.name) or next((f for f in builtin_formats() if f.id == args.name), None)
    if found is None:
        raise KnownError(code="profile.no_such", name=args.name)
    text = export_profile(found)
    if action == "export" and args.file is not None:
        try:
            args.file.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise KnownError(code="profile.cant_write", file=str(args.file), reason=exc.strerror or str(exc)) from exc
        print(messages.text("cli.profile_written", session.language, name=found.id, file=str(args.file)))
    else:
        print(text, end="")
    return 0


IMPORT_COMMANDS: dict[str | None, Command] = {
    "import": cmd_import,
    "imports": cmd_imports,
    "undo-import": cmd_undo_import,
    "profiles": cmd_profiles,
}
