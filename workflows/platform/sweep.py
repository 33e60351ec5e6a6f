"""sweep (Cloud Scheduler): re-drive outbox entries whose dispatcher died. Idempotent."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from shared.ports import TransientError
from workflows.platform import chain, outbox
from workflows.platform.messages import AssembleTask
from workflows.platform.runtime import Deps

MIN_AGE = timedelta(seconds=30)


def run(deps: Deps, min_age: timedelta = MIN_AGE) -> dict[str, int]:
    now = deps.clock.now()
    sent = outbox.redrive(deps.store, deps.queue, now, min_age)
    # Re-match the pool now and then, so nobody waits on a trigger that was lost to a race.
    bucket = now.strftime("%Y%m%d%H") + str(now.minute // 10)
    spec = chain.task_for(
        deps.settings.queue_prefix,
        "assemble",
        AssembleTask(task_id=chain.task_id("sweep", bucket), reason="sweep"),
    )
    with contextlib.suppress(TransientError):  # the next sweep will try again
        deps.queue.enqueue(spec)
    return {"redriven": sent}
