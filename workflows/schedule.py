"""schedule: offer a group to the best facilitator; on decline or timeout, to the next.

Deadlines are tasks scheduled for that moment (Cloud Tasks schedule_time), not polling. The offer
books the facilitator's calendar for the first N meeting dates in the same transaction, so two
groups can never hold the same person at the same time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from shared.domain import slots
from shared.domain.facilitators import Facilitator, Need, rank
from shared.ports import TaskSpec, Tx, Where
from workflows import groups, tokens
from workflows.messages import ScheduleTask
from workflows.runtime import Deps
from workflows.steps import Outcome, run_once


def load_facilitators(deps: Deps) -> list[Facilitator]:
    out = []
    for fid, doc in deps.store.query("facilitators"):
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
    load: dict[str, int] = {}
    for status in ("offered", "facilitator_confirmed", "confirmed"):
        for _, g in deps.store.query("groups", [Where("status", "==", status)]):
            fid = g.get("facilitator_id") or (g.get("offer") or {}).get("facilitator_id")
            if fid:
                load[fid] = load.get(fid, 0) + 1
    return load


def busy_from_bookings(deps: Deps) -> set[tuple[str, date, str]]:
    busy = set()
    for _, b in deps.store.query("facilitator_bookings"):
        busy.add((str(b["facilitator_id"]), date.fromisoformat(str(b["date"])), str(b["part"])))
    return busy


def need_for(deps: Deps, group: dict[str, Any], now: datetime) -> Need:
    slot = str(group["slot"])
    earliest = (now + timedelta(days=groups.LEAD_DAYS)).date()
    dates = tuple(slots.meeting_dates(slot, earliest, deps.centre.groups.facilitator_meetings))
    return Need(
        place=str(group["place"]),
        slot=slot,
        part=slot.split("_")[1],
        dates=dates,
        language=str(group["language"]),
        topic=str(group["topic"]),
    )


def handle(deps: Deps, task: ScheduleTask) -> Outcome:
    now = deps.clock.now()
    if task.kind in ("offer", "offer_timeout"):
        # Ranking reads many documents: do it before the transaction, re-check inside it.
        facs = load_facilitators(deps)
        load = current_load(deps)
        busy = busy_from_bookings(deps)
        km = {m.code: m.travel_km for m in deps.centre.municipalities}

        def body(tx: Tx) -> list[TaskSpec]:
            path = f"groups/{task.group_id}"
            group = tx.get(path)
            if group is None or group["offer_round"] != task.round:
                return []
            if task.kind == "offer_timeout":
                if group["status"] != "offered":
                    return []
                return groups.release_offer(deps, tx, task.group_id, group)
            if group["status"] != "approved":
                return []
            need = need_for(deps, group, now)
            for f in rank(facs, need, load=load, busy=busy, exclude=group.get("tried", []), km=km):
                booking_paths = [groups.facilitator_booking(f.id, d, need.part) for d in need.dates]
                if any(v is not None for v in tx.get_many(booking_paths).values()):
                    continue  # booked since we looked
                return offer(deps, tx, task, group, f.id, need, booking_paths, now)
            tx.update(path, {"status": "needs_facilitator", "flagged_at": now})
            return [
                groups.notify(deps, "coordinator_alert", task.group_id, "0", salt=str(task.round))
            ]

        return run_once(deps, task.task_id, "schedule", body)
    if task.kind == "invitation_deadline":
        return run_once(
            deps,
            task.task_id,
            "schedule",
            lambda tx: groups.invitation_deadline(deps, tx, task.group_id, now),
        )
    return run_once(deps, task.task_id, "schedule", lambda tx: followup(deps, tx, task, now))


def offer(
    deps: Deps,
    tx: Tx,
    task: ScheduleTask,
    group: dict[str, Any],
    fid: str,
    need: Need,
    booking_paths: list[str],
    now: datetime,
) -> list[TaskSpec]:
    timeout = timedelta(hours=deps.centre.groups.offer_timeout_hours)
    subject = {"group_id": task.group_id, "facilitator_id": fid, "round": task.round}
    accept, decline = tokens.issue_pair(
        tx, "accept_offer", "decline_offer", now, timeout, **subject
    )
    for p, d in zip(booking_paths, need.dates, strict=True):
        tx.create(
            p,
            {
                "group_id": task.group_id,
                "facilitator_id": fid,
                "date": d.isoformat(),
                "part": need.part,
                "at": now,
            },
        )
    tx.update(
        f"groups/{task.group_id}",
        {
            "status": "offered",
            "offer": {
                "facilitator_id": fid,
                "dates": [d.isoformat() for d in need.dates],
                "part": need.part,
                "accept_token": accept,
                "decline_token": decline,
                "deadline": now + timeout,
            },
            "tried": [*group.get("tried", []), fid],
        },
    )
    return [
        groups.notify(deps, "offer", task.group_id, fid, salt=str(task.round)),
        groups.schedule(deps, "offer_timeout", task.group_id, task.round, at=now + timeout),
    ]


def followup(deps: Deps, tx: Tx, task: ScheduleTask, now: datetime) -> list[TaskSpec]:
    """Offer one follow-up visit: the original facilitator first, then whoever else can come."""
    path = f"groups/{task.group_id}"
    group = tx.get(path)
    fu = (group or {}).get("followup") or {}
    if group is None or task.kind == "followup_timeout":
        if (
            group is not None
            and fu.get("status") == "offered"
            and int(fu.get("round", 0)) * 100 + int(fu.get("step", 0)) == task.round
        ):
            step = int(fu.get("step", 0)) + 1
            tx.update(path, {"followup": {**fu, "status": "requested", "step": step}})
            return [groups.schedule(deps, "followup", task.group_id, fu["round"] * 100 + step)]
        return []
    if fu.get("status") != "requested":
        return []
    tried = list(fu.get("tried", []))
    candidates = [group["facilitator_id"]] if group.get("facilitator_id") not in tried else []
    others = [
        f.id
        for f in load_facilitators(deps)
        if (group["place"] in f.municipalities or (group["place"] == "digital" and f.digital))
        and group["slot"] in f.slots
    ]
    candidates += [f for f in sorted(others) if f not in tried and f not in candidates]
    if not candidates:
        tx.update(path, {"followup": {**fu, "status": "unstaffed"}})
        return [
            groups.notify(
                deps, "coordinator_alert", task.group_id, "0", salt=f"followup-{task.round}"
            )
        ]
    fid = candidates[0]
    step = int(fu.get("step", 0))
    valid = timedelta(hours=deps.centre.groups.offer_timeout_hours)
    subject = {
        "group_id": task.group_id,
        "facilitator_id": fid,
        "round": fu["round"],
        "step": step,
        "purpose": "followup",
    }
    accept, decline = tokens.issue_pair(tx, "accept_offer", "decline_offer", now, valid, **subject)
    tx.update(
        path,
        {
            "followup": {
                **fu,
                "status": "offered",
                "facilitator_id": fid,
                "tried": [*tried, fid],
                "accept_token": accept,
                "decline_token": decline,
            }
        },
    )
    return [
        groups.notify(deps, "followup_offer", task.group_id, fid, salt=f"{fu['round']}-{step}"),
        groups.schedule(
            deps, "followup_timeout", task.group_id, fu["round"] * 100 + step, at=now + valid
        ),
    ]
