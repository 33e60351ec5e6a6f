"""The outbox and the task handlers against the Firestore and Cloud Tasks emulators."""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests

from shared.ports import TaskSpec, TransientError
from tests.conftest import wait_for
from tests.helpers.people import mails_to, person
from workflows import intake
from workflows.intake import inquiry_by_reference
from workflows.platform import outbox, sweep
from workflows.platform.messages import AssembleTask, NotifyTask
from workflows.platform.outbox import step_entry


class CrashingQueue:
    """The instance dies between the Firestore commit and the enqueue."""

    def __init__(self) -> None:
        self.attempts = 0

    def enqueue(self, task: TaskSpec) -> None:
        self.attempts += 1
        raise TransientError("instance died before enqueue")


def test_crash_between_write_and_enqueue_is_recovered_by_sweep(deps: Any, outbox: Path) -> None:
    crashing = dataclasses.replace(deps, queue=CrashingQueue())
    body = person()
    result = intake.submit(crashing, body, "nb")
    assert isinstance(result, intake.Accepted) and result.inquiry_id
    # one outbox entry holds the commit's three tasks (issue 12: one write, not three)
    (entry,) = [
        (name, doc)
        for name, doc in deps.store.query("outbox", [])
        if any(
            t["body"].get("inquiry_id") == result.inquiry_id
            or t["body"].get("subject_id") == result.inquiry_id
            for t in doc["tasks"].values()
        )
    ]
    entry_name, doc = entry
    pending = [n for n, t in doc["tasks"].items() if t.get("schedule_at") is None]
    # with them: the retention deadline, the 12-week question and the early widening (issue 17)
    assert len(pending) == 2 and len(doc["tasks"]) == 5 and doc["status"] == "pending"
    later_kinds = sorted(
        t["body"]["kind"] for t in doc["tasks"].values() if t.get("schedule_at") is not None
    )
    assert later_kinds == ["inquiry_expiry", "still_waiting", "widen_offer"]
    # the retention deadline waits in the outbox a year, and its entry outlives it (issue 8)
    (later,) = [
        t
        for t in doc["tasks"].values()
        if t.get("schedule_at") is not None and t["body"]["kind"] == "inquiry_expiry"
    ]
    created = deps.store.get(f"inquiries/{result.inquiry_id}")["created_at"]
    days = deps.centre.retention.unplaced_days
    assert later["body"]["kind"] == "inquiry_expiry"
    assert later["due_at"] == created + timedelta(days=days)
    assert doc["expire_at"] == created + timedelta(days=days + 14)
    assert sorted(doc["pending"]) == sorted(doc["tasks"])
    assert crashing.queue.attempts == 2
    # nothing happened downstream yet
    assert deps.store.get(f"inquiries/{result.inquiry_id}")["status"] == "received"
    assert mails_to(outbox, body["email"]) == []
    # a young entry is left alone (its own dispatcher may still be at it) ...
    assert sweep.run(deps, min_age=timedelta(hours=1))["redriven"] == 0
    # ... a stuck one is re-driven, once
    assert sweep.run(deps, min_age=timedelta(0))["redriven"] >= 2
    after = deps.store.get(f"outbox/{entry_name}")
    # the two due now were sent; the deadlines beyond Cloud Tasks' reach stay pending, and the
    # earliest of them (the early widening, 60 days) sets the entry's due
    assert after["status"] == "pending" and after["pending"] == [
        n for n in sorted(doc["tasks"]) if n not in pending
    ]
    assert after["due_at"] == min(
        t["due_at"] for t in doc["tasks"].values() if t.get("schedule_at") is not None
    )
    wait_for(
        lambda: deps.store.get(f"inquiries/{result.inquiry_id}")["status"] == "awaiting_pretalk"
    )
    wait_for(lambda: mails_to(outbox, body["email"]))
    # a second sweep, and a re-enqueue of the same work, change nothing
    sweep.run(deps, min_age=timedelta(0))
    for name in pending:
        t = doc["tasks"][name]
        deps.queue.enqueue(TaskSpec(t["queue"], t["target"], name, t["body"]))
    wait_for(
        lambda: all(
            deps.store.get(f"outbox/{step_entry(n)}")
            for n in pending
            if doc["tasks"][n]["target"] == "assemble"
        )
    )
    import time

    time.sleep(2)
    assert len(mails_to(outbox, body["email"])) == 1


def test_sweep_endpoint_answers(stack: Any) -> None:
    r = requests.post(f"{stack.base_url}/sweep", json={}, timeout=30)
    assert r.status_code == 200 and "redriven" in r.json()


def test_task_delivered_twice_has_one_effect(
    stack: Any, deps: Any, client_ip: str, outbox: Path
) -> None:
    deps_no_dispatch = dataclasses.replace(
        deps, settings=deps.settings.model_copy(update={"dispatch_inline": False})
    )
    body = person()
    result = intake.submit(deps_no_dispatch, body, "nb")
    assert isinstance(result, intake.Accepted) and result.inquiry_id
    from workflows.platform import chain

    assemble = AssembleTask(
        task_id=chain.task_id("intake", result.inquiry_id, "assemble"),
        reason="intake",
        inquiry_id=result.inquiry_id,
    )
    receipt = NotifyTask(
        task_id=chain.task_id("intake", result.inquiry_id, "receipt"),
        mail="receipt",
        subject_id=result.inquiry_id,
    )
    answers = []
    for _ in range(2):
        for step, task in (("notify", receipt), ("assemble", assemble)):
            r = requests.post(
                f"{stack.base_url}/{step}", json=task.model_dump(mode="json"), timeout=30
            )
            answers.append((step, r.status_code, r.json()["outcome"]))
    assert answers[:2] == [("notify", 200, "sent"), ("assemble", 200, "done")]
    assert answers[2:] == [("notify", 200, "already_sent"), ("assemble", 200, "duplicate")]
    assert len(mails_to(outbox, body["email"])) == 1
    assert deps.store.get(f"inquiries/{result.inquiry_id}")["status"] == "awaiting_pretalk"


def test_invalid_task_payload_is_dead_lettered_not_retried(stack: Any, deps: Any) -> None:
    r = requests.post(
        f"{stack.base_url}/assemble",
        json={"task_id": "zz", "reason": "nope"},
        headers={"X-CloudTasks-TaskName": "badtask123"},
        timeout=10,
    )
    assert r.status_code == 200 and r.json()["outcome"] == "dead_lettered"
    assert deps.store.get("deadletters/badtask123")["step"] == "assemble"


def test_fifty_concurrent_submissions(stack: Any, deps: Any) -> None:
    def one(i: int) -> requests.Response:
        return requests.post(
            f"{stack.base_url}/intake",
            json=person(),
            headers={"X-Forwarded-For": f"192.0.2.{i + 1}"},
            timeout=60,
        )

    with ThreadPoolExecutor(max_workers=50) as pool:
        responses = list(pool.map(one, range(50)))
    assert [r.status_code for r in responses] == [201] * 50
    refs = {r.json()["reference"] for r in responses}
    assert len(refs) == 50
    inquiry_ids = {inquiry_by_reference(deps.store, ref) for ref in refs}
    assert len(inquiry_ids) == 50
    assert all(deps.store.get(f"inquiries/{i}") for i in inquiry_ids)


def test_outbox_record_is_keyed_by_task_name(deps: Any) -> None:
    spec = TaskSpec(
        "linkflyt-assemble", "assemble", "f" * 40, {"task_id": "f" * 40, "reason": "sweep"}
    )
    other = TaskSpec("linkflyt-notify", "notify", "d" * 40, {"task_id": "d" * 40})
    now = deps.clock.now()
    deps.store.transact(lambda tx: outbox.record(tx, [spec], now))
    deps.store.transact(lambda tx: outbox.record(tx, [spec], now))
    assert len([n for n, _ in deps.store.query("outbox", []) if n == "f" * 40]) == 1
    deps.store.delete(f"outbox/{'f' * 40}")
    # a commit's tasks share one entry, named by their names in any order: a retry is the same entry
    first = deps.store.transact(lambda tx: outbox.record(tx, [spec, other], now))
    again = deps.store.transact(lambda tx: outbox.record(tx, [other, spec], now))
    assert first == again and first not in ("f" * 40, "d" * 40)
    assert sorted(deps.store.get(f"outbox/{first}")["tasks"]) == ["d" * 40, "f" * 40]
    deps.store.delete(f"outbox/{first}")


def test_tasks_beyond_cloud_tasks_reach_wait_in_the_outbox(deps: Any) -> None:
    """Cloud Tasks takes schedule_time at most 30 days ahead; the survey goes out after 60."""
    from datetime import timedelta

    from workflows.platform.messages import NotifyTask

    sent: list[TaskSpec] = []

    class Recording:
        def enqueue(self, task: TaskSpec) -> None:
            sent.append(task)

    d = dataclasses.replace(deps, queue=Recording())
    now = d.clock.now()
    far = TaskSpec(
        "linkflyt-notify",
        "notify",
        "e" * 40,
        NotifyTask(task_id="e" * 40, mail="survey", subject_id="g", recipient_id="m").model_dump(
            mode="json"
        ),
        schedule_at=now + timedelta(days=60),
    )
    d.store.transact(lambda tx: outbox.record(tx, [far], now - timedelta(hours=1)))
    assert outbox.dispatch(d.store, d.queue, [far], now, far.name) == 0 and sent == []
    # still out of reach: left pending, no error
    outbox.redrive(d.store, d.queue, now, timedelta(0))
    assert (
        "e" * 40 not in [t.name for t in sent]
        and d.store.get(f"outbox/{'e' * 40}")["status"] == "pending"
    )
    later = now + timedelta(days=35)  # 25 days before it is due: within reach now
    outbox.redrive(d.store, d.queue, later, timedelta(0))
    assert [t.name for t in sent].count("e" * 40) == 1  # (other tests' pending work is sent too)
    assert d.store.get(f"outbox/{'e' * 40}")["status"] == "sent"
    d.store.delete(f"outbox/{'e' * 40}")
