"""Weekly slots (weekday × daytime/evening, or a weekend day) and the meeting dates they give.

Dates skip Norwegian public holidays (the `holidays` package): a weekly group whose day falls on a
holiday does not meet that week, and the facilitator's first N meetings are the first N real ones.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from functools import lru_cache
from typing import Final

import holidays

DAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_SLOTS: Final = tuple(f"{d}_{p}" for d in DAYS[:5] for p in ("daytime", "evening"))
WEEKEND_SLOTS: Final = ("sat_daytime", "sun_daytime")
ALL_SLOTS: Final = WEEKDAY_SLOTS + WEEKEND_SLOTS


def time_category(slot: str) -> str:
    """The preference a slot satisfies: weekday_daytime, weekday_evening or weekend."""
    day, part = slot.split("_")
    if day in ("sat", "sun"):
        return "weekend"
    return f"weekday_{part}"


def slots_in(category: str) -> tuple[str, ...]:
    return tuple(s for s in ALL_SLOTS if time_category(s) == category)


@lru_cache(maxsize=16)
def _norway(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NO", years=[year - 1, year, year + 1])


def is_holiday(day: date) -> bool:
    return day in _norway(day.year)


Closed = tuple[tuple[str, str], ...]  # yearly ("MM-DD", "MM-DD") periods, inclusive


def in_closed_period(day: date, closed: Closed) -> bool:
    """The centre's own weeks without meetings (Christmas week, summer); may wrap over New Year."""
    md = day.strftime("%m-%d")
    for start, end in closed:
        if (start <= md <= end) if start <= end else (md >= start or md <= end):
            return True
    return False


def meeting_dates(slot: str, earliest: date, count: int, closed: Closed = ()) -> list[date]:
    """The first `count` dates on the slot's weekday, on or after `earliest`, that are neither
    public holidays nor in one of the centre's closed periods."""
    weekday = DAYS.index(slot.split("_")[0])
    day = earliest + timedelta(days=(weekday - earliest.weekday()) % 7)
    found: list[date] = []
    while len(found) < count:
        if not is_holiday(day) and not in_closed_period(day, closed):
            found.append(day)
        day += timedelta(days=7)
    return found


def start_time(slot: str, daytime: time, evening: time, weekend: time) -> time:
    category = time_category(slot)
    return {"weekday_daytime": daytime, "weekday_evening": evening, "weekend": weekend}[category]
