"""A facilitator's own page (issue 9): /console/self?t=<personal link>.

The link is the only key: it names no one, only its hash is stored on the facilitator, and a new
link replaces the old one. It opens this page and the calendar, nothing else — no console session
is created, so it cannot reach the console, and it names its own facilitator, so it cannot reach
another's page. The form's CSRF value is derived from the link (the page has no session).
"""

from __future__ import annotations

import hmac
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from shared.domain import roster, slots
from shared.domain.ics import meetings_ics
from shared.languages import Lang
from shared.ports import Where
from shared.texts.console import CONSOLE
from workflows.console import auth
from workflows.console.commands import save_self, self_link_hash, set_room_link
from workflows.console.web import Req, Resp, one, problem_texts
from workflows.messaging import describe
from workflows.platform.render import render
from workflows.platform.runtime import Deps
from workflows.saga import resources


def _facilitator(deps: Deps, token: str) -> tuple[str, dict[str, Any]] | None:
    if not token or len(token) > 100:
        return None
    digest = self_link_hash(token)
    for fid, doc in deps.store.query("facilitators", [Where("self_link", "==", digest)]):
        expires = doc.get("self_link_expires")
        live = isinstance(expires, datetime) and expires > deps.clock.now()
        if doc.get("active") is not False and live:
            return fid, doc
    return None


def _csrf(deps: Deps, token: str) -> str:
    return auth.keyed(deps, "self", token)[:32]


def upcoming(deps: Deps, fid: str) -> list[tuple[datetime, str]]:
    """The facilitator's booked meetings from today: (start, what and where)."""
    lang = deps.centre.centre.default_language
    today = deps.clock.now().astimezone(ZoneInfo(deps.centre.centre.timezone)).date()
    bookings = [
        b
        for _, b in deps.store.query("facilitator_bookings", [Where("facilitator_id", "==", fid)])
        if date.fromisoformat(str(b["date"])) >= today
    ]
    gids = sorted({str(b["group_id"]) for b in bookings})
    docs = deps.store.get_many([f"groups/{g}" for g in gids]) if gids else {}
    out = []
    for b in bookings:
        g = docs.get(f"groups/{b['group_id']}")
        if g is None or g.get("status") in ("closed", "dissolved"):
            continue
        start = resources.meeting_start(deps, date.fromisoformat(str(b["date"])), str(g["slot"]))
        out.append((start, describe.group_summary(deps, g, lang)))
    return sorted(out)


def _room_link_groups(deps: Deps, fid: str, lang: Lang) -> list[dict[str, Any]]:
    """The facilitator's digital groups, when the centre's groups meet at a fixed link."""
    if deps.centre.meeting_rooms.provider != "link":
        return []
    return [
        {"id": gid, "summary": describe.group_summary(deps, g, lang), "link": g.get("room_link")}
        for gid, g in deps.store.query("groups", [Where("facilitator_id", "==", fid)])
        if g.get("place") == "digital" and g.get("status") not in ("closed", "dissolved")
    ]


def handle(deps: Deps, req: Req, rest: list[str], lang: Lang) -> Resp:
    t = CONSOLE[lang]
    token = req.query.get("t") or (req.form.get("t") or [""])[-1]
    found = _facilitator(deps, token)
    ctx: dict[str, Any] = {
        "t": t,
        "lang": lang,
        "langs": (),
        "base": auth.cookie_path(deps),
        "centre_name": deps.centre.centre.name,
        "session": None,
        "current": "",
        "flash": "",
        "again": False,
    }

    def message(status: int, heading: str, text: str) -> Resp:
        html = render("console/message.html", **ctx, heading=t[heading], text=t[text], csrf="")
        return Resp(status, html, lang=lang)

    if found is None:
        return message(404, "self_heading", "self_invalid")
    fid, doc = found
    if rest == ["calendar.ics"] and req.method == "GET":
        meetings = upcoming(deps, fid)
        ics = meetings_ics(
            uid_base=f"self-{fid}",
            summary=deps.centre.centre.name,
            location="",
            description="",
            starts=[m[0] for m in meetings],
            minutes=deps.centre.groups.meeting_minutes,
            stamp=deps.clock.now(),
        )
        return Resp(
            200,
            ics,
            "text/calendar; charset=utf-8",
            {"Content-Disposition": 'attachment; filename="linkflyt.ics"'},
        )
    if rest not in ([], ["room_link"]):
        return Resp(404, "not found", "text/plain")
    errors: dict[str, str] = {}
    values = dict(doc)
    status = 200
    flash = ""
    if rest == ["room_link"]:  # the facilitator enters their digital group's link (issue 16)
        if req.method != "POST":
            return Resp(405, "method not allowed", "text/plain", {"Allow": "POST"})
        if not hmac.compare_digest(one(req.form, "csrf").encode(), _csrf(deps, token).encode()):
            return message(403, "forbidden_heading", "forbidden")
        out = set_room_link(
            deps, f"facilitator:{fid}", one(req.form, "group"), one(req.form, "room_link"), fid
        )
        flash = (
            t["room_link_invalid"] if out == "invalid" else t["done" if out == "ok" else "stale"]
        )
        status = 422 if out == "invalid" else 200
    elif req.method == "POST":
        if not hmac.compare_digest(one(req.form, "csrf").encode(), _csrf(deps, token).encode()):
            return message(403, "forbidden_heading", "forbidden")
        update, problems = roster.parse_self_service(req.form, deps.centre.topic_keys)
        if problems:
            status = 422
            errors = problem_texts(problems, lang)
            values.update(update)
        elif save_self(deps, fid, update) == "ok":
            values.update(update)
            flash = t["done"]
    elif req.method != "GET":
        return Resp(405, "method not allowed", "text/plain", {"Allow": "GET, POST"})
    if isinstance(values.get("away"), list):
        values["away"] = roster.format_ranges(values["away"])
    tz = ZoneInfo(deps.centre.centre.timezone)
    html = render(
        "console/self.html",
        **{**ctx, "flash": flash},
        token=token,
        csrf=_csrf(deps, token),
        v=values,
        errors=errors,
        topics=[(x.key, x.label(lang)) for x in deps.centre.topics],
        slot_options=[(s, describe.slot_label(deps, s, lang)) for s in slots.ALL_SLOTS],
        meetings=[
            (m[0].astimezone(tz).strftime("%d.%m.%Y %H:%M"), m[1]) for m in upcoming(deps, fid)
        ],
        room_groups=_room_link_groups(deps, fid, lang),
    )
    return Resp(status, html, lang=lang)
