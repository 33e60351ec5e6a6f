"""Inquiry intake: validate, store the inquiry and its hand-offs in one transaction.

The person's contact details and message live apart from the inquiry (people/{id}) so that erasure
and retention remove them without touching the anonymous state the reports count.
"""

from __future__ import annotations

import hashlib
import hmac
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


# Issue 22: a post carrying a submission id the centre has seen answers with the first inquiry's
# reference, and stores and sends nothing; the thank-you page shows that reference this long.
SUBMISSION_KEEP = timedelta(hours=24)
GONE = frozenset({"erased", "expired"})


@dataclass(frozen=True)
class Accepted:
    reference: str
    inquiry_id: str | None  # None for a honeypot hit: nothing was stored
    repeated: bool = False  # the same submission was posted before: nothing new stored


@dataclass(frozen=True)
class Rejected:
    errors: list[dict[str, str]]


def localise(errors: list[FieldError], lang: Lang) -> list[dict[str, str]]:
    return [
        {"field": e.field, "message": error_text(e.code, e.field, lang, **e.params)} for e in errors
    ]


def submission_path(deps: Deps, submission: str) -> str:
    """Only a keyed hash of the id is stored: the database does not hold the thank-you address."""
    key = hmac.new(
        deps.settings.link_signing_key.encode(), f"submission|{submission}".encode(), hashlib.sha256
    ).hexdigest()[:40]
    return f"submissions/{key}"


def earlier_submission(deps: Deps, submission: str) -> Accepted | None:
    """The inquiry this submission id already made, while it lives and the id is fresh."""
    return _first_of(deps, deps.store.get(submission_path(deps, submission)))


def _first_of(deps: Deps, doc: dict[str, Any] | None) -> Accepted | None:
    if doc is None or doc["expire_at"] <= deps.clock.now():
        return None
    inquiry = deps.store.get(f"inquiries/{doc['inquiry_id']}")
    if inquiry is None or inquiry.get("status") in GONE or not inquiry.get("reference"):
        return None  # erased since (or expired): a new post is a new sign-up
    return Accepted(str(inquiry["reference"]), str(doc["inquiry_id"]), repeated=True)


def submit(deps: Deps, raw: dict[str, Any], lang: Lang) -> Accepted | Rejected:
    if intake_rules.is_honeypot_filled(raw):
        log.info("honeypot filled; answered as accepted, nothing stored")
        return Accepted(reference.new_reference(), None)
    submission, problems = intake_rules.submission_id(raw)
    record = deps.store.get(submission_path(deps, submission)) if submission else None
    if record is not None:
        first = _first_of(deps, record)
        if first is not None:
            log.info(
                "repeated submission; answered with the first", extra={"inquiry": first.inquiry_id}
            )
            return first
    smtputf8 = deps.settings.mail_backend == "smtp" and deps.settings.smtp_utf8
    draft, errors = intake_rules.validate_inquiry(raw, deps.centre, smtputf8=smtputf8)
    errors = problems + errors
    if draft is None or errors:
        log.info("inquiry rejected", extra={"fields": sorted({e.field for e in errors})})
        return Rejected(localise(errors, lang))
    for _ in range(5):
        ref = reference.new_reference()
        if inquiry_by_reference(deps.store, ref) is not None:
            continue  # reference clash (1 in 10^12 per pair): draw another
        try:
            inquiry_id = store_inquiry(
                deps, draft, ref, lang, submission, replace=record is not None
            )
        except AlreadyExists:
            # the same submission posted twice at once: the other post stored it
            first = earlier_submission(deps, submission) if submission else None
            if first is not None:
                return first
            continue  # a random inquiry id that exists (never seen): draw again
        log.info("inquiry stored", extra={"inquiry": inquiry_id})
        return Accepted(ref, inquiry_id)
    raise RuntimeError("could not draw a unique reference")


def thanks_reference(deps: Deps, submission: str) -> str | None:
    """The reference the thank-you page shows for a submission id (None: unknown, old or erased)."""
    if not intake_rules.SUBMISSION_PATTERN.match(submission):
        return None
    first = earlier_submission(deps, submission)
    return first.reference if first else None


def inquiry_by_reference(store: Store, ref: str) -> str | None:
    """The live inquiry with this reference (erased and expired ones no longer carry theirs). A
    query on the inquiries, not a references/ document: one write less per inquiry (issue 12)."""
    rows = store.query("inquiries", [Where("reference", "==", ref)], limit=1)
    return rows[0][0] if rows else None


def store_inquiry(
    deps: Deps,
    draft: InquiryDraft,
    ref: str,
    lang: Lang,
    submission: str | None = None,
    replace: bool = False,
) -> str:
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
    # and only to a mobile number of the centre's regions (issue 18)
    texts = deps.sms is not None and intake_rules.textable(
        draft.phone, deps.centre.centre.sms_regions
    )
    reachable = bool(draft.email or texts)
    token_id = (
        tokens.erase_token_id(deps.settings.link_signing_key, inquiry_id) if reachable else None
    )
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
        tz = deps.centre.centre.timezone
        tx.increment(stats_path(now, draft.municipality, tz), stats_counts(draft))
        if submission is not None:
            # with the inquiry, so two posts of one submission cannot both commit; set (not
            # create) over an old record whose inquiry is gone: then this is a new sign-up
            path = submission_path(deps, submission)
            record = {"inquiry_id": inquiry_id, "expire_at": now + SUBMISSION_KEEP}
            if replace:
                tx.set(path, record)
            else:
                tx.create(path, record)
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
        "step_free": draft.step_free,
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
