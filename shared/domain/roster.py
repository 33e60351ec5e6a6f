"""Facilitators and venues as the coordinator edits them in the console (issue 9): pure parsing.

A console form arrives as `{field: [values]}`; `parse_facilitator` / `parse_venue` turn it into the
Firestore document the staffing and assembly steps read (the same shape as the demo file), or a
list of `(field, code, params)` problems, every one of them, so the page can show each beside its
field and keep what the coordinator typed. Nothing here reads the clock or the store.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from email_validator import EmailNotValidError, validate_email

from shared.domain.slots import ALL_SLOTS

Form = dict[str, list[str]]
LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
NAME_MAX = 80
MAX_GROUPS_LIMIT = 10
CAPACITY_LIMIT = 100
RANGES_MAX = 40


@dataclass
class Problems:
    items: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    def add(self, name: str, code: str, **params: Any) -> None:
        self.items.append((name, code, params))

    def __bool__(self) -> bool:
        return bool(self.items)


def _one(form: Form, name: str) -> str:
    return (form.get(name) or [""])[-1].strip()


# Issue 18: a name goes into every mail about its group (subjects, calendar files); a line break
# or another control character there made each of them fail and dead-letter. Refused at the form:
# C0/C1 controls, line and paragraph separators, and the bidirectional overrides that reorder text.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def has_control(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI for ch in text)


def _name(form: Form, problems: Problems) -> str:
    raw = (form.get("name") or [""])[-1]
    value = raw.strip()
    if has_control(raw):
        problems.add("name", "control")
    elif not value:
        problems.add("name", "required")
    elif len(value) > NAME_MAX:
        problems.add("name", "too_long", max=NAME_MAX)
    return value


def _int(form: Form, name: str, low: int, high: int, problems: Problems) -> int:
    raw = _one(form, name)
    if not raw.isdigit() or not low <= int(raw) <= high:
        problems.add(name, "number", low=low, high=high)
        return low
    return int(raw)


def _pick(form: Form, name: str, allowed: tuple[str, ...], problems: Problems) -> list[str]:
    chosen = [v for v in form.get(name, []) if v]
    bad = [v for v in chosen if v not in allowed]
    if bad:
        problems.add(name, "choice")
    return [v for v in dict.fromkeys(chosen) if v in allowed]


def parse_ranges(text: str) -> tuple[list[dict[str, str]], bool]:
    """Date ranges, one per line: `2027-03-01 2027-03-21` (or with –, -, 'to', '..' between);
    a single date is a one-day range. Returns (ranges, ok)."""
    ranges: list[dict[str, str]] = []
    for line in text.replace(",", "\n").splitlines():
        found = re.findall(r"\d{4}-\d{2}-\d{2}", line)
        rest = re.sub(r"\d{4}-\d{2}-\d{2}|–|—|\.\.|-|to|til|\s", "", line, flags=re.I)
        if not line.strip():
            continue
        if rest or len(found) not in (1, 2):
            return [], False
        try:
            start = date.fromisoformat(found[0])
            end = date.fromisoformat(found[-1])
        except ValueError:
            return [], False
        if end < start:
            return [], False
        ranges.append({"from": start.isoformat(), "to": end.isoformat()})
    return sorted(ranges, key=lambda r: r["from"])[:RANGES_MAX], len(ranges) <= RANGES_MAX


def format_ranges(ranges: list[dict[str, str]] | None) -> str:
    return "\n".join(
        r["from"] if r["from"] == r["to"] else f"{r['from']} – {r['to']}" for r in ranges or []
    )


def _ranges(form: Form, name: str, problems: Problems) -> list[dict[str, str]]:
    ranges, ok = parse_ranges(_one(form, name))
    if not ok:
        problems.add(name, "ranges")
    return ranges


def _availability(form: Form, topics: tuple[str, ...], problems: Problems) -> dict[str, Any]:
    """Weekly times, languages and topics: what both the coordinator and the facilitator edit."""
    doc: dict[str, Any] = {"slots": _pick(form, "slots", ALL_SLOTS, problems)}
    if not doc["slots"]:
        problems.add("slots", "required")
    langs = [x.strip().lower() for x in re.split(r"[,\s]+", _one(form, "languages")) if x.strip()]
    if not langs or not all(LANGUAGE_CODE.match(x) for x in langs):
        problems.add("languages", "languages")
    doc["languages"] = list(dict.fromkeys(langs)) or ["no"]
    doc["topics"] = _pick(form, "topics", topics, problems)
    if not doc["topics"]:
        problems.add("topics", "required")
    return doc


def parse_facilitator(
    form: Form, municipalities: tuple[str, ...], topics: tuple[str, ...]
) -> tuple[dict[str, Any], Problems]:
    problems = Problems()
    doc: dict[str, Any] = {"name": _name(form, problems)}
    email = _one(form, "email")
    if not email:
        problems.add("email", "required")
    else:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            problems.add("email", "email")
    doc["email"] = email
    doc["municipalities"] = _pick(form, "municipalities", municipalities, problems)
    doc["digital"] = _one(form, "digital") in ("1", "on", "true", "yes")
    if not doc["municipalities"] and not doc["digital"]:
        problems.add("municipalities", "where")
    doc.update(_availability(form, topics, problems))
    doc["max_groups"] = _int(form, "max_groups", 0, MAX_GROUPS_LIMIT, problems)
    doc["away"] = _ranges(form, "away", problems)
    course = _one(form, "course_completed")
    doc["course_completed"] = None
    if course:
        try:
            doc["course_completed"] = date.fromisoformat(course).isoformat()
        except ValueError:
            problems.add("course_completed", "date")
    return doc, problems


def parse_self_service(form: Form, topics: tuple[str, ...]) -> tuple[dict[str, Any], Problems]:
    """What a facilitator may change on their own page: times, dates away, languages, topics."""
    problems = Problems()
    doc = _availability(form, topics, problems)
    doc["away"] = _ranges(form, "away", problems)
    return doc, problems


def parse_venue(form: Form, municipalities: tuple[str, ...]) -> tuple[dict[str, Any], Problems]:
    problems = Problems()
    doc: dict[str, Any] = {"name": _name(form, problems)}
    m = _one(form, "municipality")
    if m not in municipalities:
        problems.add("municipality", "choice")
    doc["municipality"] = m
    doc["capacity"] = _int(form, "capacity", 2, CAPACITY_LIMIT, problems)
    doc["accessible"] = _one(form, "accessible") in ("1", "on", "true", "yes")
    doc["slots"] = _pick(form, "slots", ALL_SLOTS, problems)
    if not doc["slots"]:
        problems.add("slots", "required")
    doc["unavailable"] = _ranges(form, "unavailable", problems)
    return doc, problems


def blocked_on(ranges: list[dict[str, str]] | None, days: list[date]) -> bool:
    """Does any of these days fall in one of the ranges (dates away, a room's closed dates)?"""
    spans = [(date.fromisoformat(r["from"]), date.fromisoformat(r["to"])) for r in ranges or []]
    return any(a <= d <= b for d in days for a, b in spans)
