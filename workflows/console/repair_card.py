"""What the group card shows of its two larger repairs (issue 16): a replacement of the
facilitator under way (or one nobody could take), and the choices of the "move the group" form.
The confirmation pages and their POST are in group_repairs.py."""

from __future__ import annotations

from typing import Any

from shared.domain import slots
from shared.languages import Lang
from shared.texts.console import CONSOLE
from workflows.messaging import describe
from workflows.platform.runtime import Deps
from workflows.saga import relocate, replace


def card(deps: Deps, lang: Lang, g: dict[str, Any], venues: dict[str, Any]) -> dict[str, Any]:
    """What the group card shows of a replacement under way and the move form's choices."""
    t = CONSOLE[lang]
    now = deps.clock.now()
    rep = g.get("replacement") or {}
    status = rep.get("status")
    note = ""
    if status == "requested":
        note = t["replace_requested"]
    elif status == "offered":
        fac = deps.store.get(f"facilitators/{rep.get('facilitator_id')}") or {}
        note = t["replace_offered"].format(name=fac.get("name", ""))
    elif status == "unstaffed":
        note = t["replace_unstaffed"]
    movable = g.get("status") in ("confirmed", "started", "self_run") and bool(
        relocate.ahead(deps, g, now)
    )
    rooms = [
        (vid, v.get("name", vid))
        for vid, v in sorted(venues.items())
        if v.get("municipality") == g.get("place") and v.get("active") is not False
    ]
    return {
        "can_replace": replace.can_start(deps, g, now),
        "replace_note": note,
        "can_move": movable,
        "move_slots": [(s, describe.slot_label(deps, s, lang)) for s in slots.ALL_SLOTS],
        "move_rooms": rooms if g.get("place") != "digital" else [],
    }
