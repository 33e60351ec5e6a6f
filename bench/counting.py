"""A Store wrapper that counts Firestore document reads and writes (benchmarks only)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from shared.ports import Doc, Store, TaskSpec, Tx, Where

T = TypeVar("T")


@dataclass
class Counts:
    reads: int = 0
    writes: int = 0


class _CountingTx:
    def __init__(self, tx: Tx, counts: Counts) -> None:
        self._tx, self._c = tx, counts

    def get(self, path: str) -> Doc | None:
        found = self._tx.get(path)  # counted once it happened (a write-only try raises first)
        self._c.reads += 1
        return found

    def get_many(self, paths: Sequence[str]) -> dict[str, Doc | None]:
        found = self._tx.get_many(paths)
        self._c.reads += len(paths)
        return found

    def create(self, path: str, data: Doc) -> None:
        self._c.writes += 1
        self._tx.create(path, data)

    def set(self, path: str, data: Doc, merge: bool = False) -> None:
        self._c.writes += 1
        self._tx.set(path, data, merge)

    def update(self, path: str, data: Doc) -> None:
        self._c.writes += 1
        self._tx.update(path, data)

    def delete(self, path: str) -> None:
        self._c.writes += 1
        self._tx.delete(path)

    def increment(self, path: str, counts: dict[str, int]) -> None:
        self._c.writes += 1
        self._tx.increment(path, counts)


@dataclass
class CountingStore:
    inner: Store
    counts: Counts = field(default_factory=Counts)

    def transact(self, fn: Callable[[Tx], T], attempts: int = 10) -> T:
        return self.inner.transact(lambda tx: fn(_CountingTx(tx, self.counts)), attempts)

    def get(self, path: str) -> Doc | None:
        self.counts.reads += 1
        return self.inner.get(path)

    def get_many(self, paths: Sequence[str]) -> dict[str, Doc | None]:
        self.counts.reads += len(paths)
        return self.inner.get_many(paths)

    def create(self, path: str, data: Doc) -> None:
        self.counts.writes += 1
        self.inner.create(path, data)

    def set(self, path: str, data: Doc, merge: bool = False) -> None:
        self.counts.writes += 1
        self.inner.set(path, data, merge)

    def delete(self, path: str) -> None:
        self.counts.writes += 1
        self.inner.delete(path)

    def increment(self, path: str, field_name: str, by: int, extra: Doc) -> int:
        self.counts.writes += 1  # the commit returns the new value: no read
        return self.inner.increment(path, field_name, by, extra)

    def query(
        self,
        collection: str,
        where: Sequence[Where] = (),
        order_by: str | None = None,
        limit: int | None = None,
    ) -> list[tuple[str, Doc]]:
        rows = self.inner.query(collection, where, order_by, limit)
        self.counts.reads += max(1, len(rows))  # Firestore bills an empty query as one read
        return rows


@dataclass
class CapturingQueue:
    tasks: list[TaskSpec] = field(default_factory=list)

    def enqueue(self, task: TaskSpec) -> None:
        self.tasks.append(task)
