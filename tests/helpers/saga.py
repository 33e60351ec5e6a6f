"""Drive the saga in-process with a capturing queue, to control delivery order and repetition."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta
from typing import Any

from shared.domain import links
from shared.ports import TaskSpec
from workflows.links import actions
from workflows.messaging import notify
from workflows.platform import tokens
from workflows.platform.messages import AssembleTask, NotifyTask, ScheduleTask
from workflows.saga import assemble, schedule


@dataclasses.dataclass
class Capture:
    tasks: list[TaskSpec] = dataclasses.field(default_factory=list)

    def enqueue(self, task: TaskSpec) -> None:
        self.tasks.append(task)


def captured(deps: Any) -> tuple[Any, Capture]:
    q = Capture()
    return dataclasses.replace(deps, queue=q), q


def deliver(deps: Any, spec: TaskSpec) -> Any:
    if spec.target == "assemble":
        return assemble.handle(deps, AssembleTask.model_validate(spec.body))
    if spec.target == "schedule":
        return schedule.handle(deps, ScheduleTask.model_validate(spec.body))
    return notify.handle(deps, NotifyTask.model_validate(spec.body))


def drain(
    deps: Any,
    q: Capture,
    *,
    twice: bool = False,
    reverse: bool = False,
    run_scheduled: bool = False,
) -> list[TaskSpec]:
    """Deliver everything due (scheduled tasks are held back unless asked); returns what was held."""
    held: list[TaskSpec] = []
    while q.tasks:
        batch, q.tasks = q.tasks, []
        if reverse:
            batch.reverse()
        for spec in batch:
            if spec.schedule_at is not None and not run_scheduled:
                held.append(spec)
                continue
            for _ in range(2 if twice else 1):
                deliver(deps, spec)
    return held


def act(
    deps: Any, token_id: str, action: str, form: dict[str, list[str]] | None = None
) -> actions.Page:
    expires = tokens.link_expiry(deps.store.get, token_id, key=deps.settings.link_signing_key)
    assert expires is not None, token_id
    signed = links.sign(deps.settings.link_signing_key, token_id, expires)
    return actions.act(deps, signed, {"action": [action], **(form or {})}, "nb")


def waiting_people(
    deps: Any,
    n: int,
    *,
    municipality: str,
    topic: str,
    times: str = "weekday_evening",
    formats: tuple[str, ...] = ("in_person",),
    start_hours_ago: int = 1000,
) -> list[str]:
    """Inquiries already past pre-talk, queued an hour apart (oldest first)."""
    now = deps.clock.now()
    ids = []
    for i in range(n):
        iid = uuid.uuid4().hex
        deps.store.set(
            f"inquiries/{iid}",
            {
                "reference": None,
                "status": "waiting",
                "created_at": now,
                "queued_at": now - timedelta(hours=start_hours_ago - i),
                "municipality": municipality,
                "topics": [topic],
                "formats": list(formats),
                "times": [times],
                "languages": ["no"],
                "travel": [],
                "heard_from": "self",
                "lang": "nb",
                "has_email": True,
            },
        )
        deps.store.set(
            f"people/{iid}",
            {
                "name": f"Testperson{iid[:6]}",
                "email": f"t{iid[:10]}@eksempel.no",
                "phone": None,
                "message": None,
            },
        )
        ids.append(iid)
    return ids
