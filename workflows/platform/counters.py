"""Anonymous monthly counters per municipality (or "digital" / "centre"): every transition that a
report counts increments one, in the same transaction; the reports read these and nothing else.

A month is the centre's local month (issue 18): report periods are local dates, so an inquiry at
00:30 on 1 January (23:30 UTC on 31 December) belongs to the new year. A count made at a moment
(an inquiry, a placement, a start) goes to the local month of that moment; a count made for a
day (a meeting) to that day's month, never to a month before the one it is counted in, so no
count lands in a month whose report may already be frozen.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

# A step reads the clock when it starts and commits up to its timeout later (60 s, infra/); a
# period's counters are final once this long has passed after its last local midnight.
SETTLE: Final = timedelta(minutes=15)


def month_path(month: str, key: str) -> str:
    """stats/{YYYY-MM}_{key}"""
    return f"stats/{month}_{key}"


def local_date(when: datetime, tz: str) -> date:
    return when.astimezone(ZoneInfo(tz)).date()


def month(when: datetime | date, tz: str) -> str:
    """ "YYYY-MM" of the centre's local month (a date is already local)."""
    day = local_date(when, tz) if isinstance(when, datetime) else when
    return f"{day:%Y-%m}"


def stats_path(when: datetime | date, key: str, tz: str) -> str:
    return month_path(month(when, tz), key)


def day_path(day: date, now: datetime, key: str, tz: str) -> str:
    """The counter for something that happens on `day`, counted at `now`: a day already past
    (a start counted late) is counted in the current month, whose report is not yet built."""
    return stats_path(max(day, local_date(now, tz)), key, tz)


def settled(last_day: date, now: datetime, tz: str) -> bool:
    """True once a period ending on `last_day` can no longer receive counts."""
    midnight = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), ZoneInfo(tz))
    return now >= midnight + SETTLE
