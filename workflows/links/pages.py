"""The HTML pages people see: the intake form, the thank-you page, action confirmations."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from shared.config import CentreConfig
from shared.domain.vocabulary import AGE_BANDS, HEARD_FROM
from shared.languages import LANGS, NATIVE_NAMES, RTL, Lang
from shared.texts.form import FIELD_LABELS
from shared.texts.pages import UI
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
    return {
        "t": UI[lang],
        "lang": lang,
        "centre_name": centre.centre.name,
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
    kept.update({"consent": False, "adult": False})
    for key, value in (values or {}).items():
        if key in kept and key != "website":
            kept[key] = value
    by_field: dict[str, str] = {}
    for err in errors or []:
        by_field.setdefault(err["field"], err["message"])
    return render(
        "pages/form.html",
        **_common(centre, lang),
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


def thanks_page(centre: CentreConfig, lang: Lang, reference: str) -> str:
    return render("pages/thanks.html", **_common(centre, lang), reference=reference)


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
