"""Exports of the follow-up queue and of contact outcomes, laid out like the table exports.

The queue export is what the queue page's filter shows, in its order; the outcomes export is the
attempts behind a report (a period, an agent, a reason, and optionally the figure that was clicked).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peewee import Database

from wallet_crm.exports import export_language
from wallet_crm.exports.tables import customer_fields, export_phone
from wallet_crm.exports.workbook import ExportColumn, ExportResult, Kind, Progress, write_table_file
from wallet_crm.feedback.outcomes import Focus, outcome_ids, outcome_rows
from wallet_crm.feedback.scope import ReportQuery
from wallet_crm.followup.queue_query import QueueQuery, queue_ids, queue_rows
from wallet_crm.followup.vocabulary import disposition_label, join_labels, label
from wallet_crm.formatting import mask_phones_in_text

CHUNK = 500

QUEUE_COLUMNS: dict[str, tuple[tuple[str, Kind], ...]] = {
    "zh_CN": (
        ("任务号", "int"), ("优先级", "int"), ("原因", "text"), ("说明", "text"), ("客户号", "text"),
        ("客户姓名", "text"), ("手机号码", "text"), ("金额", "money"), ("应完成", "datetime"),
        ("可拨打", "datetime"), ("联系次数", "int"), ("负责人", "text"), ("状态", "text"),
    ),
    "en": (
        ("Task", "int"), ("Priority", "int"), ("Reasons", "text"), ("Explanation", "text"), ("Customer ID", "text"),
        ("Name", "text"), ("Phone", "text"), ("Amount", "money"), ("Due", "datetime"),
        ("Callable from", "datetime"), ("Attempts", "int"), ("Assignee", "text"), ("Status", "text"),
    ),
}  # fmt: skip
OUTCOME_COLUMNS: dict[str, tuple[tuple[str, Kind], ...]] = {
    "zh_CN": (
        ("联系时间", "datetime"), ("坐席", "text"), ("任务号", "int"), ("原因", "text"), ("客户号", "text"),
        ("客户姓名", "text"), ("手机号码", "text"), ("渠道", "text"), ("结果", "text"), ("接通", "text"),
        ("满意度", "int"), ("NPS", "int"), ("反馈类别", "text"), ("主题", "text"), ("备注", "text"),
        ("约定回电", "datetime"),
    ),
    "en": (
        ("Time", "datetime"), ("Agent", "text"), ("Task", "int"), ("Reasons", "text"), ("Customer ID", "text"),
        ("Name", "text"), ("Phone", "text"), ("Channel", "text"), ("Disposition", "text"), ("Reached", "text"),
        ("CSAT", "int"), ("NPS", "int"), ("Category", "text"), ("Topics", "text"), ("Notes", "text"),
        ("Callback", "datetime"),
    ),
}  # fmt: skip
SHEET_NAMES = {"zh_CN": {"queue": "回访队列", "outcomes": "联系记录"}, "en": {"queue": "Queue", "outcomes": "Outcomes"}}
YES_NO = {"zh_CN": ("是", "否"), "en": ("yes", "no")}


@dataclass(frozen=True)
class OutcomeQuery:
    """The attempts behind a report: its period, agent and reason, and the figure clicked (if any)."""

    report: ReportQuery
    focus: Focus = field(default_factory=Focus)


def _columns(spec: Sequence[tuple[str, Kind]]) -> list[ExportColumn]:
    return [ExportColumn(header, kind) for header, kind in spec]


def _queue_values(
    db: Database, ids: Sequence[int], as_of: dt.datetime, language: str, full_phone: bool
) -> Iterator[tuple[Any, ...]]:
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = queue_rows(db, chunk, as_of, language)
        customers = customer_fields(db, sorted({row.customer_id for row in rows.values()}))
        for task_id in chunk:
            r = rows[int(task_id)]
            external_id, phone = customers.get(r.customer_id, (None, None))
            yield (
                r.task_id, r.priority, join_labels((label(c, language) for c in r.reasons), language), r.explanation,
                external_id, r.customer_name, export_phone(phone, full_phone), r.amount_fen, r.due_at, r.available_at,
                r.attempts, r.assignee, label(r.status, language),
            )  # fmt: skip


def export_queue(
    db: Database,
    path: Path,
    query: QueueQuery,
    language: str = "zh_CN",
    full_phone: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ExportResult:
    """Every task matching `query`, in its order; explanations worded for `query.as_of` (default now)."""
    language = export_language(language)
    as_of = query.as_of or dt.datetime.now().replace(microsecond=0)
    ids = queue_ids(db, query)
    rows = _queue_values(db, ids, as_of, language, full_phone)
    columns = _columns(QUEUE_COLUMNS[language])
    return write_table_file(path, SHEET_NAMES[language]["queue"], columns, rows, len(ids), progress, cancel)


def _outcome_values(db: Database, ids: Sequence[int], language: str, full_phone: bool) -> Iterator[tuple[Any, ...]]:
    yes, no = YES_NO[language]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = outcome_rows(db, chunk)
        for attempt_id in chunk:
            r = rows[int(attempt_id)]
            yield (
                r.attempted_at, r.agent, r.task_id, join_labels((label(c, language) for c in r.reasons), language),
                r.customer_external_id, r.customer_name, export_phone(r.phone, full_phone), label(r.channel, language),
                disposition_label(r.disposition, language), yes if r.reached else no, r.csat, r.nps,
                label(r.category, language) if r.category else None, join_labels(r.topics, language),
                r.notes if full_phone else mask_phones_in_text(r.notes), r.callback_at,
            )  # fmt: skip


def export_outcomes(
    db: Database,
    path: Path,
    query: OutcomeQuery,
    language: str = "zh_CN",
    full_phone: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ExportResult:
    """The contact attempts behind a report, latest first, with their feedback and notes."""
    language = export_language(language)
    ids = outcome_ids(db, query.report, query.focus)
    rows = _outcome_values(db, ids, language, full_phone)
    columns = _columns(OUTCOME_COLUMNS[language])
    return write_table_file(path, SHEET_NAMES[language]["outcomes"], columns, rows, len(ids), progress, cancel)
