"""Issue 19: the data registry (shared/registry.py, rendered into the DPIA) against what the code
really writes. A short simulated period on the real workflow, plus the console's own writes (sign-in,
a facilitator and a room added, a personal link, a dead letter), then every collection and every
top-level field in the emulator's database must be classified, and every `expire_at` must follow
the registry's retention rule for that document."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from shared import registry

Snapshot = dict[str, dict[str, dict[str, Any]]]


def snapshot(project: str) -> Snapshot:
    """Every document of every collection, with its id as `_id`."""
    from google.cloud import firestore

    client = firestore.Client(project=project)
    return {
        col.id: {d.id: {**(d.to_dict() or {}), "_id": d.id} for d in col.stream()}
        for col in client.collections()
    }


def fields_of(snap: Snapshot) -> dict[str, set[str]]:
    return {
        name: {k for doc in docs.values() for k in doc if k != "_id"} for name, docs in snap.items()
    }


def looker(snap: Snapshot) -> registry.Look:
    def look(path: str) -> dict[str, Any] | None:
        collection, _, doc_id = path.partition("/")
        return snap.get(collection, {}).get(doc_id)

    return look


def retention_problems(snap: Snapshot, written: tuple[datetime, datetime]) -> list[str]:
    from shared.config import get_centre

    centre, look = get_centre(), looker(snap)
    return [
        problem
        for name, docs in sorted(snap.items())
        for doc in docs.values()
        for problem in registry.retention_problems(name, doc, look, centre, written)
    ]


def rules_applied(snap: Snapshot) -> set[str]:
    """Which retention rules some document of the snapshot was held to ("people:0", ...)."""
    look = looker(snap)
    out = set()
    for name, docs in snap.items():
        c = registry.BY_NAME.get(name)
        for doc in docs.values():
            rule = registry.rule_for(c, doc, look) if c and "expire_at" in doc else None
            if c and rule:
                out.add(f"{name}:{c.keep.index(rule)}")
    return out


@pytest.fixture(scope="module")
def simulated(simulated_period: Any) -> Iterator[Any]:
    """The suite's simulated period (tests/helpers/period.py: 75 days with duplicates, crashes,
    an import and a coordinator change, then the console's own writes) as the emulator holds it."""
    p = simulated_period
    yield p.project, snapshot(p.project), p.written, p.lines


def test_every_collection_and_field_the_code_writes_is_classified(simulated: Any) -> None:
    _project, snap, _written, _lines = simulated
    found = registry.unclassified(fields_of(snap))
    assert found == [], "\n".join(found)
    # the period really wrote the kinds of data the assessment is about
    for name in ("people", "inquiries", "groups", "tokens", "outbox", "stats", "audit"):
        assert snap.get(name), f"the simulated period wrote no {name}/"
    assert snap["deadletters"] and snap["console_sessions"] and snap["ratelimits"]


def test_every_expire_at_follows_the_registrys_retention(simulated: Any) -> None:
    _project, snap, written, _lines = simulated
    problems = retention_problems(snap, written)
    assert problems == [], "\n".join(problems)
    # the rules were really exercised: waiting and placed people, live and finished groups, ...
    applied = rules_applied(snap)
    wanted = {"people:0", "people:1", "inquiries:0", "inquiries:1"}
    wanted |= {"tokens:1", "outbox:0", "mail:0", "deadletters:0", "facilitator_bookings:0"}
    wanted |= {"audit:0", "console_logins:0", "console_sessions:0", "ratelimits:0"}
    assert wanted <= applied, sorted(wanted - applied)
    assert any(rule.startswith("groups:") for rule in applied)  # which ones varies by run
    with_ttl = {name for name, docs in snap.items() if any("expire_at" in d for d in docs.values())}
    assert with_ttl <= registry.ttl_collections()


def test_an_unclassified_field_or_collection_is_caught(stack: Any) -> None:
    """The negative case, through the same emulator path: a field and a collection the registry
    does not know."""
    from google.cloud import firestore

    project = f"linkflyt-registry-neg-{uuid.uuid4().hex[:8]}"
    client = firestore.Client(project=project)
    client.document("people/p1").set({"name": "Testperson", "shoe_size": 42})
    client.document("hobbies/h1").set({"what": "chess"})
    found = registry.unclassified(fields_of(snapshot(project)))
    assert found == [
        "collection hobbies/ is not in shared/registry.py",
        "people.shoe_size is not classified in shared/registry.py",
    ]


def test_a_retention_that_differs_from_the_registry_is_caught(stack: Any) -> None:
    from google.cloud import firestore

    project = f"linkflyt-registry-neg-{uuid.uuid4().hex[:8]}"
    client = firestore.Client(project=project)
    at = datetime(2027, 3, 1, tzinfo=UTC)
    client.document("deadletters/d1").set(
        {"step": "notify", "reason": "x", "at": at, "expire_at": at + timedelta(days=30)}
    )
    client.document("deadletters/d2").set(
        {"step": "notify", "reason": "x", "at": at, "expire_at": at + timedelta(days=90)}
    )
    client.document("surveys/s1").set({"year": 2027, "municipality": "4601"})  # no expire_at
    found = retention_problems(snapshot(project), (at, at))
    assert len(found) == 2, found
    assert found[0].startswith("deadletters/d1: expire_at 2027-03-31")
    assert found[1].startswith("surveys/s1 has no expire_at")


def test_the_snapshot_sees_what_the_emulator_holds(stack: Any, tmp_path: Path) -> None:
    """The checks above are only as good as the listing: a nested map is one top-level field."""
    from google.cloud import firestore

    project = f"linkflyt-registry-neg-{uuid.uuid4().hex[:8]}"
    firestore.Client(project=project).document("stats/2027-01_4601").set(
        {"inquiries": 2, "topic": {"general": 1, "bereavement": 1}}
    )
    assert fields_of(snapshot(project)) == {"stats": {"inquiries", "topic"}}


def test_the_alerts_log_metrics_count_the_lines_the_code_writes(simulated: Any) -> None:
    """infra/alerts.tf's dead-letter and messages metrics, evaluated on the period's own log lines:
    one line per dead letter, one per message sent, and nothing else."""
    import json

    from tests.helpers.logfilter import infra_filters, matches

    _project, snap, _written, lines = simulated
    filters = infra_filters()

    def counted(metric: str) -> list[dict[str, Any]]:
        out = []
        for line in lines:
            ok, checked = matches(filters[metric], line)
            assert checked >= 1  # the filter says something a local line can be held to
            if ok:
                out.append(json.loads(line))
        return out

    dead = counted("deadletters")
    assert len(dead) == len(snap["deadletters"]) >= 1
    assert {d["task"] for d in dead} == set(snap["deadletters"])
    sent = counted("messages_sent")
    assert sent and {m["channel"] for m in sent} <= {"email", "sms"}
    assert all(m["logger"] == "workflows.messaging.notify" and m["outcome"] == "sent" for m in sent)
    # the other lines are not counted, and none of them carries a resident's address
    assert len(sent) < len(lines)
    addresses = {p["email"] for p in snap["people"].values() if p.get("email")}
    assert addresses and not any(a in line for a in addresses for line in lines)
