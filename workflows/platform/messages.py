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
    # after the confirmation (issue 16)
    "calendar",
    "group_message",
    "replace_offer",
    "new_facilitator",
    # the person's own page (issue 17/21)
    "still_waiting",
    "widen_offer",
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
    # a facilitator who drops out is replaced for the remaining meetings (issue 16)
    "replace",
    "replace_timeout",
    # an inquiry's retention deadline
    "inquiry_expiry",
    # waiting (issue 17/21): the 12-week question, the early widening offer, the end of an undo
    "still_waiting",
    "widen_offer",
    "withdrawal_end",
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
    # which version of the recipient's calendar ledger a "calendar" mail sends (issue 16), or
    # a "group_message" mail names its message by subject_id (group_messages/{id})
    version: int = Field(default=0, ge=0)
