"""Issue 17: a centre's spreadsheet imported on the emulator, from real files — an .xlsx written by
openpyxl and a .csv as LibreOffice saves it (semicolons, UTF-8 with a BOM) — with good rows, bad
rows of every kind, duplicates within the file and against the store, and a second import.

On a database and functions of its own (a sibling of the test stack), so the counts are exact.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from openpyxl import Workbook, load_workbook

from shared.domain import importing as rules
from tests.conftest import wait_for
from tests.helpers.people import mails_to

ACTOR = "c-test000001"
HEAD = [
    "Navn",
    "E-post",
    "Tlf",
    "Kommune",
    "Tema",
    "Møteform",
    "Tid",
    "Venter siden",
    "Forsamtale",
    "Samtykke dato",
    "Samtykke",
    "Merknad",
]


def people_rows(stored_email: str, tag: str) -> list[list[Any]]:
    """Rows 2-10 of the sheet, each one kind of case."""
    kari = f"kari.{tag}@eksempel.no"
    n = {"xlsx": 0, "csv": 1, "web": 2, "rcpt": 3, "bad": 4}.get(tag, 5)  # phones apart per file
    return [
        # 2 good: names as the form shows them, several per cell, dd.mm.yyyy, pre-talk held
        [
            f"Kari{tag}",
            kari,
            f"412 34 56{n}",
            "Bergen",
            "Sorg etter dødsfall, Pårørende",
            "Fysisk, digitalt",
            "Kveld",
            "15.08.2026",
            "ja",
            "15.08.2026",
            "muntlig",
            "",
        ],
        # 3 good: phone only, keys, yyyy-mm-dd, no pre-talk yet
        [
            f"Per{tag}",
            "",
            f"+47 913 45 67{n}",
            "4627",
            "general",
            "in_person",
            "weekday_evening",
            "2026-06-01",
            "nei",
            "2026-06-01",
            "skriftlig",
            "",
        ],
        # 4 bad in every cell
        [
            f"Ola{tag}",
            "ola@",
            "999",
            "Narnia",
            "Astrologi",
            "TV",
            "natt",
            "31.02.2026",
            "kanskje",
            "",
            "",
            "x" * 1200,
        ],
        # 5 the same e-mail as row 2 (any case): a likely duplicate within the file
        [
            f"Kari Nordmann{tag}",
            kari.upper().replace("EKSEMPEL.NO", "eksempel.no"),
            "",
            "Askøy",
            "Generell gruppe",
            "digitalt",
            "helg",
            "01.09.2026",
            "ja",
            "01.09.2026",
            "e-post",
            "",
        ],
        # 6 the e-mail of someone who came through the form: a likely duplicate of a stored person
        [
            f"Siri{tag}",
            stored_email,
            "",
            "Askøy",
            "Pårørende",
            "fysisk",
            "kveld",
            "01.07.2026",
            "ja",
            "01.07.2026",
            "muntlig",
            "",
        ],
        # 7 an exact repeat of row 2
        [
            f"Kari{tag}",
            kari,
            f"412 34 56{n}",
            "Bergen",
            "Sorg etter dødsfall",
            "fysisk",
            "kveld",
            "15.08.2026",
            "ja",
            "15.08.2026",
            "muntlig",
            "",
        ],
        # 8 no name, waiting since a day in the future
        [
            "",
            f"anon.{tag}@eksempel.no",
            "",
            "Bergen",
            "general",
            "digital",
            "weekend",
            "01.01.2099",
            "ja",
            "01.08.2026",
            "muntlig",
            "",
        ],
        # 9 good, in nynorsk: Vaksdal, "Pårørande", "Helg"
        [
            f"Brita{tag}",
            f"brita.{tag}@eksempel.no",
            "",
            "vaksdal",
            "Pårørande",
            "Digitalt",
            "Helg",
            "3.2.2026",
            "Ja",
            "03.02.2026",
            "Munnleg",
            "",
        ],
        # 10 good, English names
        [
            f"Anne{tag}",
            f"anne.{tag}@eksempel.no",
            "",
            "Alver",
            "Relatives and carers",
            "Meeting online",
            "Weekdays, daytime",
            "2026-10-01",
            "no",
            "2026-10-01",
            "Web form",
            "",
        ],
    ]


def xlsx(head: list[str], rows: list[list[Any]], *, real_dates: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(head)
    for row in rows:
        cells = list(row)
        if real_dates:  # as a spreadsheet program stores a typed date: a date cell, not text
            for i in (7, 9):
                d = rules.parse_date(str(cells[i]))
                if d and d.year < 2090:
                    cells[i] = datetime(d.year, d.month, d.day)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def libreoffice_csv(head: list[str], rows: list[list[Any]]) -> bytes:
    """As LibreOffice Calc saves "Text CSV": ';' between fields, '"' around those that need it,
    UTF-8 with a BOM, LF line ends."""

    def field(v: Any) -> str:
        s = str(v)
        return f'"{s.replace(chr(34), chr(34) * 2)}"' if any(c in s for c in ';"\n,') else s

    lines = [";".join(field(v) for v in row) for row in [head, *rows]]
    return "\ufeff".encode() + ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture(scope="module")
def import_stack(stack: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    s = stack.sibling(tmp_path_factory.mktemp("import"), "linkflyt-import")
    try:
        s.start_functions()
    finally:
        stack._child_env()
    try:
        yield s
    finally:
        s.stop()


@pytest.fixture()
def d(import_stack: Any) -> Any:
    from shared.config import Settings, reset_caches
    from workflows.platform.runtime import build_deps

    reset_caches()
    return build_deps(
        Settings(
            google_cloud_project=import_stack.project,
            public_base_url=import_stack.base_url,
            outbox_dir=import_stack.outbox_dir,
            cloud_tasks_emulator_host=f"127.0.0.1:{import_stack.tasks_port}",
        )
    )


def _count(d: Any, coll: str) -> int:
    return len(d.store.query(coll))


def _everything(d: Any) -> dict[str, int]:
    return {c: _count(d, c) for c in ("inquiries", "people", "tokens", "audit")}


def _form_person(base: str, email: str) -> None:
    body = {
        "name": "Siri Skjema",
        "email": email,
        "municipality": "4627",
        "topics": ["relatives"],
        "formats": ["in_person"],
        "times": ["weekday_evening"],
        "consent": True,
        "adult": True,
    }
    r = requests.post(
        f"{base}/intake", json=body, headers={"X-Forwarded-For": "192.0.2.77"}, timeout=30
    )
    assert r.status_code == 201, r.text


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_people_from_a_real_file_dry_run_import_and_again(
    d: Any, import_stack: Any, fmt: str
) -> None:
    from workflows.console import importing

    tag = fmt
    stored_email = f"siri.{tag}@eksempel.no"
    _form_person(import_stack.base_url, stored_email)
    stored_id = wait_for(
        lambda: [i for i, p in d.store.query("people") if p.get("email") == stored_email]
    )[0]
    wait_for(
        lambda: (d.store.get(f"inquiries/{stored_id}") or {}).get("status") == "awaiting_pretalk",
        timeout=40,
    )
    rows = people_rows(stored_email, tag)
    data = xlsx(HEAD, rows, real_dates=True) if fmt == "xlsx" else libreoffice_csv(HEAD, rows)
    name = f"venteliste.{fmt}"

    # the dry run: every row, every problem by row and column; nothing stored
    before = _everything(d)
    plan = importing.plan(d, data, name, "people", "nb")
    assert not isinstance(plan, importing.FileProblem)
    assert plan.rows_read == 9
    actions = {r.row: r.action for r in plan.rows}
    assert actions == {
        2: "create",
        3: "create",
        4: "reject",
        5: "duplicate",
        6: "duplicate",
        7: "reject",
        8: "reject",
        9: "create",
        10: "create",
    }
    bad = next(r for r in plan.rows if r.row == 4).problems
    text = " ".join(bad)
    for where in (
        "kolonne B (E-post)",
        "kolonne C (Tlf)",
        "kolonne D (Kommune)",
        "kolonne E (Tema)",
        "kolonne F (Møteform)",
        "kolonne G (Tid)",
        "kolonne H (Venter siden)",
        "kolonne I (Forsamtale)",
        "kolonne J (Samtykke dato)",
        "kolonne K (Samtykke)",
        "kolonne L (Merknad)",
    ):
        assert where in text, (where, bad)
    assert "«Narnia» er ikke et kjent valg" in text and "31.02.2026" in text
    assert "rad 2" in " ".join(next(r for r in plan.rows if r.row == 5).problems)
    assert "rad 2" in " ".join(next(r for r in plan.rows if r.row == 7).problems)
    assert "fram i tid" in " ".join(next(r for r in plan.rows if r.row == 8).problems)
    stored_ref = d.store.get(f"inquiries/{stored_id}")["reference"]
    assert stored_ref in " ".join(next(r for r in plan.rows if r.row == 6).problems)
    # in the coordinator's language: the same problem in English
    plan_en = importing.plan(d, data, name, "people", "en")
    assert not isinstance(plan_en, importing.FileProblem)
    assert "column D (Kommune): “Narnia” is not a known choice." in " ".join(
        next(r for r in plan_en.rows if r.row == 4).problems
    )
    assert _everything(d) == before

    # the import: row 5 is the coordinator's decision (a separate person), row 6 is left out
    started = datetime.now(UTC)
    out = importing.run(d, ACTOR, data, name, "people", "nb", allow={5})
    assert not isinstance(out, importing.FileProblem)
    assert (out.created, out.updated, out.rejected) == (5, 0, 4)
    assert out.created + out.updated + out.rejected == out.rows_read == 9
    after = _everything(d)
    assert after["inquiries"] == before["inquiries"] + 5
    assert after["people"] == before["people"] + 5

    by_row = {r.row: r for r in out.rows}
    kari = d.store.get(f"inquiries/{by_row[2].key}")
    assert kari["status"] == "waiting"  # the pre-talk was held before
    assert kari["queued_at"].date() == date(2026, 8, 15)  # keeps their place in the queue
    assert kari["topics"] == ["bereavement", "relatives"]
    assert kari["formats"] == ["in_person", "digital"]
    assert kari["times"] == ["weekday_evening"]
    assert kari["consent"]["given_on"] == "2026-08-15" and kari["consent"]["how"] == "oral"
    assert kari["consent"]["recorded"] == "import"
    person = d.store.get(f"people/{by_row[2].key}")
    assert (
        person["phone"] == f"+474123456{0 if fmt == 'xlsx' else 1}"
    )  # normalised as the form does
    assert person["email"] == f"kari.{tag}@eksempel.no"
    # retention as for the form: the person a year from now, the inquiry a month after that
    year = timedelta(days=365)
    assert abs(person["expire_at"] - (started + year)) < timedelta(minutes=5)
    assert abs(kari["expire_at"] - (started + year + timedelta(days=30))) < timedelta(minutes=5)
    per = d.store.get(f"inquiries/{by_row[3].key}")
    assert per["status"] == "awaiting_pretalk" and per["pretalk_token"]
    assert d.store.get(f"tokens/{per['pretalk_token']}")["action"] == "confirm_pretalk"
    brita = d.store.get(f"inquiries/{by_row[9].key}")
    assert brita["municipality"] == "4628" and brita["times"] == ["weekend"]
    assert brita["queued_at"].date() == date(2026, 2, 3)
    assert d.store.get(f"inquiries/{by_row[10].key}")["consent"]["how"] == "web"
    # the stored person the file duplicated is untouched; no merge
    assert d.store.get(f"people/{stored_id}")["name"] == "Siri Skjema"
    # the retention deadline of each is a task, recorded in the outbox with the write
    entries = [o for _, o in d.store.query("outbox") if "tasks" in o]
    names = " ".join(str(t) for o in entries for t in (o["tasks"] or {}).values())
    assert all(by_row[r].key in names for r in (2, 3, 5, 9, 10))
    # no receipt was asked for: nobody was contacted
    time.sleep(1.5)
    for r in (2, 5, 9, 10):
        address = d.store.get(f"people/{by_row[r].key}")["email"]
        assert mails_to(import_stack.outbox_dir, address) == []
    # the audit names the coordinator and the file, never a person
    entries = [a for _, a in d.store.query("audit") if a["action"] == "import_people"]
    assert entries and all(a["actor"] == ACTOR for a in entries)

    # the same file again: nothing new, every row accounted for
    again = importing.run(d, ACTOR, data, name, "people", "nb", allow={5})
    assert not isinstance(again, importing.FileProblem)
    assert again.created == 0
    assert (again.updated, again.rejected) == (5, 4)
    assert again.created + again.updated + again.rejected == 9
    later = _everything(d)
    assert later["inquiries"] == after["inquiries"] and later["people"] == after["people"]
    assert d.store.get(f"inquiries/{by_row[2].key}")["reference"] == kari["reference"]


def test_a_file_that_cannot_be_read_changes_nothing(d: Any) -> None:
    from workflows.console import importing

    good = xlsx(HEAD, people_rows("nobody@eksempel.no", "bad"))
    before = _everything(d)
    for data, name, says in (
        (b"", "tom.csv", "tom"),
        (good[: len(good) // 2], "avkuttet.xlsx", "skadet"),
        (b"PK\x03\x04" + b"\x00" * 400, "falsk.xlsx", "skadet"),
        (b"\xff\xfe\x00\x00garbage", "bin.csv", "skadet"),
        (b"%PDF-1.7 ...", "rapport.pdf", ".xlsx"),
    ):
        out = importing.run(d, ACTOR, data, name, "people", "nb")
        assert isinstance(out, importing.FileProblem), name
        assert says in out.message, (name, out.message)
    # a confirmation whose file is not the one that was checked imports nothing
    out = importing.run(d, ACTOR, good, "x.xlsx", "people", "nb", expect_digest="0" * 64)
    assert isinstance(out, importing.FileProblem)
    assert _everything(d) == before


def test_facilitators_and_venues_from_a_file_and_again(d: Any) -> None:
    from workflows.console import importing

    fac_head = ["Navn", "E-post", "Kommuner", "Digitalt", "Tider", "Språk", "Tema", "Maks grupper"]
    fac = [
        [
            "Tone Import",
            "tone.import@frivillig.example",
            "Askøy, Bergen",
            "ja",
            "mandag kveld, tirsdag kveld",
            "no, en",
            "Pårørende, general",
            "2",
        ],
        [
            "Ulf Import",
            "ulf.import@frivillig.example",
            "Bergen",
            "nei",
            "onsdag kveld",
            "no",
            "general",
            "11",
        ],  # too many groups at once
        [
            "Tone igjen",
            "TONE.import@frivillig.example",
            "Askøy",
            "ja",
            "mon_evening",
            "no",
            "general",
            "1",
        ],  # the same e-mail as row 2
        ["Vera Import", "vera@", "Oslo", "kanskje", "fullmåne", "norsk", "Astrologi", "x"],
    ]
    data = xlsx(fac_head, fac)
    out = importing.run(d, ACTOR, data, "igangsettere.xlsx", "facilitators", "nb")
    assert not isinstance(out, importing.FileProblem)
    assert (out.created, out.updated, out.rejected) == (1, 0, 3), [
        (r.row, r.action, r.problems) for r in out.rows
    ]
    tone = next(doc for _, doc in d.store.query("facilitators") if doc["name"] == "Tone Import")
    assert tone["municipalities"] == ["4627", "4601"] and tone["digital"] is True
    assert tone["slots"] == ["mon_evening", "tue_evening"] and tone["active"] is True
    assert tone["topics"] == ["relatives", "general"]
    vera = next(r for r in out.rows if r.row == 5).problems
    assert len(vera) >= 6, vera
    again = importing.run(d, ACTOR, data, "igangsettere.xlsx", "facilitators", "nb")
    assert not isinstance(again, importing.FileProblem)
    assert (again.created, again.updated, again.rejected) == (0, 1, 3)

    venue_csv = libreoffice_csv(
        [
            "Lokale",
            "Kommune",
            "Adresse",
            "Postnummer",
            "Poststed",
            "Plasser",
            "Trinnfri",
            "Ledig",
            "Stengt",
        ],
        [
            [
                "Kleppestø bibliotek",
                "Askøy",
                "Kleppeveien 7",
                "5300",
                "Kleppestø",
                "12",
                "ja",
                "tirsdag kveld; torsdag kveld",
                "01.07.2027 - 31.07.2027",
            ],
            [
                "Kjelleren",
                "Bergen",
                "Nygårdsgaten 1",
                "5015",
                "Bergen",
                "1",
                "nei",
                "mon_evening",
                "",
            ],  # too few seats
        ],
    )
    out = importing.run(d, ACTOR, venue_csv, "lokaler.csv", "venues", "nb")
    assert not isinstance(out, importing.FileProblem)
    assert (out.created, out.updated, out.rejected) == (1, 0, 1)
    room = next(doc for _, doc in d.store.query("venues") if doc["name"] == "Kleppestø bibliotek")
    assert room["slots"] == ["tue_evening", "thu_evening"] and room["accessible"] is True
    assert room["unavailable"] == [{"from": "2027-07-01", "to": "2027-07-31"}]
    # edited in the file later: the same room is updated, not doubled
    edited = venue_csv.replace(b";12;", b";14;")
    out = importing.run(d, ACTOR, edited, "lokaler.csv", "venues", "nb")
    assert not isinstance(out, importing.FileProblem)
    assert (out.created, out.updated, out.rejected) == (0, 1, 1)
    rooms = [doc for _, doc in d.store.query("venues") if doc["name"] == "Kleppestø bibliotek"]
    assert len(rooms) == 1 and rooms[0]["capacity"] == 14


def test_receipts_only_when_asked(d: Any, import_stack: Any) -> None:
    from workflows.console import importing

    rows = [r for i, r in enumerate(people_rows("x@eksempel.no", "rcpt")) if i in (7, 8)]
    out = importing.run(
        d, ACTOR, xlsx(HEAD, rows), "med-kvittering.xlsx", "people", "nb", receipts=True
    )
    assert not isinstance(out, importing.FileProblem)
    assert out.created == 2
    for r in out.rows:
        address = d.store.get(f"people/{r.key}")["email"]
        assert wait_for(lambda a=address: mails_to(import_stack.outbox_dir, a), timeout=30)


def test_the_template_reads_back_as_its_own_columns(d: Any) -> None:
    from workflows.console import importing

    for kind in ("people", "facilitators", "venues"):
        for lang in ("nb", "nn", "en"):
            book = load_workbook(io.BytesIO(importing.template(d, kind, lang)))
            sheet = book.active
            assert sheet is not None
            heads = [str(c.value) for c in next(sheet.iter_rows(max_row=1))]
            columns, ignored = rules.map_columns(
                tuple(heads), kind, importing.template_headings(kind)
            )
            assert ignored == [] and set(columns) == set(importing.TEMPLATE_COLUMNS[kind])
            plan = importing.plan(d, importing.template(d, kind, lang), "t.xlsx", kind, lang)
            assert not isinstance(plan, importing.FileProblem)
            assert [r.action for r in plan.rows] != ["reject"], plan.rows


__all__ = ["Path"]


def test_the_console_page_over_http_upload_then_confirm(d: Any, import_stack: Any) -> None:
    """CONTRACT.md § Console additions: the file input is `file`; the first POST is a dry run,
    the confirming POST imports."""
    import re

    from tests.helpers.console import sign_in

    base = import_stack.base_url
    s, csrf = sign_in(base, import_stack.outbox_dir, "203.0.113.99")
    page = s.get(f"{base}/console/import", timeout=30)
    assert page.status_code == 200 and 'type="file"' in page.text and 'name="file"' in page.text
    tpl = s.get(f"{base}/console/import/template/venues.xlsx", timeout=30)
    assert tpl.status_code == 200 and tpl.content[:2] == b"PK"
    rows = [r for i, r in enumerate(people_rows("http@eksempel.no", "http")) if i in (0, 2)]
    data = libreoffice_csv(HEAD, rows)
    before = _count(d, "inquiries")
    dry = s.post(
        f"{base}/console/import",
        data={"csrf": csrf, "kind": "people"},
        files={"file": ("liste.csv", data, "text/csv")},
        timeout=60,
    )
    assert dry.status_code == 200, dry.text[:500]
    assert 'data-count="create">1<' in dry.text and 'data-count="reject">1<' in dry.text
    assert _count(d, "inquiries") == before
    # without the session's CSRF value nothing happens
    assert (
        s.post(
            f"{base}/console/import", files={"file": ("liste.csv", data)}, timeout=30
        ).status_code
        == 403
    )
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', dry.text))
    done = s.post(f"{base}/console/import/confirm", data=hidden, timeout=60)
    assert done.status_code == 200, done.text[:500]
    assert 'data-count="created">1<' in done.text and 'data-count="rejected">1<' in done.text
    assert _count(d, "inquiries") == before + 1
    # a confirmation whose file was changed on the way imports nothing
    hidden["data"] = hidden["data"][:-8] + "AAAAAAA="
    bad = s.post(f"{base}/console/import/confirm", data=hidden, timeout=60)
    assert bad.status_code == 422 and _count(d, "inquiries") == before + 1
