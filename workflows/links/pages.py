"""The HTML pages people see: the intake form, the thank-you page, action confirmations."""

from __future__ import annotations

import secrets
from typing import Any

from markupsafe import Markup

from shared.config import CentreConfig, get_settings
from shared.domain.vocabulary import AGE_BANDS, HEARD_FROM
from shared.languages import LANGS, NATIVE_NAMES, RTL, Lang
from shared.texts.form import FIELD_LABELS
from shared.texts.pages import UI
from shared.texts.resident import RESIDENT
from workflows.messaging import centre_info
from workflows.platform.render import render

# Languages offered as checkboxes on the form (JSON clients may send any ISO 639-1 code).
FORM_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("no", "Norsk"),
    ("en", "English"),
    ("uk", "Українська"),
    ("pl", "Polski"),
    ("ar", "العربية"),
    ("so", "Soomaali"),
    ("ti", "ትግርኛ"),
)
_LIST_FIELDS = ("topics", "formats", "times", "languages", "travel")


def _common(centre: CentreConfig, lang: Lang) -> dict[str, Any]:
    # the page footer's links are absolute (they must work from /actions pages too); the base URL
    # is the deployment's, read once like every setting
    base = get_settings().public_base_url
    return {
        "t": UI[lang],
        "r": RESIDENT[lang],
        "lang": lang,
        "centre_name": centre.centre.name,
        "contact": centre_info.contact(centre, lang, base),
        "languages_offered": [(code, NATIVE_NAMES[code]) for code in LANGS],
        "rtl": RTL,
    }


def form_page(
    centre: CentreConfig,
    lang: Lang,
    values: dict[str, Any] | None = None,
    errors: list[dict[str, str]] | None = None,
) -> str:
    kept: dict[str, Any] = {
        k: ""
        for k in ("name", "email", "phone", "municipality", "heard_from", "age_band", "message")
    }
    kept.update({k: [] for k in _LIST_FIELDS})
    kept.update(
        {"consent": False, "adult": False, "step_free": False, "submission": new_submission_id()}
    )
    for key, value in (values or {}).items():
        if key in kept and key != "website" and (key != "submission" or value):
            kept[key] = value
    by_field: dict[str, str] = {}
    for err in errors or []:
        by_field.setdefault(err["field"], err["message"])
    return render(
        "pages/form.html",
        **_common(centre, lang),
        urgent=centre_info.urgent_help(lang),
        values=kept,
        errors=by_field,
        labels=dict(FIELD_LABELS[lang]),
        municipalities=centre.municipalities,
        topics=[(t.key, t.label(lang)) for t in centre.topics],
        languages=[(code, f"{name} ({code})") for code, name in FORM_LANGUAGES],
        travel_options=[(m.code, m.name) for m in centre.municipalities],
        heard_from=[(key, UI[lang][f"heard_{key}"]) for key in HEARD_FROM],
        age_bands=AGE_BANDS,
    )


def thanks_page(centre: CentreConfig, lang: Lang, reference: str | None) -> str:
    """With the reference while the submission is fresh (issue 22); without it, a page that says
    where the reference is, for an old or unknown thank-you address."""
    return render(
        "pages/thanks.html",
        **_common(centre, lang),
        reference=reference,
        next_steps=centre_info.next_steps(centre, lang),
        urgent=centre_info.urgent_help(lang),
    )


def statement_page(centre: CentreConfig, lang: Lang, page: str) -> str:
    """The privacy or the accessibility statement (issue 22), in the reader's language."""
    title, sections = centre_info.statement(centre, lang, page)
    return render("pages/statement.html", **_common(centre, lang), heading=title, sections=sections)


def new_submission_id() -> str:
    """One per form page shown (issue 22): 144 random bits, so the thank-you page's address
    cannot be guessed; a repeated post of the same page answers with the first reference."""
    return secrets.token_urlsafe(18)


def message_page(centre: CentreConfig, lang: Lang, heading: str, *paragraphs: str) -> str:
    return render(
        "pages/message.html", **_common(centre, lang), heading=heading, paragraphs=paragraphs
    )


def action_page(
    centre: CentreConfig,
    lang: Lang,
    *,
    token: str,
    action: str,
    heading: str,
    paragraphs: list[str],
    button: str,
    extra_html: str = "",
) -> str:
    return render(
        "pages/action.html",
        **_common(centre, lang),
        token=token,
        action=action,
        heading=heading,
        paragraphs=paragraphs,
        button=button,
        extra_html=Markup(extra_html),
    )


def render_fragment(template: str, **context: Any) -> str:
    return render(template, **context)


common = _common  # the page frame, for pages rendered elsewhere (workflows/links/me.py)
