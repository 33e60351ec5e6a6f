"""Issue 9: the console's pure rules — roster forms and why a person has no group yet."""

from __future__ import annotations

from datetime import UTC, date, datetime

from shared.domain import roster
from shared.domain.matching import Candidate, Kind, Venue
from shared.domain.pool import why_not

MUNIS = ("4601", "4627", "4630")
TOPICS = ("general", "relatives")


def facilitator_form(**over: list[str]) -> dict[str, list[str]]:
    form = {
        "name": ["Tone"],
        "email": ["Tone@Frivillig.example"],
        "municipalities": ["4627"],
        "slots": ["tue_evening"],
        "languages": ["no, EN"],
        "topics": ["general"],
        "max_groups": ["2"],
        "away": ["2027-03-01 – 2027-03-21\n2027-01-05"],
        "course_completed": ["2026-05-01"],
    }
    form.update(over)
    return form


def codes(problems: roster.Problems) -> dict[str, str]:
    """The first problem of each field: the one the page shows beside it."""
    out: dict[str, str] = {}
    for name, code, _ in problems.items:
        out.setdefault(name, code)
    return out


def test_a_valid_facilitator_form_becomes_the_document_staffing_reads() -> None:
    doc, problems = roster.parse_facilitator(facilitator_form(), MUNIS, TOPICS)
    assert not problems
    assert doc["email"] == "Tone@frivillig.example"  # domain normalised
    assert doc["languages"] == ["no", "en"] and doc["max_groups"] == 2
    assert doc["away"] == [
        {"from": "2027-01-05", "to": "2027-01-05"},
        {"from": "2027-03-01", "to": "2027-03-21"},
    ]
    assert roster.format_ranges(doc["away"]) == "2027-01-05\n2027-03-01 – 2027-03-21"


def test_every_problem_is_named_by_its_field() -> None:
    form = facilitator_form(
        name=[""],
        email=["nope"],
        municipalities=["9999"],
        slots=[],
        languages=["norsk"],
        topics=["astrology"],
        max_groups=["-1"],
        away=["2027-03-21 – 2027-03-01"],
        course_completed=["yesterday"],
    )
    _, problems = roster.parse_facilitator(form, MUNIS, TOPICS)
    assert codes(problems) == {
        "name": "required",
        "email": "email",
        "municipalities": "choice",
        "slots": "required",
        "languages": "languages",
        "topics": "choice",
        "max_groups": "number",
        "away": "ranges",
        "course_completed": "date",
    }


def test_a_facilitator_needs_a_place_or_digital() -> None:
    _, problems = roster.parse_facilitator(facilitator_form(municipalities=[]), MUNIS, TOPICS)
    assert codes(problems) == {"municipalities": "where"}
    doc, problems = roster.parse_facilitator(
        facilitator_form(municipalities=[], digital=["1"]), MUNIS, TOPICS
    )
    assert not problems and doc["digital"] is True


def test_venue_form_and_dates_unavailable() -> None:
    form = {
        "name": ["Rom"],
        "municipality": ["4630"],
        "capacity": ["9"],
        "slots": ["tue_evening"],
        "unavailable": ["2027-07-01 til 2027-07-31"],
        "street": ["Lonevågvegen 20"],
        "postcode": ["5282"],
        "post_place": ["Lonevåg"],
    }
    doc, problems = roster.parse_venue(form, MUNIS)
    assert not problems and doc["capacity"] == 9 and doc["accessible"] is False
    assert roster.blocked_on(doc["unavailable"], [date(2027, 7, 15)])
    assert not roster.blocked_on(doc["unavailable"], [date(2027, 8, 1), date(2027, 6, 30)])
    _, problems = roster.parse_venue({**form, "capacity": ["1"], "municipality": ["x"]}, MUNIS)
    assert codes(problems) == {"capacity": "number", "municipality": "choice"}


def person(i: int, **over: object) -> Candidate:
    base: dict[str, object] = {
        "id": f"p{i}",
        "queued_at": datetime(2027, 1, 1, tzinfo=UTC),
        "municipality": "4630",
        "travel": (),
        "topics": ("general",),
        "formats": ("in_person",),
        "times": ("weekday_evening",),
        "languages": ("no",),
    }
    base.update(over)
    return Candidate(**base)  # type: ignore[arg-type]


ROOM = Venue("v", "4630", 10, ("mon_evening",))


def test_why_not_names_what_is_short() -> None:
    everyone = lambda k: True  # noqa: E731
    nobody = lambda k: False  # noqa: E731
    three = [person(i) for i in range(3)]
    out = why_not(three, [ROOM], everyone, min_size=5)
    assert out["p0"].short == ("people",) and out["p0"].people == 3
    five = [person(i) for i in range(5)]
    assert why_not(five, [ROOM], everyone, min_size=5)["p0"].short == ()
    assert why_not(five, [], everyone, min_size=5)["p0"].short == ("room",)
    assert why_not(five, [ROOM], nobody, min_size=5)["p0"].short == ("facilitator",)
    # a room too small for a group of the minimum size is no room
    assert why_not(five, [Venue("s", "4630", 4, ("mon_evening",))], everyone, min_size=5)[
        "p0"
    ].short == ("room",)


def test_why_not_shows_the_closest_kind() -> None:
    # digital needs no room: the person who also takes digital is closest there
    five = [person(i, formats=("in_person", "digital")) for i in range(5)]
    w = why_not(five, [], lambda k: True, min_size=5)["p0"]
    assert w.short == () and w.kind == Kind("general", "digital", "weekday_evening", "no")
    alone = why_not([person(0, municipality="other")], [], lambda k: True, min_size=5)
    assert alone["p0"].kind is None


def test_a_name_with_control_characters_is_refused() -> None:
    """Issue 18: a venue or facilitator name with a line break made every mail about its group
    fail (a header cannot hold one) and dead-letter; the form refuses it and says why."""
    venue = {
        "name": ["Frivilligsentralen"],
        "municipality": ["4601"],
        "capacity": ["10"],
        "slots": ["tue_evening"],
        "street": ["Strandgaten 1"],  # where to meet (issue 16)
        "postcode": ["5013"],
        "post_place": ["Bergen"],
    }
    for bad in ("Rom 1\nBcc: x@y.no", "Rom\r1", "Rom\t1", "Rom\x001", "Rom\u20281", "Rom\u202e1"):
        _, problems = roster.parse_venue({**venue, "name": [bad]}, MUNIS)
        assert codes(problems).get("name") == "control", bad
        _, problems = roster.parse_facilitator(facilitator_form(name=[bad]), MUNIS, TOPICS)
        assert codes(problems).get("name") == "control", bad
    doc, problems = roster.parse_venue({**venue, "name": ["  Kafé Æøå – rom 2 "]}, MUNIS)
    assert not problems and doc["name"] == "Kafé Æøå – rom 2"


def test_a_venue_says_where_to_meet() -> None:
    """Issue 16: street, postcode and place are required; room, way in and coordinates optional,
    the coordinates both or neither and within range; each problem names its field."""
    base = {
        "name": ["Rom"],
        "municipality": ["4630"],
        "capacity": ["9"],
        "slots": ["tue_evening"],
        "street": ["  Lonevågvegen   20 "],
        "postcode": ["5282"],
        "post_place": ["Lonevåg"],
        "room": ["Vesle salen"],
        "entry": ["Ring på klokka merkt LINK"],
        "accessible": ["1"],
        "lat": ["60,527"],
        "lon": ["5.496"],
    }
    doc, problems = roster.parse_venue(base, MUNIS)
    assert not problems
    assert doc["street"] == "Lonevågvegen 20" and doc["accessible"] is True
    assert (doc["lat"], doc["lon"]) == (60.527, 5.496) and doc["entry"].startswith("Ring")
    _, problems = roster.parse_venue(
        {**base, "street": [""], "postcode": ["528"], "lat": ["95"], "lon": [""]}, MUNIS
    )
    assert codes(problems) == {
        "street": "required",
        "postcode": "postcode",
        "lat": "coordinate",
        "lon": "coordinate",
    }
    doc, problems = roster.parse_venue({**base, "lat": [""], "lon": [""], "room": [""]}, MUNIS)
    assert not problems and doc["lat"] is None and doc["room"] == ""
    _, problems = roster.parse_venue({**base, "entry": ["x" * 201]}, MUNIS)
    assert codes(problems) == {"entry": "too_long"}
