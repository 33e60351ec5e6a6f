"""Translations from gettext catalogs (issue 11): shared/locale/<lang>/LC_MESSAGES/<domain>.po,
managed with Babel (`make i18n`: pybabel extract → update → compile; README § Translations).

The source texts are in shared/texts/ (one module per audience), marked for extraction:
`M(context, text)` for what residents read (domain "messages", in all eight languages),
`S(context, text)` for staff pages and mails (domain "staff": bokmål, nynorsk, English),
`R(context, text)` for the municipal report (domain "report", written in bokmål, with nynorsk),
`MP(context, singular, plural)` for a text with a number. The context is the message's key, so one
English text can have two translations. A `Texts` maps keys to such messages; `Texts[lang][key]`
gives the translated text, as the dictionaries before issue 11 did, so the callers and templates
(`t.key`) did not change.

Catalogs are compiled to .mo at install (`make deps`); a .po without a fresh .mo (a deployment
bundle, a translator's edit) is compiled in memory at first use, so a stale .mo is never read.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Final, NamedTuple

from shared.languages import LANGS

LOCALE_DIR: Final = Path(__file__).parent / "locale"
DOMAINS: Final = ("messages", "staff", "report")


class Msg(NamedTuple):
    domain: str
    context: str
    text: str
    plural: str | None = None


def M(context: str, text: str) -> Msg:
    return Msg("messages", context, text)


def MP(context: str, singular: str, plural: str) -> Msg:
    return Msg("messages", context, singular, plural)


def S(context: str, text: str) -> Msg:
    return Msg("staff", context, text)


def R(context: str, text: str) -> Msg:
    return Msg("report", context, text)


def _compile(po: Path) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


@cache
def translations(domain: str, lang: str) -> gettext.NullTranslations:
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    po, mo = folder / f"{domain}.po", folder / f"{domain}.mo"
    if not po.exists():
        return gettext.NullTranslations()  # the source text (a staff text asked in Somali)
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        data = mo.read_bytes()
    else:
        data = _compile(po)
    return gettext.GNUTranslations(io.BytesIO(data))


def text(msg: Msg, lang: str, n: int | None = None) -> str:
    t = translations(msg.domain, lang)
    if msg.plural is not None:
        return t.npgettext(msg.context, msg.text, msg.plural, 1 if n is None else n)
    return t.pgettext(msg.context, msg.text)


class Bound(Mapping[str, str]):
    """One language's view of a `Texts`: t["key"], and t.key in templates."""

    def __init__(self, source: Mapping[str, Msg], lang: str) -> None:
        self._source, self.lang = source, lang

    def __getitem__(self, key: str) -> str:
        return text(self._source[key], self.lang)

    def __getattr__(self, key: str) -> str:
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)

    def plural(self, key: str, n: int) -> str:
        return text(self._source[key], self.lang, n)


class Texts(Mapping[str, Bound]):
    """Keyed source messages; `Texts[lang]` is their translation into `lang`."""

    def __init__(self, source: Mapping[str, Msg]) -> None:
        self.source = dict(source)

    def __getitem__(self, lang: str) -> Bound:
        return Bound(self.source, lang)

    def __iter__(self) -> Iterator[str]:
        return iter(LANGS)

    def __len__(self) -> int:
        return len(LANGS)
