"""Keeping everyone's calendar true to the group (issue 16): after any change to a group, `sync`
works out what each recipient's calendar should hold, writes the per-recipient ledger into the
group document (the caller's transaction) and returns one notify task per version to send.

Who holds which meetings: while the group runs (confirmed, started, self-run), every member who
accepted and the facilitator hold its meetings that are not cancelled, each at its own date and
room (a meeting moved to another room keeps its number, so its UID). A member who left, a
facilitator who was replaced, and everyone in a cancelled or closed group hold none of the meetings
still ahead: they get a CANCEL. Meetings already past are left as they are.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from shared.domain import calendar as ledger
from shared.domain.lifecycle import RUNNING
from shared.ports import TaskSpec, Tx
from workflows.platform.runtime import Deps
from workflows.saga import enqueue, resources


def meetings(group: dict[str, Any]) -> dict[str, ledger.Meeting]:
    """The group's meetings by number, as they stand (cancelled ones left out)."""
    cancelled = {str(k) for k in group.get("cancelled_meetings") or []}
    rooms = group.get("meeting_rooms") or {}
    return {
        str(i): {
            "date": d,
            "slot": group["slot"],
            "place": group["place"],
            "venue_id": rooms.get(str(i), group.get("venue_id")),
        }
        for i, d in enumerate(group.get("meeting_dates") or [], 1)
        if str(i) not in cancelled
    }


def holders(group: dict[str, Any]) -> list[str]:
    """Who should hold the group's meetings in their calendar now."""
    if group.get("status") not in RUNNING:
        return []
    rids = [m for m, v in group.get("members", {}).items() if v.get("response") == "accepted"]
    if group.get("facilitator_id"):
        rids.append(f"facilitator:{group['facilitator_id']}")
    return rids


def past(deps: Deps, group: dict[str, Any], now: datetime) -> set[str]:
    return {
        str(i)
        for i, d in enumerate(group.get("meeting_dates") or [], 1)
        if resources.meeting_start(deps, date.fromisoformat(d), group["slot"]) <= now
    }


def sync(
    deps: Deps,
    tx: Tx,
    gid: str,
    group: dict[str, Any],
    now: datetime,
    *,
    reason: str,
    carried: frozenset[str] = frozenset(),
) -> list[TaskSpec]:
    """Write the ledger for `group` (its state after the change) and return the notices.

    `carried`: recipients whose first version travels in their confirmation email instead of a
    calendar email of its own."""
    cal: dict[str, Any] = dict(group.get("calendar") or {})
    want = meetings(group)
    frozen = past(deps, group, now)
    holding = set(holders(group))
    specs: list[TaskSpec] = []
    for rid in sorted(holding | set(cal)):
        entry, new = ledger.advance(
            cal.get(rid), want if rid in holding else {}, frozen=frozen, reason=reason
        )
        if not new:
            continue
        cal[rid] = entry
        for n in new:
            if n == 1 and rid in carried:
                continue
            specs.append(enqueue.notify(deps, "calendar", gid, rid, salt=f"v{n}", version=n))
    tx.update(f"groups/{gid}", {"calendar": cal})
    group["calendar"] = cal
    return specs
