"""The machinery of the simulated year (bench/world.py runs it): a virtual clock, an agenda of
events in virtual time, a task queue that delivers due tasks through the task functions' own path
(workflows/tasks.py) with duplicates, reordering and retries, crashes injected inside steps (the
nemesis), and Firestore TTL applied as Firestore applies it. Everything else is the real workflow
code on the real Firestore emulator.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import os
import random
import shutil
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from shared.ports import Doc, OutgoingMail, TaskSpec, Tx, Where

# ---------------------------------------------------------------- time


class VirtualClock:
    def __init__(self, start: datetime) -> None:
        self.t = start

    def now(self) -> datetime:
        return self.t


@dataclass(order=True)
class Event:
    at: datetime
    seq: int
    kind: str = field(compare=False)
    data: Any = field(compare=False, default=None)


class Agenda:
    def __init__(self) -> None:
        self._heap: list[Event] = []
        self._seq = itertools.count()

    def push(self, at: datetime, kind: str, data: Any = None) -> None:
        heapq.heappush(self._heap, Event(at, next(self._seq), kind, data))

    def pop(self) -> Event:
        return heapq.heappop(self._heap)

    def peek(self) -> Event | None:
        return self._heap[0] if self._heap else None

    def __len__(self) -> int:
        return len(self._heap)


# ---------------------------------------------------------------- faults


class SimCrash(BaseException):
    """The instance died here. A BaseException, so no `except Exception` in the code catches it:
    nothing after this point runs, as in a real crash."""


class MidTxCrash(Exception):
    """The instance died inside a transaction: nothing of it is committed."""


class Faults:
    """At most one armed crash point per delivery: mid_tx, after_commit, after_send."""

    POINTS = ("mid_tx", "after_commit", "after_send")

    def __init__(self, rng: random.Random, probability: float) -> None:
        self.rng = rng
        self.p = probability
        self.armed: str | None = None
        self.injected: dict[str, int] = dict.fromkeys(self.POINTS, 0)

    def arm(self) -> None:
        self.armed = self.rng.choice(self.POINTS) if self.rng.random() < self.p else None

    def disarm(self) -> None:
        self.armed = None

    def fire(self, point: str) -> bool:
        if self.armed == point:
            self.armed = None
            self.injected[point] += 1
            return True
        return False


class CrashStore:
    """The Store port with crash points: inside the transaction, or right after its commit."""

    def __init__(self, inner: Any, faults: Faults) -> None:
        self._inner = inner
        self._faults = faults

    def transact(self, fn: Callable[[Tx], Any], attempts: int = 10) -> Any:
        if self._faults.fire("mid_tx"):

            def dying(tx: Tx) -> Any:
                fn(tx)
                raise MidTxCrash("died before commit")

            return self._inner.transact(dying, attempts)
        result = self._inner.transact(fn, attempts)
        if self._faults.fire("after_commit"):
            raise SimCrash("died after commit, before the enqueue")
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class RecordingMailer:
    """The real .eml outbox adapter, plus a crash point after the send, plus a record of every
    message that really reached the outbox (for the residents to read, and for the metrics)."""

    def __init__(
        self, inner: Any, directory: Path, faults: Faults, on_mail: Callable[[OutgoingMail], None]
    ) -> None:
        self._inner = inner
        self._dir = directory
        self._faults = faults
        self._on_mail = on_mail
        self.sent = 0

    def send(self, mail: OutgoingMail) -> None:
        existed = (self._dir / f"{mail.message_key}.eml").exists()
        self._inner.send(mail)
        if not existed:
            self.sent += 1
            self._on_mail(mail)
        if self._faults.fire("after_send"):
            raise SimCrash("died after sending, before marking it sent")


# ---------------------------------------------------------------- the task queue

# Cloud Tasks retry settings per queue, as in infra/main.tf.
BACKOFF = {
    "assemble": (2.0, 300.0),
    "schedule": (5.0, 1800.0),
    "notify": (10.0, 3600.0),
}


class SimQueue:
    """The TaskQueue port: at-least-once, unordered, named (a name seen before is "already exists",
    as Cloud Tasks answers within its de-duplication window)."""

    def __init__(
        self, agenda: Agenda, clock: VirtualClock, rng: random.Random, duplicates: float
    ) -> None:
        self.agenda = agenda
        self.clock = clock
        self.rng = rng
        self.duplicates = duplicates
        self.known: set[str] = set()
        self.pending: dict[str, TaskSpec] = {}
        self.enqueued = 0
        self.duplicated = 0

    def enqueue(self, task: TaskSpec) -> None:
        if task.name in self.known:
            return
        self.known.add(task.name)
        self.pending[task.name] = task
        self.enqueued += 1
        now = self.clock.now()
        at = max(now, task.schedule_at or now) + timedelta(seconds=self.rng.uniform(0.5, 90))
        self.agenda.push(at, "task", (task, 0))
        if self.rng.random() < self.duplicates:
            self.duplicated += 1
            later = at + timedelta(seconds=self.rng.uniform(0.1, 900))
            self.agenda.push(later, "task", (task, 0))

    def retry_at(self, task: TaskSpec, attempt: int) -> datetime:
        low, high = BACKOFF[task.target]
        return self.clock.now() + timedelta(seconds=min(high, low * 2**attempt))


# ---------------------------------------------------------------- Firestore TTL

TTL_COLLECTIONS = (
    "people",
    "inquiries",
    "tokens",
    "ratelimits",
    "submissions",
    "outbox",
    "mail",
    "deadletters",
    "surveys",
    "groups",
    "facilitator_bookings",
    # issue 18: they set expire_at too (the console's log, sessions and sign-in links)
    "audit",
    "console_sessions",
    "console_logins",
    "group_messages",
    "join_links",
)
TTL_DELAY = timedelta(hours=18)  # Firestore: "typically within 24 hours after expiration"


def apply_ttl(
    store: Any,
    now: datetime,
    delay_of: Callable[[str], timedelta],
    on_delete: Callable[[str, str, Doc], None],
) -> int:
    """Delete what Firestore's TTL policy would have deleted by now (infra/main.tf lists the same
    collections); each document gets its own delay within the day."""
    deleted = 0
    for collection in TTL_COLLECTIONS:
        for doc_id, doc in store.query(collection, [Where("expire_at", "<=", now)]):
            if doc["expire_at"] + delay_of(doc_id) > now:
                continue
            on_delete(collection, doc_id, doc)
            store.delete(f"{collection}/{doc_id}")
            deleted += 1
    return deleted


# ---------------------------------------------------------------- an emulator of its own


@contextlib.contextmanager
def firestore_emulator(log_dir: Path, import_data: Path | None = None) -> Iterator[str]:
    """Start the Firestore emulator on a free port (unless FIRESTORE_EMULATOR_HOST is set), or a
    fresh one from an export's metadata file (the restore drill)."""
    existing = os.environ.get("FIRESTORE_EMULATOR_HOST")
    if existing and import_data is None:
        yield existing
        return
    from scripts.stack import _die_with_parent, free_port, wait_http

    if shutil.which("gcloud") is None:
        raise SystemExit("the Firestore emulator needs the gcloud CLI: see README § Local stack")
    port = free_port()
    log_dir.mkdir(parents=True, exist_ok=True)
    with open(log_dir / "firestore-sim.log", "ab") as log:
        proc = subprocess.Popen(
            [
                "gcloud",
                "emulators",
                "firestore",
                "start",
                f"--host-port=127.0.0.1:{port}",
                *([f"--import-data={import_data}"] if import_data else []),
                "--quiet",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    try:
        wait_http(f"http://127.0.0.1:{port}/", 90, proc)
        os.environ["FIRESTORE_EMULATOR_HOST"] = f"127.0.0.1:{port}"
        yield f"127.0.0.1:{port}"
    finally:
        os.environ.pop("FIRESTORE_EMULATOR_HOST", None)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=15)


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return float(ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo))


@contextlib.contextmanager
def repeatable(seed: int) -> Iterator[None]:
    """The same seed gives the same year (issue 20: two runs of one seed used to part after weeks).

    Two things besides the seeded generators made runs differ: random document and token ids
    (uuid4, secrets), which set the order of query results and so the order the seeded generator
    is drawn in; and the order in which the emulator returns a map's keys (a group's members),
    which sets the order tasks are enqueued. Inside a simulation only, ids come from a generator of
    their own and every document is read with its maps' keys sorted. The workflow code is unchanged.
    """
    import base64
    import secrets
    import uuid

    from google.cloud.firestore_v1.base_document import DocumentSnapshot

    ids = random.Random(f"ids-{seed}")

    def _sorted(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: _sorted(v[k]) for k in sorted(v)}
        if isinstance(v, list):
            return [_sorted(x) for x in v]
        return v

    real_to_dict = DocumentSnapshot.to_dict

    def to_dict(self: DocumentSnapshot) -> Any:
        d = real_to_dict(self)
        return None if d is None else _sorted(d)

    patches: list[tuple[Any, str, Any]] = [
        (uuid, "uuid4", lambda: uuid.UUID(int=ids.getrandbits(128), version=4)),
        (
            secrets,
            "token_urlsafe",
            lambda n=32: base64.urlsafe_b64encode(ids.randbytes(n)).rstrip(b"=").decode(),
        ),
        (secrets, "token_hex", lambda n=32: ids.randbytes(n).hex()),
        (secrets, "token_bytes", lambda n=32: ids.randbytes(n)),
        (secrets, "choice", lambda seq: seq[ids.randrange(len(seq))]),
        (DocumentSnapshot, "to_dict", to_dict),
    ]
    saved = [(obj, name, getattr(obj, name)) for obj, name, _ in patches]
    for obj, name, value in patches:
        setattr(obj, name, value)
    try:
        yield
    finally:
        for obj, name, value in saved:
            setattr(obj, name, value)
