"""Action tokens: created in the same transaction as the state that needs them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from shared.domain import links
from shared.ports import Tx


def _create(tx: Tx, token_id: str, action: str, expires: datetime, subject: dict[str, Any]) -> None:
    tx.create(
        f"tokens/{token_id}",
        {
            "action": action,
            **subject,
            "expires": expires,
            "used_at": None,
            "expire_at": expires + timedelta(days=30),
        },
    )


def issue(tx: Tx, action: str, now: datetime, valid: timedelta, **subject: Any) -> str:
    token_id = links.new_token_id()
    _create(tx, token_id, action, now + valid, subject)
    return token_id


def issue_pair(
    tx: Tx, accept: str, decline: str, now: datetime, valid: timedelta, **subject: Any
) -> tuple[str, str]:
    """Accept and decline links for one question: using either one uses up both."""
    a, d = links.new_token_id(), links.new_token_id()
    _create(tx, a, accept, now + valid, {**subject, "pair": d})
    _create(tx, d, decline, now + valid, {**subject, "pair": a})
    return a, d


# A resident's erase link needs no token document (issue 12: one write less per inquiry): the signed
# link names the inquiry, the signature and its expiry protect it, and erasing is idempotent — a
# second use finds the tombstone and says the link was used.
ERASE = "erase-"


def erase_token_id(inquiry_id: str) -> str:
    return f"{ERASE}{inquiry_id}"


def erase_subject(token_id: str) -> str | None:
    """The inquiry an erase link names, or None for a token with its own document."""
    if not token_id.startswith(ERASE):
        return None
    iid = token_id[len(ERASE) :]
    return iid if len(iid) == 32 and all(c in "0123456789abcdef" for c in iid) else None


def _erase_token(
    token_id: str, iid: str, expires: datetime, inquiry: dict[str, Any] | None
) -> dict[str, Any] | None:
    """The token an erase link stands for, from the inquiry it names (None: no such inquiry)."""
    if inquiry is None:
        return None
    status = inquiry.get("status")
    if status != "erased" and inquiry.get("erase_token") != token_id:
        return None  # expired (retention removed the link) or never had one
    return {
        "action": "erase",
        "inquiry_id": iid,
        "expires": expires,
        "used_at": expires if status == "erased" else None,
        "derived": True,
    }


def load(
    get: Callable[[str], dict[str, Any] | None], token_id: str, expires: datetime
) -> dict[str, Any] | None:
    """The token a verified link stands for: its document, or for an erase link the one derived
    from its inquiry. `get` reads a document (a transaction's or the store's)."""
    iid = erase_subject(token_id)
    if iid is None:
        return get(f"tokens/{token_id}")
    return _erase_token(token_id, iid, expires, get(f"inquiries/{iid}"))


def link_expiry(get: Callable[[str], dict[str, Any] | None], token_id: str) -> datetime | None:
    """When a link to this token expires (what its signature carries)."""
    iid = erase_subject(token_id)
    doc = get(f"inquiries/{iid}" if iid else f"tokens/{token_id}")
    if doc is None:
        return None
    until = doc.get("erase_until") if iid else doc.get("expires")
    return until if isinstance(until, datetime) else None


def use(tx: Tx, token_id: str, token: dict[str, Any], now: datetime) -> None:
    """Spend a link: its document (and its pair's) is marked used; an erase link's document no
    longer names the person; a derived erase link has no document (its inquiry's tombstone says)."""
    if token.get("derived"):
        return
    scrub = {"inquiry_id": None} if token.get("action") == "erase" else {}
    tx.update(f"tokens/{token_id}", {"used_at": now, **scrub})
    if token.get("pair"):
        tx.update(f"tokens/{token['pair']}", {"used_at": now})
