"""The coordinator console (issue 9): routing, sign-in, the session and CSRF gate, and the POST
commands; the pages are in views.py.

Served by the public intake function under /console (CONTRACT.md § Coordinator console). Pages are
plain HTML forms: they work on a phone and without JavaScript. Every GET only reads; every POST
passes the CSRF check first and then runs one command (workflows/console/commands.py).
"""

from __future__ import annotations

import re
from typing import Any

from shared.domain import intake_rules, roster
from shared.languages import Lang, pick_lang
from shared.texts.console import CONSOLE
from shared.texts.form import error_text
from workflows.console import (
    auth,
    commands,
    group_repairs,
    import_pages,
    selfservice,
    settings_pages,
)
from workflows.console.views import (
    VIEWS,
    flash_text,
    group_card,
    page,
    roster_form,
    wishes_page,
)
from workflows.console.web import SECURITY_HEADERS, Form, Req, Resp, one, problem_texts
from workflows.platform.runtime import Deps

SAFE_ID = re.compile(r"^(?!\.)[A-Za-z0-9_.-]{1,64}$")


def handle(deps: Deps, req: Req) -> Resp:
    lang = _lang(deps, req)
    parts = [p for p in req.path.split("/") if p]
    if not all(SAFE_ID.match(p) for p in parts):  # ids only, and never a bad Firestore path
        resp = page(deps, lang, "message.html", 404, heading="404", text=CONSOLE[lang]["not_found"])
    elif parts[:1] == ["login"]:
        resp = _login(deps, req, lang)
    elif parts[:1] == ["self"]:
        resp = selfservice.handle(deps, req, parts[1:], lang)
    else:
        resp = _signed_in(deps, req, parts, lang)
    resp.headers = {**SECURITY_HEADERS, **resp.headers}
    return resp


def _lang(deps: Deps, req: Req) -> Lang:
    asked = req.query.get("lang")
    if asked in ("nb", "nn", "en"):
        return pick_lang(asked)
    # bokmål (the centre's language) by default, whatever the browser says; the choice is kept in
    # the session (issue 9)
    return deps.centre.centre.default_language


def _redirect(deps: Deps, path: str, flash: str = "") -> Resp:
    flash = "done" if flash == "ok" else flash
    target = auth.cookie_path(deps) + path + (f"?flash={flash}" if flash else "")
    return Resp(303, "", headers={"Location": target})


def _cookie(deps: Deps, value: str, max_age: int) -> str:
    parts = [
        f"{auth.COOKIE}={value}",
        f"Path={auth.cookie_path(deps)}",
        f"Max-Age={max_age}",
        "HttpOnly",
        "SameSite=Strict",
    ]
    if auth.secure_cookie(deps):
        parts.append("Secure")
    return "; ".join(parts)


# ---------------------------------------------------------------- sign-in (no session needed)


def _login(deps: Deps, req: Req, lang: Lang) -> Resp:
    token = req.query.get("t") or one(req.form, "t")
    if req.method == "GET":
        if not token:
            return page(deps, lang, "signin.html")
        state = auth.login_state(deps, token)
        if state != "ok":
            return page(
                deps,
                lang,
                "message.html",
                410,
                heading=CONSOLE[lang]["login_heading"],
                text=CONSOLE[lang]["login_invalid"],
                again=True,
            )
        return page(deps, lang, "login.html", token=token, csrf=auth.login_csrf(deps, token))
    if req.method != "POST":
        return Resp(405, "method not allowed", "text/plain", {"Allow": "GET, POST"})
    if token:  # the sign-in button
        if one(req.form, "csrf") != auth.login_csrf(deps, token):
            return _forbidden(deps, lang)
        state, sid = auth.sign_in(deps, token, req.cookie, lang)
        if state != "ok":
            return page(
                deps,
                lang,
                "message.html",
                410,
                heading=CONSOLE[lang]["login_heading"],
                text=CONSOLE[lang]["login_invalid"],
                again=True,
            )
        resp = _redirect(deps, "")
        resp.set_cookie = _cookie(deps, sid, auth.SESSION_HOURS * 3600)
        return resp
    email = one(req.form, "email")[:320]
    if email.strip():
        auth.request_link(deps, email, req.client, lang)
    t = CONSOLE[lang]
    return page(deps, lang, "message.html", heading=t["signin_sent_heading"], text=t["signin_sent"])


def _forbidden(deps: Deps, lang: Lang) -> Resp:
    t = CONSOLE[lang]
    return page(
        deps, lang, "message.html", 403, heading=t["forbidden_heading"], text=t["forbidden"]
    )


# ---------------------------------------------------------------- the signed-in console


def _signed_in(deps: Deps, req: Req, parts: list[str], lang: Lang) -> Resp:
    s = auth.session(deps, req.cookie)
    if s is None:
        if req.method == "POST":
            if parts == ["logout"]:
                return _redirect(deps, "")
            return _forbidden(deps, lang)
        return page(deps, lang, "signin.html")  # never data without a session
    lang = auth.set_lang(deps, s, lang).lang if req.query.get("lang") else s.lang
    flash = _flash(lang, req.query.get("flash", ""))
    if req.method == "GET":
        waiting = auth.take_flash(deps, s)
        if waiting and not flash:
            flash = flash_text(deps, lang, *waiting)
    ctx = {"session": s, "csrf": s.csrf, "flash": flash}
    if req.method == "POST":
        if not auth.csrf_ok(s, one(req.form, "csrf")):
            return _forbidden(deps, lang)
        if parts[:1] == ["import"]:  # issue 17: a file upload, then its confirmation
            return import_pages.post(deps, s, parts[1:], req, lang)
        if parts[:1] == ["settings"]:
            return settings_pages.post(deps, s, parts[1:], req.form, lang)
        return _post(deps, s, parts, req.form, lang)
    if req.method != "GET":
        return Resp(405, "method not allowed", "text/plain", {"Allow": "GET, POST"})
    # issue 16: replacing the facilitator and moving the group have confirmation pages of their own
    if (
        len(parts) == 4
        and parts[:1] == ["groups"]
        and parts[2] == "confirm"
        and (parts[3] in group_repairs.KINDS)
    ):
        return group_repairs.confirm(deps, lang, parts[1], parts[3], req.query, ctx)
    view = {**VIEWS, "import": import_pages.show, "settings": settings_pages.show}.get(
        parts[0] if parts else ""
    )
    if view is None:
        return page(
            deps, lang, "message.html", 404, heading="404", text=CONSOLE[lang]["not_found"], **ctx
        )
    return view(deps, lang, parts[1:], req.query, ctx)


def _flash(lang: Lang, key: str) -> str:
    return (
        CONSOLE[lang].get(key, "")
        if key in ("done", "stale", "erased", "self_link_sent", "room_link_invalid")
        else ""
    )


def _after(
    deps: Deps, s: auth.Session, path: str, outcome: str, about: str = "", done: str = "done"
) -> Resp:
    """The redirect after a command. What the next page says ("Saved: Kari Nordmann") waits in the
    session with the path of whom it was about, so no name (nor id) is in the URL (issue 22)."""
    key = done if outcome == "ok" else outcome
    auth.set_flash(deps, s, key, about if outcome == "ok" else "")
    return Resp(303, "", headers={"Location": auth.cookie_path(deps) + path})


def _to_confirm(deps: Deps, path: str) -> Resp:
    """An irreversible POST without the confirmation's mark: the confirmation page first."""
    return Resp(303, "", headers={"Location": auth.cookie_path(deps) + path})


def _post(deps: Deps, s: auth.Session, parts: list[str], form: Form, lang: Lang) -> Resp:
    actor = s.coordinator
    confirmed = one(form, "confirmed") == "yes"
    match parts:
        case ["logout"]:
            auth.sign_out(deps, s)
            resp = page(
                deps, lang, "message.html", heading=CONSOLE[lang]["signed_out"], text="", again=True
            )
            resp.set_cookie = _cookie(deps, "", 0)
            return resp
        case ["pretalk", iid]:
            out = commands.record_pretalk(deps, actor, iid, form)
            return _after(deps, s, "/pretalk", out, f"people/{iid}", "pretalk_done")
        case ["pool", iid, "wishes"]:
            return _wishes(deps, s, iid, form, lang)
        case ["erase", iid]:  # issue 22: only from its confirmation page
            if not confirmed:
                return _to_confirm(deps, f"/erase/{iid}")
            out = commands.erase(deps, actor, iid)
            back = "/pretalk" if one(form, "from") == "pretalk" else "/find"
            return _after(deps, s, back, out, "", "erased")
        case ["groups", gid, "answer", iid]:
            accept = one(form, "answer") == "yes"
            out = commands.answer_for(deps, actor, gid, iid, accept)
            return _after(deps, s, "/groups", out, f"people/{iid}")
        case ["groups", gid, "repair", "move_group"]:  # refused with its page when not allowed
            return group_repairs.post_move(deps, s, gid, form, lang)
        case ["groups", gid, "repair", kind] if kind in commands.REPAIRS:  # after confirm.html
            out = commands.repair(deps, actor, gid, kind, form)
            return _after(deps, s, f"/groups/{gid}", out, f"groups/{gid}")
        case ["groups", gid, "message"]:
            return _message(deps, s, gid, one(form, "text"), lang)
        case ["groups", gid, "room_link"]:
            out = commands.set_room_link(deps, actor, gid, one(form, "room_link"))
            out = "room_link_invalid" if out == "invalid" else out
            return _after(deps, s, "/groups", out, f"groups/{gid}")
        case ["groups", gid, kind] if kind in commands.GROUP_ACTIONS:
            if kind in commands.IRREVERSIBLE and not confirmed:  # issue 22
                return _to_confirm(deps, f"/groups/{gid}/confirm/{kind}")
            out = commands.group_action(deps, actor, gid, kind)
            return _after(deps, s, "/groups", out, f"groups/{gid}")
        case [("facilitators" | "venues") as coll, *rest]:
            return _post_roster(deps, actor, coll, rest, form, lang, s)
    return page(deps, lang, "message.html", 404, heading="404", text=CONSOLE[lang]["not_found"])


def _message(deps: Deps, s: auth.Session, gid: str, text: str, lang: Lang) -> Resp:
    ctx = {"session": s, "csrf": s.csrf}
    t = CONSOLE[lang]
    problem = commands.message_problem(text)
    if problem:
        return group_card(deps, lang, gid, ctx, 422, {"text": t[problem]}, text)
    out, n = commands.message_group(deps, s.coordinator, gid, text)
    if out != "ok":
        return _after(deps, s, f"/groups/{gid}", "stale")
    return group_card(deps, lang, gid, ctx, text=t["message_sent"].format(n=n))


def _wishes(deps: Deps, s: auth.Session, iid: str, form: Form, lang: Lang) -> Resp:
    lists = {"topics", "formats", "times", "languages", "travel"}
    raw: dict[str, Any] = {}
    for k in intake_rules.WISH_FIELDS:
        vals = [v for v in form.get(k, []) if v != ""]
        if k in lists:
            raw[k] = vals
        elif vals:
            raw[k] = vals[-1]
    update, problems = intake_rules.validate_wishes(raw, deps.centre)
    if update is None:
        errors = {p.field: error_text(p.code, p.field, lang, **p.params) for p in problems}
        ctx = {"session": s, "csrf": s.csrf, "flash": ""}
        return wishes_page(deps, lang, iid, ctx, values=raw, errors=errors, status=422)
    out = commands.edit_wishes(deps, s.coordinator, iid, update)
    return _after(deps, s, "/pool", out, f"people/{iid}")


def _post_roster(
    deps: Deps, actor: str, coll: str, rest: list[str], form: Form, lang: Lang, s: auth.Session
) -> Resp:
    if len(rest) == 2 and rest[1] == "active":
        out = commands.set_active(deps, actor, coll, rest[0], one(form, "active") == "1")
        return _after(deps, s, f"/{coll}", out, f"{coll}/{rest[0]}")
    if len(rest) == 2 and rest[1] == "link" and coll == "facilitators":
        out = commands.send_self_link(deps, actor, rest[0])
        return _after(deps, s, f"/{coll}", out, f"{coll}/{rest[0]}", "self_link_sent")
    if len(rest) > 1:
        return page(deps, lang, "message.html", 404, heading="404", text=CONSOLE[lang]["not_found"])
    doc_id = rest[0] if rest else None
    codes = tuple(m.code for m in deps.centre.municipalities)
    if coll == "facilitators":
        doc, problems = roster.parse_facilitator(form, codes, deps.centre.topic_keys)
    else:
        doc, problems = roster.parse_venue(form, codes)
    if problems:
        errors = problem_texts(problems, lang)
        return roster_form(
            deps, lang, coll, doc_id, doc, errors, 422, {"session": s, "csrf": s.csrf}
        )
    saved = commands.save(deps, actor, coll, doc_id, doc)
    return _after(deps, s, f"/{coll}", "ok" if saved else "stale", f"{coll}/{saved}")


__all__ = ["handle"]
