"""Cell values in the forms real exports hold them, to what we store (or the reason we can't)."""

from __future__ import annotations

import datetime as dt
import random

import phonenumbers
import pytest

from wallet_crm.imports.format import normalise_header
from wallet_crm.imports.formats import generic_format
from wallet_crm.imports.layout import make_layout, resolve_columns
from wallet_crm.imports.values import (
    AmbiguousDate,
    BadValue,
    Cell,
    clean,
    parse_amount,
    parse_amount_fen,
    parse_clock,
    parse_datetime,
    parse_phone,
    parse_time,
    parse_txn_id,
)
from wallet_crm.imports.words import WordBook


def detect_mapping(headers: list[str]) -> dict[str, int]:
    return resolve_columns(generic_format().columns, headers)


def generic_words(field: str) -> WordBook:
    return WordBook([generic_format().words[field]])


@pytest.mark.parametrize(
    ("cell", "fen"),
    [
        (12.5, 1250),
        (1234, 123400),
        (0.3, 30),
        (0.1 + 0.2, 30),  # a formula cell: Excel keeps 15 significant digits
        (-88.0, -8800),
        ("¥1,234.50", 123450),
        ("￥1,234.5", 123450),
        ("1234.50元", 123450),
        ("-88.00", -8800),
        ("+5", 500),
        (" 12.30 ", 1230),
        ("(12.00)", -1200),
        ("12.300", 1230),
        ("RMB 99", 9900),
    ],
)
def test_amounts_become_integer_fen(cell: Cell, fen: int) -> None:
    result = parse_amount_fen(cell)
    assert result == fen and type(result) is int


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("12.345", "more than 2 decimals for CNY"),
        (12.345, "more than 2 decimals for CNY"),
        ("abc", "not an amount of money"),
        ("12.5.1", "not an amount of money"),
        ("", "missing"),
        (None, "missing"),
        (True, "not an amount of money"),
        (float("nan"), "not an amount of money"),
        ("1e20", "amount too large"),
    ],
)
def test_what_is_not_money_is_refused(cell: Cell, reason: str) -> None:
    with pytest.raises(BadValue, match=reason):
        parse_amount_fen(cell)


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        (dt.datetime(2026, 11, 3, 14, 5, 9), "2026-11-03 14:05:09"),
        (dt.datetime(2026, 11, 3, 14, 5, 8, 999_998), "2026-11-03 14:05:09"),  # Excel's fraction of a day
        (dt.date(2026, 11, 3), "2026-11-03 00:00:00"),  # calamine gives a date at midnight
        ("2026-11-03 14:05:09", "2026-11-03 14:05:09"),
        ("2026/11/3 14:05", "2026-11-03 14:05:00"),
        ("2026年11月3日 14:05", "2026-11-03 14:05:00"),
        ("2026年11月3日 14时05分09秒", "2026-11-03 14:05:09"),
        ("2026-11-03T14:05:09", "2026-11-03 14:05:09"),
        ("2026.11.03", "2026-11-03 00:00:00"),
        ("20261103140509", "2026-11-03 14:05:09"),
        ("2026-11-03 14:05:09\t", "2026-11-03 14:05:09"),
        (46329.5, "2026-11-03 12:00:00"),  # an Excel serial in a cell without a date format
    ],
)
def test_times_in_common_forms(cell: Cell, stored: str) -> None:
    assert parse_time(cell) == stored


@pytest.mark.parametrize("cell", ["yesterday", "2026-13-01", "2026-02-30 10:00", "03/11/2026", 12.0, "", None])
def test_what_is_not_a_time_is_refused(cell: Cell) -> None:
    with pytest.raises(BadValue):
        parse_time(cell)


@pytest.mark.parametrize(
    "cell",
    [
        13812345678.0,
        13812345678,
        "13812345678",
        "+86 138 1234 5678",
        "138-1234-5678",
        "+86-13812345678",
        "'13812345678",
    ],
)
def test_phones_become_e164(cell: Cell) -> None:
    assert parse_phone(cell) == "+8613812345678"


def test_a_landline_is_a_phone_too() -> None:
    assert parse_phone("010-6552 9988") == "+861065529988"


@pytest.mark.parametrize("cell", ["12345", "138****5678", "phone", 1.5, "10000000000"])
def test_what_is_not_a_phone_is_refused(cell: Cell) -> None:
    with pytest.raises(BadValue, match="not a phone number"):
        parse_phone(cell)


def test_the_mobile_fast_path_agrees_with_phonenumbers() -> None:
    """Mainland mobiles skip `phonenumbers.parse`; the verdict must be the one it would give."""
    rng = random.Random(4)
    for _ in range(3000):
        national = "1" + "".join(rng.choice("0123456789") for _ in range(10))
        try:
            number = phonenumbers.parse(national, "CN")
        except phonenumbers.NumberParseException:
            number = None
        expected = (
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            if number is not None and phonenumbers.is_valid_number(number)
            else None
        )
        try:
            got: str | None = parse_phone(national)
        except BadValue:
            got = None
        assert got == expected, national


@pytest.mark.parametrize(
    ("cell", "stored"),
    [("T001\t", "T001"), ("'T001", "T001"), ("  T001  ", "T001"), (2026110300001.0, "2026110300001"), (42, "42")],
)
def test_ids_lose_tabs_apostrophes_and_float_tails(cell: Cell, stored: str) -> None:
    assert parse_txn_id(cell) == stored


def test_an_id_saved_as_a_huge_number_is_refused() -> None:
    with pytest.raises(BadValue, match="lost digits"):
        parse_txn_id(1.2345678901234567e24)


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("成功", "success"),
        ("支付成功", "success"),
        ("交易成功", "success"),
        ("SUCCESS", "success"),
        ("失败", "failed"),
        ("支付失败", "failed"),
        ("failed", "failed"),
        ("处理中", "pending"),
        ("待支付", "pending"),
        ("pending", "pending"),
        ("已退款", "refunded"),
        ("退款成功", "refunded"),
        ("refunded", "refunded"),
        ("交易关闭", "closed"),
        ("closed", "closed"),
    ],
)
def test_status_words(word: str, code: str) -> None:
    assert generic_words("status").code(word) == code


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("消费", "payment"),
        ("支付", "payment"),
        ("付款", "payment"),
        ("payment", "payment"),
        ("转账", "transfer"),
        ("transfer", "transfer"),
        ("充值", "top_up"),
        ("top_up", "top_up"),
        ("提现", "withdrawal"),
        ("withdrawal", "withdrawal"),
        ("退款", "refund"),
        ("refund", "refund"),
    ],
)
def test_type_words(word: str, code: str) -> None:
    assert generic_words("txn_type").code(word) == code


def test_an_unknown_word_has_no_code_and_a_format_word_wins_over_the_generic_one() -> None:
    assert generic_words("status").code("挂起") is None
    book = WordBook([{"已退款*": "refunded", "成功": "failed"}, generic_format().words["status"]])
    assert book.code(" `已退款(￥5.00)") == "refunded"  # a prefix word, after cleaning
    assert book.code("成功") == "failed"
    assert book.code("SUCCESS") == "success"


def test_a_header_that_says_whose_value_it_is_is_read_without_that_word() -> None:
    """`客户手机` is the customer's 手机, `Customer Email` the customer's email; a header as written wins."""
    assert detect_mapping(["交易单号", "交易时间", "客户手机", "会员邮箱", "金额", "状态"]) == {
        "txn_id": 0,
        "occurred_at": 1,
        "phone": 2,
        "email": 3,
        "amount": 4,
        "status": 5,
    }
    english = detect_mapping(["Transaction ID", "Date", "Customer Phone", "Client Email", "Amount", "Status"])
    assert (english["phone"], english["email"]) == (2, 3)
    as_written = detect_mapping(["交易单号", "时间", "客户手机", "手机号", "金额", "状态"])
    assert as_written["phone"] == 3  # the exact header first; the prefixed one is left for nothing else
    assert "phone" not in detect_mapping(["交易单号", "时间", "客户备注", "金额", "状态"])


def test_header_synonyms_in_chinese_and_english() -> None:
    chinese = ["交易单号", "创建时间", "客户姓名", "手机号", "金额", "状态", "类型", "用户ID", "渠道", "商户", "说明"]
    english = ["Transaction ID", "Date", "Name", "Phone", "Amount", "Status", "Type", "Account ID", "Channel"]
    assert detect_mapping(chinese) == {
        "txn_id": 0,
        "occurred_at": 1,
        "name": 2,
        "phone": 3,
        "amount": 4,
        "status": 5,
        "txn_type": 6,
        "customer_id": 7,
        "channel": 8,
        "merchant": 9,
        "remark": 10,
    }
    assert make_layout(generic_format(), 0, english).missing() == []
    assert normalise_header(" 交易金额（元）：") == normalise_header("交易金额")


def test_a_field_named_twice_goes_to_its_best_name() -> None:
    """流水号 and 交易流水号 both mean the id; 交易流水号 is the stronger name wherever it stands."""
    assert detect_mapping(["流水号", "时间", "交易流水号"])["txn_id"] == 2


@pytest.mark.parametrize(
    ("cell", "mark", "minor"),
    [
        ("1.234,50", None, 123450),
        ("1 234,50", None, 123450),
        ("¥1 234,50", None, 123450),  # was once read as ¥123,450.00
        ("1,234,567.89", None, 123456789),
        ("12,34", ",", 1234),  # the format says the comma is the decimal mark
        ("1.234", ",", 123400),
        ("`-12.00\t", None, -1200),
        ("\u200b12.00", None, 1200),
        ("100.00-", None, -10000),
    ],
)
def test_decimal_commas_and_marks_read_right(cell: str, mark: str | None, minor: int) -> None:
    assert parse_amount(cell, 2, mark).minor == minor


@pytest.mark.parametrize("cell", ["12,34", "1,5", "0,99"])
def test_an_ambiguous_decimal_comma_is_refused_never_misread(cell: str) -> None:
    with pytest.raises(BadValue) as refused:
        parse_amount(cell)
    assert refused.value.code == "ambiguous_decimal_comma"


def test_a_note_beside_the_amount_is_kept_and_minor_units_follow_the_currency() -> None:
    assert parse_amount("131.77(已退款89.84)") == (13177, "已退款89.84")
    assert parse_amount("1,234", 0, currency="JPY").minor == 1234
    with pytest.raises(BadValue, match="more than 0 decimals for JPY"):
        parse_amount("12.5", 0, currency="JPY")
    assert parse_amount("1.234", 3, currency="KWD").minor == 1234


@pytest.mark.parametrize(
    ("cell", "order", "stored"),
    [
        ("13/11/2026", None, dt.datetime(2026, 11, 13)),  # a first part over 12 decides: day-first
        ("11/13/2026 2:05 PM", None, dt.datetime(2026, 11, 13, 14, 5)),
        ("03/11/2026", "dmy", dt.datetime(2026, 11, 3)),
        ("03/11/2026", "mdy", dt.datetime(2026, 3, 11)),
        ("Jan 15, 2024", None, dt.datetime(2024, 1, 15)),
        ("`2026-11-03 14:05:09", None, dt.datetime(2026, 11, 3, 14, 5, 9)),
    ],
)
def test_day_first_and_month_first_dates(cell: str, order: str | None, stored: dt.datetime) -> None:
    assert parse_datetime(cell, order) == stored


def test_an_undecided_date_says_so_and_a_date_with_its_zone_keeps_it() -> None:
    with pytest.raises(AmbiguousDate):
        parse_datetime("03/11/2026")
    assert parse_datetime("2024-01-15T10:23:45Z") == dt.datetime(2024, 1, 15, 10, 23, 45, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("cell", "clock"),
    [("14:05:09", dt.time(14, 5, 9)), (0.5, dt.time(12)), ("2:05 PM", dt.time(14, 5)), (dt.time(8, 1), dt.time(8, 1))],
)
def test_a_time_of_day_from_its_own_column(cell: Cell, clock: dt.time) -> None:
    assert parse_clock(cell) == clock


def test_cleaning_strips_backticks_apostrophes_tabs_and_zero_width_characters() -> None:
    assert clean("`2026110300001\t") == "2026110300001"
    assert clean("\u200b\ufeff 'abc \u3000") == "abc"
    assert clean(12.5) == 12.5
