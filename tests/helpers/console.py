"""Signing in to the console the way a coordinator does: ask for a link, open it, press the button."""

from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path

import requests

from tests.conftest import wait_for

COORDINATOR = "koordinator@linkbergen.example"


def login_links(outbox: Path) -> list[str]:
    links = []
    for path in sorted(outbox.glob("console-login-*.eml"), key=lambda p: p.stat().st_mtime):
        msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        body = msg.get_body(("plain",))
        assert body is not None
        links += re.findall(r"http://\S+/console/login\?t=[\w-]+", body.get_content())
    return links


def ask_for_link(base: str, outbox: Path, ip: str, address: str = COORDINATOR) -> str:
    before = set(login_links(outbox))
    r = requests.post(
        f"{base}/console/login",
        data={"email": address},
        headers={"X-Forwarded-For": ip},
        timeout=30,
    )
    assert r.status_code == 200
    return str(wait_for(lambda: [x for x in login_links(outbox) if x not in before])[-1])


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no csrf input on the page"
    return found.group(1)


def sign_in(base: str, outbox: Path, ip: str) -> tuple[requests.Session, str]:
    """A signed-in session and its CSRF value."""
    link = ask_for_link(base, outbox, ip)
    s = requests.Session()
    s.headers["X-Forwarded-For"] = ip
    page = s.get(link, timeout=30)
    assert page.status_code == 200
    token = re.search(r'name="t" value="([^"]+)"', page.text)
    assert token
    done = s.post(
        f"{base}/console/login",
        data={"t": token.group(1), "csrf": csrf_of(page.text)},
        allow_redirects=False,
        timeout=30,
    )
    assert done.status_code == 303, done.text[:300]
    overview = s.get(f"{base}/console", timeout=30)
    return s, csrf_of(overview.text)
