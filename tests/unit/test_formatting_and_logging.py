"""Money and phone display, and keeping phone numbers out of the log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from wallet_crm.formatting import format_fen, format_time, mask_phone, mask_phones_in_text
from wallet_crm.logging_setup import redact, setup_logging


def test_format_fen_is_exact() -> None:
    assert format_fen(128000) == "¥1,280.00"
    assert format_fen(-8800) == "-¥88.00"
    assert format_fen(5) == "¥0.05"
    assert format_fen(123456789012345) == "¥1,234,567,890,123.45"


def test_mask_phone_keeps_prefix_and_last_four() -> None:
    assert mask_phone("+8613812348000") == "138****8000"
    assert mask_phone(None) == ""
    assert mask_phone("+85291234567") == "852****4567"


def test_format_time_drops_seconds() -> None:
    assert format_time("2026-11-03 14:05:09") == "2026-11-03 14:05"


def test_redact_masks_phones_but_not_times_or_small_ids() -> None:
    text = "call 13812345678 / +8613812345678 / 138 1234 5678 at 2026-11-23 09:04:31, batch 42"
    out = redact(text)
    assert "1381234" not in out and "138 1234" not in out
    assert "2026-11-23 09:04:31" in out and "batch 42" in out


def test_log_file_holds_no_phone_numbers(tmp_path: Path) -> None:
    path = setup_logging(folder=tmp_path)
    try:
        raise ValueError("bad phone 13812345678 in row 7")
    except ValueError:
        logging.getLogger("wallet_crm.test").exception("import failed for +8613912345678")
    for handler in logging.getLogger().handlers:
        handler.flush()
    content = path.read_text(encoding="utf-8")
    assert "import failed" in content and "row 7" in content
    assert "13812345678" not in content and "13912345678" not in content


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("请回拨13811110001", "请回拨138****0001"),
        ("call +86 138 1111 0001 or +14155550123", "call 138****0001 or +*******0123"),
        ("138-1111-0001 晚上", "138****0001 晚上"),
        ("订单4200002101202611031234567801", "订单4200002101202611031234567801"),  # an id, not a phone
        ("退款 12.50 元", "退款 12.50 元"),
        ("", ""),
        (None, None),
    ],
)
def test_phone_numbers_typed_into_free_text_are_masked(text: str | None, masked: str | None) -> None:
    assert mask_phones_in_text(text) == masked
