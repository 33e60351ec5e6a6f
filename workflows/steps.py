"""Run a task handler exactly once in effect, however often Cloud Tasks delivers it.

Powertools-style idempotency, folded into the step's own transaction: the processed-task record, the
state change and the outbox entries commit together, so a redelivery sees the record and does
nothing, and a crash before commit leaves nothing behind to double.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Literal

from shared import logs
from shared.ports import TaskSpec, Tx
from workflows import outbox
from workflows.runtime import Deps

log = logs.get_logger(__name__)
Outcome = Literal["done", "duplicate"]


def run_once(deps: Deps, task_id: str, step: str, body: Callable[[Tx], list[TaskSpec]]) -> Outcome:
    now = deps.clock.now()
    marker = f"processed/{task_id}"

    def tx_fn(tx: Tx) -> tuple[Outcome, list[TaskSpec]]:
        if tx.get(marker) is not None:
            return "duplicate", []
        specs = body(tx)
        tx.create(marker, {"step": step, "at": now, "expire_at": now + timedelta(days=30)})
        return "done", specs

    outcome = outbox.commit(deps.store, deps.queue, now, tx_fn)
    log.info("task handled", extra={"step": step, "task": task_id, "outcome": outcome})
    return outcome


def dead_letter(deps: Deps, task_id: str, step: str, reason: str) -> None:
    """Cloud Tasks has no dead-letter queue: keep our own, for the coordinator's digest."""
    now = deps.clock.now()
    deps.store.set(
        f"deadletters/{task_id}",
        {"step": step, "reason": reason[:200], "at": now, "expire_at": now + timedelta(days=90)},
    )
