"""One way to handle a delivered task, used by the task functions (functions/_task.py) and by the
simulated year (bench/world.py), so the simulation exercises the very path Cloud Tasks calls.

2xx on success or duplicate; 503/429 on a transient failure so Cloud Tasks retries; a permanent
failure, or any failure on the queue's last attempt, writes our own dead letter and answers 2xx:
Cloud Tasks has no dead-letter queue and drops a task silently after its last retry (issue 8: an
unexpected exception never reached deadletters/).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from pydantic import BaseModel, ValidationError

from shared import logs
from shared.ports import PermanentError, TransientError
from workflows.platform.messages import AssembleTask, NotifyTask, ScheduleTask
from workflows.platform.runtime import Deps
from workflows.platform.steps import dead_letter

log = logs.get_logger(__name__)

# Mirrors max_attempts of each queue in infra/main.tf (tests/unit/test_infra.py keeps them equal).
MAX_ATTEMPTS: Final[dict[str, int]] = {"assemble": 20, "schedule": 30, "notify": 50}


@dataclass(frozen=True)
class Answer:
    status: int
    outcome: str


def _handlers() -> dict[str, tuple[type[BaseModel], Callable[[Deps, Any], Any]]]:
    from workflows.messaging import notify
    from workflows.saga import assemble, schedule

    return {
        "assemble": (AssembleTask, assemble.handle),
        "schedule": (ScheduleTask, schedule.handle),
        "notify": (NotifyTask, notify.handle),
    }


def handle(deps: Deps, step: str, body: Any, task_name: str, retry_count: int) -> Answer:
    model, handler = _handlers()[step]
    last = retry_count + 1 >= MAX_ATTEMPTS[step]
    try:
        payload = model.model_validate(body)
    except ValidationError:
        dead_letter(deps, task_name[:64] or "unknown", step, "invalid payload")
        log.error("invalid task payload dead-lettered", extra={"task": task_name})
        return Answer(200, "dead_lettered")
    task_id = str(getattr(payload, "task_id", task_name))
    try:
        outcome = handler(deps, payload)
    except PermanentError as exc:
        # the reason says what to fix (e.g. "check SMTP_PASSWORD"); adapters put no personal data in it
        dead_letter(deps, task_id, step, f"{type(exc).__name__}: {exc}")
        log.error("permanent failure dead-lettered", extra={"task": task_name})
        return Answer(200, "dead_lettered")
    except Exception as exc:
        if last:
            dead_letter(deps, task_id, step, f"last attempt: {type(exc).__name__}")
            log.error("failure on the last attempt dead-lettered", extra={"task": task_name})
            return Answer(200, "dead_lettered")
        if isinstance(exc, TransientError):
            log.warning("transient failure; Cloud Tasks will retry", extra={"task": task_name})
            return Answer(503, "retry")
        log.exception("unexpected failure; Cloud Tasks will retry", extra={"task": task_name})
        return Answer(500, "retry")
    if outcome == "busy":
        if last:
            dead_letter(deps, task_id, step, "last attempt: mail lease busy")
            return Answer(200, "dead_lettered")
        return Answer(429, "busy")
    return Answer(200, str(outcome or "nothing_to_do"))
