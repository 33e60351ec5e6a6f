"""Issue 22 in a real browser at 390 and 1280 px, axe-core on every page: the pre-talk list, one
person's page (tap to call and write), the erase confirmation with its way back, the group list
with its members, and the close confirmation. Screenshots: var/screenshots/people-*.png."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Page

from tests.conftest import wait_for
from tests.e2e.test_form_browser import assert_accessible, browser, shot  # noqa: F401
from tests.helpers.console import sign_in
from tests.helpers.people import person
from tests.helpers.saga import captured
from tests.integration.test_lifecycle import confirmed
from workflows.intake import inquiry_by_reference


def check(page: Page, name: str, width: int) -> None:
    assert page.locator("html").get_attribute("lang") == "nb"
    assert_accessible(page)
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"{name}: {wide} px wide on a {width} px screen"
    shot(page, f"people-{name}-{width}")


@pytest.mark.parametrize("width", [390, 1280])
def test_pretalk_list_a_persons_page_and_the_confirmations(
    console_stack: Any,
    console_deps: Any,
    browser: Browser,  # noqa: F811
    width: int,
) -> None:
    base, outbox, store = console_stack.base_url, console_stack.outbox_dir, console_deps.store
    client = f"198.18.22.{width % 250}"
    body = person(
        name=f"Kari Nordmann {width}",
        phone="41234567",
        languages=["ar", "no"],
        message="Ring meg helst etter klokka 17.",
    )
    r = requests.post(f"{base}/intake", json=body, headers={"X-Forwarded-For": client}, timeout=30)
    assert r.status_code == 201, r.text
    iid = wait_for(lambda: inquiry_by_reference(store, r.json()["reference"]))
    wait_for(lambda: store.get(f"inquiries/{iid}")["status"] == "awaiting_pretalk")

    session, _csrf = sign_in(base, outbox, client)
    ctx = browser.new_context(
        viewport={"width": width, "height": 900}, extra_http_headers={"X-Forwarded-For": client}
    )
    ctx.add_cookies(
        [
            {"name": c.name, "value": c.value or "", "url": base}
            for c in session.cookies
            if c.name == "linkflyt_console"
        ]
    )
    page = ctx.new_page()

    # -- the list: by name, languages by name, no contacts
    page.goto(f"{base}/console/pretalk")
    row = page.locator("tr", has_text=body["name"])
    assert "arabisk, norsk" in row.inner_text()
    assert body["email"] not in page.content() and body["message"] not in page.content()
    check(page, "pretalk-list", width)

    # -- one person's page: tap to call, tap to write
    row.get_by_role("link", name=body["name"]).click()
    page.wait_for_url(f"{base}/console/pretalk/{iid}")
    assert page.locator('a[href="tel:+4741234567"]').count() == 1
    assert page.locator(f'a[href="mailto:{body["email"]}"]').count() == 1
    assert body["message"] in page.inner_text("main")
    check(page, "pretalk-person", width)

    # -- erase asks first, and its Back link goes back to the person, changing nothing
    page.get_by_role("link", name="Slett personen").click()
    page.wait_for_selector(f"h1:has-text('Slette {body['name']}?')")
    assert page.get_by_text("Dette kan ikke angres.").count() == 1
    check(page, "erase-confirm", width)
    page.locator("form").get_by_role("link", name="Tilbake").click()
    page.wait_for_url(f"{base}/console/pretalk/{iid}")
    assert store.get(f"people/{iid}") is not None
    page.get_by_role("link", name="Slett personen").click()
    page.get_by_role("button", name="Ja, slett").click()
    page.wait_for_selector(".flash:has-text('Personen er slettet')")
    assert page.url == f"{base}/console/pretalk"
    assert store.get(f"people/{iid}") is None

    # -- a running group: its members on the list, and closing it asks first
    d, q = captured(console_deps)
    gid, ids, _ = confirmed(d, q, municipality="4601", topic="general")
    names = [d.store.get(f"people/{m}")["name"] for m in ids]
    page.goto(f"{base}/console/groups")
    card = page.locator(f"section:has(h2#g-{gid})")
    assert all(n in card.inner_text() for n in names)
    card.get_by_role("link", name="Avslutt gruppen").click()
    page.wait_for_selector("h1:has-text('Avslutte denne gruppen?')")
    assert all(page.get_by_text(n, exact=True).count() == 1 for n in names)
    check(page, "close-confirm", width)
    page.get_by_role("button", name="Ja, avslutt gruppen").click()
    page.wait_for_selector(".flash:has-text('Lagret: ')")
    assert store.get(f"groups/{gid}")["status"] == "closed"
    ctx.close()
