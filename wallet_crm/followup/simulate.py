"""A team working the queue over past weeks, for demo databases: agents, builds, calls and outcomes.

It drives the real services (`build_queue`, `next_task`, `log_outcome`) at past times, so the demo's
tasks, attempts and feedback obey every rule the app enforces, and the Feedback page has 90 days of
realistic outcomes. Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from dataclasses import dataclass

from peewee import Database

from wallet_crm.errors import OperationCancelled
from wallet_crm.followup.agents import add_agent
from wallet_crm.followup.build import build_queue
from wallet_crm.followup.hours import in_calling_hours
from wallet_crm.followup.settings import FollowupSettings
from wallet_crm.followup.work import Outcome, log_outcome, next_task

DEMO_AGENTS = ("小李", "小王", "小张")
DISPOSITION_WEIGHTS = (
    ("reached_resolved", 36),
    ("reached_followup", 10),
    ("no_answer", 24),
    ("busy", 8),
    ("voicemail", 6),
    ("unreachable", 8),
    ("wrong_number", 5),
    ("do_not_contact", 3),
)
CHANNEL_WEIGHTS = (("phone", 86), ("sms", 4), ("wechat", 5), ("in_app", 3), ("email", 2))
CATEGORY_WEIGHTS = (("praise", 30), ("complaint", 22), ("suggestion", 20), ("question", 28))
CSAT_WEIGHTS = (5, 8, 17, 35, 35)  # 1..5
NOTES = {
    "praise": ("客户对处理速度很满意", "客户表示客服态度好", "问题已解决，客户表示感谢"),
    "complaint": (
        "客户反映到账太慢，情绪较大",
        "客户对手续费不满",
        "客户投诉之前客服没有回电",
        "多次支付失败，客户很着急",
    ),
    "suggestion": ("建议简化支付流程", "希望增加账单提醒", "建议优化提现到账时间"),
    "question": ("咨询退款到账时间", "咨询单日限额怎么调整", "咨询如何绑定新银行卡", "咨询账户安全设置"),
}
TOPICS_BY_CATEGORY = {
    "praise": ("客服态度",),
    "complaint": ("到账慢", "手续费", "客服态度", "支付失败"),
    "suggestion": ("界面难用", "手续费"),
    "question": ("账户安全", "到账慢", "支付失败"),
}


@dataclass(frozen=True)
class SimulationResult:
    agents: int
    attempts: int
    open_tasks: int


def _pick(rng: random.Random, weights: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([code for code, _ in weights], weights=[weight for _, weight in weights])[0]


def _outcome(rng: random.Random, task_id: int, agent_id: int, when: dt.datetime) -> Outcome:
    disposition = _pick(rng, DISPOSITION_WEIGHTS)
    reached = disposition in ("reached_resolved", "reached_followup")
    if not reached:
        return Outcome(task_id, agent_id, disposition, channel="phone")
    category = _pick(rng, CATEGORY_WEIGHTS) if rng.random() < 0.8 else None
    topics: tuple[str, ...] = ()
    notes = None
    if category is not None:
        topics = tuple(
            rng.sample(TOPICS_BY_CATEGORY[category], k=min(len(TOPICS_BY_CATEGORY[category]), 1 + (rng.random() < 0.3)))
        )
        notes = rng.choice(NOTES[category]) if rng.random() < 0.7 else None
    csat = rng.choices(range(1, 6), weights=CSAT_WEIGHTS)[0] if rng.random() < 0.75 else None
    if category == "complaint" and csat is not None:
        csat = min(csat, 3)
    nps = min(10, max(0, round(rng.gauss(8.4 if category != "complaint" else 4, 1.8)))) if rng.random() < 0.6 else None
    callback = None
    if disposition == "reached_followup" and rng.random() < 0.6:
        callback = dt.datetime.combine(
            when.date() + dt.timedelta(days=rng.randint(1, 3)), dt.time(rng.choice((10, 14, 16)))
        )
    return Outcome(
        task_id, agent_id, disposition, _pick(rng, CHANNEL_WEIGHTS), csat, nps, category, topics, notes, callback
    )


def simulate_team(
    db: Database,
    as_of: dt.datetime,
    seed: int,
    calls_per_day: int,
    days: int = 90,
    every_days: int = 1,
    cancel: threading.Event | None = None,
) -> SimulationResult:
    """Three agents build the queue every `every_days` days (not on Sundays) and make `calls_per_day` calls;
    then a build at `as_of`."""
    rng = random.Random(seed)
    settings = FollowupSettings()
    start = as_of - dt.timedelta(days=days)
    agents = [add_agent(db, name, start) for name in DEMO_AGENTS]
    attempts = 0
    for offset in range(days - every_days, 0, -every_days):
        if cancel is not None and cancel.is_set():
            raise OperationCancelled(code="cancelled.demo")
        morning = dt.datetime.combine((as_of - dt.timedelta(days=offset)).date(), dt.time(9, 30))
        if morning.weekday() == 6:
            continue
        build_queue(db, morning, settings)
        for call in range(calls_per_day):
            when = morning + dt.timedelta(minutes=6 * call)
            if not in_calling_hours(when + dt.timedelta(minutes=5), settings.policy):
                break
            agent = agents[call % len(agents)]
            handed = next_task(db, agent.id, when, settings)
            if handed.task_id is None:
                break
            log_outcome(db, _outcome(rng, handed.task_id, agent.id, when), when + dt.timedelta(minutes=4), settings)
            attempts += 1
    result = build_queue(db, as_of, settings)
    return SimulationResult(agents=len(agents), attempts=attempts, open_tasks=result.open)
