"""The person's own page (issue 17; CONTRACT.md § The person's own page): GET /me?t=<token> shows
where they stand and why, what would place them sooner, their wishes and contact, everything
stored about them, and withdrawal or erasure; GET /me/data?t=<token> is that data as JSON.

GET never acts; every change is a POST of one of the page's forms (its hidden `action`), run in
one transaction with the pool run it starts. The link names a random id stored on the inquiry
(`me_token`), signed like an action link; erasure or expiry removes it, and the link stops working.
Nothing on the page tells the person anything about another person: no count is shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shared import logs
from shared.catalogs import Bound
from shared.domain import intake_rules, links, widen
from shared.domain.vocabulary import AGE_BANDS, FORMATS, TIMES
from shared.languages import LANGS, Lang
from shared.ports import TaskSpec, Tx, Where
from shared.texts.form import FIELD_LABELS, error_text
from shared.texts.me import DATA_LABELS, ME
from shared.texts.pages import ACTIONS, UI
from workflows.links import pages
from workflows.links.pages import FORM_LANGUAGES
from workflows.messaging.describe import group_summary
from workflows.messaging.waiting import widening_label
from workflows.platform import outbox
from workflows.platform.render import render
from workflows.platform.runtime import Deps
from workflows.saga import waiting
from workflows.saga.assemble import pool_now

log = logs.get_logger(__name__)
PREFIX = "me-"
SECRET_FIELDS = ("me_token", "erase_token", "pretalk_token")


@dataclass(frozen=True)
class Page:
    status: int
    body: str
    content_type: str = "text/html; charset=utf-8"


def _find(deps: Deps, signed: str) -> tuple[str, dict[str, Any]] | str:
    """(inquiry id, inquiry) or the problem: "invalid" | "expired"."""
    try:
        link = links.verify(deps.settings.link_signing_key, signed)
    except links.BadLink:
        return "invalid"
    if not link.token_id.startswith(PREFIX):
        return "invalid"
    rows = deps.store.query("inquiries", [Where("me_token", "==", link.token_id)], limit=1)
    if not rows:
        return "invalid"
    if link.expires <= deps.clock.now():
        return "expired"
    return rows[0]


def expand_short(deps: Deps, code: str) -> str:
    """An SMS's /me?s=<code> as the signed form (the expiry is the inquiry's)."""
    try:
        token_id = links.verify_short(deps.settings.link_signing_key, code)
    except links.BadLink:
        return ""
    rows = deps.store.query("inquiries", [Where("me_token", "==", token_id)], limit=1)
    until = rows[0][1].get("erase_until") if rows else None
    if not isinstance(until, datetime):
        return ""
    return links.sign(deps.settings.link_signing_key, token_id, until)


def _problem(deps: Deps, lang: Lang, state: str) -> Page:
    a = ACTIONS[lang]
    status = 404 if state == "invalid" else 410
    return Page(status, pages.message_page(deps.centre, lang, a[f"{state}_heading"], a[state]))


def _lang(inquiry: dict[str, Any], fallback: Lang) -> Lang:
    lang = inquiry.get("lang")
    return lang if lang in LANGS else fallback


def _plain(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.isoformat()
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    return v


def export(deps: Deps, iid: str, inquiry: dict[str, Any]) -> dict[str, Any]:
    """Everything stored about the person (GDPR art. 15 and 20), and nothing about anyone else:
    their person and inquiry documents (link secrets named, not shown), their own entry in every
    group that names them (the group's kind and dates, no other member, no facilitator), and the
    links sent to them."""
    person = deps.store.get(f"people/{iid}") or {}
    inq = {k: ("(link)" if k in SECRET_FIELDS and v else v) for k, v in inquiry.items()}
    groups = []
    gids = {str(inquiry["group_id"])} if inquiry.get("group_id") else set()
    gids |= {
        gid for gid, _ in deps.store.query("groups", [Where("declined", "array_contains", iid)])
    }
    for _path, g in deps.store.get_many([f"groups/{x}" for x in sorted(gids)]).items():
        if g is None:
            continue
        groups.append(
            {
                "status": g.get("status"),
                "topic": g.get("topic"),
                "place": g.get("place"),
                "slot": g.get("slot"),
                "meeting_dates": g.get("meeting_dates"),
                "you": (g.get("members") or {}).get(iid),
                "you_declined": iid in (g.get("declined") or []),
            }
        )
    sent = [
        {"action": t.get("action"), "expires": t.get("expires"), "used_at": t.get("used_at")}
        for _, t in deps.store.query("tokens", [Where("inquiry_id", "==", iid)])
    ]
    out: dict[str, Any] = _plain(
        {"person": person, "inquiry": inq, "groups": groups, "links": sent}
    )
    return out


def _waited(m: Bound, now: datetime, since: Any) -> str:
    if not isinstance(since, datetime):
        return ""
    days = max(0, (now - since).days)
    if days >= 14:
        return m.plural("waited_weeks", days // 7).format(n=days // 7)
    return m.plural("waited_days", days).format(n=days)


def _erase_url(deps: Deps, inquiry: dict[str, Any]) -> str | None:
    token, until = inquiry.get("erase_token"), inquiry.get("erase_until")
    if not token or not isinstance(until, datetime):
        return None
    return links.action_url(
        deps.settings.public_base_url, deps.settings.link_signing_key, str(token), until
    )


def render_page(
    deps: Deps,
    signed: str,
    iid: str,
    inquiry: dict[str, Any],
    lang: Lang,
    *,
    notice: str = "",
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    kind: str = "",
    status: int = 200,
) -> Page:
    now = deps.clock.now()
    m = ME[lang]
    state = str(inquiry.get("status"))
    person = deps.store.get(f"people/{iid}") or {}
    reason, offers = "", []
    if state == "waiting":
        pool = pool_now(deps)
        reason = m[f"why_{widen.reason(pool, iid)}"]
        offers = [(w.code, widening_label(deps, w, lang)) for w in widen.suggest(iid, pool)]
    status_text = m.get(f"status_{state}", "")
    if state == "withdrawn" and isinstance(inquiry.get("withdrawn_at"), datetime):
        until = inquiry["withdrawn_at"] + timedelta(days=waiting.UNDO_DAYS)
        status_text = status_text.format(until=f"{until:%d.%m.%Y}")
    group_line = ""
    if inquiry.get("group_id") and state in ("proposed", "placed"):
        g = deps.store.get(f"groups/{inquiry['group_id']}")
        group_line = group_summary(deps, g, lang) if g else ""
    data = export(deps, iid, inquiry)
    posted = values or {}
    source = posted if kind == "wishes" else inquiry
    wishes = {k: source.get(k) for k in intake_rules.WISH_FIELDS}
    contact = {
        k: str((posted if kind == "contact" else person).get(k) or "") for k in ("email", "phone")
    }
    t = UI[lang]
    body = render(
        "pages/me.html",
        **pages.common(deps.centre, lang),
        m=m,
        d=DATA_LABELS[lang],
        token=signed,
        state=state,
        status_text=status_text,
        waited=_waited(m, now, inquiry.get("queued_at")) if state != "placed" else "",
        group_line=group_line,
        reason=reason,
        offers=offers,
        ask=state == "waiting" and waiting.asked_unanswered(inquiry),
        can_undo=state == "withdrawn",
        can_edit=state in waiting.EDITABLE,
        can_withdraw=state in waiting.WITHDRAWABLE,
        notice=notice,
        errors=errors or {},
        wishes={**wishes, "age_band": wishes.get("age_band") or ""},
        own=contact,  # the person's own address and number ("contact" is the centre's, issue 22)
        labels=dict(FIELD_LABELS[lang]),
        municipalities=[(x.code, x.name) for x in deps.centre.municipalities],
        topics=[(x.key, x.label(lang)) for x in deps.centre.topics],
        formats=[(f, t[f"format_{f}"]) for f in FORMATS],
        times=[(x, t[f"time_{x}"]) for x in TIMES],
        languages=[(code, name) for code, name in FORM_LANGUAGES],
        age_bands=AGE_BANDS,
        data=data,
        data_json=json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True),
        erase_url=_erase_url(deps, inquiry),
        a_erase=ACTIONS[lang]["erase_button"],
    )
    return Page(status, body)


def view(deps: Deps, signed: str, lang: Lang) -> Page:
    found = _find(deps, signed)
    if isinstance(found, str):
        return _problem(deps, lang, found)
    iid, inquiry = found
    return render_page(deps, signed, iid, inquiry, _lang(inquiry, lang))


def data(deps: Deps, signed: str, lang: Lang) -> Page:
    found = _find(deps, signed)
    if isinstance(found, str):
        return Page(
            404 if found == "invalid" else 410, json.dumps({"error": found}), "application/json"
        )
    iid, inquiry = found
    return Page(
        200,
        json.dumps(export(deps, iid, inquiry), ensure_ascii=False, sort_keys=True),
        "application/json",
    )


def _raw(form: dict[str, list[str]], keys: tuple[str, ...], lists: set[str]) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for k in keys:
        vals = [v for v in form.get(k, []) if v != ""]
        if k in lists:
            raw[k] = vals
        elif vals:
            raw[k] = vals[-1]
    return raw


def act(deps: Deps, signed: str, form: dict[str, list[str]], lang: Lang) -> Page:
    found = _find(deps, signed)
    if isinstance(found, str):
        return _problem(deps, lang, found)
    iid, inquiry = found
    lang = _lang(inquiry, lang)
    m = ME[lang]
    now = deps.clock.now()
    action = (form.get("action") or [""])[-1]
    errors: dict[str, str] = {}
    update: dict[str, Any] | None = None
    raw: dict[str, Any] = {}
    if action == "wishes":
        lists = {"topics", "formats", "times", "languages", "travel"}
        raw = _raw(form, intake_rules.WISH_FIELDS, lists)
        update, problems = intake_rules.validate_wishes(raw, deps.centre)
    elif action == "contact":
        raw = _raw(form, ("email", "phone"), set())
        update, problems = intake_rules.validate_contact(
            raw, deps.settings.mail_backend == "smtp" and deps.settings.smtp_utf8
        )
    else:
        problems = []
    for p in problems:
        errors.setdefault(p.field, error_text(p.code, p.field, lang, **p.params))
    if errors:
        return render_page(deps, signed, iid, inquiry, lang, errors=errors, values=raw, status=422)

    def fn(tx: Tx) -> tuple[str, list[TaskSpec]]:
        if action == "widen":
            return waiting.accept_widening(deps, tx, iid, (form.get("widening") or [""])[-1], now)
        if action == "wishes" and update is not None:
            return waiting.edit_wishes(deps, tx, iid, update, now, "person")
        if action == "contact" and update is not None:
            return _contact(tx, iid, update)
        if action == "withdraw":
            return waiting.withdraw(deps, tx, iid, now, "page")
        if action.startswith("still_"):
            return waiting.answer_question(deps, tx, iid, action[len("still_") :], now)
        if action == "undo":
            return waiting.undo_withdrawal(deps, tx, iid, now)
        return "stale", []

    outcome = outbox.commit(deps.store, deps.queue, now, fn)
    known = action in ("widen", "wishes", "contact", "withdraw", "undo") or action.startswith(
        "still_"
    )
    log.info(
        "own page change", extra={"action": action[:14] if known else "other", "outcome": outcome}
    )
    done = {
        "widen": "widen_done",
        "wishes": "wishes_done",
        "contact": "contact_done",
        "withdraw": "withdrawn_done",
        "still_no": "withdrawn_done",
        "still_yes": "still_done",
        "still_unsure": "still_done",
        "undo": "undo_done",
    }
    notice = m[done[action]] if outcome == "ok" and action in done else m["stale"]
    fresh = deps.store.get(f"inquiries/{iid}") or inquiry
    return render_page(
        deps, signed, iid, fresh, lang, notice=notice, status=200 if outcome == "ok" else 409
    )


def _contact(tx: Tx, iid: str, update: dict[str, Any]) -> tuple[str, list[TaskSpec]]:
    person = tx.get(f"people/{iid}")
    if person is None:
        return "stale", []
    tx.update(f"people/{iid}", update)
    tx.update(f"inquiries/{iid}", {"has_email": update.get("email") is not None})
    return "ok", []
