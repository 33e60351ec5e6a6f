"""Moving a whole group to another weekly slot or room (issue 16): only to a slot every member's
stated times allow and the facilitator can take, and only to a free room of the group's own
municipality (a member who needs a step-free entrance keeps it in such rooms). The meetings
still ahead get the new slot's dates (from the week of the next meeting on) and the new room;
those held stay as they were. Each meeting keeps its number, so every calendar gets the same UID
with a higher SEQUENCE — one notice for each member and the facilitator.

`check` says what would change and what stops it; the console's confirmation page shows the one,
and refuses with the other, before anything is written; the transaction checks it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shared.domain import roster, slots
from shared.domain.lifecycle import RUNNING
from shared.ports import TaskSpec, Tx
from workflows.platform import counters
from workflows.platform.runtime import Deps
from workflows.saga import calendars, enqueue, invitations, resources

Docs = dict[str, dict[str, Any] | None]


@dataclass(frozen=True)
class Plan:
    slot: str
    venue_id: str | None
    moves: dict[str, date]  # meeting number -> its new date (the meetings still ahead)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (form field, text key)


def ahead(deps: Deps, group: dict[str, Any], now: datetime) -> list[str]:
    return sorted(set(calendars.meetings(group)) - calendars.past(deps, group, now), key=int)


def _today(deps: Deps, now: datetime) -> date:
    return now.astimezone(ZoneInfo(deps.centre.centre.timezone)).date()


def new_dates(deps: Deps, group: dict[str, Any], slot: str, now: datetime) -> dict[str, date]:
    """The meetings still ahead, on `slot`'s weekday from the week of the next one on (never
    before tomorrow, never before a meeting already held), skipping holidays and closed weeks."""
    keys = ahead(deps, group, now)
    ds = [date.fromisoformat(d) for d in group.get("meeting_dates") or []]
    if not keys:
        return {}
    if slot == group["slot"]:
        return {k: ds[int(k) - 1] for k in keys}
    first = ds[int(keys[0]) - 1]
    held = [ds[int(k) - 1] for k in calendars.past(deps, group, now)]
    earliest = max(
        first - timedelta(days=first.weekday()),
        _today(deps, now) + timedelta(days=1),
        *(d + timedelta(days=1) for d in held),
    )
    found = slots.meeting_dates(slot, earliest, len(keys), deps.centre.closed)
    return dict(zip(keys, found, strict=True))


def target(group: dict[str, Any], slot: str, venue_id: str | None) -> tuple[str, str | None]:
    """What the form asks for; an empty field keeps what the group has."""
    digital = group["place"] == "digital"
    return slot or str(group["slot"]), (None if digital else venue_id or group.get("venue_id"))


def paths(
    deps: Deps, gid: str, group: dict[str, Any], slot: str, venue_id: str | None, now: datetime
) -> list[str]:
    """The documents `check` reads (in the transaction, before it writes)."""
    slot, venue_id = target(group, slot, venue_id)
    out = invitations.member_paths(group)  # the members' weeks, and their data's keep
    fid = group.get("facilitator_id")
    if fid:
        out.append(f"facilitators/{fid}")
        if slot in slots.ALL_SLOTS:
            p = slot.split("_")[1]
            out += [
                resources.facilitator_booking(str(fid), d, p)
                for d in new_dates(deps, group, slot, now).values()
            ]
    if venue_id:
        out += [f"venues/{venue_id}"]
        if slot in slots.ALL_SLOTS:
            out.append(resources.venue_booking(venue_id, slot))
    return out


def check(
    deps: Deps,
    gid: str,
    group: dict[str, Any],
    docs: Docs,
    slot: str,
    venue_id: str | None,
    now: datetime,
) -> Plan:
    slot, venue_id = target(group, slot, venue_id)
    problems: list[tuple[str, str]] = []
    if group.get("status") not in RUNNING:
        return Plan(slot, venue_id, {}, [("slot", "move_no_meetings")])
    if slot not in slots.ALL_SLOTS:
        return Plan(slot, venue_id, {}, [("slot", "move_slot_unknown")])
    if group["place"] != "digital" and not venue_id:
        return Plan(slot, venue_id, {}, [("venue", "move_venue_place")])
    if (slot, venue_id) == (group["slot"], group.get("venue_id") if venue_id else None):
        return Plan(slot, venue_id, {}, [("slot", "move_unchanged")])
    moves = new_dates(deps, group, slot, now)
    if not moves:
        return Plan(slot, venue_id, {}, [("slot", "move_no_meetings")])
    if (group.get("replacement") or {}).get("status") in ("requested", "offered"):
        problems.append(("slot", "move_replacing"))
    changes_time = slot != group["slot"]
    if changes_time and _today(deps, now).isoformat() in (group.get("meeting_dates") or []):
        problems.append(("slot", "move_meeting_today"))
    members = [docs.get(f"inquiries/{m}") for m in sorted(group.get("members") or {})]
    known = [m for m in members if m is not None]
    for m in known:
        mine = {s for cat in m.get("times", ()) for s in slots.slots_in(cat)}
        if slot not in mine:
            problems.append(("slot", "move_slot_members"))
            break
    fid = group.get("facilitator_id")
    if fid and changes_time:
        fac = docs.get(f"facilitators/{fid}") or {}
        p = slot.split("_")[1]
        busy = any(
            (b := docs.get(resources.facilitator_booking(str(fid), d, p))) is not None
            and b.get("group_id") != gid
            for d in moves.values()
        )
        if (
            slot not in fac.get("slots", ())
            or roster.blocked_on(fac.get("away"), list(moves.values()))
            or busy
        ):
            problems.append(("slot", "move_slot_facilitator"))
    if venue_id:
        problems += _venue_problems(gid, group, docs, known, slot, venue_id, moves)
    return Plan(slot, venue_id, moves, problems)


def _venue_problems(
    gid: str,
    group: dict[str, Any],
    docs: Docs,
    members: list[dict[str, Any]],
    slot: str,
    venue_id: str,
    moves: dict[str, date],
) -> list[tuple[str, str]]:
    v = docs.get(f"venues/{venue_id}")
    if v is None or v.get("municipality") != group["place"] or v.get("active") is False:
        return [("venue", "move_venue_place")]
    size = len(group.get("members") or {}) or int(group.get("member_count", 0))
    step_free = any(m.get("step_free") is True for m in members)
    if int(v.get("capacity", 0)) < size or (step_free and v.get("accessible") is not True):
        return [("venue", "move_venue_size")]
    if slot not in v.get("slots", ()):
        return [("venue", "move_venue_slot")]
    taken = docs.get(resources.venue_booking(venue_id, slot))
    if taken is not None and taken.get("group_id") != gid:
        return [("venue", "move_venue_taken")]
    if roster.blocked_on(v.get("unavailable"), list(moves.values())):
        return [("venue", "move_venue_closed")]
    return []


def plan_now(deps: Deps, gid: str, slot: str, venue_id: str | None) -> tuple[dict[str, Any], Plan]:
    """The confirmation page's view (outside a transaction; the POST checks again in one)."""
    now = deps.clock.now()
    group = deps.store.get(f"groups/{gid}") or {}
    if not group:
        return group, Plan(slot, venue_id, {}, [("slot", "move_no_meetings")])
    docs = deps.store.get_many(paths(deps, gid, group, slot, venue_id, now))
    return group, check(deps, gid, group, docs, slot, venue_id, now)


def end_task(
    deps: Deps, gid: str, group: dict[str, Any], update: dict[str, Any]
) -> tuple[dict[str, Any], list[TaskSpec]]:
    """When the last facilitated meeting moves later, the end of the facilitator phase moves with
    it: a new `facilitation_over` task at its end (the one scheduled before finds the meetings
    still ahead and does nothing; running.facilitation_over)."""
    before = group.get("meeting_dates") or []
    after = update.get("meeting_dates", before)
    slot = str(update.get("slot", group["slot"]))
    if not after or group.get("status") not in ("confirmed", "started"):
        return {}, []
    old_end = resources.meeting_end(deps, date.fromisoformat(max(before)), str(group["slot"]))
    new_end = resources.meeting_end(deps, date.fromisoformat(max(after)), slot)
    if new_end <= old_end:
        return {}, []
    step = int(group.get("facilitation_step", 0)) + 1
    return {"facilitation_step": step}, [
        enqueue.schedule(deps, "facilitation_over", gid, at=new_end, step=step)
    ]


def move_group(
    deps: Deps, tx: Tx, gid: str, slot: str, venue_id: str | None, now: datetime
) -> tuple[str, list[TaskSpec]]:
    group = tx.get(f"groups/{gid}")
    if group is None or group.get("status") not in RUNNING:
        return "stale", []
    docs = tx.get_many(paths(deps, gid, group, slot, venue_id, now))
    plan = check(deps, gid, group, docs, slot, venue_id, now)
    if plan.problems:
        return "stale", []
    old_slot, old_venue = str(group["slot"]), group.get("venue_id")
    if (plan.venue_id, plan.slot) != (old_venue, old_slot):
        if old_venue:
            tx.delete(resources.venue_booking(str(old_venue), old_slot))
        if plan.venue_id:
            tx.create(
                resources.venue_booking(plan.venue_id, plan.slot),
                {"group_id": gid, "venue_id": plan.venue_id, "slot": plan.slot, "at": now},
            )
    ds = list(group.get("meeting_dates") or [])
    fid = group.get("facilitator_id")
    if plan.slot != old_slot:
        for key, day in plan.moves.items():
            if fid:
                old_day = date.fromisoformat(ds[int(key) - 1])
                tx.delete(resources.facilitator_booking(str(fid), old_day, old_slot.split("_")[1]))
                resources.book_facilitator(tx, gid, str(fid), day, plan.slot.split("_")[1], now)
            ds[int(key) - 1] = day.isoformat()
    rooms = {
        k: v for k, v in (group.get("meeting_rooms") or {}).items() if str(k) not in plan.moves
    }
    update: dict[str, Any] = {
        "slot": plan.slot,
        "venue_id": plan.venue_id,
        "meeting_dates": ds,
        "meeting_rooms": rooms,
        "group_moves": [
            *(group.get("group_moves") or []),
            {"at": now, "slot": old_slot, "venue_id": old_venue},
        ],
    }
    more, specs = end_task(deps, gid, group, update)
    update |= more
    invitations.keep_members(deps, tx, group, ds, docs)
    tx.update(f"groups/{gid}", update)
    tx.increment(
        counters.stats_path(now, "centre", deps.centre.centre.timezone), {"groups_moved": 1}
    )
    specs += calendars.sync(deps, tx, gid, {**group, **update}, now, reason="group_moved")
    return "ok", specs
