"""Issue 17: a coordinator imports the centre's waiting list from a spreadsheet in a real browser
(chromium through Playwright) on a phone-width screen (390 px), axe-core checking WCAG 2.1 AA on the
upload page, the dry run and the result; the settings page too. Screenshots:
var/screenshots/console-import-*.png, console-settings*.png.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Browser

from tests.conftest import wait_for
from tests.e2e.test_console_browser import PHONE, check
from tests.e2e.test_form_browser import browser, shot  # noqa: F401
from tests.helpers.console import COORDINATOR, login_links
from tests.integration.test_import import HEAD, people_rows, xlsx


def test_the_dry_run_and_the_import_on_a_phone(
    console_stack: Any,
    console_deps: Any,
    browser: Browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    base, outbox, store = console_stack.base_url, console_stack.outbox_dir, console_deps.store
    ctx = browser.new_context(
        **{**PHONE, "extra_http_headers": {"X-Forwarded-For": "198.18.17.17"}}
    )
    page = ctx.new_page()
    page.goto(f"{base}/console")
    before = set(login_links(outbox))
    page.locator("#f-email").fill(COORDINATOR)
    page.get_by_role("button", name="Send meg en lenke").click()
    page.wait_for_selector("h1:has-text('Sjekk e-posten din')")
    link = wait_for(lambda: [x for x in login_links(outbox) if x not in before])[-1]
    page.goto(link)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"{base}/console")

    page.get_by_role("link", name="Import").click()
    page.wait_for_selector("h1:has-text('Importer fra regneark')")
    check(page, "import-upload")
    # the template downloads as an .xlsx
    with page.expect_download() as dl:
        page.get_by_role("link", name="Personer som venter (.xlsx)").click()
    assert dl.value.suggested_filename == "linkflyt-people-nb.xlsx"

    # a file that is not a spreadsheet: said so, nothing changed
    junk = tmp_path / "notat.csv"
    junk.write_bytes(b"\xff\xfe\x00\x00\x01")
    page.locator("#f-file").set_input_files(str(junk))
    page.get_by_role("button", name="Sjekk filen").click()
    page.wait_for_selector("#file-error")
    assert "ingenting ble endret" in page.content()

    rows = people_rows("ingen.lagret@eksempel.no", "web")
    path = tmp_path / "venteliste.xlsx"
    path.write_bytes(xlsx(HEAD, rows, real_dates=True))
    inquiries = len(store.query("inquiries"))
    page.locator("#kind-people").check()
    page.locator("#f-file").set_input_files(str(path))
    page.get_by_role("button", name="Sjekk filen").click()
    page.wait_for_selector("h1:has-text('Sjekk før import')", timeout=120_000)
    assert page.locator("[data-count=read]").inner_text() == "9"
    assert page.locator("[data-count=create]").inner_text() == "5"
    assert page.locator("[data-count=reject]").inner_text() == "3"
    assert page.locator("[data-count=duplicate]").inner_text() == "1"
    assert page.locator("[data-count=update]").inner_text() == "0"
    assert "kolonne D (Kommune): «Narnia» er ikke et kjent valg." in page.content()
    assert len(store.query("inquiries")) == inquiries  # a dry run stores nothing
    check(page, "import-dry-run")
    # the coordinator decides: row 5 is another person
    page.locator("#allow-5").check()
    page.get_by_role("button", name="Importer").click()
    try:  # a shared machine under load: the import itself is timed by bench.importing
        page.wait_for_selector("h1:has-text('Importen er ferdig')", timeout=120_000)
    except Exception:
        shot(page, "console-import-failed")
        raise
    created = int(page.locator("[data-count=created]").inner_text())
    updated = int(page.locator("[data-count=updated]").inner_text())
    rejected = int(page.locator("[data-count=rejected]").inner_text())
    assert (created, updated, rejected) == (6, 0, 3)
    assert len(store.query("inquiries")) == inquiries + 6
    check(page, "import-done")

    page.get_by_role("link", name="Innstillinger").click()
    page.wait_for_selector("h1:has-text('Senterets innstillinger')")
    check(page, "settings")
    page.locator("#f-min_size").fill("3")
    page.locator("#h-groups").scroll_into_view_if_needed()
    page.locator("section[aria-labelledby=h-groups] button").click()
    page.wait_for_selector(".summary")
    assert "Minste gruppe som foreslås: må være minst 4." in page.content()
    check(page, "settings-error")
    ctx.close()
