"""Read the calendar files a test produced (issue 16) and check what every one of them must hold."""

from __future__ import annotations

import email
from collections import defaultdict
from dataclasses import dataclass
from email.message import Message
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from icalendar import Calendar


@dataclass(frozen=True)
class Sent:
    to: str
    method: str  # the MIME part's method parameter
    cal: Any
    path: Path

    def events(self) -> list[Any]:
        return [c for c in self.cal.walk() if c.name == "VEVENT"]

    def uids(self) -> dict[str, int]:
        return {str(e["uid"]): int(e["sequence"]) for e in self.events()}


def calendar_parts(outbox: Path) -> list[Sent]:
    found = []
    for path in sorted(outbox.glob("*.eml"), key=lambda p: (p.stat().st_mtime_ns, p.name)):
        msg: Message = email.message_from_bytes(path.read_bytes())
        for part in msg.walk():
            if part.get_content_type() == "text/calendar":
                data = part.get_payload(decode=True)
                assert isinstance(data, bytes)
                found.append(
                    Sent(
                        parseaddr(str(msg["To"]))[1],
                        str(part.get_param("method") or ""),
                        Calendar.from_ical(data),
                        path,
                    )
                )
    return found


def check_all(outbox: Path, organizer: str, others: dict[str, list[str]]) -> list[Sent]:
    """Every file parses, has METHOD equal to its part's method, the centre as ORGANIZER (a bare
    mailto:), exactly one ATTENDEE (the recipient), Europe/Oslo with its VTIMEZONE, names nobody
    else (`others`: recipient -> names and addresses that must not appear), and SEQUENCE strictly
    increasing per recipient and UID across the files sent."""
    sent = calendar_parts(outbox)
    seen: dict[tuple[str, str], list[int]] = defaultdict(list)
    for s in sent:
        assert s.method in ("REQUEST", "CANCEL"), s.path
        assert str(s.cal["method"]) == s.method, s.path
        tzs = [str(c["tzid"]) for c in s.cal.walk() if c.name == "VTIMEZONE"]
        assert tzs == ["Europe/Oslo"], s.path
        raw = s.cal.to_ical().decode()
        for other in others.get(s.to, []):
            assert other not in raw, (s.path, other)
        for ev in s.events():
            attendees = ev.get("attendee")
            attendees = attendees if isinstance(attendees, list) else [attendees]
            assert [str(a) for a in attendees] == [f"mailto:{s.to}"], s.path
            assert str(ev["organizer"]) == f"mailto:{organizer}", s.path
            assert str(ev["dtstart"].params.get("TZID")) == "Europe/Oslo"
            assert str(ev["status"]) == ("CANCELLED" if s.method == "CANCEL" else "CONFIRMED")
            seen[(s.to, str(ev["uid"]))].append(int(ev["sequence"]))
    for key, seqs in seen.items():
        assert seqs == sorted(set(seqs)), (key, seqs)  # strictly increasing, never repeated
    return sent


def standing(sent: list[Sent]) -> dict[tuple[str, str], Any]:
    """(recipient, UID) -> the last event sent, for those whose last file was a REQUEST."""
    last: dict[tuple[str, str], tuple[int, str, Any]] = {}
    for s in sent:
        for ev in s.events():
            key = (s.to, str(ev["uid"]))
            seq = int(ev["sequence"])
            if key not in last or seq > last[key][0]:
                last[key] = (seq, s.method, ev)
    return {k: ev for k, (_, method, ev) in last.items() if method == "REQUEST"}
