"""CONTRACT.md § Intake against the running local stack (real Firestore and Cloud Tasks emulators)."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from shared.domain.reference import PATTERN
from shared.ports import Where
from tests.conftest import wait_for
from tests.helpers.people import mails_to, person, text_part
from workflows.intake import inquiry_by_reference


def post(stack: Any, ip: str, body: Any = None, **kw: Any) -> requests.Response:
    headers = {"X-Forwarded-For": ip, **kw.pop("headers", {})}
    return requests.post(f"{stack.base_url}/intake", json=body, headers=headers, timeout=30, **kw)


def test_form_page_in_three_languages(stack: Any) -> None:
    for lang, html_lang, words in (
        ("", "nb", "Meld deg på en"),
        ("nn", "nn", "Meld deg på ei"),
        ("en", "en", "Sign up"),
    ):
        r = requests.get(
            f"{stack.base_url}/intake", params={"lang": lang} if lang else None, timeout=10
        )
        assert r.status_code == 200
        assert r.headers["Content-Type"].startswith("text/html")
        assert f'<html lang="{html_lang}" dir="ltr">' in r.text
        assert words in r.text
        assert '<form method="post"' in r.text
        # every input is labelled
        ids = set(re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', r.text))
        labelled = set(re.findall(r'<label for="([^"]+)"', r.text))
        assert ids and ids <= labelled


def test_accepted_inquiry_is_stored_with_its_handoffs(
    stack: Any, deps: Any, client_ip: str, outbox: Path
) -> None:
    body = person(phone="412 34 567", heard_from="nav", message="Min mor er syk.")
    r = post(stack, client_ip, body)
    assert r.status_code == 201, r.text
    data = r.json()
    assert data["status"] == "received" and PATTERN.match(data["reference"])
    inquiry_id = inquiry_by_reference(deps.store, data["reference"])
    assert inquiry_id is not None
    assert data["reference"] != inquiry_id
    inquiry = deps.store.get(f"inquiries/{inquiry_id}")
    assert inquiry["municipality"] == "4627" and inquiry["topics"] == ["relatives"]
    assert "name" not in inquiry and "email" not in inquiry and "message" not in inquiry
    people = deps.store.get(f"people/{inquiry_id}")
    assert people["name"] == body["name"] and people["phone"] == "+4741234567"
    assert people["message"] == "Min mor er syk."
    # the hand-off to assemble ran: the inquiry now waits for its pre-talk
    wait_for(lambda: deps.store.get(f"inquiries/{inquiry_id}")["status"] == "awaiting_pretalk")
    # and the receipt arrived with the reference and a real erase link
    msgs = wait_for(lambda: mails_to(outbox, body["email"]))
    assert len(msgs) == 1
    text = text_part(msgs[0])
    assert data["reference"] in text and data["reference"] in msgs[0]["Subject"]
    assert re.search(rf"{re.escape(stack.base_url)}/actions\?t=\S+", text)
    assert msgs[0].get_content_type() == "multipart/alternative"


def test_every_error_listed_in_the_requesters_language(stack: Any, client_ip: str) -> None:
    bad = {
        "name": "",
        "email": "nope",
        "municipality": "1234",
        "topics": [],
        "formats": ["fax"],
        "times": [],
        "consent": False,
        "adult": False,
    }
    # issue 22: messages that say what to do (GOV.UK), not "Label: this is required"
    for lang, word in (
        ("nb", "Skriv fornavnet ditt"),
        ("nn", "Skriv førenamnet ditt"),
        ("en", "Enter your first name"),
    ):
        r = post(stack, client_ip, bad, params={"lang": lang})
        assert r.status_code == 422
        errors = r.json()["errors"]
        assert {e["field"] for e in errors} == {
            "name",
            "email",
            "municipality",
            "topics",
            "formats",
            "times",
            "consent",
            "adult",
        }
        assert any(word in e["message"] for e in errors)
    r = post(stack, client_ip, bad, headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert any("Enter your first name" in e["message"] for e in r.json()["errors"])


def test_unknown_field_and_bad_json_are_422(stack: Any, client_ip: str, deps: Any) -> None:
    r = post(stack, client_ip, person(shoe_size=42))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "shoe_size"
    r = requests.post(
        f"{stack.base_url}/intake",
        data=b"[1,2",
        headers={"Content-Type": "application/json", "X-Forwarded-For": client_ip},
        timeout=10,
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body"


def test_size_type_and_method_limits(stack: Any, client_ip: str) -> None:
    big = person(message="x" * 17000)
    assert post(stack, client_ip, big).status_code == 413
    r = requests.post(
        f"{stack.base_url}/intake",
        data="name=Kari",
        headers={"Content-Type": "text/plain", "X-Forwarded-For": client_ip},
        timeout=10,
    )
    assert r.status_code == 415
    assert requests.put(f"{stack.base_url}/intake", json={}, timeout=10).status_code == 405
    assert requests.delete(f"{stack.base_url}/intake", timeout=10).status_code == 405


def test_rate_limit_per_client(stack: Any, client_ip: str) -> None:
    limit = 30  # RATE_LIMIT_PER_HOUR in the test stack
    now = datetime.now(UTC)
    if now.minute == 59 and now.second > 40:  # the window is the clock hour: do not straddle it
        time.sleep(61 - now.second)
    codes = [post(stack, client_ip, {"name": ""}).status_code for _ in range(limit)]
    assert set(codes) == {422}
    r = post(stack, client_ip, person())
    assert r.status_code == 429
    other = post(stack, "203.0.113.77", person())
    assert other.status_code == 201  # another client is not affected


def test_honeypot_answers_accepted_and_stores_nothing(
    stack: Any, client_ip: str, deps: Any, outbox: Path
) -> None:
    body = person(website="http://cheap.example")
    r = post(stack, client_ip, body)
    assert r.status_code == 201 and PATTERN.match(r.json()["reference"])
    assert inquiry_by_reference(deps.store, r.json()["reference"]) is None
    marker = person()
    assert post(stack, client_ip, marker).status_code == 201
    wait_for(lambda: mails_to(outbox, marker["email"]))  # later mail arrived, the bot's did not
    assert mails_to(outbox, body["email"]) == []


def test_html_form_post_thanks_and_errors_keep_input(stack: Any, client_ip: str, deps: Any) -> None:
    form = [
        ("name", "Kari"),
        ("email", "kari.form@eksempel.no"),
        ("municipality", "4628"),
        ("topics", "bereavement"),
        ("topics", "general"),
        ("formats", "in_person"),
        ("times", "weekday_evening"),
        ("consent", "true"),
        ("adult", "true"),
        ("website", ""),
    ]
    r = requests.post(
        f"{stack.base_url}/intake?lang=nn",
        data=form,
        headers={"X-Forwarded-For": client_ip},
        timeout=10,
    )
    # post/redirect/get (issue 22): 303 to the thank-you page, which requests follows with a GET
    assert [h.status_code for h in r.history] == [303] and r.request.method == "GET"
    assert r.status_code == 200 and "Takk for påmeldinga" in r.text
    ref = re.search(r'id="reference">([^<]+)<', r.text).group(1)
    inquiry = deps.store.get(f"inquiries/{inquiry_by_reference(deps.store, ref)}")
    assert inquiry["topics"] == ["bereavement", "general"] and inquiry["lang"] == "nn"

    bad = [
        ("name", "Kari"),
        ("email", "kari@"),
        ("municipality", "4628"),
        ("topics", "general"),
        ("message", "hei <b>der</b>"),
    ]
    r = requests.post(
        f"{stack.base_url}/intake?lang=en",
        data=bad,
        headers={"X-Forwarded-For": client_ip},
        timeout=10,
    )
    assert r.status_code == 422
    assert 'id="err-email"' in r.text and 'aria-invalid="true"' in r.text
    # the GOV.UK error pattern: the title says so, focus goes to the summary (no script needed)
    assert re.search(r"<title>Error: Sign up for a conversation group – ", r.text)
    assert re.search(r'<div class="summary"[^>]*\bautofocus\b', r.text)
    assert "Enter an email address like name@example.no" in r.text
    assert 'value="Kari"' in r.text and 'value="kari@"' in r.text
    assert "hei &lt;b&gt;der&lt;/b&gt;" in r.text  # kept, and escaped
    assert re.search(r'value="general"\s+checked', r.text)


def test_cors_for_the_centres_own_website(stack: Any, client_ip: str) -> None:
    origin = "https://www.linkbergen.no"
    pre = requests.options(
        f"{stack.base_url}/intake",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    assert pre.status_code == 204 and pre.headers["Access-Control-Allow-Origin"] == origin
    r = post(stack, client_ip, person(), headers={"Origin": origin})
    assert r.headers["Access-Control-Allow-Origin"] == origin
    r = post(stack, client_ip, person(), headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in r.headers


def test_a_cross_site_form_post_is_refused_and_stores_nothing(
    stack: Any, client_ip: str, deps: Any
) -> None:
    """Issue 18: any web page could make its visitors' browsers post the form (and bill the centre
    for their receipts). Only the form's own origin and the centre's allowed_origins may post."""
    for origin in ("https://evil.example", "null", "https://linkbergen.no.evil.example"):
        body = person()
        r = post(stack, client_ip, body, headers={"Origin": origin})
        assert r.status_code == 403, (origin, r.text)
        rows = deps.store.query("inquiries", [Where("municipality", "==", body["municipality"])])
        assert not [
            1
            for iid, _ in rows
            if (deps.store.get(f"people/{iid}") or {}).get("email") == body["email"]
        ]
        form = {**body, "consent": "on", "adult": "on"}
        r = requests.post(
            f"{stack.base_url}/intake",
            data=form,
            headers={"X-Forwarded-For": client_ip, "Origin": origin},
            timeout=30,
        )
        assert r.status_code == 403
    for origin in (stack.base_url, "https://www.linkbergen.no"):
        assert post(stack, client_ip, person(), headers={"Origin": origin}).status_code == 201
    # the form's own page sends "null" (its Referrer-Policy is no-referrer): same-origin says so
    own = {"Origin": "null", "Sec-Fetch-Site": "same-origin"}
    assert post(stack, client_ip, person(), headers=own).status_code == 201
    other = {"Origin": "null", "Sec-Fetch-Site": "cross-site"}
    assert post(stack, client_ip, person(), headers=other).status_code == 403
    assert post(stack, client_ip, person()).status_code == 201  # no Origin: as before


def test_erase_link_acts_once_after_a_confirming_post(
    stack: Any, client_ip: str, deps: Any, outbox: Path
) -> None:
    body = person()
    ref = post(stack, client_ip, body).json()["reference"]
    inquiry_id = inquiry_by_reference(deps.store, ref)
    msg = wait_for(lambda: mails_to(outbox, body["email"]))[0]
    url = re.search(r"http://\S+/actions\?t=\S+", text_part(msg)).group(0)
    page = requests.get(url, timeout=10)
    assert page.status_code == 200
    assert '<input type="hidden" name="action" value="erase">' in page.text
    assert deps.store.get(f"people/{inquiry_id}") is not None  # GET changed nothing
    done = requests.post(url, data={"action": "erase"}, timeout=10)
    assert done.status_code == 200 and "slettet" in done.text
    assert deps.store.get(f"people/{inquiry_id}") is None
    assert deps.store.get(f"inquiries/{inquiry_id}")["status"] == "erased"
    again = requests.post(url, data={"action": "erase"}, timeout=10)
    assert again.status_code == 410 and "allerede brukt" in again.text
    assert requests.get(url, timeout=10).status_code == 410
    tampered = url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB")
    assert requests.get(tampered, timeout=10).status_code == 404


def test_expired_link_says_so(stack: Any, deps: Any) -> None:
    from datetime import timedelta

    from shared.domain import links

    now = deps.clock.now()
    token_id = links.new_token_id()
    deps.store.set(
        f"tokens/{token_id}",
        {
            "action": "erase",
            "inquiry_id": "nobody",
            "expires": now - timedelta(minutes=1),
            "used_at": None,
        },
    )
    url = links.action_url(
        stack.base_url, deps.settings.link_signing_key, token_id, now - timedelta(minutes=1)
    )
    r = requests.get(url, timeout=10)
    assert r.status_code == 410 and "gått ut" in r.text
    assert requests.post(url, data={"action": "erase"}, timeout=10).status_code == 410


def form_fields(html: str) -> list[tuple[str, str]]:
    """The form page's hidden submission id, and a complete sign-up beside it."""
    found = re.search(r'<input type="hidden" name="submission" value="([\w-]+)">', html)
    assert found, "the form carries a one-time submission id"
    tag = found.group(1)[:6].lower()
    return [
        ("submission", found.group(1)),
        ("name", "Randi"),
        ("email", f"randi.{tag}@eksempel.no"),
        ("municipality", "4601"),
        ("topics", "loneliness"),
        ("formats", "digital"),
        ("times", "weekend"),
        ("consent", "true"),
        ("adult", "true"),
    ]


def test_a_reload_or_a_repeated_post_signs_up_once(
    stack: Any, client_ip: str, deps: Any, outbox: Path
) -> None:
    """Issue 22: post, reload the thank-you page, post the same submission again (the browser's
    "resend"), and once more as JSON: one inquiry, one reference, one receipt."""
    from shared.ports import Where

    base, headers = f"{stack.base_url}/intake", {"X-Forwarded-For": client_ip}
    form = form_fields(requests.get(base, timeout=10).text)
    address = dict(form)["email"]
    first = requests.post(base, data=form, headers=headers, allow_redirects=False, timeout=10)
    assert first.status_code == 303
    location = first.headers["Location"]
    assert location.startswith("?thanks=") and address not in location and "Randi" not in location
    ref = re.search(r'id="reference">([^<]+)<', first.text).group(1)  # also in the 303's body
    thanks = f"{base}{location}"
    for _ in range(2):  # the page, and a reload of it: GETs that change nothing
        page = requests.get(thanks, headers=headers, timeout=10)
        assert page.status_code == 200 and f'id="reference">{ref}<' in page.text
    again = requests.post(base, data=form, headers=headers, allow_redirects=False, timeout=10)
    assert again.status_code == 303 and again.headers["Location"] == location
    assert f'id="reference">{ref}<' in again.text
    as_json = requests.post(
        base,
        json={k: v for k, v in form if k not in ("topics", "formats", "times")}
        | {"topics": ["loneliness"], "formats": ["digital"], "times": ["weekend"]}
        | {"consent": True, "adult": True},
        headers=headers,
        timeout=10,
    )
    assert as_json.status_code == 201 and as_json.json()["reference"] == ref
    stored = deps.store.query("people", [Where("email", "==", address)])
    assert len(stored) == 1
    assert wait_for(lambda: mails_to(outbox, address))
    marker = person()  # a later inquiry's receipt arrives; no second receipt for the first
    assert post(stack, client_ip, marker).status_code == 201
    wait_for(lambda: mails_to(outbox, marker["email"]))
    time.sleep(1)
    assert len(mails_to(outbox, address)) == 1


def test_the_same_submission_posted_at_once_stores_one_inquiry(
    stack: Any, client_ip: str, deps: Any
) -> None:
    """A double click: posts racing each other; the submission record is created in the same
    transaction as the inquiry, so only one commits and the others answer with its reference."""
    from concurrent.futures import ThreadPoolExecutor

    from shared.ports import Where

    base, headers = f"{stack.base_url}/intake", {"X-Forwarded-For": client_ip}
    form = form_fields(requests.get(base, timeout=10).text)

    def send(_: int) -> requests.Response:
        return requests.post(base, data=form, headers=headers, allow_redirects=False, timeout=30)

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(send, range(4)))
    assert {a.status_code for a in answers} == {303}
    assert len({a.headers["Location"] for a in answers}) == 1
    assert len({re.search(r'id="reference">([^<]+)<', a.text).group(1) for a in answers}) == 1
    assert len(deps.store.query("people", [Where("email", "==", dict(form)["email"])])) == 1


def test_the_thank_you_page_without_a_fresh_submission(stack: Any) -> None:
    """An unknown, malformed or old address shows the page without a reference (and no error)."""
    for value in ("x" * 24, "<script>", ""):
        r = requests.get(f"{stack.base_url}/intake", params={"thanks": value}, timeout=10)
        assert r.status_code == 200 and 'id="reference"' not in r.text
        assert "kvitteringen" in r.text
    bad = requests.post(
        f"{stack.base_url}/intake",
        json=person(submission="short"),
        headers={"X-Forwarded-For": "203.0.113.90"},
        timeout=10,
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "submission"


def test_after_erasure_the_same_submission_is_a_new_sign_up(
    stack: Any, client_ip: str, deps: Any, outbox: Path
) -> None:
    """The thank-you page stops showing an erased person's reference, and their browser's resend
    of the old form is a sign-up of its own (nothing left to answer with)."""
    base, headers = f"{stack.base_url}/intake", {"X-Forwarded-For": client_ip}
    form = form_fields(requests.get(base, timeout=10).text)
    first = requests.post(base, data=form, headers=headers, allow_redirects=False, timeout=10)
    ref = re.search(r'id="reference">([^<]+)<', first.text).group(1)
    receipt = wait_for(lambda: mails_to(outbox, dict(form)["email"]))[0]
    erase = re.search(r"http://\S+/actions\?t=\S+", text_part(receipt)).group(0)
    assert requests.post(erase, data={"action": "erase"}, timeout=10).status_code == 200
    page = requests.get(f"{base}{first.headers['Location']}", timeout=10)
    assert ref not in page.text and 'id="reference"' not in page.text
    again = requests.post(base, data=form, headers=headers, allow_redirects=False, timeout=10)
    new_ref = re.search(r'id="reference">([^<]+)<', again.text).group(1)
    assert again.status_code == 303 and new_ref != ref
    assert inquiry_by_reference(deps.store, new_ref) is not None


def test_failed_link_checks_are_counted_per_client_and_slowed(
    stack: Any, deps: Any, monkeypatch: Any
) -> None:
    """Issue 18: nothing limited /actions; one client could hammer it with guessed links. Run
    through the real entry point in-process, with the cloud's limit (the test stack's is off:
    the fuzz tests send hundreds of odd links from one address)."""
    import dataclasses
    from datetime import timedelta

    from flask import Flask
    from flask import request as flask_request

    from functions.actions import handle
    from shared.domain import links
    from workflows.platform import runtime, tokens

    d = dataclasses.replace(
        deps, settings=deps.settings.model_copy(update={"failed_links_per_hour": 20})
    )
    monkeypatch.setattr(runtime, "deps", lambda: d)
    now = datetime.now(UTC)
    token = d.store.transact(
        lambda tx: tokens.issue(tx, "request_followup", now, timedelta(days=1), group_id="g-x")
    )
    good = links.sign(d.settings.link_signing_key, token, now + timedelta(days=1))
    app = Flask("t")

    def get(ip: str, t: str) -> Any:
        headers = {"X-Forwarded-For": ip}
        with app.test_request_context("/actions", query_string={"t": t}, headers=headers):
            return handle(flask_request)

    guesser, other = f"203.0.113.{time.time_ns() % 200}", "203.0.113.250"
    for i in range(20):
        assert get(guesser, f"{good[:-4]}{i:04d}").status_code == 404
    slowed = get(guesser, good)  # even a good link waits: the client is slowed for the hour
    assert slowed.status_code == 429 and slowed.headers["Retry-After"] == "3600"
    assert get(other, good).status_code == 200  # another client is not


def test_a_step_free_entrance_can_be_asked_for_by_json_and_by_the_form(
    stack: Any, client_ip: str, deps: Any
) -> None:
    """Issue 16: the added optional field `step_free` reaches the inquiry document (JSON and the
    plain form), is false when left out, and a wrong type is a 422 naming the field."""
    r = post(stack, client_ip, person(step_free=True))
    assert r.status_code == 201, r.text
    iid = inquiry_by_reference(deps.store, r.json()["reference"])
    assert deps.store.get(f"inquiries/{iid}")["step_free"] is True
    r = post(stack, client_ip, person())
    iid = inquiry_by_reference(deps.store, r.json()["reference"])
    assert deps.store.get(f"inquiries/{iid}")["step_free"] is False
    r = post(stack, client_ip, person(step_free="ja"))
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["step_free"]
    assert "Trinnfri inngang" in r.json()["errors"][0]["message"]
    page = requests.get(f"{stack.base_url}/intake", timeout=10).text
    assert 'name="step_free"' in page and "trinnfri inngang" in page
    form = [
        ("name", "Kari"),
        ("email", "kari.trinnfri@eksempel.no"),
        ("municipality", "4628"),
        ("topics", "general"),
        ("formats", "in_person"),
        ("times", "weekday_evening"),
        ("step_free", "true"),
        ("consent", "true"),
        ("adult", "true"),
    ]
    r = requests.post(
        f"{stack.base_url}/intake", data=form, headers={"X-Forwarded-For": client_ip}, timeout=10
    )
    # a form post answers 303 to the thank-you page (issue 22), which requests follows
    assert [h.status_code for h in r.history] == [303] and r.status_code == 200
    ref = re.search(r'id="reference">([^<]+)<', r.text).group(1)  # type: ignore[union-attr]
    assert deps.store.get(f"inquiries/{inquiry_by_reference(deps.store, ref)}")["step_free"] is True


def test_join_links_over_http_never_redirect_outside_a_window(stack: Any) -> None:
    """GET /join on the running stack: a made-up or tampered link is a page, never a redirect."""
    for query in ("t=abc", "t=j123.99999999999.xyz", "s=abcdefghijkl", ""):
        r = requests.get(f"{stack.base_url}/join?{query}", timeout=10, allow_redirects=False)
        assert r.status_code == 404 and "Location" not in r.headers
        assert r.headers["Cache-Control"] == "no-store" and "ikke gyldig" in r.text
    r = requests.post(f"{stack.base_url}/join?t=abc", timeout=10, allow_redirects=False)
    assert r.status_code == 405
