"""The figures of the simulated year (README § The simulated year, CONTRACT.md): a History the world
keeps while it runs (what it saw of the database each day, what it delivered, what broke), and the
figures computed from it at the end."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from bench import invariants
from bench.residents import Resident
from bench.sim import percentile
from shared.ports import Doc, OutgoingMail
from workflows.saga import waiting

# The figures that count a broken invariant: each must be 0 (README § The simulated year).
BROKEN = (
    "stuck",
    "lost",
    "duplicate_emails",
    "double_bookings",
    "retention_violations",
    # issue 18: a sent report's figures still equal its counters
    "frozen_drift",
    # issue 16
    "calendar_untrue",
    "calendar_unsent",
    "placed_in_cancelled",
    "join_link_violations",
    # issue 21: nobody is offered more widenings than the centre's `offers`
    "widen_offers_over_cap",
)


@dataclasses.dataclass
class History:
    """Observations accumulate: a document deleted later (TTL, erasure) keeps what was seen of it."""

    placed: dict[str, float] = dataclasses.field(default_factory=dict)  # inquiry -> days waited
    placed_at: dict[str, datetime] = dataclasses.field(default_factory=dict)  # late accepters too
    started: dict[str, str] = dataclasses.field(default_factory=dict)  # group -> facilitator
    last_meeting: dict[str, date] = dataclasses.field(default_factory=dict)
    confirmed_members: dict[str, tuple[str, datetime]] = dataclasses.field(
        default_factory=dict
    )  # inquiry -> (group, confirmed)
    group_fate: dict[str, str] = dataclasses.field(default_factory=dict)
    erased: set[str] = dataclasses.field(default_factory=set)
    # the invariants broken, first reason first (bench/invariants.py)
    stuck: dict[str, str] = dataclasses.field(default_factory=dict)
    lost: dict[str, str] = dataclasses.field(default_factory=dict)
    double: set[str] = dataclasses.field(default_factory=set)
    retention: dict[str, str] = dataclasses.field(default_factory=dict)
    calendar_untrue: dict[str, str] = dataclasses.field(default_factory=dict)
    calendar_unsent: dict[str, str] = dataclasses.field(default_factory=dict)
    placed_cancelled: set[str] = dataclasses.field(default_factory=set)
    drift: dict[str, str] = dataclasses.field(default_factory=dict)  # report|figure -> first day
    # (address, UID) -> (SEQUENCE, METHOD, date) of the last calendar file sent (issue 16)
    ics_last: dict[tuple[str, str], tuple[int, str, str]] = dataclasses.field(default_factory=dict)
    repairs: Counter[str] = dataclasses.field(default_factory=Counter)
    replaced: set[str] = dataclasses.field(default_factory=set)  # group:round taken over
    # what the world did
    mails: list[OutgoingMail] = dataclasses.field(default_factory=list)
    deliveries: int = 0
    failed_deliveries: int = 0
    dropped: list[str] = dataclasses.field(default_factory=list)
    clicks: Counter[str] = dataclasses.field(default_factory=Counter)
    reports_sent: int = 0
    # join links (issue 16): opens inside / outside a window, and any that let someone in wrongly
    join_opens: Counter[str] = dataclasses.field(default_factory=Counter)
    join_wrong: dict[str, str] = dataclasses.field(default_factory=dict)
    join_checked: int = 0

    def observe_groups(self, groups: Mapping[str, Doc]) -> None:
        for gid, g in groups.items():
            rep = g.get("replacement") or {}
            if rep.get("status") == "done":  # issue 16: someone took over the remaining meetings
                self.replaced.add(f"{gid}:{rep.get('round')}")
            self.group_fate[gid] = str(g["status"]) + (
                f":{g['dissolved_because']}" if g.get("dissolved_because") else ""
            )
            if g.get("meeting_dates"):
                self.last_meeting[gid] = date.fromisoformat(max(g["meeting_dates"]))
            if g.get("started_at") and gid not in self.started:
                self.started[gid] = str(g.get("facilitator_id"))
            if g.get("confirmed_at"):
                for mid, m in g["members"].items():
                    if m.get("response") == "accepted":
                        self.confirmed_members.setdefault(mid, (gid, g["confirmed_at"]))
            # a member who left (issue 16), or whose group was cancelled before it met, is owed
            # no survey for that group; a later group's confirmation counts instead
            gone = {x["id"] for x in g.get("left") or []}
            if g["status"] == "cancelled":
                gone |= {m for m, (was, _t) in self.confirmed_members.items() if was == gid}
            for mid in gone:
                if self.confirmed_members.get(mid, ("",))[0] == gid:
                    del self.confirmed_members[mid]

    def observe_inquiries(self, inquiries: Iterable[tuple[str, Doc]]) -> None:
        for iid, inq in inquiries:
            if inq["status"] == "placed" and iid not in self.placed:
                self.placed[iid] = (inq["placed_at"] - inq["created_at"]).total_seconds() / 86400
                self.placed_at[iid] = inq["placed_at"]
            if inq["status"] == "erased":
                self.erased.add(iid)


# People without a group yet (issue 21): a proposal in the making is a group in sight.
STILL_WAITING = ("received", "awaiting_pretalk", "waiting")
LONG_WAIT_DAYS = 120


def long_waiters(
    residents: Mapping[str, Resident],
    status: Mapping[str, str],
    why: Mapping[str, tuple[str, ...]],
    end: datetime,
    docs: Mapping[str, Doc] | None = None,
    where: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Issue 21: of the people who arrived at least 120 days before the end, how many still have
    no group, and the console's reason for each (shared/domain/pool.py: what the kind of group
    closest to forming lacks; "ready" = nothing, the next pool run should place them; "pretalk" =
    not yet through the pre-talk, so no pool reason)."""
    arrived = [i for i, r in residents.items() if (end - r.created).days >= LONG_WAIT_DAYS]
    still = [i for i in arrived if status.get(i) in STILL_WAITING]
    tally: Counter[str] = Counter(
        ("+".join(why[i]) or "ready") if i in why else "pretalk" for i in still
    )
    docs = docs or {}
    # who they are, in the wishes' terms only (what would have helped them): never a person
    profile: Counter[str] = Counter()
    for i in still:
        d = docs.get(i) or {}
        formats = set(d.get("formats") or ())
        profile["in_person_only" if formats == {"in_person"} else "online_too"] += 1
        profile["general_too" if "general" in (d.get("topics") or ()) else "theme_only"] += 1
        profile[f"offers_{len(waiting.offered(d))}"] += 1
        profile["widened" if d.get("widened") else "not_widened"] += 1
    # the kinds of group that lack only a room, as place:time (a municipality code, never a person)
    where = where or {}
    rooms: Counter[str] = Counter(where[i] for i in still if why.get(i) == ("room",) and i in where)
    return {
        "long_wait_arrivals": len(arrived),
        "long_waiters": len(still),
        "long_waiters_share": round(len(still) / len(arrived), 3) if arrived else 0.0,
        "long_waiters_why": dict(sorted(tally.items())),
        "long_waiters_profile": dict(sorted(profile.items())),
        "long_waiters_rooms": dict(sorted(rooms.items())),
    }


def figures(
    h: History,
    *,
    head: dict[str, Any],
    residents: Mapping[str, Resident],
    facilitators: Iterable[str],
    survey_after_days: int,
    end: datetime,
    deadletters: list[tuple[str, Doc]],
    duplicated: int,
    crashes: Mapping[str, int],
    offers_cap: int = 3,
) -> dict[str, Any]:
    """The JSON of the run. `head` comes first (policy, days, start, rate)."""
    waits = list(h.placed.values())
    loads = Counter(h.started.values())
    for fid in facilitators:
        loads.setdefault(fid, 0)
    # due `after` days after the member joined: the group's confirmation, or later for a member
    # who accepted after it (CI once counted such a member due before their survey's time)
    joined = {
        mid: max(confirmed, h.placed_at.get(mid, confirmed))
        for mid, (_gid, confirmed) in h.confirmed_members.items()
    }
    erased_at = {
        iid: at
        for iid in h.erased
        if (res := residents.get(iid)) is not None and (at := res.erase_at) is not None
    }
    due = invariants.surveys_due(
        joined, end, survey_after_days, {i: r.email for i, r in residents.items()}, erased_at
    )
    surveyed = {m.to for m in h.mails if m.message_key.startswith("survey-")}
    due_emails = {residents[m].email for m in due}
    missing = [
        f"{mid}: joined {joined[mid]:%Y-%m-%d %H:%M}, group {h.confirmed_members[mid][0]}"
        for mid in sorted(due)
        if residents[mid].email not in surveyed
    ]
    twice = invariants.duplicate_mails(h.mails)
    # issue 21: the widening offers, by email (a repeat of the same change would also be an
    # identical mail, so `duplicate_emails` counts it)
    offers = Counter(m.to for m in h.mails if m.message_key.startswith("widen-"))
    return {
        **head,
        "inquiries": len(residents),
        "placed": len(waits),
        "placed_within_90_days": sum(1 for w in waits if w <= 90),
        "median_wait_days": round(percentile(waits, 0.5), 1),
        "p90_wait_days": round(percentile(waits, 0.9), 1),
        "groups_started": len(h.started),
        "facilitator_load_max": max(loads.values()) if loads else 0,
        "facilitator_load_min": min(loads.values()) if loads else 0,
        "facilitator_load": dict(sorted(loads.items())),
        "stuck": len(h.stuck),
        "lost": len(h.lost),
        "duplicate_emails": sum(n - 1 for n in twice.values()),
        "double_bookings": len(h.double),
        "retention_violations": len(h.retention),
        "frozen_drift": len(h.drift),
        "calendar_untrue": len(h.calendar_untrue),
        "calendar_unsent": len(h.calendar_unsent),
        "placed_in_cancelled": len(h.placed_cancelled),
        # issue 16: the repairs of the year (what the coordinator did and the members chose)
        "members_left": h.clicks.get("leave_group:200", 0),
        "meetings_moved": h.repairs.get("move_meeting", 0),
        "meetings_cancelled": h.repairs.get("cancel_meeting", 0),
        "groups_cancelled_before_start": h.repairs.get("cancel_group", 0),
        "venue_closures_on_booked_dates": h.repairs.get("venue_closed", 0),
        "facilitator_away_on_booked_dates": h.repairs.get("facilitator_away", 0),
        "facilitator_dropouts": h.repairs.get("replace_facilitator", 0),
        "facilitators_replaced": len(h.replaced),
        "groups_moved": h.repairs.get("move_group", 0),
        "rooms_wanted": h.repairs.get("room_wanted", 0),
        "rooms_found": h.repairs.get("room_found", 0),
        "calendar_files": len(h.ics_last),
        "join_link_opens_inside": h.join_opens["inside"],
        "join_link_opens_outside": h.join_opens["outside"],
        "join_link_violations": len(h.join_wrong),
        "widen_offers": sum(offers.values()),
        "widen_offered_people": len(offers),
        "widen_offers_over_cap": sum(1 for n in offers.values() if n > offers_cap),
        "widenings_accepted": h.clicks.get("page_widen:200", 0),
        "surveys_due": len(due_emails),
        "surveys_sent": len(surveyed),
        "surveys_due_not_sent": len(due_emails - surveyed),
        "deadletters": len(deadletters),
        "emails": len(h.mails),
        "reports_sent": h.reports_sent,
        "task_deliveries": h.deliveries,
        "failed_deliveries": h.failed_deliveries,
        "dropped_tasks": len(h.dropped),
        "duplicate_deliveries": duplicated,
        "crashes_injected": dict(crashes),
        "clicks": dict(sorted(h.clicks.items())),
        "groups_by_state": dict(sorted(Counter(h.group_fate.values()).items())),
        "examples": {
            "stuck": dict(list(h.stuck.items())[:5]),
            "lost": dict(list(h.lost.items())[:5]),
            "double_bookings": sorted(h.double)[:5],
            "retention": dict(list(h.retention.items())[:5]),
            "frozen_drift": dict(list(h.drift.items())[:5]),
            "calendar_untrue": dict(list(h.calendar_untrue.items())[:5]),
            "calendar_unsent": dict(list(h.calendar_unsent.items())[:5]),
            "placed_in_cancelled": sorted(h.placed_cancelled)[:5],
            "join_links": dict(list(h.join_wrong.items())[:5]),
            "deadletters": [d.get("reason") for _, d in deadletters[:5]],
            "surveys_missing": missing[:5],
            "duplicate_emails": [
                f"{n}x {subject!r} ({to.split('@')[-1]})" for (to, subject, _t), n in twice.items()
            ][:5],
        },
    }
