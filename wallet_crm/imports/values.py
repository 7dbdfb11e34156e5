"""Turn one cell of a real export into the value we store, or say with a reason code why it can't be used.

Cells arrive as calamine gives them (str, float, int, datetime, date, '' for empty) or as CSV text.
Every text is cleaned first: padding, tabs, zero-width characters and a leading backtick or
apostrophe (WeChat and Alipay bills prefix numbers with them so Excel keeps them as text) go.
Money becomes integer minor units through `Decimal` (never a float); phones become E.164 via
`phonenumbers` (CN by default); times become naive datetimes to the second.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

import phonenumbers
from phonenumbers.phonemetadata import PhoneMetadata

from wallet_crm.imports.reasons import reason_text
from wallet_crm.stored_time import db_time

Cell = str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None

MAX_EXACT_FLOAT = 2**53  # above this a number cell has lost digits
MAX_AMOUNT_MAJOR = 10**13  # ten trillion of any currency: anything bigger is not a wallet transaction
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# Excel serial day numbers we accept as dates in a time column: 2000-01-01 to 2099-12-31.
SERIAL_RANGE = (36526.0, 73051.0)


class BadValue(ValueError):
    """The cell can't be used: `code` says why (see `reasons.py`), `params` fill its sentence."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(reason_text(code, params))
        self.code = code
        self.params = params


class AmbiguousDate(BadValue):
    """A date like 03/04/2026 whose order the column has not decided yet."""


_EDGES = " \t\r\n\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff\u202f"
_QUOTES = ("`", "'")
TEXT_EDGES = _EDGES  # what `clean` strips from both ends


def clean(value: Cell) -> Cell:
    """A cell without padding, zero-width characters and a leading backtick or apostrophe; other types as they are."""
    if value.__class__ is not str:
        return value
    text = value.strip(_EDGES)
    if text[:1] in _QUOTES:
        text = text[1:].strip(_EDGES)
    return text


def is_blank(value: Cell) -> bool:
    if value.__class__ is not str:
        return value is None
    text = value.strip(_EDGES)  # clean() inlined: this runs several times a cell
    return not text or (text[0] in _QUOTES and not text[1:].strip(_EDGES))


_NOTHING = frozenset({"", "/", "-", "--", "—", "无", "null", "none", "n/a"})
NOTHING_TEXTS = _NOTHING  # what `is_nothing` takes for an empty cell, lower-cased


def is_nothing(text: str) -> bool:
    """A cleaned text that stands for an empty cell (`/`, `-`, `无`), as personal bills write "no account"."""
    return text.lower() in _NOTHING


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
    """Free text (name, channel, merchant, remark): cleaned, None when empty."""
    if value is None or value == "":
        return None
    text = clean(value) if isinstance(value, str) else display(value).strip()
    return str(text) or None


def parse_txn_id(value: Cell) -> str:
    """An id as the source printed it: padding, tabs and a leading backtick or apostrophe removed."""
    if isinstance(value, str):
        text = str(clean(value))
        if not text:
            raise BadValue("missing")
        return text
    if isinstance(value, bool):
        raise BadValue("not_id")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise BadValue("id_decimals")
        if abs(value) >= MAX_EXACT_FLOAT:
            raise BadValue("id_lost_digits")
        return str(int(value))
    if value is None:
        raise BadValue("missing")
    raise BadValue("not_id")


# --- money ----------------------------------------------------------------------------------------


class Amount(NamedTuple):
    minor: int  # signed, in the currency's minor units
    note: str | None  # text beside the number, e.g. 已退款89.84 in `131.77(已退款89.84)`


_MONEY_NOISE = re.compile(r"[¥￥$€£]|元|rmb|cny|usd|hk\$|us\$", re.IGNORECASE)
_NOTE = re.compile(r"^([^()（）]*\d[^()（）]*?)\s*[(（]([^()（）]*\D[^()（）]*)[)）]\s*$")
_GROUPING_SPACES = re.compile(r"(?<=\d)[\s\u00a0\u202f']+(?=\d)")
_NUMBER = re.compile(r"^([+-]?)(\d[\d.,]*)(-?)$")
_COMMA_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_DOT_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+$")


def parse_amount(value: Cell, exponent: int = 2, decimal_mark: str | None = None, currency: str = "CNY") -> Amount:
    """Signed minor units from a number cell or text like `¥1,234.50`, `1.234,50`, `1 234,50`, `(12.00)`,
    `131.77(已退款89.84)`; more decimals than the currency has, and an ambiguous `12,34`, are refused."""
    if isinstance(value, bool):
        raise BadValue("not_amount")
    note = None
    if isinstance(value, int):
        minor = value * 10**exponent
    elif isinstance(value, float):
        minor = _float_to_minor(value, exponent, currency)
    elif isinstance(value, str):
        minor, note = _text_to_minor(value, exponent, decimal_mark, currency)
    elif value is None:
        raise BadValue("missing")
    else:
        raise BadValue("not_amount")
    if abs(minor) >= MAX_AMOUNT_MAJOR * 10**exponent:
        raise BadValue("amount_too_large")
    return Amount(minor, note)


def parse_amount_fen(value: Cell) -> int:
    """Signed fen (CNY) from a cell; see `parse_amount`."""
    return parse_amount(value).minor


def _float_to_minor(value: float, exponent: int, currency: str) -> int:
    """A number cell through its decimal text, never float arithmetic: `repr` is the shortest text that
    reads back as the same float; when that has too many decimals, the 15 significant digits Excel
    itself keeps decide (0.1+0.2 in a formula cell is 0.3 there)."""
    if value != value or value in (float("inf"), float("-inf")):
        raise BadValue("not_amount")
    text = repr(value)
    whole, _dot, part = text.partition(".")
    if "e" not in text and len(part) <= exponent:  # the common case, exact from the digits, no Decimal
        return int(whole + part.ljust(exponent, "0")) if part != "0" else int(whole) * 10**exponent
    try:
        return _decimal_to_minor(Decimal(repr(value)), exponent, currency)
    except BadValue:
        return _decimal_to_minor(Decimal(f"{value:.15g}"), exponent, currency)


def _decimal_to_minor(amount: Decimal, exponent: int, currency: str) -> int:
    places = amount.as_tuple().exponent
    if not isinstance(places, int):
        raise BadValue("not_amount")
    step = Decimal(1).scaleb(-exponent)
    if places < -exponent and amount != amount.quantize(step):
        raise BadValue("too_many_decimals", decimals=exponent, currency=currency)
    return int(amount.scaleb(exponent).to_integral_value())


def _text_to_minor(text: str, exponent: int, decimal_mark: str | None, currency: str) -> tuple[int, str | None]:
    cleaned = str(clean(text))
    note = None
    match = _NOTE.match(cleaned)
    if match:
        cleaned, note = match.group(1).strip(), match.group(2).strip()
    cleaned = _MONEY_NOISE.sub("", cleaned).strip()
    if not cleaned:
        raise BadValue("missing")
    negative = False
    if cleaned.startswith(("(", "（")) and cleaned.endswith((")", "）")):
        negative, cleaned = True, cleaned[1:-1].strip()
    spaced = _GROUPING_SPACES.search(cleaned) is not None
    cleaned = _GROUPING_SPACES.sub("", cleaned).replace(" ", "")
    number = _NUMBER.match(cleaned)
    if number is None:
        if "e" in cleaned.lower():
            try:  # a number Excel wrote in scientific notation as text
                return _decimal_to_minor(Decimal(cleaned), exponent, currency), note
            except InvalidOperation:
                pass
        raise BadValue("not_amount")
    sign, digits, trailing_minus = number.groups()
    negative = negative or sign == "-" or trailing_minus == "-"
    plain = _plain_number(digits, decimal_mark, spaced)
    minor = _decimal_to_minor(Decimal(plain), exponent, currency)
    return (-minor if negative else minor), note


def _plain_number(digits: str, decimal_mark: str | None, spaced: bool) -> str:
    """`1.234,50` -> `1234.50`: which mark is the decimal one, from the marks present (or the format's)."""
    comma, dot = "," in digits, "." in digits
    if comma and dot:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        group = "." if decimal == "," else ","
        whole, _, part = digits.rpartition(decimal)
        if whole.count(decimal) or not _is_grouped(whole, group):
            raise BadValue("not_amount")
        return whole.replace(group, "") + "." + part
    if comma:
        if decimal_mark == ",":
            return _single_decimal(digits, ",")
        if _COMMA_GROUPED.match(digits) and decimal_mark != "," and not spaced:
            return digits.replace(",", "")
        if decimal_mark == ".":
            raise BadValue("not_amount")
        if digits.count(",") == 1 and spaced:
            return digits.replace(",", ".")  # 1 234,50: spaces group, so the comma is the decimal mark
        if digits.count(",") == 1:
            raise BadValue("ambiguous_decimal_comma")
        raise BadValue("not_amount")
    if dot and decimal_mark == ",":
        if _DOT_GROUPED.match(digits):
            return digits.replace(".", "")
        raise BadValue("not_amount")
    if dot and digits.count(".") > 1:
        raise BadValue("not_amount")
    return digits


def _single_decimal(digits: str, mark: str) -> str:
    whole, _, part = digits.rpartition(mark)
    if not whole or mark in whole:
        raise BadValue("not_amount")
    return whole + "." + part


def _is_grouped(whole: str, group: str) -> bool:
    pattern = _COMMA_GROUPED if group == "," else _DOT_GROUPED
    return group not in whole or pattern.match(whole) is not None


# --- times ----------------------------------------------------------------------------------------

_YEAR_FIRST = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?\s*分?"
    r"\s*(Z|[+-]\d{2}:?\d{2}|UTC)?)?",
    re.IGNORECASE,
)
_PART_FIRST = re.compile(
    r"(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4}|\d{2})"
    r"(?:[\sT,]*(\d{1,2})\s*:\s*(\d{1,2})(?:\s*:\s*(\d{1,2})(?:\.\d+)?)?\s*([ap]\.?m\.?)?)?",
    re.IGNORECASE,
)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:\s*(\d{2}):?(\d{2}):?(\d{2}))?")
_CLOCK = re.compile(
    r"(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?\s*([ap]\.?m\.?)?", re.I
)
_NAMED_MONTH_FORMATS = ("%b %d, %Y %H:%M:%S", "%b %d, %Y %H:%M", "%b %d, %Y", "%d %b %Y %H:%M:%S", "%d %b %Y %H:%M",
                        "%d %b %Y", "%d-%b-%Y", "%d-%b-%Y %H:%M:%S")  # fmt: skip


def parse_datetime(value: Cell, order: str | None = None) -> dt.datetime:
    """A time to the second from an Excel date cell, an Excel serial or text; `order` ("dmy"/"mdy") decides
    dates like 03/04/2026, and without it such a date raises `AmbiguousDate` unless a part is over 12.
    Naive, unless the text names its zone (`Z`, `+08:00`): the caller converts that to local time."""
    if isinstance(value, dt.datetime):
        if value.microsecond == 0 and value.tzinfo is None:
            return value
        return _round_to_second(value)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, str):
        return _text_to_datetime(value, order)
    if isinstance(value, float | int) and not isinstance(value, bool):
        if SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
            return _round_to_second(EXCEL_EPOCH + dt.timedelta(days=float(value)))
        raise BadValue("not_date")
    if value is None:
        raise BadValue("missing")
    raise BadValue("not_date")


def parse_time(value: Cell, order: str | None = None) -> str:
    """`parse_datetime` as stored text, `YYYY-MM-DD HH:MM:SS`."""
    return db_time(parse_datetime(value, order))


def parse_clock(value: Cell) -> dt.time:
    """A time of day from its own column: a time cell, a fraction of a day, or text like 14:05:09 or 2:05 PM."""
    if isinstance(value, dt.time):
        return value.replace(microsecond=0, tzinfo=None)
    if isinstance(value, dt.timedelta):
        seconds = round(value.total_seconds())
        if 0 <= seconds < 86400:
            return (dt.datetime.min + dt.timedelta(seconds=seconds)).time()
        raise BadValue("not_time")
    if isinstance(value, dt.datetime):
        return _round_to_second(value).time()
    if isinstance(value, float) and 0 <= value < 1:
        return (dt.datetime.min + dt.timedelta(seconds=round(value * 86400) % 86400)).time()
    if isinstance(value, str):
        match = _CLOCK.fullmatch(str(clean(value)))
        if match is None:
            raise BadValue("missing") if not clean(value) else BadValue("not_time")
        hour, minute, second = (int(part or 0) for part in match.groups()[:3])
        hour = _twelve_hour(hour, match.group(4))
        try:
            return dt.time(hour, minute, second)
        except ValueError as exc:
            raise BadValue("not_time") from exc
    if value is None or value == "":
        raise BadValue("missing")
    raise BadValue("not_time")


def _twelve_hour(hour: int, suffix: str | None) -> int:
    if not suffix:
        return hour
    pm = suffix.lower().startswith("p")
    if not 1 <= hour <= 12:
        raise BadValue("not_time")
    return hour % 12 + (12 if pm else 0)


def _round_to_second(value: dt.datetime) -> dt.datetime:
    """Excel stores times as fractions of a day: 14:05:09 may come back as 14:05:08.999998."""
    if value.microsecond >= 500_000:
        value += dt.timedelta(seconds=1)
    return value.replace(microsecond=0, tzinfo=None)


def _text_to_datetime(text: str, order: str | None) -> dt.datetime:
    stripped = str(clean(text))
    if not stripped:
        raise BadValue("missing")
    if len(stripped) == 19 and stripped[4] == "-" and stripped[10] == " ":
        try:  # the usual form, fast
            return dt.datetime.fromisoformat(stripped)
        except ValueError:
            pass
    match = _YEAR_FIRST.fullmatch(stripped) or _COMPACT.fullmatch(stripped)
    if match is not None:
        parts = [int(part) if part else 0 for part in match.groups()[:6]]
        when = _build(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5])
        offset = match.groups()[6] if len(match.groups()) > 6 else None
        return when.replace(tzinfo=_offset_zone(offset)) if offset else when
    match = _PART_FIRST.fullmatch(stripped)
    if match is not None:
        return _part_first(match, order)
    for form in _NAMED_MONTH_FORMATS:
        try:
            return dt.datetime.strptime(stripped, form)
        except ValueError:
            continue
    raise BadValue("not_date")


def _offset_zone(text: str) -> dt.tzinfo:
    """`Z`, `UTC`, `+0800` or `+08:00` written after a time: the time is in that zone (converted later)."""
    if text.upper() in ("Z", "UTC"):
        return dt.UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _part_first(match: re.Match[str], order: str | None) -> dt.datetime:
    first, second, year_text = int(match.group(1)), int(match.group(2)), match.group(3)
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    hour, minute, second_of_minute = (int(part or 0) for part in match.groups()[3:6])
    hour = _twelve_hour(hour, match.group(7))
    if order is None:
        if first > 12 >= second:
            order = "dmy"
        elif second > 12 >= first:
            order = "mdy"
        elif first == second:
            order = "dmy"  # 03/03: either way the same day
        else:
            raise AmbiguousDate("not_date")
    day, month = (first, second) if order == "dmy" else (second, first)
    return _build(year, month, day, hour, minute, second_of_minute)


def _build(year: int, month: int, day: int, hour: int, minute: int, second: int) -> dt.datetime:
    try:
        return dt.datetime(year, month, day, hour, minute, second)
    except ValueError as exc:
        raise BadValue("not_date") from exc


def date_order_hint(value: Cell) -> str | None:
    """ "dmy" or "mdy" when this cell is a d/m date that decides the column's order, "?" when it is one that
    doesn't, None when it is no such date (ISO dates, date cells)."""
    if not isinstance(value, str):
        return None
    match = _PART_FIRST.fullmatch(str(clean(value)))
    if match is None:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if first > 12 >= second:
        return "dmy"
    if second > 12 >= first:
        return "mdy"
    return "?"


# --- phones ---------------------------------------------------------------------------------------


def _cn_mobile_pattern() -> re.Pattern[str]:
    metadata = PhoneMetadata.metadata_for_region("CN")
    assert metadata is not None and metadata.mobile is not None and metadata.mobile.national_number_pattern
    return re.compile(metadata.mobile.national_number_pattern)


_CN_MOBILE = _cn_mobile_pattern()
_PHONE_SEPARATORS = re.compile(r"[\s\-]")
_MASKED_PHONE = re.compile(r"(?:\+?86)?\d{0,4}\*{2,}\d{2,4}")
_MASKED = re.compile(r"\*{2,}|＊{2,}")


def is_masked_phone(value: Cell) -> bool:
    """`138****8000`, as our own exports (and many back offices) write a number they hide."""
    return isinstance(value, str) and _MASKED_PHONE.fullmatch(str(clean(value))) is not None


def is_masked(text: str) -> bool:
    """A value with a run of asterisks (`139******11`, `ab***@163.com`): it names nobody for certain."""
    return _MASKED.search(text) is not None


def phone_text(value: Cell) -> str:
    """A phone cell as text, a number cell without its `.0`; what is kept when the number is not valid."""
    if isinstance(value, float) and value.is_integer() and value > 0:
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = str(clean(value)) if isinstance(value, str) else display(value)
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]  # a number cell saved to CSV by a tool that kept the float
    return text


def parse_phone(value: Cell, region: str = "CN") -> str:
    """E.164 (`+8613812345678`) from `13812345678`, 13812345678.0, `+86 138-1234-5678` and the like.

    A mainland mobile number is checked against phonenumbers' own CN mobile pattern directly (what
    `is_valid_number` would do, at a fraction of the cost); anything else goes through `phonenumbers.parse`.
    """
    if isinstance(value, float) and (not value.is_integer() or value <= 0):
        raise BadValue("not_phone")
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise BadValue("not_phone")
    text = phone_text(value)
    if not text:
        raise BadValue("missing")
    if is_masked_phone(text):
        raise BadValue("masked_phone")
    if region == "CN":
        digits = _PHONE_SEPARATORS.sub("", text)
        if digits.startswith("+86"):
            digits = digits[3:]
        if len(digits) == 11 and digits.isdigit() and _CN_MOBILE.fullmatch(digits):
            return "+86" + digits
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise BadValue("not_phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise BadValue("not_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
