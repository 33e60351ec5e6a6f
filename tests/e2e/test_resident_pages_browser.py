"""Issue 22 in a real browser: the thank-you page says what happens next, who calls and from which
number, where to get urgent help, and how to reach the centre; the privacy and accessibility
statements exist in every residents' language. axe-core at 390 and 1280 px, screenshots kept."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from shared.config import get_centre
from shared.languages import LANGS
from tests.e2e.test_focus_browser import fill_form
from tests.e2e.test_form_browser import assert_accessible, assert_laid_out, browser, shot  # noqa: F401
from tests.helpers.focus import weak_rings

URGENT = {"tel:113", "tel:116117", "tel:116123"}


def tel_links(page: Page) -> set[str]:
    return set(
        page.eval_on_selector_all("a[href^='tel:']", "els => els.map(e => e.getAttribute('href'))")
    )


def assert_footer(page: Page, lang: str) -> None:
    contact = get_centre().contact
    footer = page.locator("footer")
    assert contact.phone in footer.inner_text() and contact.email in footer.inner_text()
    assert footer.locator(f"a[href='tel:{contact.tel}']").count() == 1
    for which in ("privacy", "accessibility"):
        href = footer.locator(f"a[href*='page={which}']").get_attribute("href") or ""
        assert f"lang={lang}" in href


@pytest.mark.parametrize("width", [390, 1280])
def test_the_thank_you_page_says_what_happens_next(
    stack: Any,
    browser: Browser,  # noqa: F811
    width: int,
) -> None:
    ctx = browser.new_context(
        viewport={"width": width, "height": 900},
        extra_http_headers={"X-Forwarded-For": f"198.18.4.{width % 250}"},
    )
    page = ctx.new_page()
    page.goto(f"{stack.base_url}/intake?lang=nb")
    assert tel_links(page) >= URGENT  # the form says where to get help now
    assert page.locator("aside.urgent h2").inner_text() == "Trenger du hjelp nå?"
    fill_form(page)
    page.locator("form button[type=submit]").click()
    page.wait_for_selector("#reference")
    steps = [s.replace("\u00a0", " ") for s in page.locator(".next li").all_inner_texts()]
    contact = get_centre().contact
    assert len(steps) == 4
    assert f"Innen {contact.pretalk_within_days} dager" in steps[0] and "koordinator" in steps[0]
    assert contact.phone in steps[1]  # from which number the call comes
    assert tel_links(page) >= URGENT
    assert_footer(page, "nb")
    assert_laid_out(page, "nb")
    assert_accessible(page)
    assert weak_rings(page) == []
    shot(page, f"thanks-nb-{width}")
    ctx.close()


@pytest.mark.parametrize("lang", LANGS)
def test_the_statements_in_every_residents_language(
    stack: Any,
    browser: Browser,  # noqa: F811
    lang: str,
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    titles = []
    for which in ("privacy", "accessibility"):
        page.goto(f"{stack.base_url}/intake?page={which}&lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("main h2").count() >= 3
        titles.append(page.locator("h1").inner_text())
        assert_footer(page, lang)
        assert_laid_out(page, lang)
        assert_accessible(page)
        if lang in ("nb", "ar"):
            shot(page, f"statement-{which}-{lang}")
    assert len(set(titles)) == 2
    page.close()


def test_the_statements_are_linked_from_an_action_page(stack: Any, browser: Browser) -> None:  # noqa: F811
    """The footer's links are absolute, so they work behind an email link (/actions) too."""
    page = browser.new_page()
    page.goto(f"{stack.base_url}/actions?t=broken")
    page.locator("footer a[href*='page=privacy']").click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() in ("Personvernerklæring", "Privacy statement")
    assert "page=privacy" in page.url
    page.close()
