"""The centre as a resident sees it (issue 22), for pages and emails alike: how to reach it (the
footer of every resident page and email), what happens after a sign-up, where to get urgent help,
and the privacy and accessibility statements. Everything centre-specific comes from the centre
file's `[contact]`, `[centre]` and `[retention]`; the words from shared/texts/resident.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from shared.config import CentreConfig
from shared.languages import Lang
from shared.texts.resident import RESIDENT, URGENT_NUMBERS

STATEMENTS = ("privacy", "accessibility")


def ltr(value: str) -> str:
    """A number or an address inside a sentence, kept left to right in Arabic text too (Unicode
    isolates: without them the groups of "+47 55 00 00 00" come out in reverse order) and on one
    line (no-break spaces)."""
    return "\u2066" + value.replace(" ", "\u00a0") + "\u2069"


@dataclass(frozen=True)
class ContactBlock:
    name: str
    street: str
    place: str  # "5015 Bergen"
    phone: str
    tel: str
    hours: str | None
    email: str
    website: str | None
    privacy_url: str
    accessibility_url: str


def statement_url(base_url: str, page: str, lang: Lang) -> str:
    """Absolute, so it works from the form, from /actions pages and from emails alike: the intake
    function serves every path but its own two (/actions, /console) as the form (issue 22)."""
    return f"{base_url.rstrip('/')}/intake?" + urlencode({"page": page, "lang": lang})


def contact(centre: CentreConfig, lang: Lang, base_url: str) -> ContactBlock:
    c, r = centre.contact, RESIDENT[lang]
    hours = (
        r["contact_hours"].format(start=f"{c.phone_from:%H:%M}", end=f"{c.phone_to:%H:%M}")
        if c.phone_from and c.phone_to
        else None
    )
    return ContactBlock(
        name=centre.centre.name,
        street=c.street,
        place=f"{c.postcode} {c.city}",
        phone=c.phone,
        tel=c.tel,
        hours=hours,
        email=c.email,
        website=c.website,
        privacy_url=statement_url(base_url, "privacy", lang),
        accessibility_url=statement_url(base_url, "accessibility", lang),
    )


def next_steps(centre: CentreConfig, lang: Lang) -> list[str]:
    """Who contacts the person, roughly when and how, and what follows (the thank-you page and
    the receipt)."""
    r = RESIDENT[lang]
    c = centre.contact
    steps = (
        [
            r.plural("next_pretalk", c.pretalk_within_days).format(
                n=c.pretalk_within_days, centre=centre.centre.name
            ),
            r["next_calls_from"].format(phone=ltr(c.phone)),
        ]
        if centre.centre.require_pretalk
        else [r["next_waiting"]]
    )
    return [*steps, r["next_group"], r["next_withdraw"]]


def urgent_help(lang: Lang) -> list[tuple[str, str, str]]:
    """(number as shown, number for tel:, what it is for)."""
    r = RESIDENT[lang]
    return [(shown, tel, r[key]) for shown, tel, key in URGENT_NUMBERS]


def statement(centre: CentreConfig, lang: Lang, page: str) -> tuple[str, list[tuple[str, str]]]:
    """A statement's title and its sections (heading, text); the first section has no heading."""
    r, c = RESIDENT[lang], centre.contact
    values = {
        "centre": centre.centre.name,
        "email": ltr(c.email),
        "phone": ltr(c.phone),
        "unplaced": centre.retention.unplaced_days,
        "placed": centre.retention.placed_days_after_facilitation,
        "date": f"{c.accessibility_reviewed:%d.%m.%Y}",
    }
    if page == "privacy":
        keys = [
            ("", "privacy_controller"),
            ("privacy_what_heading", "privacy_what"),
            ("privacy_why_heading", "privacy_why"),
            ("privacy_who_heading", "privacy_who"),
            ("privacy_keep_heading", "privacy_keep"),
            ("privacy_processors_heading", "privacy_processors"),
            ("privacy_rights_heading", "privacy_rights"),
        ]
        title = r["privacy_title"]
    else:
        keys = [
            ("", "a11y_intro"),
            ("a11y_checked_heading", "a11y_checked"),
            ("a11y_known_heading", "a11y_known"),
            ("a11y_feedback_heading", "a11y_feedback"),
            ("", "a11y_authority"),
            ("", "a11y_reviewed"),
        ]
        title = r["a11y_title"]
    return title, [(r[h] if h else "", r[k].format(**values)) for h, k in keys]
