"""A centre's spreadsheet as linkflyt documents (issue 17): pure mapping, no store, no clock.

Columns are found from the headings people use (bokmål, nynorsk, English, any case and
punctuation); cells may hold what people write: topic, format and time names as the form shows
them or their keys, several values separated by commas, dates as dd.mm.yyyy or yyyy-mm-dd,
municipality names or codes. A person's row goes through the form's own rules
(`intake_rules.validate_inquiry`: the same e-mail and phone normalisation, the same choices), a
facilitator's or a room's through the console's (`roster.parse_facilitator` / `parse_venue`).

Every problem names its row (as numbered in the sheet) and column. Likely duplicates — the same
normalised e-mail or phone — are found within the file here, and against what is stored by
`duplicates_of` given the stored contacts; they are listed, never merged.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from shared.config import CentreConfig
from shared.domain import intake_rules, roster
from shared.domain.slots import ALL_SLOTS, DAYS
from shared.domain.spreadsheet import Sheet, column_letter

KINDS: Final = ("people", "facilitators", "venues")
CONSENT_HOW: Final = ("written", "oral", "email", "web")

# column key -> the headings people write for it (normalised by `norm`); the template's headings
# (the console's labels) are added by the caller
HEADINGS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "people": {
        "name": ("navn", "namn", "fornavn", "fornamn", "name", "firstname", "alias", "kallenavn"),
        "email": ("epost", "epostadresse", "email", "mail", "emailaddress"),
        "phone": ("telefon", "tlf", "mobil", "mobilnummer", "telefonnummer", "phone", "mobile"),
        "municipality": ("kommune", "bostedskommune", "municipality", "kommunenummer"),
        "topics": ("tema", "temaer", "emne", "topic", "topics", "gruppe", "gruppetype"),
        "formats": ("format", "formats", "moteform", "møteform", "fysiskdigitalt"),
        "times": ("tid", "tider", "tidspunkt", "times", "time", "når", "nar"),
        "languages": ("språk", "sprak", "languages", "language"),
        "travel": ("kanreisetil", "kanreisetil", "reise", "travel", "cantravelto", "andrekommuner"),
        "heard_from": (
            "hørtomoss",
            "hoyrtomoss",
            "høyrtomoss",
            "heardfrom",
            "kilde",
            "henvisttfra",
        ),
        "age_band": ("alder", "aldersgruppe", "age", "ageband", "agegroup"),
        "message": ("melding", "merknad", "kommentar", "message", "note", "notes"),
        "waiting_since": (
            "ventersiden",
            "ventarsidan",
            "påventelistesiden",
            "waitingsince",
            "registrert",
            "dato",
            "date",
        ),
        "pretalk_done": ("forsamtale", "forsamtaleholdt", "pretalk", "pretalkdone"),
        "consent_date": ("samtykkedato", "samtykkegitt", "consentdate", "consentgiven"),
        "consent_how": ("samtykke", "samtykkehvordan", "samtykkemåte", "consent", "consenthow"),
    },
    "facilitators": {
        "name": ("navn", "namn", "name"),
        "email": ("epost", "email", "mail"),
        "municipalities": ("kommuner", "kommune", "municipalities", "municipality"),
        "digital": ("digital", "digitalt", "digitalgrupper", "online"),
        "slots": ("tider", "tid", "ukedager", "slots", "times", "weeklytimes"),
        "languages": ("språk", "sprak", "languages"),
        "topics": ("tema", "temaer", "topics"),
        "max_groups": ("maksgrupper", "flestgrupper", "maxgroups", "grupperomgangen"),
        "away": ("borte", "fravær", "away", "datesaway"),
        "course_completed": ("kurs", "kursfullført", "kursdato", "course", "coursecompleted"),
    },
    "venues": {
        "name": ("navn", "namn", "lokale", "rom", "name", "venue", "room"),
        "municipality": ("kommune", "municipality"),
        "capacity": ("plasser", "kapasitet", "seats", "capacity"),
        # where to meet (issue 16): the address a venue must have, and how to get in
        "street": ("adresse", "gateadresse", "besøksadresse", "street", "address"),
        "postcode": ("postnummer", "postnr", "postcode", "zip"),
        "post_place": ("poststed", "poststad", "posttown", "postplace", "city"),
        "room": ("etasje", "romnavn", "floor", "roomorfloor"),
        "entry": ("inngang", "inngangen", "slikkommerduinn", "entry", "howtogetin"),
        "accessible": ("trinnfri", "tilgjengelig", "universellutformet", "stepfree", "accessible"),
        "slots": ("tider", "tid", "ledig", "slots", "times"),
        "unavailable": ("stengt", "utilgjengelig", "unavailable", "closed"),
    },
}
REQUIRED_COLUMNS: Final = {
    "people": ("name", "municipality", "topics", "formats", "times", "consent_date", "consent_how"),
    "facilitators": ("name", "email", "slots", "topics"),
    "venues": ("name", "municipality", "slots"),
}
TRUE_WORDS: Final = frozenset({"ja", "j", "yes", "y", "x", "1", "true", "sann", "holdt", "done"})
FALSE_WORDS: Final = frozenset({"nei", "n", "no", "0", "false", "usann", ""})
OTHER_MUNICIPALITY: Final = frozenset({"other", "annen", "anna", "annet", "utenfor", "utanfor"})
PART_WORDS: Final = {
    "daytime": ("dag", "dagtid", "daytime", "day", "formiddag", "ettermiddag"),
    "evening": ("kveld", "kveeld", "evening", "night"),
}
DAY_WORDS: Final = {
    "mon": ("mandag", "måndag", "man", "mon", "monday", "må"),
    "tue": ("tirsdag", "tysdag", "tir", "tys", "tue", "tuesday"),
    "wed": ("onsdag", "ons", "wed", "wednesday"),
    "thu": ("torsdag", "tor", "thu", "thursday"),
    "fri": ("fredag", "fre", "fri", "friday"),
    "sat": ("lørdag", "laurdag", "lør", "lau", "sat", "saturday"),
    "sun": ("søndag", "sundag", "søn", "sun", "sunday"),
}
SPLIT: Final = re.compile(r"\s*[,;/\n]\s*")
AND: Final = re.compile(r"\s+(?:og|and|eller|or)\s+", re.I)


def norm(text: str) -> str:
    """A heading or a cell value as compared: case-folded, letters and digits only (æøå kept)."""
    text = unicodedata.normalize("NFC", text).casefold()
    return "".join(c for c in text if c.isalnum())


@dataclass(frozen=True)
class Problem:
    row: int  # as numbered in the sheet (headings: row 1); 0 for the file as a whole
    column: str  # "C", or "" when the problem is not one cell's
    heading: str  # the heading as the file has it, or the column key when it is missing
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Good:
    row: int
    key: str  # the document id the row becomes, the same in every import of the same row
    email: str | None
    phone: str | None
    data: dict[str, Any]  # people: draft, waiting_since, pretalk_done, consent; others: doc


@dataclass
class Parsed:
    kind: str
    rows_read: int
    good: list[Good]
    problems: list[Problem]  # every problem, file-level ones first
    columns: dict[str, int]  # column key -> index in the sheet
    ignored: list[str]  # headings nobody maps

    def rejected_rows(self) -> dict[int, list[Problem]]:
        out: dict[int, list[Problem]] = {}
        for p in self.problems:
            if p.row > 1:
                out.setdefault(p.row, []).append(p)
        return out


@dataclass(frozen=True)
class Vocabulary:
    """Names people write for each closed choice -> its key, built by the caller from the form's
    and the console's texts (nb, nn, en) and the centre's topics."""

    topics: Mapping[str, str]
    formats: Mapping[str, str]
    times: Mapping[str, str]
    heard_from: Mapping[str, str]
    consent_how: Mapping[str, str]


def map_columns(
    headings: tuple[str, ...], kind: str, extra: Mapping[str, str] | None = None
) -> tuple[dict[str, int], list[str]]:
    """Column key -> index, and the headings that mean nothing here. `extra` adds heading ->
    key pairs (the template's labels in every staff language)."""
    known = {norm(h): key for key, hs in HEADINGS[kind].items() for h in hs}
    known.update({norm(h): key for h, key in (extra or {}).items()})
    known.update({norm(key): key for key in HEADINGS[kind]})
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for i, heading in enumerate(headings):
        key = known.get(norm(heading))
        if key is None or key in columns:
            if heading:
                ignored.append(heading)
            continue
        columns[key] = i
    return columns, ignored


def parse_date(text: str) -> date | None:
    text = text.strip()
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    try:
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+)?", text)
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return None


def split_values(text: str) -> list[str]:
    return [v for v in SPLIT.split(text.strip()) if v]


def _municipality(text: str, centre: CentreConfig) -> str | None:
    n = norm(text)
    for m in centre.municipalities:
        if n in (m.code, norm(m.name)):
            return m.code
    if n in OTHER_MUNICIPALITY:
        return "other"
    return None


def _slot(text: str) -> str | None:
    if text in ALL_SLOTS:
        return text
    words = [norm(w) for w in re.split(r"[\s_-]+", text) if norm(w)]
    day = next((d for d in DAYS for w in words if w in DAY_WORDS[d]), None)
    part = next((p for p, ws in PART_WORDS.items() for w in words if w in ws), None)
    if day in ("sat", "sun"):
        part = part or "daytime"
    slot = f"{day}_{part}" if day and part else None
    return slot if slot in ALL_SLOTS else None


def _bool(text: str) -> bool | None:
    n = norm(text)
    if n in TRUE_WORDS or parse_date(text) is not None:
        return True
    if n in FALSE_WORDS:
        return False
    return None


def person_key(name: str, email: str | None, phone: str | None) -> str:
    """The inquiry id of an imported person: 32 hex digits like any inquiry id, the same for the
    same row in every import, so a second import finds what the first created."""
    ident = f"import|{norm(name)}|{email or ''}|{phone or ''}"
    return hashlib.sha256(ident.encode()).hexdigest()[:32]


def roster_key(kind: str, *parts: str) -> str:
    digest = hashlib.sha256("|".join([kind, *[norm(p) for p in parts]]).encode()).hexdigest()
    return f"{kind[:3]}-imp-{digest[:12]}"


class _RowReader:
    def __init__(self, sheet: Sheet, columns: dict[str, int], number: int, cells: tuple[str, ...]):
        self.sheet, self.columns, self.number, self.cells = sheet, columns, number, cells
        self.problems: list[Problem] = []
        self.flagged: set[str] = set()

    def get(self, key: str) -> str:
        i = self.columns.get(key)
        return self.cells[i].strip() if i is not None and i < len(self.cells) else ""

    def problem(self, key: str, code: str, **params: Any) -> None:
        self.flagged.add(key)
        i = self.columns.get(key)
        heading = self.sheet.headings[i] if i is not None else key
        self.problems.append(
            Problem(self.number, column_letter(i) if i is not None else "", heading, code, params)
        )

    def choices(self, key: str, names: Mapping[str, str]) -> list[str]:
        return self.values(key, lambda v: names.get(norm(v)))

    def values(self, key: str, lookup: Callable[[str], str | None]) -> list[str]:
        """Several values in one cell; a name that has a comma of its own ("Weekdays, evening")
        is tried whole before its parts."""
        parts = split_values(self.get(key))
        out: list[str] = []
        i = 0
        while i < len(parts):
            pair = lookup(f"{parts[i]}, {parts[i + 1]}") if i + 1 < len(parts) else None
            if pair is not None:
                out.append(pair)
                i += 2
                continue
            found = lookup(parts[i])
            if found is not None:
                out.append(found)
            else:  # "Sorg og pårørende": two names joined by "og" / "and"
                for word in AND.split(parts[i]):
                    one = lookup(word)
                    if one is None:
                        self.problem(key, "unknown_value", value=word[:40])
                    else:
                        out.append(one)
            i += 1
        return list(dict.fromkeys(out))


def parse(
    sheet: Sheet,
    kind: str,
    centre: CentreConfig,
    vocab: Vocabulary,
    today: date,
    extra_headings: Mapping[str, str] | None = None,
) -> Parsed:
    columns, ignored = map_columns(sheet.headings, kind, extra_headings)
    problems: list[Problem] = [
        Problem(1, "", key, "missing_column")
        for key in REQUIRED_COLUMNS[kind]
        if key not in columns
    ]
    good: list[Good] = []
    for number, cells in sheet.rows:
        r = _RowReader(sheet, columns, number, cells)
        if kind == "people":
            row = _person(r, centre, vocab, today)
        elif kind == "facilitators":
            row = _facilitator(r, centre, vocab)
        else:
            row = _venue(r, centre)
        problems += r.problems
        if row is not None and not r.problems:
            good.append(row)
    problems.sort(key=lambda p: (p.row, len(p.column), p.column))
    parsed = Parsed(kind, len(sheet.rows), good, problems, columns, ignored)
    _repeats_within(parsed, sheet)
    return parsed


def _person(r: _RowReader, centre: CentreConfig, vocab: Vocabulary, today: date) -> Good | None:
    raw: dict[str, Any] = {
        "name": r.get("name"),
        "consent": True,
        "adult": True,
    }
    for key in ("email", "phone", "message", "age_band"):
        if r.get(key):
            raw[key] = r.get(key)
    text = r.get("municipality")
    if text:
        code = _municipality(text, centre)
        if code is None:
            r.problem("municipality", "unknown_value", value=text[:40])
        raw["municipality"] = code or ""
    travel = []
    for value in split_values(r.get("travel")):
        code = _municipality(value, centre)
        if code is None or code == "other":
            r.problem("travel", "unknown_value", value=value[:40])
        else:
            travel.append(code)
    raw["travel"] = travel
    raw["topics"] = r.choices("topics", vocab.topics)
    raw["formats"] = r.choices("formats", vocab.formats)
    raw["times"] = r.choices("times", vocab.times)
    langs = [v.strip().lower() for v in split_values(r.get("languages"))]
    if langs:
        raw["languages"] = langs
    if r.get("heard_from"):
        found = vocab.heard_from.get(norm(r.get("heard_from")))
        if found is None:
            r.problem("heard_from", "unknown_value", value=r.get("heard_from")[:40])
        else:
            raw["heard_from"] = found
    draft, errors = intake_rules.validate_inquiry(raw, centre)
    named = set(r.flagged)
    for e in errors:
        if e.field not in named:  # an unknown name in the cell was named already
            r.problem(e.field, f"form.{e.code}", **e.params)
    waiting_since = today
    if r.get("waiting_since"):
        d = parse_date(r.get("waiting_since"))
        if d is None:
            r.problem("waiting_since", "date", value=r.get("waiting_since")[:40])
        elif d > today:
            r.problem("waiting_since", "future")
        else:
            waiting_since = d
    pretalk = _bool(r.get("pretalk_done"))
    if pretalk is None:
        r.problem("pretalk_done", "yes_no", value=r.get("pretalk_done")[:40])
    consent_date = parse_date(r.get("consent_date")) if r.get("consent_date") else None
    if not r.get("consent_date"):
        r.problem("consent_date", "consent_required")
    elif consent_date is None:
        r.problem("consent_date", "date", value=r.get("consent_date")[:40])
    elif consent_date > today:
        r.problem("consent_date", "future")
    how = vocab.consent_how.get(norm(r.get("consent_how")))
    if not r.get("consent_how"):
        r.problem("consent_how", "consent_required")
    elif how is None:
        r.problem("consent_how", "unknown_value", value=r.get("consent_how")[:40])
    if draft is None or r.problems or consent_date is None or how is None:
        return None
    return Good(
        r.number,
        person_key(draft.name, draft.email, draft.phone),
        draft.email,
        draft.phone,
        {
            "draft": draft,
            "waiting_since": waiting_since,
            "pretalk_done": bool(pretalk),
            "consent": {"given_on": consent_date, "how": how},
        },
    )


def _slots(r: _RowReader) -> list[str]:
    out = []
    for value in split_values(r.get("slots")):
        slot = _slot(value)
        if slot is None:
            r.problem("slots", "unknown_value", value=value[:40])
        else:
            out.append(slot)
    return out


def _ranges_text(r: _RowReader, key: str) -> str:
    """Date ranges as the console reads them (yyyy-mm-dd yyyy-mm-dd per line), from cells that
    may use dd.mm.yyyy."""
    lines = []
    for part in re.split(r"\s*[,;\n]\s*", r.get(key)):
        if not part:
            continue
        dates = [parse_date(d) for d in re.split(r"\s*(?:–|—|\.\.|\bto\b|\btil\b|\s-\s)\s*", part)]
        if not dates or any(d is None for d in dates) or len(dates) > 2:
            r.problem(key, "date", value=part[:40])
            continue
        lines.append(" ".join(d.isoformat() for d in dates if d))
    return "\n".join(lines)


def _roster_problems(r: _RowReader, problems: roster.Problems) -> None:
    named = set(r.flagged)
    for name, code, params in problems.items:
        if name not in named:  # the cell's own problem was named already
            r.problem(name, f"roster.{code}", **params)


def _facilitator(r: _RowReader, centre: CentreConfig, vocab: Vocabulary) -> Good | None:
    codes = tuple(m.code for m in centre.municipalities)
    municipalities = []
    for value in split_values(r.get("municipalities")):
        code = _municipality(value, centre)
        if code is None or code == "other":
            r.problem("municipalities", "unknown_value", value=value[:40])
        else:
            municipalities.append(code)
    digital = _bool(r.get("digital"))
    if digital is None:
        r.problem("digital", "yes_no", value=r.get("digital")[:40])
    course = r.get("course_completed")
    course_day = parse_date(course) if course else None
    if course and course_day is None:
        r.problem("course_completed", "date", value=course[:40])
    form = {
        "name": [r.get("name")],
        "email": [r.get("email")],
        "municipalities": municipalities,
        "digital": ["1" if digital else ""],
        "slots": _slots(r),
        "languages": [r.get("languages") or "no"],
        "topics": r.choices("topics", vocab.topics),
        "max_groups": [r.get("max_groups") or "2"],
        "away": [_ranges_text(r, "away")],
        "course_completed": [course_day.isoformat() if course_day else ""],
    }
    doc, problems = roster.parse_facilitator(form, codes, centre.topic_keys)
    _roster_problems(r, problems)
    if r.problems:
        return None
    return Good(r.number, roster_key("facilitators", doc["email"]), doc["email"], None, doc)


def _venue(r: _RowReader, centre: CentreConfig) -> Good | None:
    codes = tuple(m.code for m in centre.municipalities)
    text = r.get("municipality")
    code = _municipality(text, centre) if text else ""
    if text and (code is None or code == "other"):
        r.problem("municipality", "unknown_value", value=text[:40])
    accessible = _bool(r.get("accessible"))
    if accessible is None:
        r.problem("accessible", "yes_no", value=r.get("accessible")[:40])
    form = {
        "name": [r.get("name")],
        "municipality": [code or ""],
        "capacity": [r.get("capacity") or "8"],
        **{key: [r.get(key)] for key in ("street", "postcode", "post_place", "room", "entry")},
        "accessible": ["1" if accessible else ""],
        "slots": _slots(r),
        "unavailable": [_ranges_text(r, "unavailable")],
    }
    doc, problems = roster.parse_venue(form, codes)
    _roster_problems(r, problems)
    if r.problems:
        return None
    return Good(r.number, roster_key("venues", doc["name"], doc["municipality"]), None, None, doc)


def _repeats_within(parsed: Parsed, sheet: Sheet) -> None:
    """A row whose key repeats an earlier row's adds nothing: rejected, naming the row. (A person
    sharing only an e-mail or phone with another is a likely duplicate: see `duplicates_of`.)"""
    seen: dict[str, int] = {}
    keep: list[Good] = []
    for g in parsed.good:
        if g.key in seen:
            parsed.problems.append(Problem(g.row, "", "", "repeats_row", {"other": seen[g.key]}))
            continue
        seen[g.key] = g.row
        keep.append(g)
    parsed.good = keep


@dataclass(frozen=True)
class Duplicate:
    row: int
    other_row: int | None  # an earlier row of the file with the same e-mail or phone
    stored: str | None  # the stored person's id (shown by reference, decided by the coordinator)
    by: str  # "email" or "phone"


def duplicates_of(
    good: list[Good], stored: Mapping[str, tuple[str | None, str | None]]
) -> dict[int, Duplicate]:
    """Rows that share a normalised e-mail or phone with an earlier row of the file or with a
    stored person (`stored`: id -> (email, phone)) other than the row's own earlier import."""
    by_email: dict[str, str] = {}
    by_phone: dict[str, str] = {}
    for sid, (email, phone) in stored.items():
        if email:
            by_email.setdefault(email.casefold(), sid)
        if phone:
            by_phone.setdefault(phone, sid)
    out: dict[int, Duplicate] = {}
    first_email: dict[str, int] = {}
    first_phone: dict[str, int] = {}
    for g in good:
        if g.key in stored:
            continue  # this row's own earlier import: an update, not a duplicate
        email = g.email.casefold() if g.email else None
        found: Duplicate | None = None
        if email and email in first_email:
            found = Duplicate(g.row, first_email[email], None, "email")
        elif g.phone and g.phone in first_phone:
            found = Duplicate(g.row, first_phone[g.phone], None, "phone")
        elif email and by_email.get(email, g.key) != g.key:
            found = Duplicate(g.row, None, by_email[email], "email")
        elif g.phone and by_phone.get(g.phone, g.key) != g.key:
            found = Duplicate(g.row, None, by_phone[g.phone], "phone")
        if email:
            first_email.setdefault(email, g.row)
        if g.phone:
            first_phone.setdefault(g.phone, g.row)
        if found:
            out[g.row] = found
    return out
