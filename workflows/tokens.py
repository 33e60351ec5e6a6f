"""Action tokens: created in the same transaction as the state that needs them."""

from __future__ import annotations

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
