"""The group card's two larger repairs (issue 16): replacing the facilitator and moving the group
to another weekly time or room (what the card shows of them: repair_card.py). The confirmation
pages say what will change (or, for a move that is not allowed, why not, naming the field) and
nothing changes until their POST, which runs the same handler as every repair
(commands.repair). Routing is in app.py; the card itself in views.py."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.domain import slots
from shared.languages import Lang
from shared.texts.console import CONSOLE
from workflows.console import auth, commands
from workflows.console.views import page
from workflows.console.web import Form, Resp, one
from workflows.messaging import describe
from workflows.platform.runtime import Deps
from workflows.saga import relocate, replace

KINDS = ("replace_facilitator", "move_group")


def _days(ds: list[date]) -> str:
    return ", ".join(f"{d:%d.%m.%Y}" for d in ds)


def confirm(
    deps: Deps, lang: Lang, gid: str, kind: str, query: dict[str, str], ctx: dict[str, Any]
) -> Resp:
    t = CONSOLE[lang]
    g = deps.store.get(f"groups/{gid}")
    if g is None or kind not in KINDS:
        return page(deps, lang, "message.html", 404, heading="404", text=t["not_found"], **ctx)
    if kind == "move_group":
        return move_page(deps, lang, gid, query.get("slot", ""), query.get("venue", ""), ctx)
    fac = (
        deps.store.get(f"facilitators/{g.get('facilitator_id')}")
        if g.get("facilitator_id")
        else None
    )
    left = [d for _, d in replace.remaining(deps, g, deps.clock.now())]
    text = t["confirm_replace_facilitator"].format(
        name=(fac or {}).get("name", t["none"]), dates=_days(left)
    )
    return page(
        deps,
        lang,
        "confirm.html",
        current="groups",
        gid=gid,
        kind=kind,
        summary=describe.group_summary(deps, g, lang),
        text=text,
        hidden={},
        ask_back=False,
        **ctx,
    )


def move_page(
    deps: Deps,
    lang: Lang,
    gid: str,
    slot: str,
    venue: str,
    ctx: dict[str, Any],
    status: int = 200,
) -> Resp:
    """Before and after, side by side (weekday and time, place, the meetings ahead); a move that
    is not allowed answers 422 with what stops it and no button that does it."""
    t = CONSOLE[lang]
    slot, venue = slot[:32], venue[:64]
    g, plan = relocate.plan_now(deps, gid, slot, venue or None)
    if not g:
        return page(deps, lang, "message.html", 404, heading="404", text=t["not_found"], **ctx)
    errors = {f"move-{name}": t[code] for name, code in reversed(plan.problems)}
    ahead = relocate.ahead(deps, g, deps.clock.now())
    ds = g.get("meeting_dates") or []
    after = {**g, "slot": plan.slot, "venue_id": plan.venue_id}
    rows = [
        (
            t["move_when"],
            describe.when(deps, g, lang),
            describe.when(deps, after, lang) if plan.slot in slots.ALL_SLOTS else plan.slot,
        ),
        (t["move_where"], describe.place(deps, g, lang), describe.place(deps, after, lang)),
        (
            t["move_dates"],
            _days([date.fromisoformat(ds[int(k) - 1]) for k in ahead]),
            _days(list(plan.moves.values())),
        ),
    ]
    return page(
        deps,
        lang,
        "move_group.html",
        422 if errors else status,
        current="groups",
        gid=gid,
        summary=describe.group_summary(deps, g, lang),
        rows=rows,
        errors=errors,
        hidden={"slot": slot, "venue": venue},
        **ctx,
    )


def post_move(deps: Deps, s: auth.Session, gid: str, form: Form, lang: Lang) -> Resp:
    """The confirming POST: refused with the page again when the move is (no longer) allowed."""
    slot, venue = one(form, "slot"), one(form, "venue")
    _, plan = relocate.plan_now(deps, gid, slot, venue or None)
    ctx = {"session": s, "csrf": s.csrf}
    if plan.problems:
        return move_page(deps, lang, gid, slot, venue, ctx)
    out = commands.repair(deps, s.coordinator, gid, "move_group", form)
    flash = "done" if out == "ok" else out
    target = auth.cookie_path(deps) + f"/groups/{gid}?flash={flash}"
    return Resp(303, "", headers={"Location": target})
