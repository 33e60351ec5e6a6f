"""A waiting person's own changes (issue 17): wishes edited (by the coordinator or on their own
page), a widening accepted, withdrawal and its undo, the 12-week question, the early widening offer.

Every change keeps the person's place (`queued_at`) and is recorded with the pool run it starts
(an assemble task in the same commit). Withdrawing is `withdrawn` for UNDO_DAYS: an undo within
them restores the state and place the person had; after them the `withdrawal_end` task deletes the
personal data like the retention deadline does.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

from shared.domain import widen
from shared.ports import TaskSpec, Tx
from workflows.platform import chain
from workflows.platform.counters import stats_path
from workflows.platform.messages import ScheduleTask
from workflows.platform.runtime import Deps
from workflows.saga import enqueue, retention
from workflows.saga.assemble import candidate

UNDO_DAYS: Final = 14
ASK_EVERY: Final = timedelta(weeks=12)
# who may change their wishes: not while a group is being decided for them
EDITABLE: Final = ("awaiting_pretalk", "waiting")
WITHDRAWABLE: Final = ("awaiting_pretalk", "waiting")


def _task(deps: Deps, kind: str, iid: str, step: int, at: datetime) -> TaskSpec:
    return chain.task_for(
        deps.settings.queue_prefix,
        "schedule",
        ScheduleTask(
            task_id=chain.task_id("schedule", kind, f"inquiry={iid}", f"step={step}"),
            kind=kind,
            inquiry_id=iid,
            step=step,
        ),
        schedule_at=at,
    )


def question_task(deps: Deps, iid: str, step: int, at: datetime) -> TaskSpec:
    """The `step`-th "do you still want a place?" (about every 12 weeks of waiting)."""
    return _task(deps, "still_waiting", iid, step, at)


OFFER_RETRY: Final = timedelta(days=14)


def offer_task(deps: Deps, iid: str, at: datetime, step: int = 0) -> TaskSpec:
    """The widening offered once the wait passes the centre's threshold (issue 21); whoever is
    not waiting then (pre-talk ahead, a proposal being decided) is looked at again later."""
    return _task(deps, "widen_offer", iid, step, at)


def first_tasks(deps: Deps, iid: str, now: datetime) -> list[TaskSpec]:
    """What an inquiry's waiting needs from the start (recorded with the intake)."""
    w = deps.centre.waiting
    return [
        question_task(deps, iid, 1, now + ASK_EVERY),
        offer_task(deps, iid, now + timedelta(days=w.offer_after_days)),
    ]


def _pool_run(deps: Deps, iid: str, what: str, now: datetime) -> TaskSpec:
    return enqueue.assemble(deps, "pool_changed", f"{what}-{iid}-{now.isoformat()}")


def edit_wishes(
    deps: Deps, tx: Tx, iid: str, update: dict[str, Any], now: datetime, by: str
) -> tuple[str, list[TaskSpec]]:
    """New wishes for a person who waits (or awaits the pre-talk): their place stays theirs."""
    path = f"inquiries/{iid}"
    inquiry = tx.get(path)
    if inquiry is None or inquiry.get("status") not in EDITABLE:
        return "stale", []
    tx.update(path, {**update, "wishes_changed_at": now, "wishes_changed_by": by})
    return "ok", [_pool_run(deps, iid, "wishes", now)]


def accept_widening(
    deps: Deps, tx: Tx, iid: str, code: str, now: datetime
) -> tuple[str, list[TaskSpec]]:
    path = f"inquiries/{iid}"
    inquiry = tx.get(path)
    w = widen.parse(code)
    if inquiry is None or inquiry.get("status") != "waiting" or w is None:
        return "stale", []
    before = candidate(iid, inquiry)
    wider = widen.apply(before, w)
    if wider == before:
        return "stale", []  # already accepted (a second click)
    if w.kind == "place" and w.value not in {m.code for m in deps.centre.municipalities}:
        return "stale", []
    if w.kind == "topic" and w.value != widen.GENERAL:
        return "stale", []  # only the general group is offered as a widening of topic
    tx.update(
        path,
        {
            "formats": list(wider.formats),
            "travel": list(wider.travel),
            "times": list(wider.times),
            "age_reach": wider.age_reach,
            "widened": [*inquiry.get("widened", []), {"widening": w.code, "at": now}],
        },
    )
    home = inquiry.get("municipality", "other")
    tx.increment(stats_path(now, home, deps.centre.centre.timezone), {f"widened.{w.kind}": 1})
    return "ok", [_pool_run(deps, iid, "widen", now)]


def withdraw(deps: Deps, tx: Tx, iid: str, now: datetime, why: str) -> tuple[str, list[TaskSpec]]:
    path = f"inquiries/{iid}"
    inquiry = tx.get(path)
    if inquiry is None or inquiry.get("status") not in WITHDRAWABLE:
        return "stale", []
    step = int(inquiry.get("withdrawal_step", 0)) + 1
    until = now + timedelta(days=UNDO_DAYS)
    tx.update(
        path,
        {
            "status": "withdrawn",
            "withdrawn_from": inquiry["status"],
            "withdrawn_at": now,
            "withdrawn_why": why,
            "withdrawal_step": step,
        },
    )
    return "ok", [_task(deps, "withdrawal_end", iid, step, until)]


def undo_withdrawal(deps: Deps, tx: Tx, iid: str, now: datetime) -> tuple[str, list[TaskSpec]]:
    """Back where they were, with the place they had (queued_at was never touched)."""
    path = f"inquiries/{iid}"
    inquiry = tx.get(path)
    if inquiry is None or inquiry.get("status") != "withdrawn":
        return "stale", []
    at = inquiry.get("withdrawn_at")
    if not isinstance(at, datetime) or now >= at + timedelta(days=UNDO_DAYS):
        return "stale", []
    back = str(inquiry.get("withdrawn_from") or "waiting")
    tx.update(path, {"status": back, "withdrawn_at": None, "undone_at": now})
    return "ok", [_pool_run(deps, iid, "undo", now)] if back == "waiting" else []


def withdrawal_end(deps: Deps, tx: Tx, iid: str, step: int, now: datetime) -> list[TaskSpec]:
    """The undo window is over: the personal data goes, as at the retention deadline."""
    path = f"inquiries/{iid}"
    inquiry = tx.get(path)
    if inquiry is None or inquiry.get("status") != "withdrawn":
        return []
    if int(inquiry.get("withdrawal_step", 0)) != step:
        return []  # undone and withdrawn again: a later task ends that one
    retention.end(deps, tx, iid, inquiry, now, "withdrawn")
    return []


def answer_question(
    deps: Deps, tx: Tx, iid: str, answer: str, now: datetime
) -> tuple[str, list[TaskSpec]]:
    """yes / unsure keep the place; no withdraws (undo within UNDO_DAYS)."""
    path = f"inquiries/{iid}"
    inquiry = tx.get(path)
    if inquiry is None or answer not in ("yes", "no", "unsure"):
        return "stale", []
    if inquiry.get("status") not in (*WITHDRAWABLE, "proposed"):
        return "stale", []
    if answer == "no":
        outcome, specs = withdraw(deps, tx, iid, now, "question")
        if outcome == "ok":
            tx.update(path, {"still_answer": "no", "still_answer_at": now})
        return outcome, specs
    tx.update(path, {"still_answer": answer, "still_answer_at": now})
    return "ok", []


def asked_unanswered(inquiry: dict[str, Any]) -> bool:
    asked, answered = inquiry.get("still_asked_at"), inquiry.get("still_answer_at")
    return isinstance(asked, datetime) and not (
        isinstance(answered, datetime) and answered >= asked
    )


def still_waiting(deps: Deps, tx: Tx, iid: str, step: int, now: datetime) -> list[TaskSpec]:
    """Ask "do you still want a place?" of a person who waits; whoever is in a proposal or awaits
    the pre-talk is asked at the next turn. Silence keeps the place (the digest notes it)."""
    path = f"inquiries/{iid}"
    inquiry = tx.get(path)
    if inquiry is None or inquiry.get("status") not in (
        "awaiting_pretalk",
        "waiting",
        "proposed",
        "withdrawn",  # may be undone: asked again then
    ):
        return []  # placed, erased, expired: nothing to ask
    if int(inquiry.get("still_step", 0)) >= step:
        return []  # a redelivery
    nxt = question_task(deps, iid, step + 1, now + ASK_EVERY)
    update: dict[str, Any] = {"still_step": step}
    if asked_unanswered(inquiry):
        update["still_silent"] = int(inquiry.get("still_silent", 0)) + 1
    if inquiry.get("status") != "waiting":
        tx.update(path, update)
        return [nxt]
    update["still_asked_at"] = now
    tx.update(path, update)
    return [nxt, enqueue.notify(deps, "still_waiting", iid, iid, salt=f"step={step}")]


OFFER_STEPS: Final = 30  # looks at the offer series (every OFFER_RETRY at least): over a year


def offered(inquiry: dict[str, Any]) -> list[str]:
    """The widenings offered so far, oldest first (one field before issue 21's series)."""
    got = inquiry.get("widen_offers")
    if isinstance(got, list):
        return [str(x) for x in got]
    first = inquiry.get("widen_offered")
    return [str(first)] if first else []


def widening_offer(
    deps: Deps, tx: Tx, iid: str, top: str | None, now: datetime, step: int = 0
) -> list[TaskSpec]:
    """Offer the one widening most likely to place them (computed before the transaction, never
    one offered before), then the next one `offer_every_days` later while they still wait, up to
    the centre's `offers`. Whoever is not waiting now (pre-talk ahead, a proposal being decided),
    or for whom no change would help today, is looked at again in OFFER_RETRY."""
    path = f"inquiries/{iid}"
    inquiry = tx.get(path)
    if inquiry is None or step >= OFFER_STEPS:
        return []
    w = deps.centre.waiting
    so_far = offered(inquiry)
    if len(so_far) >= w.offers:
        return []
    status = inquiry.get("status")
    if status in ("awaiting_pretalk", "proposed", "withdrawn"):
        return [offer_task(deps, iid, now + OFFER_RETRY, step + 1)]
    if status != "waiting":
        return []  # placed, erased, expired
    if top is None or top in so_far:
        return [offer_task(deps, iid, now + OFFER_RETRY, step + 1)]
    so_far.append(top)
    tx.update(path, {"widen_offered": top, "widen_offered_at": now, "widen_offers": so_far})
    out = [enqueue.notify(deps, "widen_offer", iid, iid, salt=f"offer={len(so_far)}")]
    if len(so_far) < w.offers:
        out.append(offer_task(deps, iid, now + timedelta(days=w.offer_every_days), step + 1))
    return out
