"""Staffing a group: offer it to the best facilitator, in its own weekly slot or in any other slot
every member allows and a room is free (issue 8); on decline or timeout, to the next one.

Ranking reads many documents, so it happens before the transaction; the transaction re-checks what
matters (the facilitator's dates, their cap, the room) and books all of it at once, so two groups
can never hold the same person or room at the same time, and three approvals at once cannot take a
facilitator past their cap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from shared.domain import roster, slots
from shared.domain.facilitators import Facilitator, Need, rank
from shared.ports import TaskSpec, Tx
from workflows.platform import coordinators, tokens
from workflows.platform.runtime import Deps
from workflows.saga import enqueue, invitations, proposal, resources


def load_facilitators(deps: Deps) -> list[Facilitator]:
    out = []
    for fid, doc in deps.store.query("facilitators"):
        if doc.get("active") is False:
            continue
        away = tuple(
            (date.fromisoformat(a["from"]), date.fromisoformat(a["to"]))
            for a in doc.get("away", [])
        )
        out.append(
            Facilitator(
                id=fid,
                municipalities=tuple(doc.get("municipalities", ())),
                digital=bool(doc.get("digital", False)),
                slots=tuple(doc.get("slots", ())),
                languages=tuple(doc.get("languages", ("no",))),
                topics=tuple(doc.get("topics", ())),
                max_groups=int(doc.get("max_groups", 1)),
                away=away,
            )
        )
    return out


def current_load(deps: Deps) -> dict[str, int]:
    """Groups each facilitator facilitates now: from offer to their last facilitated meeting."""
    return {fid: resources.count_load(doc) for fid, doc in deps.store.query("facilitator_load")}


def busy_from_bookings(deps: Deps) -> set[tuple[str, date, str]]:
    busy = set()
    for _, b in deps.store.query("facilitator_bookings"):
        busy.add((str(b["facilitator_id"]), date.fromisoformat(str(b["date"])), str(b["part"])))
    return busy


def first_dates(deps: Deps, slot: str, now: datetime, count: int) -> tuple[date, ...]:
    earliest = (now + timedelta(days=resources.LEAD_DAYS)).date()
    return tuple(slots.meeting_dates(slot, earliest, count, deps.centre.closed))


@dataclass(frozen=True)
class Option:
    """A weekly slot (with its room, for an in-person group) the group could meet in."""

    slot: str
    venue_id: str | None


def slot_options(
    deps: Deps, gid: str, group: dict[str, Any], member_docs: list[dict[str, Any]]
) -> list[Option]:
    """The group's own slot first, then every other slot that all members' stated times allow and
    where a room of the group's municipality is free (issue 8: fix the slot when staff is known)."""
    allowed: set[str] | None = None
    for doc in member_docs:
        mine = {s for cat in doc.get("times", ()) for s in slots.slots_in(cat)}
        allowed = mine if allowed is None else allowed & mine
    own = str(group["slot"])
    ordered = [own] + [s for s in slots.ALL_SLOTS if s != own and (allowed is None or s in allowed)]
    if group["place"] == "digital":
        return [Option(s, None) for s in ordered]
    size = len(group["members"])
    # a member who needs a step-free entrance keeps the group in such rooms (issue 16)
    step_free = any(doc.get("step_free") is True for doc in member_docs)
    booked = {
        (str(b["venue_id"]), str(b["slot"])): str(b.get("group_id"))
        for _, b in deps.store.query("venue_bookings")
    }
    venues = [
        (vid, v)
        for vid, v in deps.store.query("venues")
        if v.get("municipality") == group["place"]
        and v.get("active") is not False
        and int(v.get("capacity", 0)) >= size
        and (v.get("accessible") is True or not step_free)
    ]
    out: list[Option] = []
    now = deps.clock.now()
    for s in ordered:
        if s == own and group.get("venue_id"):
            out.append(Option(s, group["venue_id"]))
            continue
        dates = list(first_dates(deps, s, now, deps.centre.groups.facilitator_meetings))
        for vid, v in sorted(venues, key=lambda x: (-int(x[1].get("capacity", 0)), x[0])):
            if (
                s in v.get("slots", ())
                and booked.get((vid, s), gid) == gid
                and not roster.blocked_on(v.get("unavailable"), dates)
            ):
                out.append(Option(s, vid))
                break
    return out


def find_offer(
    deps: Deps, gid: str, group: dict[str, Any], now: datetime
) -> list[tuple[Option, Facilitator, tuple[date, ...]]]:
    """Every (slot, facilitator) pair that could take the group now, best first."""
    member_docs = [
        d
        for d in deps.store.get_many([f"inquiries/{m}" for m in group["members"]]).values()
        if d is not None
    ]
    facs = load_facilitators(deps)
    load = current_load(deps)
    busy = busy_from_bookings(deps)
    km = {m.code: m.travel_km for m in deps.centre.municipalities}
    found = []
    for option in slot_options(deps, gid, group, member_docs):
        dates = first_dates(deps, option.slot, now, deps.centre.groups.facilitator_meetings)
        need = Need(
            place=str(group["place"]),
            slot=option.slot,
            part=option.slot.split("_")[1],
            dates=dates,
            language=str(group["language"]),
            topic=str(group["topic"]),
        )
        for f in rank(facs, need, load=load, busy=busy, exclude=group.get("tried", []), km=km):
            found.append((option, f, dates))
    return found


def candidates(
    deps: Deps, group: dict[str, Any], dates: tuple[date, ...], exclude: list[str]
) -> list[str]:
    """Who could take these dates of a group in its own weekly slot, best first, by the same
    rules as a first offer (place, slot, language, topic, dates away, cap, other bookings): the
    remaining meetings of a group whose facilitator drops out (issue 16)."""
    slot = str(group["slot"])
    need = Need(
        place=str(group["place"]),
        slot=slot,
        part=slot.split("_")[1],
        dates=dates,
        language=str(group["language"]),
        topic=str(group["topic"]),
    )
    km = {m.code: m.travel_km for m in deps.centre.municipalities}
    ranked = rank(
        load_facilitators(deps),
        need,
        load=current_load(deps),
        busy=busy_from_bookings(deps),
        exclude=exclude,
        km=km,
    )
    return [f.id for f in ranked]


def offer_step(
    deps: Deps, tx: Tx, gid: str, rnd: int, now: datetime, pre: list[Any]
) -> list[TaskSpec]:
    """The `offer` task: the first candidate whose dates, cap and room still hold gets the offer;
    nobody at all sends the group to the coordinator, with a retry a week later."""
    path = f"groups/{gid}"
    group = tx.get(path)
    if group is None or group["offer_round"] != rnd or group["status"] != "approved":
        return []
    fac_docs = tx.get_many(sorted({f"facilitators/{f.id}" for _, f, _ in pre}))
    loads = tx.get_many(sorted({resources.load_path(f.id) for _, f, _ in pre}))
    for option, f, dates in pre:
        part = option.slot.split("_")[1]
        booking_paths = [resources.facilitator_booking(f.id, d, part) for d in dates]
        venue_path = (
            resources.venue_booking(option.venue_id, option.slot)
            if option.venue_id
            and (option.venue_id, option.slot) != (group.get("venue_id"), group["slot"])
            else None
        )
        checks = tx.get_many(booking_paths + ([venue_path] if venue_path else []))
        if any(v is not None for v in checks.values()):
            continue  # booked since we looked
        fac = fac_docs.get(f"facilitators/{f.id}") or {}
        if resources.count_load(loads.get(resources.load_path(f.id))) >= int(
            fac.get("max_groups", 1)
        ):
            continue  # took another group since we looked
        return offer(deps, tx, gid, group, f.id, option, dates, now)
    restaff = int(group.get("restaff_round", 0))
    g = deps.centre.groups
    specs = [
        enqueue.notify(deps, "coordinator_alert", gid, coordinators.lead(deps), salt=f"staff-{rnd}")
    ]
    # The coordinator's links, valid until the next automatic retry moves the group on.
    valid = timedelta(days=g.staffing_retry_days + 1)
    tx.update(
        path,
        {
            "status": "needs_facilitator",
            "flagged_at": now,
            "retry_token": tokens.issue(tx, "retry_staffing", now, valid, group_id=gid),
            "dissolve_token": tokens.issue(tx, "dissolve_group", now, valid, group_id=gid),
        },
    )
    specs.append(
        enqueue.schedule(
            deps, "restaff", gid, rnd, at=now + timedelta(days=g.staffing_retry_days), step=restaff
        )
    )
    return specs


def offer(
    deps: Deps,
    tx: Tx,
    gid: str,
    group: dict[str, Any],
    fid: str,
    option: Option,
    dates: tuple[date, ...],
    now: datetime,
) -> list[TaskSpec]:
    rnd = int(group["offer_round"])
    timeout = timedelta(hours=deps.centre.groups.offer_timeout_hours)
    subject = {"group_id": gid, "facilitator_id": fid, "round": rnd}
    accept, decline = tokens.issue_pair(
        tx, "accept_offer", "decline_offer", now, timeout, **subject
    )
    part = option.slot.split("_")[1]
    for d in dates:
        resources.book_facilitator(tx, gid, fid, d, part, now)
    resources.set_load(tx, fid, gid, True)
    update: dict[str, Any] = {
        "status": "offered",
        "offer": {
            "facilitator_id": fid,
            "dates": [d.isoformat() for d in dates],
            "part": part,
            "accept_token": accept,
            "decline_token": decline,
            "deadline": now + timeout,
        },
        "tried": [*group.get("tried", []), fid],
    }
    if option.slot != group["slot"] or option.venue_id != group.get("venue_id"):
        # Another weekly slot suits the staff: move the room booking with it.
        if group.get("venue_id"):
            tx.delete(resources.venue_booking(group["venue_id"], group["slot"]))
        if option.venue_id:
            tx.create(
                resources.venue_booking(option.venue_id, option.slot),
                {"group_id": gid, "venue_id": option.venue_id, "slot": option.slot, "at": now},
            )
        update |= {"slot": option.slot, "venue_id": option.venue_id, "moved_from": group["slot"]}
    tx.update(f"groups/{gid}", update)
    return [
        enqueue.notify(deps, "offer", gid, fid, salt=str(rnd)),
        enqueue.schedule(deps, "offer_timeout", gid, rnd, at=now + timeout),
    ]


def release_offer(deps: Deps, tx: Tx, gid: str, group: dict[str, Any]) -> list[TaskSpec]:
    """Declined or timed out: free the dates and the cap, and offer the group to the next person."""
    offer_ = group["offer"]
    for d in offer_["dates"]:
        tx.delete(
            resources.facilitator_booking(
                offer_["facilitator_id"], date.fromisoformat(d), offer_["part"]
            )
        )
    resources.set_load(tx, offer_["facilitator_id"], gid, False)
    nxt = int(group["offer_round"]) + 1
    tx.update(f"groups/{gid}", {"status": "approved", "offer": None, "offer_round": nxt})
    return [enqueue.schedule(deps, "offer", gid, nxt)]


def offer_timeout(deps: Deps, tx: Tx, gid: str, rnd: int) -> list[TaskSpec]:
    group = tx.get(f"groups/{gid}")
    if group is None or group["offer_round"] != rnd or group["status"] != "offered":
        return []
    return release_offer(deps, tx, gid, group)


def restaff(deps: Deps, tx: Tx, gid: str, step: int, now: datetime) -> list[TaskSpec]:
    """A week on: try everyone again (people come back from holidays, caps free up); after the
    configured retries the members go back to the pool keeping their place."""
    group = tx.get(f"groups/{gid}")
    if (
        group is None
        or group["status"] != "needs_facilitator"
        or int(group.get("restaff_round", 0)) != step
    ):
        return []
    if step >= deps.centre.groups.staffing_retries:
        docs = tx.get_many([f"inquiries/{m}" for m in group["members"]])
        return proposal.dissolve(deps, tx, gid, group, docs, now, reason="no_facilitator")
    return _again(deps, tx, gid, group, step + 1)


def retry_action(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime
) -> tuple[str, list[TaskSpec]]:
    """The coordinator asks for another round now (e.g. after adding a facilitator)."""
    gid = str(token["group_id"])
    group = tx.get(f"groups/{gid}")
    if group is None or group["status"] != "needs_facilitator":
        return "stale", []
    return "ok", _again(deps, tx, gid, group, int(group.get("restaff_round", 0)) + 1)


def _again(
    deps: Deps, tx: Tx, gid: str, group: dict[str, Any], restaff_round: int
) -> list[TaskSpec]:
    nxt = int(group["offer_round"]) + 1
    tx.update(
        f"groups/{gid}",
        {
            "status": "approved",
            "tried": [],
            "offer_round": nxt,
            "restaff_round": restaff_round,
        },
    )
    return [enqueue.schedule(deps, "offer", gid, nxt)]


def offer_answer(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, accept: bool
) -> tuple[str, list[TaskSpec]]:
    gid, fid, rnd = str(token["group_id"]), str(token["facilitator_id"]), int(token["round"])
    group = tx.get(f"groups/{gid}")
    if (
        group is None
        or group["status"] != "offered"
        or (group.get("offer") or {}).get("facilitator_id") != fid
        or group["offer_round"] != rnd
    ):
        return "stale", []
    if not accept:
        return "ok", release_offer(deps, tx, gid, group)
    return "ok", invitations.invite(deps, tx, gid, group, fid, now)
