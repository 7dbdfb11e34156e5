"""`wallet-crm report` and `wallet-crm export`: the feedback figures and the Excel exports from the shell.

They call the same services as the Feedback page and the pages' "Export to Excel" actions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wallet_crm import messages
from wallet_crm.cli_session import CommandSession
from wallet_crm.errors import KnownError
from wallet_crm.exports import EXPORT_KINDS
from wallet_crm.messages import listed

if TYPE_CHECKING:
    from peewee import Database

    from wallet_crm.feedback.figures import Report
    from wallet_crm.feedback.scope import ReportQuery


class ReportUsageError(KnownError):
    """Bad words for `report` or `export`."""


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


def add_report_commands(commands: argparse._SubParsersAction[Any], as_of_type: Any) -> None:
    report = commands.add_parser("report", help="feedback figures: satisfaction, NPS, topics, agents, trend")
    _add_range(report, as_of_type)
    report.add_argument("--json", action="store_true", help="print JSON for scripts")

    export = commands.add_parser("export", help="write an Excel workbook of a table or of the report")
    export.add_argument("kind", choices=EXPORT_KINDS, metavar="{" + ",".join(EXPORT_KINDS) + "}")
    export.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.xlsx")
    _add_range(export, as_of_type)
    export.add_argument("--status", help="transactions: a status code; queue: a task status or all (default open)")
    export.add_argument(
        "--full-phone", action="store_true", help="full phone numbers instead of 138****8000 (recorded)"
    )
    export.add_argument("--json", action="store_true")


def _add_range(parser: argparse.ArgumentParser, as_of_type: Any) -> None:
    parser.add_argument("--from", dest="date_from", type=parse_date, metavar="DATE", help="first day (YYYY-MM-DD)")
    parser.add_argument("--to", dest="date_to", type=parse_date, metavar="DATE", help="last day, included")
    parser.add_argument("--agent", metavar="NAME", help="only this agent's attempts")
    parser.add_argument("--reason", metavar="CODE", help="only tasks with this reason code")
    parser.add_argument("--as-of", type=as_of_type, help="'now' for the queue figures (default: now)")


def _report_query(db: Database, args: argparse.Namespace, as_of: dt.datetime) -> ReportQuery:
    """The period (default: the 30 days up to `as_of`), agent and reason of the command line."""
    from wallet_crm.feedback.period import DEFAULT_PRESET, Period, preset_period
    from wallet_crm.feedback.scope import ReportQuery
    from wallet_crm.followup.agents import find_agent
    from wallet_crm.followup.vocabulary import REASONS

    default = preset_period(DEFAULT_PRESET, as_of.date())
    start = args.date_from or (default.start if args.date_to is None else args.date_to - dt.timedelta(days=29))
    end = args.date_to or (default.end if args.date_from is None else max(start, as_of.date()))
    if end < start:
        raise ReportUsageError(code="cli.to_before_from", end=str(end), start=str(start))
    agent_id = None
    if args.agent is not None:
        agent = find_agent(db, args.agent)
        if agent is None:
            raise ReportUsageError(code="cli.no_agent", name=args.agent.strip())
        agent_id = agent.id
    if args.reason is not None and args.reason not in REASONS:
        raise ReportUsageError(code="cli.unknown_reason", value=args.reason, choices=listed(REASONS))
    return ReportQuery(Period(start, end), agent_id, args.reason)


def cmd_report(args: argparse.Namespace, session: CommandSession) -> int:
    from wallet_crm.feedback.figures import compute_report

    db = session.db
    as_of = session.now()
    report = compute_report(db, _report_query(db, args, as_of), as_of)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        print_report(report, session.language)
    return 0


def print_report(report: Report, language: str) -> None:
    """The report as a readable table: this period beside the previous one, then topics, agents and weeks."""
    from wallet_crm.feedback.definitions import figure_name, format_figure

    words = _WORDS.get(language, _WORDS["zh_CN"])
    current, previous = report.current, report.previous
    who = f" · {report.agent_name}" if report.agent_name else ""
    print(f"{current.period}{who}   ({words['previous']}: {previous.period})")
    now, before = current.scalars(), previous.scalars()
    keys = ("attempts", "tasks_worked", "contact_rate", "resolution_rate", "csat_pct", "csat_avg", "nps")
    rows = [(figure_name(key, language), format_figure(key, now[key]), format_figure(key, before[key])) for key in keys]
    rows.append((figure_name("complaints", language), f"{now['complaints']:,}", f"{before['complaints']:,}"))
    rows.append(
        (
            figure_name("win_back_rate", language),
            format_figure("win_back_rate", now["win_back_rate"]),
            format_figure("win_back_rate", before["win_back_rate"]),
        )
    )
    queue = current.queue
    for key in ("open", "overdue", "unassigned", "closed_unreachable", "do_not_contact"):
        value = getattr(queue, key)
        earlier = getattr(previous.queue, key)
        rows.append((figure_name(key, language), f"{value:,}", "" if earlier is None else f"{earlier:,}"))
    _table(words["figures"], rows)
    if current.topics:
        print()
        _table(
            ("topic", "mentions", "complaints"),
            [(t.topic, f"{t.count:,}", f"{t.complaints:,}") for t in current.topics],
        )
    if current.agents:
        print()
        _table(
            words["agents"],
            [
                (a.name, f"{a.attempts:,}", f"{a.reached:,}", f"{a.resolved:,}", format_figure("csat_pct", a.csat_pct),
                 "—" if a.avg_attempts_per_task is None else f"{a.avg_attempts_per_task:.2f}")
                for a in current.agents
            ],
        )  # fmt: skip
    if current.trend:
        print()
        _table(
            words["trend"],
            [
                (f"{w.period.start:%m-%d}–{w.period.end:%m-%d}", f"{w.totals.attempts:,}",
                 format_figure("contact_rate", w.totals.contact_rate), format_figure("csat_pct", w.totals.csat_pct),
                 format_figure("nps", w.totals.nps), f"{w.totals.complaints:,}")
                for w in current.trend
            ],
        )  # fmt: skip


_WORDS: dict[str, dict[str, Any]] = {
    "zh_CN": {
        "previous": "上期",
        "figures": ("", "本期", "上期"),
        "topics": ("主题", "提及次数", "其中投诉"),
        "agents": ("坐席", "联系次数", "接通", "解决", "满意度", "每任务联系"),
        "trend": ("周", "联系次数", "接通率", "满意度", "NPS", "投诉"),
    },
    "en": {
        "previous": "previous",
        "figures": ("", "this period", "previous"),
        "topics": ("topic", "mentions", "complaints"),
        "agents": ("agent", "attempts", "reached", "resolved", "CSAT", "per task"),
        "trend": ("week", "attempts", "contact rate", "CSAT", "NPS", "complaints"),
    },
}


def _table(headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    from wallet_crm.exports.workbook import display_width

    widths = [max(display_width(cell) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: tuple[str, ...]) -> str:
        parts = [cells[0] + " " * (widths[0] - display_width(cells[0]))]
        parts += [" " * (width - display_width(cell)) + cell for cell, width in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join(parts).rstrip()

    print(line(headers))
    for row in rows:
        print(line(row))


def cmd_export(args: argparse.Namespace, session: CommandSession) -> int:
    from wallet_crm.exports import clean_export_leftovers
    from wallet_crm.exports.service import run_export

    clean_export_leftovers()  # what exports killed before this one left behind
    output: Path = args.output.expanduser()
    if output.suffix.lower() != ".xlsx":
        raise ReportUsageError(code="cli.not_xlsx", output=str(output))
    if output.is_dir():
        raise ReportUsageError(code="cli.output_folder", output=str(output))
    db = session.db
    as_of = session.now()
    query = _export_query(db, args, as_of)
    language = session.language
    result = run_export(db, args.kind, output, query, language, args.full_phone, by=session.user_name)
    if args.json:
        summary = {"kind": args.kind, "file": str(result.path), "rows": result.rows, "full_phone": args.full_phone}
        print(json.dumps(summary, ensure_ascii=False))
    else:
        if args.kind == "report":
            phones = messages.text("cli.export_phones_report", language)
        elif args.full_phone:
            phones = messages.text("cli.export_phones_full", language)
        else:
            phones = messages.text("cli.export_phones_masked", language)
        print(
            messages.text(
                "cli.exported", language, kind=args.kind, rows=result.rows, file=str(result.path), phones=phones
            )
        )
    return 0


def _export_query(db: Database, args: argparse.Namespace, as_of: dt.datetime) -> object:
    from wallet_crm.db.browse import CustomerQuery, TransactionQuery
    from wallet_crm.db.models import TRANSACTION_STATUSES
    from wallet_crm.exports.followup_tables import OutcomeQuery
    from wallet_crm.feedback.figures import compute_report
    from wallet_crm.followup.build import rebuild_if_stale
    from wallet_crm.followup.queue_query import QueueQuery
    from wallet_crm.followup.vocabulary import REASONS, TASK_STATUSES

    kind = args.kind
    if kind in ("transactions", "customers"):
        if args.status is not None and args.status not in TRANSACTION_STATUSES:
            raise ReportUsageError(code="cli.unknown_status", value=args.status, choices=listed(TRANSACTION_STATUSES))
        if args.date_from and args.date_to and args.date_to < args.date_from:
            raise ReportUsageError(code="cli.to_before_from", end=str(args.date_to), start=str(args.date_from))
        if kind == "transactions":
            return TransactionQuery(date_from=args.date_from, date_to=args.date_to, status=args.status)
        return CustomerQuery(date_from=args.date_from, date_to=args.date_to, status=args.status)
    if kind == "queue":
        status = args.status or "open"
        if status != "all" and status not in TASK_STATUSES:
            raise ReportUsageError(code="cli.unknown_queue_status", value=status, choices=listed(TASK_STATUSES))
        if args.reason is not None and args.reason not in REASONS:
            raise ReportUsageError(code="cli.unknown_reason", value=args.reason, choices=listed(REASONS))
        rebuild_if_stale(db, as_of)  # an import or undo left it behind (perhaps killed before it rebuilt)
        return QueueQuery(status=None if status == "all" else status, reason=args.reason, as_of=as_of)
    query = _report_query(db, args, as_of)
    return OutcomeQuery(query) if kind == "outcomes" else compute_report(db, query, as_of)
