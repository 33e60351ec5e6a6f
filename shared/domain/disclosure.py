"""Disclosure control over everything a reader can collect (issue 10). Pure, with SciPy's HiGHS.

The reader: someone who asks every municipality for every report of a year (four quarters and the
year) and knows the legend. A municipality's reports form one system of counts:

- each period P prints `inquiries` (also the heard-from table's total), the heard-from cells, the
  topic cells and their total, and `placed`;
- within a period, the heard-from cells sum to `inquiries` and the topic cells to their total;
- across periods, the four quarters of every figure sum to the year's.

The legend: a number is exact; "<5" is a count from 1 to 4; "x" is any whole number (0 or more),
hidden so that no other figure can be worked out. Zeros are printed.

`audit` is the attacker: for every hidden figure it asks an integer linear program for the
smallest and the largest value consistent with everything printed. A "<5" must still range over
1-4 and an "x" over at least two values; otherwise it is a disclosure.

`protect` chooses what to hide: primary "<5" for counts 1-4, then, while the audit finds a
disclosure, one more figure is hidden ("x") — the smallest printed figure of at least 4 in a sum
the disclosed cell is in, among the figures not yet published; when none is left, a "<5" there
(a total first) is widened to "x". Figures already published (frozen reports) are
never changed; the year is always built after its quarters, so there is always something left to
hide (at worst the whole year's table), and the algorithm always ends.
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


@dataclass(frozen=True)
class Sum:
    """parts add up to total (ids of figures)."""

    parts: tuple[str, ...]
    total: str


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
    if mark == PRIMARY:
        return low > 1 or high < THRESHOLD - 1
    return low == high


def ranges(
    marks: Mapping[str, str], sums: Sequence[Sum], cells: Iterable[str] | None = None
) -> Iterable[tuple[str, int, int]]:
    """(cell, lowest, highest) value of each hidden cell the printed figures allow."""
    live = [s for s in sums if all(c in marks for c in (*s.parts, s.total))]
    hidden = sorted(c for c, m in marks.items() if m in HIDDEN)
    if not hidden:
        return
    index = {c: i for i, c in enumerate(hidden)}
    rows, rhs = [], []
    for s in live:
        row = np.zeros(len(hidden))
        known = 0
        for c, sign in [*((p, 1) for p in s.parts), (s.total, -1)]:
            if c in index:
                row[index[c]] += sign
            else:
                known += sign * int(marks[c])
        if row.any():
            rows.append(row)
            rhs.append(-known)
        elif known != 0:
            raise ValueError(f"printed figures do not add up: {s}")
    lo = np.array([_bounds(marks[c])[0] for c in hidden], dtype=float)
    hi = np.array([_bounds(marks[c])[1] for c in hidden], dtype=float)
    constraints = [LinearConstraint(np.array(rows), rhs, rhs)] if rows else []
    integral = np.ones(len(hidden))
    for c in hidden if cells is None else [c for c in cells if c in index]:
        found = []
        for sense in (1.0, -1.0):
            objective = np.zeros(len(hidden))
            objective[index[c]] = sense
            res = milp(
                objective, constraints=constraints, bounds=Bounds(lo, hi), integrality=integral
            )
            if res.status != 0 or res.x is None:
                raise ValueError(f"no solution for {c}: {res.message}")
            found.append(round(float(res.x[index[c]])))
        yield c, found[0], found[1]


def audit(marks: Mapping[str, str], sums: Sequence[Sum]) -> list[Disclosure]:
    """Every hidden figure the printed ones pin down more than the legend says."""
    return [
        Disclosure(c, marks[c], low, high)
        for c, low, high in ranges(marks, sums)
        if _disclosed(marks[c], low, high)
    ]


def _first_disclosure(
    marks: Mapping[str, str], sums: Sequence[Sum], verified: set[str]
) -> Disclosure | None:
    """Hiding more only widens what the reader can infer, so a cell found safe stays safe: only
    cells not yet verified are checked (the protect loop's cost grows with the cells, not with
    cells x rounds)."""
    todo = [c for c, m in marks.items() if m in HIDDEN and c not in verified]
    for c, low, high in ranges(marks, sums, sorted(todo)):
        if _disclosed(marks[c], low, high):
            return Disclosure(c, marks[c], low, high)
        verified.add(c)
    return None


def protect(
    values: Mapping[str, int], sums: Sequence[Sum], frozen: Mapping[str, str]
) -> dict[str, str]:
    """Marks for every figure in `values`: frozen ones as published, the rest chosen here."""
    marks = {c: frozen.get(c) or primary(v) for c, v in values.items()}
    verified: set[str] = set()
    while (d := _first_disclosure(marks, sums, verified)) is not None:
        pick = _candidate(d.cell, values, marks, sums, frozen)
        if pick is None:
            raise ValueError(f"cannot protect {d.cell}: every figure around it is published")
        marks[pick] = SECONDARY
        verified.discard(pick)  # widened from "<5" to "x": checked again under its new legend
    return marks


def _candidate(
    cell: str,
    values: Mapping[str, int],
    marks: Mapping[str, str],
    sums: Sequence[Sum],
    frozen: Mapping[str, str],
) -> str | None:
    """The smallest printed, unpublished figure in a sum with the cell; else one sum further out."""
    seen, frontier = {cell}, [cell]
    for _ in range(4):
        near = [s for s in sums if any(c in (*s.parts, s.total) for c in frontier)]
        members = {c for s in near for c in (*s.parts, s.total)} - seen
        totals = {s.total for s in sums}
        open_ = [
            c for c in members if c not in frozen and c in marks and not _pinned(c, sums, frozen)
        ]
        ranked = [
            # a "<5" ranges over 1-4 only if a hidden partner can give way by up to 3: first the
            # smallest printed figure of at least 4 (a part before a total), then a small total
            # widened from "<5" to "x" (any number), then smaller printed figures, then the rest
            (0 if values[c] >= THRESHOLD - 1 else 2, c in totals, values[c], c)
            if marks[c] not in HIDDEN
            else (1 if c in totals else 3, False, 0, c)
            for c in open_
            if marks[c] != SECONDARY
        ]
        if ranked:
            return min(ranked)[3]
        seen |= members
        frontier = sorted(members)
        if not frontier:
            break
    return None


def _pinned(c: str, sums: Sequence[Sum], frozen: Mapping[str, str]) -> bool:
    """Hiding c would hide nothing: a sum's other figures are all published, so c follows."""
    for s in sums:
        members = (*s.parts, s.total)
        if c in members and all(m in frozen and frozen[m] not in HIDDEN for m in members if m != c):
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


def report_sums(heard: Sequence[str], topics: Sequence[str], periods: Iterable[str]) -> list[Sum]:
    """Every equation a reader of these periods' reports can write down."""
    ps = list(periods)
    out: list[Sum] = []
    for p in ps:
        out.append(Sum(tuple(cell(p, "heard", k) for k in heard), cell(p, "inquiries")))
        out.append(Sum(tuple(cell(p, "topic", k) for k in topics), cell(p, "topic", "_total")))
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
