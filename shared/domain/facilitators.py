"""Which facilitator to offer a group to (pure). Never two places at once; spread the load; short travel."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Facilitator:
    id: str
    municipalities: tuple[str, ...]
    digital: bool
    slots: tuple[str, ...]
    languages: tuple[str, ...]
    topics: tuple[str, ...]
    max_groups: int
    away: tuple[tuple[date, date], ...] = ()


def trained(doc: Mapping[str, Any]) -> bool:
    """Counts toward the centre's goal of trained facilitators: not deactivated, and the course
    done (a date). The console's goal and the municipal report use this one rule (issue 18)."""
    return doc.get("active") is not False and bool(doc.get("course_completed"))


def count_trained(docs: Iterable[Mapping[str, Any]]) -> int:
    return sum(1 for d in docs if trained(d))


@dataclass(frozen=True)
class Need:
    place: str  # municipality code or "digital"
    slot: str
    part: str  # "daytime" / "evening" — with the date, what a facilitator can be booked for
    dates: tuple[date, ...]
    language: str
    topic: str


def travel_km(f: Facilitator, place: str, km: Mapping[str, int]) -> int:
    if place == "digital" or (f.municipalities and f.municipalities[0] == place):
        return 0
    return km.get(place, 0)


def rank(
    facilitators: Iterable[Facilitator],
    need: Need,
    *,
    load: Mapping[str, int],
    busy: set[tuple[str, date, str]],
    exclude: Iterable[str] = (),
    km: Mapping[str, int] | None = None,
) -> list[Facilitator]:
    """Eligible facilitators, best first: fewest current groups, then shortest travel, then id."""
    skip = set(exclude)
    km = km or {}

    def eligible(f: Facilitator) -> bool:
        if f.id in skip or load.get(f.id, 0) >= f.max_groups:
            return False
        if need.place == "digital" and not f.digital:
            return False
        if need.place != "digital" and need.place not in f.municipalities:
            return False
        if need.slot not in f.slots or need.language not in f.languages:
            return False
        if need.topic not in f.topics:
            return False
        for d in need.dates:
            if (f.id, d, need.part) in busy:
                return False
            if any(start <= d <= end for start, end in f.away):
                return False
        return True

    ok: Sequence[Facilitator] = [f for f in facilitators if eligible(f)]
    return sorted(ok, key=lambda f: (load.get(f.id, 0), travel_km(f, need.place, km), f.id))
