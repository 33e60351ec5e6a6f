"""Rate limits per client, without storing the client: a keyed hash of the address in an hourly
counter that expires (the public form, issue 3; the console's sign-in, issue 9)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from workflows.platform.runtime import Deps


def client_key(secret: str, client: str, window: str) -> str:
    """Keyed hash of the client address: never stored raw, useless without the secret."""
    return hmac.new(secret.encode(), f"{window}|{client}".encode(), hashlib.sha256).hexdigest()[:40]


def over_rate_limit(deps: Deps, client: str, scope: str = "", limit: int | None = None) -> bool:
    """Fixed hourly window per client, counted with an atomic increment (holds across instances).
    `scope` keeps other counters (the console's sign-in, issue 9) apart from the form's."""
    now = deps.clock.now()
    window = now.strftime("%Y%m%d%H")
    who = f"{scope}|{client}" if scope else client
    key = client_key(deps.settings.rate_limit_secret, who, window)
    expire_at = now + timedelta(hours=deps.centre.retention.rate_limit_hours)
    count = deps.store.increment(f"ratelimits/{key}", "count", 1, {"expire_at": expire_at})
    return count > (deps.settings.rate_limit_per_hour if limit is None else limit)


def _key(deps: Deps, client: str, scope: str) -> str:
    window = deps.clock.now().strftime("%Y%m%d%H")
    return client_key(deps.settings.rate_limit_secret, f"{scope}|{client}", window)


def count(deps: Deps, client: str, scope: str) -> int:
    """This hour's count for the client without adding to it (issue 18: failed link checks)."""
    doc = deps.store.get(f"ratelimits/{_key(deps, client, scope)}")
    return int((doc or {}).get("count", 0))
