"""Settings → Team database: test the connection to the team's server, then use it on this PC."""

from __future__ import annotations

import json

import pytest
from pytestqt.qtbot import QtBot

from tests import postgres
from tests.unit.test_team_server_check import server_of
from wallet_crm.paths import default_db_target
from wallet_crm.preferences import preferences_file
from wallet_crm.ui.main_window import MainWindow

TIMEOUT_MS = 15_000


@pytest.fixture
def unused_port() -> int:
    return postgres.free_port()


def test_the_panel_tests_the_connection_and_this_pc_then_opens_the_team_database(
    qtbot: QtBot, empty_window: MainWindow, pg_url: str
) -> None:
    panel = empty_window.settings.team
    server = server_of(pg_url)
    panel.host.setText(server.host)
    panel.port.setValue(server.port)
    panel.database.setText(server.database)
    panel.user.setText(server.user)
    panel.test_connection()
    qtbot.waitUntil(lambda: panel.status.text().startswith("Connected: PostgreSQL"), timeout=TIMEOUT_MS)
    assert "empty database" in panel.status.text()
    panel.use_team_database()
    assert json.loads(preferences_file().read_text(encoding="utf-8"))["team_database"] == pg_url
    assert default_db_target() == pg_url  # the next start opens it (--db and WALLET_CRM_DB still come first)
    assert default_db_target("/tmp/other.sqlite3") == "/tmp/other.sqlite3"
    panel.use_local_file()
    assert default_db_target().endswith("wallet-crm.sqlite3")


def test_a_wrong_port_says_so_under_the_form(qtbot: QtBot, empty_window: MainWindow, unused_port: int) -> None:
    panel = empty_window.settings.team
    panel.host.setText("127.0.0.1")
    panel.port.setValue(unused_port)
    panel.database.setText("wallet_crm")
    panel.test_connection()
    qtbot.waitUntil(lambda: panel.status.text().startswith("Can't connect"), timeout=TIMEOUT_MS)
    assert panel.test_button.isEnabled()
