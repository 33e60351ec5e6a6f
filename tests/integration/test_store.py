"""The Firestore adapter on the emulator (issue 12): a write-only commit goes as one atomic batch,
a commit that reads is a real transaction, and the rate-limit counter's value comes from its commit."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from shared.ports import AlreadyExists


def test_a_write_only_commit_is_atomic_and_refuses_an_existing_document(deps: Any) -> None:
    store = deps.store
    run = uuid.uuid4().hex
    taken, fresh = f"inquiries/store-{run}-a", f"inquiries/store-{run}-b"
    store.set(taken, {"n": 1})

    def writes(tx: Any) -> str:
        tx.create(fresh, {"n": 2})
        tx.increment(f"stats/store-{run}", {"inquiries": 1})
        tx.create(taken, {"n": 3})  # exists: the whole commit fails
        return "written"

    with pytest.raises(AlreadyExists):
        store.transact(writes)
    assert store.get(fresh) is None and store.get(f"stats/store-{run}") is None
    assert store.get(taken) == {"n": 1}

    def counts(tx: Any) -> int:
        tx.increment(f"stats/store-{run}", {"inquiries": 2, "topic.general": 1})
        tx.set(fresh, {"n": 4})
        return 7

    assert store.transact(counts) == 7
    assert store.get(f"stats/store-{run}") == {"inquiries": 2, "topic": {"general": 1}}


def test_a_commit_that_reads_runs_as_a_transaction(deps: Any) -> None:
    store = deps.store
    path = f"inquiries/store-{uuid.uuid4().hex}"
    store.set(path, {"n": 1})
    calls: list[int] = []

    def bump(tx: Any) -> int:
        calls.append(1)
        n = int(tx.get(path)["n"]) + 1
        tx.update(path, {"n": n})
        return n

    assert store.transact(bump) == 2 and store.get(path) == {"n": 2}
    assert len(calls) == 2  # stopped at its first read as a batch, then ran in the transaction


def test_the_counter_answers_its_new_value(deps: Any) -> None:
    path = f"ratelimits/store-{uuid.uuid4().hex}"
    values = [deps.store.increment(path, "count", 1, {"expire_at": None}) for _ in range(3)]
    assert values == [1, 2, 3]
    assert deps.store.increment(path, "count", 5, {}) == 8
    assert deps.store.get(path)["count"] == 8
