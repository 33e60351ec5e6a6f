"""The focus indicator (issue 22, WCAG 1.4.11: 3:1 against what it sits on), measured from the
computed style in a real browser on the form (also with its errors), the thank-you page and the
console's pages; and proven to catch the old amber ring (1.92:1 on the page background)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.test_form_browser import browser  # noqa: F401
from tests.helpers.console import sign_in
from tests.helpers.focus import contrast, hex_rgb, weak_rings

OLD_AMBER = "#f2a900"


def test_the_contrast_arithmetic() -> None:
    assert round(contrast(hex_rgb(OLD_AMBER), hex_rgb("#fafaf7")), 2) == 1.92
    assert round(contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 1) == 21.0


def fill_form(page: Page) -> None:
    page.locator("#f-name").fill("Eli")
    page.locator("#f-email").fill("eli.focus@eksempel.no")
    page.locator("#f-municipality").select_option("4627")
    page.locator("#f-topics-relatives").check()
    page.locator("#f-formats-in_person").check()
    page.locator("#f-times-weekday_evening").check()
    page.locator("#f-consent").check()
    page.locator("#f-adult").check()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_focus_ring_on_the_form_and_the_thank_you_page(
    stack: Any,
    browser: Browser,  # noqa: F811
    width: int,
) -> None:
    ctx = browser.new_context(
        viewport={"width": width, "height": 900},
        extra_http_headers={"X-Forwarded-For": f"198.18.3.{width % 250}"},
    )
    page = ctx.new_page()
    page.goto(f"{stack.base_url}/intake")
    assert weak_rings(page) == []
    page.locator("form button[type=submit]").click()
    page.wait_for_selector("#error-summary")
    assert weak_rings(page) == []  # the error summary and its links sit on white
    fill_form(page)
    page.locator("form button[type=submit]").click()
    page.wait_for_selector("#reference")
    assert weak_rings(page) == []  # the thank-you page's links (urgent help, footer)
    ctx.close()


def test_the_check_catches_the_old_amber_ring(stack: Any, browser: Browser) -> None:  # noqa: F811
    page = browser.new_page()
    page.goto(f"{stack.base_url}/intake")
    page.add_style_tag(content=f"*:focus {{ outline-color: {OLD_AMBER} !important; }}")
    weak = weak_rings(page)
    assert any("f-name" in w and "1.92:1" in w for w in weak), weak
    page.close()


def test_the_focus_ring_in_the_console(
    console_stack: Any,
    browser: Browser,  # noqa: F811
) -> None:
    base = console_stack.base_url
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    page.goto(f"{base}/console")  # the sign-in page
    assert weak_rings(page) == []
    session, _ = sign_in(base, console_stack.outbox_dir, "198.18.3.99")
    ctx.add_cookies(
        [
            {"name": c.name, "value": c.value or "", "url": f"{base}/console"}
            for c in session.cookies
        ]
    )
    for path in (
        "",
        "/pretalk",
        "/pool",
        "/groups",
        "/facilitators",
        "/facilitators/new",
        "/venues/new",
        "/find",
        "/audit",
    ):
        page.goto(f"{base}/console{path}")
        assert page.locator("form[action$='/login']").count() == 0, f"signed out on {path}"
        assert weak_rings(page) == [], path
    ctx.close()
