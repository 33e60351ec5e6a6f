"""Issue 21, the rooms the queue lacks: the digest (and the console's overview, built from the
same sections) names the municipality and time of week where a group has its people and someone
to lead it, but every room is booked; a room the coordinator adds there starts the group at the
next pool run. On the Firestore emulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shared.domain import roster
from shared.domain.pool import RoomWanted
from shared.texts.digest import DIGEST
from tests.helpers.saga import drain, waiting_people
from tests.integration.test_lifecycle import world  # noqa: F401
from workflows.console import commands
from workflows.reporting import digest
from workflows.saga.resources import venue_booking

ASKOY_EVENINGS = ("mon_evening", "tue_evening", "wed_evening", "thu_evening")


def askoy_evenings_taken(store: Any, at: Any) -> None:
    """Askøy's one room is taken every weekday evening, by a group that runs itself."""
    for s in ASKOY_EVENINGS:
        store.set(
            venue_booking("ven-askoy", s),
            {"group_id": "g-running", "venue_id": "ven-askoy", "slot": s, "at": at},
        )


def test_the_digest_names_where_only_a_room_is_missing_and_a_room_there_starts_it(
    world: Any,  # noqa: F811
) -> None:
    d, q, clock = world
    askoy_evenings_taken(d.store, clock.t)
    ids = waiting_people(d, 5, municipality="4627", topic="relatives")
    assert digest.rooms_wanted(d) == [RoomWanted("4627", "weekday_evening", 5)]
    (section,) = [s for s in digest.build(d, "nb") if s.heading == DIGEST["nb"]["rooms"]]
    (row,) = section.items
    assert section.page == "/venues"
    assert row.title.startswith("Askøy · ") and ": 5 " in row.title and not row.links
    assert all(i not in row.title for i in ids)  # kinds only: no reference, no id
    # nobody was proposed meanwhile: the pool run has no room either
    drain(d, q)
    assert d.store.query("groups") == []

    # the coordinator finds a second room in Askøy free on Tuesday evenings, and adds it
    form = {
        "name": ["Kleppestø bibliotek, møterom"],
        "municipality": ["4627"],
        "capacity": ["10"],
        "accessible": ["1"],
        "slots": ["tue_evening"],
        "street": ["Kleppestøvegen 2"],
        "postcode": ["5300"],
        "post_place": ["Kleppestø"],
    }
    doc, problems = roster.parse_venue(form, tuple(m.code for m in d.centre.municipalities))
    assert not problems, problems.items
    vid = commands.save(d, "c-test", "venues", None, doc)
    assert vid and digest.rooms_wanted(d) == []
    drain(d, q)  # the save asked for a pool run
    (group,) = [g for _, g in d.store.query("groups")]
    assert (group["venue_id"], group["slot"]) == (vid, "tue_evening")
    assert sorted(group["members"]) == sorted(ids)


def test_the_simulated_coordinator_finds_a_room_only_where_one_is_still_wanted(
    stack: Any, tmp_path: Path
) -> None:
    """The year's coordinator (bench/world.py, --room-found): Askøy's one room has no evening
    left that a facilitator there can lead (nobody takes Friday evenings), so a second room opens
    on the evening most of them can; once that is done, the same row finds nothing to do."""
    import uuid
    from datetime import date

    from bench.world import Options, World

    year = World(
        Options(days=1, seed=5, start=date(2027, 3, 1), outbox=tmp_path / "out", quiet=True),
        f"rooms-{uuid.uuid4().hex[:8]}",
    )
    year.load_demo()
    store = year.raw_store
    askoy_evenings_taken(store, year.clock.t)
    waiting_people(year.deps, 5, municipality="4627", topic="relatives")
    year.on_room_found(("4627", "weekday_evening"))
    rooms = {vid: v for vid, v in store.query("venues") if v["municipality"] == "4627"}
    (new,) = [v for vid, v in rooms.items() if vid != "ven-askoy"]
    assert new["slots"] == ["mon_evening"] and new["active"] is True
    assert rooms["ven-askoy"]["slots"] == list(ASKOY_EVENINGS)  # no Friday nobody could lead
    assert year.history.repairs["room_found"] == 1
    year.on_room_found(("4627", "weekday_evening"))  # no longer wanted: nothing more
    assert len([v for _, v in store.query("venues") if v["municipality"] == "4627"]) == 2
    assert year.history.repairs["room_found"] == 1
