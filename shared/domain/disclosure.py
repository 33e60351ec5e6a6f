"""Disclosure control over everything a reader can collect (issues 10 and 18). Pure, with HiGHS.

The reader: someone who asks every municipality for every report of a year (four quarters and the
year), knows the legend, and knows the public form. A municipality's reports form one system of
counts:

- each period P prints `inquiries` (also the heard-from table's total), the heard-from cells, the
  topic cells and their total, and `placed`;
- within a period, the heard-from cells sum to `inquiries` (one answer per person, "not given"
  included) and the topic cells to their total;
- the form (issue 18): every person asks for at least one topic and for each topic at most once,
  so every topic cell is at most `inquiries` and the topic total at least `inquiries` (the
  report's own heading says "several choices possible");
- the report's wording: a median wait is printed only from 5 placed, so a printed median says
  `placed` >= 5 (a `Floor`);
- across periods, the four quarters of every figure sum to the year's.

The other printed figures are left out of the model because no person count of any report can be
written in terms of them: groups started, meetings and facilitator hours count groups and hours in
the municipality, whose members come from anywhere (other municipalities, outside the catchment);
a digital group's residents were placed when it was confirmed, in this or an earlier period or
year; the survey's answers are the centre's, from groups of this and the previous year. The
median is printed only beside a printed `placed`, and the survey mean only from 5 answers, so
neither can help.

The legend: a number is exact; "<5" is a count from 1 to 4; "x" is any whole number (0 or more),
hidden so that no other figure can reveal a small count. Zeros are printed.

`audit` is the attacker: for every hidden figure it asks an integer linear program for the
smallest and the largest value consistent with everything printed. A "<5" must still range over
1-4; an "x" over at least two values, and not only over part of 1-4 (that would say more than a
"<5"); otherwise it is a disclosure.

`protect` chooses what to hide: primary "<5" for counts 1-4, then, while the audit finds a
disclosure, one more figure is hidden ("x"): among the figures not yet published around the
disclosed cell (in a sum with it, then bounded by it, then one relation further out), in the
order the smallest printed figure of at least 4, a "<5" total widened to "x", a smaller printed
figure, a "<5" part, the first whose hiding alone makes the cell safe (else the first, and on).
Figures already published (frozen reports) are never changed; the year is always built after its
quarters, so there is always something left to hide (at worst the whole year's table), and the
algorithm always ends. A disclosure the published reports already make on their own (built
before the reader was modelled this well) cannot be undone: it is left to the audit, which
reports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

PRIMARY = "<5"
SECONDARY = "x"
HIDDEN = (PRIMARY, SECONDARY)
THRESHOLD = 5
BIG = 10**6  # an "x" is any whole number; the bound only keeps the solver finite
# HiGHS's MIP presolve has called feasible models infeasible (a year of counts generated for
# tests/unit/test_disclosure.py; ERGO-Code/HiGHS#2388, scipy#18907): these models are small, and
# solve as fast without it.
OPTIONS = {"presolve": False}


@dataclass(frozen=True)
class Sum:
    """parts add up to total (ids of figures)."""

    parts: tuple[str, ...]
    total: str


@dataclass(frozen=True)
class AtMost:
    """small <= big (ids of figures)."""

    small: str
    big: str


@dataclass(frozen=True)
class Floor:
    """cell >= low."""

    cell: str
    low: int


Relation = Sum | AtMost | Floor


def members(r: Relation) -> tuple[str, ...]:
    if isinstance(r, Sum):
        return (*r.parts, r.total)
    if isinstance(r, AtMost):
        return (r.small, r.big)
    return (r.cell,)


@dataclass(frozen=True)
class Disclosure:
    cell: str
    mark: str
    low: int
    high: int


def primary(value: int) -> str:
    return PRIMARY if 0 < value < THRESHOLD else str(value)


def _bounds(mark: str) -> tuple[int, int]:
    return (1, THRESHOLD - 1) if mark == PRIMARY else (0, BIG)


def _disclosed(mark: str, low: int, high: int) -> bool:
    narrower = low > 1 or high < THRESHOLD - 1
    if mark == PRIMARY:
        return narrower
    # an "x" known to be a small count must be as uncertain as a "<5" (issue 18)
    return low == high or (low >= 1 and high <= THRESHOLD - 1 and narrower)


def ranges(
    marks: Mapping[str, str], relations: Sequence[Relation], cells: Iterable[str] | None = None
) -> Iterable[tuple[str, int, int]]:
    """(cell, lowest, highest) value of each hidden cell the printed figures allow."""
    live = [r for r in relations if all(c in marks for c in members(r))]
    hidden = sorted(c for c, m in marks.items() if m in HIDDEN)
    if not hidden:
        return
    index = {c: i for i, c in enumerate(hidden)}
    lo = np.array([_bounds(marks[c])[0] for c in hidden], dtype=float)
    hi = np.array([_bounds(marks[c])[1] for c in hidden], dtype=float)
    rows, low_rhs, high_rhs = [], [], []
    for r in live:
        if isinstance(r, Floor):
            if r.cell in index:
                lo[index[r.cell]] = max(lo[index[r.cell]], r.low)
            elif int(marks[r.cell]) < r.low:
                raise ValueError(f"printed figures contradict the report: {r}")
            continue
        # Sum: parts - total == 0; AtMost: small - big <= 0
        terms = (
            [*((p, 1) for p in r.parts), (r.total, -1)]
            if isinstance(r, Sum)
            else [(r.small, 1), (r.big, -1)]
        )
        row = np.zeros(len(hidden))
        known = 0
        for c, sign in terms:
            if c in index:
                row[index[c]] += sign
            else:
                known += sign * int(marks[c])
        equal = isinstance(r, Sum)
        if row.any():
            rows.append(row)
            low_rhs.append(-known if equal else -np.inf)
            high_rhs.append(-known)
        elif (known != 0) if equal else (known > 0):
            raise ValueError(f"printed figures contradict the report: {r}")
    if (lo > hi).any():
        raise ValueError("printed figures contradict the report: a bound above the legend")
    constraints = [LinearConstraint(np.array(rows), low_rhs, high_rhs)] if rows else []
    integral = np.ones(len(hidden))
    for c in hidden if cells is None else [c for c in cells if c in index]:
        found = []
        for sense in (1.0, -1.0):
            objective = np.zeros(len(hidden))
            objective[index[c]] = sense
            res = milp(
                objective,
                constraints=constraints,
                bounds=Bounds(lo, hi),
                integrality=integral,
                options=OPTIONS,
            )
            if res.status != 0 or res.x is None:
                raise ValueError(f"no solution for {c}: {res.message}")
            found.append(round(float(res.x[index[c]])))
        yield c, found[0], found[1]


def audit(marks: Mapping[str, str], relations: Sequence[Relation]) -> list[Disclosure]:
    """Every hidden figure the printed ones pin down more than the legend says."""
    return [
        Disclosure(c, marks[c], low, high)
        for c, low, high in ranges(marks, relations)
        if _disclosed(marks[c], low, high)
    ]


def _first_disclosure(
    marks: Mapping[str, str], relations: Sequence[Relation], verified: set[str]
) -> Disclosure | None:
    """Hiding more only widens what the reader can infer, so a cell found safe stays safe: only
    cells not yet verified are checked (the protect loop's cost grows with the cells, not with
    cells x rounds)."""
    todo = [c for c, m in marks.items() if m in HIDDEN and c not in verified]
    for c, low, high in ranges(marks, relations, sorted(todo)):
        if _disclosed(marks[c], low, high):
            return Disclosure(c, marks[c], low, high)
        verified.add(c)
    return None


def protect(
    values: Mapping[str, int], relations: Sequence[Relation], frozen: Mapping[str, str]
) -> dict[str, str]:
    """Marks for every figure in `values`: frozen ones as published, the rest chosen here."""
    marks = {c: frozen.get(c) or primary(v) for c, v in values.items()}
    verified: set[str] = set()
    while (d := _first_disclosure(marks, relations, verified)) is not None:
        if _inherited(d.cell, marks, relations, frozen):
            verified.add(d.cell)  # the published reports give it away: left to the audit
            continue
        pick = _choose(d.cell, values, marks, relations, frozen)
        if pick is None and d.cell not in frozen and marks[d.cell] == PRIMARY:
            pick = d.cell
        if pick is None:
            raise ValueError(f"cannot protect {d.cell}: every figure around it is published")
        marks[pick] = SECONDARY
        verified.discard(pick)  # widened from "<5" to "x": checked again under its new legend
    return marks


def _inherited(
    cell: str, marks: Mapping[str, str], relations: Sequence[Relation], frozen: Mapping[str, str]
) -> bool:
    """Even with every figure not yet published hidden, the cell is disclosed: the reports
    already sent give it away (sent before the reader was modelled this well, issue 18)."""
    trial = {c: m if c in frozen else SECONDARY for c, m in marks.items()}
    return any(_disclosed(trial[c], low, high) for c, low, high in ranges(trial, relations, [cell]))


def _choose(
    cell: str,
    values: Mapping[str, int],
    marks: Mapping[str, str],
    relations: Sequence[Relation],
    frozen: Mapping[str, str],
) -> str | None:
    """The first candidate (nearest ring first, in rank order) whose hiding alone makes `cell`
    safe (issue 18: the reader who knows the form pins some figures through more than one
    table, and hiding the first in rank then only hid more); else the first in rank, and the
    loop goes on."""
    rings = _candidates(cell, values, marks, relations, frozen)
    for ring in rings:
        for pick in ring:
            trial = {**marks, pick: SECONDARY}
            for _, low, high in ranges(trial, relations, [cell]):
                if not _disclosed(trial[cell], low, high):
                    return pick
    return rings[0][0] if rings else None


def _candidates(
    cell: str,
    values: Mapping[str, int],
    marks: Mapping[str, str],
    relations: Sequence[Relation],
    frozen: Mapping[str, str],
) -> list[list[str]]:
    """Printed, unpublished figures around the cell, ring by ring (those in a relation with it,
    then one relation further out), each ring ranked."""
    sums = [r for r in relations if isinstance(r, Sum)]
    totals = {s.total for s in sums}
    seen, frontier = {cell}, [cell]
    rings = []
    for _ in range(4):
        near = [r for r in relations if any(c in members(r) for c in frontier)]
        in_sum = {c for r in near if isinstance(r, Sum) for c in members(r)}
        around = {c for r in near for c in members(r)} - seen
        open_ = [
            c for c in around if c not in frozen and c in marks and not _pinned(c, sums, frozen)
        ]
        ranked = [
            # a "<5" ranges over 1-4 only if a hidden partner can give way by up to 3: first the
            # smallest printed figure of at least 4 (a part before a total), then a small total
            # widened from "<5" to "x" (any number), then smaller printed figures, then the rest;
            # a figure in a sum with the cell before one that only bounds it (inquiries)
            (c not in in_sum, 0 if values[c] >= THRESHOLD - 1 else 2, c in totals, values[c], c)
            if marks[c] not in HIDDEN
            else (c not in in_sum, 1 if c in totals else 3, False, 0, c)
            for c in open_
            if marks[c] != SECONDARY
        ]
        if ranked:
            rings.append([key[4] for key in sorted(ranked)])
        seen |= around
        frontier = sorted(around)
        if not frontier:
            break
    return rings


def _pinned(c: str, sums: Sequence[Sum], frozen: Mapping[str, str]) -> bool:
    """Hiding c would hide nothing: a sum's other figures are all published, so c follows."""
    for s in sums:
        figures = members(s)
        if c in figures and all(m in frozen and frozen[m] not in HIDDEN for m in figures if m != c):
            return True
    return False


# ---------------------------------------------------------------- a municipality's reports


QUARTERS = ("Q1", "Q2", "Q3", "Q4")


def cell(period: str, *parts: str) -> str:
    """Figure ids: "Q1|inquiries", "Y|heard|nav", "Q3|topic|_total"."""
    return "|".join((period, *parts))


def period_key(label: str) -> str:
    """ "2027-Q3" -> "Q3", "2027" -> "Y"."""
    return label.split("-")[1] if "-" in label else "Y"


def report_relations(
    heard: Sequence[str], topics: Sequence[str], periods: Iterable[str]
) -> list[Relation]:
    """Every equation and inequality a reader of these periods' reports can write down."""
    ps = list(periods)
    out: list[Relation] = []
    for p in ps:
        inquiries, total = cell(p, "inquiries"), cell(p, "topic", "_total")
        out.append(Sum(tuple(cell(p, "heard", k) for k in heard), inquiries))
        out.append(Sum(tuple(cell(p, "topic", k) for k in topics), total))
        # the form: at least one topic per person, each topic at most once (issue 18)
        out += [AtMost(cell(p, "topic", k), inquiries) for k in topics]
        out.append(AtMost(inquiries, total))
    if "Y" in ps and all(q in ps for q in QUARTERS):
        figures = [
            *(("heard", k) for k in heard),
            ("inquiries",),
            *(("topic", k) for k in topics),
            ("topic", "_total"),
            ("placed",),
        ]
        for f in figures:
            out.append(Sum(tuple(cell(q, *f) for q in QUARTERS), cell("Y", *f)))
    return out


def period_values(
    heard: Mapping[str, int], topics: Mapping[str, int], inquiries: int, placed: int, p: str
) -> dict[str, int]:
    out = {cell(p, "heard", k): v for k, v in heard.items()}
    out |= {cell(p, "topic", k): v for k, v in topics.items()}
    out[cell(p, "inquiries")] = inquiries
    out[cell(p, "topic", "_total")] = sum(topics.values())
    out[cell(p, "placed")] = placed
    return out
