"""One entry point for every Excel export, used by the GUI pages and `wallet-crm export` alike.

It runs the writer for the kind asked, then records the export (`record.py`) before the file takes its
name, so no face can export without leaving the record, and no file is left without one; both faces
write the same file for the same filter.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peewee import Database

from wallet_crm.exports import EXPORT_KINDS
from wallet_crm.exports.followup_tables import export_outcomes, export_queue
from wallet_crm.exports.record import record_export, withdraw_export
from wallet_crm.exports.report import export_report
from wallet_crm.exports.tables import export_customers, export_transactions
from wallet_crm.exports.workbook import ExportResult, Progress, deferred_placement

log = logging.getLogger(__name__)
Writer = Callable[[Database, Path, Any, str, bool, Progress | None, threading.Event | None], ExportResult]
WRITERS: dict[str, Writer] = {
    "transactions": export_transactions,
    "customers": export_customers,
    "queue": export_queue,
    "outcomes": export_outcomes,
    "report": export_report,
}
assert tuple(WRITERS) == EXPORT_KINDS


def run_export(
    db: Database,
    kind: str,
    path: Path,
    query: Any,
    language: str = "zh_CN",
    full_phone: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    by: str | None = None,
) -> ExportResult:
    """Write `kind` from `db` for `query` (a TransactionQuery, CustomerQuery, QueueQuery, OutcomeQuery or Report).

    The workbook is finished under its temporary name, recorded, then renamed: if the record fails the
    file is thrown away, and if the rename fails the record is withdrawn. The record goes in `db`'s
    export_log, the database the rows came from, as done `by` the signed-in user (else the OS user)."""
    with deferred_placement() as finished:
        result = WRITERS[kind](db, path, query, language, full_phone, progress, cancel)
    try:
        record_id = record_export(db, kind, path.name, result.rows, full_phone and kind != "report", by=by)
    except BaseException:
        for book in finished:
            book.discard()
        raise
    try:
        for book in finished:
            book.place()
    except BaseException:
        try:
            withdraw_export(db, record_id)
        except Exception:  # the rename's error is the one to tell; a record without a file is harmless
            log.exception("could not withdraw the record of export %d", record_id)
        raise
    return result
