"""The group saga: proposal → approval → facilitator offer → invitations → confirmed, or dissolved.

Every transition is one Firestore transaction that checks the state it expects, writes the new
state, and records the follow-up work in the outbox. A transition that finds another state (a late
click, a redelivered deadline) changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shared.domain import slots
from shared.domain.matching import Proposal
from shared.ports import TaskSpec, Tx
from workflows import chain, outbox, tokens
from workflows.messages import AssembleTask, NotifyTask, ScheduleTask
from workflows.runtime import Deps

ACTIVE = (
    "awaiting_approval",
    "approved",
    "offered",
    "needs_facilitator",
    "facilitator_confirmed",
    "confirmed",
)
OPEN = ("awaiting_approval", "approved", "offered", "needs_facilitator")  # members may still join
LEAD_DAYS = 14  # first meeting at least two weeks after the facilitator accepts


def notify(
    deps: Deps, mail: str, subject: str, recipient: str | None = None, salt: str = ""
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
    )


def schedule(
    deps: Deps, kind: str, group_id: str, rnd: int, at: datetime | None = None
) -> TaskSpec:
    return chain.task_for(
        deps.settings.queue_prefix,
        "schedule",
        ScheduleTask(
            task_id=chain.task_id("schedule", kind, group_id, str(rnd)),
            kind=kind,
            group_id=group_id,
            round=rnd,
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


# ---------------------------------------------------------------- proposal


def claim(deps: Deps, p: Proposal) -> str | None:
    """Claim members and venue for a proposal in one transaction; None if someone was faster."""
    now = deps.clock.now()
    group_id = uuid.uuid4().hex
    centre = deps.centre.centre
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
            "tried": [],
            "facilitator_id": None,
            # Retention: a proposal that never starts goes with the people in it.
            "expire_at": now + timedelta(days=deps.centre.retention.unplaced_days),
        }
        specs: list[TaskSpec] = []
        if centre.require_approval:
            group["approval_token"] = tokens.issue(
                tx, "approve_group", now, timedelta(days=14), group_id=group_id
            )
            specs += [
                notify(deps, "coordinator_approval", group_id, str(i))
                for i in range(len(deps.centre.coordinators))
            ]
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


def join(deps: Deps, gid: str, pid: str, venue_room: dict[str, int]) -> bool:
    """One more member for a group still open for joining; False if anything changed meanwhile."""

    def tx_fn(tx: Tx) -> bool:
        group = tx.get(f"groups/{gid}")
        inquiry = tx.get(f"inquiries/{pid}")
        if group is None or inquiry is None or inquiry.get("status") != "waiting":
            return False
        room = min(deps.centre.groups.max_size, venue_room.get(group.get("venue_id") or "", 10**6))
        if group["status"] not in OPEN or len(group["members"]) >= room:
            return False
        members = {
            **group["members"],
            pid: {
                "queued_at": inquiry["queued_at"],
                "municipality": inquiry["municipality"],
                "response": None,
            },
        }
        tx.update(f"groups/{gid}", {"members": members})
        tx.update(f"inquiries/{pid}", {"status": "proposed", "group_id": gid})
        return True

    return deps.store.transact(tx_fn)


# ---------------------------------------------------------------- actions (called inside a transaction)


def approve(deps: Deps, tx: Tx, token: dict[str, Any], now: datetime) -> tuple[str, list[TaskSpec]]:
    gid = str(token["group_id"])
    group = tx.get(f"groups/{gid}")
    if group is None or group["status"] != "awaiting_approval":
        return "stale", []
    tx.update(f"groups/{gid}", {"status": "approved", "approved_at": now})
    return "ok", [schedule(deps, "offer", gid, 0)]


def offer_answer(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, accept: bool
) -> tuple[str, list[TaskSpec]]:
    gid, fid, rnd = str(token["group_id"]), str(token["facilitator_id"]), int(token["round"])
    group = tx.get(f"groups/{gid}")
    if (
        group is None
        or group["status"] != "offered"
        or group.get("offer", {}).get("facilitator_id") != fid
        or group["offer_round"] != rnd
    ):
        return "stale", []
    if not accept:
        return "ok", release_offer(deps, tx, gid, group)
    return "ok", confirm_facilitator(deps, tx, gid, group, fid, now)


def release_offer(deps: Deps, tx: Tx, gid: str, group: dict[str, Any]) -> list[TaskSpec]:
    offer = group["offer"]
    for d in offer["dates"]:
        tx.delete(
            facilitator_booking(offer["facilitator_id"], date.fromisoformat(d), offer["part"])
        )
    nxt = int(group["offer_round"]) + 1
    tx.update(f"groups/{gid}", {"status": "approved", "offer": None, "offer_round": nxt})
    return [schedule(deps, "offer", gid, nxt)]


def confirm_facilitator(
    deps: Deps, tx: Tx, gid: str, group: dict[str, Any], fid: str, now: datetime
) -> list[TaskSpec]:
    cfg = deps.centre.groups
    deadline = now + timedelta(days=cfg.invitation_deadline_days)
    members = dict(group["members"])
    for mid, m in members.items():
        m = dict(m)
        m["accept_token"], m["decline_token"] = tokens.issue_pair(
            tx,
            "accept_invitation",
            "decline_invitation",
            now,
            timedelta(days=cfg.invitation_deadline_days),
            group_id=gid,
            inquiry_id=mid,
        )
        members[mid] = m
    tx.update(
        f"groups/{gid}",
        {
            "status": "facilitator_confirmed",
            "facilitator_id": fid,
            "meeting_dates": group["offer"]["dates"],
            "members": members,
            "invitation_deadline": deadline,
        },
    )
    specs = [notify(deps, "invitation", gid, mid) for mid in members]
    specs.append(schedule(deps, "invitation_deadline", gid, 0, at=deadline))
    return specs


def invitation_answer(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, accept: bool
) -> tuple[str, list[TaskSpec]]:
    gid, mid = str(token["group_id"]), str(token["inquiry_id"])
    group = tx.get(f"groups/{gid}")
    inquiry = tx.get(f"inquiries/{mid}")
    person = tx.get(f"people/{mid}")
    if (
        group is None
        or group["status"] not in ("facilitator_confirmed", "confirmed")
        or mid not in group["members"]
    ):
        return "stale", []
    if group["members"][mid].get("response") is not None:
        return "stale", []
    members = {k: dict(v) for k, v in group["members"].items()}
    specs: list[TaskSpec] = []
    update: dict[str, Any] = {}
    if accept:
        members[mid]["response"] = "accepted"
        accepted = [k for k, v in members.items() if v.get("response") == "accepted"]
        if (
            group["status"] == "facilitator_confirmed"
            and len(accepted) >= deps.centre.groups.min_size
        ):
            update["status"] = "confirmed"
            update["confirmed_at"] = now
            # Kept while follow-up links work (a year), then only the anonymous counters remain.
            update["expire_at"] = now + timedelta(days=400)
            count_start(deps, tx, group, [m for m in accepted if m != mid] + [mid], now)
            # Groups run as long as members need (seed 002): the coordinator closes one when it
            # ends, which frees its weekly venue slot for the next group.
            update["close_token"] = tokens.issue(
                tx, "close_group", now, timedelta(days=400), group_id=gid
            )
            specs.append(notify(deps, "coordinator_started", gid, "0"))
            mails, fu_tokens = confirmation_mails(
                deps, tx, gid, group, accepted, now, include_facilitator=True
            )
        elif group["status"] == "confirmed":
            mails, fu_tokens = confirmation_mails(
                deps, tx, gid, group, [mid], now, include_facilitator=False
            )
        else:
            mails, fu_tokens = [], {}
        specs += mails
        if fu_tokens:
            update["link_tokens"] = {**group.get("link_tokens", {}), **fu_tokens}
        if inquiry is not None:
            # Retention: a placed member's data lives until the facilitator phase is over + N days.
            dates = group.get("meeting_dates") or [now.date().isoformat()]
            keep = datetime.combine(
                date.fromisoformat(max(dates)), datetime.min.time(), tzinfo=now.tzinfo
            )
            expire_at = keep + timedelta(days=deps.centre.retention.placed_days_after_facilitation)
            tx.update(
                f"inquiries/{mid}", {"status": "placed", "placed_at": now, "expire_at": expire_at}
            )
            if person is not None:
                tx.update(f"people/{mid}", {"expire_at": expire_at})
            waited = max(0, (now - inquiry["created_at"]).days)
            tx.increment(
                stats_path(now, inquiry["municipality"]),
                {"placed": 1, f"wait_days.{min(waited, 999)}": 1},
            )
    else:
        members.pop(mid)
        if inquiry is not None:
            tx.update(f"inquiries/{mid}", {"status": "waiting", "group_id": None, "queued_at": now})
        specs.append(assemble(deps, "pool_changed", f"declined-{gid}-{mid}"))
    update["members"] = members
    tx.update(f"groups/{gid}", update)
    return "ok", specs


def confirmation_mails(
    deps: Deps,
    tx: Tx,
    gid: str,
    group: dict[str, Any],
    member_ids: list[str],
    now: datetime,
    include_facilitator: bool,
) -> tuple[list[TaskSpec], dict[str, str]]:
    """Confirmations with the .ics; each recipient also gets a follow-up link (valid for a year)."""
    recipients = list(member_ids)
    if include_facilitator and group.get("facilitator_id"):
        recipients.append(f"facilitator:{group['facilitator_id']}")
    link_tokens = {
        r: tokens.issue(
            tx,
            "request_followup",
            now,
            timedelta(days=365),
            group_id=gid,
            **({"inquiry_id": r} if not r.startswith("facilitator:") else {}),
        )
        for r in recipients
    }
    specs = [notify(deps, "confirmation", gid, r) for r in recipients]
    # The yearly satisfaction survey (seed 001): an anonymous link, sent a while after the start.
    survey = deps.centre.survey
    for mid in member_ids:
        home = str(group["members"].get(mid, {}).get("municipality", "other"))
        link_tokens[f"survey:{mid}"] = tokens.issue(
            tx,
            "survey",
            now,
            timedelta(days=survey.after_days + survey.valid_days),
            year=now.year,
            municipality=home,
        )
        specs.append(
            chain.task_for(
                deps.settings.queue_prefix,
                "notify",
                NotifyTask(
                    task_id=chain.task_id("notify", "survey", gid, mid),
                    mail="survey",
                    subject_id=gid,
                    recipient_id=mid,
                ),
                schedule_at=now + timedelta(days=survey.after_days),
            )
        )
    return specs, link_tokens


def stats_path(when: datetime | date, key: str) -> str:
    """Anonymous monthly counters per municipality (or "digital" / "centre"): all reports read."""
    return f"stats/{when:%Y-%m}_{key}"


def count_start(
    deps: Deps, tx: Tx, group: dict[str, Any], member_ids: list[str], now: datetime
) -> None:
    """A group starts: count it, its facilitated meetings and the volunteer's hours, by month."""
    place = str(group["place"])
    tx.increment(stats_path(now, place), {"groups_started": 1})
    tx.increment(stats_path(now, "centre"), {"groups_started": 1})
    minutes = deps.centre.groups.meeting_minutes
    by_month: dict[str, int] = {}
    for d in group.get("meeting_dates") or (group.get("offer") or {}).get("dates") or []:
        key = stats_path(date.fromisoformat(d), place)
        by_month[key] = by_month.get(key, 0) + 1
    for key, n in by_month.items():
        tx.increment(key, {"meetings": n, "facilitator_minutes": n * minutes})
    if place == "digital":
        homes = sorted(
            {str(group["members"][m].get("municipality", "")) for m in member_ids} - {""}
        )
        for home in homes:
            tx.increment(stats_path(now, home), {"digital_groups": 1})


def invitation_deadline(deps: Deps, tx: Tx, gid: str, now: datetime) -> list[TaskSpec]:
    group = tx.get(f"groups/{gid}")
    if group is None or group["status"] not in ("facilitator_confirmed", "confirmed"):
        return []
    members = {k: dict(v) for k, v in group["members"].items()}
    paths = {mid: f"inquiries/{mid}" for mid in members}
    docs = tx.get_many(list(paths.values()))
    specs: list[TaskSpec] = []
    if group["status"] == "facilitator_confirmed":  # too few accepted: dissolve
        for mid, m in members.items():
            doc = docs[paths[mid]]
            if doc is None:
                continue
            keep_place = m.get("response") == "accepted"
            tx.update(
                paths[mid],
                {
                    "status": "waiting",
                    "group_id": None,
                    "queued_at": m["queued_at"] if keep_place else now,
                },
            )
        release_resources(tx, group)
        tx.update(f"groups/{gid}", {"status": "dissolved", "dissolved_at": now})
        specs.append(assemble(deps, "dissolved", gid))
        return specs
    # confirmed: those who never answered go back to the pool, behind those waiting
    silent = [mid for mid, m in members.items() if m.get("response") is None]
    for mid in silent:
        if docs[paths[mid]] is not None:
            tx.update(paths[mid], {"status": "waiting", "group_id": None, "queued_at": now})
        members.pop(mid)
    if silent:
        tx.update(f"groups/{gid}", {"members": members})
        specs.append(assemble(deps, "pool_changed", f"silent-{gid}"))
    return specs


def release_resources(tx: Tx, group: dict[str, Any]) -> None:
    if group.get("venue_id"):
        tx.delete(venue_booking(group["venue_id"], group["slot"]))
    offer = group.get("offer") or {}
    fid = group.get("facilitator_id") or offer.get("facilitator_id")
    if fid and offer.get("dates"):
        for d in offer["dates"]:
            tx.delete(facilitator_booking(fid, date.fromisoformat(d), offer["part"]))


def close(deps: Deps, tx: Tx, token: dict[str, Any], now: datetime) -> tuple[str, list[TaskSpec]]:
    gid = str(token["group_id"])
    group = tx.get(f"groups/{gid}")
    if group is None or group["status"] != "confirmed":
        return "stale", []
    if group.get("venue_id"):
        tx.delete(venue_booking(group["venue_id"], group["slot"]))
    tx.update(f"groups/{gid}", {"status": "closed", "closed_at": now})
    return "ok", [
        assemble(deps, "pool_changed", f"closed-{gid}")
    ]  # the freed slot may start a group


def followup_request(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime
) -> tuple[str, list[TaskSpec]]:
    gid = str(token["group_id"])
    group = tx.get(f"groups/{gid}")
    if group is None or group["status"] != "confirmed":
        return "stale", []
    current = group.get("followup") or {}
    if current.get("status") in ("offered", "arranged"):
        return "ok", []  # one visit at a time; asking again changes nothing
    rnd = int(current.get("round", -1)) + 1
    tx.update(
        f"groups/{gid}",
        {"followup": {"status": "requested", "round": rnd, "tried": [], "requested_at": now}},
    )
    return "ok", [schedule(deps, "followup", gid, rnd)]


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
        or fu.get("step") != token.get("step")
    ):
        return "stale", []
    if accept:
        tx.update(f"groups/{gid}", {"followup": {**fu, "status": "arranged", "arranged_at": now}})
        minutes = deps.centre.groups.meeting_minutes
        tx.increment(
            stats_path(now, str(group["place"])), {"followups": 1, "facilitator_minutes": minutes}
        )
        return "ok", [notify(deps, "followup_arranged", gid, fid, salt=str(rnd))]
    step = int(fu.get("step", 0)) + 1
    tx.update(f"groups/{gid}", {"followup": {**fu, "status": "requested", "step": step}})
    return "ok", [schedule(deps, "followup", gid, rnd * 100 + step)]


def meeting_start(deps: Deps, day: date, slot: str) -> datetime:
    g = deps.centre.groups
    clock = slots.start_time(slot, g.daytime_start, g.evening_start, g.weekend_start)
    return datetime.combine(day, clock, tzinfo=ZoneInfo(deps.centre.centre.timezone))
