"""Assembly and scheduling benchmark (issue 3). Prints figures; asserts nothing about speed.

    .venv/bin/python -m bench.assembly            # all parts
    .venv/bin/python -m bench.assembly --no-store # skip the Firestore part (no emulator needed)

1. assembly CPU time for 1k / 10k / 100k waiting people spread over the 7 municipalities like their
   populations (Bergen about 70%), with the demo centre's venues;
2. people placed by the greedy assembly against an exact optimum (OR-Tools CP-SAT) on small instances;
3. facilitator scheduling time and max/min load for 500 groups x 100 facilitators;
4. Firestore reads/writes per placed person, on the emulator.
"""

from __future__ import annotations

import argparse
import random
import time
import tomllib
from datetime import UTC, date, datetime, timedelta

from scripts.demo import DEMO_FILE
from shared.config import DEFAULT_CENTRE_FILE, load_centre
from shared.domain import slots
from shared.domain.facilitators import Facilitator, Need, rank
from shared.domain.matching import DIGITAL, Candidate, Venue, kinds_for, propose

CENTRE = load_centre(DEFAULT_CENTRE_FILE)
TOPICS = [t.key for t in CENTRE.topics]
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def population(n: int, rng: random.Random) -> list[Candidate]:
    codes = [m.code for m in CENTRE.municipalities]
    weights = [m.population for m in CENTRE.municipalities]
    out = []
    for i in range(n):
        home = rng.choices(codes, weights)[0]
        formats = rng.choice([("in_person",), ("digital",), ("in_person", "digital")])
        out.append(
            Candidate(
                id=f"p{i}",
                queued_at=T0 + timedelta(minutes=i),
                municipality=home,
                travel=tuple(
                    rng.sample([c for c in codes if c != home], k=rng.choice([0, 0, 1, 2]))
                ),
                topics=tuple(rng.sample(TOPICS, k=rng.choice([1, 1, 2]))),
                formats=formats,
                times=tuple(
                    rng.sample(
                        ["weekday_daytime", "weekday_evening", "weekend"], k=rng.choice([1, 2])
                    )
                ),
                languages=("no",)
                if rng.random() < 0.9
                else rng.choice([("no", "en"), ("uk",), ("en",)]),
            )
        )
    return out


def demo_venues() -> list[Venue]:
    data = tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))
    return [
        Venue(v["id"], v["municipality"], v["capacity"], tuple(v["slots"])) for v in data["venues"]
    ]


def part_timing() -> None:
    print("1. assembly CPU time (greedy, demo venues, groups 5-8)")
    venues = demo_venues()
    for n in (1_000, 10_000, 100_000):
        people = population(n, random.Random(n))
        t0 = time.process_time()
        props = propose(people, venues, min_size=5, max_size=8)
        cpu = time.process_time() - t0
        placed = sum(len(p.members) for p in props)
        bergen = sum(1 for p in people if p.municipality == "4601") / n
        print(
            f"   {n:>7} waiting (Bergen {bergen:.0%}): {cpu:6.2f} s CPU, {len(props):>6} groups, {placed:>6} placed"
        )


def optimum(people: list[Candidate], venues: list[Venue], lo: int, hi: int) -> int:
    from ortools.sat.python import cp_model

    kinds = sorted({k for p in people for k in kinds_for(p)}, key=str)
    groups = []  # (kind, resource) — resource is (venue, slot) or ("digital", slot, n)
    for k in kinds:
        fitting = [p for p in people if k in set(kinds_for(p))]
        if len(fitting) < lo:
            continue
        if k.place == DIGITAL:
            for n in range(len(fitting) // lo):
                groups.append((k, ("digital", k.category, n)))
        else:
            for v in venues:
                if v.municipality == k.place and v.capacity >= lo:
                    for s in v.slots:
                        if s in slots.slots_in(k.category):
                            groups.append((k, (v.id, s)))
    m = cp_model.CpModel()
    y = [m.NewBoolVar(f"y{g}") for g in range(len(groups))]
    x = {}
    for pi, p in enumerate(people):
        pk = set(kinds_for(p))
        for g, (k, _) in enumerate(groups):
            if k in pk:
                x[pi, g] = m.NewBoolVar(f"x{pi}_{g}")
        m.Add(sum(v for (i, _), v in x.items() if i == pi) <= 1)
    for g in range(len(groups)):
        members = [v for (_, gg), v in x.items() if gg == g]
        m.Add(sum(members) >= lo * y[g])
        m.Add(sum(members) <= hi * y[g])
    by_resource: dict[tuple[str, str], list[int]] = {}
    for g, (_, res) in enumerate(groups):
        if res[0] != "digital":
            by_resource.setdefault(res, []).append(g)  # type: ignore[arg-type]
    for gs in by_resource.values():
        m.Add(sum(y[g] for g in gs) <= 1)
    m.Maximize(sum(x.values()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 60
    solver.parameters.num_workers = 2
    status = solver.Solve(m)
    assert status == cp_model.OPTIMAL, solver.StatusName(status)
    return int(solver.ObjectiveValue())


def part_optimum() -> None:
    print("2. greedy against the exact optimum (OR-Tools CP-SAT), small instances")
    venues = [v for v in demo_venues() if v.municipality in ("4627", "4601", "4628")]
    total_g = total_o = 0
    worst = 1.0
    for seed in range(12):
        rng = random.Random(1000 + seed)
        people = [p for p in population(60, rng)]
        greedy = sum(len(p.members) for p in propose(people, venues, min_size=5, max_size=8))
        best = optimum(people, venues, 5, 8)
        total_g += greedy
        total_o += best
        if best:
            worst = min(worst, greedy / best)
        print(f"   instance {seed:>2}: 60 waiting, greedy {greedy:>3}, optimum {best:>3}")
    print(
        f"   overall: greedy placed {total_g} of an optimal {total_o} = {total_g / max(total_o, 1):.1%} (worst instance {worst:.1%})"
    )


def part_scheduling() -> None:
    print("3. facilitator scheduling: 500 groups x 100 facilitators")
    rng = random.Random(7)
    codes = [m.code for m in CENTRE.municipalities]
    facs = [
        Facilitator(
            id=f"f{i:03d}",
            municipalities=tuple(rng.sample(codes, k=rng.choice([1, 2, 3]))),
            digital=rng.random() < 0.6,
            slots=tuple(rng.sample(slots.ALL_SLOTS, k=rng.randint(3, 8))),
            languages=("no",) + (("en",) if rng.random() < 0.5 else ()),
            topics=tuple(rng.sample(TOPICS, k=rng.randint(3, len(TOPICS)))),
            max_groups=rng.choice([5, 6, 8]),
        )
        for i in range(100)
    ]
    load: dict[str, int] = {}
    busy: set[tuple[str, date, str]] = set()
    km = {m.code: m.travel_km for m in CENTRE.municipalities}
    staffed = double = 0
    t0 = time.process_time()
    for g in range(500):
        place = rng.choice([*codes, "digital"])
        slot = rng.choice(slots.ALL_SLOTS)
        earliest = date(2027, 1, 4) + timedelta(days=7 * (g // 25))
        need = Need(
            place,
            slot,
            slot.split("_")[1],
            tuple(slots.meeting_dates(slot, earliest, 3)),
            "no",
            rng.choice(TOPICS),
        )
        ranked = rank(facs, need, load=load, busy=busy, km=km)
        if not ranked:
            continue
        f = ranked[0]
        for d in need.dates:
            key = (f.id, d, need.part)
            double += key in busy
            busy.add(key)
        load[f.id] = load.get(f.id, 0) + 1
        staffed += 1
    cpu = time.process_time() - t0
    loads = [load.get(f.id, 0) for f in facs]
    print(
        f"   {cpu:.2f} s CPU; {staffed} of 500 groups staffed; load per facilitator max {max(loads)}, min {min(loads)}; "
        f"double-bookings {double}"
    )


def part_store(n: int = 40) -> None:
    import dataclasses
    from pathlib import Path
    from tempfile import mkdtemp

    from bench.counting import CapturingQueue, CountingStore
    from scripts.stack import Stack

    print("4. Firestore reads/writes per placed person (emulator)")
    root = Path(mkdtemp(prefix="linkflyt-bench-"))
    with Stack.on_free_ports(root, "linkflyt-bench-asm"):
        from shared.config import reset_caches
        from tests.helpers.saga import waiting_people
        from workflows.platform.runtime import build_deps
        from workflows.saga import assemble

        reset_caches()
        base = build_deps()
        waiting_people(base, n, municipality="4601", topic="general", formats=("digital",))
        store = CountingStore(base.store)
        d = dataclasses.replace(base, store=store, queue=CapturingQueue())
        made = assemble.assemble_pool(d)
        placed = sum(len(store.inner.get(f"groups/{g}")["members"]) for g in made)  # type: ignore[index]
        print(
            f"   {n} waiting -> {len(made)} groups, {placed} placed: {store.counts.reads / placed:.1f} reads and "
            f"{store.counts.writes / placed:.1f} writes per placed person (one assemble run, incl. the pool query)"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-store", action="store_true")
    args = ap.parse_args()
    part_timing()
    part_optimum()
    part_scheduling()
    if not args.no_store:
        part_store()


if __name__ == "__main__":
    main()
