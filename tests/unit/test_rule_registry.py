"""The follow-up rules' registry: each entry complete, and every part of the app reading it."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import string

import pytest

from wallet_crm.errors import FollowupError
from wallet_crm.followup import rules, scoring, settings, vocabulary
from wallet_crm.followup.registry import RULE_ENTRIES, RULES_BY_CODE, RuleEntry
from wallet_crm.messages import LANGUAGES

PLACEHOLDERS = {"name", "agent", "time", "amount", "remark"}  # what a call script may use (call panel)
AS_OF = dt.datetime(2026, 5, 20, 10, 0)


@pytest.mark.parametrize("entry", RULE_ENTRIES, ids=lambda entry: entry.code)
def test_every_entry_is_complete(entry: RuleEntry) -> None:
    assert set(entry.names) == set(LANGUAGES) and all(entry.names.values())
    assert re.search(r"[\u4e00-\u9fff]", entry.names["zh_CN"]) and re.search(r"[\u4e00-\u9fff]", entry.script)
    assert {name for _, name, _, _ in string.Formatter().parse(entry.script) if name} <= PLACEHOLDERS
    assert 0 <= entry.due_hours <= 720
    for param in entry.params:
        assert param.low <= param.default <= param.high, param.name
        assert set(param.names) == set(LANGUAGES) and all(param.names.values())
    assert callable(rules.RULES[entry.code])
    if entry.wording.since is not None:
        assert set(entry.wording.since) == set(LANGUAGES)


def test_stronger_rules_come_first_and_their_bases_leave_room_for_the_bonuses() -> None:
    bases = [entry.base for entry in RULE_ENTRIES]
    assert bases == sorted(bases, reverse=True)
    assert all(stronger - weaker >= 5 for stronger, weaker in itertools.pairwise(bases))
    assert len(RULES_BY_CODE) == len(RULE_ENTRIES)


def test_the_app_reads_each_rule_from_its_entry() -> None:
    assert vocabulary.REASONS == tuple(entry.code for entry in RULE_ENTRIES) == tuple(rules.RULES)
    defaults = settings.FollowupSettings()
    for entry in RULE_ENTRIES:
        assert scoring.REASON_BASE[entry.code] == entry.base
        assert defaults.rule(entry.code).due_hours == entry.due_hours
        assert dict(defaults.rule(entry.code).params) == {param.name: param.default for param in entry.params}
        assert defaults.templates[entry.code] == entry.script
        assert (entry.code in defaults.policy.cooldown_exempt) == entry.cooldown_exempt
        for language in LANGUAGES:
            assert vocabulary.label(entry.code, language) == entry.names[language]


def test_a_reason_is_worded_as_its_entry_says() -> None:
    def reason(code: str, amount: int | None) -> rules.Candidate:
        when = AS_OF - dt.timedelta(days=2)
        return rules.Candidate(1, code, when, when, when, amount)

    assert scoring.describe_reason(reason("failed_payment", 128_000), AS_OF) == "支付失败 ¥1,280.00 · 2 天前"
    assert (
        scoring.describe_reason(reason("dormant", 128_000), AS_OF, "en")
        == "Dormant customer · last transaction 2 days ago"
    )
    assert scoring.describe_reason(reason("new_customer", 5_000), AS_OF) == "新客户 ¥50.00 · 首笔交易 2 天前"
    assert scoring.describe_reason(reason("callback", None), AS_OF, "en") == "Callback 05-18 10:00"


def test_a_number_outside_its_entrys_bounds_is_refused() -> None:
    entry = RULES_BY_CODE["dormant"]
    quiet = next(param for param in entry.params if param.name == "quiet_days")
    good = settings.FollowupSettings().with_rule("dormant", params={"quiet_days": quiet.high})
    settings.validate_settings(good)
    with pytest.raises(FollowupError, match="quiet for"):
        settings.validate_settings(good.with_rule("dormant", params={"quiet_days": quiet.high + 1}))


def test_a_reason_no_rule_of_this_version_knows_is_worded_by_its_code() -> None:
    when = AS_OF - dt.timedelta(days=2)
    newer = rules.Candidate(1, "birthday", when, when, when, 5_000)  # a newer version's rule, on a shared server
    assert scoring.describe_reason(newer, AS_OF, "en") == "birthday ¥50.00 · 2 days ago"


def test_the_slow_rules_start_first() -> None:
    slow = [entry.code for entry in RULE_ENTRIES if entry.starts_first]
    assert slow == ["new_customer", "dormant", "survey"]
