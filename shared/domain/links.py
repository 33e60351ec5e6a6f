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
from typing import Any

TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")
EXPIRY = re.compile(r"[0-9]{1,12}")


class BadLink(ValueError):
    """The link was tampered with or malformed."""


@dataclass(frozen=True)
class LinkToken:
    token_id: str
    expires: datetime


def new_token_id() -> str:
    """72 random bits (12 characters): unguessable among the live tokens, and short enough that an
    SMS carries two links within two segments (issue 11); the signature guards it besides."""
    return secrets.token_urlsafe(9)


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


# ------------------------------------------------------------ erase links without a document
# A receipt's erase link names its inquiry without a token document (issue 12), but the inquiry id
# itself must not be in a URL (issue 18: URLs reach browser histories, proxies and logs, and the id
# is the key of every document about the person). The link's id is the inquiry id's 16 bytes
# enciphered with AES under a key derived from LINK_SIGNING_KEY: one block, a keyed permutation, so
# it is opaque without the key and the link needs no lookup. "erase-" + 22 base64url characters.
_ERASE = "erase-"
_SEALED = re.compile(r"[A-Za-z0-9_-]{22}")


def _erase_cipher(key: str) -> Any:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes  # at first use

    aes_key = hashlib.sha256(f"linkflyt erase id|{key}".encode()).digest()
    return Cipher(algorithms.AES(aes_key), modes.ECB())


def seal_erase(key: str, inquiry_id: str) -> str:
    """The opaque token id of an inquiry's erase link (32 hex digits in)."""
    enc = _erase_cipher(key).encryptor()
    sealed = enc.update(bytes.fromhex(inquiry_id)) + enc.finalize()
    return _ERASE + base64.urlsafe_b64encode(sealed).decode().rstrip("=")


def open_erase(key: str, token_id: str) -> str | None:
    """The inquiry an erase link's token id names, or None when it is no erase id."""
    body = token_id.removeprefix(_ERASE)
    if body == token_id or not _SEALED.fullmatch(body):
        return None
    try:
        raw = base64.urlsafe_b64decode(body + "==")
    except ValueError:
        return None
    dec = _erase_cipher(key).decryptor()
    return bytes(dec.update(raw) + dec.finalize()).hex()


# ---------------------------------------------------------------- short links (SMS, issue 11)
# An SMS carries /actions?s=<code>: the token id and 36 bits of the same HMAC key's signature, with
# no expiry in it (the token's own document, or its inquiry, says when it expires; the caller
# reads it). An erase link's id ("erase-" + 22 characters) is written as "~" + those characters,
# so a receipt SMS stays short. (Before issue 18 the 22 characters were the inquiry id itself.)
SHORT_SIG = 6
SHORT = re.compile(r"[A-Za-z0-9_~-]{8,70}")


def _short_sig(key: str, token_id: str) -> str:
    mac = hmac.new(key.encode(), f"s.{token_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:6]).decode()[:SHORT_SIG]


def _compact(token_id: str) -> str:
    body = token_id[len(_ERASE) :]
    if token_id.startswith(_ERASE) and _SEALED.fullmatch(body):
        return "~" + body
    return token_id


def _expand(compact: str) -> str:
    if not compact.startswith("~"):
        return compact
    if not _SEALED.fullmatch(compact[1:]):
        raise BadLink("malformed")
    return _ERASE + compact[1:]


def short_code(key: str, token_id: str) -> str:
    return f"{_compact(token_id)}{_short_sig(key, token_id)}"


def verify_short(key: str, code: str) -> str:
    """The token id a short code stands for (signature checked in constant time)."""
    if not SHORT.fullmatch(code):
        raise BadLink("malformed")
    token_id = _expand(code[:-SHORT_SIG])
    if "~" in token_id or not TOKEN.fullmatch(token_id.replace(_ERASE, "", 1) or "-"):
        raise BadLink("malformed")
    if not hmac.compare_digest(_short_sig(key, token_id).encode(), code[-SHORT_SIG:].encode()):
        raise BadLink("signature")
    return token_id


def short_url(base_url: str, key: str, token_id: str) -> str:
    return f"{base_url.rstrip('/')}/actions?s={short_code(key, token_id)}"
