"""Inquiry intake: validate, store the inquiry and its hand-offs in one transaction.

The person's contact details and message live apart from the inquiry (people/{id}) so that erasure
and retention remove them without touching the anonymous state the reports count.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shared import logs
from shared.domain import intake_rules, links, reference
from shared.domain.intake_rules import FieldError, InquiryDraft
from shared.languages import Lang
from shared.ports import AlreadyExists, Store, TaskSpec, Tx, Where
from shared.texts.form import error_text
from workflows.platform import chain, outbox, tokens
from workflows.platform.counters import stats_path
from workflows.platform.messages import AssembleTask, NotifyTask
from workflows.platform.runtime import Deps
from workflows.saga import waiting
from workflows.saga.retention import GRACE, expiry_task

log = logs.get_logger(__name__)


@dataclass(frozen=True)
class Accepted:
    reference: str
    inquiry_id: str | None  # None for a honeypot hit: nothing was stored


@dataclass(frozen=True)
class Rejected:
    errors: list[dict[str, str]]


def localise(errors: list[FieldError], lang: Lang) -> list[dict[str, str]]:
    return [
        {"field": e.field, "message": error_text(e.code, e.field, lang, **e.params)} for e in errors
    ]


def submit(deps: Deps, raw: dict[str, Any], lang: Lang) -> Accepted | Rejected:
    if intake_rules.is_honeypot_filled(raw):
        log.info("honeypot filled; answered as accepted, nothing stored")
        return Accepted(reference.new_reference(), None)
    draft, errors = intake_rules.validate_inquiry(raw, deps.centre)
    if draft is None:
        log.info("inquiry rejected", extra={"fields": sorted({e.field for e in errors})})
        return Rejected(localise(errors, lang))
    for _ in range(5):
        ref = reference.new_reference()
        if inquiry_by_reference(deps.store, ref) is not None:
            continue  # reference clash (1 in 10^12 per pair): draw another
        try:
            inquiry_id = store_inquiry(deps, draft, ref, lang)
        except AlreadyExists:
            continue  # a random inquiry id that exists (never seen): draw again
        log.info("inquiry stored", extra={"inquiry": inquiry_id})
        return Accepted(ref, inquiry_id)
    raise RuntimeError("could not draw a unique reference")


def inquiry_by_reference(store: Store, ref: str) -> str | None:
    """The live inquiry with this reference (erased and expired ones no longer carry theirs). A
    query on the inquiries, not a references/ document: one write less per inquiry (issue 12)."""
    rows = store.query("inquiries", [Where("reference", "==", ref)], limit=1)
    return rows[0][0] if rows else None


def store_inquiry(deps: Deps, draft: InquiryDraft, ref: str, lang: Lang) -> str:
    now = deps.clock.now()
    retention = deps.centre.retention
    inquiry_id = uuid.uuid4().hex
    prefix = deps.settings.queue_prefix
    # The retention deadline is a task (workflows/saga/retention.py); TTL is the backstop behind it.
    deadline = now + timedelta(days=retention.unplaced_days)
    expire_at = deadline + GRACE
    specs: list[TaskSpec] = [
        expiry_task(deps, inquiry_id, deadline),
        *waiting.first_tasks(deps, inquiry_id, now),
        chain.task_for(
            prefix,
            "assemble",
            AssembleTask(
                task_id=chain.task_id("intake", inquiry_id, "assemble"),
                reason="intake",
                inquiry_id=inquiry_id,
            ),
        ),
    ]
    # the receipt's erase link is derived from the inquiry: no token document (workflows/platform/tokens.py);
    # a person with only a phone gets it by SMS when SMS is on (issue 11)
    reachable = bool(draft.email or (draft.phone and deps.sms is not None))
    token_id = tokens.erase_token_id(inquiry_id) if reachable else None
    if reachable:
        specs.append(
            chain.task_for(
                prefix,
                "notify",
                NotifyTask(
                    task_id=chain.task_id("intake", inquiry_id, "receipt"),
                    mail="receipt",
                    subject_id=inquiry_id,
                ),
            )
        )

    def write(tx: Tx) -> tuple[None, list[TaskSpec]]:
        tx.create(
            f"inquiries/{inquiry_id}",
            {
                **inquiry_doc(draft, ref, lang, now, expire_at, token_id, deadline),
                # the person's own page (issue 17): a random id the receipt's /me link names
                "me_token": f"me-{links.new_token_id()}" if reachable else None,
            },
        )
        tx.create(
            f"people/{inquiry_id}",
            {
                "name": draft.name,
                "email": draft.email,
                "phone": draft.phone,
                "message": draft.message,
                "expire_at": deadline,
            },
        )
        tx.increment(stats_path(now, draft.municipality), stats_counts(draft))
        return None, specs

    outbox.commit(deps.store, deps.queue, now, write, dispatch_now=deps.settings.dispatch_inline)
    return inquiry_id


def inquiry_doc(
    draft: InquiryDraft,
    ref: str,
    lang: Lang,
    now: datetime,
    expire_at: datetime,
    token_id: str | None,
    erase_until: datetime,
) -> dict[str, Any]:
    return {
        "reference": ref,
        "status": "received",
        "created_at": now,
        "queued_at": now,
        "municipality": draft.municipality,
        "topics": list(draft.topics),
        "formats": list(draft.formats),
        "times": list(draft.times),
        "languages": list(draft.languages),
        "travel": list(draft.travel),
        "heard_from": draft.heard_from or "unknown",
        "age_band": draft.age_band,
        "lang": lang,
        "has_email": draft.email is not None,
        "erase_token": token_id,
        "erase_until": erase_until if token_id else None,
        "expire_at": expire_at,
    }


def stats_counts(draft: InquiryDraft) -> dict[str, int]:
    counts = {"inquiries": 1, f"heard_from.{draft.heard_from or 'unknown'}": 1}
    for topic in draft.topics:
        counts[f"topic.{topic}"] = 1
    return counts
