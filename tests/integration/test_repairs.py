"""Issue 16 against the Firestore emulator, with a virtual clock: calendar invitations after the
confirmation, and every repair (a member leaves, a group is cancelled before its start, one
meeting is moved or cancelled, new dates away or a room's closure hit a booked meeting, a message
to the group). Every task is delivered twice: each notice goes out once, every calendar file
carries the same UID with a higher SEQUENCE, and whoever goes back to the pool keeps their place.
"""

from __future__ import annotations

import dataclasses
import email
import uuid
from datetime import date, timedelta
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import pytest

from shared.domain import calendar as ledger
from shared.ports import Where
from tests.helpers.calendar import calendar_parts, check_all, standing
from tests.helpers.saga import act, drain, waiting_people
from tests.integration.test_lifecycle import START, Clock, confirmed
from workflows.console import commands
from workflows.platform.counters import stats_path
from workflows.reporting import digest
from workflows.saga import repair

ACTOR = "c-test"


@pytest.fixture()
def town(stack: Any, tmp_path: Path) -> tuple[Any, Any, Clock]:
    """A Firestore project of its own with the demo centre, a virtual clock, a capturing queue."""
    from scripts.demo import load
    from shared.adapters.firestore_store import FirestoreStore
    from shared.adapters.mail import OutboxMailer
    from shared.config import reset_caches
    from tests.helpers.saga import Capture
    from workflows.platform.runtime import build_deps

    reset_caches()
    store = FirestoreStore(f"repairs-{uuid.uuid4().hex[:10]}")
    load(store=store)
    clock, q = Clock(START), Capture()
    d = dataclasses.replace(
        build_deps(), store=store, queue=q, clock=clock, mailer=OutboxMailer(tmp_path / "outbox")
    )
    return d, q, clock


def outbox_of(d: Any) -> Path:
    return Path(d.mailer._dir)


def organizer(d: Any) -> str:
    return parseaddr(d.centre.centre.mail_from)[1]


def addresses(d: Any, ids: list[str]) -> dict[str, str]:
    return {i: d.store.get(f"people/{i}")["email"] for i in ids}


def privacy(d: Any, ids: list[str]) -> dict[str, list[str]]:
    """For each member's address: every other member's name and address."""
    people = {i: d.store.get(f"people/{i}") for i in ids}
    return {
        p["email"]: [x for j, q in people.items() if j != i for x in (q["name"], q["email"])]
        for i, p in people.items()
    }


def files_to(d: Any, to: str) -> list[Any]:
    return [s for s in calendar_parts(outbox_of(d)) if s.to == to]


def confirmed_twice(d: Any, q: Any, **kw: Any) -> tuple[str, list[str], list[Any]]:
    gid, ids, held = confirmed(d, q, **kw)
    held += drain(d, q, twice=True)
    return gid, ids, held


def test_the_confirmation_is_an_invitation_for_each_recipient_alone(town: Any) -> None:
    d, q, _clock = town
    gid, ids, _ = confirmed_twice(d, q, municipality="4601", topic="bereavement")
    g = d.store.get(f"groups/{gid}")
    sent = check_all(outbox_of(d), organizer(d), privacy(d, ids))
    fac = d.store.get(f"facilitators/{g['facilitator_id']}")["email"]
    n = len(g["meeting_dates"])
    uids = {ledger.uid(gid, str(k)) for k in range(1, n + 1)}
    for to in [*addresses(d, ids).values(), fac]:
        (only,) = [s for s in sent if s.to == to]  # one confirmation each, despite duplicates
        assert only.method == "REQUEST" and set(only.uids()) == uids
        assert set(only.uids().values()) == {0}
    assert all(
        set(ledger.standing(g["calendar"][r])) == {str(k) for k in range(1, n + 1)}
        for r in [*ids, f"facilitator:{g['facilitator_id']}"]
    )


def test_a_member_who_leaves_gets_a_cancel_goes_back_with_their_place_and_is_replaced(
    town: Any,
) -> None:
    d, q, _clock = town
    gid, ids, _ = confirmed_twice(d, q, municipality="4601", topic="relatives")
    g = d.store.get(f"groups/{gid}")
    leaver = ids[2]
    queued = g["members"][leaver]["queued_at"]
    month = stats_path(d.clock.now(), "4601", d.centre.centre.timezone)
    placed_before = (d.store.get(month) or {}).get("placed")
    token = g["link_tokens"][f"leave:{leaver}"]
    assert act(d, token, "leave_group", {"back": ["yes"]}).status == 200
    assert act(d, token, "leave_group", {"back": ["yes"]}).status != 200  # a link acts once
    newcomer = waiting_people(d, 1, municipality="4601", topic="relatives", start_hours_ago=10)[0]
    drain(d, q, twice=True)

    inquiry = d.store.get(f"inquiries/{leaver}")
    assert inquiry["status"] == "waiting" and inquiry["queued_at"] == queued
    assert inquiry["counted_placed"] is True and inquiry["group_id"] != gid
    to = addresses(d, [leaver])[leaver]
    cancels = [s for s in files_to(d, to) if s.method == "CANCEL"]
    assert len(cancels) == 1  # once, under duplicate delivery
    assert cancels[0].uids() == {u: 1 for u in files_to(d, to)[0].uids()}  # same UIDs, seq 1
    g = d.store.get(f"groups/{gid}")
    assert leaver not in g["members"] and leaver in g["declined"]
    # four left, below the minimum before the start: the pool tops it up with an invitation
    assert g["short_since"] is not None
    assert g["members"][newcomer]["response"] is None
    assert act(d, g["members"][newcomer]["accept_token"], "accept_invitation").status == 200
    drain(d, q, twice=True)
    g = d.store.get(f"groups/{gid}")
    assert g["short_since"] is None and d.store.get(f"inquiries/{newcomer}")["status"] == "placed"
    new_to = addresses(d, [newcomer])[newcomer]
    (welcome,) = files_to(d, new_to)
    assert welcome.method == "REQUEST"
    # the newcomer's placement is counted; the leaver's was counted once and stays so
    assert (d.store.get(month) or {}).get("placed") == (placed_before or 0) + 1
    check_all(outbox_of(d), organizer(d), privacy(d, [*ids, newcomer]))


def test_cancelling_a_group_before_its_start_sends_everyone_back_with_their_place(
    town: Any,
) -> None:
    d, q, _clock = town
    gid, ids, _ = confirmed_twice(d, q, municipality="4624", topic="divorce")
    g = d.store.get(f"groups/{gid}")
    queued = {i: g["members"][i]["queued_at"] for i in ids}
    month = stats_path(d.clock.now(), "4624", d.centre.centre.timezone)
    placed = d.store.get(month)["placed"]
    assert commands.repair(d, ACTOR, gid, "cancel_group", {}) == "ok"
    assert commands.repair(d, ACTOR, gid, "cancel_group", {}) == "stale"
    drain(d, q, twice=True)
    g = d.store.get(f"groups/{gid}")
    assert g["status"] == "cancelled"
    assert d.store.query("facilitator_bookings", [Where("group_id", "==", gid)]) == []
    assert d.store.query("venue_bookings", [Where("group_id", "==", gid)]) == []
    fac = d.store.get(f"facilitators/{g['facilitator_id']}")["email"]
    for to in [*addresses(d, ids).values(), fac]:
        files = files_to(d, to)
        assert [s.method for s in files] == ["REQUEST", "CANCEL"], to
        assert files[1].uids() == {u: s + 1 for u, s in files[0].uids().items()}
    sent = check_all(outbox_of(d), organizer(d), privacy(d, ids))
    assert standing(sent) == {}  # nothing of the group is left in anyone's calendar
    # the coordinator's entries (issue 22: the email links before it are logged too)
    audit = [e for _, e in d.store.query("audit") if e["subject"] == gid and e["actor"] == ACTOR]
    assert [e["action"] for e in audit] == ["cancel_group"]
    # the pool places them again in a new group: nobody is left placed in the cancelled one
    # and their placement is not counted a second time
    for i in ids:
        doc = d.store.get(f"inquiries/{i}")
        assert doc["status"] in ("waiting", "proposed") and doc["queued_at"] == queued[i]
        assert doc["group_id"] != gid
    assert d.store.get(month)["placed"] == placed
    new = {d.store.get(f"inquiries/{i}")["group_id"] for i in ids}
    (again,) = new
    assert act(d, d.store.get(f"groups/{again}")["approval_token"], "approve_group").status == 200
    drain(d, q)
    offer = d.store.get(f"groups/{again}")["offer"]
    assert act(d, offer["accept_token"], "accept_offer").status == 200
    drain(d, q)
    g2 = d.store.get(f"groups/{again}")
    for i in ids:
        assert act(d, g2["members"][i]["accept_token"], "accept_invitation").status == 200
    drain(d, q, twice=True)
    assert d.store.get(f"groups/{again}")["status"] == "confirmed"
    assert all(d.store.get(f"inquiries/{i}")["status"] == "placed" for i in ids)
    assert d.store.get(month)["placed"] == placed  # counted once, in the month it happened
    check_all(outbox_of(d), organizer(d), privacy(d, ids))


def test_moving_and_cancelling_one_meeting_keep_the_uid_and_raise_the_sequence(
    town: Any,
) -> None:
    d, q, _clock = town
    gid, ids, _ = confirmed_twice(d, q, municipality="4601", topic="loneliness")
    g = d.store.get(f"groups/{gid}")
    fid = g["facilitator_id"]
    last = date.fromisoformat(g["meeting_dates"][-1])
    new_day = last + timedelta(days=7)
    form = {"meeting": ["2"], "date": [new_day.isoformat()]}
    assert commands.repair(d, ACTOR, gid, "move_meeting", form) == "ok"
    assert commands.repair(d, ACTOR, gid, "move_meeting", form) == "stale"  # already there
    drain(d, q, twice=True)
    assert commands.repair(d, ACTOR, gid, "cancel_meeting", {"meeting": ["3"]}) == "ok"
    assert commands.repair(d, ACTOR, gid, "cancel_meeting", {"meeting": ["3"]}) == "stale"
    drain(d, q, twice=True)
    g = d.store.get(f"groups/{gid}")
    assert g["meeting_dates"][1] == new_day.isoformat() and g["cancelled_meetings"] == ["3"]
    booked = {
        b["date"] for _, b in d.store.query("facilitator_bookings", [Where("group_id", "==", gid)])
    }
    assert new_day.isoformat() in booked and len(booked) == 2
    u2, u3 = ledger.uid(gid, "2"), ledger.uid(gid, "3")
    to = addresses(d, [ids[0]])[ids[0]]
    files = files_to(d, to)
    assert [(s.method, s.uids()) for s in files[1:]] == [
        ("REQUEST", {u2: 1}),
        ("CANCEL", {u3: 1}),
    ]
    moved = files[1].events()[0]
    assert moved["dtstart"].dt.date() == new_day
    sent = check_all(outbox_of(d), organizer(d), privacy(d, ids))
    still = standing(sent)
    assert (to, u3) not in still and still[(to, u2)]["dtstart"].dt.date() == new_day
    fac = d.store.get(f"facilitators/{fid}")["email"]
    assert [s.method for s in files_to(d, fac)] == ["REQUEST", "REQUEST", "CANCEL"]


def test_a_closed_room_or_new_dates_away_on_a_booked_meeting_reach_the_coordinator(
    town: Any,
) -> None:
    d, q, _clock = town
    gid, _ids, _ = confirmed_twice(d, q, municipality="4601", topic="unemployment")
    g = d.store.get(f"groups/{gid}")
    second = g["meeting_dates"][1]
    assert repair.conflicts(d, g, dict(d.store.query("venues")), None, d.clock.now()) == []
    d.store.set(
        f"venues/{g['venue_id']}", {"unavailable": [{"from": second, "to": second}]}, merge=True
    )
    third = g["meeting_dates"][2]
    d.store.set(
        f"facilitators/{g['facilitator_id']}", {"away": [{"from": third, "to": third}]}, merge=True
    )
    fac = d.store.get(f"facilitators/{g['facilitator_id']}")
    hits = repair.conflicts(d, g, dict(d.store.query("venues")), fac, d.clock.now())
    assert hits == [
        {"meeting": "2", "date": second, "why": "venue"},
        {"meeting": "3", "date": third, "why": "facilitator"},
    ]
    sections = digest.build(d, "en")
    (repairs,) = [s for s in sections if s.heading == "Booked meetings that need a decision"]
    lines = [i.title for i in repairs.items]
    assert any("room is closed" in x for x in lines) and any("away" in x for x in lines)
    # once the meeting is cancelled it no longer needs a decision
    assert commands.repair(d, ACTOR, gid, "cancel_meeting", {"meeting": ["2"]}) == "ok"
    g = d.store.get(f"groups/{gid}")
    hits = repair.conflicts(d, g, dict(d.store.query("venues")), fac, d.clock.now())
    assert [h["meeting"] for h in hits] == ["3"]


def test_a_message_to_the_group_reaches_each_one_alone_and_the_log_keeps_no_text(
    town: Any,
) -> None:
    d, q, clock = town
    gid, ids, _ = confirmed_twice(d, q, municipality="4601", topic="young_adults")
    text = "Vi møtes i rom 2 i dag."
    assert commands.message_problem("") == "message_required"
    assert commands.message_problem("x" * 1001) == "message_too_long"
    out, n = commands.message_group(d, ACTOR, gid, text)
    assert out == "ok" and n == len(ids) + 1
    drain(d, q, twice=True)
    mails = []
    for path in outbox_of(d).glob("message-*.eml"):
        msg = email.message_from_bytes(path.read_bytes())
        mails.append(msg)
        assert "," not in str(msg["To"]) and msg["Cc"] is None and msg["Bcc"] is None
    assert len(mails) == n  # one each, despite duplicate delivery
    assert len({m["To"] for m in mails}) == n
    entries = [e for _, e in d.store.query("audit") if e["subject"] == gid]
    assert [e["action"] for e in entries if e["actor"] == ACTOR] == ["message_group"]
    assert all(text not in str(e) for e in entries)
    (mdoc,) = [m for _, m in d.store.query("group_messages") if m["group_id"] == gid]
    assert mdoc["expire_at"] == clock.now() + timedelta(days=30)


def test_the_group_card_and_its_confirmation_pages_render(town: Any) -> None:
    from workflows.console import views

    d, q, _clock = town
    gid, ids, _ = confirmed_twice(d, q, municipality="4601", topic="young_adults")
    ctx = {"session": None, "csrf": "x"}
    card = views.group_card(d, "nb", gid, ctx)
    assert card.status == 200 and isinstance(card.body, str)
    assert "5 av 5 har sagt ja" in card.body
    assert all(d.store.get(f"people/{i}")["name"] in card.body for i in ids)
    for kind, query in (
        ("cancel_group", {}),
        ("remove_member", {"member": ids[0]}),
        ("cancel_meeting", {"meeting": "2"}),
        ("move_meeting", {"meeting": "2", "date": "2027-06-01"}),
    ):
        page = views.confirm_repair(d, "nb", gid, kind, query, ctx)
        assert page.status == 200 and isinstance(page.body, str), kind
        assert "Dette kan ikke angres." in page.body, kind
        assert f"/groups/{gid}/repair/{kind}" in page.body
    assert views.confirm_repair(d, "nb", gid, "remove_member", {"member": "x"}, ctx).status == 404
