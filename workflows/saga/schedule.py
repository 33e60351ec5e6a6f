"""schedule: every deadline and next step of the lifecycle, one handler per task kind.

Deadlines are tasks scheduled for that moment (Cloud Tasks schedule_time, or the outbox when further
than Cloud Tasks reaches), not polling. Each handler checks the state it expects, so a late or
repeated delivery changes nothing (shared/domain/lifecycle.py has the table of states).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from shared.domain import widen
from shared.ports import PermanentError, TaskSpec, Tx
from workflows.platform.messages import ScheduleTask
from workflows.platform.runtime import Deps
from workflows.platform.steps import Outcome, run_once
from workflows.saga import invitations, proposal, replace, retention, running, staffing, waiting
from workflows.saga.assemble import pool_now

Body = Callable[[Deps, ScheduleTask, datetime], Callable[[Tx], list[TaskSpec]]]


def _gid(task: ScheduleTask) -> str:
    if not task.group_id:
        raise PermanentError(f"{task.kind} needs a group id")
    return task.group_id


def _offer(deps: Deps, task: ScheduleTask, now: datetime) -> Callable[[Tx], list[TaskSpec]]:
    gid = _gid(task)
    group = deps.store.get(f"groups/{gid}")
    # Ranking reads many documents: do it before the transaction, re-check inside it.
    pre = (
        staffing.find_offer(deps, gid, group, now)
        if group is not None and group.get("status") == "approved"
        else []
    )
    return lambda tx: staffing.offer_step(deps, tx, gid, task.round, now, pre)


def _followup(deps: Deps, task: ScheduleTask, now: datetime) -> Callable[[Tx], list[TaskSpec]]:
    gid = _gid(task)
    group = deps.store.get(f"groups/{gid}") or {}
    if (group.get("followup") or {}).get("status") != "requested":
        return lambda tx: []
    day = running.visit_date(deps, str(group["slot"]), now)
    candidates = running.followup_candidates(deps, group, day)
    return lambda tx: running.followup(deps, tx, gid, task.round, task.step, now, candidates, day)


def _replace(deps: Deps, task: ScheduleTask, now: datetime) -> Callable[[Tx], list[TaskSpec]]:
    """Who could take over is read before the transaction, re-checked in it (issue 16)."""
    gid = _gid(task)
    group = deps.store.get(f"groups/{gid}") or {}
    candidates = replace.candidates_for(deps, group, now) if group else []
    return lambda tx: replace.offer_step(deps, tx, gid, task.round, task.step, now, candidates)


def _widen_offer(deps: Deps, task: ScheduleTask, now: datetime) -> Callable[[Tx], list[TaskSpec]]:
    """The pool is read before the transaction (like a facilitator ranking), re-checked in it."""
    iid = str(task.inquiry_id)
    inquiry = deps.store.get(f"inquiries/{iid}") or {}
    top: str | None = None
    before = waiting.offered(inquiry)
    if inquiry.get("status") == "waiting" and len(before) < deps.centre.waiting.offers:
        best = widen.suggest(iid, pool_now(deps), limit=1, exclude=before)
        top = best[0].code if best else None
    return lambda tx: waiting.widening_offer(deps, tx, iid, top, now, task.step)


def _simple(fn: Callable[[Deps, Tx, str, datetime], list[TaskSpec]]) -> Body:
    return lambda deps, task, now: lambda tx: fn(deps, tx, _gid(task), now)


HANDLERS: dict[str, Body] = {
    "offer": _offer,
    "offer_timeout": lambda d, t, now: lambda tx: staffing.offer_timeout(d, tx, _gid(t), t.round),
    "restaff": lambda d, t, now: lambda tx: staffing.restaff(d, tx, _gid(t), t.step, now),
    "approval_deadline": _simple(proposal.approval_deadline),
    "invitation_deadline": _simple(invitations.deadline),
    "first_meeting": _simple(running.first_meeting),
    "facilitation_over": _simple(running.facilitation_over),
    "auto_close": _simple(running.auto_close),
    "followup_auto": _simple(running.followup_auto),
    "forget_members": _simple(running.forget_members),
    "followup": _followup,
    "followup_timeout": lambda d, t, now: (
        lambda tx: running.followup_timeout(d, tx, _gid(t), t.round, t.step, now)
    ),
    "replace": _replace,
    "replace_timeout": lambda d, t, now: (
        lambda tx: replace.timeout(d, tx, _gid(t), t.round, t.step)
    ),
    "inquiry_expiry": lambda d, t, now: (
        lambda tx: retention.expire(d, tx, str(t.inquiry_id), t.step, now)
    ),
    "still_waiting": lambda d, t, now: (
        lambda tx: waiting.still_waiting(d, tx, str(t.inquiry_id), t.step, now)
    ),
    "widen_offer": _widen_offer,
    "withdrawal_end": lambda d, t, now: (
        lambda tx: waiting.withdrawal_end(d, tx, str(t.inquiry_id), t.step, now)
    ),
}


def handle(deps: Deps, task: ScheduleTask) -> Outcome:
    now = deps.clock.now()
    return run_once(deps, task.task_id, "schedule", HANDLERS[task.kind](deps, task, now))
