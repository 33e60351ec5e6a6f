"""The lifecycle of a group and of an inquiry, in one table each (STYLE.md: "a lifecycle you can read in one place").

Each state lists the states it may move to and what moves it forward: a deadline task (`task:<kind>`),
a signed link someone can click (`link:<action>`), the pool run (`pool`), or the state of the group the
inquiry belongs to (`group`). A non-terminal state with no way forward would be a dead end; the tests
walk these tables, and the simulated year (bench/invariants.py) checks every live document against them
every simulated day (issue 8: "stuck").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class State:
    to: tuple[str, ...]
    movers: tuple[str, ...]  # task:<kind> | link:<action> | pool | group

    @property
    def terminal(self) -> bool:
        return not self.to


GROUP: Final[dict[str, State]] = {
    # proposed, waiting for the coordinator (members may still join)
    "awaiting_approval": State(
        ("approved", "dissolved"),
        ("link:approve_group", "link:dissolve_group", "task:approval_deadline"),
    ),
    # approved: the next facilitator offer is due
    "approved": State(("offered", "needs_facilitator", "dissolved"), ("task:offer",)),
    "offered": State(
        ("facilitator_confirmed", "approved", "dissolved"),
        ("link:accept_offer", "link:decline_offer", "task:offer_timeout"),
    ),
    # nobody free in any slot the members allow: retried weekly, then dissolved; coordinator may act
    "needs_facilitator": State(
        ("approved", "dissolved"),
        ("task:restaff", "link:retry_staffing", "link:dissolve_group"),
    ),
    "facilitator_confirmed": State(
        ("confirmed", "dissolved"),
        ("link:accept_invitation", "link:decline_invitation", "task:invitation_deadline"),
    ),
    # enough members accepted; first meeting ahead
    "confirmed": State(
        ("started", "closed", "cancelled"),
        ("task:first_meeting", "link:close_group", "link:cancel_group"),
    ),
    # the facilitator's meetings are under way
    "started": State(("self_run", "closed"), ("task:facilitation_over", "link:close_group")),
    # the group runs itself; follow-up visits on request and once automatically
    "self_run": State(("closed",), ("task:auto_close", "link:close_group")),
    "closed": State((), ()),
    "dissolved": State((), ()),
    # cancelled by the coordinator before its first meeting: members back in the pool (issue 16)
    "cancelled": State((), ()),
}

INQUIRY: Final[dict[str, State]] = {
    "received": State(("awaiting_pretalk", "waiting", "erased"), ("task:assemble",)),
    "awaiting_pretalk": State(
        ("waiting", "withdrawn", "erased", "expired"),
        ("link:confirm_pretalk", "link:erase", "task:inquiry_expiry"),
    ),
    "waiting": State(
        ("proposed", "withdrawn", "erased", "expired"), ("pool", "task:inquiry_expiry")
    ),
    # the person said they no longer want a place (own page, or "no" to the 12-week question):
    # an undo within 14 days restores their state and place; then their data goes (issue 17)
    "withdrawn": State(
        ("waiting", "awaiting_pretalk", "expired", "erased"),
        ("link:me", "task:withdrawal_end"),
    ),
    "proposed": State(("waiting", "placed", "erased"), ("group",)),
    # a placed member may leave (back to the pool or not); a group cancelled before its start
    # sends them back to the pool with their original place (issue 16)
    "placed": State(
        ("waiting", "left", "erased"),
        ("link:leave_group", "link:remove_member", "group", "link:erase"),
    ),
    "left": State((), ()),
    "erased": State((), ()),
    "expired": State((), ()),
}

# Groups whose members may still change (top-up by the pool run).
OPEN_GROUP: Final = ("awaiting_approval", "approved", "offered")
# Groups that are not finished (everything but closed / dissolved).
ACTIVE_GROUP: Final = tuple(s for s, st in GROUP.items() if not st.terminal)
# Groups for which the facilitator is busy: counted against their cap (DESIGN.md).
FACILITATED: Final = ("offered", "facilitator_confirmed", "confirmed", "started")
# Inquiry states that can still move but whose document ends by its retention rule (Firestore TTL),
# which is no loss: a placed member may leave while their group runs (issue 16), and their data is
# kept only until the facilitator phase is over + N days (README § Retention).
MAY_EXPIRE: Final = ("placed",)
# Finished groups.
FINISHED_GROUP: Final = tuple(s for s, st in GROUP.items() if st.terminal)
# Groups that exist as a running group (a place for the people in them).
RUNNING: Final = ("confirmed", "started", "self_run")


def can_move(table: dict[str, State], frm: str, to: str) -> bool:
    return to in table[frm].to


def dead_ends(table: dict[str, State]) -> list[str]:
    """Non-terminal states without any way forward: must be empty."""
    return [s for s, st in table.items() if st.to and not st.movers]


def unreachable(table: dict[str, State], start: str) -> list[str]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in table[todo.pop()].to:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return sorted(set(table) - seen)
