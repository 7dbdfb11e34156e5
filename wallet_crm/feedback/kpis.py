"""The feedback figures (KPIs), one entry each: what it is called and how it is defined in both languages, its
unit and decimals, which way is good, and which contact attempts stand behind it (the drill-down).

Adding a figure is one entry here plus the SQL that counts it (`figures.py`); the Feedback page's tile and its
change colour, the report workbook, the command line's report and the list of attempts behind a figure all
read the entry. The tables of the report (agents, weekly trend, topics, categories) have names and
definitions too (`SECTIONS`), but no single value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

WIN_BACK: Final = "win_back"  # the attempts behind the win-back rate are found by their own query


@dataclass(frozen=True)
class Kpi:
    key: str
    unit: str  # "count", "percent", "points" (NPS, -100 to 100) or "average"
    name: Mapping[str, str]  # language -> name
    definition: Mapping[str, str]  # language -> one sentence
    decimals: int = 0
    better: int = 0  # 1: higher is better, -1: lower is better, 0: neither (the colour of a change)
    # The condition on attempt `a` ({p}: the database's parameter mark) that picks the attempts behind the figure:
    # "" every attempt in scope, WIN_BACK its own query, None no attempts stand behind it (a count of tasks now).
    drill: str | None = None
    drill_params: tuple[object, ...] = ()

    def format(self, value: float | int | None) -> str:
        """`—` for a ratio with nothing to divide by; percentages with one decimal; counts with thousands."""
        if value is None:
            return "—"
        if self.unit == "percent":
            return f"{value:.{self.decimals}f}%"
        if self.unit == "points":
            return f"{value:+.{self.decimals}f}" if value else f"{0:.{self.decimals}f}"
        if self.unit == "average":
            return f"{value:.{self.decimals}f}"
        return f"{int(value):,}"

    def change(self, delta: float | int) -> str:
        """The size of a change from the previous period, as the figure is written (without its sign)."""
        if self.unit == "count":
            return f"{abs(int(delta)):,}"
        return f"{abs(delta):.{self.decimals}f}"


KPIS: Final[dict[str, Kpi]] = {
    kpi.key: kpi
    for kpi in (
        Kpi(
            "attempts",
            unit="count",
            drill="",
            name={"zh_CN": "联系次数", "en": "Attempts"},
            definition={
                "zh_CN": "期间内记录的联系（拨打或消息）次数。",
                "en": "Contact attempts (calls or messages) logged in the period.",
            },
        ),
        Kpi(
            "tasks_worked",
            unit="count",
            drill="",
            name={"zh_CN": "处理任务数", "en": "Tasks worked"},
            definition={
                "zh_CN": "期间内至少联系过一次的任务数。",
                "en": "Tasks with at least one attempt in the period.",
            },
        ),
        Kpi(
            "contact_rate",
            unit="percent",
            decimals=1,
            better=1,
            drill="a.reached = {p}",
            drill_params=(True,),
            name={"zh_CN": "接通率", "en": "Contact rate"},
            definition={
                "zh_CN": "期间内至少接通一次的任务 ÷ 处理任务数。",
                "en": "Tasks worked that were reached at least once in the period ÷ tasks worked.",
            },
        ),
        Kpi(
            "resolution_rate",
            unit="percent",
            decimals=1,
            better=1,
            drill="a.disposition = {p}",
            drill_params=("reached_resolved",),
            name={"zh_CN": "解决率", "en": "Resolution rate"},
            definition={
                "zh_CN": "期间内以“已接通，已解决”结束的任务 ÷ 处理任务数。",
                "en": "Tasks done as “reached, resolved” in the period ÷ tasks worked.",
            },
        ),
        Kpi(
            "csat_pct",
            unit="percent",
            decimals=1,
            better=1,
            drill="a.csat IS NOT NULL",
            name={"zh_CN": "满意度 (CSAT)", "en": "CSAT"},
            definition={
                "zh_CN": "满意度打 4 或 5 分的回答 ÷ 全部满意度回答（1–5 分）。",
                "en": "Satisfaction answers of 4 or 5 ÷ all satisfaction answers (1–5).",
            },
        ),
        Kpi(
            "csat_avg",
            unit="average",
            decimals=2,
            better=1,
            drill="a.csat IS NOT NULL",
            name={"zh_CN": "平均满意度", "en": "Average satisfaction"},
            definition={
                "zh_CN": "满意度回答（1–5 分）的平均值。",
                "en": "The mean satisfaction answer (1–5).",
            },
        ),
        Kpi(
            "nps",
            unit="points",
            decimals=1,
            better=1,
            drill="a.nps IS NOT NULL",
            name={"zh_CN": "净推荐值 (NPS)", "en": "NPS"},
            definition={
                "zh_CN": "推荐意愿 9–10 分的回答占比 − 0–6 分的回答占比（−100 到 100）。",
                "en": "% of recommendation answers 9–10 minus % of answers 0–6 (−100 to 100).",
            },
        ),
        Kpi(
            "win_back_rate",
            unit="percent",
            decimals=1,
            better=1,
            drill=WIN_BACK,
            name={"zh_CN": "支付失败挽回率", "en": "Win-back rate"},
            definition={
                "zh_CN": "支付失败任务中，客户在首次接通后 7 天内又有成功交易的 ÷ 期间内首次接通的支付失败任务。",
                "en": "Failed-payment tasks whose customer made a successful transaction within 7 days after the first "
                "reached attempt ÷ failed-payment tasks first reached in the period.",
            },
        ),
        Kpi(
            "complaints",
            unit="count",
            better=-1,
            drill="a.category = {p}",
            drill_params=("complaint",),
            name={"zh_CN": "投诉", "en": "Complaints"},
            definition={
                "zh_CN": "反馈类别为“投诉”的联系次数。",
                "en": "Attempts whose feedback category is complaint.",
            },
        ),
        Kpi(
            "open",
            unit="count",
            name={"zh_CN": "待处理任务", "en": "Open tasks"},
            definition={
                "zh_CN": "现在仍待处理的任务（全团队）。",
                "en": "Tasks open now (whole team).",
            },
        ),
        Kpi(
            "overdue",
            unit="count",
            better=-1,
            name={"zh_CN": "已逾期", "en": "Overdue"},
            definition={
                "zh_CN": "现在待处理且已过应完成时间的任务（全团队）。",
                "en": "Open tasks past their due time now (whole team).",
            },
        ),
        Kpi(
            "unassigned",
            unit="count",
            name={"zh_CN": "未分配", "en": "Unassigned"},
            definition={
                "zh_CN": "现在待处理且没有分配给坐席的任务（全团队）。",
                "en": "Open tasks not assigned to an agent now (whole team).",
            },
        ),
        Kpi(
            "closed_unreachable",
            unit="count",
            better=-1,
            name={"zh_CN": "联系不上而关闭", "en": "Closed unreachable"},
            definition={
                "zh_CN": "期间内因多次联系不上而关闭的任务。",
                "en": "Tasks closed in the period because the customer was never reached.",
            },
        ),
        Kpi(
            "do_not_contact",
            unit="count",
            name={"zh_CN": "勿扰客户", "en": "Do not contact"},
            definition={
                "zh_CN": "现在标记为勿扰、不再回访的客户。",
                "en": "Customers marked do-not-contact now; never queued again.",
            },
        ),
    )
}

# The report's tables: language -> (name, definition).
SECTIONS: Final[dict[str, dict[str, tuple[str, str]]]] = {
    "agents": {
        "zh_CN": ("坐席", "每位坐席期间内的联系次数、接通次数、解决次数、满意度和每个任务的平均联系次数。"),
        "en": ("Agents", "Per agent in the period: attempts, reached, resolved, CSAT and attempts per task."),
    },
    "trend": {
        "zh_CN": ("每周趋势", "按周（周一至周日）统计的联系次数、接通率、满意度、NPS 和投诉数。"),
        "en": ("Weekly trend", "Per week (Monday to Sunday): attempts, contact rate, CSAT, NPS and complaints."),
    },
    "topics": {
        "zh_CN": ("反馈主题", "期间内各主题被提到的次数，以及其中的投诉次数，按次数从多到少。"),
        "en": ("Topics", "Mentions of each topic in the period, with the complaints among them, most first."),
    },
    "categories": {
        "zh_CN": ("反馈类别", "期间内各反馈类别（表扬、投诉、建议、咨询）的次数。"),
        "en": ("Categories", "Attempts per feedback category (praise, complaint, suggestion, question)."),
    },
}
