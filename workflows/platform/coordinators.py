"""Coordinators by a stable id (issue 17): what pending work and emails are addressed to.

Before, a coordinator email named its recipient by position in the centre file's list, so after a
removal pending work went to someone else or to nobody. Now every coordinator has an id (kept in the
centre settings, `settings/centre`; for a centre file that was never edited in the console, derived
from the address the way sessions name coordinators), tasks carry it, and a task whose coordinator
is gone goes to the first coordinator still there — never to nobody. Mails to coordinators are keyed
by the resolved recipient, so work redirected to someone who already has their own copy is sent
once.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from workflows.platform.runtime import Deps


@dataclass(frozen=True)
class Coordinator:
    id: str
    name: str
    email: str


def derived_id(deps: Deps, email: str) -> str:
    """The id of a coordinator the settings give none: a keyed hash of the address (the session
    key), never the address itself."""
    key = deps.settings.session_signing_key.encode()
    value = f"coordinator|{email.strip().lower()}".encode()
    return "c-" + hmac.new(key, value, hashlib.sha256).hexdigest()[:10]


def listed(deps: Deps) -> list[Coordinator]:
    return [
        Coordinator(c.id or derived_id(deps, c.email), c.name, c.email)
        for c in deps.centre.coordinators
    ]


def ids(deps: Deps) -> list[str]:
    return [c.id for c in listed(deps)]


def lead(deps: Deps) -> str:
    """Who gets work meant for one coordinator: the first in the list."""
    return listed(deps)[0].id


def resolve(deps: Deps, recipient: str | None) -> Coordinator | None:
    """The coordinator a task names; one removed since (or an old task's position) goes to the
    first coordinator there is. None only when the centre has no coordinator at all."""
    everyone = listed(deps)
    if not everyone:
        return None
    for c in everyone:
        if c.id == recipient:
            return c
    if recipient and recipient.isdigit() and int(recipient) < len(everyone):
        return everyone[int(recipient)]  # a task queued before ids (by position)
    return everyone[0]


def by_email(deps: Deps, email: str) -> Coordinator | None:
    wanted = email.strip().lower().encode()
    for c in listed(deps):
        if hmac.compare_digest(c.email.strip().lower().encode(), wanted):
            return c
    return None
