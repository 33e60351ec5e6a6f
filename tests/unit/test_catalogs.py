"""The translation catalogs (issue 11): every catalog holds every message its domain has, with the
same placeholders, no fuzzy or empty entry, and plural rules that agree with CLDR."""

from __future__ import annotations

import os
import string
import time
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.plural import to_python

from scripts.i18n import KEYWORDS, extract
from shared import catalogs
from shared.languages import LANGS, STAFF_LANGS
from shared.texts.form import ERRORS, error_text
from shared.texts.pages import UI

LOCALE = catalogs.LOCALE_DIR
EXPECTED = {"messages": LANGS, "staff": STAFF_LANGS, "report": ("nb", "nn")}


def read(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Catalog]:
    """Extracted afresh from the source (pybabel extract): a text added to the code but not to the
    catalogs, or a stale .pot, fails here."""
    out = tmp_path_factory.mktemp("pot")
    extract(out)
    return {domain: read(out / f"{domain}.pot") for domain in KEYWORDS}


def keys(catalog: Catalog) -> set[tuple[str | None, object]]:
    return {(m.context, m.id) for m in catalog if m.id}


def names(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


def test_the_committed_templates_are_current(templates: dict[str, Catalog]) -> None:
    for domain, fresh in templates.items():
        assert keys(read(LOCALE / f"{domain}.pot")) == keys(fresh), f"make i18n ({domain})"


@pytest.mark.parametrize("domain", sorted(EXPECTED))
def test_every_catalog_is_complete_with_the_same_placeholders(
    domain: str, templates: dict[str, Catalog]
) -> None:
    pot = templates[domain]
    found = sorted(p.parent.parent.name for p in LOCALE.glob(f"*/LC_MESSAGES/{domain}.po"))
    assert found == sorted(EXPECTED[domain])
    for lang in found:
        po = read(LOCALE / lang / "LC_MESSAGES" / f"{domain}.po")
        assert keys(po) == keys(pot), (lang, keys(pot) ^ keys(po))
        for m in po:
            if not m.id:
                continue
            assert not m.fuzzy, (lang, m.context)
            ids = m.id if isinstance(m.id, tuple) else (m.id,)
            forms = m.string if isinstance(m.string, tuple) else (m.string,)
            assert all(forms), f"{lang}: {m.context} untranslated"
            wanted = names(ids[-1])
            for form in forms:
                have = names(form)
                # a plural form may leave out the count ("one character"), never add or lose more
                assert have == wanted or (len(ids) == 2 and have == wanted - {"max"}), (
                    lang,
                    m.context,
                    form,
                )
            if len(ids) == 2:
                assert len(forms) == po.num_plurals, (lang, m.context)


@pytest.mark.parametrize("lang", LANGS)
def test_plural_rules_agree_with_cldr(lang: str) -> None:
    po = read(LOCALE / lang / "LC_MESSAGES" / "messages.po")
    rule = to_python(Locale.parse(lang).plural_form)
    expr = po.plural_expr
    header = _c_expr(expr)
    classes_po: dict[int, set[str]] = {}
    for n in range(0, 301):
        classes_po.setdefault(header(n), set()).add(rule(n))
    # each of the catalog's forms covers exactly one CLDR category for whole numbers
    assert all(len(cats) == 1 for cats in classes_po.values()), (lang, expr, classes_po)
    assert len({next(iter(c)) for c in classes_po.values()}) == len(classes_po)


def _c_expr(expr: str):  # type: ignore[no-untyped-def]
    """A gettext plural expression (C syntax) as a Python function, via gettext itself."""
    import gettext

    return gettext.c2py(expr)


def test_plural_forms_reach_the_reader() -> None:
    assert error_text("too_long", "name", "uk", max=1).endswith("1 символу.")
    assert error_text("too_long", "name", "uk", max=3).endswith("3 символів.")
    assert error_text("too_long", "name", "uk", max=80).endswith("80 символів.")
    assert error_text("too_long", "name", "pl", max=2).endswith("2 znaki.")
    assert error_text("too_long", "name", "pl", max=80).endswith("80 znaków.")
    assert error_text("too_long", "name", "en", max=1).endswith("1 character.")
    assert "حرفين" in error_text("too_long", "name", "ar", max=2)
    assert ERRORS["nb"].plural("too_long", 80).format(label="Navn", max=80).endswith("80 tegn.")


def test_every_language_reads_its_own_catalog() -> None:
    titles = {lang: UI[lang]["title"] for lang in LANGS}
    assert len(set(titles.values())) == len(LANGS)  # no language falls back to another's text
    assert UI["uk"]["html_lang"] == "uk" and UI["ar"].html_lang == "ar"


def test_a_stale_compiled_catalog_is_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "nb" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "messages.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgctxt "ui.title"\nmsgid "Sign up"\nmsgstr "Ny tekst"\n',
        encoding="utf-8",
    )
    (folder / "messages.mo").write_bytes(b"")  # older than the .po: would fail if read
    old = time.time() - 60
    os.utime(folder / "messages.mo", (old, old))
    monkeypatch.setattr(catalogs, "LOCALE_DIR", tmp_path)
    catalogs.translations.cache_clear()
    try:
        assert catalogs.text(catalogs.M("ui.title", "Sign up"), "nb") == "Ny tekst"
    finally:
        catalogs.translations.cache_clear()
