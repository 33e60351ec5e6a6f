"""iCalendar (RFC 5545) invitations for a group's meetings, via the `icalendar` package."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from icalendar import Calendar, Event


def meetings_ics(
    *,
    uid_base: str,
    summary: str,
    location: str,
    description: str,
    starts: Sequence[datetime],
    minutes: int,
    stamp: datetime,
    geo: tuple[float, float] | None = None,
) -> bytes:
    """One VEVENT per meeting; times carry TZID (Europe/Oslo) with its VTIMEZONE. LOCATION is
    the venue with its street address (issue 16), GEO its coordinates when the centre gave them."""
    cal = Calendar()
    cal.add("prodid", "-//linkflyt//LINK self-help groups//NO")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", summary)
    for n, start in enumerate(starts, 1):
        ev = Event()
        ev.add("uid", f"{uid_base}-{n}@linkflyt")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", start)
        ev.add("dtend", start + timedelta(minutes=minutes))
        ev.add("summary", f"{summary} ({n}/{len(starts)})")
        ev.add("location", location)
        if geo is not None:
            ev.add("geo", geo)
        ev.add("description", description)
        cal.add_component(ev)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
