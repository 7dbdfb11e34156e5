"""The `wallet-crm` command: argparse faces of the same services the GUI calls.

With no sub-command it starts the GUI. User errors exit 2 with one line on stderr, and so do database
failures the user can act on (busy, read-only, disk full...: `wallet_crm.db.errors`); bugs exit 1 with
one line pointing at the log, where the traceback is. Nothing else reaches stderr, even without a log.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from wallet_crm import __version__, messages
from wallet_crm.cli_backup import BACKUP_COMMANDS, add_backup_commands
from wallet_crm.cli_imports import IMPORT_COMMANDS, add_import_commands
from wallet_crm.cli_reports import add_report_commands, cmd_export, cmd_report
from wallet_crm.cli_session import Command, CommandSession
from wallet_crm.cli_table import cut, line
from wallet_crm.cli_team import TEAM_COMMANDS, add_team_commands
from wallet_crm.cli_users import USERS_COMMANDS, add_users_commands, check_access
from wallet_crm.errors import EXIT_USER_ERROR, KnownError
from wallet_crm.logging_setup import current_log_file, setup_logging
from wallet_crm.messages import listed
from wallet_crm.paths import default_db_target, default_demo_db_path
from wallet_crm.preferences import command_line_language

if TYPE_CHECKING:
    from peewee import Database

log = logging.getLogger(__name__)
EXIT_BUG = 1


class UsageError(KnownError):
    """Bad command-line words."""


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(code="cli.usage", problem=message, prog=self.prog)


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
    parser.add_argument(
        "--user", metavar="NAME", help="sign in as NAME on a database with users (password: $WALLET_CRM_PASSWORD)"
    )
    parser.add_argument("--screenshot", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--page", help=argparse.SUPPRESS)
    parser.add_argument("--quit-after", type=int, metavar="MS", help=argparse.SUPPRESS)
    parser.add_argument("--report-startup", action="store_true", help=argparse.SUPPRESS)  # bench/bench_startup.py
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

    add_import_commands(commands)
    _add_followup_commands(commands)
    add_report_commands(commands, parse_as_of)
    add_backup_commands(commands)
    add_team_commands(commands)
    add_users_commands(commands)
    return parser


def _add_followup_commands(commands: argparse._SubParsersAction[OneLineParser]) -> None:
    """`queue build|list|next`, `outcome` and `agents add|list`: the follow-up (回访) work."""
    queue = commands.add_parser("queue", help="the follow-up (回访) queue: build, list, next")
    actions = queue.add_subparsers(dest="queue_command", metavar="ACTION", parser_class=OneLineParser, required=True)
    build = actions.add_parser("build", help="run the rules and update the open tasks")
    build.add_argument("--as-of", type=parse_as_of, help="the time the rules look back from (default: now)")
    build.add_argument("--json", action="store_true")
    listing = actions.add_parser("list", help="tasks, highest priority first")
    listing.add_argument("--status", default="open", help="open (default), done, unreachable, wrong_number, ... or all")
    listing.add_argument("--reason", help="only tasks with this reason code")
    listing.add_argument("--limit", type=int, default=0, help="at most this many tasks (default: all)")
    listing.add_argument("--as-of", type=parse_as_of, help="the time the explanations are worded for")
    listing.add_argument("--json", action="store_true")
    nxt = actions.add_parser("next", help="hold and show the next customer to call")
    nxt.add_argument("--agent", metavar="NAME", help="who calls (default: the signed-in user)")
    nxt.add_argument("--as-of", type=parse_as_of)
    nxt.add_argument("--json", action="store_true")

    outcome = commands.add_parser("outcome", help="log the outcome of a call on a task")
    outcome.add_argument("task_id", type=int, metavar="TASK_ID")
    outcome.add_argument("--agent", metavar="NAME", help="who called (default: the signed-in user)")
    outcome.add_argument("--disposition", required=True, metavar="CODE", help="reached_resolved, no_answer, ...")
    outcome.add_argument("--channel", default="phone", help="phone (default), sms, email, in_app, wechat")
    outcome.add_argument("--csat", type=int, metavar="1-5")
    outcome.add_argument("--nps", type=int, metavar="0-10")
    outcome.add_argument("--category", help="praise, complaint, suggestion, question")
    outcome.add_argument("--topic", action="append", default=[], metavar="TOPIC", help="repeat for several")
    outcome.add_argument("--note")
    outcome.add_argument("--callback-at", type=parse_as_of, metavar="TIME")
    outcome.add_argument("--as-of", type=parse_as_of)
    outcome.add_argument("--json", action="store_true")

    agents = commands.add_parser("agents", help="the agents who make follow-up calls")
    agent_actions = agents.add_subparsers(
        dest="agents_command", metavar="ACTION", parser_class=OneLineParser, required=True
    )
    add = agent_actions.add_parser("add", help="add an agent")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--json", action="store_true")
    agent_list = agent_actions.add_parser("list", help="list the agents")
    agent_list.add_argument("--all", action="store_true", help="include inactive agents")
    agent_list.add_argument("--json", action="store_true")


def cmd_status(args: argparse.Namespace, session: CommandSession) -> int:
    from wallet_crm.db.status import database_status

    db = session.db
    status = database_status(db)
    if args.json:
        print(json.dumps(status.as_dict(), ensure_ascii=False))
    else:
        language = session.language
        yes_no = messages.text("cli.yes", language) if status.is_demo else messages.text("cli.no", language)
        print(
            messages.text(
                "cli.status", language, version=status.schema_version, database=status.database,
                backend=status.backend, customers=status.customers, transactions=status.transactions,
                batches=status.import_batches, demo=yes_no,
            )
        )  # fmt: skip
    return 0


def cmd_demo(args: argparse.Namespace, session: CommandSession) -> int:
    from wallet_crm.demo import create_demo_database

    path = Path(args.demo_db or args.db or default_demo_db_path()).expanduser()
    if args.customers < 1 or args.transactions < 0:
        raise UsageError(code="cli.demo_sizes")
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
        print(
            messages.text(
                "cli.demo_written", session.language, file=str(result.path), customers=result.customers,
                transactions=result.transactions,
            )
        )  # fmt: skip
    return 0


def _json_time(value: dt.datetime | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%d %H:%M:%S")


def cmd_queue(args: argparse.Namespace, session: CommandSession) -> int:
    from wallet_crm.followup.build import rebuild_if_stale

    db = session.db
    as_of = session.now()
    language = session.language
    if args.queue_command == "build":
        return _queue_build(db, as_of, args.json, language)
    rebuild_if_stale(db, as_of)  # an import or undo left it behind (perhaps killed before it rebuilt)
    if args.queue_command == "list":
        return _queue_list(db, args, as_of, language)
    return _queue_next(db, args, as_of, language)


def _queue_build(db: Database, as_of: dt.datetime, as_json: bool, language: str) -> int:
    from wallet_crm.followup.build import build_queue

    result = build_queue(db, as_of)
    if as_json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        print(
            messages.text(
                "cli.queue_built", language, as_of=f"{as_of:%Y-%m-%d %H:%M}", created=result.created,
                updated=result.updated, closed=result.closed, open=result.open,
            )
        )  # fmt: skip
    return 0


def _queue_list(db: Database, args: argparse.Namespace, as_of: dt.datetime, language: str) -> int:
    from wallet_crm.followup.queue_query import QueueQuery, queue_ids, queue_rows
    from wallet_crm.followup.vocabulary import REASONS, TASK_STATUSES, in_both

    if args.status != "all" and args.status not in TASK_STATUSES:
        raise UsageError(code="cli.unknown_task_status", value=args.status, choices=listed(TASK_STATUSES))
    if args.reason is not None and args.reason not in REASONS:
        raise UsageError(code="cli.unknown_reason", value=args.reason, choices=listed(REASONS))
    if args.limit < 0:
        raise UsageError(code="cli.negative_limit")
    ids = queue_ids(db, QueueQuery(status=None if args.status == "all" else args.status, reason=args.reason))
    if args.limit:
        ids = ids[: args.limit]
    tasks = []
    for start in range(0, len(ids), 500):
        page = ids[start : start + 500]
        rows = queue_rows(db, page, as_of, language)
        tasks += [rows[task_id] for task_id in page]
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "task_id": row.task_id,
                        "customer_id": row.customer_id,
                        "has_phone": row.has_phone,
                        "reasons": list(row.reasons),
                        "priority": row.priority,
                        "explanation": row.explanation,
                        "due_at": _json_time(row.due_at),
                        "available_at": _json_time(row.available_at),
                        "attempts": row.attempts,
                        "status": row.status,
                        "assignee": row.assignee,
                    }
                    for row in tasks
                ],
                ensure_ascii=False,
            )
        )
        return 0
    if not tasks:
        print(messages.text("cli.no_tasks", language))
        return 0
    widths, right = (6, 4, 16, 5, 12, 10), (True, True, False, True, False, False)
    print(line(messages.text("cli.queue_columns", language).split("|"), widths, right))
    for row in tasks:
        due = f"{row.due_at:%Y-%m-%d %H:%M}" + ("!" if row.overdue else "")
        status = in_both(row.status)[language]  # English: the code, for scripts
        cells = (str(row.task_id), str(row.priority), due, str(row.attempts), status, cut(row.assignee or "-", 10))
        print(line([*cells, row.explanation], widths, right))
    return 0


def _queue_next(db: Database, args: argparse.Namespace, as_of: dt.datetime, language: str) -> int:
    from wallet_crm.followup.agents import agent_by_name
    from wallet_crm.followup.timeline import task_detail
    from wallet_crm.followup.work import next_task

    agent = agent_by_name(db, args.agent)
    result = next_task(db, agent.id, as_of)
    detail = task_detail(db, result.task_id, as_of, language, agent.name) if result.task_id is not None else None
    if args.json:
        task = None
        if detail is not None:
            task = {
                "task_id": detail.task_id,
                "customer_id": detail.customer.id,
                "customer_name": detail.customer.name,
                "phone": detail.customer.phone_masked,
                "has_phone": detail.customer.has_phone,
                "reasons": [reason.code for reason in detail.reasons],
                "priority": detail.priority,
                "explanation": detail.explanation,
                "script": detail.script,
                "due_at": _json_time(detail.due_at),
                "attempts": detail.attempts,
            }
        summary = {
            "status": result.status,
            "message": result.message(language),
            "held_until": _json_time(result.held_until),
            "next_available_at": _json_time(result.next_available_at),
            "task": task,
        }
        print(json.dumps(summary, ensure_ascii=False))
        return 0
    print(result.message(language))
    if detail is not None:
        phone = detail.customer.phone_masked if detail.customer.has_phone else messages.text("cli.no_phone", language)
        who = f"{detail.customer.name or ''} {phone}".strip()
        print(messages.text("cli.next_task", language, who=who, task=detail.task_id, priority=detail.priority))
        print(detail.explanation)
        print(detail.script)
    return 0


def cmd_outcome(args: argparse.Namespace, session: CommandSession) -> int:
    from wallet_crm.followup.agents import agent_by_name
    from wallet_crm.followup.vocabulary import in_both
    from wallet_crm.followup.work import Outcome, log_outcome

    db = session.db
    agent = agent_by_name(db, args.agent)
    outcome = Outcome(
        task_id=args.task_id,
        agent_id=agent.id,
        disposition=args.disposition,
        channel=args.channel,
        csat=args.csat,
        nps=args.nps,
        category=args.category,
        topics=tuple(args.topic),
        notes=args.note,
        callback_at=args.callback_at,
    )
    result = log_outcome(db, outcome, session.now())
    if args.json:
        summary = {
            "attempt_id": result.attempt_id,
            "task_id": result.task_id,
            "task_status": result.task_status,
            "attempts": result.attempts,
            "available_at": _json_time(result.available_at),
            "due_at": _json_time(result.due_at),
            "follow_up_task_id": result.follow_up_task_id,
        }
        print(json.dumps(summary, ensure_ascii=False))
    else:
        language = session.language
        follow = (
            messages.text("cli.outcome_follow_up", language, task=result.follow_up_task_id)
            if result.follow_up_task_id is not None
            else ""
        )
        state = (
            messages.text("cli.outcome_open", language, at=f"{result.available_at:%Y-%m-%d %H:%M}")
            if result.task_status == "open"
            else in_both(result.task_status)  # English: the code, for scripts
        )
        print(
            messages.text(
                "cli.outcome_logged", language, attempt=result.attempt_id, task=result.task_id, state=state,
                follow=follow,
            )
        )  # fmt: skip
    return 0


def cmd_agents(args: argparse.Namespace, session: CommandSession) -> int:
    from wallet_crm.followup.agents import add_agent, list_agents

    db = session.db
    if args.agents_command == "add":
        agent = add_agent(db, args.name, dt.datetime.now().replace(microsecond=0))
        agents = [agent]
    else:
        agents = list_agents(db, include_inactive=args.all)
    if args.json:
        data = [{"id": a.id, "name": a.name, "active": a.active} for a in agents]
        print(json.dumps(data[0] if args.agents_command == "add" else data, ensure_ascii=False))
    elif args.agents_command == "add":
        print(messages.text("cli.agent_added", session.language, name=agents[0].name, id=agents[0].id))
    else:
        inactive = messages.text("cli.inactive", session.language)
        for a in agents:
            print(f"{a.id:>4}  {a.name}{'' if a.active else f'  ({inactive})'}")
    return 0


def cmd_gui(args: argparse.Namespace, session: CommandSession) -> int:
    from wallet_crm.ui.app import GuiOptions, run_gui

    return run_gui(
        GuiOptions(
            db_target=default_db_target(args.db),
            language=args.lang,
            screenshot=args.screenshot,
            page=args.page,
            quit_after_ms=args.quit_after,
            report_startup=args.report_startup,
        )
    )


COMMANDS: dict[str | None, Command] = {
    None: cmd_gui,
    "gui": cmd_gui,
    "status": cmd_status,
    "demo": cmd_demo,
    **IMPORT_COMMANDS,
    "queue": cmd_queue,
    "outcome": cmd_outcome,
    "agents": cmd_agents,
    "report": cmd_report,
    "export": cmd_export,
    **BACKUP_COMMANDS,
    **TEAM_COMMANDS,
    **USERS_COMMANDS,
}


# Options whose value is free text: a note like "-1+1" must not be taken for an option.
TEXT_OPTIONS = frozenset(["--note", "--topic", "--agent", "--category"])


def glue_text_values(argv: Sequence[str]) -> list[str]:
    """`--note -1+1` as `--note=-1+1`: argparse reads a value starting with one dash as an option."""
    glued: list[str] = []
    index = 0
    while index < len(argv):
        token = argv[index]
        following = argv[index + 1] if index + 1 < len(argv) else None
        if (
            token in TEXT_OPTIONS
            and following is not None
            and following.startswith("-")
            and not following.startswith("--")
        ):
            glued.append(f"{token}={following}")
            index += 2
            continue
        glued.append(token)
        index += 1
    return glued


def database_target(args: argparse.Namespace | None) -> str | None:
    """The database a command works on, to name it in an error (None before the words are parsed)."""
    if args is None:
        return None
    if args.command == "demo":
        return str(Path(args.demo_db or args.db or default_demo_db_path()).expanduser())
    return default_db_target(args.db)


def known_error(error: BaseException, target: str | None) -> KnownError | None:
    """What the user is told about `error`: a database failure they can act on is classified (and
    logged without its traceback); None for a bug."""
    from wallet_crm.db.errors import classify_database_error

    if isinstance(error, KnownError):
        return error
    known = classify_database_error(error, target)
    if known is not None:
        log.warning("database error (%s): %s [%s: %s]", known.code, known, type(error).__name__, error)
    return known


def _error_language(args: argparse.Namespace | None, words: Sequence[str] = ()) -> str:
    """The language of an error's line: the command line's own (`--lang`, else the preference, else the
    locale), English when even that can't be found out (a broken preferences file must not hide the error).
    Before the words are parsed (a usage error) `--lang` is looked for in them."""
    chosen = getattr(args, "lang", None) if args is not None else _lang_in(words)
    try:
        return command_line_language(chosen)
    except Exception:
        return "en"


def _lang_in(words: Sequence[str]) -> str | None:
    """The language `--lang zh_CN` or `--lang=en` names among words argparse refused; None without one."""
    for index, word in enumerate(words):
        value = word.partition("=")[2] if word.startswith("--lang=") else None
        if word == "--lang" and index + 1 < len(words):
            value = words[index + 1]
        if value in ("zh_CN", "en"):
            return value
    return None


def run_command(args: argparse.Namespace) -> int:
    """Run the command `args` names in its session: signed in on its database (opened once), closed at the end."""
    session = CommandSession(args)
    try:
        if args.command not in (None, "gui"):
            from wallet_crm.db.connection import CLI_BUSY_TIMEOUT_MS, use_busy_timeout

            use_busy_timeout(CLI_BUSY_TIMEOUT_MS)  # a script can wait for an import; the window can't
            check_access(args, session)
        return COMMANDS[args.command](args, session)
    finally:
        session.close()


def main(argv: Sequence[str] | None = None) -> int:
    log_problem: str | None = None
    try:
        setup_logging()
    except OSError as exc:
        # Without a handler logging falls back to printing records, tracebacks and all, on stderr.
        logging.getLogger().addHandler(logging.NullHandler())
        log_problem = exc.strerror or type(exc).__name__
        print(f"wallet-crm: warning: no log file ({log_problem})", file=sys.stderr)
    args: argparse.Namespace | None = None
    words: list[str] = []
    try:
        words = glue_text_values(sys.argv[1:] if argv is None else argv)
        args = build_parser().parse_args(words)
        return run_command(args)
    except KeyboardInterrupt:
        print("wallet-crm: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `wallet-crm report | head`: the reader stopped listening, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        known = known_error(exc, database_target(args))
        if known is not None:
            print(f"wallet-crm: error: {known.text(_error_language(args, words))}", file=sys.stderr)
            return EXIT_USER_ERROR
        log.exception("unexpected error in the command line")
        where = f"no log file ({log_problem})" if log_problem else f"details in {current_log_file()}"
        print(f"wallet-crm: unexpected error ({type(exc).__name__}); {where}", file=sys.stderr)
        return EXIT_BUG
