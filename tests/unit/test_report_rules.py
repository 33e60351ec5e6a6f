"""Issue 18, the pure rules behind the reports: local months, when a period is final, who gets a
preliminary report, who counts as a trained facilitator, and a frozen report against its counters."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from shared.config import Person, Recipient, get_centre
from shared.domain import facilitators, reports
from workflows.platform import counters

TZ = "Europe/Oslo"
centre = get_centre()


def test_a_count_belongs_to_the_centres_local_month() -> None:
    # 00:30 on 1 January in Oslo is 23:30 UTC on 31 December
    assert counters.stats_path(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "4628", TZ) == (
        "stats/2027-01_4628"
    )
    assert counters.month(datetime(2027, 3, 31, 21, 59, tzinfo=UTC), TZ) == "2027-03"  # 23:59
    assert counters.month(datetime(2027, 3, 31, 22, 0, tzinfo=UTC), TZ) == "2027-04"  # summer
    assert counters.month(date(2027, 3, 31), TZ) == "2027-03"  # a day is already local
    # a meeting counted after its day (a start counted late) goes to the month it is counted in
    late = datetime(2027, 4, 2, 10, 0, tzinfo=UTC)
    assert counters.day_path(date(2027, 3, 30), late, "4628", TZ) == "stats/2027-04_4628"
    assert counters.day_path(date(2027, 5, 3), late, "4628", TZ) == "stats/2027-05_4628"


def test_a_period_is_final_a_while_after_its_last_midnight() -> None:
    last = date(2027, 3, 31)
    assert not counters.settled(last, datetime(2027, 3, 31, 21, 59, tzinfo=UTC), TZ)
    assert not counters.settled(last, datetime(2027, 3, 31, 22, 14, tzinfo=UTC), TZ)
    assert counters.settled(last, datetime(2027, 3, 31, 22, 15, tzinfo=UTC), TZ)


addresses = st.sampled_from(
    ["koordinator@linkbergen.example", "postmottak@vaksdal.kommune.example", "Leder@Link.example"]
)


@given(
    coordinators=st.lists(addresses, min_size=1, max_size=3),
    public=st.lists(addresses, max_size=3),
    upper=st.booleans(),
)
def test_a_preliminary_report_never_goes_to_a_report_recipient(
    coordinators: list[str], public: list[str], upper: bool
) -> None:
    """Whatever the centre file says, even a coordinator who also receives a municipality's
    reports (in any letter case)."""
    c = centre.model_copy(
        update={
            "coordinators": tuple(Person(name="k", email=e) for e in coordinators),
            "report_recipients": tuple(
                Recipient(municipality="4628", email=e.upper() if upper else e) for e in public
            ),
        }
    )
    to = reports.recipients(c, "4628", preliminary=True)
    assert {e.lower() for e in to}.isdisjoint({e.lower() for e in public})
    assert set(to) <= set(coordinators)
    assert reports.recipients(c, "4628", preliminary=False) == list(
        dict.fromkeys(e.upper() if upper else e for e in public)
    )


def test_trained_means_active_with_the_course_done() -> None:
    assert facilitators.trained({"course_completed": "2025-02-06"})
    assert facilitators.trained({"course_completed": "2025-02-06", "active": True})
    assert not facilitators.trained({"course_completed": "2025-02-06", "active": False})
    assert not facilitators.trained({"course_completed": None})
    assert not facilitators.trained({})


def test_a_frozen_report_is_checked_against_its_counters() -> None:
    stats = {"2027-02_4628": {"inquiries": 7, "heard_from": {"nav": 7}, "topic": {"general": 7}}}
    period = reports.parse_period("2027-Q1", date(2027, 4, 5))
    f = reports.figures(centre, "4628", period, stats, [], 5, [])
    counted = reports.counts(centre, "4628", period, stats)
    assert reports.drift(centre, f, counted, stats) == []
    assert reports.drift(centre, f, None, stats) == []  # frozen before counts were kept
    later = {**stats, "2027-03_4628": {"inquiries": 1, "heard_from": {"nav": 1}, "meetings": 2}}
    assert reports.drift(centre, f, counted, later) == ["Q1|heard|nav", "Q1|inquiries", "meetings"]
    assert reports.drift(centre, f, None, later) == ["Q1|heard|nav", "Q1|inquiries", "meetings"]
