"""The priority score and its explanation, in Chinese and English."""

from __future__ import annotations

import datetime as dt

import pytest

from wallet_crm.followup.rules import Candidate
from wallet_crm.followup.scoring import (
    REASON_BASE,
    amount_bonus,
    explain,
    priority,
    priority_scorer,
    recency_bonus,
    top_priority,
)
from wallet_crm.followup.vocabulary import REASONS, join_labels, label

AS_OF = dt.datetime(2026, 11, 20, 10, 0)


def reason(code: str, days: int = 0, amount_fen: int | None = None) -> Candidate:
    when = AS_OF - dt.timedelta(days=days)
    return Candidate(1, code, when, when, when, amount_fen)


def test_bases_follow_the_issue_and_the_strongest_first_order() -> None:
    assert dict(REASON_BASE) == {
        "failed_payment": 80,
        "complaint_recheck": 75,
        "callback": 70,
        "refund": 60,
        "large_amount": 50,
        "new_customer": 40,
        "dormant": 30,
        "survey": 10,
    }
    assert list(REASONS) == sorted(REASONS, key=lambda code: -REASON_BASE[code])


@pytest.mark.parametrize(
    ("amount_fen", "bonus"),
    [(None, 0), (99, 0), (900, 2), (10_000, 6), (128_000, 9), (500_000, 11), (10_000_000, 15), (10**12, 15)],
)
def test_amount_bonus_is_three_points_a_tenfold(amount_fen: int | None, bonus: int) -> None:
    assert amount_bonus(amount_fen) == bonus


@pytest.mark.parametrize(("days", "bonus"), [(-1, 5), (0, 5), (1, 4), (4, 1), (5, 0), (30, 0)])
def test_recency_bonus_counts_calendar_days(days: int, bonus: int) -> None:
    assert recency_bonus(AS_OF - dt.timedelta(days=days), AS_OF) == bonus


def test_priority_is_the_strongest_reason_with_its_own_bonuses() -> None:
    reasons = [reason("refund", 0, 5_000_000), reason("failed_payment", 2, 128_000), reason("survey")]
    assert priority(reasons, AS_OF) == 80 + 9 + 3
    assert priority([reason("dormant", 65)], AS_OF) == 30
    # A big fresh refund still ranks below any failed payment.
    assert priority([reason("refund", 0, 5_000_000)], AS_OF) < priority([reason("failed_payment", 30, 100)], AS_OF)


def test_explanation_in_chinese() -> None:
    assert explain([reason("failed_payment", 2, 128_000)], 0, AS_OF) == "支付失败 ¥1,280.00 · 2 天前 · 第 1 次联系"
    text = explain([reason("refund", 0, 3_500), reason("failed_payment", 1, 99), reason("survey")], 2, AS_OF)
    assert text == "支付失败 ¥0.99 · 1 天前 · 另有：退款、满意度回访 · 第 3 次联系"
    assert explain([reason("dormant", 65)], 0, AS_OF) == "沉睡客户 · 最近交易 65 天前 · 第 1 次联系"
    callback = Candidate(1, "callback", dt.datetime(2026, 11, 22, 15, 30), AS_OF, AS_OF)
    assert explain([callback], 1, AS_OF) == "约定回电 11-22 15:30 · 第 2 次联系"


def test_explanation_in_english() -> None:
    text = explain([reason("failed_payment", 2, 128_000), reason("refund", 1, 100)], 0, AS_OF, "en")
    assert text == "Failed payment ¥1,280.00 · 2 days ago · also: Refund · 1st contact"
    assert explain([reason("new_customer", 1, 2_000)], 1, AS_OF, "en") == (
        "New customer ¥20.00 · first transaction 1 day ago · 2nd contact"
    )
    assert explain([reason("complaint_recheck")], 10, AS_OF, "en").endswith("complaint today · 11th contact")
    with pytest.raises(ValueError, match="language"):
        explain([reason("survey")], 0, AS_OF, "fr")


def test_an_open_task_counts_the_coming_contact_a_closed_one_the_contacts_made() -> None:
    failed = [reason("failed_payment", 2, 128_000)]
    assert explain(failed, 2, AS_OF, status="open").endswith("· 第 3 次联系")
    assert explain(failed, 3, AS_OF, status="unreachable") == "支付失败 ¥1,280.00 · 2 天前 · 共 3 次联系"
    assert explain(failed, 1, AS_OF, status="done").endswith("· 共 1 次联系")
    assert explain(failed, 0, AS_OF, status="cancelled").endswith("· 未联系")
    assert explain(failed, 3, AS_OF, "en", status="unreachable").endswith("· 3 contacts")
    assert explain(failed, 1, AS_OF, "en", status="done").endswith("· 1 contact")
    assert explain(failed, 0, AS_OF, "en", status="wrong_number").endswith("· no contact")
    assert explain(failed, 0, AS_OF, "en") == explain(failed, 0, AS_OF, "en", status="open")


def test_a_list_of_reasons_reads_as_each_language_writes_lists() -> None:
    reasons = [label(code, "en") for code in ("failed_payment", "new_customer")]
    assert join_labels(reasons, "en") == "Failed payment, New customer"  # never the Chinese 、 in English
    assert join_labels((label(code) for code in ("failed_payment", "new_customer")), "zh_CN") == "支付失败、新客户"


def test_the_scorer_a_build_uses_gives_every_task_the_priority_top_priority_gives() -> None:
    as_of = dt.datetime(2026, 11, 20, 0, 30)
    score = priority_scorer(as_of)
    triggers = [
        reason(code, days, amount)
        for code in REASONS
        for days in (-2, 0, 1, 3, 29, 30, 400)
        for amount in (None, 0, 99, 100, 12_345, 10**9, 12_345)  # an amount again: its bonus is remembered
    ]
    scored = [score(trigger) for trigger in triggers]
    assert scored == [top_priority(trigger, as_of) for trigger in triggers]
    assert len(set(scored)) > 20
