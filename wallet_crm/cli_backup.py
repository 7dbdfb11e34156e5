"""`wallet-crm backup` and `wallet-crm restore`: copies of the SQLite database, from the shell.

They call the same services as the app's File menu (`wallet_crm.db.backup`). Neither opens the database
through the app's usual path: a backup must not create or migrate what it copies, and a restore checks
the backup before it touches the database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from wallet_crm import messages
from wallet_crm.cli_session import Command, CommandSession
from wallet_crm.errors import KnownError


def add_backup_commands(commands: argparse._SubParsersAction[Any]) -> None:
    backup = commands.add_parser("backup", help="copy the database to a file, safely while it is in use")
    where = backup.add_mutually_exclusive_group(required=True)
    where.add_argument("-o", "--output", type=Path, metavar="FILE", help="the backup file to write")
    where.add_argument(
        "--auto", action="store_true", help="today's daily backup in the backup folder (if not made yet), then prune"
    )
    backup.add_argument("--folder", type=Path, metavar="DIR", help="with --auto: this folder instead of the setting")
    backup.add_argument("--json", action="store_true", help="print JSON for scripts")

    restore = commands.add_parser("restore", help="replace the database with a backup (the current one is kept)")
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument("--json", action="store_true", help="print JSON for scripts")


def cmd_backup(args: argparse.Namespace, session: CommandSession) -> int:
    from wallet_crm.db.backup import auto_backup, backup
    from wallet_crm.preferences import backup_folder, load_preferences

    session.close()  # the backup reads the file through a connection of its own
    target = session.target
    if args.folder is not None and not args.auto:
        raise KnownError(code="cli.folder_needs_auto")
    if args.auto:
        folder = args.folder or backup_folder(load_preferences())
        auto = auto_backup(target, folder, dt.date.today())
        if args.json:
            summary = {
                "backup": str(auto.path),
                "made": auto.made,
                "pruned": [str(path) for path in auto.pruned],
                "kept": [str(path) for path in auto.kept],
            }
            print(json.dumps(summary, ensure_ascii=False))
        else:
            language = session.language
            removed = messages.text("cli.backup_pruned", language, count=len(auto.pruned)) if auto.pruned else ""
            said = {"file": str(auto.path), "kept": len(auto.kept), "removed": removed}
            if auto.made:
                print(messages.text("cli.backup_today_written", language, **said))
            else:
                print(messages.text("cli.backup_today_there", language, **said))
        return 0
    result = backup(target, args.output)
    if args.json:
        summary = {
            "backup": str(result.path),
            "bytes": result.size,
            "pages": result.pages,
            "schema_version": result.schema_version,
        }
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(
            messages.text(
                "cli.backup_written", session.language, file=str(result.path), size=_size(result.size),
                version=result.schema_version,
            )
        )  # fmt: skip
    return 0


def cmd_restore(args: argparse.Namespace, session: CommandSession) -> int:
    from wallet_crm.db.backup import restore

    session.close()  # the restore replaces the file: no connection of ours may stay on it
    result = restore(args.file, session.target)
    if args.json:
        summary = {
            "database": str(result.database),
            "restored_from": str(result.source),
            "previous": None if result.previous is None else str(result.previous),
            "schema_version": result.schema_version,
        }
        print(json.dumps(summary, ensure_ascii=False))
    else:
        language = session.language
        kept = messages.text("cli.restore_kept", language, file=str(result.previous)) if result.previous else ""
        print(
            messages.text(
                "cli.restored", language, source=str(result.source), database=str(result.database),
                version=result.schema_version, kept=kept,
            )
        )  # fmt: skip
    return 0


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


BACKUP_COMMANDS: dict[str | None, Command] = {
    "backup": cmd_backup,
    "restore": cmd_restore,
}
