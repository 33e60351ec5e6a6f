"""The interfaces the workflows need: a document store with transactions, a task queue, mail, a clock.

Adapters in shared/adapters implement them (Firestore, Cloud Tasks, SES, the outbox folder); the
workflows never import a cloud SDK. A store transaction must do all its reads before its writes
(Firestore's rule), and may be run more than once on contention, so the callable must be pure apart
from the Tx it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
Doc = dict[str, Any]


class TransientError(Exception):
    """Worth retrying (the caller answers 5xx/429 so Cloud Tasks redelivers)."""


class PermanentError(Exception):
    """Retrying cannot help (dead-letter it and answer 2xx)."""


class AlreadyExists(Exception):
    """A create() found the document there already."""


class Tx(Protocol):
    def get(self, path: str) -> Doc | None: ...
    def get_many(self, paths: Sequence[str]) -> dict[str, Doc | None]: ...
    def create(self, path: str, data: Doc) -> None: ...
    def set(self, path: str, data: Doc, merge: bool = False) -> None: ...
    def update(self, path: str, data: Doc) -> None: ...
    def delete(self, path: str) -> None: ...
    def increment(self, path: str, counts: dict[str, int]) -> None:
        """Add to numeric fields (dotted names for nested maps), creating the document if absent."""


@dataclass(frozen=True)
class Where:
    field: str
    op: str  # "==", "<", "<=", ">", ">=", "in", "array_contains"
    value: Any


class Store(Protocol):
    def transact(self, fn: Callable[[Tx], T], attempts: int = 10) -> T: ...
    def get(self, path: str) -> Doc | None: ...
    def get_many(self, paths: Sequence[str]) -> dict[str, Doc | None]: ...
    def create(self, path: str, data: Doc) -> None: ...
    def set(self, path: str, data: Doc, merge: bool = False) -> None: ...
    def delete(self, path: str) -> None: ...
    def increment(self, path: str, field_name: str, by: int, extra: Doc) -> int: ...
    def query(
        self,
        collection: str,
        where: Sequence[Where] = (),
        order_by: str | None = None,
        limit: int | None = None,
    ) -> list[tuple[str, Doc]]: ...


@dataclass(frozen=True)
class TaskSpec:
    """One Cloud Tasks task: which queue, which function, what JSON body, when."""

    queue: str
    target: str  # function name, e.g. "assemble"
    name: str  # deterministic task id (hashed); Cloud Tasks de-duplicates on it
    body: Doc
    schedule_at: datetime | None = None


class TaskQueue(Protocol):
    def enqueue(self, task: TaskSpec) -> None:
        """Create the task. A task that already exists counts as success."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes
    # iTIP (RFC 6047 § 2.4): a calendar invitation's part says its method, equal to the file's
    # METHOD, so Outlook, Gmail and Apple Mail offer it as an invitation (issue 16)
    method: str | None = None


@dataclass(frozen=True)
class OutgoingMail:
    to: str
    subject: str
    text: str
    html: str
    sender: str
    message_key: str  # stable id, also the Message-ID local part: retries never send twice
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)


class Mailer(Protocol):
    def send(self, mail: OutgoingMail) -> None: ...


class Clock(Protocol):
    def now(self) -> datetime: ...


@dataclass(frozen=True)
class OutgoingSms:
    to: str  # E.164
    body: str
    message_key: str  # stable id: the outbox file's name and the send lease's key


class SmsSender(Protocol):
    def send(self, sms: OutgoingSms) -> None: ...


class MeetingRooms(Protocol):
    """A digital group's room (issue 16): shared/domain/rooms.py has the Jitsi, fixed-link and
    no-room kinds. `join_url` is the room's own address for this person now (a Jitsi room with a
    freshly minted token), or None when there is no room to send them to."""

    def needs_room(self) -> bool:
        """Whether each group gets a room name of its own when it is confirmed (Jitsi)."""

    def join_url(self, room: str | None, who: Any, now: datetime) -> str | None: ...
