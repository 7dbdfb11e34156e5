"""Per-person preferences: language choice and a file that can't be half-written."""

from __future__ import annotations

from pathlib import Path

import pytest

from wallet_crm.preferences import (
    Preferences,
    command_line_language,
    load_preferences,
    resolve_language,
    save_preferences,
)


def test_language_defaults_to_chinese_on_a_chinese_system() -> None:
    assert resolve_language("system", "zh_CN") == "zh_CN"
    assert resolve_language("system", "zh_TW") == "zh_CN"
    assert resolve_language("system", "en_US") == "en"
    assert resolve_language("en", "zh_CN") == "en"
    assert resolve_language("zh_CN", "de_DE") == "zh_CN"
    assert resolve_language("system", "C") == "zh_CN"  # a bare machine: Chinese first
    assert resolve_language("system", "POSIX") == "zh_CN"
    assert resolve_language("system", "de_DE") == "zh_CN"


def test_preferences_round_trip_and_survive_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "prefs.json"
    assert load_preferences(path) == Preferences()
    save_preferences(Preferences(language="en"), path)
    assert load_preferences(path).language == "en"
    path.write_text("{not json", encoding="utf-8")
    assert load_preferences(path) == Preferences()
    path.write_text('{"language": "klingon"}', encoding="utf-8")
    assert load_preferences(path).language == "system"


def test_the_command_line_speaks_by_the_same_rule_as_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert command_line_language(None) == "zh_CN"
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert command_line_language(None) == "en"
    assert command_line_language("zh_CN") == "zh_CN"
    save_preferences(Preferences(language="zh_CN"))
    assert command_line_language(None) == "zh_CN"  # the saved choice wins over the locale


def test_the_window_geometry_is_kept_and_a_bad_one_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    save_preferences(Preferences(language="en", window_geometry="AdnQywAD"), path)
    assert load_preferences(path) == Preferences(language="en", window_geometry="AdnQywAD")
    path.write_text('{"language": "en", "window_geometry": 42}', encoding="utf-8")
    assert load_preferences(path) == Preferences(language="en", window_geometry="")


def test_the_idle_lock_minutes_are_kept_and_a_bad_value_falls_back_to_15(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    assert load_preferences(path).idle_lock_minutes == 15
    save_preferences(Preferences(idle_lock_minutes=0), path)
    assert load_preferences(path).idle_lock_minutes == 0  # never locks
    save_preferences(Preferences(idle_lock_minutes=30), path)
    assert load_preferences(path).idle_lock_minutes == 30
    for bad in ('"5"', "-1", "true", "100000"):
        path.write_text(f'{{"idle_lock_minutes": {bad}}}', encoding="utf-8")
        assert load_preferences(path).idle_lock_minutes == 15, bad
