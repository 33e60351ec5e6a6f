"""Issue 19: `make dpia` renders the data protection impact assessment from the registry, in
bokmål, as HTML and a tagged PDF; whatever the registry classifies appears in it."""

from __future__ import annotations

import html
import subprocess
from datetime import date
from pathlib import Path

import pytest

from scripts import dpia
from scripts.stack import REPO
from shared import dpia_text, registry
from shared.config import load_centre

CENTRE = REPO / "config" / "centres" / "link-bergen.toml"


@pytest.fixture(scope="module")
def page() -> str:
    ctx = dpia.context(load_centre(CENTRE), date(2027, 3, 1), "abc1234")
    return html.unescape(dpia.render_html(ctx))


def test_the_assessment_has_datatilsynets_parts_in_bokmal(page: str) -> None:
    assert '<html lang="nb">' in page
    for heading in (
        "Hvorfor en vurdering er nødvendig",
        "Systematisk beskrivelse av behandlingen",
        "Formål",
        "Dataflyt",
        "Databehandlere og overføringer",
        "Lagringstid",
        "Nødvendighet og forholdsmessighet",
        "Behandlingsgrunnlag",
        "De registrertes rettigheter",
        "Risiko for de registrertes rettigheter og friheter",
        "Personvernombudets råd",
        "Forhåndsdrøftelse med Datatilsynet",
    ):
        assert heading in page, heading
    assert "LINK Bergen og omegn" in page and "Vaksdal (4628)" in page
    assert "01.03.2027" in page and "abc1234" in page


def test_everything_the_registry_holds_is_in_it(page: str) -> None:
    for c in registry.COLLECTIONS:
        assert f"<code>{c.name}/</code>" in page, c.name
        for f in c.fields:
            assert f"<code>{f.name}</code>" in page, f"{c.name}.{f.name}"
    for p in dpia_text.SUBPROCESSORS:
        assert p.name in page
    for r in dpia_text.RISKS:
        assert r.title in page
    # the figures come from the centre file and the registry, not from the template
    assert "365 dager" in page and "90 dager" in page
    assert f"høyst {registry.longest_backup_days() // 7} uker" in page
    assert "{" not in page.split("<body>")[1]  # no placeholder left unfilled


def test_the_alerts_it_lists_are_infras(page: str) -> None:
    subjects = dpia.alerts()
    assert len(subjects) >= 10
    assert "En oppgave ble gitt opp" in subjects
    for s in subjects:
        assert html.unescape(s) in page


def test_make_dpia_writes_html_and_a_tagged_pdf(tmp_path: Path) -> None:
    html_path, pdf_path = dpia.write(tmp_path, load_centre(CENTRE), date(2027, 3, 1))
    assert html_path.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert pdf_path.read_bytes().startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, text=True, check=True)
    assert "Tagged:          yes" in info.stdout
    assert "Vurdering av personvernkonsekvenser" in info.stdout  # the title
