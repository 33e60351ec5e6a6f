"""What would place a waiting person sooner (issue 17: the person's own page; issue 21: "ask the
person, early"). Pure, no I/O.

A widening is one change a person can make to their own wishes: meet online too, travel to
another of the centre's municipalities, another time of week, a group one age band wider, or a
general group as well as their theme (LINK's general groups are for anyone, whatever brings them;
asked last, so a theme is kept whenever another change would do).
Each is tried on the pool as it is — the same `propose` the next pool run calls — and ranked:
first the widenings with which the pool run would propose a group with this person, then those
that bring the closest kind of group nearer (fewer of *people / room / facilitator* short, then
more people who fit), each kind in the order a centre prefers to ask (digital, a place, a time,
an age band, a general group). A widening that changes nothing is never offered.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final, Literal

from shared.domain.matching import DIGITAL, Candidate, Kind, Venue, propose, reach
from shared.domain.pool import Shortfall, why_not
from shared.domain.vocabulary import AGE_BANDS, TIMES

WideningKind = Literal["digital", "place", "time", "age", "topic"]
ORDER: Final[tuple[WideningKind, ...]] = ("digital", "place", "time", "age", "topic")
GENERAL: Final = "general"  # the centre's general group: for everyone, whatever brings them
MAX_REACH: Final = 1  # a group spans at most the configured distance plus one band (issue 21)


@dataclass(frozen=True)
class Widening:
    kind: WideningKind
    value: str  # "digital" | a municipality code | a time category | the new reach ("1")

    @property
    def code(self) -> str:
        """How a form names it (a hidden input; never personal)."""
        return f"{self.kind}:{self.value}"


def parse(code: str) -> Widening | None:
    kind, _, value = code.partition(":")
    if kind not in ORDER or not value:
        return None
    return Widening(kind, value)


@dataclass(frozen=True)
class Pool:
    """Everything the pool run reads, as `propose` takes it."""

    waiting: Sequence[Candidate]
    venues: Sequence[Venue]
    min_size: int
    max_size: int
    places: Sequence[str]  # the centre's municipalities (codes)
    booked: frozenset[tuple[str, str]] = frozenset()
    slot_weight: Mapping[tuple[str, str], int] | None = None
    age_distance: int = 1
    staffable: Callable[[Kind], bool] | None = None
    digital: bool = True  # the centre has digital groups
    general: bool = False  # the centre has a general group (a topic "general")
    small_size: int | None = None  # issue 21: a long waiters' group may start this small
    small_long: int | None = None  # ... with this many long waiters in it (default: all)


def options(c: Candidate, pool: Pool) -> list[Widening]:
    """Every single widening open to this person, in the centre's order of asking."""
    out: list[Widening] = []
    if DIGITAL not in c.formats and pool.digital:
        out.append(Widening("digital", DIGITAL))
    if "in_person" in c.formats:
        have = {c.municipality, *c.travel}
        out.extend(Widening("place", p) for p in pool.places if p not in have)
    out.extend(Widening("time", t) for t in TIMES if t not in c.times)
    banded = any(x.age_band in AGE_BANDS for x in pool.waiting)
    if banded and c.age_band in AGE_BANDS and reach(c) < MAX_REACH:
        out.append(Widening("age", str(reach(c) + 1)))
    if pool.general and GENERAL not in c.topics:
        out.append(Widening("topic", GENERAL))
    return out


def apply(c: Candidate, w: Widening) -> Candidate:
    """The person's wishes with the widening accepted (what the page stores)."""
    if w.kind == "digital":
        return replace(c, formats=tuple(dict.fromkeys((*c.formats, DIGITAL))))
    if w.kind == "place":
        return replace(c, travel=tuple(dict.fromkeys((*c.travel, w.value))))
    if w.kind == "time":
        return replace(c, times=tuple(dict.fromkeys((*c.times, w.value))))
    if w.kind == "topic":
        return replace(c, topics=tuple(dict.fromkeys((*c.topics, w.value))))
    return replace(c, age_reach=max(c.age_reach, int(w.value)))


def _with(pool: Pool, person: Candidate) -> list[Candidate]:
    return [person if x.id == person.id else x for x in pool.waiting]


def placed(pool: Pool, person: Candidate) -> bool:
    """Would the pool run propose a group with this person (as given) in it?"""
    proposals = propose(
        _with(pool, person),
        pool.venues,
        min_size=pool.min_size,
        max_size=pool.max_size,
        booked=pool.booked,
        slot_weight=pool.slot_weight,
        age_distance=pool.age_distance,
        staffable=pool.staffable,
        small_size=pool.small_size,
        small_long=pool.small_long,
    )
    return any(person.id in p.members for p in proposals)


def shortfall(pool: Pool, person: Candidate) -> Shortfall:
    """The console's reason (shared/domain/pool.py) for this person, in this pool."""
    staff = pool.staffable or (lambda k: True)
    why = why_not(
        _with(pool, person),
        pool.venues,
        staff,
        min_size=pool.min_size,
        age_distance=pool.age_distance,
        small_size=pool.small_size,
        small_long=pool.small_long,
    )
    return why[person.id]


def reasons(pool: Pool) -> dict[str, Shortfall]:
    """Everyone's reason at once, judged after the next pool run (the console's pool page, the
    simulated year's long waiters): "ready" (short == ()) means that run proposes them."""
    proposals = propose(
        pool.waiting,
        pool.venues,
        min_size=pool.min_size,
        max_size=pool.max_size,
        booked=pool.booked,
        slot_weight=pool.slot_weight,
        age_distance=pool.age_distance,
        staffable=pool.staffable,
        small_size=pool.small_size,
        small_long=pool.small_long,
    )
    taken = {(p.venue_id, p.slot) for p in proposals if p.venue_id is not None}
    return why_not(
        pool.waiting,
        pool.venues,
        pool.staffable or (lambda k: True),
        min_size=pool.min_size,
        age_distance=pool.age_distance,
        small_size=pool.small_size,
        small_long=pool.small_long,
        booked=pool.booked | taken,
        placed={m: (p.kind, len(p.members)) for p in proposals for m in p.members},
    )


def _distance(s: Shortfall) -> tuple[int, int]:
    return (len(s.short), -s.people)


def suggest(
    person_id: str, pool: Pool, limit: int = 3, exclude: Collection[str] = ()
) -> list[Widening]:
    """The widenings most likely to place this person, best first; [] when the next pool run
    would place them anyway or nothing helps. `exclude`: codes not to suggest (offered before)."""
    person = next((c for c in pool.waiting if c.id == person_id), None)
    if person is None or placed(pool, person):
        return []
    base = _distance(shortfall(pool, person))
    scored: list[tuple[tuple[int, tuple[int, int], int], Widening]] = []
    for i, w in enumerate(options(person, pool)):
        if w.code in exclude:
            continue
        wider = apply(person, w)
        if placed(pool, wider):
            scored.append(((0, (0, 0), i), w))
            continue
        d = _distance(shortfall(pool, wider))
        if d < base:
            scored.append(((1, d, i), w))
    scored.sort(key=lambda x: x[0])
    return [w for _, w in scored[:limit]]


def reason(pool: Pool, person_id: str) -> str:
    """Why no group yet, as one key: "people", "room", "facilitator" (the first condition short
    for the closest kind), "ready" (the next pool run should place them) or "none" (no kind of
    group fits their wishes at all)."""
    person = next((c for c in pool.waiting if c.id == person_id), None)
    if person is None:
        return "none"
    s = shortfall(pool, person)
    if s.kind is None:
        return "none"
    return s.short[0] if s.short else "ready"
