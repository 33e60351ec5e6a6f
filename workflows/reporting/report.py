"""report: build and email every municipality's report for a period (scheduler, or POST /report).

Reads only anonymous counters: stats/{month}_{key} for the period's months (and the year so far),
the facilitator list and anonymous survey answers — so Firestore reads grow with municipalities x
months, never with the number of inquiries. The figures of a (municipality, period) are frozen in
reports/ the first time they are built, so a retried job sends the same report, once.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from shared import logs
from shared.config import Municipality
from shared.domain import disclosure, reports
from shared.domain.facilitators import count_trained
from shared.domain.reports import Figures, Period, PeriodError, figures, parse_period
from shared.ports import AlreadyExists, Attachment, OutgoingMail, Where
from shared.texts.report import REPORT
from workflows.messaging.mailing import address_key, send_once
from workflows.platform import counters
from workflows.platform.render import render
from workflows.platform.runtime import Deps
from workflows.reporting import files as report_files

log = logs.get_logger(__name__)


def period_text(period: Period, std: str) -> str:
    t = REPORT[std]
    if period.kind == "quarter":
        return t["quarter"].format(year=period.year, q=period.label[-1])
    return t["year"].format(year=period.year)


def load_inputs(
    deps: Deps, period: Period
) -> tuple[dict[str, dict[str, Any]], list[str], int, list[int]]:
    last = period.months[-1]
    ytd = [f"{period.year}-{m:02d}" for m in range(1, int(last[-2:]) + 1)]
    keys = [m.code for m in deps.centre.municipalities] + ["centre"]
    months = sorted(set(period.months) | set(ytd))
    paths = [counters.month_path(month, key) for month in months for key in keys]
    found = deps.store.get_many(paths)
    stats = {p.split("/", 1)[1]: (doc or {}) for p, doc in found.items()}
    facilitators = count_trained(d for _, d in deps.store.query("facilitators"))
    survey: list[int] = []
    if period.kind == "year":
        survey = [
            score
            for _, d in deps.store.query("surveys", [Where("year", "==", period.year)])
            for score in reports.survey_scores(d)
        ]
    return stats, ytd, facilitators, survey


def _freeze(
    deps: Deps, label: str, m: Municipality, f: Figures, counted: dict[str, int]
) -> Figures:
    """The first build of a (municipality, period) is the report; later runs reuse it. The
    person counts behind it are kept beside it, so "a frozen figure equals its counters" can be
    checked (workflows/reporting/audit.frozen_drift)."""
    path = f"reports/{label}_{m.code}"
    try:
        # JSON text: Firestore cannot hold arrays of arrays
        figures_json = json.dumps(dataclasses.asdict(f))
        deps.store.create(
            path,
            {"figures": figures_json, "counts": json.dumps(counted), "built_at": deps.clock.now()},
        )
        return f
    except AlreadyExists:
        doc = deps.store.get(path) or {}
        data = json.loads(doc["figures"]) if doc.get("figures") else dataclasses.asdict(f)
        return Figures.from_stored(data)


def published(deps: Deps, year: int, code: str) -> dict[str, Figures]:
    """The frozen reports of a municipality's year, by period label."""
    labels = [f"{year}-{q}" for q in disclosure.QUARTERS] + [str(year)]
    docs = deps.store.get_many([f"reports/{label}_{code}" for label in labels])
    return {
        label: Figures.from_stored(json.loads(doc["figures"]))
        for label in labels
        if (doc := docs[f"reports/{label}_{code}"]) and doc.get("figures")
    }


def build(
    deps: Deps,
    period: Period,
    m: Municipality,
    inputs: tuple[dict[str, dict[str, Any]], list[str], int, list[int]],
    freeze: bool,
    done: dict[str, Figures],
) -> Figures:
    """This period's figures, suppressed jointly with every report of the year already published
    (issue 10; `done`: those reports, read once by the caller and kept current here). The year is
    built after its quarters: quarters not yet built are built (and frozen) first, so the year's
    figures are chosen knowing all four."""
    stats, _, facilitators, survey = inputs
    ytd = [f"{period.year}-{n:02d}" for n in range(1, int(period.months[-1][-2:]) + 1)]
    centre, code = deps.centre, m.code
    if freeze and period.label in done:
        return done[period.label]
    frozen = {c: v for f in done.values() for c, v in reports.marks_of(f).items()}
    told = [r for f in done.values() for r in reports.relations_of(f)]
    values: dict[str, int] = {}
    periods = [disclosure.period_key(period.label)]
    if period.kind == "year":
        for q in disclosure.QUARTERS:
            quarter = reports.parse_period(f"{period.year}-{q}", period.end)
            if quarter.label not in done:
                f = build(deps, quarter, m, (stats, [], facilitators, []), freeze, done)
                frozen |= reports.marks_of(f)
                told += reports.relations_of(f)
            values |= reports.counts(centre, code, quarter, stats)
        periods = [*disclosure.QUARTERS, "Y"]
    own = reports.counts(centre, code, period, stats)
    values |= own
    relations = disclosure.report_relations(reports.heard_keys(), centre.topic_keys, periods)
    marks = disclosure.protect(values, [*relations, *told], frozen)
    f = figures(centre, code, period, stats, ytd, facilitators, survey, marks)
    if not freeze:
        return f
    done[period.label] = f = _freeze(deps, period.label, m, f, own)
    return f


def history(
    deps: Deps, period: Period, m: Municipality, f: Figures, done: dict[str, Figures]
) -> list[tuple[str, Figures | None]]:
    """The columns beside this report: the year's quarters so far as published (this one as built
    now), for a year report the year too, and the same period a year earlier."""
    t = REPORT[m.standard]
    before = published(deps, period.year - 1, m.code)
    last = period.label[-1] if period.kind == "quarter" else "4"
    cols: list[tuple[str, Figures | None]] = []
    for q in disclosure.QUARTERS[: int(last)]:
        label = f"{period.year}-{q}"
        shown = f if label == period.label else done.get(label)
        cols.append((t["quarter_short"].format(q=q[1], year=period.year), shown))
    if period.kind == "year":
        cols.append((str(period.year), f))
    earlier = period.label.replace(str(period.year), str(period.year - 1), 1)
    cols.append(
        (
            f"{t['year_earlier']} ({period_text(parse_period(earlier, period.end), m.standard)})",
            before.get(earlier),
        )
    )
    return cols


def run(deps: Deps, period_label: str, preliminary: bool = False) -> list[dict[str, Any]]:
    """A period that has not ended is refused unless a preliminary report is asked for: that one
    is marked on every page, sent under its own key to the centre's coordinators only (issue 18),
    and freezes nothing, so the scheduled run after the period still builds and sends the real
    report (issue 10). A period ended only minutes ago may still get counts from steps that began
    before midnight: it is refused (or preliminary) until they have landed (issue 18)."""
    now, tz = deps.clock.now(), deps.centre.centre.timezone
    today = counters.local_date(now, tz)
    period = parse_period(period_label, today)
    if counters.settled(period.end, now, tz):
        preliminary = False
    elif not preliminary:
        settling = period.ended(today)
        raise PeriodError(
            f"{period.label} ended at midnight and its last counts may still be arriving: "
            f"ask again {counters.SETTLE.seconds // 60} minutes after midnight"
            if settling
            else f"{period.label} has not ended (its last day is {period.end.isoformat()}); "
            'send "preliminary": true for a preliminary report'
        )
    inputs = load_inputs(deps, period)
    out = []
    for m in deps.centre.municipalities:
        done = published(deps, period.year, m.code)  # one read of the year's frozen reports
        f = build(deps, period, m, inputs, not preliminary, done)
        std = m.standard
        labels = {t.key: t.label(std) for t in deps.centre.topics}
        when = period_text(period, std)
        t = REPORT[std]
        past = history(deps, period, m, f, done)
        pdf = report_files.pdf(
            f, std, deps.centre.centre.name, m.name, when, labels, preliminary, past
        )
        sheet = report_files.xlsx(f, std, m.name, when, labels, preliminary, past)
        subject = t["subject"].format(
            centre=deps.centre.centre.name, municipality=m.name, period=when
        )
        if preliminary:
            subject = f"{t['preliminary_subject']}: {subject}"
        rows = report_files.rows(f, std, labels)
        first = next(iter(rows.items()))
        summary = [f"{label}: {value}" for label, value in first[1]]
        text = "\n".join(
            [
                *([t["preliminary"], ""] if preliminary else []),
                t["intro"].format(centre=deps.centre.centre.name, municipality=m.name),
                "",
                first[0],
                *summary,
                "",
                t["body"].format(period=when),
                "",
                t["note_suppressed"],
            ]
        )
        html = render(
            "emails/report.html",
            lang=std,
            subject=subject,
            intro=t["intro"].format(centre=deps.centre.centre.name, municipality=m.name),
            heading=first[0],
            rows=first[1],
            body=(f"{t['preliminary']}. " if preliminary else "") + t["body"].format(period=when),
            note=t["note_suppressed"],
            centre_name=deps.centre.centre.name,
        )
        sent = 0
        recipients = reports.recipients(deps.centre, m.code, preliminary)
        slug = m.name.lower().replace("ø", "o").replace("å", "a").replace("æ", "ae")
        key = f"report-{period.label}-{m.code}"
        name = f"linkflyt-{slug}-{period.label}"
        if preliminary:  # its own key: one preliminary report per day, never the real one's
            key = f"report-preliminary-{period.label}-{today.isoformat()}-{m.code}"
            name = f"{name}-{t['preliminary_subject'].lower()}"
        for to in recipients:
            outcome = send_once(
                deps,
                OutgoingMail(
                    to=to,
                    subject=subject,
                    text=text,
                    html=html,
                    sender=deps.centre.centre.mail_from,
                    message_key=f"{key}-{address_key(to)}",
                    attachments=(
                        Attachment(f"{name}.pdf", "application/pdf", pdf),
                        Attachment(
                            f"{name}.xlsx",
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            sheet,
                        ),
                    ),
                ),
            )
            sent += outcome == "sent"
        out.append(
            {
                "municipality": m.code,
                "name": m.name,
                "period": period.label,
                "language": std,
                "recipients": len(recipients),
                "to": "coordinators" if preliminary else "report_recipients",
                "sent": sent,
                "preliminary": preliminary,
            }
        )
    log.info("reports built", extra={"period": period.label, "municipalities": len(out)})
    return out
