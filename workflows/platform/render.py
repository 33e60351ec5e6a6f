"""Jinja2 templates for pages and emails (autoescaped HTML, plain text alongside)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from shared.catalogs import translations
from shared.languages import text_direction

TEMPLATES = Path(__file__).resolve().parents[2] / "shared" / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        extensions=["jinja2.ext.i18n"],
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # `codes|map('extract', names)`: a key's label; `slots|map('using', label_of)`: call a helper
    env.filters["extract"] = lambda key, mapping: mapping.get(key, key)
    env.filters["using"] = lambda value, fn: fn(value)
    return env


def gettext_context(lang: str) -> dict[str, object]:
    """Jinja2's i18n extension ({% trans %}, _(), pgettext()) in one language: the callables go
    in the render context, so concurrent renders in different languages never share them."""
    t = translations("messages", lang)
    return {
        "gettext": t.gettext,
        "_": t.gettext,
        "ngettext": t.ngettext,
        "pgettext": t.pgettext,
        "npgettext": t.npgettext,
    }


def render(template_name: str, /, **context: object) -> str:
    """Render with the text direction and the gettext callables of the context's `lang`."""
    lang = str(context.get("lang") or "nb")
    extra: dict[str, object] = {"dir": text_direction(lang), **gettext_context(lang)}
    return environment().get_template(template_name).render(**{**extra, **context})
