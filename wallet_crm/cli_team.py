"""`wallet-crm copy --to postgresql://…`: move a team's SQLite database to the PostgreSQL server they will share."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from wallet_crm import messages
from wallet_crm.cli_session import Command, CommandSession
from wallet_crm.cli_table import display_width, pad


def add_team_commands(commands: argparse._SubParsersAction[Any]) -> None:
    copy = commands.add_parser("copy", help="copy this database, every row, into an empty PostgreSQL database")
    copy.add_argument("--to", required=True, metavar="URL", help="postgresql://USER:PASSWORD@HOST:PORT/DATABASE")
    copy.add_argument("--json", action="store_true", help="print JSON for scripts")


def cmd_copy(args: argparse.Namespace, session: CommandSession) -> int:
    from wallet_crm.db import open_database
    from wallet_crm.db.copy import CopyRefused, copy_database
    from wallet_crm.db.target import is_postgres_url

    if not is_postgres_url(args.to):
        raise CopyRefused(code="team.copy_not_postgres")
    source = session.db
    target = open_database(args.to, bind=False)  # creates the tables in the empty database

    def progress(table: str, rows: int) -> None:
        if not args.json:
            print(
                messages.text("cli.copy_progress", session.language, table=table, count=rows),
                file=sys.stderr,
                flush=True,
            )

    try:
        counts = copy_database(source, target, progress)
    finally:
        target.close()
    if args.json:
        print(json.dumps([{"table": c.table, "source": c.source, "target": c.target} for c in counts]))
        return 0
    header = messages.text("cli.copy_columns", session.language).split("|")
    width = max(display_width(header[0]), *(len(count.table) for count in counts))
    print(f"{pad(header[0], width)} {pad(header[1], 10, right=True)} {pad(header[2], 10, right=True)}")
    for count in counts:
        print(f"{pad(count.table, width)} {count.source:>10,} {count.target:>10,}")
    same = all(count.source == count.target for count in counts)
    if same:
        print(messages.text("cli.copy_complete", session.language))
    else:
        print(messages.text("cli.copy_differs", session.language))
    return 0 if same else 1


TEAM_COMMANDS: dict[str | None, Command] = {"copy": cmd_copy}
