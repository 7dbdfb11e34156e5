"""Every follow-up rule as one entry: what the queue, the settings, the score and the words need of it.

A rule is its entry here plus its function in `rules.py`, named by its code. The entry holds its base
score, how long the team has to make the call, its numbers (default, bounds, unit, names), its default
call script, whether it may call a customer reached lately, and how the queue words a reason of its kind.
Everything else reads this table: `vocabulary.REASONS` and the reasons' labels, `scoring.REASON_BASE`
and `describe_reason`, the default `FollowupSettings` and their checks, the settings panel's rows.

Pure data, importable from anywhere in the follow-up package without a cycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

from wallet_crm.messages import Localized

Unit = Literal["hours", "days", "fen", "count", "percent"]
MAX_DUE_HOURS: Final = 720


@dataclass(frozen=True)
class Param:
    """One number a rule takes: its default and bounds (as stored), its unit and its name in each language."""

    name: str
    default: int
    low: int
    high: int
    unit: Unit
    names: Localized

    @property
    def shown_per_stored(self) -> int:
        """How many stored units make one shown: an amount is stored in fen and shown in yuan."""
        return 100 if self.unit == "fen" else 1


@dataclass(frozen=True)
class Wording:
    """How the queue words a reason of this rule after its name: `支付失败 ¥1,280.00 · 2 天前`.

    `amount`: the triggering amount follows the name; `at_time`: the trigger's time does, not how long
    ago it was (a callback); `since`: what the age is of (`最近交易 3 天前`), none for the trigger itself.
    """

    amount: bool = True
    at_time: bool = False
    since: Localized | None = None


@dataclass(frozen=True)
class RuleEntry:
    code: str
    base: int  # the priority a task of this reason starts from (scoring.py); stronger rules come first
    due_hours: int  # default: how long after the team learns of it the call is due
    names: Localized
    script: str  # the default call script (Chinese: the agents' language), placeholders as in the settings
    params: tuple[Param, ...] = ()
    cooldown_exempt: bool = False  # by default, called even if the customer was reached lately
    wording: Wording = Wording()

    # Among the slowest rules on a big database (~0.25 s each on a million transactions): a build starts these
    # first, so its two rule threads end together (they finish last when started last).
    starts_first: bool = False

    def param(self, name: str) -> Param | None:
        """The number called `name` (None: the rule takes no such number)."""
        return next((param for param in self.params if param.name == name), None)


def words(zh: str, en: str) -> Localized:
    """Words in both languages, as a catalogue parameter takes them."""
    return {"zh_CN": zh, "en": en}  # a plain dict: it may travel in a pickled error


RULE_ENTRIES: Final[tuple[RuleEntry, ...]] = (
    RuleEntry(
        "failed_payment",
        base=80,
        due_hours=24,
        names=words("支付失败", "Failed payment"),
        script="您好，{name}，我是钱包客服{agent}。看到您{time}有一笔{amount}的支付没有成功（{remark}），"
        "想了解一下是否需要帮您处理？",
        params=(
            Param(
                "recovery_hours",
                24,
                0,
                720,
                "hours",
                words("多少小时内支付成功则不回访", "not if paid within (hours)"),
            ),
        ),
        cooldown_exempt=True,
    ),
    RuleEntry(
        "complaint_recheck",
        base=75,
        due_hours=0,
        names=words("投诉复查", "Complaint recheck"),
        script="您好，{name}，我是钱包客服{agent}。前两天您反映的问题，想跟您确认一下现在是否已经解决，"
        "还有什么需要我们帮忙的吗？",
        params=(Param("after_days", 2, 0, 60, "days", words("多少天后", "after (days)")),),
        cooldown_exempt=True,
        wording=Wording(amount=False, since=words("投诉于", "complaint")),
    ),
    RuleEntry(
        "callback",
        base=70,
        due_hours=0,
        names=words("约定回电", "Callback"),
        script="您好，{name}，我是钱包客服{agent}。按您约定的时间给您回电，请问现在方便吗？",
        cooldown_exempt=True,
        wording=Wording(amount=False, at_time=True),
    ),
    RuleEntry(
        "refund",
        base=60,
        due_hours=72,
        names=words("退款", "Refund"),
        script="您好，{name}，我是钱包客服{agent}。您{time}有一笔{amount}的退款，想确认一下款项是否已经到账，"
        "处理结果您是否满意？",
    ),
    RuleEntry(
        "large_amount",
        base=50,
        due_hours=72,
        names=words("大额交易", "Large amount"),
        script="您好，{name}，我是钱包客服{agent}。您{time}有一笔{amount}的大额交易，为了您的资金安全，"
        "想和您确认一下是否为本人操作？",
        params=(Param("min_amount_fen", 500_000, 1, 10**11, "fen", words("起始金额（元）", "from amount (¥)")),),
    ),
    RuleEntry(
        "new_customer",
        base=40,
        due_hours=72,
        names=words("新客户", "New customer"),
        script="您好，{name}，欢迎使用我们的钱包！我是客服{agent}。想了解一下您用得怎么样，有没有遇到不方便的地方？",
        params=(Param("new_days", 7, 1, 365, "days", words("首笔交易在多少天内", "first transaction within (days)")),),
        wording=Wording(since=words("首笔交易", "first transaction")),
        starts_first=True,
    ),
    RuleEntry(
        "dormant",
        base=30,
        due_hours=168,
        names=words("沉睡客户", "Dormant customer"),
        script="您好，{name}，我是钱包客服{agent}。有一段时间没见您使用了，想问问是不是遇到了什么问题？"
        "最近我们也有一些新的优惠活动。",
        params=(
            Param("min_transactions", 3, 1, 10_000, "count", words("交易笔数至少", "at least transactions")),
            Param("quiet_days", 60, 1, 3650, "days", words("无交易天数", "quiet for (days)")),
        ),
        wording=Wording(amount=False, since=words("最近交易", "last transaction")),
        starts_first=True,
    ),
    RuleEntry(
        "survey",
        base=10,
        due_hours=168,
        names=words("满意度回访", "Satisfaction survey"),
        script="您好，{name}，我是钱包客服{agent}。想占用您一分钟：您对我们的服务满意吗？1 到 5 分您打几分？"
        "您有多大可能把我们推荐给朋友（0 到 10 分）？",
        params=(
            Param("percent", 5, 0, 100, "percent", words("抽样比例（%）", "sample (%)")),
            Param("recent_days", 7, 1, 365, "days", words("多少天内有交易", "transacted within (days)")),
            Param("repeat_days", 90, 0, 3650, "days", words("多少天内未调查", "not surveyed for (days)")),
        ),
        wording=Wording(amount=False, since=words("最近交易", "last payment")),
        starts_first=True,
    ),
)

RULES_BY_CODE: Final[Mapping[str, RuleEntry]] = MappingProxyType({entry.code: entry for entry in RULE_ENTRIES})


def rule_entry(code: str) -> RuleEntry:
    return RULES_BY_CODE[code]
