"""Run a task handler exactly once in effect, however often Cloud Tasks delivers it.

Powertools-style idempotency, folded into the step's own transaction: the processed-task record, the
state change and the outbox entry commit together — the record and the entry are one document,
`outbox/step-<task id>` — so a redelivery sees the record and does nothing, and a crash before
commit leaves nothing behind to double.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Literal

from shared import logs
from shared.ports import TaskSpec, Tx
from workflows.platform import outbox
from workflows.platform.runtime import Deps

log = logs.get_logger(__name__)
# A redelivery this long after the first delivery is still recognised (Cloud Tasks retries for hours).
KEEP_PROCESSED = timedelta(days=30)
Outcome = Literal["done", "duplicate"]


def run_once(deps: Deps, task_id: str, step: str, body: Callable[[Tx], list[TaskSpec]]) -> Outcome:
    now = deps.clock.now()
    entry = outbox.step_entry(task_id)

    def tx_fn(tx: Tx) -> tuple[Outcome, list[TaskSpec]]:
        if tx.get(f"{outbox.COLLECTION}/{entry}") is not None:
            return "duplicate", []
        specs = body(tx)
        # the processed record and the outbox entry of this step are one document (issue 12)
        outbox.record(tx, specs, now, entry, KEEP_PROCESSED, step=step)
        return "done", specs

    outcome, specs = deps.store.transact(tx_fn, 10)
    if specs:
        outbox.dispatch(deps.store, deps.queue, specs, now, entry)  # never raises; sweep backs it
    log.info("task handled", extra={"step": step, "task": task_id, "outcome": outcome})
    return outcome


def dead_letter(deps: Deps, task_id: str, step: str, reason: str) -> None:
    """Cloud Tasks has no dead-letter queue: keep our own, for the coordinator's digest."""
    now = deps.clock.now()
    deps.store.set(
        f"deadletters/{task_id}",
        {"step": step, "reason": reason[:200], "at": now, "expire_at": now + timedelta(days=90)},
    )
    # the one line every dead letter writes: infra/alerts.tf counts it (issue 19)
    log.error("dead letter written", extra={"step": step, "task": task_id})
