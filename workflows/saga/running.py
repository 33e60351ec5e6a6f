"""The running group: first meeting (started), end of the facilitator phase (self_run), follow-up
visits (automatically 6-8 weeks after the phase, and whenever the group asks), closing.

The facilitator counts against their cap until their last facilitated meeting, not for as long as
the group exists (issue 8: "facilitators get used up").
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from shared.domain import lifecycle, slots
from shared.domain.facilitators import Need, rank
from shared.ports import TaskSpec, Tx
from workflows.platform import coordinators, counters, tokens
from workflows.platform.runtime import Deps
from workflows.saga import enqueue, proposal, resources, staffing


def count_start(deps: Deps, tx: Tx, group: dict[str, Any], now: datetime) -> None:
    """A group starts: count it, its facilitated meetings and the volunteer's hours, by month."""
    place, tz = str(group["place"]), deps.centre.centre.timezone
    tx.increment(counters.stats_path(now, place, tz), {"groups_started": 1})
    tx.increment(counters.stats_path(now, "centre", tz), {"groups_started": 1})
    minutes = deps.centre.groups.meeting_minutes
    by_month: dict[str, int] = {}
    for d in group.get("meeting_dates") or []:
        key = counters.day_path(date.fromisoformat(d), now, place, tz)
        by_month[key] = by_month.get(key, 0) + 1
    for key, n in by_month.items():
        tx.increment(key, {"meetings": n, "facilitator_minutes": n * minutes})
    if place == "digital":
        homes = sorted(
            {str(m.get("municipality", "")) for m in group["members"].values()} - {""}
            | set(group.get("member_homes") or {})
        )
        for home in homes:
            tx.increment(counters.stats_path(now, home, tz), {"digital_groups": 1})


def first_meeting(deps: Deps, tx: Tx, gid: str, now: datetime) -> list[TaskSpec]:
    group = tx.get(f"groups/{gid}")
    if group is None or group["status"] != "confirmed":
        return []
    count_start(deps, tx, group, now)
    tx.update(f"groups/{gid}", {"status": "started", "started_at": now})
    return []


def facilitation_over(deps: Deps, tx: Tx, gid: str, now: datetime) -> list[TaskSpec]:
    """After the last facilitated meeting the group runs itself; the facilitator is free again."""
    group = tx.get(f"groups/{gid}")
    if group is None or group["status"] not in ("confirmed", "started"):
        return []
    ds = group.get("meeting_dates") or []
    if ds and resources.meeting_end(deps, date.fromisoformat(max(ds)), group["slot"]) > now:
        return []  # its meetings were moved later (issue 16): the task the move scheduled ends it
    if group["status"] == "confirmed":  # the first-meeting task is late: count the start now
        count_start(deps, tx, group, now)
    g = deps.centre.groups
    if group.get("facilitator_id"):
        resources.set_load(tx, str(group["facilitator_id"]), gid, False)
    close_at = now + timedelta(days=g.self_run_close_days)
    tx.update(
        f"groups/{gid}",
        {"status": "self_run", "self_run_at": now, "expire_at": close_at + timedelta(days=60)},
    )
    keep = timedelta(days=deps.centre.retention.placed_days_after_facilitation + 1)
    return [
        enqueue.schedule(
            deps, "followup_auto", gid, at=now + timedelta(days=g.followup_after_days)
        ),
        enqueue.schedule(deps, "auto_close", gid, at=close_at),
        # issue 18: when the members' personal data goes, the group stops naming them
        enqueue.schedule(deps, "forget_members", gid, at=now + keep),
    ]


def forget_members(deps: Deps, tx: Tx, gid: str, now: datetime) -> list[TaskSpec]:
    """The placed members' retention has ended (their people/ and inquiries/ are gone): the group
    keeps only counts — how many, from which municipalities — instead of their ids, homes and
    queue times, which it would otherwise hold until 30 days after closing (about 14 months on).
    Their follow-up links keep working for the group, no longer naming the member."""
    group = tx.get(f"groups/{gid}")
    if group is None or group.get("members_forgotten_at") or not group.get("members"):
        return []
    members = group["members"]
    homes: dict[str, int] = {}
    for m in members.values():
        home = str(m.get("municipality") or "other")
        homes[home] = homes.get(home, 0) + 1
    link_tokens = dict(group.get("link_tokens") or {})

    def names_member(key: str) -> bool:  # "<id>", "leave:<id>" (issue 16), "survey:<id>"
        return any(mid in key for mid in members)

    named = [tid for key, tid in link_tokens.items() if names_member(key) and tid]
    tx.update(
        f"groups/{gid}",
        {
            "members": {},
            "declined": [],
            "member_count": len(members),
            "member_homes": homes,
            "link_tokens": {
                (f"member-{i}" if names_member(key) else key): link_tokens[key]
                for i, key in enumerate(sorted(link_tokens))
            },
            # the members' calendar ledgers (issue 16): every meeting is long past by now
            "calendar": {
                k: v for k, v in (group.get("calendar") or {}).items() if not names_member(k)
            },
            "members_forgotten_at": now,
        },
    )
    for tid in named:
        tx.set(f"tokens/{tid}", {"inquiry_id": None}, merge=True)
    return []


def auto_close(deps: Deps, tx: Tx, gid: str, now: datetime) -> list[TaskSpec]:
    group = tx.get(f"groups/{gid}")
    if group is None or group["status"] != "self_run":
        return []
    return _close(deps, tx, gid, group, now, "auto")


def _running(tx: Tx, token: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The group a link is about, if it is still running (confirmed, started or self-run)."""
    gid = str(token["group_id"])
    group = tx.get(f"groups/{gid}")
    if group is None or group["status"] not in lifecycle.RUNNING:
        return None
    return gid, group


def close_action(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime
) -> tuple[str, list[TaskSpec]]:
    found = _running(tx, token)
    if found is None:
        return "stale", []
    return "ok", _close(deps, tx, *found, now, "coordinator")


def _close(
    deps: Deps, tx: Tx, gid: str, group: dict[str, Any], now: datetime, why: str
) -> list[TaskSpec]:
    resources.release_resources(tx, gid, group, now)  # the room, future dates, the cap (issue 8)
    tx.update(
        f"groups/{gid}",
        {
            "status": "closed",
            "closed_at": now,
            "closed_because": why,
            "expire_at": now + proposal.FINISHED_KEEP,
        },
    )
    return [enqueue.assemble(deps, "pool_changed", f"closed-{gid}")]  # the freed room may start one


# ---------------------------------------------------------------- follow-up visits


def followup_request(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime
) -> tuple[str, list[TaskSpec]]:
    """The group asks for a visit: as often as it likes, one visit at a time (issue 8)."""
    found = _running(tx, token)
    if found is None:
        return "stale", []
    return "ok", _request(deps, tx, *found, now, "group")


def followup_auto(deps: Deps, tx: Tx, gid: str, now: datetime) -> list[TaskSpec]:
    """6-8 weeks after the facilitator phase, a visit is offered unless the group asked already."""
    group = tx.get(f"groups/{gid}")
    if group is None or group["status"] != "self_run":
        return []
    fu = group.get("followup") or {}
    since = group.get("self_run_at")
    if (
        fu
        and isinstance(fu.get("requested_at"), datetime)
        and since
        and fu["requested_at"] >= since
    ):
        return []  # the group asked (or was offered) since the facilitator phase ended
    return _request(deps, tx, gid, group, now, "auto")


def _request(
    deps: Deps, tx: Tx, gid: str, group: dict[str, Any], now: datetime, why: str
) -> list[TaskSpec]:
    fu = group.get("followup") or {}
    busy = fu.get("status") in ("requested", "offered") or (
        fu.get("status") == "arranged" and str(fu.get("date", "")) >= now.date().isoformat()
    )
    if busy:
        return []  # one visit at a time; asking again changes nothing
    rnd = int(fu.get("round", -1)) + 1
    tx.update(
        f"groups/{gid}",
        {
            "followup": {
                "status": "requested",
                "round": rnd,
                "step": 0,
                "tried": [],
                "requested_at": now,
                "why": why,
            }
        },
    )
    return [enqueue.schedule(deps, "followup", gid, rnd, step=0)]


def visit_date(deps: Deps, slot: str, now: datetime) -> date:
    earliest = (now + timedelta(days=7)).date()
    return slots.meeting_dates(slot, earliest, 1, deps.centre.closed)[0]


def followup_candidates(deps: Deps, group: dict[str, Any], day: date) -> list[str]:
    """The group's own facilitator first, then whoever else can come that day: same rules as an
    offer (place, slot, language, topic, dates away, cap, other bookings) (issue 8)."""
    fu = group.get("followup") or {}
    tried = set(fu.get("tried", []))
    slot = str(group["slot"])
    need = Need(
        place=str(group["place"]),
        slot=slot,
        part=slot.split("_")[1],
        dates=(day,),
        language=str(group["language"]),
        topic=str(group["topic"]),
    )
    ranked = rank(
        staffing.load_facilitators(deps),
        need,
        load=staffing.current_load(deps),
        busy=staffing.busy_from_bookings(deps),
        exclude=tried,
    )
    ids = [f.id for f in ranked]
    own = group.get("facilitator_id")
    if own in ids:
        ids.remove(own)
        ids.insert(0, own)
    return ids


def followup(
    deps: Deps,
    tx: Tx,
    gid: str,
    rnd: int,
    step: int,
    now: datetime,
    candidates: list[str],
    day: date,
) -> list[TaskSpec]:
    path = f"groups/{gid}"
    group = tx.get(path)
    fu = (group or {}).get("followup") or {}
    if (
        group is None
        or group["status"] not in lifecycle.RUNNING
        or fu.get("status") != "requested"
        or fu.get("round") != rnd
        or int(fu.get("step", 0)) != step
    ):
        return []
    part = str(group["slot"]).split("_")[1]
    free = tx.get_many([resources.facilitator_booking(f, day, part) for f in candidates])
    fid = next(
        (f for f in candidates if free[resources.facilitator_booking(f, day, part)] is None), None
    )
    if fid is None:
        # One alert per group and visit date: a group that asks again the same week gets another
        # try, the coordinator no second identical email (found by the 10x simulated year).
        told = group.get("followup_unstaffed_on") == day.isoformat()
        tx.update(
            path,
            {
                "followup": {**fu, "status": "unstaffed", "date": day.isoformat()},
                "followup_unstaffed_on": day.isoformat(),
            },
        )
        if told:
            return []
        return [
            enqueue.notify(
                deps,
                "coordinator_alert",
                gid,
                coordinators.lead(deps),
                salt=f"followup-{rnd}-{step}",
            )
        ]
    valid = timedelta(hours=deps.centre.groups.offer_timeout_hours)
    subject = {
        "group_id": gid,
        "facilitator_id": fid,
        "round": rnd,
        "step": step,
        "purpose": "followup",
    }
    accept, decline = tokens.issue_pair(tx, "accept_offer", "decline_offer", now, valid, **subject)
    resources.book_facilitator(tx, gid, fid, day, part, now)
    tx.update(
        path,
        {
            "followup": {
                **fu,
                "status": "offered",
                "facilitator_id": fid,
                "date": day.isoformat(),
                "tried": [*fu.get("tried", []), fid],
                "accept_token": accept,
                "decline_token": decline,
            }
        },
    )
    return [
        enqueue.notify(deps, "followup_offer", gid, fid, salt=f"{rnd}-{step}"),
        enqueue.schedule(deps, "followup_timeout", gid, rnd, at=now + valid, step=step),
    ]


def _next_candidate(
    deps: Deps, tx: Tx, gid: str, group: dict[str, Any], fu: dict[str, Any], now: datetime
) -> list[TaskSpec]:
    part = str(group["slot"]).split("_")[1]
    if fu.get("date") and fu.get("facilitator_id"):
        tx.delete(
            resources.facilitator_booking(
                fu["facilitator_id"], date.fromisoformat(fu["date"]), part
            )
        )
    step = int(fu.get("step", 0)) + 1
    tx.update(f"groups/{gid}", {"followup": {**fu, "status": "requested", "step": step}})
    return [enqueue.schedule(deps, "followup", gid, int(fu["round"]), step=step)]


def followup_timeout(
    deps: Deps, tx: Tx, gid: str, rnd: int, step: int, now: datetime
) -> list[TaskSpec]:
    group = tx.get(f"groups/{gid}")
    fu = (group or {}).get("followup") or {}
    if (
        group is None
        or fu.get("status") != "offered"
        or fu.get("round") != rnd
        or int(fu.get("step", 0)) != step
    ):
        return []
    return _next_candidate(deps, tx, gid, group, fu, now)


def followup_answer(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, accept: bool
) -> tuple[str, list[TaskSpec]]:
    gid, fid, rnd = str(token["group_id"]), str(token["facilitator_id"]), int(token["round"])
    group = tx.get(f"groups/{gid}")
    fu = (group or {}).get("followup") or {}
    if (
        group is None
        or fu.get("status") != "offered"
        or fu.get("facilitator_id") != fid
        or fu.get("round") != rnd
        or int(fu.get("step", 0)) != int(token.get("step", 0))
    ):
        return "stale", []
    if not accept:
        return "ok", _next_candidate(deps, tx, gid, group, fu, now)
    tx.update(f"groups/{gid}", {"followup": {**fu, "status": "arranged", "arranged_at": now}})
    minutes = deps.centre.groups.meeting_minutes
    tx.increment(
        counters.stats_path(now, str(group["place"]), deps.centre.centre.timezone),
        {"followups": 1, "facilitator_minutes": minutes},
    )
    return "ok", [enqueue.notify(deps, "followup_arranged", gid, fid, salt=str(rnd))]
