"""How a group is described to the people in it and to staff: its topic, place, weekly time and
dates, and the links a message may carry. Emails (residents.py, staff.py), SMS (texting.py), the
action pages and the console all describe a group through these, so it reads the same everywhere.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from shared.domain import links, slots
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


def place(deps: Deps, group: dict[str, Any], lang: Lang) -> str:
    if group["place"] == "digital":
        return MAIL_TEXT[lang]["digital"]
    m = deps.centre.municipality(group["place"])
    venue = deps.store.get(f"venues/{group['venue_id']}") if group.get("venue_id") else None
    name = m.name if m else group["place"]
    return f"{venue['name']}, {name}" if venue else name


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
