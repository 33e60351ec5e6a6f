"""Issue 10: a report asked for before its period ends is preliminary, and freezes nothing.
Issue 18: it goes to the centre's coordinators only; counts are kept by the centre's local month,
and a period is final only once its last counts have landed, so a frozen report always equals
its counters."""

from __future__ import annotations

import email
import subprocess
from datetime import UTC, date, datetime
from email import policy
from pathlib import Path
from typing import Any

import pytest
import requests

from shared.domain.reports import PeriodError, parse_period
from tests.integration.test_lifecycle import world  # noqa: F401
from workflows import intake
from workflows.reporting import report
from workflows.reporting.audit import frozen_drift


def pages_text(pdf: bytes, tmp: Path) -> list[str]:
    path = tmp / "r.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    n = int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])
    return [
        subprocess.run(
            ["pdftotext", "-f", str(i), "-l", str(i), "-layout", str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for i in range(1, n + 1)
    ]


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated (to read the structure tree's keys)."""
    import re
    import zlib

    out = [pdf]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    return b"\n".join(out)


def assert_tagged(pdf: bytes, tmp: Path, std: str) -> None:
    """Issue 10: a tagged PDF with tables of header cells, a language, alternative text for the
    charts, and text that reads in order."""
    path = tmp / "tagged.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Tagged:          yes" in info.stdout
    tree = subprocess.run(
        ["pdfinfo", "-struct", str(path)], capture_output=True, text=True, check=True
    ).stdout
    for tag in ("Document", "H1", "H2", "Table", "THead", "TH", "TD", "/Headers", "Figure"):
        assert tag in tree, tag
    raw = pdf_objects(pdf)
    assert b"/StructTreeRoot" in raw and b"/Alt" in raw
    assert f"/Lang ({std})".encode() in raw or b"/Lang" in raw
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    order = ["Rapport til", "kvartal for kvartal", "Aktivitet i perioden", "Sum", "forklaring"]
    places = [text.find(x) for x in order]
    assert all(p >= 0 for p in places) and places == sorted(places), places


def mails(outbox: Path, prefix: str) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(p.read_bytes(), policy=policy.default)  # type: ignore[misc]
        for p in sorted(outbox.glob(f"{prefix}*.eml"))
    ]


def test_period_end() -> None:
    today = date(2027, 3, 31)
    assert parse_period("2027-Q1", today).end == date(2027, 3, 31)
    assert not parse_period("2027-Q1", today).ended(today)
    assert parse_period("2026-Q4", today).ended(today)
    assert parse_period("2026", today).end == date(2026, 12, 31)


def test_a_preliminary_report_is_marked_and_the_real_one_follows(
    world: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    d, _q, clock = world
    outbox = tmp_path / "outbox"  # the world fixture's outbox
    with pytest.raises(PeriodError, match="2027-Q1 has not ended"):
        report.run(d, "2027-Q1")
    out = report.run(d, "2027-Q1", preliminary=True)
    assert out and all(r["preliminary"] for r in out)
    prelim = mails(outbox, "report-preliminary-2027-Q1-")
    assert len(prelim) == sum(r["recipients"] for r in out) > 0
    # issue 18: for the centre's own planning, never to a municipality's (journaled) address
    coordinators = {c.email for c in d.centre.coordinators}
    public = {r.email for r in d.centre.report_recipients}
    assert len(prelim) == len(coordinators) * len(d.centre.municipalities)
    assert {str(m["To"]) for m in prelim} <= coordinators and not {
        str(m["To"]) for m in prelim
    } & public
    assert all(r["to"] == "coordinators" for r in out)
    for msg in prelim:
        assert "for senteret, ikk" in msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        subject = str(msg["Subject"])
        assert subject.startswith(("Foreløpig:", "Førebels:")), subject
        (pdf,) = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
        assert "forel" in pdf.get_filename().lower() or "førebels" in pdf.get_filename().lower()
        for text in pages_text(pdf.get_content(), tmp_path):  # marked on every page
            assert "FORELØPIG" in text or "FØREBELS" in text
    assert d.store.query("reports") == []  # nothing frozen

    # the scheduled run after the quarter builds the real report, once
    clock.t = datetime(2027, 4, 5, 5, 0, tzinfo=UTC)
    real = report.run(d, "previous-quarter")
    assert not any(r["preliminary"] for r in real)
    assert len(d.store.query("reports")) == len(d.centre.municipalities)
    final = mails(outbox, "report-2027-Q1-")
    assert len(final) == len(d.centre.report_recipients)
    assert {str(m["To"]) for m in final} == public
    # the operator's audit of what was sent: 7 frozen reports, nothing disclosed
    from workflows.reporting.audit import audit_year

    audited = audit_year(d, 2027)
    assert audited["reports"] == len(d.centre.municipalities) and audited["disclosures"] == []
    assert audited["figures"] > 0
    vaksdal = next(m for m in final if "Vaksdal" in str(m["Subject"]))
    (doc,) = [p for p in vaksdal.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert_tagged(doc.get_content(), tmp_path, "nn")
    for msg in final:
        (pdf,) = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
        assert not any(
            "FORELØPIG" in t or "FØREBELS" in t for t in pages_text(pdf.get_content(), tmp_path)
        )


def test_the_endpoint_names_the_period_that_has_not_ended(stack: Any) -> None:
    current = f"{date.today().year}-Q{(date.today().month - 1) // 3 + 1}"
    r = requests.post(f"{stack.base_url}/report", json={"period": current}, timeout=60)
    assert r.status_code == 422
    (err,) = r.json()["errors"]
    assert err["field"] == "period" and current in err["message"]
    bad = requests.post(
        f"{stack.base_url}/report", json={"period": current, "preliminary": "yes"}, timeout=60
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "preliminary"
    ok = requests.post(
        f"{stack.base_url}/report", json={"period": current, "preliminary": True}, timeout=120
    )
    assert ok.status_code == 200
    assert all(x["preliminary"] for x in ok.json()["reports"])


def resident(n: int) -> dict[str, Any]:
    return {
        "name": f"Vaksdalperson{n}",
        "email": f"vaksdal.midnatt{n}@eksempel.no",
        "municipality": "4628",
        "topics": ["relatives"],
        "formats": ["in_person"],
        "times": ["weekday_evening"],
        "heard_from": "nav",
        "consent": True,
        "adult": True,
    }


def test_counts_are_kept_by_the_local_month_and_a_frozen_quarter_keeps_equal_to_them(
    world: Any,  # noqa: F811
) -> None:
    """Issue 18: 22:30 UTC on 31 March is 00:30 on 1 April in Oslo (summer time). Counted by
    the UTC month, that inquiry went into Q1 after its local end, and a report built just after
    midnight froze a quarter that still received counts."""
    d, _q, clock = world

    def inquiries(month: str) -> int:
        return int((d.store.get(f"stats/{month}_4628") or {}).get("inquiries", 0))

    clock.t = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 January
    assert isinstance(intake.submit(d, resident(0), "nn"), intake.Accepted)
    assert (inquiries("2026-12"), inquiries("2027-01")) == (0, 1)

    clock.t = datetime(2027, 3, 31, 21, 50, tzinfo=UTC)  # 23:50 on 31 March
    assert isinstance(intake.submit(d, resident(1), "nn"), intake.Accepted)
    clock.t = datetime(2027, 3, 31, 22, 5, tzinfo=UTC)  # 00:05: steps begun at 23:59 may be running
    with pytest.raises(PeriodError, match="ended at midnight"):
        report.run(d, "2027-Q1")
    assert isinstance(intake.submit(d, resident(2), "nn"), intake.Accepted)
    assert (inquiries("2027-03"), inquiries("2027-04")) == (1, 1)

    clock.t = datetime(2027, 3, 31, 22, 20, tzinfo=UTC)  # 00:20: the quarter is final
    report.run(d, "2027-Q1")
    frozen = d.store.get("reports/2027-Q1_4628")
    assert frozen is not None and frozen["counts"]
    assert frozen_drift(d, 2027) == []
    clock.t = datetime(2027, 3, 31, 22, 40, tzinfo=UTC)
    assert isinstance(intake.submit(d, resident(3), "nn"), intake.Accepted)
    assert (inquiries("2027-03"), inquiries("2027-04")) == (1, 2)
    assert frozen_drift(d, 2027) == []  # the invariant the simulated year checks every day

    # and the check sees a count that lands in a frozen month (here written by hand)
    d.store.set("stats/2027-02_4628", {"inquiries": 1, "heard_from": {"nav": 1}}, merge=True)
    assert frozen_drift(d, 2027) == [
        "reports/2027-Q1_4628|Q1|heard|nav",
        "reports/2027-Q1_4628|Q1|inquiries",
    ]
