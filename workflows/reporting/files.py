"""The report's PDF (a tagged PDF/UA-1 from HTML by WeasyPrint, with matplotlib charts) and its
spreadsheet (openpyxl, one sheet per table)."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

from shared.domain.reports import Figures
from shared.languages import Standard
from shared.texts.report import REPORT
from workflows.platform.render import render


def rows(
    f: Figures, std: Standard, topic_labels: dict[str, str]
) -> dict[str, list[tuple[str, str]]]:
    t = REPORT[std]
    year = f.period[:4]
    return {
        t["section_activity"]: [
            (t["inquiries"], f.inquiries),
            (t["placed"], f.placed),
            (t["median_wait"], f.median_wait_days),
            (t["groups_started"], f.groups_started),
            (t["digital_groups"], f.digital_groups),
            (t["meetings"], f.meetings),
            (t["facilitator_hours"], f.facilitator_hours),
        ],
        t["section_heard"]: [(t[f"heard_{k}"], v) for k, v in f.heard_from]
        + [(t["total"], f.heard_total or "")],
        t["section_topics"]: [(topic_labels.get(k, k), v) for k, v in f.topics]
        + [(t["total"], f.topics_total or "")],
        t["section_goals"].format(year=year): [
            (t["goal_groups"].format(goal=f.goal_groups), str(f.centre_groups_started_year)),
            (t["goal_facilitators"].format(goal=f.goal_facilitators), str(f.trained_facilitators)),
            (t["survey"], f"{f.survey_responses} / {f.survey_mean}"),
        ],
        t["section_budget"]: [
            (
                t["budget"].format(total=f"{f.budget_total_nok:,}".replace(",", " ")),
                f"{f.budget_share_nok:,}".replace(",", " ") + " kr",
            ),
        ],
    }


def chart_png(f: Figures, std: Standard, topic_labels: dict[str, str]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    t = REPORT[std]
    items = [(topic_labels.get(k, k), v) for k, v in f.raw_chart]
    fig, ax = plt.subplots(figsize=(7.0, 0.42 * len(items) + 1.0), dpi=150)
    labels = [label for label, _ in items][::-1]
    values = [(v or 0) for _, v in items][::-1]
    hidden = [v is None for _, v in items][::-1]
    colors = ["#c8c8c0" if h else "#0b5563" for h in hidden]
    bars = ax.barh(
        labels, [v if not h else 0.0001 for v, h in zip(values, hidden, strict=True)], color=colors
    )
    for bar, v, h in zip(bars, values, hidden, strict=True):
        ax.text(
            bar.get_width() + 0.1,
            bar.get_y() + bar.get_height() / 2,
            t["chart_hidden"] if h else str(v),
            va="center",
            fontsize=9,
            color="#4a4a4a" if h else "#1b1b1b",
        )
    ax.set_title(t["chart_title"], fontsize=12, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlim(0, max([*values, 5]) * 1.25)
    ax.tick_params(axis="y", labelsize=9)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def development(
    f: Figures, std: Standard, history: Sequence[tuple[str, Figures | None]]
) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The quarters so far (and the same period a year earlier) side by side, as published."""
    t = REPORT[std]
    columns = [label for label, _ in history]
    keys = ("inquiries", "placed", "groups_started", "meetings", "facilitator_hours")
    rows_ = [
        (t[k], [str(getattr(h, k)) if h is not None else t["not_yet"] for _, h in history])
        for k in keys
    ]
    return columns, rows_


def trend_png(std: Standard, history: Sequence[tuple[str, Figures | None]]) -> tuple[bytes, str]:
    """Bars per column for inquiries and placed; hidden figures get no bar but their mark."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = REPORT[std]
    labels = [label for label, _ in history]
    fig, ax = plt.subplots(figsize=(7.0, 2.8), dpi=150)
    width = 0.38
    described = []
    top = 5
    for n, (key, color) in enumerate((("inquiries", "#0b5563"), ("placed", "#d08c00"))):
        shown = [str(getattr(h, key)) if h is not None else "–" for _, h in history]
        heights = [int(v) if v.isdigit() else 0 for v in shown]
        top = max([top, *heights])
        xs = [i + (n - 0.5) * width for i in range(len(labels))]
        ax.bar(xs, heights, width, color=color, label=t[key])
        for x, h, v in zip(xs, heights, shown, strict=True):
            ax.text(x, h + 0.2, v, ha="center", va="bottom", fontsize=7.5)
        described.append(
            f"{t[key]}: " + ", ".join(f"{lab} {v}" for lab, v in zip(labels, shown, strict=True))
        )
    ax.set_xticks(range(len(labels)), labels, fontsize=8)
    ax.set_ylim(0, top * 1.25)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue(), f"{t['trend_alt']}. " + ". ".join(described) + "."


def pdf(
    f: Figures,
    std: Standard,
    centre_name: str,
    municipality: str,
    period_text: str,
    topic_labels: dict[str, str],
    preliminary: bool = False,
    history: Sequence[tuple[str, Figures | None]] = (),
) -> bytes:
    """A tagged PDF (PDF/UA-1 via WeasyPrint, issue 10): structure tree, table header cells with
    scope, document language, reading order from the HTML, alternative text for the charts."""
    from weasyprint import HTML

    t = REPORT[std]
    history = list(history) or [(period_text, f)]
    columns, rows_ = development(f, std, history)
    trend, trend_alt = trend_png(std, history)
    topics_alt = (
        f"{t['chart_title']}: "
        + ", ".join(f"{topic_labels.get(k, k)} {v}" for k, v in f.topics)
        + "."
    )
    html = render(
        "reports/report.html",
        std=std,
        t=t,
        title=t["title"].format(municipality=municipality),
        subtitle=t["subtitle"].format(centre=centre_name, period=period_text),
        centre_name=centre_name,
        municipality=municipality,
        period_text=period_text,
        preliminary=preliminary,
        columns=columns,
        development=rows_,
        trend_png=base64.b64encode(trend).decode(),
        trend_alt=trend_alt,
        sections=list(rows(f, std, topic_labels).items()),
        topics_png=base64.b64encode(chart_png(f, std, topic_labels)).decode(),
        topics_alt=topics_alt,
    )
    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))


def xlsx(
    f: Figures,
    std: Standard,
    municipality: str,
    period_text: str,
    topic_labels: dict[str, str],
    preliminary: bool = False,
    history: Sequence[tuple[str, Figures | None]] = (),
) -> bytes:
    """The same figures and marks as the PDF, one sheet per table (issue 10)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    t = REPORT[std]
    wb = Workbook()
    columns, rows_ = development(f, std, list(history) or [(period_text, f)])
    tables: list[tuple[str, list[str], list[tuple[str, list[str]]]]] = [
        (t["section_development"], [t["category"], *columns], rows_)
    ]
    for section, items in rows(f, std, topic_labels).items():
        tables.append((section, [t["category"], t["count"]], [(a, [b]) for a, b in items]))
    first = True
    for title, header, body in tables:
        ws = wb.active if first else wb.create_sheet()
        first = False
        assert ws is not None
        ws.title = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31]
        ws.append([t["title"].format(municipality=municipality), period_text])
        ws["A1"].font = Font(bold=True, size=14)
        if preliminary:
            ws.append([t["preliminary"]])
            ws.cell(row=ws.max_row, column=1).font = Font(bold=True, color="B00020")
        ws.append([title])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        ws.append(header)
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for label, values in body:
            ws.append([label, *(int(v) if v.isdigit() else v for v in values)])
        ws.append([])
        ws.append([t["note_suppressed"]])
        ws.column_dimensions["A"].width = 70
        for col in "BCDEFG":
            ws.column_dimensions[col].width = 14
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
