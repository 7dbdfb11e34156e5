"""Each follow-up rule on hand-made data at a fixed `as_of`: who it picks, who it leaves, and the times it sets."""

from __future__ import annotations

import datetime as dt

import pytest
from peewee import Database

from tests.unit.followup_data import AS_OF, ago, customer, txn
from wallet_crm.followup import rules
from wallet_crm.followup.build import build_queue
from wallet_crm.followup.settings import FollowupSettings

SETTINGS = FollowupSettings()


def by_customer(candidates: list[rules.Candidate]) -> dict[int, rules.Candidate]:
    return {candidate.customer_id: candidate for candidate in candidates}


def test_failed_payment_is_picked_with_its_amount_and_due_within_a_day(db: Database) -> None:
    alice = customer(db)
    failed = txn(db, alice, ago(hours=2), amount_fen=128_000, status="failed")
    found = by_customer(rules.failed_payment(db, AS_OF, SETTINGS))
    assert set(found) == {alice}
    candidate = found[alice]
    assert (candidate.transaction_id, candidate.amount_fen) == (failed, 128_000)
    assert candidate.triggered_at == ago(hours=2) and candidate.available_at == ago(hours=2)
    assert candidate.due_at == AS_OF + dt.timedelta(days=1)  # due counts from when the team learns of it


def test_failed_payment_recovered_within_24_hours_is_not_picked(db: Database) -> None:
    recovered, too_late, other_type = customer(db), customer(db), customer(db)
    for who in (recovered, too_late, other_type):
        txn(db, who, ago(days=5), status="failed")
    txn(db, recovered, ago(days=5) + dt.timedelta(hours=23))
    txn(db, too_late, ago(days=5) + dt.timedelta(hours=25))
    txn(db, other_type, ago(days=5) + dt.timedelta(hours=1), txn_type="transfer")
    assert set(by_customer(rules.failed_payment(db, AS_OF, SETTINGS))) == {too_late, other_type}


def test_failed_payment_keeps_the_latest_unrecovered_failure(db: Database) -> None:
    bob = customer(db)
    older = txn(db, bob, ago(days=10), amount_fen=5_000, status="failed")
    txn(db, bob, ago(days=3), amount_fen=9_000, status="failed")
    txn(db, bob, ago(days=3) + dt.timedelta(hours=1))  # the newer failure was recovered
    assert by_customer(rules.failed_payment(db, AS_OF, SETTINGS))[bob].transaction_id == older


def test_rules_only_look_inside_the_window_and_never_after_as_of(db: Database) -> None:
    old, future = customer(db), customer(db)
    txn(db, old, ago(days=31), status="failed")
    txn(db, future, AS_OF + dt.timedelta(hours=1), status="failed")
    txn(db, future, AS_OF + dt.timedelta(hours=1), amount_fen=900_000)
    assert rules.failed_payment(db, AS_OF, SETTINGS) == []
    assert rules.large_amount(db, AS_OF, SETTINGS) == []
    wider = FollowupSettings(window_days=40)
    assert set(by_customer(rules.failed_payment(db, AS_OF, wider))) == {old}


def test_refund_by_type_or_by_status_due_in_three_days(db: Database) -> None:
    by_type, by_status, neither = customer(db), customer(db), customer(db)
    txn(db, by_type, ago(days=1), amount_fen=3_500, txn_type="refund")
    txn(db, by_status, ago(days=2), status="refunded")
    txn(db, neither, ago(days=2))
    found = by_customer(rules.refund(db, AS_OF, SETTINGS))
    assert set(found) == {by_type, by_status}
    assert found[by_type].amount_fen == 3_500
    assert found[by_type].due_at == AS_OF + dt.timedelta(days=3)


def test_large_amount_from_5000_yuan_and_not_for_failures(db: Database) -> None:
    big, just_below, failed_big = customer(db), customer(db), customer(db)
    txn(db, big, ago(days=4), amount_fen=500_000, txn_type="transfer")
    txn(db, just_below, ago(days=4), amount_fen=499_999)
    txn(db, failed_big, ago(days=4), amount_fen=800_000, status="failed")
    assert set(by_customer(rules.large_amount(db, AS_OF, SETTINGS))) == {big}
    tuned = SETTINGS.with_rule("large_amount", params={"min_amount_fen": 400_000})
    assert set(by_customer(rules.large_amount(db, AS_OF, tuned))) == {big, just_below}


def test_amounts_in_other_currencies_never_pass_for_yuan(db: Database) -> None:
    dollars, yen_refund = customer(db), customer(db)
    big_usd = txn(db, dollars, ago(days=4), amount_fen=900_000)
    refund_jpy = txn(db, yen_refund, ago(days=1), amount_fen=500_000, txn_type="refund")
    db.execute_sql("UPDATE transactions SET currency = 'USD' WHERE id = ?", (big_usd,))
    db.execute_sql("UPDATE transactions SET currency = 'JPY' WHERE id = ?", (refund_jpy,))

    assert rules.large_amount(db, AS_OF, SETTINGS) == []  # USD 9,000 is not ¥9,000
    found = by_customer(rules.refund(db, AS_OF, SETTINGS))
    assert found[yen_refund].transaction_id == refund_jpy and found[yen_refund].amount_fen is None


def test_new_customer_is_one_whose_first_transaction_is_this_week(db: Database) -> None:
    new, returning = customer(db), customer(db)
    first = txn(db, new, ago(days=3), amount_fen=2_000)
    txn(db, new, ago(days=1))
    txn(db, returning, ago(days=10))
    txn(db, returning, ago(days=1))
    found = by_customer(rules.new_customer(db, AS_OF, SETTINGS))
    assert set(found) == {new}
    assert (found[new].transaction_id, found[new].triggered_at) == (first, ago(days=3))


def test_dormant_needs_three_transactions_and_sixty_quiet_days(db: Database) -> None:
    dormant, too_few, still_active, long_gone = customer(db), customer(db), customer(db), customer(db)
    for days in (80, 70, 65):
        txn(db, dormant, ago(days=days))
        txn(db, still_active, ago(days=days))
    txn(db, still_active, ago(days=59))
    for days in (80, 65):
        txn(db, too_few, ago(days=days))
    for days in (200, 150, 120):
        txn(db, long_gone, ago(days=days))  # went quiet long before the window: not called again and again
    found = by_customer(rules.dormant(db, AS_OF, SETTINGS))
    assert set(found) == {dormant}
    assert found[dormant].triggered_at == ago(days=65)
    assert found[dormant].available_at == ago(days=5)
    assert found[dormant].due_at == AS_OF + dt.timedelta(days=7)


def test_survey_sample_is_deterministic_and_about_five_percent() -> None:
    sample = [customer_id for customer_id in range(1, 20_001) if rules.in_survey_sample(customer_id, 5)]
    assert sample == [customer_id for customer_id in range(1, 20_001) if rules.in_survey_sample(customer_id, 5)]
    assert 0.04 < len(sample) / 20_000 < 0.06
    assert all(rules.in_survey_sample(customer_id, 100) for customer_id in range(1, 50))
    assert not any(rules.in_survey_sample(customer_id, 0) for customer_id in range(1, 50))


def test_survey_picks_sampled_customers_with_a_recent_success_not_surveyed_lately(db: Database) -> None:
    ids = [customer(db) for _ in range(60)]
    sampled = [c for c in ids if rules.in_survey_sample(c, 5)]
    assert sampled, "60 customers should hold at least one in the 5% sample"
    for customer_id in ids:
        txn(db, customer_id, ago(days=2))
    others = [c for c in ids if c not in sampled]
    txn(db, others[0], ago(days=1), status="failed")
    assert set(by_customer(rules.survey(db, AS_OF, SETTINGS))) == set(sampled)
    # Once their survey task is closed, they are not surveyed again for 90 days.
    build_queue(db, AS_OF)
    db.execute_sql("UPDATE tasks SET status = 'done'")
    assert (
        rules.survey(db, AS_OF + dt.timedelta(days=30), SETTINGS.with_rule("survey", params={"recent_days": 40})) == []
    )


def test_a_disabled_rule_gives_nothing(db: Database) -> None:
    alice = customer(db)
    txn(db, alice, ago(days=1), status="failed")
    txn(db, alice, ago(days=1), amount_fen=600_000)
    settings = SETTINGS.with_rule("failed_payment", enabled=False)
    found = rules.collect_candidates(db, AS_OF, settings)
    assert set(found[alice]) == {"large_amount", "new_customer"}


def test_the_rules_run_side_by_side_give_what_each_gives_alone_in_the_rules_order(db: Database) -> None:
    people = [customer(db, phone=f"1380013{n:04d}") for n in range(12)]
    for n, who in enumerate(people):
        txn(db, who, ago(days=1 + n % 3), status="failed" if n % 2 else "success", amount_fen=100_000 * (n + 1))
        if n % 3 == 0:
            txn(db, who, ago(days=2), txn_type="refund")
    found = rules.collect_candidates(db, AS_OF, SETTINGS)
    alone: dict[int, dict[str, rules.Candidate]] = {}
    for reason, rule in rules.RULES.items():
        for candidate in rule(db, AS_OF, SETTINGS):
            alone.setdefault(candidate.customer_id, {})[reason] = candidate
    assert found == alone
    assert {reason for by in found.values() for reason in by} >= {"failed_payment", "refund", "large_amount"}
    order = list(rules.RULES)
    assert all(list(by) == sorted(by, key=order.index) for by in found.values())


def test_a_failing_rule_fails_the_collection_with_its_own_error(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    txn(db, customer(db), ago(days=1), status="failed")

    def broken(db: Database, as_of: dt.datetime, settings: FollowupSettings) -> list[rules.Candidate]:
        raise ValueError("refund rule broke")

    monkeypatch.setitem(rules.RULES, "refund", broken)
    with pytest.raises(ValueError, match="refund rule broke"):
        rules.collect_candidates(db, AS_OF, SETTINGS)
