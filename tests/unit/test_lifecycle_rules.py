"""Issue 8: the lifecycle tables, and the pure rules that keep groups moving over time."""

from __future__ import annotations

import itertools
from datetime import date

from shared.domain import lifecycle, slots
from shared.domain.matching import Candidate, Kind, OpenGroup, Venue, age_windows, propose, top_up
from tests.helpers.candidates import cand
from workflows.platform import chain


def test_every_non_terminal_state_has_a_way_forward() -> None:
    assert lifecycle.dead_ends(lifecycle.GROUP) == []
    assert lifecycle.dead_ends(lifecycle.INQUIRY) == []


def test_every_state_is_reachable_and_every_transition_names_a_known_state() -> None:
    assert lifecycle.unreachable(lifecycle.GROUP, "awaiting_approval") == []
    assert lifecycle.unreachable(lifecycle.INQUIRY, "received") == []
    for table in (lifecycle.GROUP, lifecycle.INQUIRY):
        for state in table.values():
            assert set(state.to) <= set(table)


def test_the_lifecycle_design_md_describes() -> None:
    g = lifecycle.GROUP
    path = ["awaiting_approval", "approved", "offered", "facilitator_confirmed", "confirmed"]
    path += ["started", "self_run", "closed"]
    assert all(lifecycle.can_move(g, a, b) for a, b in itertools.pairwise(path))
    assert g["closed"].terminal and g["dissolved"].terminal
    # a group without staff is no dead end: retried by a deadline, or by the coordinator
    assert "task:restaff" in g["needs_facilitator"].movers
    assert "link:retry_staffing" in g["needs_facilitator"].movers
    # the facilitator counts against their cap only until the group runs itself
    assert "self_run" not in lifecycle.FACILITATED and "started" in lifecycle.FACILITATED
    # a group without staff takes no newcomers (issue 8: they waited with it)
    assert "needs_facilitator" not in lifecycle.OPEN_GROUP


def test_after_the_confirmation_a_placed_member_can_leave_and_a_group_be_cancelled() -> None:
    """Issue 16: placed is no longer terminal (leave, back to the pool, a cancelled group), yet a
    placed inquiry deleted by its retention rule is no loss (the year's `lost` once counted 66)."""
    from bench.invariants import lost_by_ttl

    i, g = lifecycle.INQUIRY, lifecycle.GROUP
    assert {"waiting", "left", "erased"} <= set(i["placed"].to) and i["left"].terminal
    assert "link:leave_group" in i["placed"].movers and "group" in i["placed"].movers
    assert lifecycle.can_move(g, "confirmed", "cancelled") and g["cancelled"].terminal
    assert lost_by_ttl("inquiries", "x", {"status": "placed"}) is None
    assert lost_by_ttl("inquiries", "x", {"status": "waiting"}) is not None


def test_task_ids_name_their_parts_so_round_and_step_never_collide() -> None:
    # round*100+step made round 1 step 0 and round 0 step 100 the same task
    a = chain.task_id("schedule", "followup", "group=g", "round=1", "step=0")
    b = chain.task_id("schedule", "followup", "group=g", "round=0", "step=100")
    assert a != b


def test_closed_periods_are_skipped_like_holidays() -> None:
    closed = (("12-22", "01-02"), ("07-06", "07-31"))
    assert slots.in_closed_period(date(2027, 12, 28), closed)
    assert slots.in_closed_period(date(2028, 1, 2), closed)
    assert not slots.in_closed_period(date(2028, 1, 3), closed)
    dates = slots.meeting_dates("wed_evening", date(2027, 12, 15), 3, closed)
    assert dates == [date(2027, 12, 15), date(2028, 1, 5), date(2028, 1, 12)]
    summer = slots.meeting_dates("mon_evening", date(2027, 7, 1), 2, closed)
    assert summer == [date(2027, 7, 5), date(2027, 8, 2)]  # 6-31 July closed


def _people(n: int, **kw: object) -> list[Candidate]:
    """n Vaksdal residents for a relatives group, queued an hour apart (p00 first)."""
    return [cand(i, id=f"p{i:02d}", municipality="4628", **kw) for i in range(n)]


def test_a_room_smaller_than_the_maximum_caps_the_group_instead_of_blocking_it() -> None:
    room = [Venue("small", "4628", 6, ("mon_evening",))]
    out = propose(_people(10), room, min_size=5, max_size=8)
    assert len(out) == 1 and len(out[0].members) == 6
    assert out[0].members == tuple(f"p{i:02d}" for i in range(6))  # longest waiting first


def test_age_bands_keep_groups_within_the_configured_distance() -> None:
    assert age_windows("30-44", 1, banded=True) == ("0", "1")
    assert age_windows(None, 1, banded=True) == ("0", "1", "2", "3")
    assert age_windows("30-44", 1, banded=False) == ("",)
    young = _people(5, age_band="18-29")
    old = [
        Candidate(**{**c.__dict__, "id": f"o{i}", "age_band": "75+"})
        for i, c in enumerate(_people(5))
    ]
    room = [Venue("v", "4628", 10, ("mon_evening", "wed_evening"))]
    out = propose(young + old, room, min_size=5, max_size=8, age_distance=1)
    assert len(out) == 2
    for p in out:
        assert {m[0] for m in p.members} in ({"p"}, {"o"})  # never 18-29 with 75+
    # without bands everyone fits one group
    assert len(propose(_people(8), room, min_size=5, max_size=8, age_distance=1)) == 1


def test_top_up_respects_the_age_window() -> None:
    group = OpenGroup("g", Kind("relatives", "4628", "weekday_evening", "no", "3"), 5)
    near = _people(1, age_band="75+")
    far = [Candidate(**{**_people(1)[0].__dict__, "id": "far", "age_band": "18-29"})]
    assert top_up(near + far, [group], 8) == [("g", "p00")]
