"""Why a waiting person has no group yet (issue 9: the console's pool page). Pure.

For each kind of group the person could join (topic × place × time × language × age window, the
same kinds the assembly uses), three conditions must hold: enough people who fit it, a room for an
in-person group, and a facilitator who could ever take it. The kind closest to forming is the one
shown, with the conditions that fall short; "ready" means the next assembly should place them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from shared.domain.matching import DIGITAL, Candidate, Kind, Venue, kinds_for
from shared.domain.slots import slots_in
from shared.domain.vocabulary import AGE_BANDS


@dataclass(frozen=True)
class Shortfall:
    kind: Kind | None  # None: the person fits no kind at all (e.g. no in-person place, no digital)
    people: int  # people (this person included) who fit the kind
    short: tuple[str, ...]  # of "people", "room", "facilitator"; () = ready


def why_not(
    waiting: Sequence[Candidate],
    venues: Iterable[Venue],
    staffable: Callable[[Kind], bool],
    *,
    min_size: int,
    age_distance: int = 1,
    small_size: int | None = None,
    small_long: int | None = None,
    booked: Collection[tuple[str, str]] = (),
    placed: Mapping[str, tuple[Kind, int]] | None = None,
) -> dict[str, Shortfall]:
    """`small_size`, `small_long`: as in `matching.propose`, a kind with `small_size` people, of
    them `small_long` long waiters, has enough.

    Issue 21: given what the next pool run would do (`placed`: the people it proposes, with their group's kind and size; `booked`:
    the (venue, slot) pairs taken, by running groups and by its proposals), the others are judged
    on what it leaves: the people it did not place and the rooms still free. "Ready" then means
    "the next pool run places them" — the console said "ready" of people whose people had gone
    into other groups ahead of them, or whose every room was booked."""
    banded = any(c.age_band in AGE_BANDS for c in waiting)
    kinds = {c.id: kinds_for(c, age_distance, banded) for c in waiting}
    placed = placed or {}
    left = [c for c in waiting if c.id not in placed]
    fit: Counter[Kind] = Counter(k for c in left for k in set(kinds[c.id]))
    long: Counter[Kind] = Counter(k for c in left if c.long_wait for k in set(kinds[c.id]))
    small = min(small_size or min_size, min_size)
    needs = min(small_long or small, small)

    def enough(k: Kind) -> bool:
        return fit[k] >= min_size or (fit[k] >= small and long[k] >= needs)

    rooms = {
        (v.municipality, s)
        for v in venues
        if v.capacity >= min_size
        for s in v.slots
        if (v.id, s) not in booked
    }

    def room(k: Kind) -> bool:
        return k.place == DIGITAL or any((k.place, s) in rooms for s in slots_in(k.category))

    out: dict[str, Shortfall] = {}
    for c in waiting:
        if c.id in placed:
            out[c.id] = Shortfall(*placed[c.id], ())
            continue
        best: Shortfall | None = None
        for k in kinds[c.id]:
            short = tuple(
                name
                for name, ok in (
                    ("people", enough(k)),
                    ("room", room(k)),
                    ("facilitator", staffable(k)),
                )
                if not ok
            )
            candidate = Shortfall(k, fit[k], short)
            if best is None or (len(short), -fit[k]) < (len(best.short), -best.people):
                best = candidate
        out[c.id] = best or Shortfall(None, 1, ("people", "room", "facilitator"))
    return out


@dataclass(frozen=True)
class RoomWanted:
    """A place and time of week where a group lacks only a room (issue 21): enough people and a
    facilitator who could take it, but every room there is booked at every such time."""

    place: str  # a municipality code
    category: str  # "daytime" | "evening" | "weekend"
    people: int  # the most people waiting for one such group


def rooms_wanted(reasons: Mapping[str, Shortfall]) -> list[RoomWanted]:
    """From the console's reasons (after the next pool run): the in-person kinds of group short of
    a room and nothing else, one row per place and time, most people first. Kinds only: a reader
    learns a municipality and a time of week, never who waits."""
    most: dict[tuple[str, str], int] = {}
    for s in reasons.values():
        if s.kind is not None and s.short == ("room",) and s.kind.place != DIGITAL:
            key = (s.kind.place, s.kind.category)
            most[key] = max(most.get(key, 0), s.people)
    rows = sorted(most.items(), key=lambda kv: (-kv[1], kv[0]))
    return [RoomWanted(place, category, n) for (place, category), n in rows]
