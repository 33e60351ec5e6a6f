"""Invitations: the facilitator said yes, members are invited; enough yeses confirm the group.

A member counts as placed once, when their group is confirmed (issue 8): accepting an invitation
of a group that may still dissolve changes neither their retention nor the report's figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from shared.ports import TaskSpec, Tx
from workflows.platform import chain, coordinators, counters, tokens
from workflows.platform.messages import NotifyTask
from workflows.platform.runtime import Deps
from workflows.saga import calendars, enqueue, proposal, resources


def invite(
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
    specs = [enqueue.notify(deps, "invitation", gid, mid) for mid in members]
    specs.append(enqueue.schedule(deps, "invitation_deadline", gid, at=deadline))
    return specs


def answer(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, accept: bool
) -> tuple[str, list[TaskSpec]]:
    gid, mid = str(token["group_id"]), str(token["inquiry_id"])
    group = tx.get(f"groups/{gid}")
    inquiry = tx.get(f"inquiries/{mid}")
    if (
        group is None
        or group["status"] not in ("facilitator_confirmed", "confirmed")
        or mid not in group["members"]
        or group["members"][mid].get("response") is not None
    ):
        return "stale", []
    members = {k: dict(v) for k, v in group["members"].items()}
    if not accept:
        members.pop(mid)
        if inquiry is not None and inquiry.get("group_id") == gid:
            tx.update(f"inquiries/{mid}", {"status": "waiting", "group_id": None, "queued_at": now})
        # never offered this group again by the pool run (they said no to it)
        declined = [*group.get("declined", []), mid]
        tx.update(f"groups/{gid}", {"members": members, "declined": declined})
        return "ok", [enqueue.assemble(deps, "pool_changed", f"declined-{gid}-{mid}")]
    members[mid]["response"] = "accepted"
    accepted = [k for k, v in members.items() if v.get("response") == "accepted"]
    if group["status"] == "confirmed":
        people = tx.get_many([f"people/{mid}"])
        docs: dict[str, dict[str, Any] | None] = {f"inquiries/{mid}": inquiry, **people}
        place(deps, tx, group, [mid], docs, now)
        mails, fu = welcome(deps, tx, gid, group, [mid], now, include_facilitator=False)
        links = {**group.get("link_tokens", {}), **fu}
        update: dict[str, Any] = {"members": members, "link_tokens": links}
        if len(accepted) >= deps.centre.groups.min_size:  # topped up again (issue 16)
            update.update(short_since=None, topup_until=None)
        tx.update(f"groups/{gid}", update)
        mails += calendars.sync(
            deps, tx, gid, {**group, **update}, now, reason="joined", carried=frozenset([mid])
        )
        return "ok", mails
    if len(accepted) < deps.centre.groups.min_size:
        tx.update(f"groups/{gid}", {"members": members})
        return "ok", []
    docs = tx.get_many([p for m in accepted for p in (f"inquiries/{m}", f"people/{m}")])
    return "ok", confirm(deps, tx, gid, {**group, "members": members}, accepted, docs, now)


def confirm(
    deps: Deps,
    tx: Tx,
    gid: str,
    group: dict[str, Any],
    accepted: list[str],
    docs: dict[str, dict[str, Any] | None],
    now: datetime,
) -> list[TaskSpec]:
    """Enough members said yes: the group is confirmed, its members placed, its dates set."""
    dates = [date.fromisoformat(d) for d in group["meeting_dates"]]
    slot = str(group["slot"])
    first = resources.meeting_start(deps, dates[0], slot)
    last_end = resources.meeting_end(deps, dates[-1], slot)
    place(deps, tx, group, accepted, docs, now)
    mails, fu = welcome(deps, tx, gid, group, accepted, now, include_facilitator=True)
    close_valid = timedelta(days=2 * 365)
    tx.update(
        f"groups/{gid}",
        {
            "status": "confirmed",
            "confirmed_at": now,
            "members": group["members"],
            "link_tokens": {**group.get("link_tokens", {}), **fu},
            # Groups run as long as members need (seed 002): the coordinator may close one when it
            # ends, which frees its weekly room.
            "close_token": tokens.issue(tx, "close_group", now, close_valid, group_id=gid),
            "expire_at": now + timedelta(days=2 * 365),
        },
    )
    after = {**group, "status": "confirmed"}
    carried = frozenset(m for m in (*accepted, f"facilitator:{group.get('facilitator_id')}"))
    mails += calendars.sync(deps, tx, gid, after, now, reason="confirmed", carried=carried)
    return [
        *mails,
        enqueue.notify(deps, "coordinator_started", gid, coordinators.lead(deps)),
        enqueue.schedule(deps, "first_meeting", gid, at=first),
        enqueue.schedule(deps, "facilitation_over", gid, at=last_end),
    ]


def kept_until(deps: Deps, dates: list[str]) -> datetime:
    """A placed member's data is kept until N days after the last meeting (00:00 UTC that day)."""
    keep = datetime.combine(date.fromisoformat(max(dates)), datetime.min.time(), tzinfo=UTC)
    return keep + timedelta(days=deps.centre.retention.placed_days_after_facilitation)


def member_paths(group: dict[str, Any]) -> list[str]:
    """What `keep_members` reads (in the transaction, before it writes)."""
    ids = sorted(group.get("members") or {})
    return [f"inquiries/{m}" for m in ids] + [f"people/{m}" for m in ids]


def keep_members(
    deps: Deps,
    tx: Tx,
    group: dict[str, Any],
    dates: list[str],
    docs: Mapping[str, dict[str, Any] | None],
) -> None:
    """The last meeting moved (a group or a meeting moved, issue 16): the members' data is kept
    until N days after the new one. A 365-day year kept four members' data past their rule when
    a group moved to an earlier weekday (and would delete it before the survey when later)."""
    before = group.get("meeting_dates") or []
    if not dates or not before or max(dates) == max(before):
        return
    expire_at = kept_until(deps, dates)
    for mid in sorted(group.get("members") or {}):
        inquiry = docs.get(f"inquiries/{mid}")
        if inquiry is None or inquiry.get("status") not in ("placed", "left"):
            continue  # still deciding, back in the pool, erased: their own rule
        tx.update(f"inquiries/{mid}", {"expire_at": expire_at})
        if docs.get(f"people/{mid}") is not None:
            tx.update(f"people/{mid}", {"expire_at": expire_at})


def place(
    deps: Deps,
    tx: Tx,
    group: dict[str, Any],
    member_ids: list[str],
    docs: dict[str, dict[str, Any] | None],
    now: datetime,
) -> None:
    """Placed members keep their data until the facilitator phase is over + N days (the survey and
    the follow-up still need to reach them); counted once, with their wait."""
    expire_at = kept_until(deps, group.get("meeting_dates") or [now.date().isoformat()])
    for mid in member_ids:
        inquiry = docs.get(f"inquiries/{mid}")
        if inquiry is None or inquiry.get("status") != "proposed":
            continue
        tx.update(
            f"inquiries/{mid}", {"status": "placed", "placed_at": now, "expire_at": expire_at}
        )
        if docs.get(f"people/{mid}") is not None:
            tx.update(f"people/{mid}", {"expire_at": expire_at})
        if inquiry.get("counted_placed"):
            continue  # placed before, back in the pool since (issue 16): counted once
        waited = max(0, (now - inquiry["created_at"]).days)
        tx.increment(
            counters.stats_path(now, inquiry["municipality"], deps.centre.centre.timezone),
            {"placed": 1, f"wait_days.{min(waited, 999)}": 1},
        )


def welcome(
    deps: Deps,
    tx: Tx,
    gid: str,
    group: dict[str, Any],
    member_ids: list[str],
    now: datetime,
    include_facilitator: bool,
) -> tuple[list[TaskSpec], dict[str, str]]:
    """Confirmations with the .ics and a follow-up link; the reminder before the first meeting; the
    satisfaction survey (seed 001) a while after the start, with an anonymous link."""
    recipients = list(member_ids)
    if include_facilitator and group.get("facilitator_id"):
        recipients.append(f"facilitator:{group['facilitator_id']}")
    link_tokens = {
        r: tokens.issue(
            tx,
            "request_followup",
            now,
            timedelta(days=2 * 365),
            group_id=gid,
            **({"inquiry_id": r} if not r.startswith("facilitator:") else {}),
        )
        for r in recipients
    }
    for mid in member_ids:  # "I can't continue" (issue 16), in the confirmation and the reminder
        link_tokens[f"leave:{mid}"] = tokens.issue(
            tx, "leave_group", now, timedelta(days=2 * 365), group_id=gid, inquiry_id=mid
        )
    specs = [enqueue.notify(deps, "confirmation", gid, r) for r in recipients]
    first = resources.meeting_start(
        deps, date.fromisoformat(group["meeting_dates"][0]), group["slot"]
    )
    remind_at = first - timedelta(days=deps.centre.groups.reminder_days_before)
    if first > now:
        specs += [
            enqueue.notify(deps, "reminder", gid, r, at=max(remind_at, now)) for r in recipients
        ]
    # The survey's link is made when the survey is sent, under an id nothing about the member
    # leads to (issue 18; workflows/platform/tokens.survey_token): only the task is recorded here.
    survey = deps.centre.survey
    for mid in member_ids:
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


def deadline(deps: Deps, tx: Tx, gid: str, now: datetime) -> list[TaskSpec]:
    group = tx.get(f"groups/{gid}")
    if group is None or group["status"] not in ("facilitator_confirmed", "confirmed"):
        return []
    members = {k: dict(v) for k, v in group["members"].items()}
    docs = tx.get_many([f"inquiries/{m}" for m in members])
    accepted = [m for m, v in members.items() if v.get("response") == "accepted"]
    if group["status"] == "facilitator_confirmed" and len(accepted) < deps.centre.groups.start_with:
        return proposal.dissolve(deps, tx, gid, group, docs, now, reason="too_few_accepted")
    specs: list[TaskSpec] = []
    if group["status"] == "facilitator_confirmed":
        # enough to start ("4 can be enough", seed 002): confirm with those who said yes
        people = tx.get_many([f"people/{m}" for m in accepted])
        silent = [mid for mid, m in members.items() if m.get("response") is None]
        kept = {k: v for k, v in members.items() if k not in silent}
        specs = confirm(
            deps, tx, gid, {**group, "members": kept}, accepted, {**docs, **people}, now
        )
        members = kept
    # those who never answered go back to the pool, behind those waiting
    silent = [mid for mid, m in group["members"].items() if m.get("response") is None]
    for mid in silent:
        doc = docs.get(f"inquiries/{mid}")
        if doc is not None and doc.get("group_id") == gid and doc.get("status") == "proposed":
            tx.update(f"inquiries/{mid}", {"status": "waiting", "group_id": None, "queued_at": now})
        members.pop(mid, None)
    if not silent:
        return specs
    if group["status"] == "confirmed":
        tx.update(f"groups/{gid}", {"members": members})
    return [*specs, enqueue.assemble(deps, "pool_changed", f"silent-{gid}")]
