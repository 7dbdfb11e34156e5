"""How money, phones and times are shown to people; plain functions shared by the GUI and exports."""

from __future__ import annotations

import datetime as dt
import re


def format_fen(fen: int) -> str:
    """`128000` → `¥1,280.00`; integer arithmetic only, so no float ever rounds a fen away."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}¥{yuan:,}.{cents:02d}"


def mask_phone(phone: str | None) -> str:
    """`+8613812348000` → `138****8000`: enough to recognise a number, not enough to dial it."""
    if not phone:
        return ""
    digits = phone[3:] if phone.startswith("+86") else phone.lstrip("+")
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


# A mainland mobile (138 1234 8000, +86-138-1234-8000) or an international number written with its +.
_PHONE_IN_TEXT = re.compile(
    r"(?<![\d+])(?:(?:\+|00)?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?!\d)|(?<![\d+])\+(\d{6,14})(\d{4})(?!\d)"
)


def mask_phones_in_text(text: str | None) -> str | None:
    """Free text (a note, a remark) with each phone number in it masked like `mask_phone` does.

    Agents type numbers into notes (请回拨13811110001); a masked export must not carry them.
    Long ids (order numbers) are left alone: a number must stand on its own to count.
    """
    if not text:
        return text

    def mask(match: re.Match[str]) -> str:
        if match.group(1):
            return f"{match.group(1)}****{match.group(3)}"
        return "+" + "*" * len(match.group(4)) + match.group(5)

    return _PHONE_IN_TEXT.sub(mask, text)


def format_time(value: dt.datetime | str | None) -> str:
    """A stored timestamp as `2026-11-03 14:05`, the form people read in exports and tables."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value[:16]
    return value.strftime("%Y-%m-%d %H:%M")
