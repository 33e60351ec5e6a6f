"""Jinja2 templates for pages and emails (autoescaped HTML, plain text alongside)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).resolve().parent.parent / "shared" / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
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


def render(template_name: str, /, **context: object) -> str:
    return environment().get_template(template_name).render(**context)
