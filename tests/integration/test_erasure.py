"""Issue 10: erasure leaves only the anonymous counters, read back from Firestore (the emulator)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.helpers.saga import act, drain
from tests.integration.test_lifecycle import confirmed, proposed, world  # noqa: F401
from workflows.console import commands
from workflows.intake import inquiry_by_reference
from workflows.platform import tokens
from workflows.saga import assemble

KEEP_IDS = ("outbox", "mail")  # task bookkeeping: ids of work that will do nothing


def everything(d: Any) -> dict[str, dict[str, Any]]:
    out = {}
    for coll in d.store._client.collections():
        for snap in coll.stream():
            out[f"{coll.id}/{snap.id}"] = snap.to_dict() or {}
    return out


def stats(d: Any) -> dict[str, Any]:
    return {k: v for k, v in everything(d).items() if k.startswith("stats/")}


def test_erasure_leaves_a_tombstone_and_the_counters_only(world: Any) -> None:  # noqa: F811
    d, q, clock = world
    # the person was in a proposal that dissolved, then in a new one
    gid1, ids = proposed(d, q, municipality="4627", topic="relatives")
    person = ids[0]
    secrets = {
        **{k: v for k, v in d.store.get(f"people/{person}").items() if v},
    }
    d.store.set(f"inquiries/{person}", {"reference": "LF-TEST-0001"}, merge=True)
    assert commands.group_action(d, "c-test", gid1, "dissolve") == "ok"
    drain(d, q)
    assert d.store.get(f"groups/{gid1}")["status"] in ("dissolved",)
    assert person in d.store.get(f"groups/{gid1}")["members"]  # the dissolved group named them
    assemble.assemble_pool(d)
    drain(d, q)
    gid2 = d.store.get(f"inquiries/{person}")["group_id"]
    assert gid2 and gid2 != gid1
    now = clock.now()
    link = d.store.transact(
        lambda tx: tokens.issue(tx, "erase", now, timedelta(days=30), inquiry_id=person)
    )
    spare = d.store.transact(
        lambda tx: tokens.issue(tx, "erase", now, timedelta(days=30), inquiry_id=person)
    )
    before = stats(d)

    assert act(d, link, "erase").status == 200

    after = everything(d)
    assert after[f"inquiries/{person}"] == {
        "status": "erased",
        "expire_at": now + timedelta(days=1),
    }
    for path, doc in after.items():
        if path.startswith(KEEP_IDS) or path == f"inquiries/{person}":
            continue
        text = repr(doc)
        assert person not in text, f"{path} still names the person: {doc}"
        for secret in (*secrets.values(), "LF-TEST-0001"):
            assert str(secret) not in text, f"{path} holds {secret!r}"
    assert f"people/{person}" not in after
    assert inquiry_by_reference(d.store, "LF-TEST-0001") is None  # the tombstone has no reference
    assert after[f"tokens/{spare}"]["used_at"] == now  # other links of theirs are dead
    # the counters: one more withdrawal, nothing else changed
    changed = {k for k in after if k.startswith("stats/") and after[k] != before.get(k)}
    assert len(changed) == 1
    (key,) = changed
    assert after[key]["withdrawn"] == before.get(key, {}).get("withdrawn", 0) + 1

    # a second erase (the coordinator, from the console) changes nothing
    assert commands.erase(d, "c-test", person) == "stale"
    assert everything(d) == after
    # the group goes on without them
    g2 = after[f"groups/{gid2}"]
    assert person not in g2["members"] and len(g2["members"]) >= 4


def test_a_placed_person_and_a_phone_only_person_can_be_erased_by_the_coordinator(
    world: Any,  # noqa: F811
) -> None:
    d, q, _clock = world
    gid, ids, _held = confirmed(d, q, municipality="4626", topic="relatives")
    accept = d.store.get(f"groups/{gid}")["members"][ids[0]]["accept_token"]
    assert d.store.get(f"inquiries/{ids[0]}")["status"] == "placed"
    d.store.set(f"people/{ids[1]}", {"email": None, "phone": "+4741234567"}, merge=True)
    for mid in ids[:2]:
        assert commands.erase(d, "c-test", mid) == "ok"
        assert d.store.get(f"people/{mid}") is None
        assert d.store.get(f"inquiries/{mid}")["status"] == "erased"
    g = d.store.get(f"groups/{gid}")
    assert ids[0] not in g["members"] and ids[1] not in g["members"]
    assert ids[0] not in (g.get("link_tokens") or {})
    # their invitation links (used or not) no longer name them
    assert d.store.get(f"tokens/{accept}")["inquiry_id"] is None
    # pending mails for them do nothing: a follow-up run sends nothing to an erased member
    drain(d, q)
