"""sweep (Cloud Scheduler): re-drive outbox entries whose dispatcher died. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from workflows import outbox
from workflows.runtime import Deps

MIN_AGE = timedelta(seconds=30)


def run(deps: Deps, min_age: timedelta = MIN_AGE) -> dict[str, int]:
    sent = outbox.redrive(deps.store, deps.queue, deps.clock.now(), min_age)
    return {"redriven": sent}
