"""Issue 16 against the Firestore emulator, with a virtual clock: a digital group's personal join
links, opened through the public intake function's /join route (CONTRACT.md § After the
confirmation): 200 with a page before a meeting's window, after it, after the last meeting and
after the member left or was erased; 303 into the room only inside the window; with Jitsi token
authentication a JWT that verifies against the app secret with the claims a Jitsi server checks.
"""

from __future__ import annotations

import dataclasses
import email
import re
from datetime import date, datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from flask import Flask, Response

from shared.config import MeetingRooms
from tests.helpers.saga import drain
from tests.integration.test_lifecycle import confirmed, world  # noqa: F401 (a fixture)
from workflows.console import commands
from workflows.saga import resources

JOIN = re.compile(r"https?://[^\s\"<>]+/join\?t=[A-Za-z0-9_.-]+")


def open_join(d: Any, url: str, monkeypatch: pytest.MonkeyPatch) -> Response:
    """GET the link through functions/intake.py, the route the cloud serves, on these deps."""
    import functions.intake
    from workflows.platform import runtime

    monkeypatch.setattr(runtime, "deps", lambda: d)
    parts = urlsplit(url)
    with Flask(__name__).test_request_context(f"{parts.path}?{parts.query}", method="GET"):
        from flask import request

        return functions.intake.intake(request)


def mails_to(outbox: Path, address: str, kind: str = "confirm") -> list[Message]:
    out = []
    for path in sorted(outbox.glob(f"{kind}-*.eml")):
        msg = email.message_from_bytes(path.read_bytes())
        if address in str(msg["To"]):
            out.append(msg)
    return out


def text_of(msg: Message) -> str:
    parts = [p for p in msg.walk() if p.get_content_type() in ("text/plain", "text/html")]
    return "\n".join(str(p.get_payload(decode=True).decode()) for p in parts)  # type: ignore[union-attr]


def digital_group(d: Any, q: Any) -> tuple[str, list[str], dict[str, Any]]:
    gid, ids, _held = confirmed(d, q, municipality="4601", topic="general", formats=("digital",))
    drain(d, q)
    return gid, ids, d.store.get(f"groups/{gid}")


def starts(d: Any, g: dict[str, Any]) -> list[datetime]:
    return [
        resources.meeting_start(d, date.fromisoformat(x), g["slot"]) for x in g["meeting_dates"]
    ]


def test_a_members_join_link_forwards_only_inside_the_window_and_never_after_they_left(
    world: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    d, q, clock = world
    gid, ids, g = digital_group(d, q)
    assert g["place"] == "digital" and g["status"] == "confirmed"
    outbox = tmp_path / "outbox"
    # the confirmation says what is needed and carries the personal link, not the room
    person = d.store.get(f"people/{ids[0]}")
    (conf,) = mails_to(outbox, person["email"])
    body = text_of(conf)
    assert "nettleser" in body and "ingen konto" in body.lower()
    link = JOIN.search(body)
    assert link is not None
    url = link.group(0).replace("&amp;", "&")
    everything = "".join(path.read_text(errors="replace") for path in outbox.glob("*.eml"))
    assert "meet.linkbergen.example" not in everything  # the room's address is in no email
    first, *_rest, last = starts(d, g)
    minutes = d.centre.groups.meeting_minutes

    # before the window: a page saying when it opens, never a redirect
    clock.t = first - timedelta(minutes=16)
    r = open_join(d, url, monkeypatch)
    assert r.status_code == 200 and "Location" not in r.headers
    assert "15 minutter" in r.get_data(as_text=True)

    # inside it: 303 to the group's own room, with a token minted now
    clock.t = first - timedelta(minutes=15)
    r = open_join(d, url, monkeypatch)
    assert r.status_code == 303 and r.headers["Referrer-Policy"] == "no-referrer"
    room_url = urlsplit(r.headers["Location"])
    assert room_url.scheme == "https" and room_url.hostname == "meet.linkbergen.example"
    room = room_url.path.strip("/")
    token = parse_qs(room_url.query)["jwt"][0]
    cfg = d.centre.meeting_rooms
    claims = jwt.decode(
        token,
        d.settings.jitsi_app_secret,
        algorithms=["HS256"],
        audience=cfg.audience,
        issuer=cfg.app_id,
        # the signature, audience and issuer are checked here; the times against the virtual clock
        options={"verify_exp": False, "verify_nbf": False, "verify_iat": False},
    )
    assert claims["room"] == room and claims["sub"] == "meet.linkbergen.example"
    assert 0 < claims["exp"] - clock.t.timestamp() <= 5 * 60  # expires within minutes
    assert claims["nbf"] <= clock.t.timestamp()
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, "not-the-centres-secret-0123456789abcdef", algorithms=["HS256"])
    # another member gets the same room, another person's token
    other = JOIN.search(text_of(mails_to(outbox, d.store.get(f"people/{ids[1]}")["email"])[-1]))
    assert other is not None
    r2 = open_join(d, other.group(0), monkeypatch)
    assert r2.status_code == 303 and urlsplit(r2.headers["Location"]).path.strip("/") == room
    assert r2.headers["Location"] != r.headers["Location"]
    clock.t = first + timedelta(minutes=minutes - 1)
    assert open_join(d, url, monkeypatch).status_code == 303

    # after the meeting: until the next one's window, a page again
    clock.t = first + timedelta(minutes=minutes)
    r = open_join(d, url, monkeypatch)
    assert r.status_code == 200 and "Location" not in r.headers
    # after the last meeting: over
    clock.t = last + timedelta(minutes=minutes)
    r = open_join(d, url, monkeypatch)
    assert r.status_code == 200 and "er over" in r.get_data(as_text=True)

    # a member removed from the group's members: inside the window, still only a page
    clock.t = first - timedelta(minutes=5)
    members = d.store.get(f"groups/{gid}")["members"]
    left = {k: v for k, v in members.items() if k != ids[0]}
    d.store.transact(lambda tx: tx.update(f"groups/{gid}", {"members": left}))
    r = open_join(d, url, monkeypatch)
    assert r.status_code == 200 and "ikke lenger er med" in r.get_data(as_text=True)
    # an erased member: the link's document is gone with them
    assert open_join(d, other.group(0), monkeypatch).status_code == 303
    assert commands.erase(d, "test", ids[1]) == "ok"
    r = open_join(d, other.group(0), monkeypatch)
    assert r.status_code == 200 and "ikke lenger er med" in r.get_data(as_text=True)
    assert not [k for k, v in d.store.query("join_links") if v["recipient"] == ids[1]]
    # a tampered link: a page, never the room
    r = open_join(d, url[:-3] + "abc", monkeypatch)
    assert r.status_code == 404 and "Location" not in r.headers


def test_the_facilitator_joins_too_and_a_self_running_group_keeps_its_weekly_room(
    world: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    d, q, clock = world
    gid, ids, g = digital_group(d, q)
    fac = d.store.get(f"facilitators/{g['facilitator_id']}")
    (conf, *_) = [
        m
        for m in mails_to(tmp_path / "outbox", fac["email"])
        if "Join" in text_of(m) or "/join?" in text_of(m)
    ]
    link = JOIN.search(text_of(conf))
    assert link is not None
    first, *_rest, last = starts(d, g)
    clock.t = first
    r = open_join(d, link.group(0), monkeypatch)
    assert r.status_code == 303 and "jwt=" in r.headers["Location"]
    # after the facilitated meetings the group runs itself: members meet weekly in its slot
    member = JOIN.search(
        text_of(mails_to(tmp_path / "outbox", d.store.get(f"people/{ids[0]}")["email"])[-1])
    )
    assert member is not None
    d.store.set(f"groups/{gid}", {"status": "self_run"}, merge=True)
    clock.t = last + timedelta(days=7)
    assert open_join(d, member.group(0), monkeypatch).status_code == 303
    assert open_join(d, link.group(0), monkeypatch).status_code == 200  # not the facilitator's
    clock.t = last + timedelta(days=7, hours=3)
    assert open_join(d, member.group(0), monkeypatch).status_code == 200


def test_a_fixed_link_entered_in_the_console_is_where_the_join_link_leads(
    world: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    d, q, clock = world
    centre = d.centre.model_copy(update={"meeting_rooms": MeetingRooms(provider="link")})
    d = dataclasses.replace(d, centre=centre)
    gid, ids, g = digital_group(d, q)
    link = JOIN.search(
        text_of(mails_to(tmp_path / "outbox", d.store.get(f"people/{ids[0]}")["email"])[-1])
    )
    assert link is not None
    clock.t = starts(d, g)[0]
    r = open_join(d, link.group(0), monkeypatch)
    assert r.status_code == 200 and "ikke klart" in r.get_data(as_text=True)  # nothing entered yet
    assert commands.set_room_link(d, "coord", gid, "http://insecure.example/x") == "invalid"
    teams = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0"
    assert commands.set_room_link(d, "coord", gid, teams) == "ok"
    r = open_join(d, link.group(0), monkeypatch)
    assert r.status_code == 303 and r.headers["Location"] == teams
    # the group's own facilitator may enter it too (from their personal page); another may not
    whereby = "https://whereby.com/link-bergen-samtale"
    assert commands.set_room_link(d, "f", gid, whereby, "fac-someone-else") == "stale"
    assert commands.set_room_link(d, "f", gid, whereby, g["facilitator_id"]) == "ok"
    assert open_join(d, link.group(0), monkeypatch).headers["Location"] == whereby
    assert [e for _, e in d.store.query("audit") if e.get("action") == "set_room_link"]


def test_an_in_person_group_is_told_where_the_door_is(
    world: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Issue 16, where to meet: the confirmation lists the address, room, way in and entrance with
    a map link; the calendar's LOCATION has the street address and GEO the coordinates; the action
    page behind a link in it says the same; no join link for a group that meets in a room."""
    from icalendar import Calendar

    from shared.domain import links
    from workflows.links import actions
    from workflows.platform import tokens

    d, q, _clock = world
    gid, ids, _held = confirmed(d, q, municipality="4630", topic="relatives")
    drain(d, q)
    g = d.store.get(f"groups/{gid}")
    venue = d.store.get(f"venues/{g['venue_id']}")
    assert venue["street"] and venue["lat"] is not None
    (conf,) = mails_to(tmp_path / "outbox", d.store.get(f"people/{ids[0]}")["email"])
    body = text_of(conf)
    for text in (venue["street"], f"{venue['postcode']} {venue['post_place']}", venue["entry"]):
        assert text in body
    assert "Trinnfri inngang" in body and "openstreetmap.org/?mlat=" in body
    assert "/join?" not in body
    (ics,) = [p for p in conf.walk() if p.get_content_type() == "text/calendar"]
    cal = Calendar.from_ical(ics.get_payload(decode=True))
    events = list(cal.walk("VEVENT"))
    assert events and all(venue["street"] in str(ev["LOCATION"]) for ev in events)
    lat, lon = events[0]["GEO"].latitude, events[0]["GEO"].longitude
    assert (round(lat, 6), round(lon, 6)) == (venue["lat"], venue["lon"])
    # the page behind the confirmation's follow-up link
    tid = g["link_tokens"][ids[0]]
    expires = tokens.link_expiry(d.store.get, tid, key=d.settings.link_signing_key)
    assert expires is not None
    page = actions.view(d, links.sign(d.settings.link_signing_key, tid, expires), "nb")
    assert page.status == 200 and f"Adresse: {venue['street']}" in page.html


def test_the_simulators_checker_flags_a_forward_outside_the_window_or_after_leaving(
    world: Any,  # noqa: F811
) -> None:
    """bench/invariants.join_let_in_wrongly passes the forwards the join link rightly made and
    fails one made outside every window, or for someone no longer in the group."""
    from bench import invariants
    from shared.domain import rooms

    d, q, _clock = world
    gid, ids, g = digital_group(d, q)

    tid = rooms.join_token_id(d.settings.link_signing_key, gid, ids[0])
    assert d.store.get(f"join_links/{tid}") is not None
    first = starts(d, g)[0]
    judge = lambda at, status=303: invariants.join_let_in_wrongly(  # noqa: E731
        d, d.store, at, tid, status
    )
    assert judge(first - timedelta(minutes=15)) is None
    assert judge(first + timedelta(minutes=89)) is None
    assert "outside every meeting's window" in str(judge(first - timedelta(minutes=16)))
    assert "outside every meeting's window" in str(judge(first + timedelta(minutes=90)))
    assert judge(first - timedelta(hours=5), 200) is None  # a page is never a violation
    members = {k: v for k, v in g["members"].items() if k != ids[0]}
    d.store.transact(lambda tx: tx.update(f"groups/{gid}", {"members": members}))
    assert "no longer" in str(judge(first))
