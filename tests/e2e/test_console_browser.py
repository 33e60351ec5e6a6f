"""Issue 9: a coordinator runs the centre from the console in a real browser (Debian's chromium
through Playwright), on a phone-width screen, with axe-core checking WCAG 2.1 AA on every page.

The story: sign in through the emailed link; record pre-talks for five Polish speakers in Osterøy;
see in the pool that a room and a facilitator are short; close the old room and add a new one,
add two facilitators; approve the group the next assembly proposes in the new room; with the
facilitator who would be asked first marked away, the offer goes to the other; erase a person who
gave only a phone number; sign out.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import requests
from playwright.sync_api import Browser, Page

from tests.conftest import wait_for
from tests.e2e.test_form_browser import assert_accessible, browser, shot  # noqa: F401
from tests.helpers.console import COORDINATOR, login_links
from tests.helpers.people import person
from workflows.intake import inquiry_by_reference

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "extra_http_headers": {"X-Forwarded-For": "198.18.7.7"},
}


def check(page: Page, name: str) -> None:
    assert page.locator("html").get_attribute("lang") == "nb"
    assert_accessible(page)
    shot(page, f"console-{name}")


def add_facilitator(page: Page, base: str, name: str, email: str) -> None:
    page.goto(f"{base}/console/facilitators/new")
    page.locator("#f-name").fill(name)
    page.locator("#f-email").fill(email)
    page.locator("#municipalities-4630").check()
    for s in ("mon_evening", "tue_evening", "wed_evening", "thu_evening"):
        page.locator(f"#slots-{s}").check()
    page.locator("#f-languages").fill("pl, no")
    page.locator("#topics-general").check()
    page.locator("#f-max_groups").fill("2")
    page.locator("#f-course_completed").fill("2026-09-15")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_selector(".flash")


def test_a_coordinator_runs_the_centre_from_the_console(
    console_stack: Any,
    console_deps: Any,
    browser: Browser,  # noqa: F811
) -> None:
    base, outbox, store = console_stack.base_url, console_stack.outbox_dir, console_deps.store
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()

    # -- sign in through the emailed link
    page.goto(f"{base}/console")
    check(page, "signin")
    before = set(login_links(outbox))
    page.locator("#f-email").fill(COORDINATOR)
    page.get_by_role("button", name="Send meg en lenke").click()
    page.wait_for_selector("h1:has-text('Sjekk e-posten din')")
    check(page, "signin-sent")
    link = wait_for(lambda: [x for x in login_links(outbox) if x not in before])[-1]
    page.goto(link)
    check(page, "login-button")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"{base}/console")
    cookie = next(c for c in ctx.cookies() if c["name"] == "linkflyt_console")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    check(page, "overview")

    # -- five people ask for a Polish-speaking group in Osterøy, and one gives only a phone
    people = [
        person(
            municipality="4630",
            languages=["pl"],
            topics=["general"],
            formats=["in_person"],
            times=["weekday_evening"],
            message=f"Jestem sama {i}",
        )
        for i in range(5)
    ]
    refs = []
    for i, body in enumerate(people):
        r = requests.post(
            f"{base}/intake",
            json=body,
            headers={"X-Forwarded-For": f"198.18.8.{i + 1}"},
            timeout=30,
        )
        assert r.status_code == 201
        refs.append(r.json()["reference"])
    ids = [inquiry_by_reference(store, ref) for ref in refs]
    wait_for(lambda: all(store.get(f"inquiries/{i}")["status"] == "awaiting_pretalk" for i in ids))

    # -- close Osterøy's only room first: the pool will say a room is short
    page.goto(f"{base}/console/venues")
    check(page, "venues")
    for vid in [vid for vid, v in store.query("venues") if v["municipality"] == "4630"]:
        page.locator(f"section:has(h2#v-{vid}) button:has-text('Sett som ikke aktiv')").click()
        page.wait_for_selector(".flash")
    old_rooms = [v for _, v in store.query("venues") if v["municipality"] == "4630"]
    assert old_rooms and all(v.get("active") is False for v in old_rooms)

    # -- the pre-talks (issue 22): a list by name, then one page per person with their contacts
    # and message (here and only here); the flash names whom the pre-talk was recorded for
    page.goto(f"{base}/console/pretalk")
    for body in people:
        row = page.locator("tr", has_text=body["name"])
        assert "polsk" in row.inner_text() and body["message"] not in row.inner_text()
    check(page, "pretalk")
    for body, iid in zip(people, ids, strict=True):
        page.get_by_role("link", name=body["name"], exact=True).click()
        page.wait_for_url(f"{base}/console/pretalk/{iid}")
        assert body["message"] in page.inner_text("main")
        assert page.locator(f'a[href="mailto:{body["email"]}"]').count() == 1
        page.get_by_role("button", name="Registrer forsamtale").click()
        page.wait_for_selector(f".flash:has-text('{body['name']}')")
        assert store.get(f"inquiries/{iid}")["status"] == "waiting"

    # -- the pool says why there is no group: no room, no facilitator
    page.goto(f"{base}/console/pool")
    row = page.locator(f"tr:has-text('{refs[0]}')")
    assert "lokale" in row.inner_text() and "igangsetter" in row.inner_text()
    check(page, "pool")

    # -- a room the municipality lends, then two facilitators
    page.goto(f"{base}/console/venues/new")
    page.get_by_role("button", name="Lagre").click()  # empty: errors beside their fields
    page.wait_for_selector(".summary")
    assert page.locator("#f-name").get_attribute("aria-invalid") == "true"
    check(page, "venue-errors")
    page.locator("#f-name").fill("Osterøy bibliotek, møterom")
    page.locator("#f-municipality").select_option("4630")
    page.locator("#f-capacity").fill("9")
    # where to meet (issue 16): a wrong postcode is named beside its field, then corrected
    page.locator("#f-street").fill("Lonevågvegen 20")
    page.locator("#f-postcode").fill("528")
    page.locator("#f-post_place").fill("Lonevåg")
    page.locator("#f-room").fill("Vesle salen")
    page.locator("#f-entry").fill("Ring på klokka merkt LINK")
    page.locator("#f-lat").fill("60.527")
    page.locator("#f-lon").fill("5.496")
    page.locator("#f-accessible").check()
    for s in ("mon_evening", "tue_evening", "wed_evening", "thu_evening"):
        page.locator(f"#slots-{s}").check()
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_selector(".summary")
    assert page.locator("#f-postcode").get_attribute("aria-invalid") == "true"
    assert "fire sifrene" in page.locator("#postcode-error").inner_text()
    assert page.locator("#f-street").input_value() == "Lonevågvegen 20"  # what was typed is kept
    check(page, "venue-address-error")
    page.locator("#f-postcode").fill("5282")
    for s in ("mon_evening", "tue_evening", "wed_evening", "thu_evening"):
        page.locator(f"#slots-{s}").check()
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_selector(".flash")
    room = next(
        vid for vid, v in store.query("venues") if v.get("name") == "Osterøy bibliotek, møterom"
    )
    saved = store.get(f"venues/{room}")
    assert (saved["street"], saved["postcode"], saved["lat"]) == ("Lonevågvegen 20", "5282", 60.527)
    page.goto(f"{base}/console/pool")
    assert "lokale" not in page.locator(f"tr:has-text('{refs[0]}')").inner_text()

    add_facilitator(page, base, "Piotr", "piotr@frivillig.example")
    check(page, "facilitators")
    add_facilitator(page, base, "Paulina", "paulina@frivillig.example")
    new = sorted(
        fid for fid, f in store.query("facilitators") if f.get("name") in ("Piotr", "Paulina")
    )
    assert len(new) == 2
    page.goto(f"{base}/console/facilitators/{new[0]}")
    check(page, "facilitator-form")

    # -- the next assembly proposes the group in the new room
    def proposal() -> str | None:
        for gid, g in store.query("groups"):
            if set(ids) <= set(g.get("members", {})) and g["status"] == "awaiting_approval":
                return gid
        return None

    gid = wait_for(proposal, timeout=40)
    assert store.get(f"groups/{gid}")["venue_id"] == room

    # -- the one who would be asked first (same load and travel: the lower id) is away now
    first, other = new
    page.goto(f"{base}/console/facilitators/{first}")
    today = date.today()
    page.locator("#f-away").fill(f"{today} – {today + timedelta(days=120)}")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_selector(".flash")
    assert store.get(f"facilitators/{first}")["away"][0]["from"] == str(today)

    page.goto(f"{base}/console/groups")
    check(page, "groups")
    page.locator(f"section:has(h2#g-{gid}) button:has-text('Godkjenn')").click()
    page.wait_for_selector(".flash")

    def offered() -> str | None:
        g = store.get(f"groups/{gid}")
        return g["offer"]["facilitator_id"] if g.get("status") == "offered" else None

    assert wait_for(offered, timeout=40) == other

    # -- erase a person who gave only a phone number, found by their reference
    phone_only = {**person(municipality="4630"), "phone": "45 67 89 01"}
    del phone_only["email"]
    r = requests.post(
        f"{base}/intake", json=phone_only, headers={"X-Forwarded-For": "198.18.8.50"}, timeout=30
    )
    assert r.status_code == 201, r.text
    ref = r.json()["reference"]
    iid = inquiry_by_reference(store, ref)
    page.goto(f"{base}/console/find")
    page.locator("#f-reference").fill(ref.lower())
    page.get_by_role("button", name="Finn").click()
    page.wait_for_selector("#hit")
    assert "+4745678901" in page.locator("#hit").locator("..").inner_text()
    check(page, "find")
    page.get_by_role("link", name="Slett personen").click()  # issue 22: it asks first
    page.wait_for_selector("h1:has-text('Slette')")
    page.get_by_role("button", name="Ja, slett").click()
    page.wait_for_selector(".flash")
    assert store.get(f"people/{iid}") is None
    assert store.get(f"inquiries/{iid}")["status"] == "erased"
    assert inquiry_by_reference(store, ref) is None

    page.goto(f"{base}/console/audit")
    assert "slettet en person" in page.inner_text("main") and "+4745678901" not in page.content()
    check(page, "audit")

    # -- the facilitator's own page, from the personal link the console sends
    page.goto(f"{base}/console/facilitators")
    before_links = set(outbox.glob("self-link-*.eml"))
    page.locator(f"section:has(h2#f-{other}) button:has-text('Send personlig lenke')").click()
    page.wait_for_selector(".flash")
    mail = wait_for(lambda: set(outbox.glob("self-link-*.eml")) - before_links).pop()
    import email as email_lib
    import re
    from email import policy

    msg = email_lib.message_from_bytes(mail.read_bytes(), policy=policy.default)
    own = re.search(r"http://\S+/console/self\?t=[\w-]+", msg.get_body(("plain",)).get_content())
    assert own
    fpage = browser.new_page(viewport={"width": 390, "height": 844})
    fpage.goto(own.group(0))
    assert "Paulina" in fpage.inner_text("h1") or "Piotr" in fpage.inner_text("h1")
    check(fpage, "facilitator-self")
    fpage.close()

    # -- the other languages are there too
    page.goto(f"{base}/console?lang=nn")
    assert page.locator("html").get_attribute("lang") == "nn"
    page.goto(f"{base}/console?lang=en")
    assert page.locator("h1").inner_text() == "Overview"
    page.goto(f"{base}/console?lang=nb")

    # -- sign out: back to the sign-in page, and the old cookie opens nothing
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_selector("h1:has-text('Du er logget ut')")
    check(page, "signed-out")
    page.goto(f"{base}/console/pretalk")
    assert page.locator("#f-email").count() == 1
    ctx.close()
