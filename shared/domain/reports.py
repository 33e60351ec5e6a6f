"""Funding reports to municipalities, as pure functions over anonymous monthly counters.

A report never reads a personal document: only stats/{YYYY-MM}_{key} counters (key = a municipality
code, "digital" or "centre"; the centre's local month, workflows/platform/counters.py), the count of
trained facilitators and anonymous survey answers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from shared.config import CentreConfig
from shared.domain import disclosure
from shared.domain.suppression import single
from shared.domain.vocabulary import HEARD_FROM


class PeriodError(ValueError):
    """The period does not exist (or has not started)."""


@dataclass(frozen=True)
class Period:
    label: str  # "2026-Q3" or "2026"
    kind: Literal["quarter", "year"]
    year: int
    months: tuple[str, ...]  # "YYYY-MM"

    @property
    def start(self) -> date:
        y, m = self.months[0].split("-")
        return date(int(y), int(m), 1)

    @property
    def end(self) -> date:
        """The period's last day."""
        y, m = (int(x) for x in self.months[-1].split("-"))
        return date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)

    def ended(self, today: date) -> bool:
        return self.end < today


def parse_period(text: str, today: date) -> Period:
    text = text.strip()
    if text == "previous-quarter":
        q = (today.month - 1) // 3
        year = today.year if q else today.year - 1
        text = f"{year}-Q{q or 4}"
    elif text == "previous-year":
        text = str(today.year - 1)
    m = re.fullmatch(r"(\d{4})-Q([1-4])", text)
    if m:
        year, q = int(m.group(1)), int(m.group(2))
        months = tuple(f"{year}-{mm:02d}" for mm in range(3 * q - 2, 3 * q + 1))
        period = Period(text, "quarter", year, months)
    elif re.fullmatch(r"\d{4}", text):
        year = int(text)
        period = Period(text, "year", year, tuple(f"{year}-{mm:02d}" for mm in range(1, 13)))
    else:
        raise PeriodError(f"'{text[:20]}' is not a period: use YYYY-Qn (n = 1-4) or YYYY")
    if period.year < 2000 or period.start > today:
        raise PeriodError(f"{period.label} has not started")
    return period


def median_from_histogram(hist: Mapping[int, int]) -> float | None:
    n = sum(hist.values())
    if n == 0:
        return None
    ordered = sorted(hist.items())
    mids = [(n - 1) // 2, n // 2]
    found: list[int] = []
    seen = 0
    for value, count in ordered:
        for idx in mids:
            if seen <= idx < seen + count:
                found.append(value)
        seen += count
    return sum(found) / len(found)


def allocation(centre: CentreConfig) -> dict[str, int]:
    """Each municipality's share of the budget: tier weights, plus travel by distance (seed 000).

    Rounded to whole thousands, as in the seed application (Vaksdal: 60 000 of 1.6 MNOK).
    """
    b = centre.budget
    weights = {m.code: b.tier_weights[m.tier] for m in centre.municipalities}
    km = {m.code: m.travel_km for m in centre.municipalities}
    base = b.total_nok * (1 - b.travel_share)
    travel = b.total_nok * b.travel_share
    total_w, total_km = sum(weights.values()), sum(km.values()) or 1
    return {
        code: int(
            round((base * weights[code] / total_w + travel * km[code] / total_km) / 1000.0) * 1000
        )
        for code in weights
    }


def _sum(docs: Sequence[Mapping[str, Any]], key: str) -> int:
    return sum(int(d.get(key, 0) or 0) for d in docs)


def _submap(docs: Sequence[Mapping[str, Any]], key: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for d in docs:
        for k, v in (d.get(key) or {}).items():
            out[k] = out.get(k, 0) + int(v)
    return out


@dataclass(frozen=True)
class Figures:
    """Everything a report publishes, already suppressed. No names, no free text, no small counts."""

    municipality: str
    period: str
    inquiries: str
    heard_from: tuple[tuple[str, str], ...]
    heard_total: str | None
    topics: tuple[tuple[str, str], ...]
    topics_total: str | None
    placed: str
    median_wait_days: str
    groups_started: str
    digital_groups: str
    meetings: str
    facilitator_hours: str
    centre_groups_started_year: int
    goal_groups: int
    trained_facilitators: int
    goal_facilitators: int
    budget_share_nok: int
    budget_total_nok: int
    survey_responses: str
    survey_mean: str
    raw_chart: tuple[tuple[str, int | None], ...] = field(
        default=()
    )  # topic -> value or None if hidden

    @classmethod
    def from_stored(cls, data: Mapping[str, Any]) -> Figures:
        """Back from Firestore, where tuples became lists."""

        def tup(v: Any) -> Any:
            return tuple(tup(x) for x in v) if isinstance(v, list) else v

        return cls(**{k: tup(v) for k, v in data.items()})


def recipients(centre: CentreConfig, code: str, preliminary: bool) -> list[str]:
    """Who gets a municipality's report. A preliminary one is for the centre's own planning
    (issue 18): its coordinators only, and never an address any final report goes to, since
    those (postmottak@) are journaled and open to requests for access."""
    public = {r.email.strip().lower() for r in centre.report_recipients}
    chosen = (
        [c.email for c in centre.coordinators if c.email.strip().lower() not in public]
        if preliminary
        else [r.email for r in centre.report_recipients if r.municipality == code]
    )
    return list(dict.fromkeys(chosen))


def heard_keys() -> list[str]:
    return [*HEARD_FROM, "unknown"]


def counts(
    centre: CentreConfig, code: str, period: Period, stats: Mapping[str, Mapping[str, Any]]
) -> dict[str, int]:
    """The person counts a report of this period prints, by figure id (shared/domain/disclosure)."""
    own = [stats.get(f"{m}_{code}", {}) for m in period.months]
    heard = _submap(own, "heard_from")
    topic_counts = _submap(own, "topic")
    return disclosure.period_values(
        {k: heard.get(k, 0) for k in heard_keys()},
        {k: topic_counts.get(k, 0) for k in centre.topic_keys},
        _sum(own, "inquiries"),
        _sum(own, "placed"),
        disclosure.period_key(period.label),
    )


def marks_of(f: Figures) -> dict[str, str]:
    """What a published report printed, by figure id (to audit it, or to build after it)."""
    p = disclosure.period_key(f.period)
    out = {disclosure.cell(p, "heard", k): v for k, v in f.heard_from}
    out |= {disclosure.cell(p, "topic", k): v for k, v in f.topics}
    out[disclosure.cell(p, "inquiries")] = f.inquiries
    out[disclosure.cell(p, "topic", "_total")] = f.topics_total or "0"
    out[disclosure.cell(p, "placed")] = f.placed
    return out


def relations_of(f: Figures) -> list[disclosure.Relation]:
    """What a published report's other figures tell about its counts: a printed median wait
    means at least 5 placed (the legend's "–": too few to show)."""
    p = disclosure.period_key(f.period)
    if f.median_wait_days not in ("–", ""):
        return [disclosure.Floor(disclosure.cell(p, "placed"), disclosure.THRESHOLD)]
    return []


def figures(
    centre: CentreConfig,
    code: str,
    period: Period,
    stats: Mapping[str, Mapping[str, Any]],  # "YYYY-MM_key" -> counters
    year_to_date_months: Sequence[str],
    facilitators: int,
    survey: Sequence[int],
    marks: Mapping[str, str] | None = None,
) -> Figures:
    """The report's figures; `marks` (from disclosure.protect over every report of the year) say
    which counts are printed and which hidden. Without them: this period's report alone."""
    own = [stats.get(f"{m}_{code}", {}) for m in period.months]
    p = disclosure.period_key(period.label)
    if marks is None:
        values = counts(centre, code, period, stats)
        relations = disclosure.report_relations(heard_keys(), centre.topic_keys, [p])
        marks = disclosure.protect(values, relations, {})
    heard_cells = [marks[disclosure.cell(p, "heard", k)] for k in heard_keys()]
    topic_keys = list(centre.topic_keys)
    topic_cells = [marks[disclosure.cell(p, "topic", k)] for k in topic_keys]
    inquiries = marks[disclosure.cell(p, "inquiries")]
    placed_n = _sum(own, "placed")
    hist = {int(k): v for k, v in _submap(own, "wait_days").items()}
    median = median_from_histogram(hist)
    placed_shown = marks[disclosure.cell(p, "placed")]
    median_shown = (
        f"{median:.0f}" if median is not None and placed_n >= 5 and placed_shown.isdigit() else "–"
    )
    minutes = _sum(own, "facilitator_minutes")
    centre_year = _sum(
        [stats.get(f"{m}_centre", {}) for m in year_to_date_months], "groups_started"
    )
    survey_n = len(survey)
    return Figures(
        municipality=code,
        period=period.label,
        inquiries=inquiries,
        heard_from=tuple(zip(heard_keys(), heard_cells, strict=True)),
        heard_total=inquiries,
        topics=tuple(zip(topic_keys, topic_cells, strict=True)),
        topics_total=marks[disclosure.cell(p, "topic", "_total")],
        placed=placed_shown,
        median_wait_days=median_shown,
        groups_started=str(_sum(own, "groups_started")),
        digital_groups=str(_sum(own, "digital_groups")),
        meetings=str(_sum(own, "meetings")),
        facilitator_hours=f"{minutes / 60:.1f}",
        centre_groups_started_year=centre_year,
        goal_groups=centre.goals.groups_started_per_year,
        trained_facilitators=facilitators,
        goal_facilitators=centre.goals.trained_facilitators,
        budget_share_nok=allocation(centre)[code],
        budget_total_nok=centre.budget.total_nok,
        survey_responses=single(survey_n) if period.kind == "year" else "–",
        survey_mean=f"{sum(survey) / survey_n:.1f}"
        if period.kind == "year" and survey_n >= 5
        else "–",
        raw_chart=tuple(
            (k, int(c) if c.isdigit() else None)
            for k, c in zip(topic_keys, topic_cells, strict=True)
        ),
    )


def survey_scores(doc: dict[str, Any]) -> list[int]:
    """Every score of a `surveys/` document: the year's counts, or one answer stored before
    issue 18 (a document per answer)."""
    if doc.get("counts"):
        return [
            int(s)
            for s, n in sorted((doc.get("satisfaction") or {}).items())
            for _ in range(int(n))
        ]
    return [int(doc["satisfaction"])] if isinstance(doc.get("satisfaction"), int) else []


# The figures of a report that come from the counters (the rest: the centre's configuration, the
# facilitators and the survey, read when it was built).
COUNTED: tuple[str, ...] = (
    "median_wait_days",
    "groups_started",
    "digital_groups",
    "meetings",
    "facilitator_hours",
    "centre_groups_started_year",
)


def drift(
    centre: CentreConfig,
    frozen: Figures,
    counted: Mapping[str, int] | None,
    stats: Mapping[str, Mapping[str, Any]],
) -> list[str]:
    """Figure ids of a frozen report that its counters no longer give (issue 18: empty, always,
    once the period has settled). `counted`: the person counts stored when it was frozen (a
    report frozen before they were stored is checked against what it printed)."""
    period = parse_period(frozen.period, date(9999, 1, 1))
    now = counts(centre, frozen.municipality, period, stats)
    marks = {c: disclosure.SECONDARY for c in now} | marks_of(frozen)  # topics added since
    out = []
    for c, v in sorted(now.items()):
        if counted is not None:
            if counted.get(c) != v:
                out.append(c)
        elif marks.get(c) is not None and not _fits(marks[c], v):
            out.append(c)
    last = int(period.months[-1][-2:])
    ytd = [f"{period.year}-{n:02d}" for n in range(1, last + 1)]
    again = figures(
        centre, frozen.municipality, period, stats, ytd, frozen.trained_facilitators, [], marks
    )
    out += [k for k in COUNTED if getattr(again, k) != getattr(frozen, k)]
    return out


def _fits(mark: str, value: int) -> bool:
    if mark == disclosure.PRIMARY:
        return 0 < value < disclosure.THRESHOLD
    return mark == disclosure.SECONDARY or mark == str(value)
