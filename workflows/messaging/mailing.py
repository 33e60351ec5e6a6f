"""Lease-guarded sending: a redelivered notify task never sends the same email or SMS twice.

The lease record is keyed by the message key. "sent" is final; "sending" with a live lease means
another delivery is at it right now (answer retry-later); an expired lease may be taken over — the
only window for a duplicate is a crash between the provider accepting the mail and our mark.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from shared import logs
from shared.ports import OutgoingMail, OutgoingSms, PermanentError, Tx
from workflows.platform.runtime import Deps

log = logs.get_logger(__name__)
# Longer than the worst send (shared/adapters/mail.worst_send_seconds: short provider timeouts) and
# than the function's timeout, after which Cloud Run may still be finishing the send (issue 18: the
# 60 s lease equalled the function timeout while the SDKs kept their default timeouts and retries).
LEASE = timedelta(minutes=5)
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

    owner = uuid.uuid4().hex

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
                "owner": owner,
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
        release(deps, path, owner)  # so the retry may send
        raise
    mark_sent(deps, path, owner, now)
    return "sent"


def release(deps: Deps, path: str, owner: str) -> None:
    """Give the lease back after a failed send, only if it is still ours (issue 18: a slow send
    whose lease had expired deleted the lease of the delivery that took over, even its "sent")."""

    def tx_fn(tx: Tx) -> None:
        lease = tx.get(path)
        if lease and lease.get("owner") == owner and lease.get("status") == "sending":
            tx.delete(path)

    deps.store.transact(tx_fn)


def mark_sent(deps: Deps, path: str, owner: str, now: datetime) -> None:
    """Mark the message sent. Ours: as before. Someone else's (our lease ran out mid-send and
    another delivery took over): still sent — it was — but said, since both may have sent it."""

    def tx_fn(tx: Tx) -> bool:
        lease = tx.get(path) or {}
        if lease.get("status") == "sent":
            return lease.get("owner") == owner
        ours = lease.get("owner") in (owner, None)
        tx.set(path, {"status": "sent", "sent_at": now, "owner": owner}, merge=True)
        return ours

    if not deps.store.transact(tx_fn):
        log.warning("mail lease was taken over during a slow send", extra={"key": path})


def address_key(address: str) -> str:
    """The recipient's part of a message key: their address (issue 18: a position in a list gave
    a corrected address "already sent"), hashed, as keys name files and Message-IDs."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()[:16]
