"""The console's pages (issue 9): every GET only reads, and renders one template with the names
the coordinator works with. Routing, the session and the POST commands are in app.py."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from shared.domain import reference, roster, slots, widen
from shared.domain.facilitators import count_trained
from shared.domain.lifecycle import RUNNING
from shared.domain.pool import Shortfall
from shared.domain.vocabulary import AGE_BANDS, FORMATS, TIMES
from shared.languages import Lang, language_names
from shared.ports import Where
from shared.texts.console import CONSOLE, STATES
from shared.texts.pages import UI
from shared.texts.setup import SETUP
from workflows import intake
from workflows.console import auth, repair_card
from workflows.console.commands import IRREVERSIBLE, REPAIRS
from workflows.console.web import Resp
from workflows.links.pages import FORM_LANGUAGES
from workflows.messaging import describe
from workflows.platform.render import render
from workflows.platform.runtime import Deps
from workflows.reporting import digest
from workflows.saga import calendars, repair
from workflows.saga.assemble import pool_now
from workflows.saga.handlers import ERASED
from workflows.saga.staffing import current_load

FINISHED = ("closed", "dissolved", "cancelled")
LANG_NAMES = (("nb", "Bokmål"), ("nn", "Nynorsk"), ("en", "English"))


def page(deps: Deps, lang: Lang, template: str, status: int = 200, **ctx: Any) -> Resp:
    t = CONSOLE[lang]
    html = render(
        f"console/{template}",
        t=t,
        s=SETUP[lang],
        lang=lang,
        langs=LANG_NAMES,
        base=auth.cookie_path(deps),
        centre_name=deps.centre.centre.name,
        **{"session": None, "csrf": "", "current": "", "flash": "", "again": False, **ctx},
    )
    return Resp(status, html, lang=lang)


def _names(deps: Deps, lang: Lang) -> dict[str, Any]:
    ui = UI[lang]
    return {
        "municipality": {m.code: m.name for m in deps.centre.municipalities}
        | {"other": ui["municipality_other"], "digital": CONSOLE[lang]["digital"]},
        "topic": {x.key: x.label(lang) for x in deps.centre.topics},
        "format": {f: ui[f"format_{f}"] for f in FORMATS},
        "time": {x: ui[f"time_{x}"] for x in TIMES},
        "state": STATES[lang],
        # language codes as names in the coordinator's language ("norsk, arabisk", issue 22)
        "languages": lambda codes: language_names(codes, lang),
    }


def _days(now: datetime, then: Any) -> int:
    return max(0, (now - then).days) if isinstance(then, datetime) else 0


def overview(
    deps: Deps, lang: Lang, rest: list[str], query: dict[str, str], ctx: dict[str, Any]
) -> Resp:
    now = deps.clock.now()
    today = now.astimezone(ZoneInfo(deps.centre.centre.timezone)).date()
    count = Counter(d.get("status") for _, d in deps.store.query("groups"))
    inquiries = Counter(d.get("status") for _, d in deps.store.query("inquiries"))
    year = today.year
    totals: Counter[str] = Counter()
    for sid, doc in deps.store.query("stats"):
        if sid.startswith(f"{year}-"):
            if sid.endswith("_centre"):
                totals["groups_started"] += int(doc.get("groups_started", 0))
            else:
                totals["placed"] += int(doc.get("placed", 0))
    trained = count_trained(f for _, f in deps.store.query("facilitators"))
    goals = deps.centre.goals
    cards = [
        (inquiries["awaiting_pretalk"], "count_pretalk", "/pretalk"),
        (inquiries["waiting"], "count_waiting", "/pool"),
        (count["awaiting_approval"], "count_proposals", "/groups"),
        (count["needs_facilitator"], "count_lacking", "/groups"),
        (sum(count[s] for s in RUNNING), "count_running", "/groups"),
    ]
    goal_rows = [
        ("goal_groups", totals["groups_started"], goals.groups_started_per_year),
        ("goal_facilitators", trained, goals.trained_facilitators),
        ("goal_placed", totals["placed"], None),
    ]
    sections = digest.build(deps, lang)
    return page(
        deps,
        lang,
        "overview.html",
        current="",
        cards=cards,
        goals=goal_rows,
        year=year,
        sections=sections,
        **ctx,
    )


def _inquiries(deps: Deps, status: str, oldest_by: str) -> list[tuple[str, dict[str, Any]]]:
    """The inquiries in one state, oldest first."""
    found = deps.store.query("inquiries", [Where("status", "==", status)])
    return sorted(found, key=lambda x: str(x[1].get(oldest_by)))


def _date(deps: Deps, at: Any) -> str:
    tz = ZoneInfo(deps.centre.centre.timezone)
    return at.astimezone(tz).strftime("%d.%m.%Y") if isinstance(at, datetime) else ""


def pretalk(
    deps: Deps, lang: Lang, rest: list[str], query: dict[str, str], ctx: dict[str, Any]
) -> Resp:
    """The people awaiting a pre-talk as a list, oldest first; each person's contacts and form are
    on a page of their own (issue 22: nine full forms were thirteen phone screens)."""
    if len(rest) == 1:
        return pretalk_person(deps, lang, rest[0], ctx)
    if rest:
        return page(
            deps, lang, "message.html", 404, heading="404", text=CONSOLE[lang]["not_found"], **ctx
        )
    now = deps.clock.now()
    found = _inquiries(deps, "awaiting_pretalk", "created_at")
    people = deps.store.get_many([f"people/{iid}" for iid, _ in found])
    rows = [
        {
            "id": iid,
            "inquiry": inq,
            "person": people.get(f"people/{iid}") or {},
            "since": _date(deps, inq.get("created_at")),
            "waited": _days(now, inq.get("created_at")),
        }
        for iid, inq in found
    ]
    return page(
        deps,
        lang,
        "pretalk.html",
        current="pretalk",
        rows=rows,
        n=_names(deps, lang),
        **ctx,
    )


def pretalk_person(deps: Deps, lang: Lang, iid: str, ctx: dict[str, Any]) -> Resp:
    """One person awaiting a pre-talk: tap to call or write, their message, the pre-talk form."""
    inquiry = deps.store.get(f"inquiries/{iid}")
    if inquiry is None or inquiry.get("status") != "awaiting_pretalk":
        return page(
            deps, lang, "message.html", 404, heading="404", text=CONSOLE[lang]["not_found"], **ctx
        )
    return page(
        deps,
        lang,
        "pretalk_person.html",
        current="pretalk",
        iid=iid,
        inquiry=inquiry,
        person=deps.store.get(f"people/{iid}") or {},
        since=_date(deps, inquiry.get("created_at")),
        waited=_days(deps.clock.now(), inquiry.get("created_at")),
        n=_names(deps, lang),
        topics=[(x.key, x.label(lang)) for x in deps.centre.topics],
        formats=[(f, UI[lang][f"format_{f}"]) for f in FORMATS],
        times=[(x, UI[lang][f"time_{x}"]) for x in TIMES],
        age_bands=AGE_BANDS,
        **ctx,
    )


def wishes_page(
    deps: Deps,
    lang: Lang,
    iid: str,
    ctx: dict[str, Any],
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Resp:
    """One waiting person's wishes to change (issue 17): their place stays, a pool run follows."""
    inquiry = deps.store.get(f"inquiries/{iid}")
    if inquiry is None or inquiry.get("status") not in ("awaiting_pretalk", "waiting"):
        return page(
            deps, lang, "message.html", 404, heading="404", text=CONSOLE[lang]["not_found"], **ctx
        )
    return page(
        deps,
        lang,
        "wishes.html",
        status,
        current="pool",
        iid=iid,
        inquiry=inquiry,
        values=values or inquiry,
        errors=errors or {},
        n=_names(deps, lang),
        topics=[(x.key, x.label(lang)) for x in deps.centre.topics],
        formats=[(f, UI[lang][f"format_{f}"]) for f in FORMATS],
        times=[(x, UI[lang][f"time_{x}"]) for x in TIMES],
        municipalities=[(m.code, m.name) for m in deps.centre.municipalities],
        languages=[(code, language_names(code, lang)) for code, _ in FORM_LANGUAGES],
        age_bands=AGE_BANDS,
        **ctx,
    )


def pool(
    deps: Deps, lang: Lang, rest: list[str], query: dict[str, str], ctx: dict[str, Any]
) -> Resp:
    if rest:
        return wishes_page(deps, lang, rest[0], ctx)
    now = deps.clock.now()
    waiting = _inquiries(deps, "waiting", "queued_at")
    # issue 21: judged after the pool run it would trigger, so "ready" means it places them
    why = widen.reasons(pool_now(deps))
    rows = [
        {
            "id": iid,
            "inquiry": d,
            "waited": _days(now, d.get("queued_at")),
            # a person who arrived between the two reads is judged at the next look
            "why": why.get(iid, Shortfall(None, 1, ("people",))),
        }
        for iid, d in waiting
    ]
    return page(
        deps,
        lang,
        "pool.html",
        current="pool",
        rows=rows,
        n=_names(deps, lang),
        min_size=deps.centre.groups.min_size,
        **ctx,
    )


def groups_page(
    deps: Deps, lang: Lang, rest: list[str], query: dict[str, str], ctx: dict[str, Any]
) -> Resp:
    if len(rest) == 1:
        return group_card(deps, lang, rest[0], ctx)
    if len(rest) == 3 and rest[1] == "confirm" and rest[2] in REPAIRS:
        return confirm_repair(deps, lang, rest[0], rest[2], query, ctx)
    if len(rest) == 3 and rest[1] == "confirm" and rest[2] in IRREVERSIBLE:
        return confirm_group_action(deps, lang, rest[0], rest[2], ctx)
    if rest:
        t = CONSOLE[lang]
        return page(deps, lang, "message.html", 404, heading="404", text=t["not_found"], **ctx)
    show_all = query.get("all") == "1"
    docs = sorted(
        (
            (gid, g)
            for gid, g in deps.store.query("groups")
            if show_all or g.get("status") not in FINISHED
        ),
        key=lambda x: (x[1].get("status") in FINISHED, str(x[1].get("created_at"))),
    )
    venues = {vid: v.get("name", vid) for vid, v in deps.store.query("venues")}
    facs = {fid: f.get("name", fid) for fid, f in deps.store.query("facilitators")}
    members = [m for _, g in docs for m in g.get("members", {})]
    people = deps.store.get_many([f"people/{m}" for m in members]) if members else {}
    inquiries = deps.store.get_many([f"inquiries/{m}" for m in members]) if members else {}
    rows = []
    for gid, g in docs:
        phone_only = [
            {
                "id": m,
                "reference": (inquiries.get(f"inquiries/{m}") or {}).get("reference", m),
                "name": (people.get(f"people/{m}") or {}).get("name", ""),
                "phone": (people.get(f"people/{m}") or {}).get("phone", ""),
            }
            for m, info in g.get("members", {}).items()
            if g.get("status") in ("facilitator_confirmed", "confirmed")
            and info.get("response") is None
            and not (people.get(f"people/{m}") or {}).get("email")
        ]
        member_ids = list(g.get("members", {}))
        yes = sum(1 for m in member_ids if g["members"][m].get("response") == "accepted")
        rows.append(
            {
                "id": gid,
                "g": g,
                # issue 22: who is in it and how many have said yes, not a bare count
                "answers": CONSOLE[lang]["answers"].format(yes=yes, total=len(member_ids)),
                "member_names": [
                    str((people.get(f"people/{m}") or {}).get("name") or "") for m in member_ids
                ],
                "summary": describe.group_summary(deps, g, lang),
                "venue": venues.get(g.get("venue_id") or "", ""),
                "facilitator": facs.get(g.get("facilitator_id") or "", ""),
                "actions": _group_actions(g),
                "phone_only": phone_only,
                # a centre whose digital groups meet at a fixed link enters it here (issue 16)
                "room_link_form": g.get("place") == "digital"
                and deps.centre.meeting_rooms.provider == "link"
                and g.get("status") not in FINISHED,
            }
        )
    return page(
        deps,
        lang,
        "groups.html",
        current="groups",
        rows=rows,
        irreversible=IRREVERSIBLE,
        n=_names(deps, lang),
        show_all=show_all,
        **ctx,
    )


def _when(deps: Deps, at: Any) -> str:
    tz = ZoneInfo(deps.centre.centre.timezone)
    return at.astimezone(tz).strftime("%d.%m.%Y %H:%M") if isinstance(at, datetime) else ""


def _card(deps: Deps, lang: Lang, gid: str, g: dict[str, Any]) -> dict[str, Any]:
    """Everything the group card shows: members with their contacts (only here), their answers,
    the meetings with what hits them, and the group's history."""
    t = CONSOLE[lang]
    now = deps.clock.now()
    ids = sorted(g.get("members", {}), key=lambda m: str(g["members"][m].get("queued_at")))
    left_ids = [x["id"] for x in g.get("left", [])]
    docs = deps.store.get_many(
        [p for m in (*ids, *left_ids) for p in (f"people/{m}", f"inquiries/{m}")]
    )
    members = []
    for m in ids:
        person = docs.get(f"people/{m}") or {}
        members.append(
            {
                "id": m,
                "name": person.get("name", ""),
                "contact": " · ".join(x for x in (person.get("email"), person.get("phone")) if x),
                "reference": (docs.get(f"inquiries/{m}") or {}).get("reference") or "",
                "accepted": g["members"][m].get("response") == "accepted",
            }
        )
    yes = sum(1 for m in members if m["accepted"])
    answers = t["answers"].format(yes=yes, total=len(members))
    deadline = g.get("invitation_deadline")
    if g.get("status") == "facilitator_confirmed" and isinstance(deadline, datetime):
        answers += ", " + t["answers_deadline"].format(deadline=_when(deps, deadline)[:10])
    venues = dict(deps.store.query("venues"))
    fac = deps.store.get(f"facilitators/{g['facilitator_id']}") if g.get("facilitator_id") else None
    hits = repair.conflicts(deps, g, venues, fac, now)
    standing = calendars.meetings(g)
    ahead = set(standing) - calendars.past(deps, g, now)
    meetings = [
        {
            "key": str(i),
            "label": t["meeting_n"].format(n=i, date=f"{datetime.fromisoformat(d):%d.%m.%Y}"),
            "cancelled": str(i) not in standing,
            "ahead": str(i) in ahead and g.get("status") in RUNNING,
            "venue": venues.get(str((g.get("meeting_rooms") or {}).get(str(i)) or ""), {}).get(
                "name", ""
            ),
            "why": [
                t["conflict_venue" if h["why"] == "venue" else "conflict_facilitator"]
                for h in hits
                if h["meeting"] == str(i)
            ],
            "facilitator_away": any(
                h["meeting"] == str(i) and h["why"] == "facilitator" for h in hits
            ),
        }
        for i, d in enumerate(g.get("meeting_dates") or [], 1)
    ]
    history: list[tuple[datetime, str]] = [
        (g[f], STATES[lang].get(s, s)) for f, s in HISTORY if isinstance(g.get(f), datetime)
    ]
    for x in g.get("left", []):
        who = (docs.get(f"people/{x['id']}") or {}).get("name", "")
        history.append((x["at"], f"{STATES[lang]['left']}: {who}".rstrip(": ")))
    logged = [e for _, e in deps.store.query("audit", [Where("subject", "==", gid)])]
    words = AuditWords(deps, lang, logged)  # issue 22: in words, and who by name
    for e in logged:
        history.append((e["at"], f"{words.action(e['action'])} ({words.actor(e['actor'])})"))
    history.sort(key=lambda h: h[0])
    same_place = [
        (vid, v.get("name", vid))
        for vid, v in sorted(venues.items())
        if v.get("municipality") == g.get("place") and vid != g.get("venue_id")
    ]
    return {
        "id": gid,
        "g": g,
        "summary": describe.group_summary(deps, g, lang),
        "members": members,
        "answers": answers,
        "meetings": meetings,
        "history": [(_when(deps, at), what) for at, what in history],
        "venue": venues.get(g.get("venue_id") or "", {}).get("name", ""),
        "facilitator": (fac or {}).get("name", ""),
        "rooms": same_place,
        "running": g.get("status") in RUNNING,
        "can_cancel": g.get("status") == "confirmed",
        "can_message": g.get("status") not in FINISHED,
        "repairs": repair_card.card(deps, lang, g, venues),  # issue 16: replace, move the group
    }


HISTORY = (
    ("created_at", "awaiting_approval"),
    ("approved_at", "approved"),
    ("confirmed_at", "confirmed"),
    ("started_at", "started"),
    ("self_run_at", "self_run"),
    ("cancelled_at", "cancelled"),
    ("dissolved_at", "dissolved"),
    ("closed_at", "closed"),
)


def group_card(
    deps: Deps,
    lang: Lang,
    gid: str,
    ctx: dict[str, Any],
    status: int = 200,
    errors: dict[str, str] | None = None,
    text: str = "",
) -> Resp:
    g = deps.store.get(f"groups/{gid}")
    if g is None:
        t = CONSOLE[lang]
        return page(deps, lang, "message.html", 404, heading="404", text=t["not_found"], **ctx)
    return page(
        deps,
        lang,
        "group.html",
        status,
        current="groups",
        r=_card(deps, lang, gid, g),
        n=_names(deps, lang),
        errors=errors or {},
        text=text,
        **ctx,
    )


def confirm_repair(
    deps: Deps, lang: Lang, gid: str, kind: str, query: dict[str, str], ctx: dict[str, Any]
) -> Resp:
    """The GOV.UK warning pattern: what will happen, that it cannot be undone, one button that
    does it and a way back; nothing changes until the POST."""
    t = CONSOLE[lang]
    g = deps.store.get(f"groups/{gid}")
    if g is None:
        return page(deps, lang, "message.html", 404, heading="404", text=t["not_found"], **ctx)
    hidden: dict[str, str] = {}
    key = query.get("meeting", "")
    ds = g.get("meeting_dates") or []
    day = ds[int(key) - 1] if key.isdigit() and 1 <= int(key) <= len(ds) else ""
    day_text = f"{datetime.fromisoformat(day):%d.%m.%Y}" if day else ""
    member_name = ""
    if kind == "remove_member":
        mid = query.get("member", "")
        if mid not in g.get("members", {}):
            return page(deps, lang, "message.html", 404, heading="404", text=t["not_found"], **ctx)
        member_name = (deps.store.get(f"people/{mid}") or {}).get("name", "")
        hidden["member"] = mid
        text = t["confirm_remove_member"].format(name=member_name)
    elif kind in ("cancel_meeting", "move_meeting"):
        if not day:
            return page(deps, lang, "message.html", 404, heading="404", text=t["not_found"], **ctx)
        hidden["meeting"] = key
        for field in ("date", "venue"):
            if query.get(field):
                hidden[field] = query[field][:32]
        text = t[f"confirm_{kind}"].format(n=key, date=day_text)
    else:
        text = t["confirm_cancel_group"]
    return page(
        deps,
        lang,
        "confirm.html",
        current="groups",
        gid=gid,
        kind=kind,
        summary=describe.group_summary(deps, g, lang),
        text=text,
        hidden=hidden,
        ask_back=kind == "remove_member",
        **ctx,
    )


def confirm_group_action(deps: Deps, lang: Lang, gid: str, kind: str, ctx: dict[str, Any]) -> Resp:
    """Close or dissolve a group (issue 22): what happens and to whom, then one button."""
    t = CONSOLE[lang]
    g = deps.store.get(f"groups/{gid}")
    if g is None:
        return page(deps, lang, "message.html", 404, heading="404", text=t["not_found"], **ctx)
    if kind not in _group_actions(g):  # already done, or no longer possible
        return groups_page(deps, lang, [], {}, {**ctx, "flash": t["stale"]})
    summary = describe.group_summary(deps, g, lang)
    ids = list(g.get("members", {}))
    people = deps.store.get_many([f"people/{m}" for m in ids]) if ids else {}
    names = [str((people.get(f"people/{m}") or {}).get("name") or "") for m in ids]
    return page(
        deps,
        lang,
        "confirm_action.html",
        current="groups",
        heading=t[f"confirm_{kind}_heading"],
        summary=summary,
        text=t[f"confirm_{kind}"].format(n=len(ids)),
        who=[x for x in names if x],
        action=f"/groups/{gid}/{kind}",
        hidden={},
        yes=t[f"confirm_{kind}_yes"],
        back=f"/groups/{gid}",
        **ctx,
    )


def confirm_erase(
    deps: Deps, lang: Lang, rest: list[str], query: dict[str, str], ctx: dict[str, Any]
) -> Resp:
    """Erase a person (issue 22): whom, and what goes, before the one button that does it."""
    t = CONSOLE[lang]
    inquiry = deps.store.get(f"inquiries/{rest[0]}") if len(rest) == 1 else None
    if inquiry is None or inquiry.get("status") in ("erased", "expired"):
        return page(deps, lang, "message.html", 404, heading="404", text=t["not_found"], **ctx)
    iid = rest[0]
    name = str((deps.store.get(f"people/{iid}") or {}).get("name") or "")
    came = "pretalk" if query.get("from") == "pretalk" else "find"
    back = f"/pretalk/{iid}" if came == "pretalk" else "/find"
    return page(
        deps,
        lang,
        "confirm_action.html",
        current=came,
        heading=t["confirm_erase_heading"].format(name=name or inquiry.get("reference", "")),
        summary=f"{t['reference']}: {inquiry.get('reference', '')}",
        text=t["confirm_erase"].format(name=name or inquiry.get("reference", "")),
        who=[],
        action=f"/erase/{iid}",
        hidden={"from": came},
        yes=t["confirm_erase_yes"],
        back=back,
        **ctx,
    )


def _group_actions(g: dict[str, Any]) -> list[str]:
    status = g.get("status")
    acts = []
    if status == "awaiting_approval":
        acts.append("approve")
    if status == "needs_facilitator":
        acts.append("retry")
    if status in ("awaiting_approval", "needs_facilitator"):
        acts.append("dissolve")
    if status in RUNNING:
        if (g.get("followup") or {}).get("status") not in ("requested", "offered"):
            acts.append("followup")
        acts.append("close")
    return acts


def roster_page(
    deps: Deps, lang: Lang, rest: list[str], query: dict[str, str], ctx: dict[str, Any], coll: str
) -> Resp:
    if rest == ["new"]:
        return roster_form(deps, lang, coll, None, {}, {}, 200, ctx)
    if len(rest) == 1:
        doc = deps.store.get(f"{coll}/{rest[0]}")
        if doc is None:
            return page(
                deps,
                lang,
                "message.html",
                404,
                heading="404",
                text=CONSOLE[lang]["not_found"],
                **ctx,
            )
        return roster_form(deps, lang, coll, rest[0], doc, {}, 200, ctx)
    load = current_load(deps) if coll == "facilitators" else {}
    items = sorted(
        deps.store.query(coll), key=lambda x: (x[1].get("active") is False, str(x[1].get("name")))
    )
    return page(
        deps,
        lang,
        f"{coll}.html",
        current=coll,
        items=items,
        load=load,
        n=_names(deps, lang),
        slot_label=lambda s: describe.slot_label(deps, s, lang),
        **ctx,
    )


def roster_form(
    deps: Deps,
    lang: Lang,
    coll: str,
    doc_id: str | None,
    doc: dict[str, Any],
    errors: dict[str, str],
    status: int,
    ctx: dict[str, Any],
) -> Resp:
    values = dict(doc)
    for key in ("away", "unavailable"):
        if isinstance(values.get(key), list):
            values[key] = roster.format_ranges(values[key])
    template = "facilitator_form.html" if coll == "facilitators" else "venue_form.html"
    return page(
        deps,
        lang,
        template,
        status,
        current=coll,
        doc_id=doc_id,
        v=values,
        errors=errors,
        municipalities=[(m.code, m.name) for m in deps.centre.municipalities],
        topics=[(x.key, x.label(lang)) for x in deps.centre.topics],
        slot_options=[(s, describe.slot_label(deps, s, lang)) for s in slots.ALL_SLOTS],
        **ctx,
    )


def find(
    deps: Deps, lang: Lang, rest: list[str], query: dict[str, str], ctx: dict[str, Any]
) -> Resp:
    ref = query.get("reference", "").strip().upper()[:40]
    hit: dict[str, Any] | None = None
    if ref and reference.PATTERN.match(ref):
        iid = intake.inquiry_by_reference(deps.store, ref) or ""
        inquiry = deps.store.get(f"inquiries/{iid}") if iid else None
        if inquiry is not None:
            hit = {"id": iid, "inquiry": inquiry, "person": deps.store.get(f"people/{iid}") or {}}
    return page(
        deps, lang, "find.html", current="find", reference=ref, hit=hit, n=_names(deps, lang), **ctx
    )


def audit_page(
    deps: Deps, lang: Lang, rest: list[str], query: dict[str, str], ctx: dict[str, Any]
) -> Resp:
    """The log in words (issue 22): what was done, by whom (a coordinator or facilitator by name,
    or which kind of email link), about whom or what. The entries keep ids and kinds only; the
    names are looked up here, for this page."""
    entries = sorted(deps.store.query("audit"), key=lambda x: x[1]["at"], reverse=True)[:200]
    words = AuditWords(deps, lang, [e for _, e in entries])
    rows = [
        {
            "at": _when(deps, e["at"]),
            "actor": words.actor(str(e.get("actor", ""))),
            "action": words.action(str(e.get("action", ""))),
            "subject": words.subject(str(e.get("action", "")), str(e.get("subject", ""))),
        }
        for _, e in entries
    ]
    return page(deps, lang, "audit.html", current="audit", rows=rows, **ctx)


def _subject_collection(action: str) -> str:
    """Which collection an audit entry's subject id is in, by its action kind."""
    if action.endswith("_facilitator") or action in ("send_self_link", "self_update"):
        return "facilitators"
    if action.endswith("_venue"):
        return "venues"
    if action in ("pretalk", "wishes"):
        return "people"
    if action.startswith(("settings_", "import_")) or action in ("sign_in", "sign_out"):
        return ""
    return "groups"


class AuditWords:
    """Audit entries' ids and kinds as the coordinator reads them, with the names they need read
    at once (one batch per collection)."""

    def __init__(self, deps: Deps, lang: Lang, entries: list[dict[str, Any]]) -> None:
        self.deps, self.lang, self.t = deps, lang, CONSOLE[lang]
        self.coordinators = auth.coordinator_names(deps)
        paths = {
            f"{coll}/{e['subject']}"
            for e in entries
            if (coll := _subject_collection(str(e.get("action", ""))))
            and e.get("subject")
            and e.get("subject") != ERASED
        }
        paths |= {f"inquiries/{p.split('/', 1)[1]}" for p in paths if p.startswith("people/")}
        facs = {
            str(e["actor"]).split(":", 1)[-1]
            for e in entries
            if str(e.get("actor", "")).startswith("facilitator:")
            or str(e.get("action")) == "self_update"
        }
        paths |= {f"facilitators/{f}" for f in facs}
        safe = sorted(p for p in paths if _safe_path(p))
        self.docs = deps.store.get_many(safe) if safe else {}

    def actor(self, actor: str) -> str:
        t = self.t
        if actor in self.coordinators:
            return self.coordinators[actor]
        kind, _, fid = actor.partition(":")
        if kind == "facilitator" and fid:
            name = (self.docs.get(f"facilitators/{fid}") or {}).get("name")
            return (
                t["actor_facilitator_named"].format(name=name) if name else t["actor_facilitator"]
            )
        if f"actor_{actor}" in t:
            return str(t[f"actor_{actor}"])
        fac = self.docs.get(f"facilitators/{actor}")  # a facilitator's own page acts as them
        if fac and fac.get("name"):
            return t["actor_facilitator_self"].format(name=fac["name"])
        return str(t["actor_former"])

    def action(self, kind: str) -> str:
        return str(self.t.get(f"action_{kind}") or kind.replace("_", " "))

    def subject(self, action: str, subject: str) -> str:
        t = self.t
        if subject == ERASED:
            return str(t["subject_erased"])
        coll = _subject_collection(action)
        if not subject:
            return ""
        if not coll:
            return self.coordinators.get(subject, "")
        doc = self.docs.get(f"{coll}/{subject}")
        if coll == "groups":
            return describe.group_summary(self.deps, doc, self.lang) if doc else t["subject_gone"]
        if coll == "people":
            ref = (self.docs.get(f"inquiries/{subject}") or {}).get("reference", "")
            name = (doc or {}).get("name", "")
            return " · ".join(x for x in (name, ref) if x) or str(t["subject_gone"])
        return str((doc or {}).get("name") or t["subject_gone"])


def _safe_path(path: str) -> bool:
    return all(0 < len(x) <= 64 and "/" not in x and not x.startswith(".") for x in path.split("/"))


def subject_name(deps: Deps, lang: Lang, path: str) -> str:
    """Whom or what a flash is about, by the document's path ("people/<id>"): the person's or the
    facilitator's name, the venue's name, the group's summary; "" when it is gone."""
    coll = path.partition("/")[0]
    if coll not in ("people", "facilitators", "venues", "groups") or not _safe_path(path):
        return ""
    doc = deps.store.get(path)
    if doc is None:
        return ""
    if coll == "groups":
        return describe.group_summary(deps, doc, lang)
    return str(doc.get("name") or "")


FLASHES = ("done", "stale", "erased", "self_link_sent", "room_link_invalid", "pretalk_done")


def flash_text(deps: Deps, lang: Lang, key: str, about: str) -> str:
    """What the page says was just done, naming whom it was about when there is a name (issue 22):
    "Saved: Kari Nordmann." rather than "Saved."."""
    t = CONSOLE[lang]
    if key not in FLASHES:
        return ""
    name = subject_name(deps, lang, about) if about else ""
    if name and f"{key}_named" in t:
        return str(t[f"{key}_named"]).format(name=name)
    return str(t[key])


VIEWS = {
    "": overview,
    "pretalk": pretalk,
    "pool": pool,
    "groups": groups_page,
    "facilitators": lambda d, la, r, q, c: roster_page(d, la, r, q, c, "facilitators"),
    "venues": lambda d, la, r, q, c: roster_page(d, la, r, q, c, "venues"),
    "find": find,
    "erase": confirm_erase,
    "audit": audit_page,
}
