"""How fast the pages open and filter, on the demo database and on 1M rows.

Figures: time from `MainWindow.load()` to the first screen of Transactions rows painted, the time of
common filter changes, the Customers page, the Follow-up queue page's first screen and the Feedback
page's report (the 1M-row database also gets 150k contact attempts and a built queue, as in
`bench_queue`). Peer: the naive way, every row of the Transactions page read into
memory before the table shows (what a table widget filled row by row does), timed in the same run on the demo
size (on 1M rows it takes minutes and GBs, so it is skipped there).
Set WALLET_CRM_BENCH_ROWS=0 to skip the 1M-row database.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peewee import Database
from PySide6.QtCore import QAbstractTableModel, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QTableView

from bench.bench_queue import add_history
from wallet_crm.db import close_database, open_database
from wallet_crm.db.browse import TransactionQuery, transaction_ids, transaction_rows
from wallet_crm.demo import create_demo_database
from wallet_crm.followup.build import build_queue
from wallet_crm.preferences import Preferences
from wallet_crm.ui.crash import CrashHandler
from wallet_crm.ui.main_window import MainWindow

AS_OF = dt.datetime(2026, 11, 20, 12, 0)


def wait_for(signal_owner: Any, action: Callable[[], object], timeout_s: float = 120) -> float:
    """Seconds from `action()` until the page says `loaded` and has painted once."""
    loop = QEventLoop()
    signal_owner.loaded.connect(loop.quit)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    started = time.perf_counter()
    action()
    loop.exec()
    signal_owner.repaint()
    elapsed = time.perf_counter() - started
    signal_owner.loaded.disconnect(loop.quit)
    return elapsed


class AllRowsModel(QAbstractTableModel):
    """The peer: every row read into a Python list up front."""

    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        super().__init__()
        self.rows = rows

    def rowCount(self, parent: Any = None) -> int:
        return len(self.rows)

    def columnCount(self, parent: Any = None) -> int:
        return 4

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self.rows[index.row()][index.column()] if role == Qt.ItemDataRole.DisplayRole else None


def naive_peer(app: QApplication, db: Database) -> float:
    """Every transaction row read into memory, then shown: the approach the paged model avoids."""
    started = time.perf_counter()
    ids = transaction_ids(db, TransactionQuery())
    rows: list[tuple[str, ...]] = []
    for start in range(0, len(ids), 1000):
        page = transaction_rows(db, ids[start : start + 1000])
        rows.extend((r.occurred_at, r.txn_id, r.customer_name or "", str(r.amount_fen)) for r in page.values())
    model = AllRowsModel(rows)
    view = QTableView()
    view.setModel(model)
    view.resize(1200, 700)
    view.show()
    app.processEvents()
    view.viewport().repaint()
    elapsed = time.perf_counter() - started
    view.close()
    return elapsed


def measure(app: QApplication, path: Path, label: str, with_peer: bool) -> list[tuple[str, str, str]]:
    db = open_database(path)
    window = MainWindow(str(path), Preferences(), CrashHandler(show=lambda *_: None), db)
    window.resize(1280, 800)
    window.show()
    page = window.transactions
    results: list[tuple[str, str, str]] = []
    opened = wait_for(page, lambda: window.load("transactions"))
    results.append((label, "open Transactions page (first screen)", f"{opened * 1000:,.0f} ms"))
    results.append((label, "rows listed", f"{page.model.rowCount():,}"))
    header = page.table.horizontalHeader()

    def search(text: str) -> None:
        page.search.setText(text)
        page.search_timer.stop()  # time the query, not the typing pause before it
        page.reload()

    timed: list[tuple[str, Callable[[], object]]] = [
        ("filter status = failed", lambda: page.status.setCurrentIndex(page.status.findData("failed"))),
        ("sort by amount", lambda: header.setSortIndicator(6, Qt.SortOrder.DescendingOrder)),
        ("clear status filter", lambda: page.status.setCurrentIndex(0)),
        ("search a phone's last 8 digits", lambda: search("12345678")),
        ("search a customer name", lambda: search("王")),
        ("clear search", lambda: search("")),
    ]
    for name, action in timed:
        seconds = wait_for(page, action)
        results.append((label, name, f"{seconds * 1000:,.0f} ms"))
    started = time.perf_counter()
    page.table.scrollToBottom()
    page.table.viewport().repaint()
    results.append((label, "jump to the last row", f"{(time.perf_counter() - started) * 1000:,.0f} ms"))
    customers = window.customers
    seconds = wait_for(customers, lambda: window.show_page("customers"))
    results.append((label, "open Customers page (sorted by last activity)", f"{seconds * 1000:,.0f} ms"))
    window.queue.ask_agent = lambda *_args: None  # no "who is working" question in a benchmark
    seconds = wait_for(window.queue, lambda: window.show_page("queue"))
    results.append(
        (
            label,
            f"open Follow-up queue page ({window.queue.model.rowCount():,} open tasks)",
            f"{seconds * 1000:,.0f} ms",
        )
    )
    window.feedback.clock = lambda: AS_OF
    seconds = wait_for(window.feedback, lambda: window.show_page("feedback"))
    report = window.feedback.report
    attempts = report.current.totals.attempts if report else 0
    results.append((label, f"open Feedback page (30 days, {attempts:,} attempts)", f"{seconds * 1000:,.0f} ms"))
    if with_peer:
        peer = naive_peer(app, db)
        results.append((label, "peer: all rows read into memory first", f"{peer * 1000:,.0f} ms"))
        results.append((label, "ratio peer / ours (open)", f"{peer / opened:,.1f}x"))
    window.close()
    close_database()
    return results


def main() -> None:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    big_rows = int(os.environ.get("WALLET_CRM_BENCH_ROWS", "1000000"))
    results: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo.sqlite3"
        create_demo_database(demo, AS_OF)
        results += measure(app, demo, "demo 20k", with_peer=True)
        if big_rows:
            big = Path(folder) / "big.sqlite3"
            started = time.perf_counter()
            create_demo_database(big, AS_OF, customers=big_rows // 5, transactions=big_rows, followup=False)
            db = open_database(big, bind=False)
            add_history(db, big_rows * 15 // 100)
            build_queue(db, AS_OF)
            db.close()
            results.append((f"{big_rows:,}", "(generating the database)", f"{time.perf_counter() - started:,.1f} s"))
            results += measure(app, big, f"{big_rows // 1000:,}k", with_peer=False)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    width = max(len(name) for _, name, _ in results)
    print(f"{'database':<10} {'what':<{width}} {'figure':>12}")
    for label, name, figure in results:
        print(f"{label:<10} {name:<{width}} {figure:>12}")
    print(f"peak memory of the whole run: {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
