"""Calling hours: when a customer may be called, and the first such moment at or after a time."""

from __future__ import annotations

import datetime as dt

from wallet_crm.followup.settings import ContactPolicy


def in_calling_hours(moment: dt.datetime, policy: ContactPolicy) -> bool:
    """Start inclusive, end exclusive: with 09:00-21:00, 21:00 itself is too late."""
    return policy.calling_start <= moment.time() < policy.calling_end


def next_calling_time(moment: dt.datetime, policy: ContactPolicy) -> dt.datetime:
    """`moment` itself inside calling hours, else the next start of calling hours."""
    if in_calling_hours(moment, policy):
        return moment
    day = moment.date() if moment.time() < policy.calling_start else moment.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, policy.calling_start)


def end_of_calling_day(day: dt.date, policy: ContactPolicy) -> dt.datetime:
    """The last moment of calling on `day` (for reasons due "on that day")."""
    return dt.datetime.combine(day, policy.calling_end)
