"""The team's follow-up settings: which rules run and how, the contact policy, call scripts and topics.

They live in the `settings` table as one JSON value (key `followup`), so every agent of a team
shares them. Loading overlays what is stored on the defaults, so a database written by an older
version (or a hand-edited value) still gives a complete, valid configuration.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from peewee import Database

from wallet_crm.errors import FollowupError
from wallet_crm.followup.registry import MAX_DUE_HOURS, RULE_ENTRIES, RULES_BY_CODE, words
from wallet_crm.followup.vocabulary import REASONS, in_both
from wallet_crm.messages import Localized

log = logging.getLogger(__name__)
SETTINGS_KEY = "followup"


@dataclass(frozen=True)
class RuleConfig:
    """One rule: on or off, how long the team has to make the call, and its own numbers."""

    enabled: bool = True
    due_hours: int = 72
    params: Mapping[str, int] = field(default_factory=dict)

    def param(self, name: str) -> int:
        return int(self.params[name])


@dataclass(frozen=True)
class ContactPolicy:
    """Who may be called when, and how often: the rules that keep the team from harassing anyone."""

    cooldown_days: int = 30  # a customer reached this recently is not queued again...
    # ...except for these (the rules whose entry says so)
    cooldown_exempt: tuple[str, ...] = tuple(entry.code for entry in RULE_ENTRIES if entry.cooldown_exempt)
    calling_start: dt.time = dt.time(9, 0)
    calling_end: dt.time = dt.time(21, 0)
    max_attempts: int = 3
    retry_hours: int = 4
    followup_hours: int = 24  # reached_followup without a callback time: call again this much later
    hold_minutes: int = 15  # "next customer" keeps the task away from other agents this long


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


DEFAULT_RULES: Mapping[str, RuleConfig] = _frozen(
    {
        entry.code: RuleConfig(
            due_hours=entry.due_hours, params=_frozen({param.name: param.default for param in entry.params})
        )
        for entry in RULE_ENTRIES
    }
)
DEFAULT_TEMPLATES: Mapping[str, str] = _frozen({entry.code: entry.script for entry in RULE_ENTRIES})

DEFAULT_TOPICS = ("支付失败", "到账慢", "手续费", "界面难用", "客服态度", "账户安全")

MAX_TOPICS = 50
MAX_TOPIC_LENGTH = 20
MAX_TEMPLATE_LENGTH = 1000


@dataclass(frozen=True)
class FollowupSettings:
    window_days: int = 30  # rules look back this far from `as_of`
    rules: Mapping[str, RuleConfig] = field(default_factory=lambda: DEFAULT_RULES)
    policy: ContactPolicy = ContactPolicy()
    templates: Mapping[str, str] = field(default_factory=lambda: DEFAULT_TEMPLATES)
    topics: tuple[str, ...] = DEFAULT_TOPICS

    def rule(self, reason: str) -> RuleConfig:
        return self.rules[reason]

    def with_rule(self, reason: str, **changes: Any) -> FollowupSettings:
        """A copy with one rule changed, e.g. `with_rule("survey", enabled=False)`; params are merged."""
        current = self.rules[reason]
        params = changes.pop("params", None)
        if params is not None:
            changes["params"] = _frozen({**current.params, **params})
        return replace(self, rules=_frozen({**self.rules, reason: replace(current, **changes)}))

    def with_policy(self, **changes: Any) -> FollowupSettings:
        return replace(self, policy=replace(self.policy, **changes))


# --- validation -------------------------------------------------------------------------------------


def _check_range(what: Localized, value: int, low: int, high: int, per: int = 1) -> None:
    """Refuse `value` outside low..high, naming the bounds in the unit the settings show (`per` stored units
    make one shown: an amount is stored in fen and typed in yuan)."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        shown = [_shown(number, per) for number in (low, high)]
        typed = _shown(value, per) if isinstance(value, int) and not isinstance(value, bool) else repr(value)
        raise FollowupError(code="settings.out_of_range", what=what, low=shown[0], high=shown[1], value=typed)


def _shown(number: int, per: int) -> str:
    return f"{number // per:,}" if number % per == 0 else f"{number / per:,.2f}"


def validate_settings(settings: FollowupSettings) -> None:
    """Raise `FollowupError` naming the first value that can't be used (bounds from the rules' entries)."""
    _check_range(words("回溯天数", "The look-back window (days)"), settings.window_days, 1, 365)
    if set(settings.rules) != set(REASONS):
        raise FollowupError(code="settings.rules_unknown")
    for reason, rule in settings.rules.items():
        entry = RULES_BY_CODE[reason]
        name = entry.names
        due = words(f"{name['zh_CN']}的“处理时限（小时）”", f"{name['en']}: due within (hours)")
        _check_range(due, rule.due_hours, 0, MAX_DUE_HOURS)
        for param_name, value in rule.params.items():
            param = entry.param(param_name)
            if param is None:
                raise FollowupError(code="settings.rules_unknown")
            what = words(f"{name['zh_CN']}的“{param.names['zh_CN']}”", f"{name['en']}: {param.names['en']}")
            _check_range(what, value, param.low, param.high, param.shown_per_stored)
    policy = settings.policy
    if policy.calling_start >= policy.calling_end:
        raise FollowupError(code="settings.calling_hours")
    _check_range(words("冷却天数", "The cooldown (days)"), policy.cooldown_days, 0, 365)
    _check_range(words("每个任务的尝试次数", "The attempts per task"), policy.max_attempts, 1, 20)
    _check_range(words("重试间隔（小时）", "The retry delay (hours)"), policy.retry_hours, 1, 168)
    _check_range(words("跟进间隔（小时）", "The follow-up delay (hours)"), policy.followup_hours, 1, 720)
    _check_range(words("占用时长（分钟）", "The hold time (minutes)"), policy.hold_minutes, 1, 240)
    unknown = [code for code in policy.cooldown_exempt if code not in REASONS]
    if unknown:
        raise FollowupError(code="settings.exempt_unknown", reason=unknown[0])
    for reason, template in settings.templates.items():
        if reason not in REASONS:
            raise FollowupError(code="settings.script_unknown", reason=reason)
        if len(template) > MAX_TEMPLATE_LENGTH:
            raise FollowupError(
                code="settings.script_too_long",
                reason=in_both(reason),
                limit=MAX_TEMPLATE_LENGTH,
            )
    topics = [topic.strip() for topic in settings.topics]
    if any(not topic or len(topic) > MAX_TOPIC_LENGTH for topic in topics):
        raise FollowupError(code="settings.topic_length", limit=MAX_TOPIC_LENGTH)
    if len(set(topics)) != len(topics) or len(topics) > MAX_TOPICS:
        raise FollowupError(code="settings.topics_distinct", limit=MAX_TOPICS)


# --- JSON -------------------------------------------------------------------------------------------


def settings_to_json(settings: FollowupSettings) -> str:
    policy = settings.policy
    data = {
        "window_days": settings.window_days,
        "rules": {
            reason: {"enabled": rule.enabled, "due_hours": rule.due_hours, "params": dict(rule.params)}
            for reason, rule in settings.rules.items()
        },
        "policy": {
            "cooldown_days": policy.cooldown_days,
            "cooldown_exempt": list(policy.cooldown_exempt),
            "calling_start": policy.calling_start.strftime("%H:%M"),
            "calling_end": policy.calling_end.strftime("%H:%M"),
            "max_attempts": policy.max_attempts,
            "retry_hours": policy.retry_hours,
            "followup_hours": policy.followup_hours,
            "hold_minutes": policy.hold_minutes,
        },
        "templates": dict(settings.templates),
        "topics": list(settings.topics),
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def settings_from_json(text: str) -> FollowupSettings:
    """Stored values over the defaults; anything unusable falls back to its default (and is logged)."""
    try:
        data = json.loads(text)
    except ValueError:
        log.warning("ignoring unreadable follow-up settings")
        return FollowupSettings()
    if not isinstance(data, dict):
        return FollowupSettings()
    result = FollowupSettings()
    if _is_int(data.get("window_days")):
        result = replace(result, window_days=data["window_days"])
    rules = dict(result.rules)
    for reason, stored in (data.get("rules") or {}).items():
        if reason in rules and isinstance(stored, dict):
            rules[reason] = _rule_from_json(rules[reason], stored)
    templates = dict(result.templates)
    for reason, template in (data.get("templates") or {}).items():
        if reason in templates and isinstance(template, str):
            templates[reason] = template
    topics = data.get("topics")
    result = replace(
        result,
        rules=_frozen(rules),
        templates=_frozen(templates),
        policy=_policy_from_json(result.policy, data.get("policy") or {}),
        topics=tuple(topics)
        if isinstance(topics, list) and all(isinstance(t, str) for t in topics)
        else DEFAULT_TOPICS,
    )
    try:
        validate_settings(result)
    except FollowupError as exc:
        log.warning("stored follow-up settings are invalid (%s); using the defaults", exc)
        return FollowupSettings()
    return result


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _rule_from_json(default: RuleConfig, stored: dict[str, Any]) -> RuleConfig:
    params = dict(default.params)
    for name, value in (stored.get("params") or {}).items():
        if name in params and _is_int(value):
            params[name] = value
    return RuleConfig(
        enabled=stored["enabled"] if isinstance(stored.get("enabled"), bool) else default.enabled,
        due_hours=stored["due_hours"] if _is_int(stored.get("due_hours")) else default.due_hours,
        params=_frozen(params),
    )


def _policy_from_json(default: ContactPolicy, stored: dict[str, Any]) -> ContactPolicy:
    changes: dict[str, Any] = {}
    for name in ("cooldown_days", "max_attempts", "retry_hours", "followup_hours", "hold_minutes"):
        if _is_int(stored.get(name)):
            changes[name] = stored[name]
    for name in ("calling_start", "calling_end"):
        try:
            changes[name] = dt.datetime.strptime(str(stored[name]), "%H:%M").time()
        except (KeyError, ValueError):
            continue
    exempt = stored.get("cooldown_exempt")
    if isinstance(exempt, list) and all(isinstance(code, str) for code in exempt):
        changes["cooldown_exempt"] = tuple(exempt)
    return replace(default, **changes)


# --- storage ----------------------------------------------------------------------------------------


def load_settings(db: Database) -> FollowupSettings:
    row = db.execute_sql(f"SELECT value FROM settings WHERE key = {db.param}", (SETTINGS_KEY,)).fetchone()
    return settings_from_json(row[0]) if row else FollowupSettings()


def save_settings(db: Database, settings: FollowupSettings) -> None:
    """Validate, then store; raises `FollowupError` (and stores nothing) for an unusable value."""
    settings = replace(settings, topics=tuple(topic.strip() for topic in settings.topics))
    validate_settings(settings)
    p = db.param
    with db.atomic():
        db.execute_sql(f"DELETE FROM settings WHERE key = {p}", (SETTINGS_KEY,))
        db.execute_sql(
            f"INSERT INTO settings (key, value) VALUES ({p}, {p})", (SETTINGS_KEY, settings_to_json(settings))
        )
