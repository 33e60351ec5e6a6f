"""Every intake rule of CONTRACT.md, on the pure validator."""

from typing import Any

import pytest

from shared.config import DEFAULT_CENTRE_FILE, load_centre
from shared.domain.intake_rules import form_to_raw, is_honeypot_filled, validate_inquiry
from shared.languages import LANGS, pick_lang
from shared.texts.form import ERRORS, error_text

CENTRE = load_centre(DEFAULT_CENTRE_FILE)


def ok(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Kari",
        "email": "kari@example.no",
        "municipality": "4601",
        "topics": ["general"],
        "formats": ["digital"],
        "times": ["weekend"],
        "consent": True,
        "adult": True,
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not ...}


def fields(raw: dict[str, Any]) -> list[str]:
    draft, errors = validate_inquiry(raw, CENTRE)
    assert (draft is None) == bool(errors)
    return [e.field for e in errors]


def test_valid_minimal_inquiry_is_normalised() -> None:
    draft, errors = validate_inquiry(ok(name="  Kari  ", email="Kari@Example.NO"), CENTRE)
    assert errors == [] and draft is not None
    assert draft.name == "Kari"
    assert draft.email == "Kari@example.no"
    assert draft.languages == ("no",)
    assert draft.travel == ()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ...}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"name": 12}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"phone": "12"}, "phone"),
        ({"municipality": ...}, "municipality"),
        ({"municipality": "0301"}, "municipality"),
        ({"topics": []}, "topics"),
        ({"topics": ["astrology"]}, "topics"),
        ({"topics": ...}, "topics"),
        ({"formats": ["by_post"]}, "formats"),
        ({"formats": []}, "formats"),
        ({"times": ["midnight"]}, "times"),
        ({"times": "weekend-ish"}, "times"),
        ({"languages": ["xx"]}, "languages"),
        ({"languages": "nor"}, "languages"),
        ({"travel": ["9999"]}, "travel"),
        ({"heard_from": "radio"}, "heard_from"),
        ({"message": "x" * 1001}, "message"),
        ({"consent": False}, "consent"),
        ({"consent": ...}, "consent"),
        ({"consent": "yes"}, "consent"),
        ({"adult": False}, "adult"),
        ({"adult": ...}, "adult"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
    ],
)
def test_each_rule_names_its_field(overrides: dict[str, Any], field: str) -> None:
    assert fields(ok(**overrides)) == [field]


def test_contact_needs_email_or_phone() -> None:
    assert fields(ok(email=...)) == ["email"]
    assert fields(ok(email=..., phone="412 34 567")) == []


def test_norwegian_phone_without_country_code_is_accepted_and_normalised() -> None:
    draft, _ = validate_inquiry(ok(email=..., phone="412 34 567"), CENTRE)
    assert draft is not None and draft.phone == "+4741234567"
    draft, _ = validate_inquiry(ok(email=..., phone="+46 70 123 45 67"), CENTRE)
    assert draft is not None and draft.phone == "+46701234567"


def test_every_problem_is_listed_at_once() -> None:
    raw = {"name": "", "municipality": "x", "topics": [], "formats": [], "times": [], "bogus": 1}
    got = fields(raw)
    assert set(got) == {
        "bogus",
        "name",
        "email",
        "municipality",
        "topics",
        "formats",
        "times",
        "consent",
        "adult",
    }


def test_other_municipality_and_travel_and_message_limits() -> None:
    assert fields(ok(municipality="other")) == []
    draft, _ = validate_inquiry(ok(travel=["4627", "4601"], message="x" * 1000), CENTRE)
    assert draft is not None and draft.travel == ("4627",)  # own municipality dropped


def test_honeypot() -> None:
    assert not is_honeypot_filled(ok())
    assert not is_honeypot_filled(ok(website=""))
    assert is_honeypot_filled(ok(website="http://spam.example"))


def test_form_encoding_lists_and_booleans() -> None:
    raw = form_to_raw(
        {
            "name": ["Kari"],
            "topics": ["relatives", "general"],
            "formats": ["digital"],
            "times": ["weekend"],
            "consent": ["true"],
            "adult": ["on"],
            "languages": [""],
        }
    )
    assert raw["topics"] == ["relatives", "general"]
    assert raw["consent"] is True and raw["adult"] is True
    assert raw["languages"] == []


@pytest.mark.parametrize("code", sorted(ERRORS.source))
def test_every_error_exists_in_every_language(code: str) -> None:
    texts = {lang: error_text(code, "name", lang, max=1, value="v") for lang in LANGS}
    assert all(texts.values())
    assert texts["en"] != texts["nb"]


def test_language_choice() -> None:
    assert pick_lang("nn") == "nn"
    assert pick_lang("en-GB,en;q=0.9") == "en"
    assert pick_lang("no") == "nb"
    assert pick_lang("de") == "nb"
    assert pick_lang(None, "en") == "en"


def test_bokmaal_and_nynorsk_speakers_share_norwegian_groups() -> None:
    draft, _ = validate_inquiry(ok(languages=["nb", "nn", "en"]), CENTRE)
    assert draft is not None and draft.languages == ("no", "en")


def test_an_address_the_mail_path_cannot_deliver_to_is_refused_on_its_field() -> None:
    """Issue 18: "sølvi@…" passed the form and the receipt then failed (SES takes no such
    address; an SMTP server only with SMTPUTF8). Refused at the form in the person's language,
    unless the centre's SMTP server offers SMTPUTF8; a non-ASCII domain is fine (IDNA)."""
    raw = ok(email="sølvi@eksempel.no")
    draft, errors = validate_inquiry(raw, CENTRE)
    assert draft is None and [(e.field, e.code) for e in errors] == [
        ("email", "email_not_deliverable")
    ]
    texts = {lang: error_text("email_not_deliverable", "email", lang) for lang in LANGS}
    assert len(set(texts.values())) == len(LANGS)  # its own sentence in every language
    assert all("@" in t for t in texts.values())
    draft, errors = validate_inquiry(raw, CENTRE, smtputf8=True)
    assert errors == [] and draft is not None and draft.email == "sølvi@eksempel.no"
    draft, errors = validate_inquiry(ok(email="solvi@blåbær.no"), CENTRE)
    assert errors == [] and draft is not None
