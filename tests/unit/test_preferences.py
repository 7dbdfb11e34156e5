"""Per-person preferences: language choice and a file that can't be half-written."""

from __future__ import annotations

from pathlib import Path

from wallet_crm.preferences import Preferences, load_preferences, resolve_language, save_preferences


def test_language_defaults_to_chinese_on_a_chinese_system() -> None:
    assert resolve_language("system", "zh_CN") == "zh_CN"
    assert resolve_language("system", "zh_TW") == "zh_CN"
    assert resolve_language("system", "en_US") == "en"
    assert resolve_language("en", "zh_CN") == "en"
    assert resolve_language("zh_CN", "de_DE") == "zh_CN"


def test_preferences_round_trip_and_survive_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "prefs.json"
    assert load_preferences(path) == Preferences()
    save_preferences(Preferences(language="en"), path)
    assert load_preferences(path).language == "en"
    path.write_text("{not json", encoding="utf-8")
    assert load_preferences(path) == Preferences()
    path.write_text('{"language": "klingon"}', encoding="utf-8")
    assert load_preferences(path).language == "system"
