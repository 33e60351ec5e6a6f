"""GET /join?t=<token> (CONTRACT.md § After the confirmation, issue 16): a member's or the
facilitator's personal link into a digital group's meeting room.

It forwards (303) only from `opens_minutes_before` a meeting until that meeting ends, and only
while the person is still in the group; otherwise it answers 200 with a page saying why (never a
redirect). The room's own address, and with Jitsi token authentication its short-lived JWT, is
made at this moment (shared/domain/rooms.py), so no email ever carries it. GET changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shared.domain import links, rooms, slots
from shared.domain.lifecycle import RUNNING
from shared.languages import Lang
from shared.texts.pages import JOIN
from workflows.links import pages
from workflows.messaging import describe
from workflows.platform.runtime import Deps

# A self-running group goes on meeting weekly in its slot after the facilitated meetings.
AHEAD = timedelta(days=8)


@dataclass(frozen=True)
class Answer:
    status: int
    html: str = ""
    location: str | None = None
    outcome: str = ""  # open, before, over, left, no_room, invalid (counted, never logged with ids)


def room_service(deps: Deps) -> rooms.JitsiRooms | rooms.FixedLinkRooms | rooms.NoRooms:
    cfg = deps.centre.meeting_rooms
    return rooms.rooms_for(
        cfg.provider,
        jitsi_url=cfg.jitsi_url,
        token_auth=cfg.token_auth,
        app_id=cfg.app_id,
        audience=cfg.audience,
        secret=deps.settings.jitsi_app_secret,
        token_minutes=cfg.token_minutes,
    )


def meeting_starts(
    deps: Deps, group: dict[str, Any], recipient: str, now: datetime
) -> list[datetime]:
    """The meetings this person's link opens for: the booked ones, and for a member of a
    self-running group every week after them in its slot (holidays and closed weeks skipped)."""
    booked = describe.dates(group)
    out = [describe.start(deps, d, str(group["slot"])) for d in booked]
    if group["status"] == "self_run" and not recipient.startswith("facilitator:") and booked:
        tz = ZoneInfo(deps.centre.centre.timezone)
        horizon = (now + AHEAD).astimezone(tz).date()
        day = max(booked) + timedelta(days=1)
        weeks = max(1, (horizon - day).days // 7 + 2)
        for d in slots.meeting_dates(str(group["slot"]), day, weeks, deps.centre.closed):
            if d <= horizon:
                out.append(describe.start(deps, d, str(group["slot"])))
    return out


def still_in(deps: Deps, group: dict[str, Any], recipient: str) -> bool:
    if recipient.startswith("facilitator:"):
        return group.get("facilitator_id") == recipient.split(":", 1)[1]
    member = group.get("members", {}).get(recipient)
    if member is None or member.get("response") == "declined":
        return False
    inquiry = deps.store.get(f"inquiries/{recipient}") or {}
    return inquiry.get("status") == "placed" and deps.store.get(f"people/{recipient}") is not None


def _lang(deps: Deps, recipient: str) -> Lang:
    if recipient.startswith("facilitator:"):
        return deps.centre.centre.default_language
    return (deps.store.get(f"inquiries/{recipient}") or {}).get("lang", "nb")  # type: ignore[no-any-return]


def _page(deps: Deps, lang: Lang, outcome: str, status: int = 200, **values: Any) -> Answer:
    text = JOIN[lang][outcome].format(**values) if values else JOIN[lang][outcome]
    html = pages.message_page(deps.centre, lang, JOIN[lang]["heading"], text)
    return Answer(status, html, None, outcome)


def token_id_of(deps: Deps, signed: str, short: str) -> tuple[str, datetime | None] | None:
    key = deps.settings.link_signing_key
    try:
        if short:
            return links.verify_short(key, short), None
        link = links.verify(key, signed)
    except links.BadLink:
        return None
    return link.token_id, link.expires


def open_link(deps: Deps, signed: str, short: str, lang: Lang) -> Answer:
    now = deps.clock.now()
    found = token_id_of(deps, signed, short)
    if found is None:
        return _page(deps, lang, "invalid", 404)
    token_id, signed_until = found
    doc = deps.store.get(f"join_links/{token_id}")
    if doc is None:  # erased (the document goes with the person), or never sent
        return _page(deps, lang, "left")
    recipient = str(doc["recipient"])
    lang = _lang(deps, recipient)
    expires = doc.get("expires")
    if (signed_until is not None and signed_until <= now) or (
        isinstance(expires, datetime) and expires <= now
    ):
        return _page(deps, lang, "over")
    group = deps.store.get(f"groups/{doc['group_id']}")
    if group is None or not still_in(deps, group, recipient):
        return _page(deps, lang, "left")
    if group["status"] not in RUNNING:
        return _page(deps, lang, "over")
    cfg = deps.centre.meeting_rooms
    at = rooms.window(
        meeting_starts(deps, group, recipient, now),
        deps.centre.groups.meeting_minutes,
        now,
        timedelta(minutes=cfg.opens_minutes_before),
    )
    if at.moment == "over":
        return _page(deps, lang, "over")
    if at.moment == "before":
        assert at.meeting is not None
        local = at.meeting.astimezone(ZoneInfo(deps.centre.centre.timezone))
        return _page(
            deps, lang, "before", minutes=cfg.opens_minutes_before, when=f"{local:%d.%m.%Y %H:%M}"
        )
    service = room_service(deps)
    room = (
        rooms.room_name(deps.settings.link_signing_key, str(doc["group_id"]))
        if service.needs_room()
        else group.get("room_link")
    )
    who = rooms.Participant(
        rooms.opaque_id(deps.settings.link_signing_key, str(doc["group_id"]), recipient),
        facilitator=recipient.startswith("facilitator:"),
    )
    url = service.join_url(room, who, now)
    if url is None:
        return _page(deps, lang, "no_room")
    return Answer(303, "", url, "open")


def erase_links(group_id: str, recipient: str, key: str) -> str:
    """The path of a person's join-link document, for erasure (its id is derived)."""
    return f"join_links/{rooms.join_token_id(key, group_id, recipient)}"


__all__ = ["Answer", "erase_links", "open_link"]
