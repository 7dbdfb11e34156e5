"""Follow-up settings on the Settings page: rules, topics and agents are saved through the services."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from wallet_crm.db import current_database
from wallet_crm.followup.agents import list_agents
from wallet_crm.followup.registry import MAX_DUE_HOURS, RULE_ENTRIES
from wallet_crm.followup.settings import load_settings
from wallet_crm.ui.main_window import MainWindow


def test_rules_and_topics_are_saved(qtbot: QtBot, demo_window: MainWindow) -> None:
    demo_window.show_page("settings")  # the page loads its settings when shown
    panel = demo_window.settings.followup
    enabled, _due, params = panel.rule_widgets["large_amount"]
    enabled.setChecked(False)
    params["min_amount_fen"].setValue(8000)
    panel.topics.setText("到账慢，手续费、新主题")
    with qtbot.waitSignal(panel.finished, timeout=5000):
        panel.save()
    saved = load_settings(current_database())
    assert not saved.rule("large_amount").enabled
    assert saved.rule("large_amount").param("min_amount_fen") == 800_000
    assert saved.topics == ("到账慢", "手续费", "新主题")
    assert "Saved" in panel.message.text()


def test_a_bad_value_is_refused_and_nothing_is_stored(qtbot: QtBot, demo_window: MainWindow) -> None:
    demo_window.show_page("settings")  # the page loads its settings when shown
    panel = demo_window.settings.followup
    before = load_settings(current_database())
    panel.topics.setText("这是一个远远超过二十个字符长度限制的反馈主题名称用来测试")
    with qtbot.waitSignal(panel.finished, timeout=5000):
        panel.save()
    assert panel.message.text() and "Saved" not in panel.message.text()
    assert load_settings(current_database()) == before


def test_an_agent_added_in_settings_can_work_the_queue(qtbot: QtBot, demo_window: MainWindow) -> None:
    demo_window.show_page("settings")  # the page loads its settings when shown
    panel = demo_window.settings.followup
    panel.agent_name.setText("小赵")  # QTest types ASCII only
    with qtbot.waitSignal(panel.finished, timeout=5000):
        panel.add_agent()
    assert "小赵" in [agent.name for agent in list_agents(current_database())]
    assert demo_window.queue.agent.findText("小赵") >= 0


def test_each_rules_row_is_built_from_its_registry_entry(demo_window: MainWindow) -> None:
    panel = demo_window.settings.followup
    for entry in RULE_ENTRIES:
        enabled, due, params = panel.rule_widgets[entry.code]
        assert enabled.text() == entry.names[panel.language]
        assert due.maximum() == MAX_DUE_HOURS
        assert list(params) == [param.name for param in entry.params]
        for param in entry.params:
            spin = params[param.name]
            box = spin.parentWidget()
            assert box is not None
            names = [label.text() for label in box.findChildren(QLabel)]
            assert param.names[panel.language] in names
            assert spin.minimum() * param.shown_per_stored >= param.low
            assert spin.maximum() * param.shown_per_stored <= param.high
    # an amount is typed in yuan: ¥1 at least, where the rule stores 100 fen
    assert panel.rule_widgets["large_amount"][2]["min_amount_fen"].minimum() == 1
