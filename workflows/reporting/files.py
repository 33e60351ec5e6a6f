"""The report's PDF (a tagged PDF/UA-1 from HTML by WeasyPrint, with matplotlib charts) and its
spreadsheet (openpyxl, one sheet per table).

Issue 22: numbers are written as a Norwegian reader writes them (decimal comma, a space between
thousands) and are numbers in the spreadsheet, with a number format; "no data yet" and "too few to
show" have marks of their own, from Statistics Norway's table symbols (SSB, «Standard for bruk av
symbol i tabellar»: «…» data not yet available, «:» not shown; its «-» means zero, so the en dash
that stood for both is gone); sheet names are short whole words; chart labels are wrapped and
checked not to overlap.
"""

from __future__ import annotations

import base64
import io
import re
import textwrap
from collections.abc import Sequence
from typing import Any

from shared.domain.reports import Figures
from shared.languages import Standard
from shared.texts.report import NOT_YET, REPORT, TOO_FEW
from workflows.platform.render import render

Cell = int | float | str  # a number, or a printed mark: "<5", "x", TOO_FEW, NOT_YET
INT, DECIMAL, KRONER = "#,##0", "#,##0.0", '#,##0" kr"'
Row = tuple[str, Cell, str]  # label, value, spreadsheet number format
_DECIMAL = re.compile(r"\d+\.\d+")


def cell(raw: str | int | float | None) -> Cell:
    """A published figure as a value: a number where the figures hold one; the marks as they are,
    except the en dash older frozen figures use for "too few to show" (a median of fewer than five
    people, a survey mean of fewer than five answers); None (no report for that column) is
    "no data yet"."""
    if raw is None:
        return NOT_YET
    if isinstance(raw, int | float):
        return raw
    if raw.isdigit():
        return int(raw)
    if _DECIMAL.fullmatch(raw):
        return float(raw)
    return TOO_FEW if raw in ("–", "-", "") else raw


def shown(value: Cell) -> str:
    """As printed: "1 234", "117,0" (decimal comma), or the mark."""
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    return f"{value:,.1f}".replace(",", " ").replace(".", ",")


def table_rows(f: Figures, std: Standard, topic_labels: dict[str, str]) -> dict[str, list[Row]]:
    """Every table of the report: section heading → (label, value, number format)."""
    t = REPORT[std]
    year = f.period[:4]

    def fmt(v: Cell) -> str:
        return DECIMAL if isinstance(v, float) else INT

    def row(label: str, raw: str | int | None) -> Row:
        v = cell(raw)
        return (label, v, fmt(v))

    goals = [
        row(t["goal_groups"].format(goal=f.goal_groups), f.centre_groups_started_year),
        row(t["goal_facilitators"].format(goal=f.goal_facilitators), f.trained_facilitators),
    ]
    if len(f.period) == 4:  # the survey is yearly: a quarter has nothing to show for it
        goals += [
            row(t["survey_responses"], f.survey_responses),
            row(t["survey_mean"], f.survey_mean),
        ]
    return {
        t["section_activity"]: [
            row(t["inquiries"], f.inquiries),
            row(t["placed"], f.placed),
            row(t["median_wait"], f.median_wait_days),
            row(t["groups_started"], f.groups_started),
            row(t["digital_groups"], f.digital_groups),
            row(t["meetings"], f.meetings),
            row(t["facilitator_hours"], f.facilitator_hours),
        ],
        t["section_heard"]: [row(t[f"heard_{k}"], v) for k, v in f.heard_from]
        + [row(t["total"], f.heard_total or "0")],
        t["section_topics"]: [row(topic_labels.get(k, k), v) for k, v in f.topics]
        + [row(t["total"], f.topics_total or "0")],
        t["section_goals"].format(year=year): goals,
        t["section_budget"]: [
            (
                t["budget"].format(total=shown(f.budget_total_nok)),
                f.budget_share_nok,
                KRONER,
            ),
        ],
    }


def rows(
    f: Figures, std: Standard, topic_labels: dict[str, str]
) -> dict[str, list[tuple[str, str]]]:
    """The tables as printed (the PDF, the email's summary)."""
    out = {}
    for section, items in table_rows(f, std, topic_labels).items():
        out[section] = [
            (label, shown(v) + (" kr" if fmt == KRONER else "")) for label, v, fmt in items
        ]
    return out


def _wrap(label: str, width: int) -> str:
    return "\n".join(textwrap.wrap(label, width=width, break_long_words=False)) or label


def overlapping_labels(fig: Any) -> list[tuple[str, str]]:
    """Pairs of tick labels on one axis whose boxes intersect (after layout)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    out = []
    for ax in fig.axes:
        for ticks in (ax.get_xticklabels(), ax.get_yticklabels()):
            boxes = [
                (tick.get_text(), tick.get_window_extent(renderer))
                for tick in ticks
                if tick.get_text() and tick.get_visible()
            ]
            for i, (a, box_a) in enumerate(boxes):
                for b, box_b in boxes[i + 1 :]:
                    if box_a.overlaps(box_b):
                        out.append((a, b))
    return out


def _png(fig: Any) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def chart(f: Figures, std: Standard, topic_labels: dict[str, str]) -> Any:
    """The topics asked for, as bars; a hidden figure gets no bar but its printed mark."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    t = REPORT[std]
    items = [(topic_labels.get(k, k), v) for k, v in f.topics][::-1]
    fig, ax = plt.subplots(figsize=(7.0, 0.42 * len(items) + 1.0), dpi=150)
    values = [cell(v) for _, v in items]
    heights = [float(v) if not isinstance(v, str) else 0.0 for v in values]
    colours = ["#c8c8c0" if isinstance(v, str) else "#0b5563" for v in values]
    bars = ax.barh([_wrap(label, 28) for label, _ in items], heights, color=colours)
    for bar, v in zip(bars, values, strict=True):
        ax.text(
            bar.get_width() + 0.1,
            bar.get_y() + bar.get_height() / 2,
            shown(v),
            va="center",
            fontsize=9,
            color="#4a4a4a" if isinstance(v, str) else "#1b1b1b",
        )
    ax.set_title(t["chart_title"], fontsize=12, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlim(0, max([*heights, 5.0]) * 1.25)
    ax.tick_params(axis="y", labelsize=9)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.tight_layout()
    return fig


def chart_png(f: Figures, std: Standard, topic_labels: dict[str, str]) -> bytes:
    return _png(chart(f, std, topic_labels))


def development(
    f: Figures, std: Standard, history: Sequence[tuple[str, Figures | None]]
) -> tuple[list[str], list[tuple[str, list[Cell]]]]:
    """The quarters so far (and the same period a year earlier) side by side, as published."""
    t = REPORT[std]
    columns = [label for label, _ in history]
    keys = ("inquiries", "placed", "groups_started", "meetings", "facilitator_hours")
    rows_ = [
        (t[k], [cell(getattr(h, k)) if h is not None else NOT_YET for _, h in history])
        for k in keys
    ]
    return columns, rows_


def trend(std: Standard, history: Sequence[tuple[str, Figures | None]]) -> tuple[Any, str]:
    """Bars per column for inquiries and placed; a hidden figure or a column without a report
    gets no bar but its mark. Labels wrapped to their column, the legend above the plot."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    t = REPORT[std]
    labels = [label for label, _ in history]
    fig, ax = plt.subplots(figsize=(7.0, 3.2), dpi=150)
    width = 0.38
    described = []
    top = 5.0
    chars = max(8, int(90 / max(1, len(labels))))  # 8-point characters per column, about
    for n, (key, colour) in enumerate((("inquiries", "#0b5563"), ("placed", "#d08c00"))):
        values = [cell(getattr(h, key)) if h is not None else NOT_YET for _, h in history]
        heights = [float(v) if not isinstance(v, str) else 0.0 for v in values]
        top = max([top, *heights])
        xs = [i + (n - 0.5) * width for i in range(len(labels))]
        ax.bar(xs, heights, width, color=colour, label=t[key])
        for x, h, v in zip(xs, heights, values, strict=True):
            ax.text(x, h + top * 0.02, shown(v), ha="center", va="bottom", fontsize=7.5)
        described.append(
            f"{t[key]}: "
            + ", ".join(f"{lab} {shown(v)}" for lab, v in zip(labels, values, strict=True))
        )
    ax.set_xticks(range(len(labels)), [_wrap(label, chars) for label in labels], fontsize=8)
    ax.set_ylim(0, top * 1.2)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # people, not fractions of them
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(
        fontsize=8,
        frameon=False,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=2,
        borderaxespad=0,
    )
    fig.tight_layout()
    return fig, f"{t['trend_alt']}. " + ". ".join(described) + "."


def trend_png(std: Standard, history: Sequence[tuple[str, Figures | None]]) -> tuple[bytes, str]:
    fig, alt = trend(std, history)
    return _png(fig), alt


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
    trend_image, trend_alt = trend_png(std, history)
    topics_alt = (
        f"{t['chart_title']}: "
        + ", ".join(f"{topic_labels.get(k, k)} {shown(cell(v))}" for k, v in f.topics)
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
        development=[(label, [shown(v) for v in values]) for label, values in rows_],
        trend_png=base64.b64encode(trend_image).decode(),
        trend_alt=trend_alt,
        sections=list(rows(f, std, topic_labels).items()),
        topics_png=base64.b64encode(chart_png(f, std, topic_labels)).decode(),
        topics_alt=topics_alt,
    )
    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))


def sheet_title(name: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name: the names are written
    to fit (REPORT's sheet_*), and a name that does not is refused rather than cut mid-word."""
    if len(name) > 31 or any(ch in name for ch in "[]:*?/\\"):
        raise ValueError(f"sheet name not allowed in a spreadsheet: {name!r}")
    return name


def xlsx(
    f: Figures,
    std: Standard,
    municipality: str,
    period_text: str,
    topic_labels: dict[str, str],
    preliminary: bool = False,
    history: Sequence[tuple[str, Figures | None]] = (),
) -> bytes:
    """The same figures and marks as the PDF, one sheet per table (issue 10); counts are number
    cells with a number format, marks are text aligned with them (issue 22)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    t = REPORT[std]
    wb = Workbook()
    columns, dev = development(f, std, list(history) or [(period_text, f)])

    def formats(values: list[Cell]) -> list[str]:
        return [DECIMAL if isinstance(v, float) else INT for v in values]

    sections = table_rows(f, std, topic_labels)
    names = ["sheet_activity", "sheet_heard", "sheet_topics", "sheet_goals", "sheet_budget"]
    tables: list[tuple[str, str, list[str], list[tuple[str, list[Cell], list[str]]]]] = [
        (
            t["sheet_development"],
            t["section_development"],
            [t["category"], *columns],
            [(label, values, formats(values)) for label, values in dev],
        )
    ]
    for key, (section, items) in zip(names, sections.items(), strict=True):
        tables.append(
            (
                t[key],
                section,
                [t["category"], t["count"]],
                [(label, [v], [fmt]) for label, v, fmt in items],
            )
        )
    right = Alignment(horizontal="right")
    for i, (name, heading, header, body) in enumerate(tables):
        ws = wb.active if i == 0 else wb.create_sheet()
        assert ws is not None
        ws.title = sheet_title(name)
        ws.append([t["title"].format(municipality=municipality), period_text])
        ws["A1"].font = Font(bold=True, size=14)
        if preliminary:
            ws.append([t["preliminary"]])
            ws.cell(row=ws.max_row, column=1).font = Font(bold=True, color="B00020")
        ws.append([heading])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        ws.append(header)
        for c in ws[ws.max_row]:
            c.font = Font(bold=True)
        for label, values, fmts in body:
            ws.append([label, *values])
            for col, (v, fmt) in enumerate(zip(values, fmts, strict=True), start=2):
                c = ws.cell(row=ws.max_row, column=col)
                if isinstance(v, str):
                    c.alignment = right  # a mark, lined up with the numbers
                else:
                    c.number_format = fmt
        ws.append([])
        ws.append([t["note_suppressed"]])
        ws.column_dimensions["A"].width = 70
        for letter in "BCDEFG":
            ws.column_dimensions[letter].width = 16
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
