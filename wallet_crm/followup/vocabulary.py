"""The codes the follow-up queue speaks in, and their labels in Chinese and English.

Codes are what the database, the CLI and the reports store; labels are what people read. The GUI
may show these labels directly (they are the same words the explanation and the scripts use).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from wallet_crm.followup.registry import RULE_ENTRIES, RULES_BY_CODE
from wallet_crm.messages import LANGUAGES, listed

# The rules' codes, strongest first (their base scores, followup/registry.py).
REASONS = tuple(entry.code for entry in RULE_ENTRIES)

TASK_STATUSES = ("open", "done", "unreachable", "wrong_number", "cancelled", "obsolete")
CLOSED_STATUSES = tuple(status for status in TASK_STATUSES if status != "open")

# Disposition -> was the customer reached? (feeds the cooldown and the contact-rate report)
DISPOSITIONS: Mapping[str, bool] = {
    "reached_resolved": True,
    "reached_followup": True,
    "no_answer": False,
    "busy": False,
    "voicemail": False,
    "unreachable": False,
    "wrong_number": False,
    "do_not_contact": True,
}
RETRY_DISPOSITIONS = ("no_answer", "busy", "voicemail", "unreachable")

CHANNELS = ("phone", "sms", "email", "in_app", "wechat")
CATEGORIES = ("praise", "complaint", "suggestion", "question")

# Every other code's words (a reason's are its rule's names, in the registry).
_LABELS: Mapping[str, Mapping[str, str]] = {
    "zh_CN": {
        "open": "待处理",
        "done": "已完成",
        "unreachable": "联系不上",
        "wrong_number": "空号/错号",
        "cancelled": "已取消",
        "obsolete": "已失效",
        "reached_resolved": "已接通，已解决",
        "reached_followup": "已接通，需跟进",
        "no_answer": "无人接听",
        "busy": "占线",
        "voicemail": "语音信箱",
        "do_not_contact": "要求勿扰",
        "phone": "电话",
        "sms": "短信",
        "email": "邮件",
        "in_app": "站内信",
        "wechat": "微信",
        "praise": "表扬",
        "complaint": "投诉",
        "suggestion": "建议",
        "question": "咨询",
        "payment": "支付",
        "transfer": "转账",
        "top_up": "充值",
        "withdrawal": "提现",
        "success": "成功",
        "failed": "失败",
        "pending": "处理中",
        "refunded": "已退款",
        "closed": "已关闭",
    },
    "en": {
        "open": "Open",
        "done": "Done",
        "unreachable": "Unreachable",
        "wrong_number": "Wrong number",
        "cancelled": "Cancelled",
        "obsolete": "No longer applies",
        "reached_resolved": "Reached, resolved",
        "reached_followup": "Reached, needs follow-up",
        "no_answer": "No answer",
        "busy": "Busy",
        "voicemail": "Voicemail",
        "do_not_contact": "Do not contact",
        "phone": "Phone",
        "sms": "SMS",
        "email": "Email",
        "in_app": "In-app message",
        "wechat": "WeChat",
        "praise": "Praise",
        "complaint": "Complaint",
        "suggestion": "Suggestion",
        "question": "Question",
        "payment": "Payment",
        "transfer": "Transfer",
        "top_up": "Top-up",
        "withdrawal": "Withdrawal",
        "success": "Succeeded",
        "failed": "Failed",
        "pending": "Pending",
        "refunded": "Refunded",
        "closed": "Closed",
    },
}
# `unreachable` is both a disposition (关机/停机) and a task status; the disposition reads differently.
_DISPOSITION_LABELS = {"zh_CN": {"unreachable": "关机/停机"}, "en": {"unreachable": "Switched off / suspended"}}


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    return language


def label(code: str, language: str = "zh_CN") -> str:
    """The human word for a reason, status, channel, category or transaction code (the code itself if unknown)."""
    rule = RULES_BY_CODE.get(code)
    if rule is not None:
        return rule.names[check_language(language)]
    return _LABELS[check_language(language)].get(code, code)


def join_labels(words: Iterable[str], language: str = "zh_CN") -> str:
    """A list as each language writes one: 失败支付、新客户 in Chinese, "Failed payment, New customer" in English."""
    return listed(words)[check_language(language)]


def disposition_label(code: str, language: str = "zh_CN") -> str:
    return _DISPOSITION_LABELS[check_language(language)].get(code) or label(code, language)


def in_both(code: str, words: Callable[[str, str], str] = label) -> dict[str, str]:
    """A code as a refusal names it (a catalogue parameter): as written in English, what the command line
    takes, and its label in Chinese."""
    return {"en": code, "zh_CN": words(code, "zh_CN")}
