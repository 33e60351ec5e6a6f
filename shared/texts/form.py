"""The form's field names and the errors beside a field, and composing an error sentence
(English source texts; the residents' "messages" catalogs translate them).
"""

from __future__ import annotations

from typing import Final

from shared.catalogs import MP, M, Texts
from shared.languages import Lang

# The form's field names, as errors name them.
FIELD_LABELS: Final = Texts(
    {
        "name": M("field.name", "First name or alias"),
        "email": M("field.email", "Email"),
        "phone": M("field.phone", "Phone"),
        "municipality": M("field.municipality", "Municipality"),
        "topics": M("field.topics", "Topics"),
        "formats": M("field.formats", "Format"),
        "times": M("field.times", "Times"),
        "languages": M("field.languages", "Languages"),
        "travel": M("field.travel", "Other municipalities you can travel to"),
        "heard_from": M("field.heard_from", "How did you hear about us?"),
        "age_band": M("field.age_band", "Age group"),
        "message": M("field.message", "Message"),
        "consent": M("field.consent", "Consent"),
        "adult": M("field.adult", "Age"),
        "body": M("field.body", "Form"),
        "submission": M("field.submission", "Form"),
    }
)

# Errors beside a field; {label} is the field's name.
ERRORS: Final = Texts(
    {
        "required": M("error.required", "{label}: this is required."),
        "not_text": M("error.not_text", "{label}: must be text."),
        "not_list": M("error.not_list", "{label}: must be a list of choices."),
        "too_long": MP(
            "error.too_long",
            "{label}: at most {max} character.",
            "{label}: at most {max} characters.",
        ),
        "invalid_email": M(
            "error.invalid_email", "{label}: this does not look like a valid email address."
        ),
        "email_not_deliverable": M(
            "error.email_not_deliverable",
            "{label}: we cannot send email to an address with letters such as æ, ø or å before the @. Please give another address, or a phone number.",
        ),
        "invalid_phone": M(
            "error.invalid_phone", "{label}: this does not look like a valid phone number."
        ),
        "contact_required": M(
            "error.contact_required", "Give an email address or a phone number so we can reach you."
        ),
        "unknown_choice": M(
            "error.unknown_choice", "{label}: “{value}” is not one of the choices."
        ),
        "choose_one": M("error.choose_one", "{label}: choose at least one option."),
        "consent_required": M(
            "error.consent_required",
            "You must consent to us storing this information so we can find a group for you.",
        ),
        "adult_required": M("error.adult_required", "The groups are for people aged 18 or older."),
        "not_boolean": M("error.not_boolean", "{label}: must be yes or no."),
        "unknown_field": M("error.unknown_field", "Unknown field “{value}”."),
        "invalid_json": M(
            "error.invalid_json", "The form could not be read (not a valid JSON object)."
        ),
        "travel_own": M(
            "error.travel_own", "{label}: your own municipality need not be chosen here."
        ),
        "invalid_submission": M(
            "error.invalid_submission",
            "The form could not be sent as it was. Open the form again, fill it in and send it.",
        ),
    }
)

# Issue 22 (the GOV.UK Design System's error messages): for the fields a person fills in on the
# form, a message that says what to do; the generic ERRORS above stay for everything else.
FIELD_ERRORS: Final = Texts(
    {
        "required.name": M("error.required.name", "Enter your first name or an alias."),
        "required.municipality": M(
            "error.required.municipality",
            "Choose the municipality you live in, or “Another municipality”.",
        ),
        "choose_one.topics": M(
            "error.choose_one.topics",
            "Choose at least one topic. “General group” suits everyone.",
        ),
        "choose_one.formats": M(
            "error.choose_one.formats", "Choose whether you can meet in person, online, or both."
        ),
        "choose_one.times": M(
            "error.choose_one.times", "Choose at least one time of the week that suits you."
        ),
        "invalid_email.email": M(
            "error.invalid_email.email",
            "Enter an email address like name@example.no, or leave the field empty and give a phone number.",
        ),
        "invalid_phone.phone": M(
            "error.invalid_phone.phone",
            "Enter a phone number like 412 34 567, or with its country code, like +46 70 123 45 67.",
        ),
        "consent_required.consent": M(
            "error.consent_required.consent",
            "Tick the box to give your consent: we need it to store this information and find a group for you.",
        ),
        "adult_required.adult": M(
            "error.adult_required.adult",
            "Tick the box to confirm that you are 18 or older. The groups are for adults.",
        ),
    }
)


def field_label(field: str, lang: Lang) -> str:
    return FIELD_LABELS[lang][field] if field in FIELD_LABELS.source else field


def error_text(code: str, field: str, lang: Lang, **params: object) -> str:
    if f"{code}.{field}" in FIELD_ERRORS.source:
        return FIELD_ERRORS[lang][f"{code}.{field}"].format(
            label=field_label(field, lang), **params
        )
    t = ERRORS[lang]
    count = params.get("max")
    template = t.plural(code, count) if isinstance(count, int) else t[code]
    return template.format(label=field_label(field, lang), **params)
