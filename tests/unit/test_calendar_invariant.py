"""The simulated year's calendar check (bench/invariants.py) agrees with the workflow on what is
"ahead": a member who leaves after a meeting has begun keeps it in their calendar (seed 21 once
flagged that evening's meeting, held on the day of the check, as a calendar that lies)."""

from __future__ import annotations

from datetime import UTC, datetime

from bench.invariants import calendars_untrue

MEETING = {"slot": "mon_evening", "place": "digital", "venue_id": None, "cancelled": False}


def _group() -> dict[str, object]:
    return {
        "status": "started",
        "slot": "mon_evening",
        "place": "digital",
        "members": {"stays": {"response": "accepted"}, "left": {"response": "left"}},
        "meeting_dates": ["2027-09-06", "2027-09-13", "2027-09-20"],
        # the one who left got a CANCEL for the 20th only: the 13th had begun when they left
        "calendar": {
            "left": {"events": {"2": {**MEETING, "date": "2027-09-13"}}},
        },
    }


def _starts(day: str, slot: str) -> datetime:
    return datetime.fromisoformat(f"{day}T16:00:00+00:00")  # 18:00 in Oslo in September


def test_a_meeting_that_has_begun_stays_where_it_was() -> None:
    evening = datetime(2027, 9, 13, 19, 0, tzinfo=UTC)  # after 18:00 Oslo time, the same day
    assert calendars_untrue({"g": _group()}, evening, _starts) == {}


def test_a_meeting_later_today_still_standing_for_someone_gone_is_caught() -> None:
    morning = datetime(2027, 9, 13, 8, 0, tzinfo=UTC)
    found = calendars_untrue({"g": _group()}, morning, _starts)
    assert list(found) == ["g/2/left"] and "not in the started group" in found["g/2/left"]
