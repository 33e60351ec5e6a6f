"""Action tokens: created in the same transaction as the state that needs them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shared.domain import links
from shared.ports import Tx


def issue(tx: Tx, action: str, now: datetime, valid: timedelta, **subject: Any) -> str:
    token_id = links.new_token_id()
    expires = now + valid
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
    return token_id


def url(base_url: str, key: str, token_id: str, expires: datetime) -> str:
    return links.action_url(base_url, key, token_id, expires)


def issue_pair(
    tx: Tx, accept: str, decline: str, now: datetime, valid: timedelta, **subject: Any
) -> tuple[str, str]:
    """Accept and decline links for one question: using either one uses up both."""
    a, d = links.new_token_id(), links.new_token_id()
    expires = now + valid
    for token_id, action, pair in ((a, accept, d), (d, decline, a)):
        tx.create(
            f"tokens/{token_id}",
            {
                "action": action,
                **subject,
                "pair": pair,
                "expires": expires,
                "used_at": None,
                "expire_at": expires + timedelta(days=30),
            },
        )
    return a, d
