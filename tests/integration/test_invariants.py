"""Issue 20: the checker of the simulated year (bench/invariants.py) is importable and can fail.
A database written by hand on the Firestore emulator passes it clean, and fails it once a room is
booked twice, an inquiry is left with nothing to move it, or a person is kept past their rule;
the same checks a restore drill (issue 19) runs on a database restored from an export."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from bench import invariants
from shared.adapters.firestore_store import FirestoreStore
from shared.ports import TaskSpec
from workflows.platform import outbox

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def task(kind: str, **subject: str) -> TaskSpec:
    name = f"{kind}-{'-'.join(subject.values())}"
    return TaskSpec("notify", "notify", name, {"kind": kind, **subject}, NOW + timedelta(days=3))


def pending_in_outbox(store: FirestoreStore, spec: TaskSpec) -> None:
    """A deadline task waiting in the outbox, written as a step writes it."""
    store.transact(lambda tx: outbox.record(tx, [spec], NOW))


def group(venue: str, members: list[str]) -> dict[str, Any]:
    return {
        "status": "confirmed",
        "slot": "tue_evening",
        "venue_id": venue,
        "facilitator_id": "fac-1",
        "meeting_dates": ["2027-03-09", "2027-03-16"],
        "members": {m: {"response": "accepted"} for m in members},
        "confirmed_at": NOW - timedelta(days=1),
    }


def test_the_checker_passes_a_clean_database_and_fails_a_broken_one(stack: Any, deps: Any) -> None:
    store = FirestoreStore(f"linkflyt-invariants-{uuid.uuid4().hex[:10]}")  # a database of its own
    rules = deps.centre.retention
    created = NOW - timedelta(days=20)
    store.set("groups/g-a", group("ven-1", ["i-placed"]))
    pending_in_outbox(store, task("first_meeting", group_id="g-a"))
    store.set("inquiries/i-placed", {"status": "placed", "group_id": "g-a", "created_at": created})
    store.set("people/i-placed", {"name": "A"})
    store.set("inquiries/i-waiting", {"status": "waiting", "created_at": created})
    store.set("people/i-waiting", {"name": "B"})
    pending_in_outbox(store, task("inquiry_expiry", inquiry_id="i-waiting"))

    clean = invariants.check(store, NOW, rules)
    assert clean.ok, clean.examples()

    # a second live group in the same room and weekly slot, itself moving (its first meeting due)
    store.set("groups/g-b", group("ven-1", []))
    pending_in_outbox(store, task("first_meeting", group_id="g-b"))
    # and the same facilitator on the same dates and part of day
    found = invariants.check(store, NOW, rules)
    assert found.double_bookings == {
        "venue ('ven-1', 'tue_evening') g-a g-b",
        "facilitator ('fac-1', '2027-03-09', 'evening') g-a g-b",
        "facilitator ('fac-1', '2027-03-16', 'evening') g-a g-b",
    }
    assert not found.stuck and not found.retention and not found.ok
    store.set("groups/g-b", {**group("ven-1", []), "status": "dissolved"})  # frees the room
    assert invariants.check(store, NOW, rules).ok

    # an inquiry waiting in the pool with no expiry deadline: nothing would ever end its wait
    store.set("inquiries/i-stuck", {"status": "waiting", "created_at": created})
    found = invariants.check(store, NOW, rules)
    assert found.stuck == {"i-stuck": "inquiry waiting with no way forward"}
    assert not found.ok
    # a deadline still in the queue (not yet in the database) moves it: the caller names it
    queued = [task("inquiry_expiry", inquiry_id="i-stuck")]
    assert invariants.check(store, NOW, rules, queued).ok
    # a state the lifecycle does not know is never taken for a terminal one
    store.set("inquiries/i-odd", {"status": "parked", "created_at": created})
    assert invariants.check(store, NOW, rules, queued).stuck == {
        "i-odd": "inquiry parked: not a state of the lifecycle"
    }
    store.delete("inquiries/i-odd")

    # expired three days ago, yet the person's name and contact are still there
    store.set(
        "inquiries/i-expired",
        {"status": "expired", "created_at": created, "expired_at": NOW - timedelta(days=3)},
    )
    store.set("people/i-expired", {"name": "C"})
    found = invariants.check(store, NOW, rules, queued)
    assert found.retention == {"i-expired": "expired: kept 3 days past its rule"}
    store.delete("people/i-expired")
    assert invariants.check(store, NOW, rules, queued).ok


def test_a_group_naming_its_members_past_their_retention_is_a_violation(
    stack: Any, deps: Any
) -> None:
    """Issue 18: the checker the simulated year runs every day sees a group that still names its
    members after their data went (the `forget_members` task lost), and passes it once reduced."""
    store = FirestoreStore(f"linkflyt-invariants-{uuid.uuid4().hex[:10]}")
    rules = deps.centre.retention
    since = NOW - timedelta(days=rules.placed_days_after_facilitation + 5)
    store.set(
        "groups/g-self",
        {**group("ven-2", ["i-1", "i-2"]), "status": "self_run", "self_run_at": since},
    )
    pending_in_outbox(store, task("auto_close", group_id="g-self"))
    found = invariants.retention_violations(store, NOW, rules, {}, {})
    assert list(found) == ["groups/g-self"], found
    store.set(
        "groups/g-self",
        {"members": {}, "member_count": 2, "member_homes": {"4601": 2}},
        merge=True,
    )
    assert invariants.retention_violations(store, NOW, rules, {}, {}) == {}
