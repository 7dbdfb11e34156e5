"""`--report-startup`: the line bench/bench_startup.py reads, printed once the first page is ready."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from wallet_crm.ui.startup_report import process_age_seconds, report_when_ready


class LoadingPage(QWidget):
    loaded = Signal(int)


def test_the_report_waits_for_the_page_to_load_then_closes_the_window(qtbot: QtBot) -> None:
    window, page = QWidget(), LoadingPage()
    qtbot.addWidget(window)
    qtbot.addWidget(page)
    window.show()
    ages = iter([0.5, 0.75])
    lines: list[str] = []
    report_when_ready(window, page, emit=lines.append, age=lambda: next(ages))
    qtbot.wait(50)
    assert lines == [] and window.isVisible()
    page.loaded.emit(20)
    qtbot.waitUntil(lambda: lines != [])
    assert lines == ["startup: shown 0.500 s, ready 0.750 s"]
    assert not window.isVisible()


def test_a_page_without_loading_is_ready_when_shown(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    lines: list[str] = []
    report_when_ready(window, QWidget(window), emit=lines.append, age=lambda: None)
    qtbot.waitUntil(lambda: lines != [])
    assert lines == ["startup: shown n/a, ready n/a"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_process_age_counts_from_the_process_start() -> None:
    first = process_age_seconds()
    assert first is not None and 0 < first < 24 * 3600
    time.sleep(0.05)
    second = process_age_seconds()
    assert second is not None and second >= first


def test_the_app_reports_its_startup_and_quits(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "wallet_crm", "--db", str(tmp_path / "x.sqlite3"), "--report-startup"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, check=False)
    assert result.returncode == 0, result.stderr
    match = re.fullmatch(r"startup: shown ([0-9.]+) s, ready ([0-9.]+) s", result.stdout.strip())
    assert match is not None, result.stdout
    assert 0 < float(match[1]) <= float(match[2]) < 60
