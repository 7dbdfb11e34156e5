"""Time zones as exports write them: IANA names, UTC offsets, and the abbreviations PayPal and banks print.

Times are stored as the operator's local wall-clock time (a setting, Asia/Shanghai by default), so a
time written in another zone is converted on the way in. An abbreviation that means several zones
is read as the one the exports that print it mean (CST: US Central, as PayPal writes it).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo

DEFAULT_ZONE = "Asia/Shanghai"
_HOURS = {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0, "WET": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9,
    "AKDT": -8, "HST": -10, "JST": 9, "KST": 9, "HKT": 8, "SGT": 8, "AWST": 8, "AEST": 10, "AEDT": 11,
    "NZST": 12, "NZDT": 13, "北京时间": 8,
}  # fmt: skip
_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


@functools.lru_cache(maxsize=256)
def zone_for(text: str) -> dt.tzinfo | None:
    """The zone `text` names (`Asia/Shanghai`, `UTC+8`, `+08:00`, `PDT`), None when it names none."""
    cleaned = text.strip()
    if not cleaned:
        return None
    upper = cleaned.upper()
    if upper in _HOURS:
        return dt.timezone(dt.timedelta(hours=_HOURS[upper]))
    if cleaned in _HOURS:
        return dt.timezone(dt.timedelta(hours=_HOURS[cleaned]))
    match = _OFFSET.match(cleaned)
    if match:
        sign, hours, minutes = match.groups()
        delta = dt.timedelta(hours=int(hours), minutes=int(minutes or 0))
        if delta > dt.timedelta(hours=14):
            return None
        return dt.timezone(-delta if sign == "-" else delta)
    if "/" in cleaned:
        try:
            return zoneinfo.ZoneInfo(cleaned)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None
    return None


def operator_zone(name: str | None) -> dt.tzinfo:
    """The operator's zone from the setting; the default when the setting names no zone we know."""
    return (zone_for(name) if name else None) or zoneinfo.ZoneInfo(DEFAULT_ZONE)


def to_local(value: dt.datetime, source: dt.tzinfo, local: dt.tzinfo) -> dt.datetime:
    """A naive time written in `source`, as the naive wall-clock time in `local`."""
    return value.replace(tzinfo=source).astimezone(local).replace(tzinfo=None)
