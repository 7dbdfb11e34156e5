"""The KPI registry: every figure is one entry (both languages, unit, which way is good, its drill-down), every
entry is a figure the report computes, and the tile, the formats and the attempts behind a figure follow it."""

from __future__ import annotations

import re

import pytest
from peewee import Database

from tests.feedback_data import AS_OF, PERIOD, build_history
from wallet_crm.feedback.definitions import figure_definition, figure_name, format_figure
from wallet_crm.feedback.figures import compute_report
from wallet_crm.feedback.kpis import KPIS, SECTIONS, WIN_BACK
from wallet_crm.feedback.outcomes import FIGURES_WITH_ATTEMPTS, Focus, outcome_ids
from wallet_crm.feedback.scope import ReportQuery
from wallet_crm.ui.feedback_tiles import BAD, GOOD, NEUTRAL, change_text

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("key", sorted(KPIS))
def test_every_figure_is_one_complete_entry(key: str) -> None:
    kpi = KPIS[key]
    assert kpi.key == key and kpi.unit in ("count", "percent", "points", "average")
    for words in (kpi.name, kpi.definition):
        assert set(words) == {"zh_CN", "en"} and all(words.values())
        assert CHINESE.search(words["zh_CN"]) and not CHINESE.search(words["en"])
    assert kpi.better in (-1, 0, 1)
    assert (kpi.decimals == 0) == (kpi.unit == "count")
    assert figure_name(key, "en") == kpi.name["en"] and figure_definition(key, "zh_CN") == kpi.definition["zh_CN"]


def test_every_figure_is_computed_by_the_report(db: Database) -> None:
    report = compute_report(db, ReportQuery(PERIOD), AS_OF).as_dict()
    computed = set(report) | set(report["queue"])
    assert sorted(set(KPIS) - computed) == []
    assert set(SECTIONS) == {"agents", "trend", "topics", "categories"}
    assert figure_name("trend", "zh_CN") == "每周趋势"


def test_values_and_changes_are_written_as_their_unit_says() -> None:
    assert [format_figure(key, value) for key, value in (("csat_pct", 87.25), ("nps", 12.0), ("nps", 0.0))] == [
        "87.2%",
        "+12.0",
        "0.0",
    ]
    assert (format_figure("csat_avg", 4.125), format_figure("attempts", 12_345), format_figure("csat_pct", None)) == (
        "4.12",
        "12,345",
        "—",
    )
    assert change_text("complaints", 12, 10) == ("▲ 2", BAD)  # more complaints is worse
    assert change_text("contact_rate", 40.0, 42.5) == ("▼ 2.5", BAD)
    assert change_text("attempts", 12, 10) == ("▲ 2", NEUTRAL)
    assert change_text("csat_avg", 4.5, 4.25) == ("▲ 0.25", GOOD)


def test_the_attempts_behind_each_figure_come_from_its_entry(db: Database) -> None:
    build_history(db)
    query = ReportQuery(PERIOD)
    every = set(outcome_ids(db, query))
    assert every  # the history has attempts in the period
    assert set(FIGURES_WITH_ATTEMPTS) == {key for key, kpi in KPIS.items() if kpi.drill is not None}
    for key in FIGURES_WITH_ATTEMPTS:
        behind = set(outcome_ids(db, query, Focus(figure=key)))
        assert behind <= every or KPIS[key].drill == WIN_BACK, key
    reached = set(outcome_ids(db, query, Focus(figure="contact_rate")))
    complaints = set(outcome_ids(db, query, Focus(figure="complaints")))
    assert reached and complaints and reached != every
    with pytest.raises(ValueError, match="no attempts stand behind"):
        outcome_ids(db, query, Focus(figure="open"))
