"""A group from proposal to approval, joining and dissolution. The states and what moves each one
are in shared/domain/lifecycle.py.

Every transition is one Firestore transaction that checks the state it expects, writes the new
state, and records the follow-up work in the outbox. A transition that finds another state (a late
click, a redelivered deadline) changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from shared.domain import lifecycle
from shared.domain.matching import Proposal
from shared.ports import TaskSpec, Tx
from workflows.platform import coordinators, outbox, tokens
from workflows.platform.counters import stats_path
from workflows.platform.runtime import Deps
from workflows.saga.enqueue import assemble, notify, schedule
from workflows.saga.resources import release_resources, venue_booking

ACTIVE = lifecycle.ACTIVE_GROUP
OPEN = lifecycle.OPEN_GROUP  # members may still join
# A finished group is kept this long (its links answer "already done"), then TTL removes it.
FINISHED_KEEP = timedelta(days=30)


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
                notify(deps, "coordinator_approval", group_id, cid)
                for cid in coordinators.ids(deps)
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
    if group["status"] == "confirmed":  # fell below the minimum before its start (issue 16)
        until = group.get("topup_until")
        return isinstance(until, datetime) and now < until
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
        if group["status"] in ("facilitator_confirmed", "confirmed"):
            until = group[
                "invitation_deadline" if group["status"] != "confirmed" else "topup_until"
            ]
            member["accept_token"], member["decline_token"] = tokens.issue_pair(
                tx,
                "accept_invitation",
                "decline_invitation",
                now,
                until - now,
                group_id=gid,
                inquiry_id=pid,
            )
            specs.append(notify(deps, "invitation", gid, pid))
            if group["status"] == "confirmed":  # a newcomer who never answers goes back then
                rnd = 1 + len(group.get("left") or [])
                specs.append(schedule(deps, "invitation_deadline", gid, rnd=rnd, at=until))
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
    tx.increment(stats_path(now, "centre", deps.centre.centre.timezone), {"groups_dissolved": 1})
    return [assemble(deps, "dissolved", gid)]
