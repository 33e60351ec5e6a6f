"""The baseline policy of the simulated year: how a centre assembles groups by hand today.

One general group per municipality when enough people who asked for a general group wait there: in
person only, no travel, no digital groups, no theme groups, no age bands. The rest of the workflow (staffing, invitations,
deadlines) is linkflyt's, so the comparison isolates what the assembly adds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from shared.domain.matching import Candidate, Kind, Proposal, Venue


def propose(
    candidates: Iterable[Candidate],
    venues: Sequence[Venue],
    *,
    min_size: int,
    max_size: int,
    booked: Iterable[tuple[str, str]] = (),
    slot_weight: Mapping[tuple[str, str], int] | None = None,
    **_: Any,
) -> list[Proposal]:
    from shared.domain.slots import slots_in

    taken = set(booked)
    by_place: dict[str, list[Candidate]] = defaultdict(list)
    for c in sorted(candidates, key=lambda c: (c.queued_at, c.id)):
        # DESIGN.md: "anyone who ticked general fits a general group"; a person who asked only for
        # a theme group is not put in a general one by hand either.
        if "general" in c.topics and "in_person" in c.formats and c.municipality != "other":
            by_place[c.municipality].append(c)
    out: list[Proposal] = []
    for place, people in sorted(by_place.items()):
        counts = Counter(t for c in people for t in c.times)
        for category, _n in counts.most_common():
            fit = [c for c in people if category in c.times and "no" in c.languages]
            if len(fit) < min_size:
                continue
            room = next(
                (
                    (v, s)
                    for v in venues
                    if v.municipality == place and v.capacity >= min_size
                    for s in v.slots
                    if s in slots_in(category) and (v.id, s) not in taken
                ),
                None,
            )
            if room is None:
                continue
            venue, slot = room
            taken.add((venue.id, slot))
            members = tuple(c.id for c in fit[: min(max_size, venue.capacity)])
            out.append(Proposal(Kind("general", place, category, "no"), slot, venue.id, members))
            break  # one group per municipality at a time
    return out
