"""Issue 10: erasure leaves only the anonymous counters, read back from Firestore (the emulator)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.helpers.saga import act, deliver, drain
from tests.integration.test_lifecycle import (  # noqa: F401
    confirmed,
    outbox_specs,
    proposed,
    world,
)
from workflows.console import commands
from workflows.intake import inquiry_by_reference
from workflows.platform import tokens
from workflows.saga import assemble

KEEP_IDS = ("mail/",)  # send leases, keyed by a hash of their task: no id in them (issue 18)


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


def test_erasure_after_a_survey_leaves_nothing_that_names_the_member(
    world: Any,  # noqa: F811
) -> None:
    """Issue 18: a confirmed group whose members got the survey. The survey token was filed under
    `survey:<inquiry id>` in the group, a key erasure left behind; pending outbox entries and the
    console's log kept the id too. After erasure no document but mail leases (hashed keys) holds
    the id, and the answer is a count that no document ties to the member."""
    from workflows.console.auth import audit
    from workflows.platform.messages import NotifyTask

    d, q, clock = world
    gid, ids, held = confirmed(d, q, municipality="4626", topic="relatives")
    answered, waiting = ids[0], ids[1]
    d.store.transact(lambda tx: audit(tx, clock.now(), "c-test", "pretalk", answered))
    surveys = {
        s.body["recipient_id"]: s
        for s in [*held, *outbox_specs(d)]  # 60 days ahead: waiting in the outbox
        if s.body.get("mail") == "survey"
    }
    assert set(surveys) == set(ids)
    clock.t = max(s.schedule_at for s in surveys.values()) + timedelta(minutes=1)
    deliver(d, surveys[answered])
    group = d.store.get(f"groups/{gid}")
    token = tokens.survey_token(d, group, NotifyTask.model_validate(surveys[answered].body))
    assert token is not None
    form = {"satisfaction": ["4"], "recommend": ["yes"]}
    assert act(d, token, "survey", form).status == 200
    before = everything(d)
    assert any(answered in repr(doc) for p, doc in before.items() if p.startswith("outbox/"))

    assert commands.erase(d, "c-test", answered) == "ok"
    assert commands.erase(d, "c-test", waiting) == "ok"  # their survey is still pending

    after = everything(d)
    for path, doc in after.items():
        if path.startswith("mail/") or path in (f"inquiries/{answered}", f"inquiries/{waiting}"):
            continue
        for mid in (answered, waiting):
            assert mid not in path and mid not in repr(doc), f"{path} still names {mid}: {doc}"
    # the answer still counts, anonymously; the tasks for the others are still there
    year = after[f"surveys/{clock.t.year}"]
    assert year["responses"] == 1 and year["satisfaction"] == {"4": 1}
    rest = [
        name
        for p, doc in after.items()
        if p.startswith("outbox/")
        for name in doc.get("pending") or []
    ]
    assert surveys[ids[2]].name in rest and surveys[waiting].name not in rest
    # the log says what was done and by whom, not about whom
    logged = [doc for p, doc in after.items() if p.startswith("audit/")]
    # (the group's own entries, from the email links that ran it, name the group: issue 22)
    assert {doc["subject"] for doc in logged} == {"erased", gid}
    # the survey mail for the erased member is never sent; a redelivery does nothing
    assert deliver(d, surveys[waiting]) is None
