"""actions: signed email links. GET shows a confirmation page; only the POST acts, once.

Each kind is a handler run inside one transaction with the token check and the outbox record, so a
double click, a refresh or a replay acts once and then shows "already used".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from shared import logs
from shared.domain import links
from shared.domain.vocabulary import AGE_BANDS, FORMATS, TIMES
from shared.languages import LANGS, Lang
from shared.ports import TaskSpec, Tx
from shared.texts.form import FIELD_LABELS
from shared.texts.pages import ACTIONS, UI
from workflows.links import pages
from workflows.messaging.describe import group_summary, place_details
from workflows.platform import audit, outbox, ratelimit, tokens
from workflows.platform.runtime import Deps
from workflows.saga.handlers import ERASED, HANDLERS, Form

log = logs.get_logger(__name__)
State = Literal["ok", "invalid", "expired", "used", "stale"]


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
    status = {"invalid": 404, "expired": 410, "used": 410, "stale": 409}.get(state, 400)
    return Page(status, pages.message_page(deps.centre, lang, a[f"{state}_heading"], a[state]))


# Issue 18: nothing limited /actions, so one client could guess links (or just load the public
# function) as fast as it liked. Failed link checks are counted per client and hour; past
# FAILED_LINKS_PER_HOUR (20) the client is answered 429 until the hour is over (a person who
# mistypes a link a few times is not affected; the signature makes guessing hopeless anyway, this
# keeps it cheap).
FAILED = "actions-failed"


def too_many_failures(deps: Deps, client: str) -> bool:
    return ratelimit.count(deps, client, FAILED) >= deps.settings.failed_links_per_hour


def slowed(deps: Deps, lang: Lang) -> Page:
    """The page a client past the limit gets: the invalid link's, with 429."""
    return Page(429, _problem(deps, lang, "invalid").html)


def record_failure(deps: Deps, client: str, page: Page) -> None:
    """A link that does not verify (or names no token) counts against its client."""
    if page.status == 404:
        ratelimit.over_rate_limit(deps, client, FAILED, deps.settings.failed_links_per_hour)


def _verify(deps: Deps, signed: str) -> links.LinkToken | None:
    try:
        return links.verify(deps.settings.link_signing_key, signed)
    except links.BadLink:
        return None


def _lang_for(deps: Deps, token: dict[str, Any] | None, fallback: Lang) -> Lang:
    """Members read their own language; coordinators and facilitators the centre's."""
    if (
        token
        and token.get("action")
        in ("erase", "accept_invitation", "decline_invitation", "request_followup")
        and token.get("inquiry_id")
    ):
        inquiry = deps.store.get(f"inquiries/{token['inquiry_id']}")
        if inquiry and inquiry.get("lang") in LANGS:
            lang: Lang = inquiry["lang"]
            return lang
    if token and token.get("action") in (
        "confirm_pretalk",
        "approve_group",
        "accept_offer",
        "decline_offer",
        "retry_staffing",
        "dissolve_group",
    ):
        return deps.centre.centre.default_language
    return fallback


def expand_short(deps: Deps, code: str) -> str:
    """An SMS's short code (/actions?s=…) as the signed form the pages carry (issue 11): the
    signature is checked here, the expiry comes from the token's document. "" when not valid."""
    if not code:
        return ""
    try:
        token_id = links.verify_short(deps.settings.link_signing_key, code)
    except links.BadLink:
        return ""
    expires = tokens.link_expiry(deps.store.get, token_id, key=deps.settings.link_signing_key)
    if expires is None:
        return ""
    return links.sign(deps.settings.link_signing_key, token_id, expires)


def view(deps: Deps, signed: str, lang: Lang) -> Page:
    link = _verify(deps, signed)
    if link is None:
        return _problem(deps, lang, "invalid")
    token = tokens.load(
        deps.store.get, link.token_id, link.expires, key=deps.settings.link_signing_key
    )
    state = _check(token, link.expires, deps.clock.now())
    lang = _lang_for(deps, token, lang)
    if state != "ok" or token is None:
        return _problem(deps, lang, state)
    a = ACTIONS[lang]
    action = str(token["action"])
    paragraphs = [a[f"{action}_explain"], *describe(deps, token, lang)]
    extra = ""
    if action == "confirm_pretalk":
        extra = pretalk_fields(deps, token, lang)
    elif action == "survey":
        a_ = ACTIONS[lang]
        extra = pages.render_fragment("pages/survey_fields.html", a=a_)
    elif action == "leave_group":
        extra = pages.render_fragment("pages/leave_fields.html", a=ACTIONS[lang])
    return Page(
        200,
        pages.action_page(
            deps.centre,
            lang,
            token=signed,
            action=action,
            heading=a[f"{action}_heading"],
            paragraphs=paragraphs,
            button=a[f"{action}_button"],
            extra_html=extra,
        ),
    )


def act(deps: Deps, signed: str, form: Form, lang: Lang) -> Page:
    link = _verify(deps, signed)
    if link is None:
        return _problem(deps, lang, "invalid")
    now = deps.clock.now()
    posted = (form.get("action") or [""])[-1]

    Result = tuple[State, str, dict[str, Any] | None]

    def tx_fn(tx: Tx) -> tuple[Result, list[TaskSpec]]:
        token = tokens.load(tx.get, link.token_id, link.expires, key=deps.settings.link_signing_key)
        state = _check(token, link.expires, now)
        if state != "ok" or token is None:
            return (state, "", token), []
        if posted != token.get("action"):
            return ("invalid", "", token), []
        named = {**token, "_id": link.token_id}
        outcome, specs = HANDLERS[str(token["action"])](deps, tx, named, now, form)
        tokens.use(tx, link.token_id, token, now)
        entry = audit_entry(token) if outcome == "ok" else None
        if entry is not None:  # issue 22: what an email link did is in the console's log too
            audit.audit(tx, now, *entry)
        return (("ok" if outcome == "ok" else "stale"), str(token["action"]), token), specs

    state, action, token = outbox.commit(deps.store, deps.queue, now, tx_fn)
    page_lang = _lang_for(deps, token, lang)
    if state != "ok":
        return _problem(deps, page_lang, state)
    log.info("action done", extra={"action": action})
    a = ACTIONS[page_lang]
    return Page(
        200,
        pages.message_page(
            deps.centre, page_lang, a[f"{action}_done_heading"], a[f"{action}_done"]
        ),
    )


# The link kinds that mails to the coordinators carry, and the console's name for each kind, so
# the log reads the same whichever way it was done.
COORDINATOR_LINKS: dict[str, str] = {
    "confirm_pretalk": "pretalk",
    "approve_group": "approve",
    "retry_staffing": "retry",
    "dissolve_group": "dissolve",
    "close_group": "close",
}
AS_CONSOLE = {**COORDINATOR_LINKS, "request_followup": "followup"}


def audit_entry(token: dict[str, Any]) -> tuple[str, str, str] | None:
    """(actor, action, subject) of what a link did, for the console's log: ids and kinds only.
    A member is not named (the subject is their group, and an erasure leaves nothing that says
    who); a survey answer is not logged at all (issue 18: nothing links a member to it)."""
    kind = str(token.get("action"))
    if kind == "survey":
        return None
    if kind == "erase":
        return audit.BY_RESIDENT, "erase", ERASED
    subject = str(token.get("group_id") or token.get("inquiry_id") or "")
    if kind in COORDINATOR_LINKS:
        actor = audit.BY_COORDINATOR_LINK
    elif token.get("facilitator_id"):
        actor = f"{audit.BY_FACILITATOR}:{token['facilitator_id']}"
    elif token.get("inquiry_id"):
        actor = audit.BY_MEMBER
    else:  # the facilitator's follow-up link names only the group
        actor = audit.BY_FACILITATOR
    return actor, AS_CONSOLE.get(kind, kind), subject


def describe(deps: Deps, token: dict[str, Any], lang: Lang) -> list[str]:
    """One line of context for the confirmation page: which group, when, where (no personal data)."""
    gid = token.get("group_id")
    if not gid:
        return []
    group = deps.store.get(f"groups/{gid}")
    if group is None:
        return []
    # where to meet (issue 16): the address, room, way in and entrance, one line each
    rows = place_details(deps, group, lang)
    return [group_summary(deps, group, lang), *(f"{label}: {value}" for label, value in rows)]


def pretalk_fields(deps: Deps, token: dict[str, Any], lang: Lang) -> str:
    inquiry = deps.store.get(f"inquiries/{token['inquiry_id']}") or {}
    t = UI[lang]
    return pages.render_fragment(
        "pages/pretalk_fields.html",
        t=t,
        topics=[(x.key, x.label(lang)) for x in deps.centre.topics],
        formats=[(f, t[f"format_{f}"]) for f in FORMATS],
        times=[(x, t[f"time_{x}"]) for x in TIMES],
        values={
            **{k: inquiry.get(k, []) for k in ("topics", "formats", "times")},
            "age_band": inquiry.get("age_band") or "",
        },
        labels={k: FIELD_LABELS[lang][k] for k in ("topics", "formats", "times", "age_band")},
        age_bands=AGE_BANDS,
    )
