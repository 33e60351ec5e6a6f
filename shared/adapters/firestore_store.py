"""The Store port on Google Firestore (the emulator locally, native mode in the cloud)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from google.api_core import exceptions as gexc
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.ports import AlreadyExists, Doc, TransientError, Where

T = TypeVar("T")
_TRANSIENT = (
    gexc.Aborted,
    gexc.DeadlineExceeded,
    gexc.ServiceUnavailable,
    gexc.InternalServerError,
    gexc.TooManyRequests,
)


def nested_increments(counts: dict[str, int]) -> dict[str, Any]:
    """{"a.b": 1} -> {"a": {"b": Increment(1)}}: a merge-set that adds to nested counters."""
    nested: dict[str, Any] = {}
    for dotted, by in counts.items():
        node = nested
        *parents, leaf = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = firestore.Increment(by)
    return nested


class _FirestoreTx:
    def __init__(self, client: firestore.Client, tx: firestore.Transaction) -> None:
        self._client = client
        self._tx = tx
        self._increments: dict[str, dict[str, int]] = {}

    def get(self, path: str) -> Doc | None:
        snap = self._client.document(path).get(transaction=self._tx)
        return snap.to_dict() if snap.exists else None

    def get_many(self, paths: Sequence[str]) -> dict[str, Doc | None]:
        found: dict[str, Doc | None] = dict.fromkeys(paths)
        if not paths:
            return (
                found  # an empty batch read is an error in Firestore (issue 8: offers died on it)
            )
        refs = [self._client.document(p) for p in paths]
        for snap in self._client.get_all(refs, transaction=self._tx):
            if snap.exists:
                found[snap.reference.path] = snap.to_dict()
        return found

    def create(self, path: str, data: Doc) -> None:
        self._tx.create(self._client.document(path), data)

    def set(self, path: str, data: Doc, merge: bool = False) -> None:
        self._tx.set(self._client.document(path), data, merge=merge)

    def update(self, path: str, data: Doc) -> None:
        self._tx.update(self._client.document(path), data)

    def delete(self, path: str) -> None:
        self._tx.delete(self._client.document(path))

    def increment(self, path: str, counts: dict[str, int]) -> None:
        # Buffered: a commit may write a document once, and several steps count into the same one.
        acc = self._increments.setdefault(path, {})
        for key, by in counts.items():
            acc[key] = acc.get(key, 0) + by

    def flush(self) -> None:
        for path, counts in self._increments.items():
            self._tx.set(self._client.document(path), nested_increments(counts), merge=True)
        self._increments.clear()


class _ReadsNeeded(Exception):
    """The function read: it needs a real transaction, not an atomic batch."""


class _WriteOnlyTx(_FirestoreTx):
    """A commit that only writes (the intake's) goes as one atomic batched write: one round trip
    instead of begin + commit (issue 12). Its first read sends it to a real transaction."""

    def get(self, path: str) -> Doc | None:
        raise _ReadsNeeded

    def get_many(self, paths: Sequence[str]) -> dict[str, Doc | None]:
        raise _ReadsNeeded


class FirestoreStore:
    def __init__(self, project: str, client: firestore.Client | None = None) -> None:
        self._client = client or firestore.Client(project=project)

    @property
    def client(self) -> firestore.Client:
        return self._client

    def transact(self, fn: Callable[[Any], T], attempts: int = 10) -> T:
        """`fn` runs in a transaction (retried on contention, so it must only act through the
        Tx). If it never reads, its writes go as one atomic batch instead."""

        @firestore.transactional
        def run(tx: firestore.Transaction) -> T:
            wrapped = _FirestoreTx(self._client, tx)
            result = fn(wrapped)
            wrapped.flush()
            return result

        try:
            batch = self._client.batch()
            writes = _WriteOnlyTx(self._client, batch)  # type: ignore[arg-type]
            try:
                written: T = fn(writes)
            except _ReadsNeeded:  # it reads: a real transaction, retried on contention
                result: T = run(self._client.transaction(max_attempts=attempts))
                return result
            writes.flush()
            batch.commit()
            return written
        except _TRANSIENT as exc:
            # First: Aborted (lock contention) is a subclass of Conflict, and is worth a retry,
            # not an "already exists" (issue 8).
            raise TransientError(str(exc)) from exc
        except gexc.Conflict as exc:
            raise AlreadyExists(str(exc)) from exc
        except ValueError as exc:  # the client's "failed to commit after N attempts"
            if "attempts" in str(exc):
                raise TransientError(str(exc)) from exc
            raise

    def get(self, path: str) -> Doc | None:
        snap = self._client.document(path).get()
        return snap.to_dict() if snap.exists else None

    def get_many(self, paths: Sequence[str]) -> dict[str, Doc | None]:
        found: dict[str, Doc | None] = dict.fromkeys(paths)
        if paths:
            for snap in self._client.get_all([self._client.document(p) for p in paths]):
                if snap.exists:
                    found[snap.reference.path] = snap.to_dict()
        return found

    def create(self, path: str, data: Doc) -> None:
        try:
            self._client.document(path).create(data)
        except gexc.Conflict as exc:
            raise AlreadyExists(path) from exc

    def set(self, path: str, data: Doc, merge: bool = False) -> None:
        self._client.document(path).set(data, merge=merge)

    def delete(self, path: str) -> None:
        self._client.document(path).delete()

    def increment(self, path: str, field_name: str, by: int, extra: Doc) -> int:
        """Atomic counter without a transaction (no contention aborts under a burst)."""
        ref = self._client.document(path)
        written = ref.set({field_name: firestore.Increment(by), **extra}, merge=True)
        # the commit answers with the counter's new value: no second round trip to read it
        (value,) = written.transform_results
        return int(value.integer_value)

    def query(
        self,
        collection: str,
        where: Sequence[Where] = (),
        order_by: str | None = None,
        limit: int | None = None,
    ) -> list[tuple[str, Doc]]:
        q: Any = self._client.collection(collection)
        for w in where:
            q = q.where(filter=FieldFilter(w.field, w.op, w.value))
        if order_by:
            q = q.order_by(order_by)
        if limit:
            q = q.limit(limit)
        return [(snap.id, snap.to_dict() or {}) for snap in q.stream()]
