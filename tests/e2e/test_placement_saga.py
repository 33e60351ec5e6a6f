"""Issue 3's end-to-end story on the local stack, through emails and links only."""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

import requests
from icalendar import Calendar

from shared.domain import slots
from tests.conftest import wait_for
from tests.helpers.people import all_mails, attachment, link_after, mails_to, person, subject
from workflows.intake import inquiry_by_reference

COORDINATOR = "koordinator@linkbergen.example"


def about_group(deps: Any, mails: list[Any], label: str, gid: str) -> list[Any]:
    """The mails whose button `label` acts on this group (the outbox holds other tests' mail too)."""
    from urllib.parse import parse_qs, urlparse

    from shared.domain import links

    found = []
    for m in mails:
        try:
            signed = parse_qs(urlparse(link_after(m, label)).query)["t"][0]
        except (AssertionError, KeyError, IndexError, ValueError):
            continue
        token = deps.store.get(
            f"tokens/{links.verify(deps.settings.link_signing_key, signed).token_id}"
        )
        if token and token.get("group_id") == gid:
            found.append(m)
    return found


def post_link(
    url: str, action: str, extra: list[tuple[str, str]] | None = None
) -> requests.Response:
    page = requests.get(url, timeout=10)
    assert page.status_code == 200, page.text[:300]
    assert (
        f'name="action" value="{action}"' in page.text
    )  # the page names the action and asks first
    return requests.post(url, data=[("action", action), *(extra or [])], timeout=10)


def test_six_askoy_residents_get_a_group(stack: Any, deps: Any, outbox: Path) -> None:
    people = [
        person(
            municipality="4627",
            topics=["relatives"],
            formats=["in_person"],
            times=["weekday_evening"],
            phone=f"41{secrets.randbelow(10**6):06d}",
            message=f"Mor mi er dement, og eg er sliten ({secrets.token_hex(3)})",
        )
        for _ in range(6)
    ]
    refs = []
    for i, body in enumerate(people):
        r = requests.post(
            f"{stack.base_url}/intake",
            json=body,
            headers={"X-Forwarded-For": f"192.0.2.{100 + i}"},
            timeout=30,
        )
        assert r.status_code == 201
        refs.append(r.json()["reference"])
    ids = [inquiry_by_reference(deps.store, ref) for ref in refs]

    # The digest while they wait for their pre-talks: it lists them (by reference only).
    wait_for(
        lambda: all(deps.store.get(f"inquiries/{i}")["status"] == "awaiting_pretalk" for i in ids)
    )
    assert requests.post(f"{stack.base_url}/digest", json={}, timeout=60).status_code == 200

    # The coordinator gets one pre-talk mail per person and confirms each by link.
    for ref in refs:
        msg = wait_for(
            lambda ref=ref: [m for m in mails_to(outbox, COORDINATOR) if ref in subject(m)]
        )[0]
        url = link_after(msg, "Forsamtale holdt – sett i kø")
        done = post_link(
            url,
            "confirm_pretalk",
            [("topics", "relatives"), ("formats", "in_person"), ("times", "weekday_evening")],
        )
        assert done.status_code == 200
        again = requests.post(url, data={"action": "confirm_pretalk"}, timeout=10)
        assert again.status_code == 410  # a used link never acts twice

    # All six end up in one proposed group (the sixth tops up the group proposed at five).
    def group_of_six() -> str | None:
        gids = {deps.store.get(f"inquiries/{i}").get("group_id") for i in ids}
        if len(gids) == 1 and None not in gids:
            gid = gids.pop()
            if len(deps.store.get(f"groups/{gid}")["members"]) == 6:
                return str(gid)
        return None

    try:
        gid = wait_for(group_of_six, timeout=30)
    except AssertionError:
        states = [
            (
                deps.store.get(f"inquiries/{i}")["status"],
                deps.store.get(f"inquiries/{i}").get("group_id"),
            )
            for i in ids
        ]
        sizes = {g: len(deps.store.get(f"groups/{g}")["members"]) for _, g in states if g}
        raise AssertionError(f"not one group of six: {states} {sizes}") from None
    group = deps.store.get(f"groups/{gid}")
    assert group["status"] == "awaiting_approval" and group["venue_id"] == "ven-askoy"
    assert slots.time_category(group["slot"]) == "weekday_evening"

    approval = wait_for(
        lambda: about_group(deps, mails_to(outbox, COORDINATOR), "Godkjenn gruppen", gid)
    )[0]
    assert post_link(link_after(approval, "Godkjenn gruppen"), "approve_group").status_code == 200

    # The first facilitator asked declines; the offer goes to another, who accepts.
    def offered_to() -> str | None:
        g = deps.store.get(f"groups/{gid}")
        return g["offer"]["facilitator_id"] if g["status"] == "offered" else None

    first = wait_for(offered_to, timeout=30)
    first_email = deps.store.get(f"facilitators/{first}")["email"]
    offer = wait_for(
        lambda: about_group(deps, mails_to(outbox, first_email), "Ja, jeg tar det", gid)
    )[0]
    assert post_link(link_after(offer, "Nei, jeg kan ikke"), "decline_offer").status_code == 200
    second = wait_for(lambda: offered_to() not in (None, first) and offered_to(), timeout=30)
    second_email = deps.store.get(f"facilitators/{second}")["email"]
    offer2 = wait_for(
        lambda: about_group(deps, mails_to(outbox, second_email), "Ja, jeg tar det", gid)
    )[0]
    accept_url = link_after(offer2, "Ja, jeg tar det")
    assert post_link(accept_url, "accept_offer").status_code == 200
    assert requests.post(accept_url, data={"action": "accept_offer"}, timeout=10).status_code == 410
    # the decliner's old link no longer acts either
    assert requests.get(link_after(offer, "Ja, jeg tar det"), timeout=10).status_code in (409, 410)

    # Each member gets an individual invitation (no one sees another's address) and accepts.
    for body in people:
        inv = wait_for(
            lambda body=body: [
                m for m in mails_to(outbox, body["email"]) if "Invitasjon" in subject(m)
            ]
        )[0]
        assert inv["To"] == body["email"] and "Cc" not in inv and "Bcc" not in inv
        others = [p["email"] for p in people if p is not body]
        raw = inv.as_string()
        assert not any(o in raw for o in others)
        assert (
            post_link(link_after(inv, "Ja, jeg blir med"), "accept_invitation").status_code == 200
        )

    wait_for(lambda: deps.store.get(f"groups/{gid}")["status"] == "confirmed")
    holders = [p["email"] for p in people] + [second_email]
    for address in holders:
        conf = wait_for(
            lambda address=address: [m for m in mails_to(outbox, address) if "klar" in subject(m)],
            timeout=30,
        )[0]
        cal = Calendar.from_ical(attachment(conf, "text/calendar"))
        events = [c for c in cal.walk("VEVENT")]
        assert len(events) == deps.centre.groups.facilitator_meetings
        for ev in events:
            start: datetime = ev.decoded("dtstart")
            assert (
                str(start.tzinfo) == "Europe/Oslo" and "TZID=Europe/Oslo" in ev.to_ical().decode()
            )
            assert start.weekday() < 5 and start.hour >= 17  # weekday evenings
            assert not slots.is_holiday(start.date())
    assert all(deps.store.get(f"inquiries/{i}")["status"] == "placed" for i in ids)
    # the declining facilitator got no confirmation
    assert not [m for m in mails_to(outbox, first_email) if "klar" in subject(m)]
    assert len(all_mails(outbox)) > 0

    # Issue 9: no coordinator email of the saga or the digest carries a resident's name, address,
    # phone or message (the console shows them after sign-in).
    assert requests.post(f"{stack.base_url}/digest", json={}, timeout=60).status_code == 200
    to_coordinator = mails_to(outbox, COORDINATOR)
    assert len(to_coordinator) >= len(people) + 2  # pre-talk notices, approval, digests
    everything = "\n".join(
        (attachment(m, "text/plain") or b"").decode()
        + (attachment(m, "text/html") or b"").decode()
        + str(m["Subject"])
        for m in to_coordinator
    )
    assert all(ref in everything for ref in refs)  # they are there, by reference
    for body in people:
        for secret in (
            body["name"],
            body["email"],
            body["phone"],
            "+47" + body["phone"],
            body["message"],
        ):
            assert secret not in everything, f"{secret!r} in a coordinator email"
