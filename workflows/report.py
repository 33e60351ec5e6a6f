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
from zoneinfo import ZoneInfo

from shared import logs
from shared.config import Municipality
from shared.domain.reports import Figures, Period, PeriodError, figures, parse_period
from shared.ports import AlreadyExists, Attachment, OutgoingMail, Where
from shared.report_text import REPORT
from workflows import report_files
from workflows.mailing import send_once
from workflows.runtime import Deps

log = logs.get_logger(__name__)


def period_text(period: Period, std: str) -> str:
    t = REPORT[std]  # type: ignore[index]
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
    paths = [f"stats/{month}_{key}" for month in months for key in keys]
    found = deps.store.get_many(paths)
    stats = {p.split("/", 1)[1]: (doc or {}) for p, doc in found.items()}
    facilitators = len(deps.store.query("facilitators"))
    survey: list[int] = []
    if period.kind == "year":
        survey = [
            int(d["satisfaction"])
            for _, d in deps.store.query("surveys", [Where("year", "==", period.year)])
        ]
    return stats, ytd, facilitators, survey


def frozen(deps: Deps, period: Period, m: Municipality, fresh: Figures) -> Figures:
    """The first build of a (municipality, period) is the report; later runs reuse it."""
    path = f"reports/{period.label}_{m.code}"
    try:
        # JSON text: Firestore cannot hold arrays of arrays
        figures_json = json.dumps(dataclasses.asdict(fresh))
        deps.store.create(path, {"figures": figures_json, "built_at": deps.clock.now()})
        return fresh
    except AlreadyExists:
        doc = deps.store.get(path) or {}
        data = json.loads(doc["figures"]) if doc.get("figures") else dataclasses.asdict(fresh)
        return Figures.from_stored(data)


def run(deps: Deps, period_label: str, preliminary: bool = False) -> list[dict[str, Any]]:
    """A period that has not ended is refused unless a preliminary report is asked for: that one
    is marked on every page, sent under its own key, and freezes nothing, so the scheduled run
    after the period still builds and sends the real report (issue 10)."""
    today = deps.clock.now().astimezone(ZoneInfo(deps.centre.centre.timezone)).date()
    period = parse_period(period_label, today)
    if period.ended(today):
        preliminary = False
    elif not preliminary:
        raise PeriodError(
            f"{period.label} has not ended (its last day is {period.end.isoformat()}); "
            'send "preliminary": true for a preliminary report'
        )
    stats, ytd, facilitators, survey = load_inputs(deps, period)
    out = []
    for m in deps.centre.municipalities:
        fresh = figures(deps.centre, m.code, period, stats, ytd, facilitators, survey)
        f = fresh if preliminary else frozen(deps, period, m, fresh)
        std = m.standard
        labels = {t.key: t.label(std) for t in deps.centre.topics}
        when = period_text(period, std)
        t = REPORT[std]
        pdf = report_files.pdf(f, std, deps.centre.centre.name, m.name, when, labels, preliminary)
        sheet = report_files.xlsx(f, std, m.name, when, labels, preliminary)
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
        from workflows.render import render

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
        recipients = [r.email for r in deps.centre.report_recipients if r.municipality == m.code]
        slug = m.name.lower().replace("ø", "o").replace("å", "a").replace("æ", "ae")
        key = f"report-{period.label}-{m.code}"
        name = f"linkflyt-{slug}-{period.label}"
        if preliminary:  # its own key: one preliminary report per day, never the real one's
            key = f"report-preliminary-{period.label}-{today.isoformat()}-{m.code}"
            name = f"{name}-{t['preliminary_subject'].lower()}"
        for i, to in enumerate(recipients):
            outcome = send_once(
                deps,
                OutgoingMail(
                    to=to,
                    subject=subject,
                    text=text,
                    html=html,
                    sender=deps.centre.centre.mail_from,
                    message_key=f"{key}-{i}",
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
                "sent": sent,
                "preliminary": preliminary,
            }
        )
    log.info("reports built", extra={"period": period.label, "municipalities": len(out)})
    return out
