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
