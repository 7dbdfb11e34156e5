"""A small hand-built follow-up history whose every report figure is worked out by hand in the tests.

Period under test: 2026-11-09 (Mon) to 2026-11-22 (Sun), two weeks; the period before it is
2026-10-26 to 2026-11-08. `AS_OF` (the "now" of the queue figures) is 2026-11-22 12:00.

Tasks (customer, reasons, status) and their attempts (agent A 小李 / B 小王, time, disposition, CSAT,
NPS, category, topics):
- T1 (c1, failed_payment, done): a1 A 11-10 10:00 no_answer; a2 A 11-10 14:00 reached_resolved 5 10
  praise [客服态度]
- T2 (c2, failed_payment + refund, open, due 11-18): a3 B 11-11 10:00 reached_followup 2 3 complaint
  [到账慢, 手续费]; a4 B 11-17 10:00 busy
- T3 (c3, refund, unreachable, closed 11-18 16:00): a5 A 11-16 10:00 no_answer; a6 A 11-16 14:00
  voicemail; a7 A 11-18 16:00 unreachable
- T4 (c4, survey, done): a8 B 11-20 11:00 reached_resolved 4 8 suggestion [界面难用]
- T5 (c5, large_amount, done): a9 A 11-05 10:00 reached_resolved 3 9 question (the previous period)
- T6 (c1, dormant, done): a10 A 10-01 10:00 reached_resolved 1 0 complaint [手续费] (outside both)
- T7 (c5, new_customer, open, due 11-21, unassigned) and T8 (c6, survey, open, due 11-25, assigned
  to B): no attempts
c7 is marked do-not-contact. Successful transactions: c1 on 11-12 09:00 (2 days after T1 was first
reached: won back); c2 on 11-10 (before T2 was reached) and on 11-19 10:00 (8 days after: too late).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import Database

from wallet_crm.db.bulk import insert_returning_id
from wallet_crm.feedback.period import Period
from wallet_crm.stored_time import db_time

AS_OF = dt.datetime(2026, 11, 22, 12, 0)
PERIOD = Period(dt.date(2026, 11, 9), dt.date(2026, 11, 22))
PREVIOUS = Period(dt.date(2026, 10, 26), dt.date(2026, 11, 8))
REACHED = {"reached_resolved", "reached_followup", "do_not_contact"}


@dataclass
class History:
    agents: dict[str, int]
    customers: dict[str, int]
    tasks: dict[str, int]
    attempts: dict[str, int]


def _t(text: str) -> dt.datetime:
    return dt.datetime.strptime(f"2026-{text}", "%Y-%m-%d %H:%M")


def build_history(db: Database) -> History:
    with db.atomic():
        agents = {
            name: insert_returning_id(
                db, "agents", ("name", "active", "created_at"), (name, True, "2026-01-01 00:00:00")
            )
            for name in ("小李", "小王")
        }
        customers = {}
        for number in range(1, 8):
            customers[f"c{number}"] = insert_returning_id(
                db,
                "customers",
                ("external_id", "phone", "name", "created_at", "updated_at", "do_not_contact"),
                (f"C{number}", f"+86138000{number:05d}", f"客户{number}", "2026-01-01 00:00:00", "2026-01-01 00:00:00",
                 number == 7),
            )  # fmt: skip
        for customer, when in (("c1", "11-12 09:00"), ("c2", "11-10 08:00"), ("c2", "11-19 10:00")):
            insert_returning_id(
                db,
                "transactions",
                ("txn_id", "customer_id", "occurred_at", "amount_fen", "status", "txn_type"),
                (f"T-{customer}-{when}", customers[customer], db_time(_t(when)), 10_000, "success", "payment"),
            )
        task_specs = {
            "T1": ("c1", ("failed_payment",), "done", "11-09 09:00", None, None),
            "T2": ("c2", ("failed_payment", "refund"), "open", "11-18 10:00", None, None),
            "T3": ("c3", ("refund",), "unreachable", "11-17 10:00", None, "11-18 16:00"),
            "T4": ("c4", ("survey",), "done", "11-22 10:00", None, "11-20 11:00"),
            "T5": ("c5", ("large_amount",), "done", "11-06 10:00", None, "11-05 10:00"),
            "T6": ("c1", ("dormant",), "done", "10-02 10:00", None, "10-01 10:00"),
            "T7": ("c5", ("new_customer",), "open", "11-21 10:00", None, None),
            "T8": ("c6", ("survey",), "open", "11-25 10:00", "小王", None),
        }
        tasks = {}
        for key, (customer, reasons, status, due, assignee, closed) in task_specs.items():
            tasks[key] = insert_returning_id(
                db,
                "tasks",
                ("customer_id", "status", "priority", "top_reason", "available_at", "due_at", "attempts",
                 "assigned_to_id", "created_at", "updated_at", "closed_at"),
                (customers[customer], status, 50, reasons[0], "2026-10-01 09:00:00", db_time(_t(due)), 0,
                 agents[assignee] if assignee else None, "2026-10-01 09:00:00", "2026-10-01 09:00:00",
                 db_time(_t(closed)) if closed else None),
            )  # fmt: skip
            for reason in reasons:
                insert_returning_id(
                    db,
                    "task_reasons",
                    ("task_id", "customer_id", "reason", "triggered_at", "available_at", "due_at", "created_at"),
                    (tasks[key], customers[customer], reason, "2026-10-01 09:00:00", "2026-10-01 09:00:00",
                     db_time(_t(due)), "2026-10-01 09:00:00"),
                )  # fmt: skip
        attempt_specs = (
            ("a1", "T1", "小李", "11-10 10:00", "no_answer", None, None, None, ()),
            ("a2", "T1", "小李", "11-10 14:00", "reached_resolved", 5, 10, "praise", ("客服态度",)),
            ("a3", "T2", "小王", "11-11 10:00", "reached_followup", 2, 3, "complaint", ("到账慢", "手续费")),
            ("a4", "T2", "小王", "11-17 10:00", "busy", None, None, None, ()),
            ("a5", "T3", "小李", "11-16 10:00", "no_answer", None, None, None, ()),
            ("a6", "T3", "小李", "11-16 14:00", "voicemail", None, None, None, ()),
            ("a7", "T3", "小李", "11-18 16:00", "unreachable", None, None, None, ()),
            ("a8", "T4", "小王", "11-20 11:00", "reached_resolved", 4, 8, "suggestion", ("界面难用",)),
            ("a9", "T5", "小李", "11-05 10:00", "reached_resolved", 3, 9, "question", ()),
            ("a10", "T6", "小李", "10-01 10:00", "reached_resolved", 1, 0, "complaint", ("手续费",)),
        )
        attempts = {}
        for key, task, agent, when, disposition, csat, nps, category, topics in attempt_specs:
            customer = task_specs[task][0]
            attempts[key] = insert_returning_id(
                db,
                "contact_attempts",
                ("task_id", "customer_id", "agent_id", "attempted_at", "channel", "disposition", "reached", "csat",
                 "nps", "category", "notes"),
                (tasks[task], customers[customer], agents[agent], db_time(_t(when)), "phone", disposition,
                 disposition in REACHED, csat, nps, category, f"备注 {key}"),
            )  # fmt: skip
            for topic in topics:
                insert_returning_id(db, "attempt_topics", ("attempt_id", "topic"), (attempts[key], topic))
    return History(agents, customers, tasks, attempts)
