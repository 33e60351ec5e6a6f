"""Action tokens: created in the same transaction as the state that needs them."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from shared.domain import links
from shared.ports import Tx
from workflows.platform.messages import NotifyTask
from workflows.platform.runtime import Deps


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


def survey_token(deps: Deps, group: dict[str, Any], task: NotifyTask) -> str | None:
    """The survey link of one member (issue 18: the answer cannot be linked to the member). Made
    when the survey is sent, not kept in the group: its id is a keyed hash of the notify task (the
    link signing key), so a redelivered task finds the same token, and nothing in the database —
    no group key, no field — leads from the member to it. It holds the year and the member's
    municipality only, which is all the answer is counted by."""
    mid = task.recipient_id or ""
    member = (group.get("members") or {}).get(mid)
    if member is None:
        return None
    key = deps.settings.link_signing_key.encode()
    mac = hmac.new(key, f"survey|{task.task_id}".encode(), hashlib.sha256).digest()
    token_id = base64.urlsafe_b64encode(mac[:9]).decode()
    now = deps.clock.now()
    valid = timedelta(days=deps.centre.survey.valid_days)

    def make(tx: Tx) -> None:
        if tx.get(f"tokens/{token_id}") is None:
            # the day only: the token's times say nothing finer than the answer counts do
            day = now.replace(hour=0, minute=0, second=0, microsecond=0)
            _create(
                tx,
                token_id,
                "survey",
                day + valid + timedelta(days=1),
                {"year": now.year, "municipality": str(member.get("municipality", "other"))},
            )

    deps.store.transact(make)
    return token_id


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
# second use finds the tombstone and says the link was used. Its id is the inquiry id enciphered
# (issue 18: no inquiry id in a URL), shared/domain/links.seal_erase.
ERASE = "erase-"


def erase_token_id(key: str, inquiry_id: str) -> str:
    return links.seal_erase(key, inquiry_id)


def erase_subject(token_id: str, key: str) -> str | None:
    """The inquiry an erase link names, or None for a token with its own document. Links sent
    before issue 18 named the inquiry in clear ("erase-" + 32 hex digits); they stay valid (the
    inquiry still holds that id as its `erase_token`) until they expire."""
    if not token_id.startswith(ERASE):
        return None
    iid = token_id[len(ERASE) :]
    if len(iid) == 32 and all(c in "0123456789abcdef" for c in iid):
        return iid
    return links.open_erase(key, token_id)


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
    get: Callable[[str], dict[str, Any] | None], token_id: str, expires: datetime, *, key: str
) -> dict[str, Any] | None:
    """The token a verified link stands for: its document, or for an erase link the one derived
    from its inquiry. `get` reads a document (a transaction's or the store's); `key` is
    LINK_SIGNING_KEY (an erase link's id is enciphered under it)."""
    iid = erase_subject(token_id, key)
    if iid is None:
        return get(f"tokens/{token_id}")
    return _erase_token(token_id, iid, expires, get(f"inquiries/{iid}"))


def link_expiry(
    get: Callable[[str], dict[str, Any] | None], token_id: str, *, key: str
) -> datetime | None:
    """When a link to this token expires (what its signature carries)."""
    iid = erase_subject(token_id, key)
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
