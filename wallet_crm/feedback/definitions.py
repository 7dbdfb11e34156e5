"""What each figure is called and how it is defined, in Chinese and English.

The Feedback page shows the definition as the tile's tooltip and the report workbook prints it beside
the figure, so a manager reads the same sentence wherever the number appears.
"""

from __future__ import annotations

from collections.abc import Mapping

from wallet_crm.followup.vocabulary import check_language

# key -> (name, definition)
_FIGURES: Mapping[str, Mapping[str, tuple[str, str]]] = {
    "zh_CN": {
        "attempts": ("联系次数", "期间内记录的联系（拨打或消息）次数。"),
        "tasks_worked": ("处理任务数", "期间内至少联系过一次的任务数。"),
        "contact_rate": ("接通率", "期间内至少接通一次的任务 ÷ 处理任务数。"),
        "resolution_rate": ("解决率", "期间内以“已接通，已解决”结束的任务 ÷ 处理任务数。"),
        "csat_pct": ("满意度 (CSAT)", "满意度打 4 或 5 分的回答 ÷ 全部满意度回答（1–5 分）。"),
        "csat_avg": ("平均满意度", "满意度回答（1–5 分）的平均值。"),
        "nps": ("净推荐值 (NPS)", "推荐意愿 9–10 分的回答占比 − 0–6 分的回答占比（−100 到 100）。"),
        "win_back_rate": (
            "支付失败挽回率",
            "支付失败任务中，客户在首次接通后 7 天内又有成功交易的 ÷ 期间内首次接通的支付失败任务。",
        ),
        "complaints": ("投诉", "反馈类别为“投诉”的联系次数。"),
        "open": ("待处理任务", "现在仍待处理的任务（全团队）。"),
        "overdue": ("已逾期", "现在待处理且已过应完成时间的任务（全团队）。"),
        "unassigned": ("未分配", "现在待处理且没有分配给坐席的任务（全团队）。"),
        "closed_unreachable": ("联系不上而关闭", "期间内因多次联系不上而关闭的任务。"),
        "do_not_contact": ("勿扰客户", "现在标记为勿扰、不再回访的客户。"),
        "agents": ("坐席", "每位坐席期间内的联系次数、接通次数、解决次数、满意度和每个任务的平均联系次数。"),
        "trend": ("每周趋势", "按周（周一至周日）统计的联系次数、接通率、满意度、NPS 和投诉数。"),
        "topics": ("反馈主题", "期间内各主题被提到的次数，以及其中的投诉次数，按次数从多到少。"),
        "categories": ("反馈类别", "期间内各反馈类别（表扬、投诉、建议、咨询）的次数。"),
    },
    "en": {
        "attempts": ("Attempts", "Contact attempts (calls or messages) logged in the period."),
        "tasks_worked": ("Tasks worked", "Tasks with at least one attempt in the period."),
        "contact_rate": ("Contact rate", "Tasks worked that were reached at least once in the period ÷ tasks worked."),
        "resolution_rate": ("Resolution rate", "Tasks done as “reached, resolved” in the period ÷ tasks worked."),
        "csat_pct": ("CSAT", "Satisfaction answers of 4 or 5 ÷ all satisfaction answers (1–5)."),
        "csat_avg": ("Average satisfaction", "The mean satisfaction answer (1–5)."),
        "nps": ("NPS", "% of recommendation answers 9–10 minus % of answers 0–6 (−100 to 100)."),
        "win_back_rate": (
            "Win-back rate",
            "Failed-payment tasks whose customer made a successful transaction within 7 days after the first "
            "reached attempt ÷ failed-payment tasks first reached in the period.",
        ),
        "complaints": ("Complaints", "Attempts whose feedback category is complaint."),
        "open": ("Open tasks", "Tasks open now (whole team)."),
        "overdue": ("Overdue", "Open tasks past their due time now (whole team)."),
        "unassigned": ("Unassigned", "Open tasks not assigned to an agent now (whole team)."),
        "closed_unreachable": (
            "Closed unreachable",
            "Tasks closed in the period because the customer was never reached.",
        ),
        "do_not_contact": ("Do not contact", "Customers marked do-not-contact now; never queued again."),
        "agents": ("Agents", "Per agent in the period: attempts, reached, resolved, CSAT and attempts per task."),
        "trend": ("Weekly trend", "Per week (Monday to Sunday): attempts, contact rate, CSAT, NPS and complaints."),
        "topics": ("Topics", "Mentions of each topic in the period, with the complaints among them, most first."),
        "categories": ("Categories", "Attempts per feedback category (praise, complaint, suggestion, question)."),
    },
}

PERCENT_KEYS = frozenset({"contact_rate", "resolution_rate", "csat_pct", "win_back_rate"})


def figure_name(key: str, language: str = "zh_CN") -> str:
    return _FIGURES[check_language(language)][key][0]


def figure_definition(key: str, language: str = "zh_CN") -> str:
    return _FIGURES[check_language(language)][key][1]


def format_figure(key: str, value: float | int | None) -> str:
    """`—` for a ratio with nothing to divide by; percentages with one decimal; counts with thousands."""
    if value is None:
        return "—"
    if key in PERCENT_KEYS:
        return f"{value:.1f}%"
    if key == "nps":
        return f"{value:+.1f}" if value else "0.0"
    if key == "csat_avg":
        return f"{value:.2f}"
    return f"{int(value):,}"
