"""Console sign-in without passwords, sessions and CSRF (issue 9; CONTRACT.md § Coordinator console).

- A coordinator asks for a link with their address; the answer is the same for every address, and
  only a coordinator's address gets an email: a random token, valid 15 minutes, used once.
- Opening the link shows one POST button (a mail scanner that fetches the link signs no one in).
  The POST uses the token up and creates a new session (a new id at every sign-in).
- Only keyed hashes of tokens and session ids are stored, so a copy of the database signs no one in.
- The session holds a random CSRF value; every state-changing console form carries it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from shared import logs
from shared.domain import links
from shared.languages import STAFF_LANGS, Lang, pick_lang
from shared.ports import OutgoingMail, Tx
from shared.texts.console import CONSOLE
from workflows.messaging.mailing import send_once
from workflows.platform import coordinators
from workflows.platform.audit import AUDIT_KEEP as AUDIT_KEEP  # re-exported: the tests read it
from workflows.platform.audit import audit as audit
from workflows.platform.ratelimit import over_rate_limit
from workflows.platform.render import render
from workflows.platform.runtime import Deps

log = logs.get_logger(__name__)
COOKIE = "linkflyt_console"
SESSION_HOURS = 12
LOGIN_MINUTES = 15
# Sign-in attempts per client address and hour (issue 9); links per coordinator: Settings.
CLIENT_ATTEMPTS_PER_HOUR = 10


@dataclass(frozen=True)
class Session:
    key: str  # hashed id: the document name
    coordinator: str  # a coordinator id (a keyed hash of the address), never the address
    csrf: str
    lang: Lang
    expires: datetime
    # (what was done, the path of whom or what it was about): shown once on the next page, issue 22
    flash: tuple[str, str] | None = None


def keyed(deps: Deps, kind: str, value: str) -> str:
    """A keyed hash (the session key) of a token or id: what is stored or derived, never the value."""
    key = deps.settings.session_signing_key.encode()
    return hmac.new(key, f"{kind}|{value}".encode(), hashlib.sha256).hexdigest()[:48]


def coordinator_id(deps: Deps, email: str) -> str:
    """The stable id of the coordinator with this address (issue 17), or the derived one."""
    found = coordinators.by_email(deps, email)
    return found.id if found else coordinators.derived_id(deps, email)


def coordinator_names(deps: Deps) -> dict[str, str]:
    """Coordinator id -> name from the centre settings, for the console's audit page."""
    return {c.id: c.name for c in coordinators.listed(deps)}


def _still_coordinator(deps: Deps, cid: str) -> bool:
    """A coordinator removed in the settings signs in no more, and their sessions end (issue 17)."""
    return cid in coordinators.ids(deps)


def cookie_path(deps: Deps) -> str:
    return urlsplit(deps.settings.public_base_url).path.rstrip("/") + "/console"


def secure_cookie(deps: Deps) -> bool:
    return deps.settings.https


def request_link(deps: Deps, email: str, client: str, lang: Lang) -> None:
    """Send a sign-in link if the address is a coordinator's; otherwise do nothing, the same way."""
    if over_rate_limit(deps, client, "console-client", CLIENT_ATTEMPTS_PER_HOUR):
        log.info("console sign-in: rate limited")
        return
    found = coordinators.by_email(deps, email)
    address = found.email if found else None
    if found is None or address is None:
        return
    # Issue 18: the address's quota was one for everyone, so six requests an hour from a stranger
    # who knew the address locked the coordinator out. The quota is now per address *and* client
    # (a stranger spends only their own), and a larger cap per address across all clients keeps
    # anyone from mail-bombing the coordinator through the form.
    if over_rate_limit(
        deps, f"{address}|{client}", "console-address-client", deps.settings.console_links_per_hour
    ) or over_rate_limit(
        deps, address, "console-address", deps.settings.console_address_links_per_hour
    ):
        log.info("console sign-in: address limit")
        return
    now = deps.clock.now()
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(minutes=LOGIN_MINUTES)
    deps.store.create(
        f"console_logins/{keyed(deps, 'login', token)}",
        {
            "coordinator": found.id,
            "expires": expires,
            "used_at": None,
            "expire_at": expires + timedelta(days=1),
        },
    )
    t = CONSOLE[lang]
    link = links.console_url(deps.settings.public_base_url, f"/login?t={token}")
    ctx = {"t": t, "link": link, "minutes": LOGIN_MINUTES, "centre_name": deps.centre.centre.name}
    send_once(
        deps,
        OutgoingMail(
            to=address,
            subject=t["login_mail_subject"],
            text=render("console/login_mail.txt", **ctx),
            html=render("console/login_mail.html", **ctx),
            sender=deps.centre.centre.mail_from,
            message_key=f"console-login-{keyed(deps, 'mail', token)[:24]}",
        ),
    )
    log.info("console sign-in link sent")


def login_state(deps: Deps, token: str) -> str:
    """ok / used / expired / invalid — for the page the emailed link opens (a GET changes nothing)."""
    doc = deps.store.get(f"console_logins/{keyed(deps, 'login', token)}") if token else None
    return _login_check(doc, deps.clock.now())


def _login_check(doc: dict[str, Any] | None, now: datetime) -> str:
    if doc is None:
        return "invalid"
    if doc.get("used_at") is not None:
        return "used"
    if doc["expires"] <= now:
        return "expired"
    return "ok"


def login_csrf(deps: Deps, token: str) -> str:
    """The sign-in button's form value: ties the POST to the page that showed the link."""
    return keyed(deps, "login-form", token)[:32]


def sign_in(deps: Deps, token: str, old_cookie: str | None, lang: Lang) -> tuple[str, str]:
    """Use the link up and open a session. Returns (state, session id); the id only when ok."""
    now = deps.clock.now()
    path = f"console_logins/{keyed(deps, 'login', token)}"
    sid = secrets.token_urlsafe(32)

    def tx_fn(tx: Tx) -> str:
        doc = tx.get(path)
        state = _login_check(doc, now)
        if state != "ok" or doc is None:
            return state
        if not _still_coordinator(deps, str(doc["coordinator"])):
            return "invalid"  # removed after the link was sent
        tx.update(path, {"used_at": now})
        if old_cookie:  # rotated at sign-in: an earlier session in this browser ends
            tx.delete(f"console_sessions/{keyed(deps, 'session', old_cookie)}")
        expires = now + timedelta(hours=SESSION_HOURS)
        tx.create(
            f"console_sessions/{keyed(deps, 'session', sid)}",
            {
                "coordinator": doc["coordinator"],
                "csrf": secrets.token_urlsafe(24),
                "lang": lang,
                "created_at": now,
                "expires": expires,
                "expire_at": expires,
            },
        )
        audit(tx, now, str(doc["coordinator"]), "sign_in")
        return "ok"

    state: str = deps.store.transact(tx_fn)
    return state, (sid if state == "ok" else "")


def session(deps: Deps, cookie: str | None) -> Session | None:
    if not cookie or len(cookie) > 100:
        return None
    key = keyed(deps, "session", cookie)
    doc = deps.store.get(f"console_sessions/{key}")
    if doc is None or doc["expires"] <= deps.clock.now():
        return None
    if not _still_coordinator(deps, str(doc["coordinator"])):
        # issues 17 and 18: checked at every request, so a coordinator removed in the settings is
        # signed out at once, not when the 12 hours are up
        deps.store.delete(f"console_sessions/{key}")
        log.info("console session of a removed coordinator ended")
        return None
    lang: Lang = pick_lang(
        str(doc.get("lang") or ""), deps.centre.centre.default_language, STAFF_LANGS
    )
    flash = doc.get("flash") or None
    return Session(
        key,
        str(doc["coordinator"]),
        str(doc["csrf"]),
        lang,
        doc["expires"],
        (str(flash.get("key", "")), str(flash.get("about", ""))) if flash else None,
    )


def set_lang(deps: Deps, s: Session, lang: Lang) -> Session:
    if lang != s.lang:
        deps.store.set(f"console_sessions/{s.key}", {"lang": lang}, merge=True)
    return Session(s.key, s.coordinator, s.csrf, lang, s.expires, s.flash)


def set_flash(deps: Deps, s: Session, key: str, about: str = "") -> None:
    """What the next page says was done, and the document it was about ("people/<id>"): kept in
    the session (a database document only this browser's cookie opens), so the name it shows is
    never in a URL, a log line or the browser's history (issue 22)."""
    deps.store.set(f"console_sessions/{s.key}", {"flash": {"key": key, "about": about}}, merge=True)


def take_flash(deps: Deps, s: Session) -> tuple[str, str] | None:
    """The waiting flash, once: a reload does not say it again."""
    if s.flash is None:
        return None
    deps.store.set(f"console_sessions/{s.key}", {"flash": None}, merge=True)
    return s.flash


def csrf_ok(s: Session, posted: str) -> bool:
    return bool(posted) and hmac.compare_digest(posted.encode(), s.csrf.encode())


def sign_out(deps: Deps, s: Session) -> None:
    now = deps.clock.now()

    def tx_fn(tx: Tx) -> None:
        tx.delete(f"console_sessions/{s.key}")
        audit(tx, now, s.coordinator, "sign_out")

    deps.store.transact(tx_fn)
