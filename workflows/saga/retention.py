"""An inquiry's retention deadline: a task at created + unplaced_days, not only a TTL.

Firestore TTL deletes within about a day of `expire_at` and knows nothing of state, so it is only the
backstop here (issue 8: TTL deleted people who were still waiting). The task moves a person who is
still waiting to the terminal state `expired` and removes their personal data at once; a person who
is in a proposal being formed right now keeps their data until it is decided, re-checked every
RECHECK days.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shared.ports import TaskSpec, Tx
from workflows.platform import chain
from workflows.platform.counters import stats_path
from workflows.platform.messages import ScheduleTask
from workflows.platform.runtime import Deps

RECHECK = timedelta(days=14)
# The inquiry document outlives its deadline task by this much, so TTL never removes a live one.
GRACE = timedelta(days=30)


def expiry_task(deps: Deps, inquiry_id: str, at: datetime, step: int = 0) -> TaskSpec:
    return chain.task_for(
        deps.settings.queue_prefix,
        "schedule",
        ScheduleTask(
            task_id=chain.task_id(
                "schedule", "inquiry_expiry", f"inquiry={inquiry_id}", f"step={step}"
            ),
            kind="inquiry_expiry",
            inquiry_id=inquiry_id,
            step=step,
        ),
        schedule_at=at,
    )


def expire(deps: Deps, tx: Tx, iid: str, step: int, now: datetime) -> list[TaskSpec]:
    path = f"inquiries/{iid}"
    inquiry = tx.get(path)
    person = tx.get(f"people/{iid}")  # read before any write (Firestore's rule; issue 8's year)
    if inquiry is None or int(inquiry.get("expiry_step", 0)) != step:
        return []
    status = inquiry.get("status")
    if status == "proposed":
        until = now + RECHECK
        tx.update(path, {"expire_at": until + GRACE, "expiry_step": step + 1})
        if person is not None:
            tx.update(f"people/{iid}", {"expire_at": until})
        return [expiry_task(deps, iid, until, step + 1)]
    if status not in ("received", "awaiting_pretalk", "waiting", "withdrawn"):
        return []  # placed, erased or expired already: their own rules apply
    end(deps, tx, iid, inquiry, now, "expired")
    return []


def end(
    deps: Deps, tx: Tx, iid: str, inquiry: dict[str, Any], now: datetime, counted_as: str
) -> None:
    """The personal data goes: the person's document, the reference and every link; the inquiry
    stays a day as a tombstone, and the anonymous counter keeps why (at the retention deadline,
    or at the end of a withdrawal's undo window, issue 17)."""
    tx.delete(f"people/{iid}")
    tx.update(
        f"inquiries/{iid}",
        {
            "status": "expired",
            "expired_at": now,
            "reference": None,
            "pretalk_token": None,
            "erase_token": None,
            "erase_until": None,
            "me_token": None,
            "expire_at": now + timedelta(days=1),
        },
    )
    home = str(inquiry.get("municipality", "other"))
    tx.increment(stats_path(now, home, deps.centre.centre.timezone), {counted_as: 1})
