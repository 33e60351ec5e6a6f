"""Replacing the facilitator of a confirmed or started group (issue 16): they cancel, fall ill, or
mark themselves away on a booked date. The group keeps its dates; its remaining facilitated
meetings are offered to others by the usual staffing rules (staffing.candidates), one at a time,
like a follow-up visit: offered -> accepted | declined | timed out (next candidate) | nobody
(the coordinator sees it in the console and the digest, and may try again).

The group document holds the round in `replacement`:
    {"status": "requested" | "offered" | "unstaffed" | "done" | "lapsed", "round", "step", "tried",
     "from" (the facilitator who dropped out), "facilitator_id", "dates", tokens, "deadline"}
and every facilitator who dropped out in `replaced` ([{"from", "at"}]), never offered it again.

Releasing the old facilitator and taking the new one are each one transaction with their
calendar ledger (calendars.sync): the old one gets a CANCEL for the remaining meetings at once,
the new one a REQUEST when they accept, and each member one notice of who leads now.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from shared.ports import TaskSpec, Tx
from workflows.platform import coordinators, counters, tokens
from workflows.platform.runtime import Deps
from workflows.saga import calendars, enqueue, resources, staffing

# Groups whose facilitated meetings may still be ahead.
STAFFED = ("confirmed", "started")
BUSY = ("requested", "offered")


def part(group: dict[str, Any]) -> str:
    return str(group["slot"]).split("_")[1]


def remaining(deps: Deps, group: dict[str, Any], now: datetime) -> list[tuple[str, date]]:
    """The facilitated meetings still ahead and not cancelled: (number, date), in order."""
    ahead = set(calendars.meetings(group)) - calendars.past(deps, group, now)
    ds = group.get("meeting_dates") or []
    return [(k, date.fromisoformat(ds[int(k) - 1])) for k in sorted(ahead, key=int)]


def dropped(group: dict[str, Any]) -> list[str]:
    return [str(x["from"]) for x in group.get("replaced") or [] if x.get("from")]


def can_start(deps: Deps, group: dict[str, Any], now: datetime) -> bool:
    rep = group.get("replacement") or {}
    return (
        group.get("status") in STAFFED
        and rep.get("status") not in BUSY
        and bool(remaining(deps, group, now))
    )


def start(deps: Deps, tx: Tx, gid: str, now: datetime) -> tuple[str, list[TaskSpec]]:
    """The coordinator's "replace the facilitator": the old one is released from the remaining
    meetings (their dates and their place under the cap free, a CANCEL for their calendar), and
    the first offer round is due. After an unstaffed round (nobody is the facilitator then) the
    same action tries everyone again."""
    group = tx.get(f"groups/{gid}")
    if group is None or not can_start(deps, group, now):
        return "stale", []
    left = remaining(deps, group, now)
    old = group.get("facilitator_id")
    rep = group.get("replacement") or {}
    rnd = int(rep.get("round", -1)) + 1
    update: dict[str, Any] = {
        "facilitator_id": None,
        "replacement": {
            "status": "requested",
            "round": rnd,
            "step": 0,
            "tried": [],
            "from": old,
            "requested_at": now,
        },
    }
    if old:
        for _, day in left:
            tx.delete(resources.facilitator_booking(str(old), day, part(group)))
        resources.set_load(tx, str(old), gid, False)
        update["replaced"] = [*(group.get("replaced") or []), {"from": old, "at": now}]
    tx.update(f"groups/{gid}", update)
    specs = calendars.sync(deps, tx, gid, {**group, **update}, now, reason="facilitator_released")
    specs.append(enqueue.schedule(deps, "replace", gid, rnd, step=0))
    return "ok", specs


def candidates_for(deps: Deps, group: dict[str, Any], now: datetime) -> list[str]:
    """Read before the transaction (ranking reads many documents); `offer_step` re-checks."""
    rep = group.get("replacement") or {}
    dates = tuple(d for _, d in remaining(deps, group, now))
    if rep.get("status") != "requested" or not dates:
        return []
    return staffing.candidates(deps, group, dates, exclude=[*dropped(group), *rep.get("tried", [])])


def offer_step(
    deps: Deps, tx: Tx, gid: str, rnd: int, step: int, now: datetime, candidates: list[str]
) -> list[TaskSpec]:
    """The `replace` task: the first candidate whose dates and cap still hold gets the offer;
    nobody puts the group in front of the coordinator."""
    path = f"groups/{gid}"
    group = tx.get(path)
    rep = (group or {}).get("replacement") or {}
    if (
        group is None
        or rep.get("status") != "requested"
        or rep.get("round") != rnd
        or int(rep.get("step", 0)) != step
    ):
        return []
    dates = [d for _, d in remaining(deps, group, now)]
    if not dates or group["status"] not in STAFFED:
        # the meetings went by (or the group ended) meanwhile: nothing left to staff
        tx.update(path, {"replacement": {**rep, "status": "lapsed", "done_at": now}})
        return []
    skip = {*dropped(group), *rep.get("tried", [])}
    ids = [f for f in candidates if f not in skip]
    p = part(group)
    bookings = tx.get_many([resources.facilitator_booking(f, d, p) for f in ids for d in dates])
    facs = tx.get_many([f"facilitators/{f}" for f in ids])
    loads = tx.get_many([resources.load_path(f) for f in ids])
    for fid in ids:
        if any(bookings.get(resources.facilitator_booking(fid, d, p)) for d in dates):
            continue  # booked since we looked
        fac = facs.get(f"facilitators/{fid}") or {}
        if resources.count_load(loads.get(resources.load_path(fid))) >= int(
            fac.get("max_groups", 1)
        ):
            continue
        return _offer(deps, tx, gid, part(group), rep, fid, dates, now)
    tx.update(path, {"replacement": {**rep, "status": "unstaffed", "unstaffed_at": now}})
    return [
        enqueue.notify(
            deps, "coordinator_alert", gid, coordinators.lead(deps), salt=f"replace-{rnd}"
        )
    ]


def _offer(
    deps: Deps,
    tx: Tx,
    gid: str,
    p: str,
    rep: dict[str, Any],
    fid: str,
    dates: list[date],
    now: datetime,
) -> list[TaskSpec]:
    rnd, step = int(rep["round"]), int(rep.get("step", 0))
    timeout = timedelta(hours=deps.centre.groups.offer_timeout_hours)
    subject = {
        "group_id": gid,
        "facilitator_id": fid,
        "round": rnd,
        "step": step,
        "purpose": "replace",
    }
    accept, decline = tokens.issue_pair(
        tx, "accept_offer", "decline_offer", now, timeout, **subject
    )
    for d in dates:
        resources.book_facilitator(tx, gid, fid, d, p, now)
    resources.set_load(tx, fid, gid, True)
    tx.update(
        f"groups/{gid}",
        {
            "replacement": {
                **rep,
                "status": "offered",
                "facilitator_id": fid,
                "dates": [d.isoformat() for d in dates],
                "tried": [*rep.get("tried", []), fid],
                "accept_token": accept,
                "decline_token": decline,
                "deadline": now + timeout,
            }
        },
    )
    return [
        enqueue.notify(deps, "replace_offer", gid, fid, salt=f"{rnd}-{step}"),
        enqueue.schedule(deps, "replace_timeout", gid, rnd, at=now + timeout, step=step),
    ]


def _next(
    deps: Deps, tx: Tx, gid: str, group: dict[str, Any], rep: dict[str, Any]
) -> list[TaskSpec]:
    """Declined or timed out: the offered dates and the cap free, the next candidate's turn."""
    fid = str(rep["facilitator_id"])
    for d in rep.get("dates") or []:
        tx.delete(resources.facilitator_booking(fid, date.fromisoformat(d), part(group)))
    resources.set_load(tx, fid, gid, False)
    step = int(rep.get("step", 0)) + 1
    nxt = {**rep, "status": "requested", "step": step, "facilitator_id": None}
    tx.update(f"groups/{gid}", {"replacement": nxt})
    return [enqueue.schedule(deps, "replace", gid, int(rep["round"]), step=step)]


def _offered(
    tx: Tx, gid: str, fid: str | None, rnd: int, step: int
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    group = tx.get(f"groups/{gid}")
    rep = (group or {}).get("replacement") or {}
    if (
        group is None
        or rep.get("status") != "offered"
        or (fid is not None and rep.get("facilitator_id") != fid)
        or rep.get("round") != rnd
        or int(rep.get("step", 0)) != step
    ):
        return None
    return group, rep


def timeout(deps: Deps, tx: Tx, gid: str, rnd: int, step: int) -> list[TaskSpec]:
    found = _offered(tx, gid, None, rnd, step)
    return [] if found is None else _next(deps, tx, gid, *found)


def answer(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, accept: bool
) -> tuple[str, list[TaskSpec]]:
    gid, fid = str(token["group_id"]), str(token["facilitator_id"])
    found = _offered(tx, gid, fid, int(token["round"]), int(token.get("step", 0)))
    if found is None:
        return "stale", []
    group, rep = found
    if not accept:
        return "ok", _next(deps, tx, gid, group, rep)
    if group["status"] not in STAFFED or not remaining(deps, group, now):
        # the group ended or its facilitated meetings went by meanwhile: nothing to take over,
        # the offered dates and the cap are freed (written even though the link says so)
        for d in rep.get("dates") or []:
            tx.delete(resources.facilitator_booking(fid, date.fromisoformat(d), part(group)))
        resources.set_load(tx, fid, gid, False)
        tx.update(f"groups/{gid}", {"replacement": {**rep, "status": "lapsed", "done_at": now}})
        return "stale", []
    update = {
        "facilitator_id": fid,
        "replacement": {**rep, "status": "done", "done_at": now},
    }
    tx.update(f"groups/{gid}", update)
    tx.increment(
        counters.stats_path(now, "centre", deps.centre.centre.timezone),
        {"facilitators_replaced": 1},
    )
    specs = calendars.sync(deps, tx, gid, {**group, **update}, now, reason="facilitator_taken")
    rnd = int(rep["round"])
    specs += [
        enqueue.notify(deps, "new_facilitator", gid, mid, salt=str(rnd))
        for mid, m in sorted(group["members"].items())
        if m.get("response") == "accepted"
    ]
    return "ok", specs
