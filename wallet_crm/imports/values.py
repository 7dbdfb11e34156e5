"""Turn one cell of a real export into the value we store, or say in a few words why it can't be used.

Cells arrive as calamine gives them (str, float, int, datetime, date, '' for empty) or as CSV text.
Money becomes integer fen through `Decimal` on the way (never a float); phones become E.164 via
`phonenumbers` (CN by default); times become naive local `YYYY-MM-DD HH:MM:SS` text.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

import phonenumbers
from phonenumbers.phonemetadata import PhoneMetadata

from wallet_crm.db.bulk import db_time

Cell = str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None

MAX_EXACT_FLOAT = 2**53  # above this a number cell has lost digits
MAX_AMOUNT_FEN = 10**15  # ten trillion yuan: anything bigger is not a wallet transaction
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# Excel serial day numbers we accept as dates in a time column: 2000-01-01 to 2099-12-31.
SERIAL_RANGE = (36526.0, 73051.0)


class BadValue(ValueError):
    """The cell can't be used; `args[0]` is the reason, short and meant for the user."""


def is_blank(value: Cell) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def display(value: Cell) -> str:
    """A cell as the user sees it in an error list (a float that is a whole number loses its `.0`)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < MAX_EXACT_FLOAT:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return db_time(value)
    return str(value)


def clean_text(value: Cell) -> str | None:
    """Free text (name, channel, merchant, remark): trimmed, None when empty."""
    if value is None or value == "":
        return None
    text = display(value).strip().strip("\t").strip()
    return text or None


_ID_STRIP = " \t\r\n\u00a0\u3000"


def parse_txn_id(value: Cell) -> str:
    """An id as the source printed it: trailing tabs, spaces and a leading apostrophe removed."""
    if isinstance(value, str):
        text = value.strip(_ID_STRIP)
        if text.startswith("'"):
            text = text[1:].strip(_ID_STRIP)
        if not text:
            raise BadValue("missing")
        return text
    if isinstance(value, bool):
        raise BadValue("not an id")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise BadValue("not an id (a number with decimals)")
        if abs(value) >= MAX_EXACT_FLOAT:
            raise BadValue("the id was saved as a number and lost digits; format the column as text")
        return str(int(value))
    if value is None:
        raise BadValue("missing")
    raise BadValue("not an id")


_MONEY_NOISE = re.compile(r"[\s,，¥￥$]|元|rmb|cny", re.IGNORECASE)
_MONEY = re.compile(r"([+-]?)(\d+)(?:\.(\d*))?")


def parse_amount_fen(value: Cell) -> int:
    """Integer fen from a number cell or text like `¥1,234.50`, `1234.50元`, `-88.00`; 3+ decimals are refused."""
    if isinstance(value, bool):
        raise BadValue("not an amount of money")
    if isinstance(value, int):
        fen = value * 100
    elif isinstance(value, float):
        fen = _float_to_fen(value)
    elif isinstance(value, str):
        fen = _text_to_fen(value)
    elif value is None:
        raise BadValue("missing")
    else:
        raise BadValue("not an amount of money")
    if abs(fen) >= MAX_AMOUNT_FEN:
        raise BadValue("amount too large")
    return fen


def _float_to_fen(value: float) -> int:
    """A number cell through its decimal text, never float arithmetic.

    `repr` is the shortest text that reads back as the same float; if that has more than 2 decimals,
    the 15 significant digits Excel itself keeps decide (0.1+0.2 in a formula cell is 0.3 there).
    """
    if value != value or value in (float("inf"), float("-inf")):
        raise BadValue("not an amount of money")
    text = repr(value)
    whole, _, decimals = text.partition(".")
    if len(decimals) <= 2 and "e" not in text:
        fen = abs(int(whole)) * 100 + int((decimals + "00")[:2])
        return -fen if text.startswith("-") else fen
    try:
        return _decimal_to_fen(Decimal(text))
    except BadValue:
        return _decimal_to_fen(Decimal(f"{value:.15g}"))


def _decimal_to_fen(amount: Decimal) -> int:
    exponent = amount.as_tuple().exponent
    if not isinstance(exponent, int):
        raise BadValue("not an amount of money")
    if exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        raise BadValue("more than 2 decimals")
    return int(amount.scaleb(2).to_integral_value())


def _text_to_fen(text: str) -> int:
    cleaned = _MONEY_NOISE.sub("", text)
    if not cleaned:
        raise BadValue("missing")
    negative_brackets = cleaned.startswith("(") and cleaned.endswith(")")
    if negative_brackets:
        cleaned = "-" + cleaned[1:-1]
    match = _MONEY.fullmatch(cleaned)
    if match is None:
        if "e" in cleaned.lower():
            try:  # a number Excel wrote in scientific notation as text
                return _decimal_to_fen(Decimal(cleaned))
            except InvalidOperation:
                pass
        raise BadValue("not an amount of money")
    sign, whole, decimals = match.groups()
    decimals = (decimals or "").rstrip("0") if len(decimals or "") > 2 else (decimals or "")
    if len(decimals) > 2:
        raise BadValue("more than 2 decimals")
    fen = int(whole) * 100 + int((decimals + "00")[:2])
    return -fen if sign == "-" else fen


_DATE_TEXT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?\s*分?)?"
)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:\s*(\d{2}):?(\d{2}):?(\d{2}))?")


def parse_time(value: Cell) -> str:
    """A local time to the second, as stored: from an Excel date cell, an Excel serial or common text forms."""
    if isinstance(value, dt.datetime):
        if value.microsecond == 0 and value.tzinfo is None:
            return value.isoformat(" ")  # same text as db_time, 4x faster
        return db_time(_round_to_second(value))
    if isinstance(value, dt.date):
        return db_time(dt.datetime.combine(value, dt.time()))
    if isinstance(value, str):
        return _text_to_time(value)
    if isinstance(value, float | int) and not isinstance(value, bool):
        if SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
            return db_time(_round_to_second(EXCEL_EPOCH + dt.timedelta(days=float(value))))
        raise BadValue("not a date")
    if value is None:
        raise BadValue("missing")
    raise BadValue("not a date")


def _round_to_second(value: dt.datetime) -> dt.datetime:
    """Excel stores times as fractions of a day: 14:05:09 may come back as 14:05:08.999998."""
    if value.microsecond >= 500_000:
        value += dt.timedelta(seconds=1)
    return value.replace(microsecond=0, tzinfo=None)


def _text_to_time(text: str) -> str:
    stripped = text.strip(_ID_STRIP)
    if not stripped:
        raise BadValue("missing")
    if len(stripped) == 19 and stripped[4] == "-" and stripped[10] == " ":
        try:  # the usual form, fast
            return db_time(dt.datetime.fromisoformat(stripped))
        except ValueError:
            pass
    match = _DATE_TEXT.fullmatch(stripped) or _COMPACT.fullmatch(stripped)
    if match is None:
        raise BadValue("not a date")
    parts = [int(part) if part else 0 for part in match.groups()]
    try:
        return db_time(dt.datetime(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]))
    except ValueError as exc:
        raise BadValue("not a date") from exc


def _cn_mobile_pattern() -> re.Pattern[str]:
    metadata = PhoneMetadata.metadata_for_region("CN")
    assert metadata is not None and metadata.mobile is not None and metadata.mobile.national_number_pattern
    return re.compile(metadata.mobile.national_number_pattern)


_CN_MOBILE = _cn_mobile_pattern()
_PHONE_SEPARATORS = re.compile(r"[\s\-]")
_MASKED_PHONE = re.compile(r"(?:\+?86)?\d{0,4}\*{2,}\d{2,4}")


def is_masked_phone(value: Cell) -> bool:
    """`138****8000`, as our own exports (and many back offices) write a number they hide."""
    return isinstance(value, str) and _MASKED_PHONE.fullmatch(value.strip()) is not None


def parse_phone(value: Cell, region: str = "CN") -> str:
    """E.164 (`+8613812345678`) from `13812345678`, 13812345678.0, `+86 138-1234-5678` and the like.

    A mainland mobile number is checked against phonenumbers' own CN mobile pattern directly (what
    `is_valid_number` would do, at a fraction of the cost); anything else goes through `phonenumbers.parse`.
    """
    if isinstance(value, float):
        if not value.is_integer() or value <= 0:
            raise BadValue("not a phone number")
        text = str(int(value))
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip(_ID_STRIP).lstrip("'")
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]  # a number cell saved to CSV by a tool that kept the float
    else:
        raise BadValue("not a phone number")
    if not text:
        raise BadValue("missing")
    if is_masked_phone(text):
        raise BadValue("not a phone number: masked like 138****8000 (export full numbers, or include the customer id)")
    if region == "CN":
        digits = _PHONE_SEPARATORS.sub("", text)
        if digits.startswith("+86"):
            digits = digits[3:]
        if len(digits) == 11 and digits.isdigit() and _CN_MOBILE.fullmatch(digits):
            return "+86" + digits
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise BadValue("not a phone number") from exc
    if not phonenumbers.is_valid_number(number):
        raise BadValue("not a phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _words(mapping: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {word.lower(): code for code, words in mapping.items() for word in (code, *words)}


STATUS_WORDS = _words(
    {
        "success": ("成功", "支付成功", "交易成功", "已成功", "已完成", "完成", "已支付", "succeeded", "paid"),
        "failed": ("失败", "支付失败", "交易失败", "fail", "failure", "declined"),
        "pending": ("处理中", "待支付", "等待付款", "待处理", "进行中", "processing", "in progress"),
        "refunded": ("已退款", "退款成功", "已全额退款", "全额退款", "refund"),
        "closed": ("交易关闭", "已关闭", "关闭", "已取消", "cancelled", "canceled", "close"),
    }
)
TYPE_WORDS = _words(
    {
        "payment": ("消费", "支付", "付款", "商户消费", "扫码支付", "扫码付款", "pay", "purchase"),
        "transfer": ("转账", "转帐", "转账付款", "transfer out", "transfer in"),
        "top_up": ("充值", "零钱充值", "余额充值", "topup", "top-up", "top up", "recharge", "deposit"),
        "withdrawal": ("提现", "零钱提现", "余额提现", "withdraw", "cash out"),
        "refund": ("退款", "退款入账", "refund in"),
    }
)


def parse_word(value: Cell, words: dict[str, str], what: str) -> str:
    """A status or type code from its Chinese or English word; an unknown word is named in the reason."""
    if not isinstance(value, str):
        if value is None:
            raise BadValue("missing")
        value = display(value)
    text = value.strip(_ID_STRIP).lower()
    if not text:
        raise BadValue("missing")
    code = words.get(text)
    if code is None:
        raise BadValue(f"unknown {what}")
    return code
