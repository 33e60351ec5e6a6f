"""actions: signed email links. GET shows a confirmation page; only the POST acts, once.

Each kind is a handler run inside one transaction with the token check and the outbox record, so a
double click, a refresh or a replay acts once and then shows "already used".
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from shared import logs
from shared.config import Lang
from shared.domain import links
from shared.domain.vocabulary import AGE_BANDS, FORMATS, TIMES
from shared.i18n import ACTIONS, FIELD_LABELS, LANGS, UI
from shared.ports import TaskSpec, Tx, Where
from workflows.links import pages
from workflows.platform import outbox, tokens
from workflows.platform.runtime import Deps
from workflows.saga import enqueue, invitations, proposal, running, staffing

log = logs.get_logger(__name__)
State = Literal["ok", "invalid", "expired", "used", "stale"]
Form = dict[str, list[str]]
Handler = Callable[[Deps, Tx, dict[str, Any], datetime, Form], tuple[str, list[TaskSpec]]]


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
    expires = tokens.link_expiry(deps.store.get, token_id)
    if expires is None:
        return ""
    return links.sign(deps.settings.link_signing_key, token_id, expires)


def view(deps: Deps, signed: str, lang: Lang) -> Page:
    link = _verify(deps, signed)
    if link is None:
        return _problem(deps, lang, "invalid")
    token = tokens.load(deps.store.get, link.token_id, link.expires)
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
        token = tokens.load(tx.get, link.token_id, link.expires)
        state = _check(token, link.expires, now)
        if state != "ok" or token is None:
            return (state, "", token), []
        if posted != token.get("action"):
            return ("invalid", "", token), []
        named = {**token, "_id": link.token_id}
        outcome, specs = HANDLERS[str(token["action"])](deps, tx, named, now, form)
        tokens.use(tx, link.token_id, token, now)
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


def describe(deps: Deps, token: dict[str, Any], lang: Lang) -> list[str]:
    """One line of context for the confirmation page: which group, when, where (no personal data)."""
    gid = token.get("group_id")
    if not gid:
        return []
    group = deps.store.get(f"groups/{gid}")
    if group is None:
        return []
    from workflows.messaging.notify import group_summary

    return [group_summary(deps, group, lang)]


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


# ---------------------------------------------------------------- handlers


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _erase(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    """Remove everything about the person at once, leaving only the anonymous counters (issue 10).

    The inquiry becomes a tombstone (status only, gone after a day); the person, their reference and
    their links go; every group that still names them (current, declined, dissolved) drops the id
    with its link tokens. Pending mails and tasks then find nobody and do nothing. A second erase
    finds the tombstone (or nothing) and changes nothing."""
    iid = str(token["inquiry_id"])
    inquiry = tx.get(f"inquiries/{iid}")
    if inquiry is None or inquiry.get("status") in ("erased", "expired"):
        return "stale", []
    # Reads first (a transaction reads before it writes); the queries find what holds the id.
    named = {
        gid
        for where in (
            Where(f"members.`{iid}`.queued_at", ">", EPOCH),
            Where("declined", "array_contains", iid),
        )
        for gid, _ in deps.store.query("groups", [where])
    }
    if inquiry.get("group_id"):
        named.add(str(inquiry["group_id"]))
    group_docs = tx.get_many([f"groups/{gid}" for gid in sorted(named)])
    in_use = {token.get("_id"), token.get("pair")}
    links = [
        tid
        for tid, _ in deps.store.query("tokens", [Where("inquiry_id", "==", iid)])
        if tid not in in_use
    ]
    tx.delete(f"people/{iid}")
    tx.set(f"inquiries/{iid}", {"status": "erased", "expire_at": now + timedelta(days=1)})
    month = inquiry["created_at"].strftime("%Y-%m")
    tx.increment(f"stats/{month}_{inquiry['municipality']}", {"withdrawn": 1})
    for path, group in group_docs.items():
        if group is None:
            continue
        tx.update(
            path,
            {
                "members": {k: v for k, v in group.get("members", {}).items() if k != iid},
                "declined": [x for x in group.get("declined", []) if x != iid],
                "link_tokens": {
                    k: v for k, v in (group.get("link_tokens") or {}).items() if k != iid
                },
            },
        )
    for tid in links:  # dead links that no longer name anyone
        tx.set(
            f"tokens/{tid}",
            {"inquiry_id": None, "used_at": now, "expire_at": now + timedelta(days=1)},
            merge=True,
        )
    return "ok", []


def _confirm_pretalk(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    iid = str(token["inquiry_id"])
    inquiry = tx.get(f"inquiries/{iid}")
    if inquiry is None or inquiry.get("status") != "awaiting_pretalk":
        return "stale", []
    update: dict[str, Any] = {"status": "waiting", "pretalk_at": now}
    band = (form.get("age_band") or [""])[-1]
    if band in AGE_BANDS:
        update["age_band"] = band
    allowed = {"topics": set(deps.centre.topic_keys), "formats": set(FORMATS), "times": set(TIMES)}
    for key, ok in allowed.items():
        chosen = [v for v in form.get(key, []) if v in ok]
        if chosen:
            update[key] = list(dict.fromkeys(chosen))
    tx.update(f"inquiries/{iid}", update)
    return "ok", [enqueue.assemble(deps, "pretalk", iid)]


def _approve(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    return proposal.approve(deps, tx, token, now)


def _offer(accept: bool) -> Handler:
    def handler(
        deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
    ) -> tuple[str, list[TaskSpec]]:
        if token.get("purpose") == "followup":
            return running.followup_answer(deps, tx, token, now, accept)
        return staffing.offer_answer(deps, tx, token, now, accept)

    return handler


def _invitation(accept: bool) -> Handler:
    def handler(
        deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
    ) -> tuple[str, list[TaskSpec]]:
        return invitations.answer(deps, tx, token, now, accept)

    return handler


def _survey(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    """Store the answer with no link to the person: a fresh id, the year and the municipality only."""
    raw = (form.get("satisfaction") or [""])[-1]
    if raw not in ("1", "2", "3", "4", "5"):
        return "stale", []
    tx.create(
        f"surveys/{uuid.uuid4().hex}",
        {
            "year": int(token["year"]),
            "municipality": str(token.get("municipality", "other")),
            "satisfaction": int(raw),
            "recommend": (form.get("recommend") or [""])[-1] == "yes",
            "expire_at": now + timedelta(days=3 * 365),
        },
    )
    return "ok", []


def _close(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    return running.close_action(deps, tx, token, now)


def _followup(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    return running.followup_request(deps, tx, token, now)


def _retry_staffing(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    return staffing.retry_action(deps, tx, token, now)


def _dissolve(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    return proposal.dissolve_action(deps, tx, token, now)


HANDLERS: dict[str, Handler] = {
    "erase": _erase,
    "confirm_pretalk": _confirm_pretalk,
    "approve_group": _approve,
    "accept_offer": _offer(True),
    "decline_offer": _offer(False),
    "accept_invitation": _invitation(True),
    "decline_invitation": _invitation(False),
    "request_followup": _followup,
    "survey": _survey,
    "close_group": _close,
    "retry_staffing": _retry_staffing,
    "dissolve_group": _dissolve,
}
