"""What a resident is told about the centre (issue 22): from the centre file, in every language."""

from __future__ import annotations

import pytest

from shared.config import DEFAULT_CENTRE_FILE, load_centre
from shared.languages import LANGS
from workflows.messaging import centre_info

CENTRE = load_centre(DEFAULT_CENTRE_FILE)


@pytest.mark.parametrize("lang", LANGS)
def test_what_happens_next_names_when_and_from_which_number(lang: str) -> None:
    steps = [s.replace("\u00a0", " ") for s in centre_info.next_steps(CENTRE, lang)]
    assert len(steps) == 4
    assert str(CENTRE.contact.pretalk_within_days) in steps[0]
    assert CENTRE.centre.name in steps[0]
    assert CENTRE.contact.phone in steps[1]
    assert not any("{" in s for s in steps)


def test_a_centre_without_pre_talks_says_so() -> None:
    centre = CENTRE.model_copy(
        update={"centre": CENTRE.centre.model_copy(update={"require_pretalk": False})}
    )
    steps = centre_info.next_steps(centre, "nb")
    assert len(steps) == 3 and "venteliste" in steps[0] and "forsamtale" not in " ".join(steps)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", centre_info.STATEMENTS)
def test_the_statements_carry_the_centres_own_facts(lang: str, page: str) -> None:
    title, sections = centre_info.statement(CENTRE, lang, page)
    text = " ".join(t for _, t in sections).replace("\u00a0", " ")
    assert title and CENTRE.contact.email in text and CENTRE.contact.phone in text
    assert not any("{" in t for _, t in sections)
    if page == "privacy":
        assert str(CENTRE.retention.unplaced_days) in text
        assert str(CENTRE.retention.placed_days_after_facilitation) in text
        assert "datatilsynet.no" in text
    else:
        assert f"{CENTRE.contact.accessibility_reviewed:%d.%m.%Y}" in text
        assert "uutilsynet.no" in text


def test_the_footer_links_work_from_any_page() -> None:
    block = centre_info.contact(CENTRE, "nn", "https://x.example/lf-intake/")
    assert block.privacy_url == "https://x.example/lf-intake/intake?page=privacy&lang=nn"
    assert block.tel == "+4755000000" and block.hours == "kvardagar 10:00–14:00"


@pytest.mark.parametrize("lang", LANGS)
def test_urgent_help_in_every_language(lang: str) -> None:
    numbers = centre_info.urgent_help(lang)
    assert [tel for _, tel, _ in numbers] == ["113", "116117", "116123"]
    assert all(what for _, _, what in numbers)
