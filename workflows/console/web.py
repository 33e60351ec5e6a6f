"""The console's HTTP shapes, free of Flask: a request in, a response out (issue 9).

The entry point (functions/console.py) copies the Flask request into `Req` and the `Resp` back,
so the routing and the pages are tested without a server and served by the real one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shared.domain.roster import Problems
from shared.languages import Lang
from shared.texts.console import CONSOLE

Form = dict[str, list[str]]

SECURITY_HEADERS: dict[str, str] = {
    "Cache-Control": "no-store",
    # the sign-in link's token must not leave in a Referer header; no framing, no inline scripts
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}


@dataclass
class Req:
    method: str
    path: str  # below /console: "" or "/pool", "/facilitators/fac-1", ...
    query: dict[str, str]
    form: Form
    cookie: str | None
    client: str
    lang_hint: str | None = None
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # name -> (filename, bytes)


@dataclass
class Resp:
    status: int
    body: str | bytes = ""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    set_cookie: str | None = None
    lang: Lang = "nb"


def one(form: Form, name: str) -> str:
    return (form.get(name) or [""])[-1]


def problem_texts(problems: Problems, lang: Lang) -> dict[str, str]:
    """The first problem of each field, as a sentence naming the field, in the page's language."""
    t = CONSOLE[lang]
    out: dict[str, str] = {}
    for name, code, params in problems.items:
        out.setdefault(
            name, t[f"err_{code}"].format(label=t.get(name, name).split(" (")[0], **params)
        )
    return out
