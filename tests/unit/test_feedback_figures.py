"""Golden figures: every number of the report over the hand-built history in tests/feedback_data.py.

Each expected value is worked out by hand from the table in that module's docstring; the comments
show the arithmetic.
"""

from __future__ import annotations

import datetime as dt

import pytest
from peewee import Database

from tests.feedback_data import AS_OF, PERIOD, PREVIOUS, History, build_history
from wallet_crm.feedback.figures import TopicCount, compute_report, first_reached_failed_payments
from wallet_crm.feedback.period import Period, preset_period
from wallet_crm.feedback.scope import ReportQuery, Scope


@pytest.fixture
def history(db: Database) -> History:
    return build_history(db)


def test_every_figure_of_the_period(db: Database, history: History) -> None:
    report = compute_report(db, ReportQuery(PERIOD), AS_OF)
    data = report.as_dict()
    assert (data["from"], data["to"]) == ("2026-11-09", "2026-11-22")
    assert data["attempts"] == 8  # a1..a8; a9 is in the previous period, a10 in neither
    assert data["tasks_worked"] == 4  # T1, T2, T3, T4
    assert data["contact_rate"] == 75.0  # T1, T2, T4 reached of 4
    assert data["resolution_rate"] == 50.0  # T1, T4 resolved of 4
    assert (data["csat_pct"], data["csat_responses"]) == (66.7, 3)  # 5 and 4 of (5, 2, 4)
    assert data["csat_avg"] == 3.67  # 11 / 3
    assert (data["nps"], data["nps_responses"]) == (0.0, 3)  # promoters (10) 1/3 - detractors (3) 1/3
    assert data["complaints"] == 1  # a3
    assert data["categories"] == {"praise": 1, "complaint": 1, "suggestion": 1, "question": 0}
    # Most mentioned first; ties by complaints, then by name.
    assert data["topics"] == [
        {"topic": "到账慢", "count": 1, "complaints": 1},
        {"topic": "手续费", "count": 1, "complaints": 1},
        {"topic": "客服态度", "count": 1, "complaints": 0},
        {"topic": "界面难用", "count": 1, "complaints": 0},
    ]
    # T1 first reached 11-10 14:00, c1 paid 11-12: won. T2 first reached 11-11 10:00, c2 paid 11-19 10:00: 8 days.
    assert (data["win_back_rate"], data["win_back_reached"], data["win_back_won"]) == (50.0, 2, 1)
    # Open now: T2 (due 11-18), T7 (due 11-21), T8 (due 11-25, assigned); T3 closed unreachable on 11-18.
    assert data["queue"] == {"open": 3, "overdue": 2, "unassigned": 2, "closed_unreachable": 1, "do_not_contact": 1}


def test_agents_and_weekly_trend(db: Database, history: History) -> None:
    data = compute_report(db, ReportQuery(PERIOD), AS_OF).as_dict()
    assert data["agents"] == [
        # 小李: a1 a2 a5 a6 a7 on T1 and T3; reached a2 (resolved); one CSAT answer, a 5.
        {"agent": "小李", "attempts": 5, "reached": 1, "resolved": 1, "tasks": 2, "csat_pct": 100.0,
         "csat_responses": 1, "avg_attempts_per_task": 2.5},
        # 小王: a3 a4 a8 on T2 and T4; reached a3 and a8 (a8 resolved); CSAT 2 and 4.
        {"agent": "小王", "attempts": 3, "reached": 2, "resolved": 1, "tasks": 2, "csat_pct": 50.0,
         "csat_responses": 2, "avg_attempts_per_task": 1.5},
    ]  # fmt: skip
    assert data["trend"] == [
        # 11-09..11-15: a1 a2 a3 on T1, T2 (both reached); CSAT 5, 2; NPS 10 (promoter), 3 (detractor).
        {"week": "2026-11-09", "from": "2026-11-09", "to": "2026-11-15", "attempts": 3, "contact_rate": 100.0,
         "csat_pct": 50.0, "nps": 0.0, "complaints": 1},
        # 11-16..11-22: a4..a8 on T2, T3, T4 (only T4 reached); CSAT 4; NPS 8 (passive).
        {"week": "2026-11-16", "from": "2026-11-16", "to": "2026-11-22", "attempts": 5, "contact_rate": 33.3,
         "csat_pct": 100.0, "nps": 0.0, "complaints": 0},
    ]  # fmt: skip


def test_the_previous_period_of_the_same_length(db: Database, history: History) -> None:
    previous = compute_report(db, ReportQuery(PERIOD), AS_OF).as_dict()["previous"]
    assert (previous["from"], previous["to"]) == (PREVIOUS.start.isoformat(), PREVIOUS.end.isoformat())
    assert previous["attempts"] == 1 and previous["tasks_worked"] == 1  # a9 on T5
    assert previous["contact_rate"] == 100.0 and previous["resolution_rate"] == 100.0
    assert (previous["csat_pct"], previous["csat_avg"]) == (0.0, 3.0)  # one answer, a 3
    assert previous["nps"] == 100.0  # one answer, a 9
    assert previous["categories"]["question"] == 1
    assert previous["win_back_rate"] is None and previous["win_back_reached"] == 0  # no failed payment reached
    # The queue as it is now has no earlier value; tasks closed unreachable do.
    assert previous["queue"] == {
        "open": None, "overdue": None, "unassigned": None, "closed_unreachable": 0, "do_not_contact": None
    }  # fmt: skip


def test_one_agent(db: Database, history: History) -> None:
    data = compute_report(db, ReportQuery(PERIOD, agent_id=history.agents["小王"]), AS_OF).as_dict()
    assert data["agent"] == "小王"
    assert (data["attempts"], data["tasks_worked"]) == (3, 2)
    assert (data["contact_rate"], data["resolution_rate"]) == (100.0, 50.0)
    assert (data["csat_pct"], data["nps"]) == (50.0, -50.0)  # CSAT 2, 4; NPS 3 (detractor), 8 (passive)
    assert (data["win_back_reached"], data["win_back_won"], data["win_back_rate"]) == (1, 0, 0.0)  # T2 only
    assert [agent["agent"] for agent in data["agents"]] == ["小王"]
    assert data["queue"]["open"] == 3  # the queue figures are the whole team's


@pytest.mark.sqlite_only
def test_one_agents_win_back_reaches_attempts_by_task_not_by_agent(db: Database, history: History) -> None:
    """With the agent index, SQLite scanned every attempt of the agent for each failed-payment task: one
    agent's report took 120 s at 150k attempts. The query must reach attempts through their task."""
    scope = Scope.of(ReportQuery(PERIOD, agent_id=history.agents["小王"]))
    captured: list[tuple[str, tuple[object, ...]]] = []
    execute = db.execute_sql

    def capture(sql: str, params: tuple[object, ...] = (), *args: object, **kwargs: object) -> object:
        captured.append((sql, tuple(params)))
        return execute(sql, params, *args, **kwargs)

    db.execute_sql = capture  # type: ignore[method-assign]
    try:
        firsts = first_reached_failed_payments(db, scope)
    finally:
        db.execute_sql = execute  # type: ignore[method-assign]
    assert len(firsts) == 1  # T2, as in test_one_agent
    (sql, params), *_ = captured
    plan = " ".join(str(row[-1]) for row in db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "contactattempt_agent_id" not in plan
    assert "contactattempt_task_id" in plan


def test_one_reason(db: Database, history: History) -> None:
    data = compute_report(db, ReportQuery(PERIOD, reason="refund"), AS_OF).as_dict()
    assert (data["attempts"], data["tasks_worked"]) == (5, 2)  # a3..a7 on T2, T3
    assert (data["contact_rate"], data["resolution_rate"]) == (50.0, 0.0)
    assert (data["csat_pct"], data["csat_responses"]) == (0.0, 1)
    assert (data["win_back_reached"], data["win_back_rate"]) == (1, 0.0)  # T2 has both reasons
    assert data["queue"] == {"open": 1, "overdue": 1, "unassigned": 1, "closed_unreachable": 1, "do_not_contact": 1}


def test_a_period_without_attempts_has_no_ratios(db: Database, history: History) -> None:
    data = compute_report(db, ReportQuery(Period(dt.date(2026, 12, 1), dt.date(2026, 12, 1))), AS_OF).as_dict()
    assert (data["attempts"], data["tasks_worked"], data["complaints"]) == (0, 0, 0)
    for key in ("contact_rate", "resolution_rate", "csat_pct", "csat_avg", "nps", "win_back_rate"):
        assert data[key] is None, key
    assert data["categories"] == {"praise": 0, "complaint": 0, "suggestion": 0, "question": 0}
    assert data["topics"] == [] and data["agents"] == []
    assert data["trend"] == [
        {"week": "2026-12-01", "from": "2026-12-01", "to": "2026-12-01", "attempts": 0, "contact_rate": None,
         "csat_pct": None, "nps": None, "complaints": 0}
    ]  # fmt: skip


def test_an_empty_database(db: Database) -> None:
    report = compute_report(db, ReportQuery(PERIOD), AS_OF)
    assert report.current.totals.attempts == 0 and report.current.win_back.rate is None
    assert report.as_dict()["queue"] == {
        "open": 0, "overdue": 0, "unassigned": 0, "closed_unreachable": 0, "do_not_contact": 0
    }  # fmt: skip


def test_topics_sort_by_mentions_first(db: Database, history: History) -> None:
    """手续费 is mentioned in the period (a3) and before it (a10): over both, it leads."""
    report = compute_report(db, ReportQuery(Period(dt.date(2026, 9, 1), dt.date(2026, 11, 22))), AS_OF)
    assert report.current.topics[0] == TopicCount("手续费", 2, 2)


def test_presets_and_weeks() -> None:
    today = dt.date(2026, 11, 19)  # a Thursday
    assert preset_period("today", today) == Period(today, today)
    assert preset_period("this_week", today) == Period(dt.date(2026, 11, 16), today)
    assert preset_period("this_month", today) == Period(dt.date(2026, 11, 1), today)
    assert preset_period("last_30_days", today) == Period(dt.date(2026, 10, 21), today)
    assert preset_period("this_week", today).previous() == Period(dt.date(2026, 11, 12), dt.date(2026, 11, 15))
    weeks = list(Period(dt.date(2026, 11, 4), dt.date(2026, 11, 17)).weeks())
    assert weeks == [
        Period(dt.date(2026, 11, 4), dt.date(2026, 11, 8)),
        Period(dt.date(2026, 11, 9), dt.date(2026, 11, 15)),
        Period(dt.date(2026, 11, 16), dt.date(2026, 11, 17)),
    ]
    with pytest.raises(ValueError):
        Period(today, today - dt.timedelta(days=1))
    with pytest.raises(ValueError):
        preset_period("yesterday", today)


def test_an_attempt_at_the_last_second_of_the_period_counts(db: Database, history: History) -> None:
    with db.atomic():
        db.execute_sql(
            "UPDATE contact_attempts SET attempted_at = ? WHERE id = ?", ("2026-11-22 23:59:59", history.attempts["a8"])
        )
    assert compute_report(db, ReportQuery(PERIOD), AS_OF).current.totals.attempts == 8
    assert (
        compute_report(
            db, ReportQuery(Period(dt.date(2026, 11, 23), dt.date(2026, 11, 23))), AS_OF
        ).current.totals.attempts
        == 0
    )
