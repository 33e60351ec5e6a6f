"""Group assembly: who fits which group, and which groups to propose. Pure, no I/O.

Rules (DESIGN.md): the topic matches (anyone who ticked "general" fits a general group); the format is
one the person accepts; an in-person venue is in their municipality or one they travel to; the slot is
one they marked; they share its language. Longest waiting goes first.

The algorithm is greedy and fair: it repeatedly serves the longest-waiting unplaced person who can be
part of a feasible group (at least the minimum fit, and a venue slot is free or the group is digital),
choosing among that person's feasible group kinds the one with the most fitting people, and fills it
longest-waiting first up to the maximum. bench/assembly.py measures it against an exact optimum.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from shared.domain.slots import slots_in
from shared.domain.vocabulary import AGE_BANDS

DIGITAL = "digital"


@dataclass(frozen=True)
class Candidate:
    id: str
    queued_at: datetime
    municipality: str
    travel: tuple[str, ...]
    topics: tuple[str, ...]
    formats: tuple[str, ...]
    times: tuple[str, ...]
    languages: tuple[str, ...]
    age_band: str | None = None
    step_free: bool = False  # needs a step-free entrance (issue 16)
    # bands beyond the group's window the person accepts (issue 17: "a wider age band", a widening
    # they chose on their own page); a group then spans at most the configured distance plus this
    age_reach: int = 0
    # issue 21: waited longer than the centre's `long_wait_days` (set by the assembly from the
    # clock): such a person's group may start with `start_with` people and span one more age band
    long_wait: bool = False


@dataclass(frozen=True)
class Venue:
    id: str
    municipality: str
    capacity: int
    slots: tuple[str, ...]
    step_free: bool = False


@dataclass(frozen=True)
class Kind:
    """A kind of group: topic × place (municipality code or "digital") × time category × language
    × age window ("" = no age constraint; "2" = bands 2..2+distance)."""

    topic: str
    place: str
    category: str
    language: str
    age: str = ""


@dataclass(frozen=True)
class Proposal:
    kind: Kind
    slot: str
    venue_id: str | None
    members: tuple[str, ...]


@dataclass
class _Resources:
    venues: Sequence[Venue]
    booked: set[tuple[str, str]]  # (venue id, slot)
    slot_weight: Mapping[tuple[str, str], int]  # (place, slot) -> facilitators free; higher first
    step_free_needed: frozenset[str] = frozenset()  # people who need a step-free entrance
    _by_place: dict[str, list[Venue]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for v in self.venues:
            self._by_place.setdefault(v.municipality, []).append(v)

    def pick(
        self, kind: Kind, size: int, min_size: int, step_free: bool = False
    ) -> tuple[str, str | None, int] | None:
        """(slot, venue, seats): a free slot, best staffed first; a room that seats fewer than
        `size` but at least `min_size` caps the group instead of blocking it (issue 8); with
        `step_free`, only rooms with a step-free entrance (issue 16)."""
        options = slots_in(kind.category)
        if kind.place == DIGITAL:
            if not options:
                return None
            best = max(
                options, key=lambda s: (self.slot_weight.get((DIGITAL, s), 0), -options.index(s))
            )
            return best, None, size
        choices = [
            (
                self.slot_weight.get((kind.place, s), 0),
                min(v.capacity, size),
                -options.index(s),
                v.capacity,
                s,
                v.id,
            )
            for v in self._by_place.get(kind.place, ())
            if v.capacity >= min_size and (v.step_free or not step_free)
            for s in v.slots
            if s in options and (v.id, s) not in self.booked
        ]
        if not choices:
            return None
        _weight, seats, _order, _cap, slot, venue_id = max(choices)
        return slot, venue_id, seats


def age_windows(band: str | None, distance: int, banded: bool, reach: int = 0) -> tuple[str, ...]:
    """The age windows a person fits: every window that contains their band (all, without one);
    with `reach`, also the windows just below their band: they may join a group up to that many
    bands younger than the window allows. One direction only, so that a group's members never
    span more than the distance plus the reach (two people reaching from either side would)."""
    if not banded or distance >= len(AGE_BANDS) - 1:
        return ("",)
    starts = range(len(AGE_BANDS) - distance)
    if band not in AGE_BANDS:
        return tuple(str(a) for a in starts)
    b = AGE_BANDS.index(band)
    return tuple(str(a) for a in starts if a <= b <= a + distance + reach)


def kinds_for(c: Candidate, distance: int = 1, banded: bool = False) -> list[Kind]:
    places: list[str] = []
    if "in_person" in c.formats:
        if c.municipality != "other":
            places.append(c.municipality)
        places.extend(p for p in c.travel if p != c.municipality)
    if DIGITAL in c.formats:
        places.append(DIGITAL)
    return [
        Kind(topic, place, category, lang, age)
        for topic in c.topics
        for place in places
        for category in c.times
        for lang in c.languages
        for age in age_windows(c.age_band, distance, banded, reach(c))
    ]


def reach(c: Candidate) -> int:
    """Age bands beyond a group's window the person fits: their own widening, and one for a long
    waiter (issue 21), so a group spans at most the configured distance plus one band."""
    return max(c.age_reach, 1 if c.long_wait else 0)


def propose(
    candidates: Iterable[Candidate],
    venues: Sequence[Venue],
    *,
    min_size: int,
    max_size: int,
    booked: Iterable[tuple[str, str]] = (),
    slot_weight: Mapping[tuple[str, str], int] | None = None,
    age_distance: int = 1,
    staffable: Callable[[Kind], bool] | None = None,
    small_size: int | None = None,
    small_long: int | None = None,
) -> list[Proposal]:
    """`staffable`: whether any facilitator could ever take a kind of group (place, time, language,
    topic); a group nobody could staff is not proposed (issue 8: it dissolved and came back).

    `small_size` (issue 21; the centre's "4 can be enough"): a kind of group that does not reach
    `min_size` is still proposed when at least `small_size` of the people who fit it are long
    waiters (`Candidate.long_wait`); a fragment of short waiters keeps waiting for a fuller group.
    `small_long` (default: `small_size`, all of them): how many long waiters are enough for that.
    (Preferring, among groups of equal size, the one that completes its fragment was tried and
    placed fewer people in a year on seed 21: 135 against 150; not kept.)"""
    people = sorted(candidates, key=lambda c: (c.queued_at, c.id))
    rank = {c.id: i for i, c in enumerate(people)}
    members_of: dict[Kind, list[str]] = defaultdict(list)  # in queue order
    kinds_of: dict[str, list[Kind]] = {}
    banded = any(c.age_band in AGE_BANDS for c in people)
    for c in people:
        ks = kinds_for(c, age_distance, banded)
        if staffable is not None:
            ks = [k for k in ks if staffable(k)]
        kinds_of[c.id] = ks
        for k in ks:
            members_of[k].append(c.id)
    alive = {k: len(v) for k, v in members_of.items()}  # unplaced members per kind
    long_ids = {c.id for c in people if c.long_wait}
    alive_long = {k: sum(1 for m in v if m in long_ids) for k, v in members_of.items()}
    small = min(small_size or min_size, min_size)
    needs = min(small_long or small, small)

    def least(kind: Kind) -> int:
        """The fewest people this kind of group may be proposed with (issue 21)."""
        return small if alive_long[kind] >= needs else min_size

    cursor = dict.fromkeys(members_of, 0)
    placed: set[str] = set()
    dead: set[Kind] = set()  # kinds with no free resource left
    res = _Resources(
        venues, set(booked), slot_weight or {}, frozenset(c.id for c in people if c.step_free)
    )
    proposals: list[Proposal] = []

    needs_step_free = {c.id for c in people if c.step_free}
    no_step_free: set[Kind] = set()  # in-person kinds without a free step-free room left

    def take(kind: Kind, limit: int, skip: set[str] | frozenset[str] = frozenset()) -> list[str]:
        lst, i, out = members_of[kind], cursor[kind], []
        while i < len(lst) and lst[i] in placed:
            i += 1
        cursor[kind] = i
        for pid in lst[i:]:
            if pid not in placed and pid not in skip:
                out.append(pid)
                if len(out) == limit:
                    break
        return out

    def room_for(kind: Kind, size: int, asking: str) -> tuple[str, str | None, int, set[str]]:
        """A room for this kind, and who must be left out: a step-free room when the people it
        would seat include someone who needs one; otherwise any room, without them (issue 16)."""
        if kind.place == DIGITAL:
            where = res.pick(kind, size, min_size)
            return (*where, set()) if where else ("", None, 0, set())
        need = asking in needs_step_free or bool(needs_step_free & set(take(kind, size)))
        if need and kind not in no_step_free:
            where = res.pick(kind, size, min_size, step_free=True)
            if where is not None:
                return (*where, set())
            no_step_free.add(kind)
        if asking in needs_step_free:
            return ("", None, 0, set())
        where = res.pick(kind, size, min_size)
        return (*where, needs_step_free) if where else ("", None, 0, set())

    for person in people:
        if person.id in placed:
            continue
        while person.id not in placed:
            options = [
                k
                for k in kinds_of[person.id]
                if k not in dead
                and alive[k] >= least(k)
                and not (person.id in needs_step_free and k in no_step_free)
            ]
            if not options:
                break
            kind = max(options, key=lambda k: (alive[k], -len(k.topic)))
            need = least(kind)
            slot, venue_id, size, skip = room_for(kind, min(alive[kind], max_size), person.id)
            if not slot:
                if person.id not in needs_step_free or kind.place == DIGITAL:
                    dead.add(kind)
                continue
            chosen = take(kind, size, skip)
            if len(chosen) < need:  # without those who need a step-free entrance, too few
                dead.add(kind)
                continue
            # the person asking may not be among the first `size` in this kind: make room for them
            if person.id not in chosen:
                chosen = [*chosen[:-1], person.id]
            chosen.sort(key=rank.__getitem__)
            if venue_id is not None:
                res.booked.add((venue_id, slot))
            for pid in chosen:
                placed.add(pid)
                for k in kinds_of[pid]:
                    alive[k] -= 1
                    alive_long[k] -= int(pid in long_ids)
            proposals.append(Proposal(kind, slot, venue_id, tuple(chosen)))
    return _repair(
        proposals, [p for p in people if p.id not in placed], kinds_of, rank, res, min_size
    )


def _repair(
    proposals: list[Proposal],
    unplaced: list[Candidate],
    kinds_of: dict[str, list[Kind]],
    rank: dict[str, int],
    res: _Resources,
    min_size: int,
) -> list[Proposal]:
    """Place more people by lending members from groups above the minimum to a new group.

    Greedy fills groups to the maximum; a group of eight whose last three also fit another kind can
    give them to four unplaced people there, making two groups of five and placing four more. Nobody
    placed is ever unplaced, so the longest-waiting-first order of the greedy pass stands.
    bench/assembly.py: this pass lifts placements from ~88% to ~98% of the exact optimum.
    """
    groups = [list(p.members) for p in proposals]
    meta = [(p.kind, p.slot, p.venue_id) for p in proposals]
    kindset: dict[str, frozenset[Kind]] = {}
    fit_groups: dict[Kind, set[int]] = defaultdict(set)
    for gi, members in enumerate(groups):
        for m in members:
            kindset[m] = frozenset(kinds_of[m])
            for k in kinds_of[m]:
                fit_groups[k].add(gi)
    free = {c.id for c in unplaced}
    wait_by_kind: dict[Kind, list[str]] = defaultdict(list)
    for c in unplaced:  # already in queue order
        for k in kinds_of[c.id]:
            wait_by_kind[k].append(c.id)
    dead: set[Kind] = set()
    changed = True
    while changed and free:
        changed = False
        for kind in sorted(wait_by_kind, key=lambda k: (-len(wait_by_kind[k]), str(k))):
            if kind in dead:
                continue
            wait = [w for w in wait_by_kind[kind] if w in free]
            wait_by_kind[kind] = wait
            need = min_size - len(wait)
            if not wait or need <= 0:
                continue
            donors: list[tuple[int, str]] = []
            for gi in fit_groups.get(kind, ()):
                members = groups[gi]
                spare = len(members) - min_size
                if spare > 0:
                    donors.extend(
                        (gi, m)
                        for m in [m for m in reversed(members) if kind in kindset[m]][:spare]
                    )
            if len(donors) < need:
                continue
            where = res.pick(kind, min_size, min_size)
            if where is None:
                dead.add(kind)
                continue
            take = sorted(donors, key=lambda d: -rank[d[1]])[:need]  # lend the most recently queued
            new = sorted([*wait, *(m for _, m in take)], key=rank.__getitem__)
            if kind.place != DIGITAL and any(m in res.step_free_needed for m in new):
                where = res.pick(kind, min_size, min_size, step_free=True)
                if where is None:
                    continue  # no step-free room for this group (issue 16)
            for gi, m in take:
                groups[gi].remove(m)
            slot, venue_id, _seats = where
            if venue_id is not None:
                res.booked.add((venue_id, slot))
            groups.append(new)
            meta.append((kind, slot, venue_id))
            for m in new:
                kindset.setdefault(m, frozenset(kinds_of[m]))
                for k in kinds_of[m]:
                    fit_groups[k].add(len(groups) - 1)
            free.difference_update(wait)
            changed = True
    return [Proposal(k, s, v, tuple(m)) for (k, s, v), m in zip(meta, groups, strict=True)]


@dataclass(frozen=True)
class OpenGroup:
    """A proposed group that has not yet invited its members: it can still take people who fit."""

    id: str
    kind: Kind
    size: int
    step_free: bool = True  # digital, or its room has a step-free entrance (issue 16)


def fits(c: Candidate, kind: Kind, age_distance: int = 1) -> bool:
    return kind in set(kinds_for(c, age_distance, banded=kind.age != ""))


def top_up(
    candidates: Iterable[Candidate],
    open_groups: Sequence[OpenGroup],
    max_size: int,
    age_distance: int = 1,
) -> list[tuple[str, str]]:
    """(group id, person id) pairs: longest-waiting first, each into the fullest group with room."""
    room = {g.id: max_size - g.size for g in open_groups}
    pairs: list[tuple[str, str]] = []
    for c in sorted(candidates, key=lambda c: (c.queued_at, c.id)):
        options = [
            g
            for g in open_groups
            if room[g.id] > 0 and (g.step_free or not c.step_free) and fits(c, g.kind, age_distance)
        ]
        if options:
            best = max(options, key=lambda g: (max_size - room[g.id], g.id))
            room[best.id] -= 1
            pairs.append((best.id, c.id))
    return pairs
