"""assemble: move new inquiries into the right queue, and propose groups from the pool.

With pre-talk required (the demo centre), a new inquiry waits for the coordinator's pre-talk (the
coordinator gets a confirm_pretalk link); otherwise it joins the pool at once. Then the pool is
matched (shared/domain/matching.py) and every proposal is claimed in its own transaction, so
concurrent runs cannot place a person twice or book a venue slot twice.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from shared import logs
from shared.domain import roster, slots, widen
from shared.domain.facilitators import Facilitator
from shared.domain.matching import Candidate, Kind, OpenGroup, Venue, propose, top_up
from shared.ports import TaskSpec, TransientError, Tx, Where
from workflows.platform import coordinators, tokens
from workflows.platform.messages import AssembleTask
from workflows.platform.runtime import Deps
from workflows.platform.steps import Outcome, run_once
from workflows.saga import enqueue, proposal, staffing

log = logs.get_logger(__name__)
MAX_PASSES = 3


def handle(deps: Deps, task: AssembleTask) -> Outcome:
    now = deps.clock.now()

    def body(tx: Tx) -> list[TaskSpec]:
        if task.inquiry_id is None:
            return []
        path = f"inquiries/{task.inquiry_id}"
        inquiry = tx.get(path)
        if inquiry is None or inquiry.get("status") != "received":
            return []  # erased, or already moved by an earlier delivery
        if not deps.centre.centre.require_pretalk:
            tx.update(path, {"status": "waiting"})
            return []
        # Valid as long as the inquiry can await its pre-talk (issue 8: a coordinator away for a
        # month must find working links when back); acting on another state answers "stale".
        token = tokens.issue(
            tx,
            "confirm_pretalk",
            now,
            pretalk_validity(deps, inquiry, now),
            inquiry_id=task.inquiry_id,
        )
        tx.update(path, {"status": "awaiting_pretalk", "pretalk_token": token})
        return [
            enqueue.notify(deps, "coordinator_pretalk", task.inquiry_id, cid)
            for cid in coordinators.ids(deps)
        ]

    outcome = run_once(deps, task.task_id, "assemble", body)
    if task.reason != "intake" or not deps.centre.centre.require_pretalk:
        assemble_pool(deps)  # a new inquiry awaiting its pre-talk cannot change the pool
    return outcome


def pretalk_validity(deps: Deps, inquiry: dict[str, object], now: datetime) -> timedelta:
    created = inquiry.get("created_at")
    start = created if isinstance(created, datetime) else now
    return max(timedelta(days=1), start + timedelta(days=deps.centre.retention.unplaced_days) - now)


def candidate(iid: str, doc: dict[str, object], long_since: datetime | None = None) -> Candidate:
    """The person as the assembly sees them; queued at or before `long_since`: a long waiter."""
    queued = doc.get("queued_at")
    return Candidate(
        id=iid,
        queued_at=queued if isinstance(queued, datetime) else datetime.min.replace(tzinfo=UTC),
        municipality=str(doc.get("municipality", "other")),
        travel=tuple(doc.get("travel", ()) or ()),  # type: ignore[arg-type]
        topics=tuple(doc.get("topics", ()) or ()),  # type: ignore[arg-type]
        formats=tuple(doc.get("formats", ()) or ()),  # type: ignore[arg-type]
        times=tuple(doc.get("times", ()) or ()),  # type: ignore[arg-type]
        languages=tuple(doc.get("languages", ("no",)) or ("no",)),  # type: ignore[arg-type]
        age_band=str(doc["age_band"]) if doc.get("age_band") else None,
        step_free=doc.get("step_free") is True,
        age_reach=int(doc.get("age_reach") or 0),  # type: ignore[call-overload]
        long_wait=long_since is not None and isinstance(queued, datetime) and queued <= long_since,
    )


def long_since(deps: Deps) -> datetime | None:
    """Queued at or before this, a person is a long waiter (issue 21); None: the rule is off (0)."""
    days = deps.centre.groups.long_wait_days
    return deps.clock.now() - timedelta(days=days) if days else None


def _places(f: Facilitator) -> list[str]:
    return [*f.municipalities, *(["digital"] if f.digital else [])]


def slot_weights(facs: list[Facilitator], load: dict[str, int]) -> dict[tuple[str, str], int]:
    """How many facilitators with room under their cap now could serve (place, slot): proposals
    prefer slots someone can staff."""
    weight: dict[tuple[str, str], int] = {}
    for f in facs:
        if load.get(f.id, 0) >= f.max_groups:
            continue
        for place in _places(f):
            for slot in f.slots:
                weight[(place, slot)] = weight.get((place, slot), 0) + 1
    return weight


def staffable(facs: list[Facilitator]) -> Callable[[Kind], bool]:
    """Could any active facilitator ever take this kind of group (ignoring load and dates away)?"""
    can = {
        (place, slots.time_category(slot), lang, topic)
        for f in facs
        for place in _places(f)
        for slot in f.slots
        for lang in f.languages
        for topic in f.topics
    }
    return lambda k: (k.place, k.category, k.language, k.topic) in can


def active_venues(deps: Deps) -> tuple[list[tuple[str, dict[str, Any]]], list[Venue]]:
    """The rooms in use (deactivated ones left out, issue 9): their documents, and as matching
    reads them."""
    docs = [(vid, v) for vid, v in deps.store.query("venues") if v.get("active") is not False]
    venues = [
        Venue(
            vid,
            str(v["municipality"]),
            int(v.get("capacity", 0)),
            tuple(v.get("slots", ())),
            step_free=v.get("accessible") is True,
        )
        for vid, v in docs
    ]
    return docs, venues


def unavailable_rooms(
    deps: Deps, venue_docs: list[tuple[str, dict[str, Any]]]
) -> set[tuple[str, str]]:
    """(room, slot) pairs a new group cannot start in: one of its first meetings falls on a date
    the room is closed (the console's "dates unavailable", issue 9). Treated like a booking."""
    now = deps.clock.now()
    count = deps.centre.groups.facilitator_meetings
    out: set[tuple[str, str]] = set()
    dates: dict[str, list[date]] = {}  # per slot, shared by every room
    for vid, v in venue_docs:
        if not v.get("unavailable"):
            continue
        for s in v.get("slots", ()):
            if s not in dates:
                dates[s] = list(staffing.first_dates(deps, s, now, count))
            if roster.blocked_on(v["unavailable"], dates[s]):
                out.add((vid, str(s)))
    return out


def assemble_pool(deps: Deps) -> list[str]:
    made: list[str] = []
    venue_docs, venues = active_venues(deps)
    closed = unavailable_rooms(deps, venue_docs)
    facs = staffing.load_facilitators(deps)  # active ones, read once per run
    weights = slot_weights(facs, staffing.current_load(deps))
    can_staff = staffable(facs)
    g = deps.centre.groups
    for _ in range(MAX_PASSES):
        since = long_since(deps)
        waiting = [
            candidate(i, d, since)
            for i, d in deps.store.query("inquiries", [Where("status", "==", "waiting")])
        ]
        joined = fill_open_groups(deps, waiting, {v.id: v.capacity for v in venues})
        waiting = [c for c in waiting if c.id not in joined]
        booked = closed | {
            (str(b["venue_id"]), str(b["slot"])) for _, b in deps.store.query("venue_bookings")
        }
        proposals = propose(
            waiting,
            venues,
            min_size=g.min_size,
            max_size=g.max_size,
            booked=booked,
            slot_weight=weights,
            age_distance=g.age_band_distance,
            staffable=can_staff,
            small_size=g.start_with,
            small_long=g.long_waiters_needed,
        )
        lost = 0
        # Concurrent runs compute the same proposals; starting at a random one spreads them out
        # instead of making all of them fight over the first (issue 3: 20 concurrent runs).
        start = random.randrange(len(proposals)) if proposals else 0
        for p in proposals[start:] + proposals[:start]:
            try:
                gid = proposal.claim(deps, p)
            except TransientError:  # contention: another run is claiming the same people
                gid = None
            if gid is None:
                lost += 1
            else:
                made.append(gid)
        if not lost:
            break
    else:
        if lost:
            # Every pass lost a race: another run holds these people right now. Ask Cloud Tasks to
            # retry later, when that run's group is visible and the rest can join it.
            raise TransientError("pool still contended after several passes")
    if made:
        log.info("groups proposed", extra={"groups": len(made)})
    return made


def fill_open_groups(deps: Deps, waiting: list[Candidate], venue_room: dict[str, int]) -> set[str]:
    """Add waiting people to proposed groups with room, and to groups whose invitations are out
    while members still have time to answer (a replacement for a decline); never to a group the
    person declined."""
    now = deps.clock.now()
    docs = {
        gid: g
        for status in (*proposal.OPEN, "facilitator_confirmed", "confirmed")
        for gid, g in deps.store.query("groups", [Where("status", "==", status)])
        if proposal.can_take_members(g, now)
    }
    step_free = {vid for vid, v in deps.store.query("venues") if v.get("accessible") is True}
    open_groups = [
        OpenGroup(
            gid,
            Kind(
                g["topic"],
                g["place"],
                slots.time_category(g["slot"]),
                g["language"],
                str(g.get("age") or ""),
            ),
            len(g["members"]),
            step_free=g["place"] == "digital" or g.get("venue_id") in step_free,
        )
        for gid, g in docs.items()
    ]
    joined: set[str] = set()
    if not open_groups or not waiting:
        return joined
    cfg = deps.centre.groups
    declined = {gid: set(g.get("declined", ())) for gid, g in docs.items()}
    for gid, pid in top_up(waiting, open_groups, cfg.max_size, cfg.age_band_distance):
        if pid not in declined.get(gid, ()) and proposal.join(deps, gid, pid, venue_room):
            joined.add(pid)
    return joined


def pool_now(deps: Deps) -> widen.Pool:
    """The pool as the next pool run reads it (issue 17: what would place a person sooner)."""
    venue_docs, venues = active_venues(deps)
    facs = staffing.load_facilitators(deps)
    g = deps.centre.groups
    booked = unavailable_rooms(deps, venue_docs) | {
        (str(b["venue_id"]), str(b["slot"])) for _, b in deps.store.query("venue_bookings")
    }
    since = long_since(deps)
    waiting = [
        candidate(i, d, since)
        for i, d in deps.store.query("inquiries", [Where("status", "==", "waiting")])
    ]
    return widen.Pool(
        waiting=sorted(waiting, key=lambda c: (c.queued_at, c.id)),
        venues=venues,
        min_size=g.min_size,
        max_size=g.max_size,
        places=tuple(m.code for m in deps.centre.municipalities),
        booked=frozenset(booked),
        slot_weight=slot_weights(facs, staffing.current_load(deps)),
        age_distance=g.age_band_distance,
        staffable=staffable(facs),
        digital=any(f.digital for f in facs),
        general=True,  # every centre has a general group (config: topics must name "general")
        small_size=g.start_with,
        small_long=g.long_waiters_needed,
    )
