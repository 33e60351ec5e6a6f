"""Repairs after the confirmation (issue 16): a member leaves, the coordinator cancels a group
before its first meeting, cancels or moves one meeting. Each is one transaction that changes the
group, writes every recipient's calendar ledger (calendars.sync) and records its notices, so a
redelivered task or a second click finds the state moved on and sends nothing twice.

Going back to the pool keeps the person's original place (their `queued_at`). Their placement was
counted once, in the month they were placed; it is not taken back (that month's report may be
frozen) and is not counted again when they are placed in another group (`counted_placed`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from shared.domain import roster
from shared.domain.lifecycle import RUNNING
from shared.ports import TaskSpec, Tx
from workflows.platform import counters
from workflows.platform.runtime import Deps
from workflows.saga import calendars, enqueue, invitations, relocate, resources
from workflows.saga.proposal import FINISHED_KEEP, REPLACE_UNTIL
from workflows.saga.retention import GRACE, expiry_task


def back_to_pool(
    deps: Deps,
    tx: Tx,
    iid: str,
    inquiry: dict[str, Any],
    person: dict[str, Any] | None,
    queued_at: datetime,
    now: datetime,
) -> list[TaskSpec]:
    """placed (or proposed) -> waiting with the original place in the queue, and the retention of
    someone waiting again (the deadline task restarts)."""
    deadline = now + timedelta(days=deps.centre.retention.unplaced_days)
    step = int(inquiry.get("expiry_step", 0)) + 1
    tx.update(
        f"inquiries/{iid}",
        {
            "status": "waiting",
            "group_id": None,
            "queued_at": queued_at,
            "returned_at": now,  # waiting again: the unplaced retention runs from here
            "counted_placed": bool(inquiry.get("counted_placed"))
            or inquiry.get("status") == "placed",
            "expire_at": deadline + GRACE,
            "expiry_step": step,
            "returned_step": step,  # rechecks from here on add to the new deadline (registry)
        },
    )
    if person is not None:
        tx.update(f"people/{iid}", {"expire_at": deadline})
    return [expiry_task(deps, iid, deadline, step)]


def first_start(deps: Deps, group: dict[str, Any]) -> datetime | None:
    ds = group.get("meeting_dates") or []
    return resources.meeting_start(deps, date.fromisoformat(ds[0]), group["slot"]) if ds else None


def leave(
    deps: Deps, tx: Tx, gid: str, mid: str, now: datetime, *, back: bool, by: str
) -> tuple[str, list[TaskSpec]]:
    """A member leaves a running group ("I can't continue", or the coordinator records it)."""
    group = tx.get(f"groups/{gid}")
    inquiry = tx.get(f"inquiries/{mid}")
    person = tx.get(f"people/{mid}")
    if group is None or group["status"] not in RUNNING or mid not in group["members"]:
        return "stale", []
    member = group["members"][mid]
    members = {k: v for k, v in group["members"].items() if k != mid}
    left = [*group.get("left", []), {"id": mid, "at": now, "by": by, "back": back}]
    update: dict[str, Any] = {
        "members": members,
        "left": left,
        "declined": [*group.get("declined", []), mid],  # never offered this group again
    }
    specs: list[TaskSpec] = []
    if inquiry is not None and inquiry.get("group_id") == gid:
        if back:
            specs += back_to_pool(deps, tx, mid, inquiry, person, member["queued_at"], now)
            specs.append(enqueue.assemble(deps, "pool_changed", f"left-{gid}-{mid}"))
        else:
            # group_id stays: their data is kept as a placed member's is (until the facilitator
            # phase is over + N days), then TTL removes it
            tx.update(f"inquiries/{mid}", {"status": "left", "left_at": now})
    tx.increment(
        counters.stats_path(now, "centre", deps.centre.centre.timezone), {"members_left": 1}
    )
    accepted = [k for k, v in members.items() if v.get("response") == "accepted"]
    start = first_start(deps, group)
    if (
        group["status"] == "confirmed"
        and len(accepted) < deps.centre.groups.min_size
        and start is not None
    ):
        # below the minimum before it starts: topped up from the pool while there is time for
        # a newcomer to answer; the console and the digest show it to the coordinator meanwhile
        update["short_since"] = group.get("short_since") or now
        update["topup_until"] = start - REPLACE_UNTIL
        specs.append(enqueue.assemble(deps, "pool_changed", f"short-{gid}-{mid}"))
    tx.update(f"groups/{gid}", update)
    specs += calendars.sync(deps, tx, gid, {**group, **update}, now, reason="left")
    return "ok", specs


def cancel_group(deps: Deps, tx: Tx, gid: str, now: datetime) -> tuple[str, list[TaskSpec]]:
    """Before its first meeting: everyone back to the pool with their original place, the room and
    the facilitator's dates free, every calendar entry cancelled."""
    group = tx.get(f"groups/{gid}")
    if group is None or group["status"] != "confirmed":
        return "stale", []
    start = first_start(deps, group)
    if start is not None and start <= now:
        return "stale", []
    ids = sorted(group["members"])
    docs = tx.get_many([p for m in ids for p in (f"inquiries/{m}", f"people/{m}")])
    specs: list[TaskSpec] = []
    for mid in ids:
        inquiry = docs.get(f"inquiries/{mid}")
        if inquiry is None or inquiry.get("group_id") != gid:
            continue
        if inquiry.get("status") not in ("placed", "proposed"):
            continue
        queued = group["members"][mid]["queued_at"]
        specs += back_to_pool(deps, tx, mid, inquiry, docs.get(f"people/{mid}"), queued, now)
    resources.release_resources(tx, gid, group, now)
    update = {
        "status": "cancelled",
        "cancelled_at": now,
        "expire_at": now + FINISHED_KEEP,
        "short_since": None,
    }
    tx.update(f"groups/{gid}", update)
    tx.increment(
        counters.stats_path(now, "centre", deps.centre.centre.timezone), {"groups_cancelled": 1}
    )
    specs += calendars.sync(deps, tx, gid, {**group, **update}, now, reason="group_cancelled")
    specs.append(enqueue.assemble(deps, "dissolved", f"cancelled-{gid}"))
    return "ok", specs


def _meeting(deps: Deps, group: dict[str, Any], key: str, now: datetime) -> date | None:
    """The date of meeting number `key` if it is still ahead and not cancelled."""
    ds = group.get("meeting_dates") or []
    if not key.isdigit() or not 1 <= int(key) <= len(ds):
        return None
    if key in {str(k) for k in group.get("cancelled_meetings") or []}:
        return None
    day = date.fromisoformat(ds[int(key) - 1])
    return day if resources.meeting_start(deps, day, group["slot"]) > now else None


def _part(group: dict[str, Any]) -> str:
    return str((group.get("offer") or {}).get("part") or str(group["slot"]).split("_")[1])


def cancel_meeting(
    deps: Deps, tx: Tx, gid: str, key: str, now: datetime
) -> tuple[str, list[TaskSpec]]:
    """One meeting does not take place (the room is closed that day, a holiday was added)."""
    group = tx.get(f"groups/{gid}")
    if group is None or group["status"] not in RUNNING:
        return "stale", []
    day = _meeting(deps, group, key, now)
    if day is None:
        return "stale", []
    if group.get("facilitator_id"):
        tx.delete(resources.facilitator_booking(group["facilitator_id"], day, _part(group)))
    if group.get("started_at") is not None:  # its start counted this meeting in its month
        minutes = deps.centre.groups.meeting_minutes
        tx.increment(
            counters.day_path(day, now, str(group["place"]), deps.centre.centre.timezone),
            {"meetings": -1, "facilitator_minutes": -minutes},
        )
    update = {"cancelled_meetings": [*(group.get("cancelled_meetings") or []), key]}
    tx.update(f"groups/{gid}", update)
    tx.increment(
        counters.stats_path(now, "centre", deps.centre.centre.timezone), {"meetings_cancelled": 1}
    )
    return "ok", calendars.sync(deps, tx, gid, {**group, **update}, now, reason="meeting_cancelled")


def move_meeting(
    deps: Deps,
    tx: Tx,
    gid: str,
    key: str,
    now: datetime,
    *,
    new_date: date | None = None,
    venue_id: str | None = None,
) -> tuple[str, list[TaskSpec]]:
    """One meeting to another date (same weekly time) or another free room of the same place; it
    keeps its number, so every calendar gets the same UID with a higher SEQUENCE."""
    group = tx.get(f"groups/{gid}")
    if (
        group is None
        or group["status"] not in RUNNING
        or (group["place"] == "digital" and venue_id)
    ):
        return "stale", []
    day = _meeting(deps, group, key, now)
    if day is None:
        return "stale", []
    venue = tx.get(f"venues/{venue_id}") if venue_id else None  # reads before writes
    taken = tx.get(resources.venue_booking(venue_id, group["slot"])) if venue_id else None
    members = tx.get_many(invitations.member_paths(group)) if new_date is not None else {}
    if venue_id and (
        venue is None
        or venue.get("municipality") != group["place"]
        or (taken is not None and taken.get("group_id") != gid)
    ):
        return "stale", []  # not a free room of the same place in the group's weekly time
    update: dict[str, Any] = {}
    if new_date is not None and new_date != day:
        start = resources.meeting_start(deps, new_date, group["slot"])
        if start <= now or new_date.isoformat() in (group.get("meeting_dates") or []):
            return "stale", []
        fid = group.get("facilitator_id")
        busy = tx.get(resources.facilitator_booking(fid, new_date, _part(group))) if fid else None
        if busy is not None:
            return "stale", []
        if fid:
            tx.delete(resources.facilitator_booking(fid, day, _part(group)))
            resources.book_facilitator(tx, gid, fid, new_date, _part(group), now)
        ds = list(group["meeting_dates"])
        ds[int(key) - 1] = new_date.isoformat()
        update["meeting_dates"] = ds
        invitations.keep_members(deps, tx, group, ds, members)
    if venue_id:
        update["meeting_rooms"] = {**(group.get("meeting_rooms") or {}), key: venue_id}
    if not update:
        return "stale", []
    more, specs = relocate.end_task(deps, gid, group, update)  # the phase ends with it (issue 16)
    update |= more
    tx.update(f"groups/{gid}", update)
    tx.increment(
        counters.stats_path(now, "centre", deps.centre.centre.timezone), {"meetings_moved": 1}
    )
    return "ok", specs + calendars.sync(deps, tx, gid, {**group, **update}, now, reason="moved")


def conflicts(
    deps: Deps,
    group: dict[str, Any],
    venues: dict[str, dict[str, Any]],
    facilitator: dict[str, Any] | None,
    now: datetime,
) -> list[dict[str, str]]:
    """Booked meetings still ahead that a room's closed dates or the facilitator's dates away now
    hit (issue 16): they stand in everyone's calendar until the coordinator moves or cancels them,
    so the console and the digest put them in front of the coordinator."""
    if group.get("status") not in RUNNING:
        return []
    rooms = group.get("meeting_rooms") or {}
    found = []
    for key, m in sorted(calendars.meetings(group).items(), key=lambda kv: int(kv[0])):
        day = date.fromisoformat(m["date"])
        if resources.meeting_start(deps, day, group["slot"]) <= now:
            continue
        venue = venues.get(str(rooms.get(key) or group.get("venue_id") or ""))
        if venue is not None and roster.blocked_on(venue.get("unavailable"), [day]):
            found.append({"meeting": key, "date": m["date"], "why": "venue"})
        if facilitator is not None and roster.blocked_on(facilitator.get("away"), [day]):
            found.append({"meeting": key, "date": m["date"], "why": "facilitator"})
    return found
