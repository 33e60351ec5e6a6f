"""The municipal report's files as a reader gets them (issue 22): decimal commas in the PDF, numbers
as number cells in the spreadsheet, whole-word sheet names, chart labels that do not overlap, and
separate marks for "no data yet" and "too few to show", both in the legend."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import matplotlib
import pytest
from openpyxl import load_workbook

from shared.config import DEFAULT_CENTRE_FILE, load_centre
from shared.domain import reports as rd
from shared.texts.report import NOT_YET, REPORT, TOO_FEW
from workflows.reporting import files as report_files
from workflows.reporting.report import period_text

matplotlib.use("Agg")
CENTRE = load_centre(DEFAULT_CENTRE_FILE)
TODAY = date(2027, 2, 1)


def stats(period: rd.Period, code: str, placed: int) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for i, month in enumerate(period.months):
        out[f"{month}_{code}"] = {
            "inquiries": 9 + i,
            "placed": placed,
            "heard_from": {"self": 4, "nav": 3 + i, "friend_family": 2},
            "topic": {"general": 6, "bereavement": 2 + i, "loneliness": 1, "new_in_norway": 3},
            "wait_days": {"30": placed},
            "groups_started": 1,
            "meetings": 3,
            "facilitator_minutes": 290,  # 4.8 hours a month: decimals in the table
        }
        out[f"{month}_centre"] = {"groups_started": 2}
    return out


def report(code: str, label: str, placed: int, survey: list[int]) -> rd.Figures:
    period = rd.parse_period(label, TODAY)
    ytd = [f"{period.year}-{m:02d}" for m in range(1, int(period.months[-1][-2:]) + 1)]
    return rd.figures(CENTRE, code, period, stats(period, code, placed), ytd, 6, survey)


def history(std: str, f: rd.Figures) -> list[tuple[str, rd.Figures | None]]:
    t = REPORT[std]
    q1 = report("4601", "2026-Q1", 2, [])
    earlier = period_text(rd.parse_period("2025-Q3", TODAY), std)
    return [
        (t["quarter_short"].format(q=1, year=2026), q1),
        (t["quarter_short"].format(q=2, year=2026), None),  # never sent: no data yet
        (t["quarter_short"].format(q=3, year=2026), f),
        (f"{t['year_earlier']} ({earlier})", None),
    ]


LABELS = {t.key: t.label("nb") for t in CENTRE.topics}


def test_numbers_as_a_norwegian_reader_writes_them() -> None:
    assert report_files.shown(report_files.cell("117.0")) == "117,0"
    assert report_files.shown(report_files.cell("4.3")) == "4,3"
    assert report_files.shown(1600000) == "1 600 000"
    assert report_files.cell("12") == 12 and report_files.cell("<5") == "<5"
    assert report_files.cell("x") == "x"
    assert report_files.cell("–") == TOO_FEW and report_files.cell(None) == NOT_YET
    assert TOO_FEW != NOT_YET and "–" not in (TOO_FEW, NOT_YET)


@pytest.mark.parametrize("std", ["nb", "nn"])
def test_the_legend_explains_both_marks(std: str) -> None:
    note = REPORT[std]["note_suppressed"]
    assert f"«{TOO_FEW}»" in note and f"«{NOT_YET}»" in note and "«–»" not in note


def pdf_text(pdf: bytes, tmp: Path) -> str:
    path = tmp / "r.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_pdf_prints_decimal_commas_and_the_two_marks(tmp_path: Path) -> None:
    f = report("4601", "2026-Q3", 2, [])  # two placed a month: a median of 6, shown
    few = report("4601", "2026-Q3", 0, [])  # nobody placed: no median
    assert f.facilitator_hours == "14.5" and few.median_wait_days == "–"
    text = pdf_text(
        report_files.pdf(
            few, "nb", "LINK", "Bergen", "2026, 3. kvartal", LABELS, False, history("nb", few)
        ),
        tmp_path,
    )
    assert "14,5" in text and not re.search(r"\b\d+\.\d\b", text), "a decimal point"
    assert re.search(r"Median ventetid.*\s:\s*$", text, re.M), "too few to show"
    assert re.search(r"2\. kv\.", text) and NOT_YET in text, "no data yet"
    assert "985 000 kr" in text


def test_the_spreadsheet_holds_numbers_with_a_number_format() -> None:
    f = report("4601", "2026", 2, [4, 5, 3, 4, 5, 5])
    wb = load_workbook(
        io.BytesIO(
            report_files.xlsx(f, "nb", "Bergen", "året 2026", LABELS, False, history("nb", f))
        )
    )
    t = REPORT["nb"]
    assert wb.sheetnames == [
        t[k]
        for k in (
            "sheet_development",
            "sheet_activity",
            "sheet_heard",
            "sheet_topics",
            "sheet_goals",
            "sheet_budget",
        )
    ]
    numbers = marks = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=4):
            for c in row[1:]:
                if isinstance(c.value, int | float):
                    numbers += 1
                    assert c.number_format in ("#,##0", "#,##0.0", '#,##0" kr"'), c.number_format
                elif isinstance(c.value, str):
                    assert not re.fullmatch(r"\d+([.,]\d+)?", c.value), (
                        f"a number as text: {c.value}"
                    )
                    marks += 1
    assert numbers > 30 and marks >= 5  # "<5", "…" for the quarter never sent and the year before
    activity = {
        r[0].value: r[1] for r in wb[t["sheet_activity"]].iter_rows(min_row=4) if r[0].value
    }
    hours = activity[t["facilitator_hours"]]
    assert hours.value == pytest.approx(58.0) and hours.number_format == "#,##0.0"
    goals = {
        r[0].value: r[1].value for r in wb[t["sheet_goals"]].iter_rows(min_row=4) if r[0].value
    }
    assert goals[t["survey_mean"]] == pytest.approx(4.3) and goals[t["survey_responses"]] == 6
    budget = wb[t["sheet_budget"]].cell(row=4, column=2)
    assert budget.value == 985000 and budget.number_format == '#,##0" kr"'


@pytest.mark.parametrize("std", ["nb", "nn"])
def test_sheet_names_are_whole_words_within_excels_limit(std: str) -> None:
    t = REPORT[std]
    for key in t:
        if key.startswith("sheet_"):
            name = report_files.sheet_title(t[key])
            assert 0 < len(name) <= 31 and name == name.strip()
    with pytest.raises(ValueError, match="sheet name"):
        report_files.sheet_title("Tema innbyggerne ønsket (flere valg mulig)")


@pytest.mark.parametrize("std", ["nb", "nn"])
def test_chart_labels_do_not_overlap(std: str) -> None:
    f = report("4601", "2026", 2, [])
    t = REPORT[std]
    cols = [(t["quarter_short"].format(q=q, year=2026), f) for q in range(1, 5)]
    earlier = period_text(rd.parse_period("2025", TODAY), std)
    cols += [("2026", f), (f"{t['year_earlier']} ({earlier})", None)]
    fig, _ = report_files.trend(std, cols)
    assert report_files.overlapping_labels(fig) == []
    labels = {tp.key: tp.label(std) for tp in CENTRE.topics}
    assert report_files.overlapping_labels(report_files.chart(f, std, labels)) == []


def test_the_overlap_check_sees_the_old_labels() -> None:
    """The year report's six columns with the labels unwrapped, as before issue 22."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.0, 2.8), dpi=150)
    labels = [
        "1. kv. 2026",
        "2. kv. 2026",
        "3. kv. 2026",
        "4. kv. 2026",
        "2026",
        "Samme periode i fjor (året 2025)",
    ]
    ax.bar(range(6), [1] * 6)
    ax.set_xticks(range(6), labels, fontsize=8)
    fig.tight_layout()
    assert report_files.overlapping_labels(fig) != []
    plt.close(fig)
