"""Nynorsk texts hold no bokmål (issue 22): a list of words that exist only in bokmål, checked
against every nynorsk catalog and the centre file's nynorsk topic names; and one word for the
pre-talk ("forsamtale", as DESIGN.md's glossary, the bokmål texts and the residents' nynorsk say).

The list holds only words that have no nynorsk reading (not "nå", which is also the nynorsk verb
"reach", nor "også" or "eller"); each has its nynorsk form beside it, for whoever fixes a hit.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from shared import catalogs
from shared.config import DEFAULT_CENTRE_FILE, load_centre

# bokmål → nynorsk
BOKMAL_ONLY: dict[str, str] = {
    "ikke": "ikkje",
    "nærmeste": "næraste",
    "kommer": "kjem",
    "gjelder": "gjeld",
    "hva": "kva",
    "hvor": "kvar / kor",
    "hvem": "kven",
    "hvordan": "korleis",
    "hvis": "viss / om",
    "hvilken": "kva for ein",
    "hvilke": "kva for",
    "hver": "kvar",
    "hvert": "kvart",
    "jeg": "eg",
    "mye": "mykje",
    "noen": "nokon",
    "noe": "noko",
    "fra": "frå",
    "bare": "berre",
    "ennå": "enno",
    "dere": "de",
    "deres": "dykkar",
    "uke": "veke",
    "uker": "veker",
    "ukedag": "vekedag",
    "navn": "namn",
    "innbyggere": "innbyggjarar",
    "deltaker": "deltakar",
    "deltakere": "deltakarar",
    "igangsetter": "igangsetjar",
    "igangsettere": "igangsetjarar",
    "henvendelse": "førespurnad",
    "henvendelser": "førespurnader",
    "hilsen": "helsing",
    "mottatt": "motteke",
    "dager": "dagar",
    "selv": "sjølv",
    "hjem": "heim",
    "siden": "sidan",
    "vennlig": "venleg",
    "bekreft": "stadfest",
    "bekrefte": "stadfeste",
    "opplysninger": "opplysningar",
    "ble": "vart / blei",
    "gruppen": "gruppa",
    "lagret": "lagra",
    "logget": "logga",
    "slettet": "sletta",
    "tilgjengelighet": "tilgjengelegheit",
    "tilgjengelighetserklæring": "tilgjengelegheitserklæring",
    "personvernerklæringen": "personvernerklæringa",
    "kontaktopplysninger": "kontaktopplysningar",
    "dessuten": "dessutan",
    "vanligvis": "vanlegvis",
    "legevakten": "legevakta",
    "hjelpen": "hjelpa",
}
PRETALK_WRONG = re.compile(r"førehandssamtal", re.IGNORECASE)
_WORDS = re.compile(r"\b(" + "|".join(sorted(BOKMAL_ONLY, key=len, reverse=True)) + r")\b", re.I)
NN = catalogs.LOCALE_DIR / "nn" / "LC_MESSAGES"


def nynorsk_texts(folder: Path = NN) -> list[tuple[str, str]]:
    """(where, text) for every translated nynorsk string: each catalog, and the centre file."""
    out: list[tuple[str, str]] = []
    for po in sorted(folder.glob("*.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh)
        for m in catalog:
            if not m.id:
                continue
            forms = m.string if isinstance(m.string, tuple) else (m.string,)
            out += [(f"{po.name} {m.context}", form) for form in forms if form]
    if folder == NN:
        centre = load_centre(DEFAULT_CENTRE_FILE)
        out += [(f"centre topic {t.key}", t.nn) for t in centre.topics]
    return out


def bokmal_hits(texts: list[tuple[str, str]]) -> list[str]:
    hits = []
    for where, text in texts:
        for word in _WORDS.findall(text):
            hits.append(f"{where}: «{word}» (nynorsk: {BOKMAL_ONLY[word.lower()]}) in «{text}»")
        if PRETALK_WRONG.search(text):
            hits.append(f"{where}: «førehandssamtale» – nynorsk uses «forsamtale» in «{text}»")
    return hits


def test_the_nynorsk_catalogs_hold_no_bokmal() -> None:
    assert bokmal_hits(nynorsk_texts()) == []


def test_every_nynorsk_catalog_is_read() -> None:
    names = {where.split()[0] for where, _ in nynorsk_texts()}
    assert {"messages.po", "staff.po", "report.po", "centre"} <= names


@pytest.mark.parametrize(
    ("word", "found"),
    [("Ikke", True), ("Nærmeste", True), ("Kommer", True), ("Gjelder", True), ("kjem", False)],
)
def test_an_inserted_bokmal_word_is_found(tmp_path: Path, word: str, found: bool) -> None:
    """The check itself: the real staff catalog with one word put into one of its texts."""
    folder = tmp_path / "nn" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(NN / "staff.po", folder / "staff.po")
    with (folder / "staff.po").open("rb") as fh:
        catalog = read_po(fh)
    message = next(m for m in catalog if m.id and isinstance(m.string, str) and m.string)
    message.string = f"{word} {message.string}"
    with (folder / "staff.po").open("wb") as fh:
        write_po(fh, catalog)
    hits = bokmal_hits(nynorsk_texts(folder))
    assert bool(hits) is found, hits
    if found:
        assert word in hits[0] and message.context in hits[0]


def test_the_pretalk_has_one_name_in_nynorsk() -> None:
    assert bokmal_hits([("x", "Ventar på førehandssamtale")]) != []
    uses = [text for _, text in nynorsk_texts() if "forsamtal" in text.lower()]
    assert len(uses) >= 5  # the console, the digest, the coordinator's mail and the form
