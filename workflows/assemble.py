"""assemble: move a new inquiry into the queue it belongs in.

With pre-talk required (the demo centre), a new inquiry waits for the coordinator's pre-talk;
otherwise it goes straight into the pool of waiting people, keeping its original queue time.
"""

from __future__ import annotations

from shared.ports import TaskSpec, Tx
from workflows.messages import AssembleTask
from workflows.runtime import Deps
from workflows.steps import Outcome, run_once


def handle(deps: Deps, task: AssembleTask) -> Outcome:
    def body(tx: Tx) -> list[TaskSpec]:
        if task.inquiry_id is None:
            return []
        path = f"inquiries/{task.inquiry_id}"
        inquiry = tx.get(path)
        if inquiry is None or inquiry.get("status") != "received":
            return []  # erased, or already moved by an earlier delivery
        status = "awaiting_pretalk" if deps.centre.centre.require_pretalk else "waiting"
        tx.update(path, {"status": status})
        return []

    return run_once(deps, task.task_id, "assemble", body)
