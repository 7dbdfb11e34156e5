"""The report workbook: a summary sheet, the weekly trend and the topics with native Excel charts, the agents.

It writes the `Report` the caller computed (the same object the Feedback page shows or the CLI
prints), so the workbook and the screen can't disagree. Percentages are real numbers formatted
`0.0%`; a ratio with nothing to divide by is written as "—", never as 0.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from peewee import Database
from xlsxwriter.worksheet import Worksheet

from wallet_crm.exports import export_language
from wallet_crm.exports.workbook import (
    ExportColumn,
    ExportResult,
    Kind,
    Progress,
    TableWorkbook,
    display_width,
)
from wallet_crm.feedback.definitions import PERCENT_KEYS, figure_definition, figure_name
from wallet_crm.feedback.figures import Figures, Report
from wallet_crm.followup.vocabulary import CATEGORIES, label

SUMMARY_KEYS = (
    "attempts",
    "tasks_worked",
    "contact_rate",
    "resolution_rate",
    "csat_pct",
    "csat_avg",
    "nps",
    "complaints",
    "win_back_rate",
)
QUEUE_KEYS = ("open", "overdue", "unassigned", "closed_unreachable", "do_not_contact")
NO_VALUE = "—"

_TEXT: dict[str, dict[str, Any]] = {
    "zh_CN": {
        "sheets": ("汇总", "趋势", "主题", "坐席"),
        "summary": ("指标", "本期", "上期", "说明"),
        "responses": "（{n} 个回答）",
        "about": ("期间", "上期", "坐席", "原因", "统计时间"),
        "everyone": "全部",
        "trend": (
            ("周", "text"), ("开始", "date"), ("结束", "date"), ("联系次数", "int"), ("接通率", "percent"),
            ("满意度", "percent"), ("NPS", "number"), ("投诉", "int"),
        ),
        "topics": (("主题", "text"), ("提及次数", "int"), ("其中投诉", "int")),
        "agents": (
            ("坐席", "text"), ("联系次数", "int"), ("接通次数", "int"), ("解决次数", "int"), ("处理任务数", "int"),
            ("满意度", "percent"), ("满意度回答数", "int"), ("平均每任务联系次数", "number"),
        ),
        "trend_chart": "每周联系次数、接通率与满意度",
        "topic_chart": "反馈主题",
        "category": "类别：{name}",
    },
    "en": {
        "sheets": ("Summary", "Trend", "Topics", "Agents"),
        "summary": ("Figure", "This period", "Previous period", "Definition"),
        "responses": " ({n} answers)",
        "about": ("Period", "Previous period", "Agent", "Reason", "As of"),
        "everyone": "all",
        "trend": (
            ("Week", "text"), ("From", "date"), ("To", "date"), ("Attempts", "int"), ("Contact rate", "percent"),
            ("CSAT", "percent"), ("NPS", "number"), ("Complaints", "int"),
        ),
        "topics": (("Topic", "text"), ("Mentions", "int"), ("Complaints", "int")),
        "agents": (
            ("Agent", "text"), ("Attempts", "int"), ("Reached", "int"), ("Resolved", "int"), ("Tasks", "int"),
            ("CSAT", "percent"), ("CSAT answers", "int"), ("Attempts per task", "number"),
        ),
        "trend_chart": "Attempts, contact rate and CSAT per week",
        "topic_chart": "Feedback topics",
        "category": "Category: {name}",
    },
}  # fmt: skip


def _fraction(value: float | None) -> float | None:
    """Our percentages (47.7) as the fraction Excel's `0.0%` format expects (0.477)."""
    return None if value is None else round(value / 100, 4)


def export_report(
    db: Database,  # unused: the report is computed already; kept so every export has one signature
    path: Path,
    report: Report,
    language: str = "zh_CN",
    full_phone: bool = False,  # the report holds no phone numbers; kept so every export has one signature
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ExportResult:
    language = export_language(language)
    text = _TEXT[language]
    with TableWorkbook(path, cancel) as book:  # discarded if anything below fails, a full disk included
        summary_rows = _write_summary(book, text["sheets"][0], report, language, text)
        _write_trend(book, text, report.current)
        _write_topics(book, text, report.current)
        book.check_cancel()
        agents = book.add_table(text["sheets"][3], _columns(text["agents"]))
        agents.write_rows(
            (a.name, a.attempts, a.reached, a.resolved, a.tasks, _fraction(a.csat_pct), a.csat_responses,
             a.avg_attempts_per_task)
            for a in report.current.agents
        )  # fmt: skip
    if progress is not None:
        progress(1, 1)
    return ExportResult(path, summary_rows)


def _columns(spec: Sequence[tuple[str, Kind]]) -> list[ExportColumn]:
    return [ExportColumn(header, kind) for header, kind in spec]


def _summary_lines(report: Report, language: str, text: dict[str, Any]) -> list[tuple[str, Any, Any, str, str]]:
    """(name, this period, previous period, value key for the format, definition) per line."""
    current, previous = report.current.scalars(), report.previous.scalars()
    lines: list[tuple[str, Any, Any, str, str]] = []
    for key in SUMMARY_KEYS:
        name = figure_name(key, language)
        if key in ("csat_pct", "nps"):
            responses = current[f"{key.split('_')[0]}_responses"]
            name += text["responses"].format(n=responses)
        lines.append((name, current[key], previous[key], key, figure_definition(key, language)))
    for category in CATEGORIES:
        lines.append(
            (
                text["category"].format(name=label(category, language)),
                report.current.categories[category],
                report.previous.categories[category],
                "count",
                figure_definition("categories", language),
            )
        )
    queue_now, queue_before = report.current.queue, report.previous.queue
    for key in QUEUE_KEYS:  # the queue as it is now has no previous value: its cell stays empty
        lines.append(
            (
                figure_name(key, language),
                getattr(queue_now, key),
                getattr(queue_before, key),
                "count",
                figure_definition(key, language),
            )
        )
    return lines


def _write_summary(book: TableWorkbook, name: str, report: Report, language: str, text: dict[str, Any]) -> int:
    sheet: Worksheet = book.workbook.add_worksheet(name)
    formats = book.formats
    lines = _summary_lines(report, language, text)
    headers = text["summary"]
    widths = [max(display_width(headers[0]), *(display_width(line[0]) for line in lines)) + 2, 14, 14, 60]
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    for column, header in enumerate(headers):
        sheet.write_string(0, column, header, formats["header"])
    for row, (title, now, before, key, definition) in enumerate(lines, start=1):
        sheet.write_string(row, 0, title)
        _write_figure(sheet, formats, row, 1, key, now)
        if before is not None or key != "count":
            _write_figure(sheet, formats, row, 2, key, before)
        sheet.write_string(row, 3, definition, formats["wrap"])
    sheet.autofilter(0, 0, len(lines), len(headers) - 1)
    agent = report.agent_name or text["everyone"]
    reason = label(report.query.reason, language) if report.query.reason else text["everyone"]
    about = (str(report.current.period), str(report.previous.period), agent, reason, f"{report.as_of:%Y-%m-%d %H:%M}")
    start = len(lines) + 2
    for offset, (title, value) in enumerate(zip(text["about"], about, strict=True)):
        sheet.write_string(start + offset, 0, title, formats["bold"])
        sheet.write_string(start + offset, 1, value)
    return len(lines)


def _write_figure(sheet: Worksheet, formats: dict[str, Any], row: int, column: int, key: str, value: Any) -> None:
    if value is None:
        sheet.write_string(row, column, NO_VALUE, formats["center"])
    elif key in PERCENT_KEYS:
        sheet.write_number(row, column, _fraction(value), formats["percent"])
    elif key in ("nps", "csat_avg"):
        sheet.write_number(row, column, value, formats["number2" if key == "csat_avg" else "number"])
    else:
        sheet.write_number(row, column, value, formats["int"])


def _write_trend(book: TableWorkbook, text: dict[str, Any], figures: Figures) -> None:
    book.check_cancel()
    name = text["sheets"][1]
    table = book.add_table(name, _columns(text["trend"]))
    weeks = figures.trend
    table.write_rows(
        (f"{w.period.start:%m-%d}", w.period.start, w.period.end, w.totals.attempts,
         _fraction(w.totals.contact_rate), _fraction(w.totals.csat_pct), w.totals.nps, w.totals.complaints)
        for w in weeks
    )  # fmt: skip
    if not weeks:
        return
    last = len(weeks)
    columns = book.workbook.add_chart({"type": "column"})
    columns.add_series(
        {
            "name": [name, 0, 3],
            "categories": [name, 1, 0, last, 0],
            "values": [name, 1, 3, last, 3],
            "fill": {"color": "#9DB4CC"},
        }
    )
    lines = book.workbook.add_chart({"type": "line"})
    for column, color in ((4, "#2F6FB3"), (5, "#E07B39")):
        lines.add_series(
            {
                "name": [name, 0, column],
                "categories": [name, 1, 0, last, 0],
                "values": [name, 1, column, last, column],
                "y2_axis": True,
                "marker": {"type": "circle"},
                "line": {"color": color},
            }
        )
    columns.combine(lines)
    columns.set_title({"name": text["trend_chart"]})
    columns.set_y_axis({"min": 0})
    lines.set_y2_axis({"min": 0, "max": 1, "num_format": "0%"})
    columns.set_legend({"position": "bottom"})
    table.sheet.insert_chart(1, len(text["trend"]) + 1, columns, {"x_scale": 1.4, "y_scale": 1.3})


def _write_topics(book: TableWorkbook, text: dict[str, Any], figures: Figures) -> None:
    book.check_cancel()
    name = text["sheets"][2]
    table = book.add_table(name, _columns(text["topics"]))
    table.write_rows((t.topic, t.count, t.complaints) for t in figures.topics)
    if not figures.topics:
        return
    last = len(figures.topics)
    chart = book.workbook.add_chart({"type": "bar"})
    for column, color in ((1, "#2F6FB3"), (2, "#C0392B")):
        chart.add_series(
            {
                "name": [name, 0, column],
                "categories": [name, 1, 0, last, 0],
                "values": [name, 1, column, last, column],
                "fill": {"color": color},
            }
        )
    chart.set_title({"name": text["topic_chart"]})
    chart.set_y_axis({"reverse": True})  # the most mentioned topic on top, as in the table
    chart.set_legend({"position": "bottom"})
    table.sheet.insert_chart(1, len(text["topics"]) + 1, chart, {"x_scale": 1.2, "y_scale": 1.2})
