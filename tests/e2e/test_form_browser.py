"""The form in a real browser (Debian's chromium via Playwright), in every language, with axe-core."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from scripts.stack import REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(os.environ.get("LINKFLYT_SCREENSHOTS", REPO / "var" / "screenshots"))
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


def assert_accessible(page: Page) -> None:
    result = Axe().run(page, options=WCAG_AA)
    violations = result.response["violations"]
    assert violations == [], result.generate_report()


def assert_laid_out(page: Page, lang: str) -> None:
    """Right to left for Arabic (the heading starts at the right edge), left to right otherwise;
    nothing wider than the phone's screen."""
    direction = "rtl" if lang == "ar" else "ltr"
    assert page.locator("html").get_attribute("dir") == direction
    assert page.evaluate("getComputedStyle(document.body).direction") == direction
    # where the heading's text (not its block) sits: against the right edge in Arabic
    gaps = page.evaluate(
        """() => { const h = document.querySelector('main h1'); const r = document.createRange();
        r.selectNodeContents(h); const t = r.getBoundingClientRect(), b = h.getBoundingClientRect();
        return [t.left - b.left, b.right - t.right]; }"""
    )
    near, far = (gaps[1], gaps[0]) if direction == "rtl" else (gaps[0], gaps[1])
    assert near < 2 and near <= far, (lang, gaps)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


ERROR_PREFIX = {
    "nb": "Feil: ",
    "nn": "Feil: ",
    "en": "Error: ",
    "uk": "Помилка: ",
    "pl": "Błąd: ",
    "ar": "خطأ: ",
    "so": "Khalad: ",
    "ti": "ጌጋ: ",
}


@pytest.mark.parametrize(
    ("lang", "thanks"),
    [
        ("nb", "Takk for påmeldingen"),
        ("nn", "Takk for påmeldinga"),
        ("en", "Thank you for signing up"),
        ("uk", "Дякуємо за заявку"),
        ("pl", "Dziękujemy za zgłoszenie"),
        ("ar", "شكرًا على تسجيلك"),
        ("so", "Waad ku mahadsan tahay diiwaangelinta"),
        ("ti", "ስለ ዝተመዝገብካ የቐንየልና"),
    ],
)
def test_fill_and_submit_in_each_language(
    stack: Any, browser: Browser, lang: str, thanks: str
) -> None:
    ctx = browser.new_context(
        viewport={"width": 390, "height": 844},
        extra_http_headers={"X-Forwarded-For": f"198.18.0.{ord(lang[1])}"},
    )
    page = ctx.new_page()
    page.goto(f"{stack.base_url}/intake?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    assert_laid_out(page, lang)
    # the picker offers all eight languages, each named in itself, the current one marked
    picker = page.get_by_role("navigation").get_by_role("link")
    assert picker.count() == 8
    assert page.locator(f'nav a[lang="{lang}"]').get_attribute("aria-current") == "page"
    assert_accessible(page)
    shot(page, f"form-{lang}")

    # Submit empty: the errors show beside their fields, listed in a summary, still accessible.
    page.get_by_role("button").click()
    page.wait_for_selector("#error-summary")
    assert page.locator(".summary li").count() >= 6
    # issue 22, the GOV.UK pattern: "Error: " in the title, focus on the summary (autofocus)
    assert page.title().startswith(ERROR_PREFIX[lang]), page.title()
    page.wait_for_function(
        "document.activeElement && document.activeElement.id === 'error-summary'"
    )
    assert page.locator("#err-name").is_visible()
    assert page.locator("#f-name").get_attribute("aria-invalid") == "true"
    assert "err-name" in (page.locator("#f-name").get_attribute("aria-describedby") or "")
    assert_accessible(page)
    shot(page, f"form-errors-{lang}")

    # Fill it in by label, as a person (or a screen reader) would find the fields.
    page.locator("#f-name").fill("Ingrid")
    page.locator("#f-email").fill(f"ingrid.{lang}@eksempel.no")
    page.locator("#f-municipality").select_option("4627")
    page.locator("#f-topics-relatives").check()
    page.locator("#f-formats-in_person").check()
    page.locator("#f-times-weekday_evening").check()
    page.locator("#f-consent").check()
    page.locator("#f-adult").check()
    page.get_by_role("button").click()
    page.wait_for_selector("#reference")
    assert thanks in page.content()
    assert page.locator("html").get_attribute("lang") == lang  # the language is kept
    assert_laid_out(page, lang)
    ref = page.locator("#reference").inner_text()
    assert ref.startswith("LF-")
    # post/redirect/get (issue 22): the browser is on a GET page, a reload shows the same reference
    assert "?thanks=" in page.url and "ingrid" not in page.url.lower()
    page.reload()
    assert page.locator("#reference").inner_text() == ref
    assert_accessible(page)
    shot(page, f"thanks-{lang}")
    ctx.close()


def test_form_works_by_keyboard(stack: Any, browser: Browser) -> None:
    page = browser.new_page()
    page.goto(f"{stack.base_url}/intake")
    page.keyboard.press("Tab")
    focused = []
    # the eight languages and the three urgent-help numbers (issue 22) come before the fields
    for _ in range(16):
        focused.append(
            page.evaluate(
                "document.activeElement.id || document.activeElement.getAttribute('href')"
                " || document.activeElement.tagName"
            )
        )
        page.keyboard.press("Tab")
    assert "f-name" in focused and "f-email" in focused and "f-municipality" in focused
    assert focused.index("tel:113") < focused.index("f-name")  # help first, by keyboard too
    assert "f-website" not in focused  # the honeypot is out of the tab order
    page.close()


def test_action_pages_are_accessible(stack: Any, browser: Browser, outbox: Path) -> None:
    import re

    import requests

    from tests.conftest import wait_for
    from tests.helpers.people import mails_to, person, text_part

    # a kind of group no other test forms, so confirming this pre-talk changes no other test's pool
    body = person(
        municipality="4630", topics=["young_adults"], formats=["digital"], times=["weekend"]
    )
    r = requests.post(
        f"{stack.base_url}/intake",
        json=body,
        headers={"X-Forwarded-For": "198.18.1.1"},
        timeout=30,
    )
    assert r.status_code == 201
    ref = r.json()["reference"]
    receipt = wait_for(lambda: mails_to(outbox, body["email"]))[0]
    url = re.search(r"http://\S+/actions\?t=\S+", text_part(receipt)).group(0)
    coordinator = wait_for(
        lambda: [
            m for m in mails_to(outbox, "koordinator@linkbergen.example") if ref in text_part(m)
        ]
    )[0]
    pretalk = re.search(r"http://\S+/actions\?t=\S+", text_part(coordinator)).group(0)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    for name, link in (("erase", url), ("confirm_pretalk", pretalk)):
        page.goto(link)
        assert page.locator("input[name=action]").get_attribute("value") == name
        assert_accessible(page)
        shot(page, f"action-{name}")
    page.get_by_role("button").click()  # confirm the pre-talk, as the coordinator would
    page.wait_for_selector("h1")
    assert_accessible(page)
    shot(page, "action-done")
    page.close()
