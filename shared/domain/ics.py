"""iCalendar (RFC 5545) for a group's meetings, via the `icalendar` package: a PUBLISH feed (the
facilitator's download) and per-recipient iTIP invitations and cancellations (issue 16)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from icalendar import Calendar, Event, vCalAddress, vText


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


# --- Invitations (issue 16): iTIP over email (RFC 5546 / RFC 6047) -------------------------------

Method = Literal["REQUEST", "CANCEL"]


@dataclass(frozen=True)
class Entry:
    """One meeting as one recipient's calendar holds it: same UID for its whole life, SEQUENCE
    raised on every change (RFC 5546 § 2.1.4: a client applies the highest SEQUENCE it has seen)."""

    uid: str
    sequence: int
    start: datetime
    end: datetime
    summary: str
    location: str
    description: str
    geo: tuple[float, float] | None = None  # the venue's coordinates, when the centre gave them


def invitation(
    *,
    method: Method,
    organizer: str,
    organizer_name: str,
    attendee: str,
    entries: Sequence[Entry],
    stamp: datetime,
) -> bytes:
    """An iTIP object for one recipient: METHOD REQUEST (new or changed meetings) or CANCEL (meetings
    removed from their calendar, STATUS:CANCELLED). ORGANIZER is the centre (a bare mailto:), the
    only ATTENDEE is the recipient, so the file names nobody else. RSVP is FALSE: the centre does not
    read calendar replies (accepting or leaving goes through the signed links)."""
    cal = Calendar()
    cal.add("prodid", "-//linkflyt//LINK self-help groups//NO")
    cal.add("version", "2.0")
    cal.add("method", method)
    for e in entries:
        ev = Event()
        ev.add("uid", e.uid)
        ev.add("sequence", e.sequence)
        ev.add("dtstamp", stamp)
        ev.add("dtstart", e.start)
        ev.add("dtend", e.end)
        ev.add("summary", e.summary)
        ev.add("location", e.location)
        if e.geo is not None:
            ev.add("geo", e.geo)
        ev.add("description", e.description)
        org = vCalAddress(f"mailto:{organizer}")
        org.params["cn"] = vText(organizer_name)
        ev.add("organizer", org)
        att = vCalAddress(f"mailto:{attendee}")
        att.params["role"] = vText("REQ-PARTICIPANT")
        att.params["partstat"] = vText("NEEDS-ACTION" if method == "REQUEST" else "DECLINED")
        att.params["rsvp"] = vText("FALSE")
        ev.add("attendee", att)
        ev.add("status", "CONFIRMED" if method == "REQUEST" else "CANCELLED")
        ev.add("transp", "OPAQUE")
        cal.add_component(ev)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
