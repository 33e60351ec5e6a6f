"""The one table of what each action does: the signed email links (workflows/links/actions.py) and
the coordinator console (workflows/console/commands.py) run the same handler for the same kind,
inside one transaction with the token check and the outbox record.

A handler takes the token's document and the confirming form, checks the state it expects, and
answers ("ok" | "stale", the follow-up tasks)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from shared.domain import rooms
from shared.domain.vocabulary import AGE_BANDS, FORMATS, TIMES
from shared.ports import TaskSpec, Tx, Where
from workflows.platform import counters, outbox, steps
from workflows.platform.runtime import Deps
from workflows.saga import (
    enqueue,
    invitations,
    proposal,
    relocate,
    repair,
    replace,
    running,
    staffing,
)

Form = dict[str, list[str]]
Handler = Callable[[Deps, Tx, dict[str, Any], datetime, Form], tuple[str, list[TaskSpec]]]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# What the console's log shows as the subject of anything done about a person since erased.
ERASED = "erased"


def _erase(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    """Remove everything about the person at once, leaving only the anonymous counters (issue 10).

    The inquiry becomes a tombstone (status only, gone after a day); the person, their reference and
    their links go; every group that still names them (current, declined, dissolved) drops the id
    with its link tokens. Pending mails and tasks then find nobody and do nothing. A second erase
    finds the tombstone (or nothing) and changes nothing."""
    iid = str(token["inquiry_id"])
    inquiry = tx.get(f"inquiries/{iid}")
    if inquiry is None or inquiry.get("status") in ("erased", "expired"):
        return "stale", []
    # Reads first (a transaction reads before it writes); the queries find what holds the id.
    named = {
        gid
        for where in (
            Where(f"members.`{iid}`.queued_at", ">", EPOCH),
            Where("declined", "array_contains", iid),
        )
        for gid, _ in deps.store.query("groups", [where])
    }
    if inquiry.get("group_id"):
        named.add(str(inquiry["group_id"]))
    group_docs = tx.get_many([f"groups/{gid}" for gid in sorted(named)])
    in_use = {token.get("_id"), token.get("pair")}
    links = [
        tid
        for tid, _ in deps.store.query("tokens", [Where("inquiry_id", "==", iid)])
        if tid not in in_use
    ]
    # issue 18: pending (and sent) outbox entries and the console's audit named the id too
    entries = tx.get_many(
        [
            f"{outbox.COLLECTION}/{eid}"
            for eid, _ in deps.store.query(
                outbox.COLLECTION, [Where("subjects", "array_contains", iid)]
            )
        ]
    )
    audited = [aid for aid, _ in deps.store.query("audit", [Where("subject", "==", iid)])]
    tx.delete(f"people/{iid}")
    tx.set(f"inquiries/{iid}", {"status": "erased", "expire_at": now + timedelta(days=1)})
    outbox.forget(tx, entries, iid, steps.KEEP_PROCESSED)
    for aid in audited:
        tx.update(f"audit/{aid}", {"subject": ERASED})
    tx.increment(
        counters.stats_path(
            inquiry["created_at"], inquiry["municipality"], deps.centre.centre.timezone
        ),
        {"withdrawn": 1},
    )
    for path, group in group_docs.items():
        if group is None:
            continue
        tx.update(
            path,
            {
                "members": {k: v for k, v in group.get("members", {}).items() if k != iid},
                "declined": [x for x in group.get("declined", []) if x != iid],
                # every key that carries the id ("survey:<id>" before issue 18 too)
                "link_tokens": {
                    k: v for k, v in (group.get("link_tokens") or {}).items() if iid not in k
                },
                # nobody left to send a calendar message to (issue 16)
                "calendar": {k: v for k, v in (group.get("calendar") or {}).items() if k != iid},
                "left": [x for x in group.get("left", []) if x.get("id") != iid],
            },
        )
        # the personal join link of a digital group (issue 16): its id is derived, no query
        join = rooms.join_token_id(deps.settings.link_signing_key, path.split("/", 1)[1], iid)
        tx.delete(f"join_links/{join}")
    for tid in links:  # dead links that no longer name anyone
        tx.set(
            f"tokens/{tid}",
            {"inquiry_id": None, "used_at": now, "expire_at": now + timedelta(days=1)},
            merge=True,
        )
    return "ok", []


def _confirm_pretalk(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    iid = str(token["inquiry_id"])
    inquiry = tx.get(f"inquiries/{iid}")
    if inquiry is None or inquiry.get("status") != "awaiting_pretalk":
        return "stale", []
    update: dict[str, Any] = {"status": "waiting", "pretalk_at": now}
    band = (form.get("age_band") or [""])[-1]
    if band in AGE_BANDS:
        update["age_band"] = band
    allowed = {"topics": set(deps.centre.topic_keys), "formats": set(FORMATS), "times": set(TIMES)}
    for key, ok in allowed.items():
        chosen = [v for v in form.get(key, []) if v in ok]
        if chosen:
            update[key] = list(dict.fromkeys(chosen))
    tx.update(f"inquiries/{iid}", update)
    return "ok", [enqueue.assemble(deps, "pretalk", iid)]


def _approve(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    return proposal.approve(deps, tx, token, now)


def _offer(accept: bool) -> Handler:
    def handler(
        deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
    ) -> tuple[str, list[TaskSpec]]:
        if token.get("purpose") == "followup":
            return running.followup_answer(deps, tx, token, now, accept)
        if token.get("purpose") == "replace":  # taking over a group's meetings (issue 16)
            return replace.answer(deps, tx, token, now, accept)
        return staffing.offer_answer(deps, tx, token, now, accept)

    return handler


def _invitation(accept: bool) -> Handler:
    def handler(
        deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
    ) -> tuple[str, list[TaskSpec]]:
        return invitations.answer(deps, tx, token, now, accept)

    return handler


def _survey(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    """Count the answer with no link to the person (issue 18): no document per answer, whose commit
    time equalled the spent token's, only the year's counts (`surveys/{year}`: responses, each
    score, recommend yes/no, answers per municipality), as the report reads them. The year is the
    centre's local year of the answer, not of the survey's sending (issue 18): a group confirmed
    in November is asked in January, after that year's report was frozen."""
    raw = (form.get("satisfaction") or [""])[-1]
    if raw not in ("1", "2", "3", "4", "5"):
        return "stale", []
    year = counters.local_date(now, deps.centre.centre.timezone).year
    path = f"surveys/{year}"
    doc = tx.get(path) or {}
    recommend = "yes" if (form.get("recommend") or [""])[-1] == "yes" else "no"
    municipality = str(token.get("municipality", "other"))

    def bump(group: str, key: str) -> dict[str, int]:
        counts = dict(doc.get(group) or {})
        counts[key] = int(counts.get(key, 0)) + 1
        return counts

    tx.set(
        path,
        {
            "year": year,
            "counts": True,
            "responses": int(doc.get("responses", 0)) + 1,
            "satisfaction": bump("satisfaction", raw),
            "recommend": bump("recommend", recommend),
            "municipality": bump("municipality", municipality),
            "expire_at": datetime(year + 4, 1, 1, tzinfo=UTC),
        },
    )
    return "ok", []


def _close(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    return running.close_action(deps, tx, token, now)


def _followup(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    return running.followup_request(deps, tx, token, now)


def _retry_staffing(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    return staffing.retry_action(deps, tx, token, now)


def _dissolve(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    return proposal.dissolve_action(deps, tx, token, now)


def _one(form: Form, key: str) -> str:
    return (form.get(key) or [""])[-1].strip()


def _leave(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    """ "I can't continue" (issue 16): from the member's own link, or recorded by the coordinator
    (`remove_member`); `back=yes` puts them back in the pool with their original place."""
    by = "coordinator" if "_id" not in token else "member"
    return repair.leave(
        deps,
        tx,
        str(token["group_id"]),
        str(token["inquiry_id"]),
        now,
        back=_one(form, "back") == "yes",
        by=by,
    )


def _cancel_group(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    return repair.cancel_group(deps, tx, str(token["group_id"]), now)


def _cancel_meeting(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    return repair.cancel_meeting(deps, tx, str(token["group_id"]), _one(form, "meeting"), now)


def _move_meeting(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    raw = _one(form, "date")
    try:
        new_date = date.fromisoformat(raw) if raw else None
    except ValueError:
        return "stale", []
    return repair.move_meeting(
        deps,
        tx,
        str(token["group_id"]),
        _one(form, "meeting"),
        now,
        new_date=new_date,
        venue_id=_one(form, "venue") or None,
    )


def _replace_facilitator(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    return replace.start(deps, tx, str(token["group_id"]), now)


def _move_group(
    deps: Deps, tx: Tx, token: dict[str, Any], now: datetime, form: Form
) -> tuple[str, list[TaskSpec]]:
    return relocate.move_group(
        deps, tx, str(token["group_id"]), _one(form, "slot"), _one(form, "venue") or None, now
    )


HANDLERS: dict[str, Handler] = {
    "erase": _erase,
    "confirm_pretalk": _confirm_pretalk,
    "approve_group": _approve,
    "accept_offer": _offer(True),
    "decline_offer": _offer(False),
    "accept_invitation": _invitation(True),
    "decline_invitation": _invitation(False),
    "request_followup": _followup,
    "survey": _survey,
    "close_group": _close,
    "retry_staffing": _retry_staffing,
    "dissolve_group": _dissolve,
    # after the confirmation (issue 16): the member's link, and the coordinator's repairs
    "leave_group": _leave,
    "remove_member": _leave,
    "cancel_group": _cancel_group,
    "cancel_meeting": _cancel_meeting,
    "move_meeting": _move_meeting,
    "replace_facilitator": _replace_facilitator,
    "move_group": _move_group,
}
