"""Issue 9: the console's security over HTTP, on its own functions and database (console_stack)."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import wait_for
from tests.helpers.console import COORDINATOR, ask_for_link, csrf_of, login_links, sign_in
from tests.helpers.people import person

_ip = itertools.count(10)
PAGES = ("", "/pretalk", "/pool", "/groups", "/facilitators", "/venues", "/find", "/audit")
FACILITATOR = {
    "name": "Tone Testvik",
    "email": "tone@frivillig.example",
    "municipalities": ["4627"],
    "slots": ["mon_evening", "tue_evening"],
    "languages": "no, en",
    "topics": ["general", "relatives"],
    "max_groups": "2",
    "away": "",
    "course_completed": "2026-05-01",
}


def ip() -> str:
    return f"203.0.113.{next(_ip) % 250 + 1}"


def submit(base: str, **over: Any) -> dict[str, Any]:
    body = person(**over)
    r = requests.post(f"{base}/intake", json=body, headers={"X-Forwarded-For": ip()}, timeout=30)
    assert r.status_code == 201, r.text
    return {**body, "reference": r.json()["reference"]}


def test_no_session_shows_the_sign_in_page_and_never_data(console_stack: Any) -> None:
    base = console_stack.base_url
    body = submit(base, message="Et hemmelig liv", phone="41234599")
    for page in PAGES:
        r = requests.get(f"{base}/console{page}", timeout=30)
        assert r.status_code == 200
        assert 'action="/console/login"' in r.text and 'name="email"' in r.text
        for secret in (body["name"], body["email"], body["message"], body["reference"]):
            assert secret not in r.text
        assert r.headers["Cache-Control"] == "no-store"
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    # a POST without a session changes nothing
    before = len(list(requests.get(f"{base}/console", timeout=30).text))
    r = requests.post(f"{base}/console/facilitators", data=FACILITATOR, timeout=30)
    assert r.status_code == 403 and before > 0


def test_the_emailed_link_signs_in_once_within_15_minutes(
    console_stack: Any, console_deps: Any
) -> None:
    from workflows.console import auth

    base, outbox = console_stack.base_url, console_stack.outbox_dir
    link = ask_for_link(base, outbox, ip())
    token = link.split("t=", 1)[1]
    path = f"console_logins/{auth.keyed(console_deps, 'login', token)}"
    doc = console_deps.store.get(path)
    left = doc["expires"] - console_deps.clock.now()
    assert doc["used_at"] is None and doc["expire_at"] - doc["expires"] == timedelta(days=1)
    assert timedelta(minutes=14) < left <= timedelta(minutes=15)
    # a mail scanner fetching the link twice signs no one in and uses nothing up
    for _ in range(2):
        page = requests.get(link, timeout=30)
        assert page.status_code == 200 and "Set-Cookie" not in page.headers
        assert page.text.count("<form") == 1 and 'method="post"' in page.text
    assert console_deps.store.get(path)["used_at"] is None
    s = requests.Session()
    form = {"t": token, "csrf": csrf_of(page.text)}
    done = s.post(f"{base}/console/login", data=form, allow_redirects=False, timeout=30)
    assert done.status_code == 303 and done.headers["Location"] == "/console"
    cookie = done.headers["Set-Cookie"]
    assert cookie.startswith(f"{auth.COOKIE}=")
    for flag in ("HttpOnly", "SameSite=Strict", "Max-Age=43200", "Path=/console"):
        assert flag in cookie
    assert "Secure" not in cookie  # plain http locally; PUBLIC_BASE_URL https adds it
    sid = cookie.split(";")[0].split("=", 1)[1]
    assert sid not in str(console_deps.store.query("console_sessions"))  # only its hash is kept
    session_doc = next(
        d
        for k, d in console_deps.store.query("console_sessions")
        if k == auth.keyed(console_deps, "session", sid)
    )
    assert session_doc["expire_at"] - session_doc["created_at"] == timedelta(hours=12)
    assert "Koordinator" in s.get(f"{base}/console", timeout=30).text

    # used: never again, and no cookie
    again = requests.post(f"{base}/console/login", data=form, allow_redirects=False, timeout=30)
    assert again.status_code == 410 and "Set-Cookie" not in again.headers
    assert requests.get(link, timeout=30).status_code == 410

    # expired: a fresh link whose 15 minutes are over signs no one in
    late = ask_for_link(base, outbox, ip()).split("t=", 1)[1]
    late_path = f"console_logins/{auth.keyed(console_deps, 'login', late)}"
    gone = console_deps.clock.now() - timedelta(seconds=1)
    console_deps.store.set(late_path, {"expires": gone}, merge=True)
    r = requests.post(
        f"{base}/console/login",
        data={"t": late, "csrf": auth.login_csrf(console_deps, late)},
        allow_redirects=False,
        timeout=30,
    )
    assert r.status_code == 410 and "Set-Cookie" not in r.headers
    # signing in again rotates: the earlier session in this browser ends
    s2, _ = sign_in(base, outbox, ip())
    old = s2.cookies.get(auth.COOKIE)
    link3 = ask_for_link(base, outbox, ip())
    page3 = s2.get(link3, timeout=30)
    s2.post(
        f"{base}/console/login",
        data={"t": link3.split("t=", 1)[1], "csrf": csrf_of(page3.text)},
        allow_redirects=False,
        timeout=30,
    )
    assert s2.cookies.get(auth.COOKIE) != old
    stale = requests.get(f"{base}/console/audit", cookies={auth.COOKIE: old}, timeout=30)
    assert 'name="email"' in stale.text  # the old session no longer opens anything


def test_other_addresses_get_the_same_answer_and_no_email(console_stack: Any) -> None:
    base, outbox = console_stack.base_url, console_stack.outbox_dir
    before = len(list(outbox.glob("*.eml")))
    answers = [
        requests.post(
            f"{base}/console/login",
            data={"email": who},
            headers={"X-Forwarded-For": ip()},
            timeout=30,
        )
        for who in ("someone@else.example", "KOORDINATOR@linkbergen.example.evil", "x")
    ]
    coordinator = requests.post(
        f"{base}/console/login",
        data={"email": COORDINATOR.upper()},
        headers={"X-Forwarded-For": ip()},
        timeout=30,
    )
    assert {a.status_code for a in answers} == {coordinator.status_code} == {200}
    assert {a.text for a in answers} == {coordinator.text}
    wait_for(lambda: len(list(outbox.glob("*.eml"))) == before + 1)
    newest = max(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime)
    assert f"To: {COORDINATOR}" in newest.read_text()


def test_sign_in_attempts_are_rate_limited_per_client(console_stack: Any) -> None:
    base, outbox = console_stack.base_url, console_stack.outbox_dir
    client = "198.18.9.9"
    before = len(login_links(outbox))
    for _ in range(12):
        r = requests.post(
            f"{base}/console/login",
            data={"email": COORDINATOR},
            headers={"X-Forwarded-For": client},
            timeout=30,
        )
        assert r.status_code == 200  # the same page, limited or not
    wait_for(lambda: len(login_links(outbox)) >= before + 10)
    assert len(login_links(outbox)) == before + 10


def test_csrf_guards_every_change(console_stack: Any, console_deps: Any) -> None:
    base, outbox = console_stack.base_url, console_stack.outbox_dir
    s, csrf = sign_in(base, outbox, ip())
    count = len(console_deps.store.query("facilitators"))
    for bad in ({}, {"csrf": "wrong"}, {"csrf": csrf[:-1]}):
        r = s.post(f"{base}/console/facilitators", data={**FACILITATOR, **bad}, timeout=30)
        assert r.status_code == 403
        r = s.post(f"{base}/console/logout", data=bad, timeout=30)
        assert r.status_code == 403
    assert len(console_deps.store.query("facilitators")) == count
    ok = s.post(
        f"{base}/console/facilitators",
        data={**FACILITATOR, "csrf": csrf},
        allow_redirects=False,
        timeout=30,
    )
    assert ok.status_code == 303
    assert len(console_deps.store.query("facilitators")) == count + 1
    # every form on every console page carries the session's csrf value
    for page in (*PAGES, "/facilitators/new", "/venues/new", "/facilitators/fac-astrid"):
        html = s.get(f"{base}/console{page}", timeout=30).text
        for form in re.findall(r"<form[^>]*method=\"post\".*?</form>", html, re.S):
            assert f'name="csrf" value="{csrf}"' in form, (page, form[:200])
    # the audit log says who did what, by ids: no names, addresses or free text
    from workflows.console import auth

    entries = [d for _, d in console_deps.store.query("audit")]
    assert {"sign_in", "add_facilitator"} <= {e["action"] for e in entries}
    for e in entries:
        assert set(e) == {"at", "actor", "action", "subject", "expire_at"}
        assert e["expire_at"] - e["at"] == auth.AUDIT_KEEP
        assert "@" not in str(e) and "Tone" not in str(e)
    # sign out: the cookie is cleared and the session no longer opens anything
    cookie = s.cookies.get(auth.COOKIE)
    out = s.post(f"{base}/console/logout", data={"csrf": csrf}, timeout=30)
    assert out.status_code == 200 and "Max-Age=0" in out.headers["Set-Cookie"]
    r = requests.get(f"{base}/console/facilitators", cookies={auth.COOKIE: cookie}, timeout=30)
    assert 'name="email"' in r.text and "Tone Testvik" not in r.text


def test_a_facilitator_link_opens_only_that_facilitators_page(
    console_stack: Any, console_deps: Any
) -> None:
    base, outbox = console_stack.base_url, console_stack.outbox_dir
    s, csrf = sign_in(base, outbox, ip())

    def self_link(fid: str) -> str:
        email_to = console_deps.store.get(f"facilitators/{fid}")["email"]
        before = set(outbox.glob("self-link-*.eml"))
        r = s.post(f"{base}/console/facilitators/{fid}/link", data={"csrf": csrf}, timeout=30)
        assert r.status_code == 200
        new = wait_for(lambda: set(outbox.glob("self-link-*.eml")) - before)
        text = Path(next(iter(new))).read_text()
        assert f"To: {email_to}" in text
        from email import message_from_string, policy

        body = message_from_string(text, policy=policy.default).get_body(("plain",))
        return re.search(r"http://\S+/console/self\?t=[\w-]+", body.get_content()).group(0)

    astrid, bjorn = self_link("fac-astrid"), self_link("fac-bjorn")
    f = requests.Session()
    page = f.get(astrid, timeout=30)
    assert page.status_code == 200 and "Astrid" in page.text and "Bjørn" not in page.text
    assert "Set-Cookie" not in page.headers
    # the same browser cannot reach the console with it
    assert 'name="email"' in f.get(f"{base}/console/facilitators", timeout=30).text
    token = astrid.split("t=", 1)[1]
    form = {
        "t": token,
        "csrf": csrf_of(page.text),
        "slots": ["mon_evening"],
        "languages": "no",
        "topics": ["general"],
        "away": "2027-03-01 – 2027-03-21",
    }
    assert f.post(f"{base}/console/self", data={**form, "csrf": "x"}, timeout=30).status_code == 403
    bjorn_before = console_deps.store.get("facilitators/fac-bjorn")
    r = f.post(f"{base}/console/self", data=form, timeout=30)
    assert r.status_code == 200
    doc = console_deps.store.get("facilitators/fac-astrid")
    assert doc["slots"] == ["mon_evening"] and doc["away"] == [
        {"from": "2027-03-01", "to": "2027-03-21"}
    ]
    assert console_deps.store.get("facilitators/fac-bjorn") == bjorn_before
    # Bjørn's link is Bjørn's page; its CSRF value does not work with Astrid's link
    other = f.get(bjorn, timeout=30)
    assert "Bjørn" in other.text
    mixed = {**form, "csrf": csrf_of(other.text)}
    assert f.post(f"{base}/console/self", data=mixed, timeout=30).status_code == 403
    cal = f.get(f"{base}/console/self/calendar.ics?t={token}", timeout=30)
    assert cal.status_code == 200 and cal.text.startswith("BEGIN:VCALENDAR")
    # renewed: the old link stops working
    renewed = self_link("fac-astrid")
    assert f.get(astrid, timeout=30).status_code == 404
    assert f.get(renewed, timeout=30).status_code == 200
    # a made-up or missing link opens nothing
    assert f.get(f"{base}/console/self?t=abc", timeout=30).status_code == 404
    assert f.get(f"{base}/console/self", timeout=30).status_code == 404
    # put Astrid back as she was for the other console tests
    s.post(
        f"{base}/console/facilitators/fac-astrid",
        data={
            **FACILITATOR,
            "name": "Astrid",
            "email": "astrid@frivillig.example",
            "municipalities": ["4601", "4627", "4626"],
            "digital": "1",
            "slots": bjorn_before["slots"],
            "topics": bjorn_before["topics"],
            "max_groups": "3",
            "course_completed": "",
            "csrf": csrf,
        },
        timeout=30,
    )


# ---------------------------------------------------------------- fuzzing every form

text = st.text(max_size=60)
values = st.one_of(text, st.lists(text, max_size=4))
field_names = st.sampled_from(
    [
        "name",
        "email",
        "municipalities",
        "municipality",
        "digital",
        "slots",
        "languages",
        "topics",
        "max_groups",
        "away",
        "course_completed",
        "capacity",
        "accessible",
        "unavailable",
        "formats",
        "times",
        "age_band",
        "answer",
        "active",
        "t",
        "x",
    ]
)
forms = st.dictionaries(field_names, values, max_size=10)
PATHS = st.sampled_from(
    [
        "/facilitators",
        "/facilitators/fac-emil",
        "/venues",
        "/venues/ven-askoy",
        "/facilitators/fac-emil/active",
        "/venues/ven-askoy/active",
        "/pretalk/nobody",
        "/erase/nobody",
        "/groups/nogroup/approve",
        "/groups/nogroup/answer/nobody",
        "/find",
        "/login",
        "/self",
        "/facilitators/../x",
        "/%00",
        "/facilitators/a.b",
        "/groups/x/y/z/w",
    ]
)


@pytest.fixture(scope="module")
def signed(console_stack: Any) -> tuple[requests.Session, str]:
    return sign_in(console_stack.base_url, console_stack.outbox_dir, ip())


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    path=PATHS,
    form=forms,
    with_csrf=st.booleans(),
    query=st.dictionaries(
        st.sampled_from(["lang", "reference", "all", "flash", "t"]), text, max_size=3
    ),
)
def test_fuzzing_console_forms_never_gives_a_server_error(
    console_stack: Any,
    signed: tuple[requests.Session, str],
    path: str,
    form: dict[str, Any],
    with_csrf: bool,
    query: dict[str, str],
) -> None:
    s, csrf = signed
    data = {**form, **({"csrf": csrf} if with_csrf else {})}
    base = console_stack.base_url
    r = s.post(f"{base}/console{path}", data=data, params=query, allow_redirects=False, timeout=30)
    assert r.status_code < 500, (path, data, r.text[:500])
    g = s.get(f"{base}/console{path}", params=query, timeout=30)
    assert g.status_code < 500, (path, query, g.text[:500])
