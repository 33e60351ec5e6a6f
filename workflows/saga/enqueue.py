"""The follow-up work a saga transition records with its commit: task builders for the notify,
schedule and assemble queues. Ids are hashes of named parts (kind, group, round, step; issue 8)."""

from __future__ import annotations

from datetime import datetime

from shared.ports import TaskSpec
from workflows.platform import chain
from workflows.platform.messages import AssembleTask, NotifyTask, ScheduleTask
from workflows.platform.runtime import Deps


def notify(
    deps: Deps,
    mail: str,
    subject: str,
    recipient: str | None = None,
    salt: str = "",
    at: datetime | None = None,
    version: int = 0,
) -> TaskSpec:
    return chain.task_for(
        deps.settings.queue_prefix,
        "notify",
        NotifyTask(
            task_id=chain.task_id("notify", mail, subject, recipient or "", salt),
            mail=mail,
            subject_id=subject,
            recipient_id=recipient,
            version=version,
        ),
        schedule_at=at,
    )


def schedule(
    deps: Deps,
    kind: str,
    group_id: str,
    rnd: int = 0,
    at: datetime | None = None,
    step: int = 0,
) -> TaskSpec:
    """A task about a group; its id names kind, group, round and step separately (issue 8)."""
    return chain.task_for(
        deps.settings.queue_prefix,
        "schedule",
        ScheduleTask(
            task_id=chain.task_id(
                "schedule", kind, f"group={group_id}", f"round={rnd}", f"step={step}"
            ),
            kind=kind,
            group_id=group_id,
            round=rnd,
            step=step,
        ),
        schedule_at=at,
    )


def assemble(deps: Deps, reason: str, salt: str) -> TaskSpec:
    return chain.task_for(
        deps.settings.queue_prefix,
        "assemble",
        AssembleTask(task_id=chain.task_id("assemble", reason, salt), reason=reason),
    )
