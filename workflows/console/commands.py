"""What the coordinator changes from the console (issue 9). Each command is one transaction: the
change, the work that must follow it (outbox), and the audit entry, or nothing at all.

Group and person actions run the same handlers as the email links (workflows/saga/handlers.py), with the
subject named by the console instead of by a token: the console and the email agree on what
"approve" means, and whichever comes second finds the state changed and says so.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from shared.domain import links, rooms
from shared.ports import OutgoingMail, TaskSpec, Tx
from shared.texts.console import CONSOLE
from workflows.console.auth import audit
from workflows.messaging.mailing import send_once
from workflows.platform import outbox
from workflows.platform.render import render
from workflows.platform.runtime import Deps
from workflows.saga import enqueue, waiting
from workflows.saga.handlers import ERASED, HANDLERS

Form = dict[str, list[str]]
Change = Callable[[Tx, datetime], tuple[str, list[TaskSpec]]]
SELF_LINK_DAYS = 180

# Console group action -> the email link handler that does the same.
GROUP_ACTIONS: dict[str, str] = {
    "approve": "approve_group",
    "retry": "retry_staffing",
    "dissolve": "dissolve_group",
    "close": "close_group",
    "followup": "request_followup",
}
# Group actions that cannot be undone: the console asks first (issue 22).
IRREVERSIBLE = ("close", "dissolve")


def run(deps: Deps, actor: str, action: str, subject: str, change: Change) -> str:
    """ "ok", or "stale" when the state had moved on (nothing written then)."""
    now = deps.clock.now()

    def tx_fn(tx: Tx) -> tuple[str, list[TaskSpec]]:
        outcome, specs = change(tx, now)
        if outcome != "ok":
            return outcome, []
        # an erasure's own entry does not name whom it erased (issue 18)
        audit(tx, now, actor, action, ERASED if action == "erase" else subject)
        return "ok", specs

    result: str = outbox.commit(deps.store, deps.queue, now, tx_fn)
    return result


def _handler(deps: Deps, name: str, token: dict[str, Any], form: Form | None = None) -> Change:
    handler = HANDLERS[name]
    return lambda tx, now: handler(deps, tx, token, now, form or {})


def record_pretalk(deps: Deps, actor: str, iid: str, form: Form) -> str:
    token = {"inquiry_id": iid}
    return run(deps, actor, "pretalk", iid, _handler(deps, "confirm_pretalk", token, form))


def erase(deps: Deps, actor: str, iid: str) -> str:
    return run(deps, actor, "erase", iid, _handler(deps, "erase", {"inquiry_id": iid}))


def group_action(deps: Deps, actor: str, gid: str, kind: str) -> str:
    name = GROUP_ACTIONS[kind]
    return run(deps, actor, kind, gid, _handler(deps, name, {"group_id": gid}))


def answer_for(deps: Deps, actor: str, gid: str, iid: str, accept: bool) -> str:
    """A member without email answers the invitation by phone; the coordinator records it."""
    name = "accept_invitation" if accept else "decline_invitation"
    token = {"group_id": gid, "inquiry_id": iid}
    return run(deps, actor, name, gid, _handler(deps, name, token))


def set_room_link(
    deps: Deps, actor: str, gid: str, link: str, facilitator_id: str | None = None
) -> str:
    """A digital group's fixed meeting link (a centre with `provider = "link"`, issue 16), entered
    by a coordinator or by the group's own facilitator (`facilitator_id`): the join links forward
    there. "invalid" when it is not a whole https:// link."""
    link = link.strip()
    if not rooms.valid_fixed_link(link):
        return "invalid"

    def change(tx: Tx, now: datetime) -> tuple[str, list[TaskSpec]]:
        group = tx.get(f"groups/{gid}")
        if (
            group is None
            or group.get("place") != "digital"
            or group.get("status") in ("closed", "dissolved")
            or (facilitator_id is not None and group.get("facilitator_id") != facilitator_id)
        ):
            return "stale", []
        tx.update(f"groups/{gid}", {"room_link": link, "room_link_at": now})
        return "ok", []

    return run(deps, actor, "set_room_link", gid, change)


def save(deps: Deps, actor: str, collection: str, doc_id: str | None, doc: dict[str, Any]) -> str:
    """Create (doc_id None) or edit a facilitator or a venue; returns its id."""
    new_id = doc_id or f"{collection[:3]}-{secrets.token_hex(4)}"
    path = f"{collection}/{new_id}"

    def change(tx: Tx, now: datetime) -> tuple[str, list[TaskSpec]]:
        current = tx.get(path)
        if doc_id is not None and current is None:
            return "stale", []
        if current is None:
            tx.create(path, {**doc, "active": True, "created_at": now})
        else:
            tx.set(path, {**doc, "updated_at": now}, merge=True)
        # a new facilitator or room may be what the pool was short of
        return "ok", [_pool_changed(deps, f"{collection}-{new_id}-{now.timestamp():.0f}")]

    action = ("edit_" if doc_id else "add_") + collection[:-1]
    outcome = run(deps, actor, action, new_id, change)
    return new_id if outcome == "ok" else ""


def _pool_changed(deps: Deps, salt: str) -> TaskSpec:
    return enqueue.assemble(deps, "pool_changed", salt)


def set_active(deps: Deps, actor: str, collection: str, doc_id: str, active: bool) -> str:
    path = f"{collection}/{doc_id}"

    def change(tx: Tx, now: datetime) -> tuple[str, list[TaskSpec]]:
        if tx.get(path) is None:
            return "stale", []
        tx.update(path, {"active": active, "updated_at": now})
        return "ok", ([_pool_changed(deps, f"{doc_id}-{now.timestamp():.0f}")] if active else [])

    kind = "activate_" if active else "deactivate_"
    return run(deps, actor, kind + collection[:-1], doc_id, change)


def self_link_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def send_self_link(deps: Deps, actor: str, fid: str) -> str:
    """A new personal link for a facilitator; the one before it stops working (renewable)."""
    token = secrets.token_urlsafe(32)
    digest = self_link_hash(token)
    path = f"facilitators/{fid}"
    found: dict[str, Any] = {}

    def change(tx: Tx, now: datetime) -> tuple[str, list[TaskSpec]]:
        doc = tx.get(path)
        if doc is None or not doc.get("email"):
            return "stale", []
        found.update(doc)
        tx.update(
            path,
            {"self_link": digest, "self_link_expires": now + timedelta(days=SELF_LINK_DAYS)},
        )
        return "ok", []

    outcome = run(deps, actor, "send_self_link", fid, change)
    if outcome != "ok":
        return outcome
    lang = deps.centre.centre.default_language
    t = CONSOLE[lang]
    ctx = {
        "t": t,
        "link": links.console_url(deps.settings.public_base_url, f"/self?t={token}"),
        "centre_name": deps.centre.centre.name,
        "name": found.get("name", ""),
    }
    send_once(
        deps,
        OutgoingMail(
            to=str(found["email"]),
            subject=t["self_mail_subject"],
            text=render("console/self_mail.txt", **ctx),
            html=render("console/self_mail.html", **ctx),
            sender=deps.centre.centre.mail_from,
            message_key=f"self-link-{digest[:24]}",
        ),
    )
    return "ok"


def save_self(deps: Deps, fid: str, doc: dict[str, Any]) -> str:
    path = f"facilitators/{fid}"

    def change(tx: Tx, now: datetime) -> tuple[str, list[TaskSpec]]:
        if tx.get(path) is None:
            return "stale", []
        tx.set(path, {**doc, "updated_at": now}, merge=True)
        return "ok", [_pool_changed(deps, f"self-{fid}-{now.timestamp():.0f}")]

    return run(deps, fid, "self_update", fid, change)


__all__ = [
    "GROUP_ACTIONS",
    "IRREVERSIBLE",
    "answer_for",
    "erase",
    "group_action",
    "record_pretalk",
    "save",
    "save_self",
    "send_self_link",
    "set_active",
]


# ---------------------------------------------------------------- repairs (issue 16)

REPAIRS = (
    "cancel_group",
    "remove_member",
    "cancel_meeting",
    "move_meeting",
    "replace_facilitator",
    "move_group",
)
MESSAGE_MAX = 1000
MESSAGE_KEEP = timedelta(days=30)


def repair(deps: Deps, actor: str, gid: str, kind: str, form: Form) -> str:
    """A repair from the group card, after its confirmation page: the same handler table as the
    links (a member's own "I can't continue" and the coordinator's "record that they left" are one
    handler)."""
    token: dict[str, Any] = {"group_id": gid}
    member = (form.get("member") or [""])[-1]
    if kind == "remove_member":
        token["inquiry_id"] = member
    return run(deps, actor, kind, gid, _handler(deps, kind, token, form))


def message_problem(text: str) -> str | None:
    """The name of the console text that says what is wrong with a message, or None."""
    if not text.strip():
        return "message_required"
    if len(text) > MESSAGE_MAX:
        return "message_too_long"
    return None


def message_group(deps: Deps, actor: str, gid: str, text: str) -> tuple[str, int]:
    """One message to every member and the facilitator, each by their own email or SMS. The text
    is kept only until it is sent (30 days at most, TTL); the audit entry says that a message was
    sent, never what it said."""
    now = deps.clock.now()
    mid = secrets.token_hex(16)

    def tx_fn(tx: Tx) -> tuple[tuple[str, int], list[TaskSpec]]:
        group = tx.get(f"groups/{gid}")
        if group is None or group.get("status") in ("closed", "dissolved", "cancelled"):
            return ("stale", 0), []
        rids = [m for m, v in group["members"].items() if v.get("response") == "accepted"]
        if not rids and group.get("status") not in ("confirmed", "started", "self_run"):
            rids = list(group["members"])
        if group.get("facilitator_id"):
            rids.append(f"facilitator:{group['facilitator_id']}")
        tx.create(
            f"group_messages/{mid}",
            {"group_id": gid, "text": text.strip(), "at": now, "expire_at": now + MESSAGE_KEEP},
        )
        audit(tx, now, actor, "message_group", gid)
        specs = [enqueue.notify(deps, "group_message", mid, r) for r in rids]
        return ("ok", len(rids)), specs

    result: tuple[str, int] = outbox.commit(deps.store, deps.queue, now, tx_fn)
    return result


def edit_wishes(deps: Deps, actor: str, iid: str, update: dict[str, Any]) -> str:
    """New wishes after a call (issue 17): the person keeps their place, a pool run follows."""
    return run(
        deps,
        actor,
        "wishes",
        iid,
        lambda tx, now: waiting.edit_wishes(deps, tx, iid, update, now, "coordinator"),
    )
