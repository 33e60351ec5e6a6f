"""Issue 21: what the assembly does for people whose kind of group does not fill. Pure rules."""

from __future__ import annotations

import random
from dataclasses import replace

from shared.domain.matching import Candidate, Venue, propose, reach
from shared.domain.pool import why_not
from shared.domain.vocabulary import AGE_BANDS
from tests.helpers.candidates import cand

ROOM = [Venue("v", "4627", 10, ("mon_evening", "wed_evening"))]


def _long(c: Candidate) -> Candidate:
    return replace(c, long_wait=True)


def test_a_fragment_of_four_long_waiters_is_proposed() -> None:
    four = [_long(cand(i)) for i in range(4)]
    out = propose(four, ROOM, min_size=5, max_size=8, small_size=4)
    assert [p.members for p in out] == [tuple(c.id for c in four)]
    # the console says the same: nobody short of people
    why = why_not(four, ROOM, lambda k: True, min_size=5, small_size=4)
    assert {w.short for w in why.values()} == {()}


def test_a_short_waiting_fragment_of_four_is_not() -> None:
    four = [cand(i) for i in range(4)]
    assert propose(four, ROOM, min_size=5, max_size=8, small_size=4) == []
    # three long waiters and one who just came are not enough either
    mixed = [_long(cand(i)) for i in range(3)] + [cand(3)]
    assert propose(mixed, ROOM, min_size=5, max_size=8, small_size=4) == []
    why = why_not(mixed, ROOM, lambda k: True, min_size=5, small_size=4)
    assert {w.short for w in why.values()} == {("people",)}
    # without the rule (small_size unset), four long waiters wait as before
    assert propose([_long(cand(i)) for i in range(4)], ROOM, min_size=5, max_size=8) == []


def test_how_many_long_waiters_a_group_of_four_needs_is_the_centre_s_choice() -> None:
    """groups.long_waiters_needed (`small_long`): with 1, a group of four is proposed for the one
    who has waited long, and the three who came later start with them; four newcomers still wait,
    and the console's reasons say exactly what the pool run does."""
    mixed = [_long(cand(0))] + [cand(i) for i in range(1, 4)]
    out = propose(mixed, ROOM, min_size=5, max_size=8, small_size=4, small_long=1)
    assert [p.members for p in out] == [tuple(c.id for c in mixed)]
    assert propose(mixed, ROOM, min_size=5, max_size=8, small_size=4, small_long=2) == []
    assert (
        propose(
            [cand(i) for i in range(4)], ROOM, min_size=5, max_size=8, small_size=4, small_long=1
        )
        == []
    )
    why = why_not(mixed, ROOM, lambda k: True, min_size=5, small_size=4, small_long=1)
    assert {w.short for w in why.values()} == {()}
    why = why_not(mixed[:3], ROOM, lambda k: True, min_size=5, small_size=4, small_long=1)
    assert {w.short for w in why.values()} == {("people",)}  # three are too few, long or not


def test_a_long_waiter_s_group_spans_one_band_more_never_two() -> None:
    """Random pools: every proposed group's bands span at most the distance plus one band, and
    only a long waiter is ever outside the group's window."""
    rng = random.Random(21)
    for trial in range(200):
        people = [
            cand(
                i,
                age_band=rng.choice(AGE_BANDS),
                long_wait=rng.random() < 0.5,
                age_reach=rng.choice((0, 0, 0, 1)),
            )
            for i in range(rng.randint(4, 16))
        ]
        distance = rng.choice((0, 1, 2))
        out = propose(people, ROOM, min_size=5, max_size=8, age_distance=distance, small_size=4)
        by_id = {c.id: c for c in people}
        for p in out:
            bands = [AGE_BANDS.index(str(by_id[m].age_band)) for m in p.members]
            assert max(bands) - min(bands) <= distance + 1, (trial, p)
            low = int(p.kind.age)
            for m in p.members:
                b = AGE_BANDS.index(str(by_id[m].age_band))
                outside = b < low or b > low + distance
                assert not outside or reach(by_id[m]) >= 1, (trial, p, m)


def test_a_long_waiter_fits_the_next_band_a_newcomer_does_not() -> None:
    # four people 60-74 and one 75+: with distance 0 the 75+ person fits only as a long waiter
    old = [_long(cand(i, age_band="60-74")) for i in range(4)]
    newcomer = cand(9, age_band="75+")
    out = propose([*old, newcomer], ROOM, min_size=5, max_size=8, age_distance=0)
    assert out == []
    out = propose([*old, _long(newcomer)], ROOM, min_size=5, max_size=8, age_distance=0)
    assert len(out) == 1 and newcomer.id in out[0].members


def test_the_console_calls_ready_exactly_whom_the_next_pool_run_proposes() -> None:
    """Issue 21: 7 of 52 long waiters were "ready" by the console and still waited: the reason
    counted people who were going into other groups ahead of them, and booked rooms. Judged after
    the pool run, "ready" and "proposed" are the same people, and nobody else is short of nothing."""
    from shared.domain import widen
    from tests.unit.test_widen_rules import _pool

    rng = random.Random(2121)
    ready_seen = short_seen = 0
    for _ in range(150):
        base = _pool(rng)
        pool = replace(
            base,
            waiting=[replace(c, long_wait=rng.random() < 0.4) for c in base.waiting],
            small_size=4,
            small_long=rng.choice((None, 1, 2)),
            booked=frozenset({(v.id, v.slots[0]) for v in base.venues if rng.random() < 0.3}),
        )
        made = propose(
            pool.waiting,
            pool.venues,
            min_size=pool.min_size,
            max_size=pool.max_size,
            booked=pool.booked,
            staffable=pool.staffable,
            age_distance=pool.age_distance,
            small_size=pool.small_size,
            small_long=pool.small_long,
        )
        proposed = {m for p in made for m in p.members}
        why = widen.reasons(pool)
        ready = {i for i, s in why.items() if not s.short}
        assert ready == proposed
        ready_seen += len(ready)
        short_seen += len(why) - len(ready)
    assert ready_seen > 50 and short_seen > 100  # both sides exercised


def test_where_only_a_room_is_missing_is_named_once_per_place_and_time() -> None:
    """The digest's "only a room is missing" (issue 21): five who fit an Askøy weekday-evening
    group whose every room is booked; four more short of people are not named; a digital kind
    never lacks a room."""
    from shared.domain.pool import RoomWanted, rooms_wanted

    five = [cand(i) for i in range(5)]
    booked = {("v", "mon_evening"), ("v", "wed_evening")}
    why = why_not(five, ROOM, lambda k: True, min_size=5, booked=booked)
    assert {w.short for w in why.values()} == {("room",)}
    assert rooms_wanted(why) == [RoomWanted("4627", "weekday_evening", 5)]
    # with a free room nothing is wanted; short of people as well is not "only a room"
    assert rooms_wanted(why_not(five, ROOM, lambda k: True, min_size=5)) == []
    four = why_not(five[:4], ROOM, lambda k: True, min_size=5, booked=booked)
    assert {w.short for w in four.values()} == {("people", "room")} and rooms_wanted(four) == []
