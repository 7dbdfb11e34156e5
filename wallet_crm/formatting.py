"""How money, phones and times are shown to people; plain functions shared by the GUI and exports."""

from __future__ import annotations

import datetime as dt


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


def format_time(value: dt.datetime | str | None) -> str:
    """A stored timestamp as `2026-11-03 14:05`, the form people read in exports and tables."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value[:16]
    return value.strftime("%Y-%m-%d %H:%M")
