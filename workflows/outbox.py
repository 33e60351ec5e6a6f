"""The transactional outbox: work that must follow a write is recorded with the write.

A step writes its state change and its outbox entries in one Firestore transaction, then dispatches
them. If the instance dies between commit and enqueue, `sweep` finds the pending entries and sends
them. Entries are keyed by the task name, so recording the same work twice is one entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TypeVar

from shared import logs
from shared.ports import Store, TaskQueue, TaskSpec, TransientError, Tx, Where

log = logs.get_logger(__name__)
COLLECTION = "outbox"
R = TypeVar("R")


# A sent or never-due entry is kept this long after it was due, then TTL removes it. Counted from
# when it is due, not when it was written (issue 8: the survey, due in 60 days, was deleted at 14).
KEEP = timedelta(days=14)


def record(tx: Tx, spec: TaskSpec, now: datetime) -> None:
    due_at = spec.schedule_at or now
    tx.set(
        f"{COLLECTION}/{spec.name}",
        {
            "queue": spec.queue,
            "target": spec.target,
            "body": spec.body,
            "schedule_at": spec.schedule_at,
            "due_at": due_at,
            "status": "pending",
            "created_at": now,
            "expire_at": max(due_at, now) + KEEP,
        },
    )


def commit(
    store: Store,
    queue: TaskQueue,
    now: datetime,
    fn: Callable[[Tx], tuple[R, list[TaskSpec]]],
    *,
    attempts: int = 10,
    dispatch_now: bool = True,
) -> R:
    """The one way a step changes state: `fn` writes the change and returns the work that must
    follow it; that work is recorded in the outbox in the same transaction, then dispatched."""

    def tx_fn(tx: Tx) -> tuple[R, list[TaskSpec]]:
        result, specs = fn(tx)
        for spec in specs:
            record(tx, spec, now)
        return result, specs

    result, specs = store.transact(tx_fn, attempts)
    if dispatch_now:
        dispatch(store, queue, specs, now)  # never raises: what it cannot send, sweep sends
    return result


def spec_from_doc(name: str, doc: dict[str, object]) -> TaskSpec:
    body = doc["body"]
    assert isinstance(body, dict)
    schedule_at = doc.get("schedule_at")
    return TaskSpec(
        queue=str(doc["queue"]),
        target=str(doc["target"]),
        name=name,
        body=body,
        schedule_at=schedule_at if isinstance(schedule_at, datetime) else None,
    )


# Cloud Tasks refuses a schedule_time more than 30 days ahead: such entries wait in the outbox
# until sweep finds them within reach (e.g. the survey, sent 60 days after a group starts).
MAX_AHEAD = timedelta(days=29)


def due(spec: TaskSpec, now: datetime) -> bool:
    return spec.schedule_at is None or spec.schedule_at <= now + MAX_AHEAD


def dispatch(store: Store, queue: TaskQueue, specs: Iterable[TaskSpec], now: datetime) -> int:
    """Enqueue and mark sent. A failure leaves the entry pending for sweep; it never raises."""
    sent = 0
    for spec in specs:
        if not due(spec, now):
            continue  # stays pending; sweep enqueues it when it comes within reach
        try:
            queue.enqueue(spec)
            # A failed mark only means sweep enqueues it again: the task name de-duplicates it in
            # Cloud Tasks, and the handler is idempotent anyway (issue 8: no 500 after the commit).
            store.set(f"{COLLECTION}/{spec.name}", {"status": "sent", "sent_at": now}, merge=True)
        except Exception:
            log.warning("outbox dispatch deferred to sweep", extra={"task": spec.name})
            continue
        sent += 1
    return sent


def redrive(store: Store, queue: TaskQueue, now: datetime, min_age: timedelta) -> int:
    """Send entries that stayed pending longer than `min_age` (their dispatcher died)."""
    pending = store.query(
        COLLECTION,
        [Where("status", "==", "pending"), Where("due_at", "<=", now + MAX_AHEAD)],
        order_by="due_at",
        limit=500,
    )
    stuck = [
        spec_from_doc(name, doc)
        for name, doc in pending
        if isinstance(doc.get("created_at"), datetime) and doc["created_at"] <= now - min_age
    ]
    sent = dispatch(store, queue, stuck, now)
    if sent != len(stuck):
        raise TransientError(f"{len(stuck) - sent} outbox entries still pending")
    return sent
