"""Follow-up settings: the issue's defaults, a round trip through the database, and refusing bad values."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from peewee import Database

from wallet_crm.errors import FollowupError
from wallet_crm.followup.settings import (
    DEFAULT_TOPICS,
    FollowupSettings,
    load_settings,
    save_settings,
    settings_from_json,
    validate_settings,
)


def test_defaults_are_the_issues() -> None:
    settings = FollowupSettings()
    assert settings.window_days == 30
    assert {reason: rule.due_hours for reason, rule in settings.rules.items()} == {
        "failed_payment": 24,
        "refund": 72,
        "large_amount": 72,
        "new_customer": 72,
        "dormant": 168,
        "survey": 168,
        "complaint_recheck": 0,
        "callback": 0,
    }
    assert settings.rule("large_amount").param("min_amount_fen") == 500_000
    assert settings.rule("survey").param("percent") == 5
    policy = settings.policy
    assert (policy.cooldown_days, policy.max_attempts, policy.retry_hours, policy.hold_minutes) == (30, 3, 4, 15)
    assert (policy.calling_start, policy.calling_end) == (dt.time(9), dt.time(21))
    assert set(policy.cooldown_exempt) == {"failed_payment", "complaint_recheck", "callback"}
    assert "支付失败" in settings.topics and "{name}" in settings.templates["failed_payment"]


def test_a_fresh_database_has_the_defaults_and_saved_changes_come_back(db: Database) -> None:
    assert load_settings(db) == FollowupSettings()
    changed = (
        FollowupSettings(topics=(*DEFAULT_TOPICS, " 优惠活动 "))
        .with_rule("survey", enabled=False)
        .with_rule("dormant", params={"quiet_days": 90})
        .with_policy(calling_start=dt.time(8, 30), max_attempts=5)
    )
    save_settings(db, changed)
    loaded = load_settings(db)
    assert not loaded.rule("survey").enabled
    assert loaded.rule("dormant").param("quiet_days") == 90
    assert loaded.rule("dormant").param("min_transactions") == 3
    assert (loaded.policy.calling_start, loaded.policy.max_attempts) == (dt.time(8, 30), 5)
    assert loaded.topics[-1] == "优惠活动"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (FollowupSettings().with_policy(calling_start=dt.time(22)), "Calling hours"),
        (FollowupSettings().with_policy(max_attempts=0), "attempts"),
        (FollowupSettings().with_rule("survey", params={"percent": 101}), r"Satisfaction survey: sample \(%\)"),
        (FollowupSettings(window_days=0), "window"),
        (FollowupSettings(topics=("到账慢", "到账慢")), "Topics"),
        (FollowupSettings(topics=("",)), "topic"),
        (FollowupSettings(templates={"refund": "x" * 1001}), "script"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_stored(db: Database, settings: FollowupSettings, message: str) -> None:
    with pytest.raises(FollowupError, match=message):
        save_settings(db, settings)
    assert db.execute_sql("SELECT COUNT(*) FROM settings WHERE key = 'followup'").fetchone()[0] == 0


def test_a_number_out_of_its_rules_bounds_is_named_in_either_language_in_the_unit_shown() -> None:
    with pytest.raises(FollowupError) as refused:
        validate_settings(FollowupSettings().with_rule("survey", params={"percent": 101}))
    assert refused.value.text("zh_CN") == "满意度回访的“抽样比例（%）”必须是 0 到 100 之间的整数，不能是 101。"
    with pytest.raises(FollowupError) as refused:
        validate_settings(FollowupSettings().with_rule("large_amount", params={"min_amount_fen": 0}))
    # stored in fen, typed in yuan: the bounds and the value as the settings panel shows them
    assert (
        str(refused.value) == "Large amount: from amount (¥) must be a whole number from 0.01 to 1,000,000,000, not 0."
    )


def test_stored_json_overlays_the_defaults_and_garbage_falls_back() -> None:
    partial = json.dumps({"rules": {"refund": {"enabled": False}}, "policy": {"calling_end": "20:00"}})
    settings = settings_from_json(partial)
    assert not settings.rule("refund").enabled and settings.rule("refund").due_hours == 72
    assert settings.policy.calling_end == dt.time(20) and settings.policy.calling_start == dt.time(9)
    assert settings_from_json("not json") == FollowupSettings()
    assert settings_from_json(json.dumps({"policy": {"calling_start": "22:00"}})) == FollowupSettings()
    assert settings_from_json(json.dumps({"window_days": "thirty", "topics": [1, 2]})) == FollowupSettings()
