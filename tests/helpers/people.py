"""Test people: distinctive names and contacts so a privacy scan can find any leak."""

from __future__ import annotations

import email
import secrets
from email.message import Message
from pathlib import Path
from typing import Any


def person(**overrides: Any) -> dict[str, Any]:
    tag = secrets.token_hex(3)
    body: dict[str, Any] = {
        "name": f"Solveig{tag}",
        "email": f"solveig.{tag}@eksempel.no",
        "municipality": "4627",
        "topics": ["relatives"],
        "formats": ["in_person"],
        "times": ["weekday_evening"],
        "consent": True,
        "adult": True,
    }
    body.update(overrides)
    return body


def mails_to(outbox: Path, address: str) -> list[Message]:
    found = []
    for path in sorted(outbox.glob("*.eml")):
        if path.name.startswith(".tmp-"):
            continue  # being written right now (temp file + rename): read it once it is renamed
        msg = email.message_from_bytes(path.read_bytes())
        if msg["To"] == address:
            found.append(msg)
    return found


def text_part(msg: Message) -> str:
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text/plain part")


def link_after(msg: Message, label: str) -> str:
    """The action URL printed under a button label in the text part."""
    lines = text_part(msg).splitlines()
    for i, line in enumerate(lines):
        if line.strip() == f"{label}:" and i + 1 < len(lines):
            return lines[i + 1].strip()
    raise AssertionError(f"no link labelled {label!r} in {msg['Subject']!r}")


def all_mails(outbox: Path) -> list[Message]:
    return [
        email.message_from_bytes(p.read_bytes())
        for p in sorted(outbox.glob("*.eml"))
        if not p.name.startswith(".tmp-")  # still being written (temp file + rename)
    ]


def subject(msg: Message) -> str:
    from email.header import decode_header, make_header

    return str(make_header(decode_header(msg["Subject"])))


def attachment(msg: Message, content_type: str) -> bytes | None:
    for part in msg.walk():
        if part.get_content_type() == content_type:
            data = part.get_payload(decode=True)
            return data if isinstance(data, bytes) else None
    return None
