"""actions: signed email links. GET shows a confirmation page; only the POST acts, once.

Each kind is a small handler run inside one transaction with the token check, so a double click,
a refresh or a replay acts once and then shows "already used".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from shared import logs
from shared.config import Lang
from shared.domain import links
from shared.i18n import ACTIONS
from shared.ports import Tx
from workflows import pages
from workflows.runtime import Deps

log = logs.get_logger(__name__)
State = Literal["ok", "invalid", "expired", "used"]


@dataclass(frozen=True)
class Page:
    status: int
    html: str


def _check(token: dict[str, Any] | None, expires: datetime, now: datetime) -> State:
    if token is None:
        return "invalid"
    if token.get("used_at") is not None:
        return "used"
    if expires <= now:
        return "expired"
    return "ok"


def _problem(deps: Deps, lang: Lang, state: State) -> Page:
    a = ACTIONS[lang]
    status = {"invalid": 404, "expired": 410, "used": 410}.get(state, 400)
    return Page(status, pages.message_page(deps.centre, lang, a[f"{state}_heading"], a[state]))


def _verify(deps: Deps, signed: str) -> links.LinkToken | None:
    try:
        return links.verify(deps.settings.link_signing_key, signed)
    except links.BadLink:
        return None


def view(deps: Deps, signed: str, lang: Lang) -> Page:
    link = _verify(deps, signed)
    if link is None:
        return _problem(deps, lang, "invalid")
    token = deps.store.get(f"tokens/{link.token_id}")
    state = _check(token, link.expires, deps.clock.now())
    lang = _token_lang(deps, token, lang)
    if state != "ok" or token is None:
        return _problem(deps, lang, state)
    a = ACTIONS[lang]
    action = str(token["action"])
    return Page(
        200,
        pages.action_page(
            deps.centre,
            lang,
            token=signed,
            action=action,
            heading=a[f"{action}_heading"],
            paragraphs=[a[f"{action}_explain"]],
            button=a[f"{action}_button"],
        ),
    )


def act(deps: Deps, signed: str, form: dict[str, str], lang: Lang) -> Page:
    link = _verify(deps, signed)
    if link is None:
        return _problem(deps, lang, "invalid")
    now = deps.clock.now()
    token_path = f"tokens/{link.token_id}"

    def tx_fn(tx: Tx) -> tuple[State, str, Lang]:
        token = tx.get(token_path)
        # all reads happen before writes (Firestore's rule): handlers read, then write
        state = _check(token, link.expires, now)
        if state != "ok" or token is None or form.get("action") != token.get("action"):
            return (state if state != "ok" else "invalid"), "", lang
        handler = HANDLERS[str(token["action"])]
        page_lang = handler(tx, token, now)
        tx.update(token_path, {"used_at": now})
        return "ok", str(token["action"]), page_lang

    state, action, page_lang = deps.store.transact(tx_fn)
    if state != "ok":
        return _problem(deps, lang, state)
    log.info("action done", extra={"action": action})
    a = ACTIONS[page_lang]
    return Page(
        200,
        pages.message_page(
            deps.centre, page_lang, a[f"{action}_done_heading"], a[f"{action}_done"]
        ),
    )


def _token_lang(deps: Deps, token: dict[str, Any] | None, fallback: Lang) -> Lang:
    if token and token.get("inquiry_id"):
        inquiry = deps.store.get(f"inquiries/{token['inquiry_id']}")
        if inquiry and inquiry.get("lang") in ("nb", "nn", "en"):
            lang: Lang = inquiry["lang"]
            return lang
    return fallback


def _erase(tx: Tx, token: dict[str, Any], now: datetime) -> Lang:
    """Remove the person's personal data at once; anonymous counts (stats/) stay as they were."""
    inquiry_id = str(token["inquiry_id"])
    inquiry = tx.get(f"inquiries/{inquiry_id}")
    lang: Lang = (inquiry or {}).get("lang", "nb")
    tx.delete(f"people/{inquiry_id}")
    if inquiry is not None:
        tx.delete(f"references/{inquiry['reference']}")
        tx.update(
            f"inquiries/{inquiry_id}",
            {"status": "erased", "erased_at": now, "reference": None, "erase_token": None},
        )
        month = inquiry["created_at"].strftime("%Y-%m")
        tx.increment(f"stats/{month}_{inquiry['municipality']}", {"withdrawn": 1})
    return lang


HANDLERS = {"erase": _erase}
