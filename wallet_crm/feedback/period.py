"""The date range a report covers, its presets, the previous period of the same length, and its weeks.

A period is whole days, both ends included, as people say them ("1 to 30 November"); queries use the
half-open times `[start 00:00, day after end 00:00)` so a call at 23:59:59 on the last day counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

PRESETS = ("today", "this_week", "this_month", "last_30_days")
DEFAULT_PRESET = "last_30_days"


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"a period ends on or after its start ({self.start} – {self.end})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """`[start 00:00, end + 1 day 00:00)` for queries."""
        return dt.datetime.combine(self.start, dt.time()), dt.datetime.combine(
            self.end + dt.timedelta(days=1), dt.time()
        )

    def previous(self) -> Period:
        """The same number of days just before this one."""
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end)

    def weeks(self) -> Iterator[Period]:
        """Monday-to-Sunday weeks, the first and last cut to the period."""
        start = self.start
        while start <= self.end:
            sunday = start + dt.timedelta(days=6 - start.weekday())
            yield Period(start, min(sunday, self.end))
            start = sunday + dt.timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"


def preset_period(name: str, today: dt.date) -> Period:
    """今天, 本周 (Monday to today), 本月 (the 1st to today), 近 30 天 (today and the 29 days before)."""
    if name == "today":
        return Period(today, today)
    if name == "this_week":
        return Period(today - dt.timedelta(days=today.weekday()), today)
    if name == "this_month":
        return Period(today.replace(day=1), today)
    if name == "last_30_days":
        return Period(today - dt.timedelta(days=29), today)
    raise ValueError(f"unknown period {name!r}; use one of {', '.join(PRESETS)}")
