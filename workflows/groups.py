"""The group saga's shared parts: task builders, bookings, the facilitator's load, proposals, approval,
dissolution. The states and what moves each one are in shared/domain/lifecycle.py.

Every transition is one Firestore transaction that checks the state it expects, writes the new
state, and records the follow-up work in the outbox. A transition that finds another state (a late
click, a redelivered deadline) changes nothing. Firestore transactions read before they write, so
every helper here that writes takes the documents it needs from its caller.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shared.domain import lifecycle, slots
from shared.domain.matching import Proposal
from shared.ports import TaskSpec, Tx
from workflows import chain, outbox, tokens
from workflows.messages import AssembleTask, NotifyTask, ScheduleTask
from workflows.runtime import Deps

ACTIVE = lifecycle.ACTIVE_GROUP
OPEN = lifecycle.OPEN_GROUP  # members may still join
LEAD_DAYS = 14  # first meeting at least two weeks after the facilitator accepts
# A finished group is kept this long (its links answer "already done"), then TTL removes it.
FINISHED_KEEP = timedelta(days=30)


def notify(
    deps: Deps,
    mail: str,
    subject: str,
    recipient: str | None = None,
    salt: str = "",
    at: datetime | None = None,
) -> TaskSpec:
    return chain.task_for(
        deps.settings.queue_prefix,
        "notify",
        NotifyTask(
            task_id=chain.task_id("notify", mail, subject, recipient or "", salt),
            mail=mail,
            subject_id=subject,
            recipient_id=recipient,
        ),
        schedule_at=at,
    )


def schedule(
    deps: Deps,
    kind: str,
    group_id: str,
    rnd: int = 0,
    at: datetime | None = None,
    step: int = 0,
) -> TaskSpec:
    """A task about a group; its id names kind, group, round and step separately (issue 8)."""
    return chain.task_for(
        deps.settings.queue_prefix,
        "schedule",
        ScheduleTask(
            task_id=chain.task_id(
                "schedule", kind, f"group={group_id}", f"round={rnd}", f"step={step}"
            ),
            kind=kind,
            group_id=group_id,
            round=rnd,
            step=step,
        ),
        schedule_at=at,
    )


def assemble(deps: Deps, reason: str, salt: str) -> TaskSpec:
    return chain.task_for(
        deps.settings.queue_prefix,
        "assemble",
        AssembleTask(task_id=chain.task_id("assemble", reason, salt), reason=reason),
    )


def venue_booking(venue_id: str, slot: str) -> str:
    return f"venue_bookings/{venue_id}_{slot}"


def facilitator_booking(fid: str, day: date, part: str) -> str:
    return f"facilitator_bookings/{fid}_{day.isoformat()}_{part}"


def book_facilitator(tx: Tx, gid: str, fid: str, day: date, part: str, now: datetime) -> None:
    tx.create(
        facilitator_booking(fid, day, part),
        {
            "group_id": gid,
            "facilitator_id": fid,
            "date": day.isoformat(),
            "part": part,
            "at": now,
            # a booking is worth nothing once its day is past (issue 8: bookings never expired)
            "expire_at": datetime.combine(day, datetime.min.time(), tzinfo=now.tzinfo)
            + timedelta(days=2),
        },
    )


def load_path(fid: str) -> str:
    """{groups: {group id: true while it counts against the facilitator's cap}}"""
    return f"facilitator_load/{fid}"


def count_load(doc: dict[str, Any] | None) -> int:
    return sum(1 for v in ((doc or {}).get("groups") or {}).values() if v)


def set_load(tx: Tx, fid: str, gid: str, counts: bool) -> None:
    """A merge-write needs no read, so any transition can free the facilitator; the offer reads the
    document inside its transaction, so two offers at once cannot both take the last place."""
    tx.set(load_path(fid), {"groups": {gid: counts}}, merge=True)


def stats_path(when: datetime | date, key: str) -> str:
    """Anonymous monthly counters per municipality (or "digital" / "centre"): all reports read."""
    return f"stats/{when:%Y-%m}_{key}"


def meeting_start(deps: Deps, day: date, slot: str) -> datetime:
    g = deps.centre.groups
    clock = slots.start_time(slot, g.daytime_start, g.evening_start, g.weekend_start)
    return datetime.combine(day, clock, tzinfo=ZoneInfo(deps.centre.centre.timezone))


def meeting_end(deps: Deps, day: date, slot: str) -> datetime:
    return meeting_start(deps, day, slot) + timedelta(minutes=deps.centre.groups.meeting_minutes)


# ---------------------------------------------------------------- proposal


def claim(deps: Deps, p: Proposal) -> str | None:
    """Claim members and venue for a proposal in one transaction; None if someone was faster."""
    now = deps.clock.now()
    group_id = uuid.uuid4().hex
    centre = deps.centre.centre
    g = deps.centre.groups
    member_paths = [f"inquiries/{m}" for m in p.members]
    # Cheap look before the transaction: a proposal another run already took fails fast, without
    # taking locks (the transaction below re-checks, so this is only an optimisation).
    if any((deps.store.get(path) or {}).get("status") != "waiting" for path in member_paths):
        return None

    def tx_fn(tx: Tx) -> tuple[str | None, list[TaskSpec]]:
        found = tx.get_many(member_paths)
        if any(doc is None or doc.get("status") != "waiting" for doc in found.values()):
            return None, []
        if p.venue_id and tx.get(venue_booking(p.venue_id, p.slot)) is not None:
            return None, []
        group: dict[str, Any] = {
            "status": "awaiting_approval" if centre.require_approval else "approved",
            "topic": p.kind.topic,
            "place": p.kind.place,
            "format": "digital" if p.kind.place == "digital" else "in_person",
            "slot": p.slot,
            "language": p.kind.language,
            "age": p.kind.age,
            "venue_id": p.venue_id,
            "created_at": now,
            "members": {
                m: {
                    "queued_at": found[f"inquiries/{m}"]["queued_at"],  # type: ignore[index]
                    "municipality": found[f"inquiries/{m}"]["municipality"],  # type: ignore[index]
                    "response": None,
                }
                for m in p.members
            },
            "offer_round": 0,
            "restaff_round": 0,
            "tried": [],
            "facilitator_id": None,
            # A backstop only: every state before "closed" has its own deadline well before this.
            "expire_at": now + timedelta(days=2 * 365),
        }
        specs: list[TaskSpec] = []
        if centre.require_approval:
            deadline = now + timedelta(days=g.approval_days)
            # Valid exactly as long as the proposal waits for approval (issue 8: links that
            # outlive the coordinator's holiday); approval_deadline dissolves it after that.
            group["approval_token"] = tokens.issue(
                tx, "approve_group", now, deadline - now, group_id=group_id
            )
            group["dissolve_token"] = tokens.issue(
                tx, "dissolve_group", now, deadline - now, group_id=group_id
            )
            group["approval_deadline"] = deadline
            specs += [
                notify(deps, "coordinator_approval", group_id, str(i))
                for i in range(len(deps.centre.coordinators))
            ]
            specs.append(schedule(deps, "approval_deadline", group_id, at=deadline))
        else:
            specs.append(schedule(deps, "offer", group_id, 0))
        tx.create(f"groups/{group_id}", group)
        if p.venue_id:
            tx.create(
                venue_booking(p.venue_id, p.slot),
                {"group_id": group_id, "venue_id": p.venue_id, "slot": p.slot, "at": now},
            )
        for path in member_paths:
            tx.update(path, {"status": "proposed", "group_id": group_id})
        return group_id, specs

    # Few attempts: under contention another run is claiming these very people, and the pool is
    # re-matched afterwards, so giving up early costs nothing (issue 3: 20 concurrent runs).
    return outbox.commit(deps.store, deps.queue, now, tx_fn, attempts=3)


# A group whose invitations are out takes a replacement from the pool while its members still
# have this long to answer (issue 8: one decline among five dissolved the group).
REPLACE_UNTIL = timedelta(days=3)


def can_take_members(group: dict[str, Any], now: datetime) -> bool:
    if group["status"] in OPEN:
        return True
    deadline = group.get("invitation_deadline")
    return (
        group["status"] == "facilitator_confirmed"
        and isinstance(deadline, datetime)
        and deadline - now >= REPLACE_UNTIL
    )


def join(deps: Deps, gid: str, pid: str, venue_room: dict[str, int]) -> bool:
    """One more member for a group still open for joining; False if anything changed meanwhile. A
    group already inviting sends the newcomer an invitation with the same deadline."""
    now = deps.clock.now()

    def tx_fn(tx: Tx) -> tuple[bool, list[TaskSpec]]:
        group = tx.get(f"groups/{gid}")
        inquiry = tx.get(f"inquiries/{pid}")
        if group is None or inquiry is None or inquiry.get("status") != "waiting":
            return False, []
        room = min(deps.centre.groups.max_size, venue_room.get(group.get("venue_id") or "", 10**6))
        if not can_take_members(group, now) or len(group["members"]) >= room:
            return False, []
        if pid in group.get("declined", ()):
            return False, []  # said no to this very group
        member: dict[str, Any] = {
            "queued_at": inquiry["queued_at"],
            "municipality": inquiry["municipality"],
            "response": None,
        }
        specs: list[TaskSpec] = []
        if group["status"] == "facilitator_confirmed":
            member["accept_token"], member["decline_token"] = tokens.issue_pair(
                tx,
                "accept_invitation",
                "decline_invitation",
                now,
                group["invitation_deadline"] - now,
                group_id=gid,
                inquiry_id=pid,
            )
            specs.append(notify(deps, "invitation", gid, pid))
        tx.update(f"groups/{gid}", {"members": {**group["members"], pid: member}})
        tx.update(f"inquiries/{pid}", {"status": "proposed", "group_id": gid})
        return True, specs

    return outbox.commit(deps.store, deps.queue, now, tx_fn)


def approve(deps: Deps, tx: Tx, token: dict[str, Any], now: datetime) -> tuple[str, list[TaskSpec]]:
    gid = str(token["group_id"])
    group = tx.get(f"groups/{gid}")
    if group is None or group["status"] != "awaiting_approval":
        return "stale", []
    tx.update(f"groups/{gid}", {"status": "approved", "approved_at": now})
    return "ok", [schedule(deps, "offer", gid, int(group.get("offer_round", 0)))]


def approval_deadline(deps: Deps, tx: Tx, gid: str, now: datetime) -> list[TaskSpec]:
    """Nobody approved in time: the members go back to the pool keeping their place."""
    group = tx.get(f"groups/{gid}")
    if group is None or group["status"] != "awaiting_approval":
        return []
    docs = tx.get_many([f"inquiries/{m}" for m in group["members"]])
    return dissolve(deps, tx, gid, group, docs, now, reason="approval_deadline")


def dissolve_action(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime
) -> tuple[str, list[TaskSpec]]:
    """The coordinator dissolves a proposal or a group nobody could staff."""
    gid = str(token["group_id"])
    group = tx.get(f"groups/{gid}")
    if group is None or group["status"] not in ("awaiting_approval", "needs_facilitator"):
        return "stale", []
    docs = tx.get_many([f"inquiries/{m}" for m in group["members"]])
    return "ok", dissolve(deps, tx, gid, group, docs, now, reason="coordinator")


def dissolve(
    deps: Deps,
    tx: Tx,
    gid: str,
    group: dict[str, Any],
    docs: dict[str, dict[str, Any] | None],
    now: datetime,
    *,
    reason: str,
) -> list[TaskSpec]:
    """Members back to the pool: everyone keeps their place unless they were invited and did not
    accept (DESIGN.md). Their retention was never shortened, so it is theirs as before (issue 8)."""
    invited = group["status"] == "facilitator_confirmed"
    for mid, m in group["members"].items():
        path = f"inquiries/{mid}"
        doc = docs.get(path)
        if doc is None or doc.get("status") != "proposed" or doc.get("group_id") != gid:
            continue
        keep_place = not invited or m.get("response") == "accepted"
        tx.update(
            path,
            {
                "status": "waiting",
                "group_id": None,
                "queued_at": m["queued_at"] if keep_place else now,
            },
        )
    release_resources(tx, gid, group, now)
    tx.update(
        f"groups/{gid}",
        {
            "status": "dissolved",
            "dissolved_at": now,
            "dissolved_because": reason,
            "expire_at": now + FINISHED_KEEP,
        },
    )
    tx.increment(stats_path(now, "centre"), {"groups_dissolved": 1})
    return [assemble(deps, "dissolved", gid)]


def release_resources(tx: Tx, gid: str, group: dict[str, Any], now: datetime) -> None:
    """Free the weekly venue slot, the facilitator's future dates and their place under the cap."""
    if group.get("venue_id"):
        tx.delete(venue_booking(group["venue_id"], group["slot"]))
    offer = group.get("offer") or {}
    fid = group.get("facilitator_id") or offer.get("facilitator_id")
    part = offer.get("part") or str(group["slot"]).split("_")[1]
    today = now.date()
    for d in group.get("meeting_dates") or offer.get("dates") or []:
        if fid and date.fromisoformat(d) >= today:
            tx.delete(facilitator_booking(fid, date.fromisoformat(d), part))
    fu = group.get("followup") or {}
    if (
        fu.get("facilitator_id")
        and fu.get("status") in ("offered", "arranged")
        and str(fu.get("date", "")) >= today.isoformat()
    ):
        tx.delete(facilitator_booking(fu["facilitator_id"], date.fromisoformat(fu["date"]), part))
    if fid:
        set_load(tx, fid, gid, False)
