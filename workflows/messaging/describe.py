"""How a group is described to the people in it and to staff: its topic, place, weekly time and
dates, and the links a message may carry. Emails (residents.py, staff.py), SMS (texting.py), the
action pages and the console all describe a group through these, so it reads the same everywhere.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from shared.domain import links, rooms, slots
from shared.languages import Lang
from shared.texts.mail import MAIL_TEXT
from workflows.platform.runtime import Deps
from workflows.saga.resources import meeting_start

Details = list[tuple[str, str]]


def action_link(deps: Deps, token_id: str | None) -> str | None:
    if not token_id:
        return None
    token = deps.store.get(f"tokens/{token_id}")
    if token is None or token.get("used_at") is not None or token["expires"] <= deps.clock.now():
        return None  # never print a link that can no longer act
    return links.action_url(
        deps.settings.public_base_url, deps.settings.link_signing_key, token_id, token["expires"]
    )


def console_link(deps: Deps, page: str) -> str:
    return links.console_url(deps.settings.public_base_url, page)


def venue_of(deps: Deps, group: dict[str, Any]) -> dict[str, Any] | None:
    if group["place"] == "digital" or not group.get("venue_id"):
        return None
    return deps.store.get(f"venues/{group['venue_id']}")


def place(deps: Deps, group: dict[str, Any], lang: Lang) -> str:
    """The short name of where a group meets (subjects, summaries): the room and municipality."""
    if group["place"] == "digital":
        return MAIL_TEXT[lang]["digital"]
    m = deps.centre.municipality(group["place"])
    venue = venue_of(deps, group)
    name = m.name if m else group["place"]
    return f"{venue['name']}, {name}" if venue else name


def street_address(venue: dict[str, Any] | None) -> str:
    """ "Kong Oscars gate 15, 5017 Bergen" (issue 16), or "" for a room entered before addresses."""
    if not venue or not venue.get("street"):
        return ""
    town = " ".join(str(x) for x in (venue.get("postcode"), venue.get("post_place")) if x)
    return ", ".join(x for x in (str(venue["street"]), town) if x)


def geo(venue: dict[str, Any] | None) -> tuple[float, float] | None:
    if not venue or venue.get("lat") is None or venue.get("lon") is None:
        return None
    return float(venue["lat"]), float(venue["lon"])


def map_url(venue: dict[str, Any] | None) -> str | None:
    """A marker on openstreetmap.org at the venue's coordinates (no key, no tracking script)."""
    at = geo(venue)
    if at is None:
        return None
    lat, lon = (f"{x:.6f}".rstrip("0").rstrip(".") for x in at)
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"


def sms_place(deps: Deps, group: dict[str, Any], lang: Lang) -> str:
    """The short form for an SMS: the room's name and its street and number (the page behind the
    link, and the email if there is one, give the rest)."""
    venue = venue_of(deps, group)
    if venue is None or not venue.get("street"):
        return place(deps, group, lang)
    return f"{venue['name']}, {venue['street']}"


def location(deps: Deps, group: dict[str, Any], lang: Lang, join_url: str | None = None) -> str:
    """A calendar entry's LOCATION: everything needed to get to the door in one line, or for a
    digital group the person's own join link."""
    if group["place"] == "digital":
        online = MAIL_TEXT[lang]["digital"]
        return f"{online}: {join_url}" if join_url else online
    venue = venue_of(deps, group)
    parts = [place(deps, group, lang)]
    if venue:
        parts += [str(venue.get("room") or ""), street_address(venue)]
    return ", ".join(p for p in parts if p)


def place_details(deps: Deps, group: dict[str, Any], lang: Lang) -> Details:
    """The address, the room, how to get in and the entrance, below "Where" (issue 16)."""
    venue = venue_of(deps, group)
    if venue is None:
        return []
    t = MAIL_TEXT[lang]
    rows = [
        (t["address"], street_address(venue)),
        (t["room_floor"], str(venue.get("room") or "")),
        (t["entry"], str(venue.get("entry") or "")),
        (t["step_free"], t["step_free_yes"] if venue.get("accessible") else t["step_free_no"]),
    ]
    return [(label, value) for label, value in rows if value]


def map_button(deps: Deps, group: dict[str, Any], lang: Lang) -> list[tuple[str, str | None]]:
    url = map_url(venue_of(deps, group))
    return [(MAIL_TEXT[lang]["map_button"], url)] if url else []


def join_expiry(deps: Deps, group: dict[str, Any]) -> datetime:
    """A join link is signed until a self-running group would be closed in our records after its
    last facilitated meeting (the window check decides the rest)."""
    ds = dates(group) or [deps.clock.now().date()]
    last = meeting_start(deps, max(ds), str(group["slot"]))
    return (last + timedelta(days=deps.centre.groups.self_run_close_days + 7)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )


def join_link(
    deps: Deps, gid: str, group: dict[str, Any], recipient: str, short: bool = False
) -> str | None:
    """The personal join link of a digital group's member or facilitator ("facilitator:<id>"),
    `/join?t=…` (or `?s=…` for an SMS). Its document names only the group and the recipient's id,
    and is written idempotently (the same id and content at every send)."""
    if group["place"] != "digital" or deps.centre.meeting_rooms.provider == "none":
        return None
    key = deps.settings.link_signing_key
    token_id = rooms.join_token_id(key, gid, recipient)
    expires = join_expiry(deps, group)
    deps.store.set(
        f"join_links/{token_id}",
        {
            "group_id": gid,
            "recipient": recipient,
            "expires": expires,
            "expire_at": expires + timedelta(days=deps.centre.retention.token_days),
        },
    )
    if short:
        base = (deps.settings.sms_link_base or deps.settings.public_base_url).rstrip("/")
        return f"{base}/join?s={links.short_code(key, token_id)}"
    return (
        f"{deps.settings.public_base_url.rstrip('/')}/join?t={links.sign(key, token_id, expires)}"
    )


def join_paragraphs(deps: Deps, group: dict[str, Any], lang: Lang) -> list[str]:
    """What a person needs to join a digital group, in plain words."""
    if group["place"] != "digital" or deps.centre.meeting_rooms.provider == "none":
        return []
    t = MAIL_TEXT[lang]
    minutes = deps.centre.meeting_rooms.opens_minutes_before
    return [t["digital_needs"], t["join_hint"].format(minutes=minutes)]


def topic(deps: Deps, key: str, lang: Lang) -> str:
    found = next((t for t in deps.centre.topics if t.key == key), None)
    return found.label(lang) if found else key


def slot_label(deps: Deps, slot: str, lang: Lang) -> str:
    """ "mondays 18:00": a weekly slot as people read it (the console's checkboxes, issue 9)."""
    return when(deps, {"slot": slot}, lang)


def when(deps: Deps, group: dict[str, Any], lang: Lang) -> str:
    slot = str(group["slot"])
    g = deps.centre.groups
    t = MAIL_TEXT[lang]
    days = [t[f"day_{d}"] for d in slots.DAYS]
    clock = slots.start_time(slot, g.daytime_start, g.evening_start, g.weekend_start)
    return f"{days[slots.DAYS.index(slot.split('_')[0])]} {clock:%H:%M}"


def dates(group: dict[str, Any]) -> list[date]:
    raw = group.get("meeting_dates") or (group.get("offer") or {}).get("dates") or []
    return [date.fromisoformat(d) for d in raw]


def start(deps: Deps, day: date, slot: str) -> datetime:
    return meeting_start(deps, day, slot)


def group_summary(deps: Deps, group: dict[str, Any], lang: Lang) -> str:
    return f"{topic(deps, group['topic'], lang)} · {place(deps, group, lang)} · {when(deps, group, lang)}"


def group_details(
    deps: Deps, group: dict[str, Any], lang: Lang, with_dates: bool = True
) -> Details:
    t = MAIL_TEXT[lang]
    rows = [
        (t["topic"], topic(deps, group["topic"], lang)),
        (t["where"], place(deps, group, lang)),
        *place_details(deps, group, lang),
        (t["when"], when(deps, group, lang)),
    ]
    ds = dates(group)
    if with_dates and ds:
        rows.append((t["dates"], ", ".join(d.strftime("%d.%m.%Y") for d in ds)))
    return rows


def visit(group: dict[str, Any], lang: Lang) -> Details:
    """The date of the follow-up visit: each visit's mails differ (a group may ask many times)."""
    day = (group.get("followup") or {}).get("date")
    return [(MAIL_TEXT[lang]["visit_date"], f"{date.fromisoformat(day):%d.%m.%Y}")] if day else []
