"""Why a cell can't be used, or what the import noticed about it: a code, its parameters, and its words.

Parsers raise `BadValue(code, **params)`; the CLI's JSON carries the English sentence and the code,
and the wizard shows the sentence in the interface language. One table here holds both languages,
so a new reason is one entry.
"""

from __future__ import annotations

from collections.abc import Mapping

REASONS: dict[str, dict[str, str]] = {
    "missing": {"en": "missing", "zh_CN": "缺失"},
    "not_id": {"en": "not an id", "zh_CN": "不是编号"},
    "id_decimals": {"en": "not an id (a number with decimals)", "zh_CN": "不是编号（带小数的数字）"},
    "id_lost_digits": {
        "en": "the id was saved as a number and lost digits; format the column as text",
        "zh_CN": "编号被存成数字而丢失了位数；请把该列设为文本格式",
    },
    "not_amount": {"en": "not an amount of money", "zh_CN": "不是金额"},
    "amount_too_large": {"en": "amount too large", "zh_CN": "金额过大"},
    "too_many_decimals": {
        "en": "more than {decimals} decimals for {currency}",
        "zh_CN": "{currency} 金额的小数超过 {decimals} 位",
    },
    "ambiguous_decimal_comma": {
        "en": "ambiguous: the comma may be a decimal mark or a thousands separator; write 12.34 or 1,234",
        "zh_CN": "有歧义：逗号可能是小数点也可能是千位分隔符；请写成 12.34 或 1,234",
    },
    "not_date": {"en": "not a date", "zh_CN": "不是日期"},
    "not_time": {"en": "not a time of day", "zh_CN": "不是时刻"},
    "not_phone": {"en": "not a phone number", "zh_CN": "不是电话号码"},
    "masked_phone": {
        "en": "not a phone number: masked like 138****8000 (export full numbers, or include the customer id)",
        "zh_CN": "号码被遮掩（如 138****8000）：请导出完整号码，或带上客户编号",
    },
    "unknown_currency": {"en": "unknown currency", "zh_CN": "未知币种"},
    "unknown_timezone": {"en": "unknown time zone", "zh_CN": "未知时区"},
    "no_customer": {
        "en": "the row names no customer (no customer id, phone, user id, email or counterparty)",
        "zh_CN": "该行没有客户信息（无客户编号、手机、用户标识、邮箱或交易对方）",
    },
    # Warnings: the row goes in, the user should know.
    "phone_not_callable": {
        "en": "not a valid phone number: kept as written, not called",
        "zh_CN": "不是有效的电话号码：按原样保存，不会拨打",
    },
    "amount_implausible": {
        "en": "amount above the plausibility limit of {limit}",
        "zh_CN": "金额超过合理上限 {limit}",
    },
    "date_order_assumed": {
        "en": "dates like {example} can be day-first or month-first; read as {order}",
        "zh_CN": "{example} 这样的日期可能是日在前也可能是月在前；已按{order}读取",
    },
}
ORDER_WORDS = {
    "mdy": {
        "en": "month-first (if wrong, choose day-first, or --date-order dmy)",
        "zh_CN": "月在前（如不对，请选“日在前”）",
    },
    "dmy": {
        "en": "day-first (if wrong, choose month-first, or --date-order mdy)",
        "zh_CN": "日在前（如不对，请选“月在前”）",
    },
}


def reason_text(code: str, params: Mapping[str, object] | None = None, language: str = "en") -> str:
    """The sentence for `code` in `language` (English when the language has none; the code when unknown)."""
    texts = REASONS.get(code)
    if texts is None:
        return code
    template = texts.get(language) or texts["en"]
    values = dict(params or {})
    if code == "date_order_assumed" and isinstance(values.get("order"), str):
        order = ORDER_WORDS.get(str(values["order"]), {})
        values["order"] = order.get(language) or order.get("en", values["order"])
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template
