"""The `wallet-crm` command: argparse faces of the same services the GUI calls.

With no sub-command it starts the GUI. User errors exit 2 with one line on stderr; bugs exit 1 with
one line pointing at the log, where the traceback is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from wallet_crm import __version__
from wallet_crm.errors import KnownError
from wallet_crm.logging_setup import current_log_file, setup_logging
from wallet_crm.paths import default_db_target, default_demo_db_path

log = logging.getLogger(__name__)
EXIT_USER_ERROR = 2
EXIT_BUG = 1


class UsageError(KnownError):
    """Bad command-line words."""


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def parse_as_of(text: str) -> dt.datetime:
    """`YYYY-MM-DD HH:MM[:SS]` or `YYYY-MM-DD` (midnight) as a naive local time."""
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), pattern)
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"not a time: {text!r} (use YYYY-MM-DD HH:MM)")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="wallet-crm", description="Follow-up (回访) CRM for digital-wallet operators.")
    parser.add_argument("--version", action="version", version=f"wallet-crm {__version__}")
    parser.add_argument(
        "--db", help="SQLite file or postgresql:// URL (default: $WALLET_CRM_DB or the user data folder)"
    )
    parser.add_argument("--lang", choices=("zh_CN", "en"), help="interface language for this run")
    parser.add_argument("--screenshot", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--page", help=argparse.SUPPRESS)
    parser.add_argument("--quit-after", type=int, metavar="MS", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)

    commands.add_parser("gui", help="start the desktop app (the default)")

    status = commands.add_parser("status", help="schema version, database and counts")
    status.add_argument("--json", action="store_true", help="print JSON for scripts")

    demo = commands.add_parser("demo", help="write a separate demo database with seeded data")
    demo.add_argument("--db", dest="demo_db", help="where to write it (default: the user data folder)")
    demo.add_argument("--seed", type=int, default=20261123)
    demo.add_argument("--customers", type=int, default=2000)
    demo.add_argument("--transactions", type=int, default=20000)
    demo.add_argument("--as-of", type=parse_as_of, help="end of the 90 days of data (default: now)")
    demo.add_argument("--json", action="store_true")
    return parser


def cmd_status(args: argparse.Namespace) -> int:
    from wallet_crm.db import open_database
    from wallet_crm.db.status import database_status

    db = open_database(default_db_target(args.db))
    status = database_status(db)
    if args.json:
        print(json.dumps(status.as_dict(), ensure_ascii=False))
    else:
        rows = [
            ("schema version", str(status.schema_version)),
            ("database", status.database),
            ("backend", status.backend),
            ("customers", f"{status.customers:,}"),
            ("transactions", f"{status.transactions:,}"),
            ("import batches", f"{status.import_batches:,}"),
            ("demo data", "yes" if status.is_demo else "no"),
        ]
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            print(f"{label:<{width}}  {value}")
    db.close()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from wallet_crm.demo import create_demo_database

    path = Path(args.demo_db or args.db or default_demo_db_path()).expanduser()
    if args.customers < 1 or args.transactions < 0:
        raise UsageError("--customers must be at least 1 and --transactions at least 0")
    result = create_demo_database(
        path,
        as_of=args.as_of or dt.datetime.now(),
        seed=args.seed,
        customers=args.customers,
        transactions=args.transactions,
    )
    summary = {"database": str(result.path), "customers": result.customers, "transactions": result.transactions}
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(f"Demo database written: {result.path}")
        print(f"{result.customers:,} customers, {result.transactions:,} transactions")
        print(f"Open it with: wallet-crm --db {result.path}")
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from wallet_crm.ui.app import GuiOptions, run_gui

    return run_gui(
        GuiOptions(
            db_target=default_db_target(args.db),
            language=args.lang,
            screenshot=args.screenshot,
            page=args.page,
            quit_after_ms=args.quit_after,
        )
    )


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: cmd_gui,
    "gui": cmd_gui,
    "status": cmd_status,
    "demo": cmd_demo,
}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        setup_logging()
    except OSError as exc:
        print(f"wallet-crm: warning: no log file ({exc.strerror})", file=sys.stderr)
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except KnownError as exc:
        print(f"wallet-crm: error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("wallet-crm: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        log.exception("unexpected error in the command line")
        print(f"wallet-crm: unexpected error ({type(exc).__name__}); details in {current_log_file()}", file=sys.stderr)
        return EXIT_BUG
