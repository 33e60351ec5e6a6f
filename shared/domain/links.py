"""Signed, expiring action links (HMAC-SHA256 over the token id and its expiry).

The URL carries only an opaque token id, an expiry and a signature — never a person or a subject id.
What the link does, and whether it was used, lives in the token document, so a link acts once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")
EXPIRY = re.compile(r"[0-9]{1,12}")


class BadLink(ValueError):
    """The link was tampered with or malformed."""


@dataclass(frozen=True)
class LinkToken:
    token_id: str
    expires: datetime


def new_token_id() -> str:
    return secrets.token_urlsafe(18)


def _sig(key: str, token_id: str, expires_unix: int) -> str:
    mac = hmac.new(key.encode(), f"{token_id}.{expires_unix}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:18]).decode().rstrip("=")


def sign(key: str, token_id: str, expires: datetime) -> str:
    expires_unix = int(expires.timestamp())
    return f"{token_id}.{expires_unix}.{_sig(key, token_id, expires_unix)}"


def verify(key: str, signed: str) -> LinkToken:
    """Check the signature (constant time). Expiry is reported by the caller, who owns the clock."""
    parts = signed.split(".")
    # ASCII only: "²".isdigit() is True but int("²") fails (issue 12: an odd token gave a 500)
    if len(parts) != 3 or not all(
        rule.fullmatch(part) for rule, part in zip((TOKEN, EXPIRY, TOKEN), parts, strict=True)
    ):
        raise BadLink("malformed")
    token_id, expires_raw, sig = parts
    if not hmac.compare_digest(_sig(key, token_id, int(expires_raw)).encode(), sig.encode()):
        raise BadLink("signature")
    return LinkToken(token_id, datetime.fromtimestamp(int(expires_raw), tz=UTC))


def console_url(base_url: str, path: str = "") -> str:
    """A page of the coordinator console (issue 9): ids only in the path, never personal data."""
    return f"{base_url.rstrip('/')}/console{path}"


def action_url(base_url: str, key: str, token_id: str, expires: datetime) -> str:
    return f"{base_url.rstrip('/')}/actions?t={sign(key, token_id, expires)}"
