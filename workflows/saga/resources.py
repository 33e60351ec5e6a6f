"""What a group holds while it lives: its weekly room, its facilitator's dates and place under the
cap, its meeting times, and the anonymous counters every transition keeps. Helpers that write take
the documents they need from their caller (Firestore transactions read before they write)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shared.domain import slots
from shared.ports import Tx
from workflows.platform.runtime import Deps

LEAD_DAYS = 14  # first meeting at least two weeks after the facilitator accepts


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
            # a booking is worth nothing once its day is past (issue 8: bookings never expired); UTC
            # whatever clock the caller holds (a local one made it 22:00, not the registry's 00:00)
            "expire_at": datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(days=2),
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


def meeting_start(deps: Deps, day: date, slot: str) -> datetime:
    g = deps.centre.groups
    clock = slots.start_time(slot, g.daytime_start, g.evening_start, g.weekend_start)
    return datetime.combine(day, clock, tzinfo=ZoneInfo(deps.centre.centre.timezone))


def meeting_end(deps: Deps, day: date, slot: str) -> datetime:
    return meeting_start(deps, day, slot) + timedelta(minutes=deps.centre.groups.meeting_minutes)


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
    rep = group.get("replacement") or {}  # a takeover on offer (issue 16; saga/replace.py)
    if rep.get("status") == "offered" and rep.get("facilitator_id"):
        for d in rep.get("dates") or []:
            if date.fromisoformat(d) >= today:
                tx.delete(
                    facilitator_booking(str(rep["facilitator_id"]), date.fromisoformat(d), part)
                )
        set_load(tx, str(rep["facilitator_id"]), gid, False)
