"""Issue 17: the pure part of the import — reading a sheet, mapping headings and cells, finding
likely duplicates — without a store."""

from __future__ import annotations

from datetime import date

import pytest

from shared.config import get_centre
from shared.domain import importing, spreadsheet
from shared.domain.importing import Good, Vocabulary, norm

VOCAB = Vocabulary(
    topics={"general": "general", "sorg": "bereavement", "pårørende": "relatives"},
    formats={"fysisk": "in_person", "digitalt": "digital", "meetingonline": "digital"},
    times={"kveld": "weekday_evening", "weekdaysevening": "weekday_evening", "helg": "weekend"},
    heard_from={"nav": "nav"},
    consent_how={"muntlig": "oral"},
)
HEAD = (
    "Navn;E-post;Telefon;Kommune;Tema;Møteform;Tid;Venter siden;Forsamtale;Samtykke dato;Samtykke"
)


def sheet(text: str, bom: bool = True, encoding: str = "utf-8") -> spreadsheet.Sheet:
    data = text.encode(encoding)
    return spreadsheet.read((b"\xef\xbb\xbf" if bom else b"") + data, "liste.csv")


def test_headings_people_write_map_to_columns() -> None:
    heads = (
        "NAVN",
        "e-post",
        "Tlf.",
        "Kommune",
        "Tema",
        "Møteform",
        "Tider",
        "Ventar sidan",
        "Forsamtale",
        "Samtykkedato",
        "Samtykke",
        "Favorittfarge",
    )
    columns, ignored = importing.map_columns(heads, "people")
    assert columns["name"] == 0 and columns["email"] == 1 and columns["phone"] == 2
    assert columns["waiting_since"] == 7 and columns["consent_how"] == 10
    assert ignored == ["Favorittfarge"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("15.08.2026", date(2026, 8, 15)),
        ("3.2.2026", date(2026, 2, 3)),
        ("2026-08-15", date(2026, 8, 15)),
        ("2026-08-15 00:00:00", date(2026, 8, 15)),
        ("31.02.2026", None),
        ("15/08/2026", None),
        ("i fjor", None),
    ],
)
def test_dates_as_people_write_them(text: str, want: date | None) -> None:
    assert importing.parse_date(text) == want


def test_a_semicolon_csv_with_a_bom_and_a_windows_1252_one_read_alike() -> None:
    row = "Kari;kari@eksempel.no;412 34 567;Bergen;Sorg, pårørende;fysisk;kveld;01.08.2026;ja;01.08.2026;muntlig"
    for s in (
        sheet(f"{HEAD}\n{row}\n"),
        sheet(f"{HEAD}\r\n{row}\r\n", bom=False, encoding="cp1252"),
    ):
        assert s.headings[1] == "E-post" and len(s.rows) == 1
        parsed = importing.parse(s, "people", get_centre(), VOCAB, date(2026, 12, 1))
        assert parsed.problems == []
        (good,) = parsed.good
        assert good.phone == "+4741234567" and good.data["draft"].topics == (
            "bereavement",
            "relatives",
        )
        assert good.data["waiting_since"] == date(2026, 8, 1) and good.data["pretalk_done"]


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "a.csv", "empty"),
        (b"\n\n;;\n", "a.csv", "empty"),
        (b"PK\x03\x04junk", "a.xlsx", "broken"),
        (b"%PDF", "a.pdf", "type"),
        (b"\x00\x01\x02\xff", "a.csv", "broken"),
    ],
)
def test_what_is_not_a_spreadsheet_is_named(data: bytes, name: str, code: str) -> None:
    with pytest.raises(spreadsheet.Unreadable) as exc:
        spreadsheet.read(data, name)
    assert exc.value.code == code


def test_every_problem_names_its_row_and_column() -> None:
    bad = "Ola;ola@;999;Narnia;Astrologi;TV;natt;31.02.2026;kanskje;;"
    parsed = importing.parse(
        sheet(f"{HEAD}\n{bad}\n"), "people", get_centre(), VOCAB, date(2026, 12, 1)
    )
    assert parsed.good == []
    cells = {(p.row, p.column, p.code) for p in parsed.problems}
    assert {
        (2, "B", "form.invalid_email"),
        (2, "C", "form.invalid_phone"),
        (2, "D", "unknown_value"),
        (2, "E", "unknown_value"),
        (2, "F", "unknown_value"),
        (2, "G", "unknown_value"),
        (2, "H", "date"),
        (2, "I", "yes_no"),
        (2, "J", "consent_required"),
        (2, "K", "consent_required"),
    } <= cells


def test_a_missing_required_column_is_named_once_for_the_file() -> None:
    parsed = importing.parse(
        sheet("Navn;E-post\nKari;kari@eksempel.no\n"),
        "people",
        get_centre(),
        VOCAB,
        date(2026, 12, 1),
    )
    missing = sorted(p.heading for p in parsed.problems if p.code == "missing_column")
    assert missing == sorted(
        ["municipality", "topics", "formats", "times", "consent_date", "consent_how"]
    )
    assert parsed.rows_read == 1 and parsed.good == []


def test_names_with_commas_and_and_are_tried_whole_first() -> None:
    row = "Kari;kari@eksempel.no;;Bergen;Sorg og pårørende;Meeting online;Weekdays, evening;;nei;01.08.2026;muntlig"
    parsed = importing.parse(
        sheet(f"{HEAD}\n{row}\n"), "people", get_centre(), VOCAB, date(2026, 12, 1)
    )
    assert parsed.problems == []
    draft = parsed.good[0].data["draft"]
    assert draft.topics == ("bereavement", "relatives") and draft.times == ("weekday_evening",)
    assert parsed.good[0].data["waiting_since"] == date(2026, 12, 1)  # none given: today


def test_slots_in_words() -> None:
    assert importing._slot("mandag kveld") == "mon_evening"
    assert importing._slot("Tysdag dag") == "tue_daytime"
    assert importing._slot("lørdag") == "sat_daytime"
    assert importing._slot("fri_evening") == "fri_evening"
    assert importing._slot("fullmåne") is None


def _good(row: int, key: str, email: str | None, phone: str | None) -> Good:
    return Good(row, key, email, phone, {})


def test_likely_duplicates_within_the_file_and_against_the_store() -> None:
    rows = [
        _good(2, "a", "kari@eksempel.no", "+4741234567"),
        _good(3, "b", "KARI@eksempel.no", None),  # same address, any case
        _good(4, "c", None, "+4741234567"),  # same phone as row 2
        _good(5, "d", "siri@eksempel.no", None),  # someone stored
        _good(6, "e", "ny@eksempel.no", None),  # nobody
        _good(7, "f", "f@eksempel.no", None),  # its own earlier import
    ]
    stored = {"s1": ("siri@eksempel.no", None), "f": ("f@eksempel.no", None)}
    dups = importing.duplicates_of(rows, stored)
    assert set(dups) == {3, 4, 5}
    assert (dups[3].other_row, dups[3].by) == (2, "email")
    assert (dups[4].other_row, dups[4].by) == (2, "phone")
    assert (dups[5].stored, dups[5].other_row) == ("s1", None)


def test_the_same_row_has_the_same_key_in_every_import() -> None:
    a = importing.person_key("Kari ", "kari@eksempel.no", "+4741234567")
    assert a == importing.person_key("kari", "kari@eksempel.no", "+4741234567")
    assert len(a) == 32 and all(c in "0123456789abcdef" for c in a)
    assert a != importing.person_key("Kari", "kari@eksempel.no", None)
    assert norm(" E-Post ") == "epost"
