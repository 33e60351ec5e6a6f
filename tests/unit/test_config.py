from pathlib import Path

import pytest

from shared.config import DEFAULT_CENTRE_FILE, ConfigError, load_centre


def test_demo_centre_matches_contract() -> None:
    c = load_centre(DEFAULT_CENTRE_FILE)
    assert c.centre.name == "LINK Bergen og omegn"
    codes = {m.code: m for m in c.municipalities}
    assert set(codes) == {"4601", "4624", "4626", "4627", "4628", "4630", "4631"}
    assert {code for code, m in codes.items() if m.standard == "nn"} == {"4628", "4630", "4631"}
    assert all(m.population > 0 for m in c.municipalities)
    for key in (
        "general",
        "bereavement",
        "relatives",
        "divorce",
        "loneliness",
        "unemployment",
        "new_in_norway",
        "young_adults",
    ):
        assert key in c.topic_keys
    assert (c.groups.min_size, c.groups.max_size) == (5, 8)
    assert c.centre.require_pretalk and c.centre.require_approval
    assert c.coordinators and "@" in c.coordinators[0].email


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "centre.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_bad_value_names_the_key(tmp_path: Path) -> None:
    text = DEFAULT_CENTRE_FILE.read_text(encoding="utf-8").replace("min_size = 5", "min_size = 2")
    with pytest.raises(ConfigError, match=r"groups\.min_size"):
        load_centre(_write(tmp_path, text))


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    text = DEFAULT_CENTRE_FILE.read_text(encoding="utf-8").replace(
        "max_size = 8", "max_size = 8\nmax_sise = 9"
    )
    with pytest.raises(ConfigError, match=r"groups\.max_sise"):
        load_centre(_write(tmp_path, text))


def test_max_below_min_is_refused(tmp_path: Path) -> None:
    text = DEFAULT_CENTRE_FILE.read_text(encoding="utf-8").replace("max_size = 8", "max_size = 4")
    with pytest.raises(ConfigError, match="max_size must be at least min_size"):
        load_centre(_write(tmp_path, text))


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_centre(tmp_path / "nope.toml")


def test_bergen_has_two_facilitators_for_any_group_at_any_time() -> None:
    """CONTRACT.md: "Bergen has at least two facilitators who could take any group there" — every
    topic, and daytime, evening and weekend too (issue 8)."""
    import tomllib

    from scripts.demo import DEMO_FILE
    from shared.domain.slots import time_category

    c = load_centre(DEFAULT_CENTRE_FILE)
    demo = tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))
    any_group = [
        f
        for f in demo["facilitators"]
        if "4601" in f["municipalities"]
        and set(c.topic_keys) <= set(f["topics"])
        and {time_category(s) for s in f["slots"]}
        == {"weekday_daytime", "weekday_evening", "weekend"}
    ]
    assert len(any_group) >= 2, [f["id"] for f in any_group]
    rooms = {
        time_category(s) for v in demo["venues"] if v["municipality"] == "4601" for s in v["slots"]
    }
    assert rooms == {"weekday_daytime", "weekday_evening", "weekend"}


@pytest.mark.parametrize(
    ("line", "value", "message"),
    [
        ('phone = "+47 55 00 00 00"', 'phone = "55 00 00 00"', r"contact\.phone: .*country code"),
        ('email = "post@linkbergen.example"', 'email = "post"', r"contact\.email: .*one email"),
        ('postcode = "5015"', 'postcode = "501"', r"contact\.postcode"),
        ("phone_to = 14:00:00", "phone_to = 09:00:00", "phone_from must be before phone_to"),
        ("pretalk_within_days = 7", "pretalk_within_days = 0", r"contact\.pretalk_within_days"),
    ],
)
def test_the_centres_contact_details_are_checked(
    tmp_path: Path, line: str, value: str, message: str
) -> None:
    """Issue 22: residents read these on every page and email, so a bad one stops the start."""
    text = DEFAULT_CENTRE_FILE.read_text(encoding="utf-8")
    assert line in text
    with pytest.raises(ConfigError, match=message):
        load_centre(_write(tmp_path, text.replace(line, value)))


def test_a_centre_without_contact_details_is_refused(tmp_path: Path) -> None:
    text = DEFAULT_CENTRE_FILE.read_text(encoding="utf-8")
    start, end = text.index("[contact]"), text.index("[groups]")
    with pytest.raises(ConfigError, match=r"contact: Field required"):
        load_centre(_write(tmp_path, text[:start] + text[end:]))


def test_meeting_rooms_are_validated_naming_the_key(tmp_path: Path) -> None:
    """Issue 16: jitsi needs its https address, token authentication its app id."""
    from shared.config import DEFAULT_CENTRE_FILE, ConfigError, load_centre

    text = DEFAULT_CENTRE_FILE.read_text(encoding="utf-8")
    start = text.index("[meeting_rooms]")
    end = text.index("[retention]")
    for block, words in (
        ('[meeting_rooms]\nprovider = "jitsi"\n', "jitsi_url is required"),
        (
            '[meeting_rooms]\nprovider = "jitsi"\njitsi_url = "https://m.example"\ntoken_auth = true\n',
            "app_id is required",
        ),
        ('[meeting_rooms]\nprovider = "zoom"\n', "meeting_rooms.provider"),
        (
            '[meeting_rooms]\nprovider = "jitsi"\njitsi_url = "http://m.example"\n',
            "meeting_rooms.jitsi_url",
        ),
        ('[meeting_rooms]\nprovider = "link"\ntoken_minutes = 60\n', "meeting_rooms.token_minutes"),
    ):
        bad = tmp_path / "centre.toml"
        bad.write_text(text[:start] + block + "\n" + text[end:], encoding="utf-8")
        with pytest.raises(ConfigError, match=words.replace(".", r"\.")):
            load_centre(bad)
    ok = tmp_path / "ok.toml"
    ok.write_text(
        text[:start] + '[meeting_rooms]\nprovider = "link"\n\n' + text[end:], encoding="utf-8"
    )
    assert load_centre(ok).meeting_rooms.provider == "link"
