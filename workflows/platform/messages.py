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
    "reminder",
]


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    task_id: str = Field(pattern=r"^[a-f0-9]{16,64}$")


class AssembleTask(_Payload):
    reason: Literal["intake", "pretalk", "pool_changed", "dissolved", "sweep"]
    inquiry_id: str | None = None


ScheduleKind = Literal[
    # staffing
    "offer",
    "offer_timeout",
    "restaff",
    "approval_deadline",
    # invitations
    "invitation_deadline",
    # the running group
    "first_meeting",
    "facilitation_over",
    "auto_close",
    "followup_auto",
    "followup",
    "followup_timeout",
    "forget_members",
    # an inquiry's retention deadline
    "inquiry_expiry",
]


class ScheduleTask(_Payload):
    """A deadline or a next step. `round` counts offers (or follow-up requests); `step` counts the
    attempts within one round (issue 8: separate named parts, never packed into one number)."""

    kind: ScheduleKind
    group_id: str | None = None
    inquiry_id: str | None = None
    round: int = Field(default=0, ge=0)
    step: int = Field(default=0, ge=0)


class NotifyTask(_Payload):
    mail: MailKind
    subject_id: str
    recipient_id: str | None = (
        None  # a member's inquiry id, a facilitator id, or a coordinator index
    )
