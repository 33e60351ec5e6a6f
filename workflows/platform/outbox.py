"""The transactional outbox: work that must follow a write is recorded with the write.

A step writes its state change and its outbox entry in one Firestore transaction, then dispatches
its tasks. If the instance dies between commit and enqueue, `sweep` finds the pending entries and
sends them. One entry holds all the tasks of one commit (one write, issue 12), named by their task
names, so recording the same work twice is one entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from shared import logs
from shared.ports import Store, TaskQueue, TaskSpec, TransientError, Tx, Where

log = logs.get_logger(__name__)
COLLECTION = "outbox"
R = TypeVar("R")


# A sent or never-due entry is kept this long after it was due, then TTL removes it. Counted from
# when it is due, not when it was written (issue 8: the survey, due in 60 days, was deleted at 14).
KEEP = timedelta(days=14)


def entry_id(specs: Sequence[TaskSpec]) -> str:
    """One entry per commit, named by its tasks' names: a retried commit writes the same entry."""
    if len(specs) == 1:
        return specs[0].name
    joined = "|".join(sorted(spec.name for spec in specs))
    return hashlib.sha256(joined.encode()).hexdigest()[:40]


def _due(spec: TaskSpec, now: datetime) -> datetime:
    return spec.schedule_at or now


def step_entry(task_id: str) -> str:
    """The entry of a task step's commit: also its processed-task record (workflows/platform/steps.py)."""
    return f"step-{task_id}"


def record(
    tx: Tx,
    specs: Sequence[TaskSpec],
    now: datetime,
    entry: str | None = None,
    keep: timedelta = KEEP,
    **extra: Any,
) -> str | None:
    """The work of one commit in one document (issue 12: one write, not one per task), each task
    under its name with its own due time; `pending` lists what is still to be sent. With `entry`
    the document is written even without tasks, under that name, with `extra` fields: a task
    step's processed record and its outbox entry are one document."""
    if not specs and entry is None:
        return None
    entry = entry or entry_id(specs)
    latest = max([now, *(_due(spec, now) for spec in specs)])
    tx.set(
        f"{COLLECTION}/{entry}",
        {
            **extra,
            "tasks": {
                spec.name: {
                    "queue": spec.queue,
                    "target": spec.target,
                    "body": spec.body,
                    "schedule_at": spec.schedule_at,
                    "due_at": _due(spec, now),
                }
                for spec in specs
            },
            "pending": sorted(spec.name for spec in specs),
            # who the tasks are about, so erasure finds them (issue 18)
            "subjects": subjects(specs),
            "due_at": min((_due(spec, now) for spec in specs), default=now),
            "status": "pending" if specs else "sent",
            "created_at": now,
            "expire_at": max(latest + KEEP, now + keep),
        },
    )
    return entry


SUBJECT_FIELDS = ("inquiry_id", "subject_id", "recipient_id")


def subjects(specs: Sequence[TaskSpec]) -> list[str]:
    return sorted({str(v) for spec in specs for k in SUBJECT_FIELDS if (v := spec.body.get(k))})


def forget(
    tx: Tx,
    entries: dict[str, dict[str, Any] | None],
    person: str,
    processed_keep: timedelta = timedelta(days=30),
) -> None:
    """Erasure (issue 18): drop every task of these entries that names the person (it would find
    nobody and do nothing) and the person from `subjects`; the rest of each entry stays, and is
    kept as long as what is left needs (a far task of the person's no longer holds it a year:
    the registry's rule, seen on a 90-day period). `processed_keep`: a step's processed record's
    own minimum (workflows/platform/steps.py KEEP_PROCESSED)."""
    for path, doc in entries.items():
        if doc is None:
            continue
        tasks = {
            name: t
            for name, t in (doc.get("tasks") or {}).items()
            if not any((t.get("body") or {}).get(k) == person for k in SUBJECT_FIELDS)
        }
        pending = [n for n in doc.get("pending") or [] if n in tasks]
        update: dict[str, Any] = {
            "tasks": tasks,
            "pending": pending,
            "subjects": [x for x in doc.get("subjects") or [] if x != person],
            "status": "pending" if pending else "sent",
        }
        created = doc.get("created_at")
        if isinstance(created, datetime) and len(tasks) < len(doc.get("tasks") or {}):
            dues = [t["due_at"] for t in tasks.values() if isinstance(t.get("due_at"), datetime)]
            floor = created + (processed_keep if doc.get("step") else KEEP)
            update["expire_at"] = max([floor, *(d + KEEP for d in dues)])
        tx.update(path, update)


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
        record(tx, specs, now)
        return result, specs

    result, specs = store.transact(tx_fn, attempts)
    if dispatch_now and specs:
        # never raises: what it cannot send, sweep sends
        dispatch(store, queue, specs, now, entry_id(specs))
    return result


def pending_specs(doc: dict[str, Any]) -> list[TaskSpec]:
    """The tasks of an outbox entry that are still to be sent."""
    tasks = doc.get("tasks") or {}
    out = []
    for name in doc.get("pending") or []:
        t = tasks.get(name)
        if not isinstance(t, dict):
            continue
        schedule_at = t.get("schedule_at")
        out.append(
            TaskSpec(
                queue=str(t["queue"]),
                target=str(t["target"]),
                name=str(name),
                body=dict(t["body"]),
                schedule_at=schedule_at if isinstance(schedule_at, datetime) else None,
            )
        )
    return out


# Cloud Tasks refuses a schedule_time more than 30 days ahead: such entries wait in the outbox
# until sweep finds them within reach (e.g. the survey, sent 60 days after a group starts).
MAX_AHEAD = timedelta(days=29)


def due(spec: TaskSpec, now: datetime) -> bool:
    return spec.schedule_at is None or spec.schedule_at <= now + MAX_AHEAD


def dispatch(
    store: Store,
    queue: TaskQueue,
    specs: Sequence[TaskSpec],
    now: datetime,
    entry: str,
) -> int:
    """Enqueue what is due, then mark the entry once: what is left (not yet due, or failed) stays
    pending for sweep. Returns how many were enqueued and marked; it never raises."""
    sent: list[str] = []
    for spec in specs:
        if not due(spec, now):
            continue  # stays pending; sweep enqueues it when it comes within reach
        try:
            queue.enqueue(spec)
        except Exception:
            log.warning("outbox dispatch deferred to sweep", extra={"task": spec.name})
            continue
        sent.append(spec.name)
    if not sent:
        return 0
    left = [spec for spec in specs if spec.name not in sent]
    mark: dict[str, Any] = {
        "pending": sorted(spec.name for spec in left),
        "status": "pending" if left else "sent",
        "sent_at": now,
    }
    if left:
        mark["due_at"] = min(_due(spec, now) for spec in left)
    try:
        # A failed mark only means sweep enqueues them again: the task names de-duplicate them in
        # Cloud Tasks, and the handlers are idempotent anyway (issue 8: no 500 after the commit).
        store.set(f"{COLLECTION}/{entry}", mark, merge=True)
    except Exception:
        log.warning("outbox mark deferred to sweep", extra={"task": entry})
        return 0
    return len(sent)


def redrive(store: Store, queue: TaskQueue, now: datetime, min_age: timedelta) -> int:
    """Send entries that stayed pending longer than `min_age` (their dispatcher died)."""
    pending = store.query(
        COLLECTION,
        [Where("status", "==", "pending"), Where("due_at", "<=", now + MAX_AHEAD)],
        order_by="due_at",
        limit=500,
    )
    sent = missed = 0
    for entry, doc in pending:
        created = doc.get("created_at")
        if not isinstance(created, datetime) or created > now - min_age:
            continue  # young: its own dispatcher may still be at it
        specs = pending_specs(doc)
        ready = [spec for spec in specs if due(spec, now)]
        done = dispatch(store, queue, specs, now, entry)
        sent += done
        missed += len(ready) - done
    if missed:
        raise TransientError(f"{missed} outbox tasks still pending")
    return sent
