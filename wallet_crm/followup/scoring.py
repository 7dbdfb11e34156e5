"""The priority score of a task and the plain sentence that explains it to the agent.

Score = base of the strongest reason + amount bonus + recency bonus, an integer:

- base: the strongest reason's rule's own (followup/registry.py, from failed payments down to surveys).
  Bases are 5+ apart from the next (a test keeps them so), and the bonuses add at most 20, so a weaker
  reason with big bonuses can pass a stronger one only when it is much larger and fresher (a ¥50,000
  refund today, 60+14+5 = 79, still stays below any failed payment).
- amount bonus (0..15): 3 points per tenfold of the triggering transaction's yuan, floored:
  ¥9 → 2, ¥100 → 6, ¥1,280 → 9, ¥5,000 → 11, ¥100,000 and more → 15. Reasons without an amount get 0.
- recency bonus (0..5): 5 for a trigger today (or ahead, like a callback), one less per calendar
  day since, 0 from five days on. It changes at most once a day, so a rebuild on the same day
  rewrites no priority.

Overdue tasks score no higher: the queue shows them as overdue instead.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Protocol, TypeVar

from wallet_crm.followup.registry import RULE_ENTRIES, RULES_BY_CODE, Wording
from wallet_crm.followup.vocabulary import check_language, label
from wallet_crm.formatting import format_fen

REASON_BASE: Mapping[str, int] = {entry.code: entry.base for entry in RULE_ENTRIES}
MAX_AMOUNT_BONUS = 15
MAX_RECENCY_BONUS = 5


class Trigger(Protocol):
    """What the score and the explanation need of a reason (a rule's candidate or a stored reason)."""

    @property
    def reason(self) -> str: ...

    @property
    def triggered_at(self) -> dt.datetime: ...

    @property
    def amount_fen(self) -> int | None: ...


def amount_bonus(amount_fen: int | None) -> int:
    if amount_fen is None or amount_fen < 100:
        return 0
    return min(MAX_AMOUNT_BONUS, int(3 * math.log10(amount_fen // 100)))


def days_ago(when: dt.datetime, as_of: dt.datetime) -> int:
    """Calendar days from `when` to `as_of` (0 for today or a time still ahead)."""
    return max(0, (as_of.date() - when.date()).days)


def recency_bonus(triggered_at: dt.datetime, as_of: dt.datetime) -> int:
    return _recency(days_ago(triggered_at, as_of))


def _recency(days: int) -> int:
    """The bonus of a reason `days` calendar days old (0 for today or a time still ahead)."""
    return max(0, MAX_RECENCY_BONUS - max(0, days))


TriggerT = TypeVar("TriggerT", bound=Trigger)


def _base(trigger: Trigger) -> int:
    return REASON_BASE[trigger.reason]


def strongest(triggers: Iterable[TriggerT]) -> TriggerT:
    """The reason with the highest base (the one the priority and the explanation are about)."""
    return max(triggers, key=_base)


def ordered(triggers: Iterable[TriggerT]) -> list[TriggerT]:
    """Strongest first."""
    return sorted(triggers, key=lambda trigger: -REASON_BASE[trigger.reason])


def priority(triggers: Iterable[Trigger], as_of: dt.datetime) -> int:
    return top_priority(strongest(triggers), as_of)


def top_priority(top: Trigger, as_of: dt.datetime) -> int:
    """The priority of a task whose strongest reason is `top` (for a caller that needs `top` too)."""
    return REASON_BASE[top.reason] + amount_bonus(top.amount_fen) + recency_bonus(top.triggered_at, as_of)


def priority_scorer(as_of: dt.datetime) -> Callable[[Trigger], int]:
    """`top_priority` at one `as_of` for many tasks (a first build makes 76k): the date taken once, each
    amount's bonus (a logarithm) worked out once."""
    today = as_of.date()
    bonuses: dict[int | None, int] = {}

    def score(top: Trigger) -> int:
        amount = top.amount_fen
        bonus = bonuses.get(amount)
        if bonus is None:
            bonus = bonuses[amount] = amount_bonus(amount)
        return REASON_BASE[top.reason] + bonus + _recency((today - top.triggered_at.date()).days)

    return score


def _ago(when: dt.datetime, as_of: dt.datetime, language: str) -> str:
    days = days_ago(when, as_of)
    if language == "en":
        return "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"
    return "今天" if days == 0 else f"{days} 天前"


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def describe_reason(trigger: Trigger, as_of: dt.datetime, language: str = "zh_CN") -> str:
    """One reason in a few words, as its rule's wording says: `支付失败 ¥1,280.00 · 2 天前`."""
    check_language(language)
    rule = RULES_BY_CODE.get(trigger.reason)  # a reason a newer version wrote: its code and age, at least
    wording = rule.wording if rule is not None else Wording()
    name = label(trigger.reason, language)
    if wording.at_time:
        return f"{name} {trigger.triggered_at:%m-%d %H:%M}"
    amount = f" {format_fen(trigger.amount_fen)}" if wording.amount and trigger.amount_fen is not None else ""
    ago = _ago(trigger.triggered_at, as_of, language)
    since = f"{wording.since[language]} " if wording.since else ""
    return f"{name}{amount} · {since}{ago}"


def contacts_phrase(attempts: int, status: str, language: str = "zh_CN") -> str:
    """`第 2 次联系` for the call about to be made on an open task; `共 3 次联系` for a closed one."""
    en = check_language(language) == "en"
    if status == "open":
        return f"{_ordinal(attempts + 1)} contact" if en else f"第 {attempts + 1} 次联系"
    if attempts == 0:
        return "no contact" if en else "未联系"
    return f"{attempts} contact{'s' if attempts != 1 else ''}" if en else f"共 {attempts} 次联系"


def explain(
    triggers: Iterable[Trigger], attempts: int, as_of: dt.datetime, language: str = "zh_CN", status: str = "open"
) -> str:
    """Why this customer, for the agent: `支付失败 ¥1,280.00 · 2 天前 · 另有：退款 · 第 1 次联系`.

    An open task counts the contact about to be made; a closed one (`status` done, unreachable...)
    says how many contacts were made: `… · 共 3 次联系`.
    """
    check_language(language)
    reasons = ordered(triggers)
    parts = [describe_reason(reasons[0], as_of, language)]
    if len(reasons) > 1:
        others = [label(trigger.reason, language) for trigger in reasons[1:]]
        parts.append(f"also: {', '.join(others)}" if language == "en" else f"另有：{'、'.join(others)}")
    parts.append(contacts_phrase(attempts, status, language))
    return " · ".join(parts)
