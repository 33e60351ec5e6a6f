"""The languages linkflyt speaks (DESIGN.md): the types, the lists, and choosing one for a reader.

A module of its own that imports nothing of the project, so the config (which types the centre's
language with `StaffLang`), the catalogs (a `Texts` iterates `LANGS`) and the texts can all import
it at module level. The list used to live in shared/i18n.py beside the text tables, which import
shared/catalogs.py: catalogs read it through a function-local import that hid a cycle (issue 20).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Final, Literal, get_args

# Residents read any of these; staff pages and the centre's own language are one of the first
# three; a municipality writes one of the two Norwegian standards (its report's language).
Lang = Literal["nb", "nn", "en", "uk", "pl", "ar", "so", "ti"]
StaffLang = Literal["nb", "nn", "en"]
Standard = Literal["nb", "nn"]

# The form's picker lists them in this order.
LANGS: Final[tuple[Lang, ...]] = get_args(Lang)
STAFF_LANGS: Final[tuple[Lang, ...]] = get_args(StaffLang)
# Each language's own name, for the picker (not translated: a reader looks for their own).
NATIVE_NAMES: Final[dict[str, str]] = {
    "nb": "Norsk bokmål",
    "nn": "Norsk nynorsk",
    "en": "English",
    "uk": "Українська",
    "pl": "Polski",
    "ar": "العربية",
    "so": "Soomaali",
    "ti": "ትግርኛ",
}
RTL: Final = frozenset({"ar"})


@cache
def language_name(code: str, reader: str) -> str:
    """A language's name in the reader's language, for staff ("arabisk" for "ar" to a bokmål
    reader, issue 22): CLDR's names through Babel, the code itself when CLDR has none. Babel is
    imported here, not at module level, so the form's cold start does not pay for it."""
    from babel import Locale, UnknownLocaleError

    try:
        names = Locale.parse(reader).languages
    except (UnknownLocaleError, ValueError):
        return code
    return str(names.get(code) or code)


def language_names(codes: str | Iterable[str] | None, reader: str) -> str:
    """Codes (a list, or one code) as names joined for a page: "norsk, arabisk"."""
    items = [codes] if isinstance(codes, str) else list(codes or [])
    return ", ".join(language_name(str(c), reader) for c in items)


def text_direction(lang: str) -> str:
    return "rtl" if lang in RTL else "ltr"


def pick_lang(
    candidate: str | None, default: Lang = "nb", offered: tuple[Lang, ...] = LANGS
) -> Lang:
    """Choose a language from a query value or an Accept-Language header (first match wins);
    staff pages pass `offered=STAFF_LANGS`."""
    if not candidate:
        return default
    for part in candidate.replace(" ", "").split(","):
        primary = part.split(";")[0].lower().split("-")[0]
        if primary == "no":
            primary = "nb"
        for lang in offered:
            if primary == lang:
                return lang
    return default
