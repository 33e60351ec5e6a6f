"""Task payloads between the steps of the chain. Ids and kinds only: never a name, contact or text."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    task_id: str = Field(pattern=r"^[a-f0-9]{16,64}$")


class AssembleTask(_Payload):
    reason: Literal["intake", "pretalk", "pool_changed", "dissolved", "sweep"]
    inquiry_id: str | None = None


class NotifyTask(_Payload):
    mail: Literal["receipt", "coordinator_action"]
    subject_id: str


class SweepRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
