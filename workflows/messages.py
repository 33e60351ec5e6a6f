"""Task payloads between the steps of the chain. Ids and kinds only: never a name, contact or text."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MailKind = Literal[
    "receipt",
    "coordinator_pretalk",
    "coordinator_approval",
    "coordinator_alert",
    "coordinator_started",
    "offer",
    "invitation",
    "confirmation",
    "followup_offer",
    "followup_arranged",
    "survey",
]


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    task_id: str = Field(pattern=r"^[a-f0-9]{16,64}$")


class AssembleTask(_Payload):
    reason: Literal["intake", "pretalk", "pool_changed", "dissolved", "sweep"]
    inquiry_id: str | None = None


class ScheduleTask(_Payload):
    kind: Literal["offer", "offer_timeout", "invitation_deadline", "followup", "followup_timeout"]
    group_id: str
    round: int = Field(ge=0)


class NotifyTask(_Payload):
    mail: MailKind
    subject_id: str
    recipient_id: str | None = (
        None  # a member's inquiry id, a facilitator id, or a coordinator index
    )
