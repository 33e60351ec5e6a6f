"""The intake rules of CONTRACT.md, as a pure function: raw fields in, a clean draft or every error out.

Library validators do the hard parts (email-validator, phonenumbers, pycountry); this module only
decides which rule applies to which field, so that every problem is reported at once.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import cache
from typing import Any, Final

import phonenumbers
import pycountry
from email_validator import EmailNotValidError, validate_email
from pydantic import BaseModel, ConfigDict

from shared.config import CentreConfig
from shared.domain.vocabulary import AGE_BANDS, FORMATS, HEARD_FROM, TIMES

FIELDS: Final = (
    "name",
    "email",
    "phone",
    "municipality",
    "topics",
    "formats",
    "times",
    "languages",
    "travel",
    "heard_from",
    "age_band",
    "message",
    "consent",
    "adult",
    "website",
    # issue 22: the form's one-time submission id (a repeated post answers with the first reference)
    "submission",
)
LIST_FIELDS: Final = frozenset({"topics", "formats", "times", "languages", "travel"})
BOOL_FIELDS: Final = frozenset({"consent", "adult"})
NAME_MAX: Final = 80
MESSAGE_MAX: Final = 1000


@cache
def _iso_639_1() -> frozenset[str]:
    # pycountry reads its whole language table on first use (~0.05-0.1 s): only a submission that
    # names languages pays for it, not every cold start (issue 12)
    return frozenset(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")) | {
        "no"
    }


class _LanguageCodes(Container[str]):
    def __contains__(self, code: object) -> bool:
        return code in _iso_639_1()


_ISO_639_1: Final = _LanguageCodes()


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    params: dict[str, Any] = dc_field(default_factory=dict)


class InquiryDraft(BaseModel):
    """A submission that passed every rule: normalised, never containing unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    email: str | None
    phone: str | None
    municipality: str
    topics: tuple[str, ...]
    formats: tuple[str, ...]
    times: tuple[str, ...]
    languages: tuple[str, ...]
    travel: tuple[str, ...]
    heard_from: str | None
    message: str | None
    age_band: str | None = None


def is_honeypot_filled(raw: dict[str, Any]) -> bool:
    value = raw.get("website")
    return value not in (None, "", [])


SUBMISSION_PATTERN: Final = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def submission_id(raw: dict[str, Any]) -> tuple[str | None, list[FieldError]]:
    """The post's submission id, if it has one: the form's hidden field, or a JSON client's own."""
    value = raw.get("submission")
    if value in (None, ""):
        return None, []
    if not isinstance(value, str) or not SUBMISSION_PATTERN.match(value):
        return None, [FieldError("submission", "invalid_submission")]
    return value, []


def form_to_raw(form: dict[str, list[str]]) -> dict[str, Any]:
    """Turn an urlencoded form (repeated keys) into the JSON shape the rules read."""
    raw: dict[str, Any] = {}
    for key, values in form.items():
        if key in LIST_FIELDS:
            raw[key] = [v for v in values if v != ""]
        elif key in BOOL_FIELDS:
            raw[key] = values[-1].strip().lower() in ("on", "true", "1", "yes", "ja")
        else:
            raw[key] = values[0] if values else ""
    return raw


def _text(raw: dict[str, Any], key: str, errors: list[FieldError]) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        errors.append(FieldError(key, "not_text"))
        return None
    value = value.strip()
    return value or None


def _choices(
    raw: dict[str, Any],
    key: str,
    allowed: Container[str],
    errors: list[FieldError],
) -> tuple[str, ...] | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append(FieldError(key, "not_list"))
        return None
    bad = [v for v in value if v not in allowed]
    for v in bad[:3]:
        errors.append(FieldError(key, "unknown_choice", {"value": v[:40]}))
    if bad:
        return None
    return tuple(dict.fromkeys(value))  # keep order, drop repeats


def _required_choices(
    raw: dict[str, Any],
    key: str,
    allowed: tuple[str, ...] | frozenset[str],
    errors: list[FieldError],
) -> tuple[str, ...]:
    before = len(errors)
    chosen = _choices(raw, key, allowed, errors)
    if not chosen and len(errors) == before:
        errors.append(FieldError(key, "choose_one"))
    return chosen or ()


def _email(value: str | None, errors: list[FieldError], smtputf8: bool) -> str | None:
    if value is None:
        return None
    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        errors.append(FieldError("email", "invalid_email"))
        return None
    if checked.smtputf8 and not smtputf8:
        # Issue 18: "sølvi@…" passed and the receipt then failed (SES never takes one; an SMTP
        # server only with SMTPUTF8). Say so on the field instead of dropping the mail later.
        errors.append(FieldError("email", "email_not_deliverable"))
        return None
    return checked.normalized


def e164(value: str | None) -> str | None:
    """A valid phone number in E.164 (Norwegian numbers may leave out +47), or None."""
    if not value:
        return None
    try:
        number = phonenumbers.parse(value, "NO")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_MOBILE = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


def textable(value: str | None, regions: tuple[str, ...]) -> bool:
    """Whether an SMS may go to this number (issue 18: any valid number in the world got a receipt
    SMS, so the form could pump the SMS bill): a valid mobile number of one of the centre's regions."""
    number = e164(value)
    if number is None:
        return False
    parsed = phonenumbers.parse(number)
    return (
        phonenumbers.region_code_for_number(parsed) in regions
        and phonenumbers.number_type(parsed) in _MOBILE
    )


def _phone(value: str | None, errors: list[FieldError]) -> str | None:
    if value is None:
        return None
    number = e164(value)
    if number is None:
        errors.append(FieldError("phone", "invalid_phone"))
    return number


def validate_inquiry(
    raw: dict[str, Any], centre: CentreConfig, *, smtputf8: bool = False
) -> tuple[InquiryDraft | None, list[FieldError]]:
    """`smtputf8`: the mail path delivers to addresses with letters beyond ASCII before the @
    (an SMTP server offering SMTPUTF8); SES and the default path do not (issue 18)."""
    errors: list[FieldError] = []
    for key in raw:
        if key not in FIELDS:
            errors.append(FieldError(str(key)[:40], "unknown_field", {"value": str(key)[:40]}))

    name = _text(raw, "name", errors)
    if name is None and not any(e.field == "name" for e in errors):
        errors.append(FieldError("name", "required"))
    elif name is not None and len(name) > NAME_MAX:
        errors.append(FieldError("name", "too_long", {"max": NAME_MAX}))

    email = _email(_text(raw, "email", errors), errors, smtputf8)
    phone = _phone(_text(raw, "phone", errors), errors)
    if email is None and phone is None and not any(e.field in ("email", "phone") for e in errors):
        errors.append(FieldError("email", "contact_required"))

    codes = centre.municipality_codes
    municipality = _text(raw, "municipality", errors)
    if municipality is None:
        if not any(e.field == "municipality" for e in errors):
            errors.append(FieldError("municipality", "required"))
    elif municipality not in codes and municipality != "other":
        errors.append(FieldError("municipality", "unknown_choice", {"value": municipality[:40]}))
        municipality = None

    topics = _required_choices(raw, "topics", centre.topic_keys, errors)
    formats = _required_choices(raw, "formats", FORMATS, errors)
    times = _required_choices(raw, "times", TIMES, errors)
    languages = _choices(raw, "languages", _ISO_639_1, errors) or ("no",)
    # Bokmål and nynorsk speakers share Norwegian-speaking groups.
    languages = tuple(dict.fromkeys("no" if code in ("nb", "nn") else code for code in languages))
    travel = _choices(raw, "travel", codes, errors) or ()
    if municipality in travel:
        travel = tuple(t for t in travel if t != municipality)

    heard_from = _text(raw, "heard_from", errors)
    if heard_from is not None and heard_from not in HEARD_FROM:
        errors.append(FieldError("heard_from", "unknown_choice", {"value": heard_from[:40]}))

    age_band = _text(raw, "age_band", errors)
    if age_band is not None and age_band not in AGE_BANDS:
        errors.append(FieldError("age_band", "unknown_choice", {"value": age_band[:40]}))

    message = _text(raw, "message", errors)
    if message is not None and len(message) > MESSAGE_MAX:
        errors.append(FieldError("message", "too_long", {"max": MESSAGE_MAX}))

    for key, code in (("consent", "consent_required"), ("adult", "adult_required")):
        value = raw.get(key)
        if value is not True:
            is_bool_or_missing = value is None or isinstance(value, bool)
            errors.append(FieldError(key, code if is_bool_or_missing else "not_boolean"))

    if errors:
        return None, errors
    assert name is not None and municipality is not None
    return (
        InquiryDraft(
            name=name,
            email=email,
            phone=phone,
            municipality=municipality,
            topics=topics,
            formats=formats,
            times=times,
            languages=languages,
            travel=travel,
            heard_from=heard_from,
            message=message,
            age_band=age_band,
        ),
        [],
    )
