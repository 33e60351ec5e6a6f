"""Which step feeds which queue, and how a task is named.

One Cloud Tasks queue per hop (issue 5 mirrors this in infra/; tests/integration/test_infra.py keeps
the two in agreement). Task names are a hash of what the task is about, so the same work enqueued
twice has one name.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Final

from pydantic import BaseModel

from shared.ports import TaskSpec

# step (function name) -> queue suffix; the deployed queue is f"{prefix}-{suffix}"
QUEUES: Final[dict[str, str]] = {
    "assemble": "assemble",
    "schedule": "schedule",
    "notify": "notify",
}


def task_id(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:40]


def queue_name(prefix: str, step: str) -> str:
    return f"{prefix}-{QUEUES[step]}"


def task_for(
    prefix: str, step: str, payload: BaseModel, schedule_at: datetime | None = None
) -> TaskSpec:
    body = payload.model_dump(mode="json")
    return TaskSpec(
        queue=queue_name(prefix, step),
        target=step,
        name=str(body["task_id"]),
        body=body,
        schedule_at=schedule_at,
    )
