"""Issue 16 in a real browser on a phone-width screen (390 px), axe-core on every page: the group
card lists the members with their contacts and answers; recording that one left goes through a
confirmation page with a way back; "message the group" names the missing text as an error, then
sends one email to each member and the facilitator."""

from __future__ import annotations

import email
from typing import Any

from playwright.sync_api import Browser, Page

from tests.conftest import wait_for
from tests.e2e.test_form_browser import assert_accessible, browser, shot  # noqa: F401
from tests.helpers.console import sign_in
from tests.helpers.saga import captured
from tests.integration.test_lifecycle import confirmed

PHONE = {"viewport": {"width": 390, "height": 844}}


def check(page: Page, name: str) -> None:
    assert page.locator("html").get_attribute("lang") == "nb"
    assert_accessible(page)
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, f"{name}: {wide} px wide on a 390 px screen"
    shot(page, f"group-{name}")


def test_the_group_card_a_repair_with_its_confirmation_and_a_message(
    console_stack: Any,
    console_deps: Any,
    browser: Browser,  # noqa: F811
) -> None:
    base, outbox = console_stack.base_url, console_stack.outbox_dir
    d, q = captured(console_deps)
    gid, ids, _ = confirmed(d, q, municipality="4601", topic="young_adults")
    names = {i: d.store.get(f"people/{i}")["name"] for i in ids}
    mails = {i: d.store.get(f"people/{i}")["email"] for i in ids}

    session, _csrf = sign_in(base, outbox, "198.18.16.16")
    ctx = browser.new_context(**PHONE, extra_http_headers={"X-Forwarded-For": "198.18.16.16"})
    ctx.add_cookies(
        [
            {"name": c.name, "value": c.value or "", "url": base}
            for c in session.cookies
            if c.name == "linkflyt_console"
        ]
    )
    page = ctx.new_page()

    # -- the card: members with their contacts (only here) and their answers
    page.goto(f"{base}/console/groups/{gid}")
    for i in ids:
        assert page.get_by_text(names[i], exact=True).count() == 1
        assert page.get_by_text(mails[i]).count() == 1
    assert page.get_by_text("5 av 5 har sagt ja").count() == 1
    check(page, "card")

    # -- recording that one left: a confirmation page with a way back, then for real
    leaver = ids[1]
    row = page.locator("tr", has_text=names[leaver])
    row.get_by_role("link", name="Registrer at de har sluttet").click()
    page.wait_for_selector("h1:has-text('Er du sikker?')")
    assert page.get_by_text("Dette kan ikke angres.").count() == 1
    assert page.get_by_text(f"{names[leaver]} går ut av gruppen").count() == 1
    check(page, "confirm-remove")
    page.get_by_role("link", name="Nei, gå tilbake").click()
    page.wait_for_url(f"{base}/console/groups/{gid}")
    assert leaver in d.store.get(f"groups/{gid}")["members"]  # the way back changed nothing
    page.locator("tr", has_text=names[leaver]).get_by_role(
        "link", name="Registrer at de har sluttet"
    ).click()
    page.locator("#f-back").check()
    page.get_by_role("button", name="Ja, gjør det").click()
    page.wait_for_selector(".flash")
    assert leaver not in d.store.get(f"groups/{gid}")["members"]
    assert page.locator("tr", has_text=names[leaver]).count() == 0  # not a member any more
    assert page.locator("li", has_text=names[leaver]).count() == 1  # in the history
    inquiry = d.store.get(f"inquiries/{leaver}")
    assert inquiry["status"] in ("waiting", "proposed")
    check(page, "after-remove")

    # -- message the group: an empty message is named as the error, then one email each
    page.get_by_role("button", name="Send til gruppen").click()
    page.wait_for_selector(".summary")
    assert page.get_by_text("Skriv meldingen").count() >= 1
    check(page, "message-error")
    text = "Vi møtes i rom 2 på torsdag."
    page.locator("#f-text").fill(text)
    page.get_by_role("button", name="Send til gruppen").click()
    page.wait_for_selector(".flash:has-text('Meldingen er på vei til 5 personer.')")
    check(page, "message-sent")

    def sent() -> list[Any]:
        found = [email.message_from_bytes(p.read_bytes()) for p in outbox.glob("message-*.eml")]
        return [m for m in found if m["To"] in {*mails.values()} or "igangsett" in str(m["To"])]

    got = wait_for(lambda: (lambda m: m if len(m) >= 4 else None)(sent()), timeout=60)
    tos = [str(m["To"]) for m in got]
    assert mails[leaver] not in tos  # who left gets no more messages
    assert len(tos) == len(set(tos)) and all("," not in t for t in tos)
    ctx.close()
