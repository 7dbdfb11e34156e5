"""The attempts behind a figure are the attempts the figure counted (tests/feedback_data.py)."""

from __future__ import annotations

import pytest
from peewee import Database

from tests.feedback_data import PERIOD, History, build_history
from wallet_crm.feedback.outcomes import Focus, outcome_ids, outcome_rows
from wallet_crm.feedback.period import Period
from wallet_crm.feedback.scope import ReportQuery


@pytest.fixture
def history(db: Database) -> History:
    return build_history(db)


def ids(history: History, *names: str) -> list[int]:
    return [history.attempts[name] for name in names]


@pytest.mark.parametrize(
    ("focus", "expected"),
    [
        (Focus(), ("a8", "a7", "a4", "a6", "a5", "a3", "a2", "a1")),  # latest first
        (Focus(figure="contact_rate"), ("a8", "a3", "a2")),
        (Focus(figure="resolution_rate"), ("a8", "a2")),
        (Focus(figure="csat_pct"), ("a8", "a3", "a2")),
        (Focus(figure="nps"), ("a8", "a3", "a2")),
        (Focus(figure="complaints"), ("a3",)),
        (Focus(figure="win_back_rate"), ("a3", "a2")),
        (Focus(category="suggestion"), ("a8",)),
        (Focus(topic="到账慢"), ("a3",)),
        (Focus(week=Period(PERIOD.start, PERIOD.start.replace(day=15))), ("a3", "a2", "a1")),
    ],
)
def test_each_focus_lists_what_its_figure_counted(
    db: Database, history: History, focus: Focus, expected: tuple[str, ...]
) -> None:
    assert list(outcome_ids(db, ReportQuery(PERIOD), focus)) == ids(history, *expected)


def test_an_agent_and_a_reason(db: Database, history: History) -> None:
    assert list(outcome_ids(db, ReportQuery(PERIOD), Focus(agent_id=history.agents["小王"]))) == ids(
        history, "a8", "a4", "a3"
    )
    assert list(outcome_ids(db, ReportQuery(PERIOD, reason="refund"), Focus(figure="contact_rate"))) == ids(
        history, "a3"
    )


def test_rows_carry_customer_reasons_topics_and_notes(db: Database, history: History) -> None:
    row = outcome_rows(db, ids(history, "a3"))[history.attempts["a3"]]
    assert (row.agent, row.customer_external_id, row.customer_name) == ("小王", "C2", "客户2")
    assert row.phone == "+8613800000002" and row.reasons == ("failed_payment", "refund")
    assert (row.disposition, row.reached, row.csat, row.nps, row.category) == (
        "reached_followup",
        True,
        2,
        3,
        "complaint",
    )
    assert row.topics == ("到账慢", "手续费") and row.notes == "备注 a3"


def test_a_figure_without_attempts_is_refused(db: Database, history: History) -> None:
    with pytest.raises(ValueError, match="open"):
        outcome_ids(db, ReportQuery(PERIOD), Focus(figure="open"))
