"""The report's PDF (fpdf2, with a matplotlib chart) and spreadsheet (openpyxl)."""

from __future__ import annotations

import io
from pathlib import Path

from shared.config import Standard
from shared.domain.reports import Figures
from shared.report_text import REPORT


def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"  # DejaVu ships with matplotlib


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


def pdf(
    f: Figures,
    std: Standard,
    centre_name: str,
    municipality: str,
    period_text: str,
    topic_labels: dict[str, str],
    preliminary: bool = False,
) -> bytes:
    from fpdf import FPDF

    t = REPORT[std]

    class Report(FPDF):
        def header(self) -> None:
            if preliminary:  # on every page (issue 10): a preliminary report cannot pass as final
                self.set_font("DejaVu", "B", 10)
                self.set_text_color(176, 0, 32)
                self.cell(0, 6, t["preliminary"], new_x="LMARGIN", new_y="NEXT")
                self.set_text_color(27, 27, 27)

    doc = Report(format="A4")
    fonts = _font_dir()
    doc.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    doc.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    doc.set_title(t["title"].format(municipality=municipality))
    doc.set_lang(std)
    doc.set_author(centre_name)
    doc.add_page()
    doc.set_font("DejaVu", "B", 18)
    doc.multi_cell(
        0, 9, t["title"].format(municipality=municipality), new_x="LMARGIN", new_y="NEXT"
    )
    doc.set_font("DejaVu", "", 11)
    doc.set_text_color(74, 74, 74)
    doc.multi_cell(
        0,
        6,
        t["subtitle"].format(centre=centre_name, period=period_text),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    doc.ln(2)
    doc.set_text_color(27, 27, 27)
    doc.multi_cell(
        0,
        5.5,
        t["intro"].format(centre=centre_name, municipality=municipality),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for n, (section, items) in enumerate(rows(f, std, topic_labels).items()):
        doc.ln(3)
        doc.set_font("DejaVu", "B", 13)
        doc.cell(0, 8, section, new_x="LMARGIN", new_y="NEXT")
        doc.set_font("DejaVu", "", 10.5)
        with doc.table(
            col_widths=(140, 40),
            text_align=("LEFT", "RIGHT"),
            line_height=6.5,
            first_row_as_headings=False,
            borders_layout="HORIZONTAL_LINES",
        ) as table:
            for label, value in items:
                row = table.row()
                row.cell(label)
                row.cell(value)
        if n == 2:  # the topics section: a picture reads better than the table
            doc.ln(2)
            doc.image(io.BytesIO(chart_png(f, std, topic_labels)), w=170)
    doc.ln(4)
    doc.set_font("DejaVu", "", 9)
    doc.set_text_color(74, 74, 74)
    doc.multi_cell(0, 5, t["note_suppressed"], new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())


def xlsx(
    f: Figures,
    std: Standard,
    municipality: str,
    period_text: str,
    topic_labels: dict[str, str],
    preliminary: bool = False,
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    t = REPORT[std]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Rapport"
    ws.append([t["title"].format(municipality=municipality), period_text])
    ws["A1"].font = Font(bold=True, size=14)
    if preliminary:
        ws.append([t["preliminary"]])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True, color="B00020")
    for section, items in rows(f, std, topic_labels).items():
        ws.append([])
        ws.append([section])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        ws.append([t["category"], t["count"]])
        for label, value in items:
            ws.append([label, int(value) if value.isdigit() else value])
    ws.append([])
    ws.append([t["note_suppressed"]])
    ws.column_dimensions["A"].width = 80
    ws.column_dimensions["B"].width = 18
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
