"""Lease-guarded sending: a redelivered notify task never sends the same email or SMS twice.

The lease record is keyed by the message key. "sent" is final; "sending" with a live lease means
another delivery is at it right now (answer retry-later); an expired lease may be taken over — the
only window for a duplicate is a crash between the provider accepting the mail and our mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from shared.ports import OutgoingMail, OutgoingSms, PermanentError, Tx
from workflows.platform.runtime import Deps

LEASE = timedelta(seconds=60)
SendOutcome = Literal["sent", "already_sent", "busy", "capped"]


@dataclass(frozen=True)
class Quota:
    """At most `limit` sends counted in `ratelimits/{key}` (issue 18: the centre's hourly cap on
    receipts). Counted in the lease's own transaction, so a redelivered task counts once."""

    key: str
    limit: int
    until: datetime


def send_once(
    deps: Deps, mail: OutgoingMail | OutgoingSms, quota: Quota | None = None
) -> SendOutcome:
    now = deps.clock.now()
    path = f"mail/{mail.message_key}"

    def take(tx: Tx) -> SendOutcome | None:
        lease = tx.get(path)
        if lease and lease.get("status") == "sent":
            return "already_sent"
        if lease and lease.get("status") == "sending" and lease["lease_until"] > now:
            return "busy"
        if quota is not None and not lease:
            counter = f"ratelimits/{quota.key}"
            used = int((tx.get(counter) or {}).get("count", 0))
            if used >= quota.limit:
                return "capped"
            tx.set(counter, {"count": used + 1, "expire_at": quota.until})
        tx.set(
            path,
            {
                "status": "sending",
                "lease_until": now + LEASE,
                "expire_at": now + timedelta(days=30),
            },
        )
        return None

    blocked = deps.store.transact(take)
    if blocked:
        return blocked
    try:
        if isinstance(mail, OutgoingSms):
            if deps.sms is None:
                raise PermanentError("SMS_BACKEND is none")
            deps.sms.send(mail)
        else:
            deps.mailer.send(mail)
    except Exception:
        deps.store.delete(path)  # release the lease so the retry may send
        raise
    deps.store.set(path, {"status": "sent", "sent_at": now}, merge=True)
    return "sent"
