"""Issue 8 against the Firestore emulator: each case that got stuck or lost something over weeks.

Every test runs in a Firestore project of its own (the demo facilitators and rooms, nothing else),
with a virtual clock and a capturing queue, so weeks pass in a line of code and other tests' groups
cannot take the facilitators.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from google.api_core import exceptions as gexc

from shared.adapters.firestore_store import FirestoreStore
from shared.domain import links
from shared.ports import TaskSpec, TransientError
from tests.helpers.saga import Capture, act, deliver, drain, waiting_people
from workflows import intake, tasks
from workflows.links import actions
from workflows.platform import outbox
from workflows.saga import assemble, enqueue, resources, retention

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@dataclasses.dataclass
class Clock:
    t: datetime

    def now(self) -> datetime:
        return self.t


@pytest.fixture()
def world(stack: Any, tmp_path: Path) -> tuple[Any, Capture, Clock]:
    from scripts.demo import load
    from shared.adapters.mail import OutboxMailer
    from shared.config import reset_caches
    from workflows.platform.runtime import build_deps

    reset_caches()
    base = build_deps()
    store = FirestoreStore(f"lifecycle-{uuid.uuid4().hex[:10]}")
    load(store=store)
    clock, q = Clock(START), Capture()
    d = dataclasses.replace(
        base, store=store, queue=q, clock=clock, mailer=OutboxMailer(tmp_path / "outbox")
    )
    return d, q, clock


def held_of(specs: list[TaskSpec], kind: str, d: Any = None, subject: str = "") -> TaskSpec:
    """The one task of this kind: held by the queue, or (beyond Cloud Tasks' 30 days) waiting in
    the outbox."""
    more = outbox_specs(d) if d is not None else []
    found = {
        s.name: s
        for s in [*specs, *more]
        if (s.body.get("kind") == kind or s.body.get("mail") == kind)
        and (
            not subject
            or subject
            in (s.body.get("group_id"), s.body.get("inquiry_id"), s.body.get("subject_id"))
        )
    }
    (spec,) = found.values()
    return spec


def at(clock: Clock, spec: TaskSpec, d: Any) -> None:
    """Let time pass until the task is due, then deliver it."""
    assert spec.schedule_at is not None
    clock.t = max(clock.t, spec.schedule_at + timedelta(seconds=1))
    deliver(d, spec)


def proposed(d: Any, q: Capture, n: int = 5, **kw: Any) -> tuple[str, list[str]]:
    ids = waiting_people(d, n, **kw)
    assemble.assemble_pool(d)
    held = drain(d, q)
    gid = d.store.get(f"inquiries/{ids[0]}")["group_id"]
    assert gid and all(d.store.get(f"inquiries/{i}")["group_id"] == gid for i in ids), held
    return gid, ids


def confirmed(d: Any, q: Capture, **kw: Any) -> tuple[str, list[str], list[TaskSpec]]:
    gid, ids = proposed(d, q, **kw)
    assert act(d, d.store.get(f"groups/{gid}")["approval_token"], "approve_group").status == 200
    held = drain(d, q)
    g = d.store.get(f"groups/{gid}")
    assert g["status"] == "offered", g["status"]
    assert act(d, g["offer"]["accept_token"], "accept_offer").status == 200
    held += drain(d, q)
    g = d.store.get(f"groups/{gid}")
    for mid in ids:
        assert act(d, g["members"][mid]["accept_token"], "accept_invitation").status == 200
    held += drain(d, q)
    assert d.store.get(f"groups/{gid}")["status"] == "confirmed"
    return gid, ids, held


# ---------------------------------------------------------------- staffing


def test_a_decline_leads_to_another_facilitator_in_another_slot_the_members_allow(
    world: Any,
) -> None:
    """The issue's demo case: a Bergen weekday-daytime group, the first facilitator declines; the
    next one who is free on any weekday daytime gets it, with the room moved to that day."""
    d, q, _clock = world
    gid, _ids = proposed(d, q, municipality="4601", topic="bereavement", times="weekday_daytime")
    act(d, d.store.get(f"groups/{gid}")["approval_token"], "approve_group")
    drain(d, q)
    g = d.store.get(f"groups/{gid}")
    first, first_slot = g["offer"]["facilitator_id"], g["slot"]
    assert act(d, g["offer"]["decline_token"], "decline_offer").status == 200
    drain(d, q)
    g = d.store.get(f"groups/{gid}")
    assert g["status"] == "offered", g["status"]
    second = g["offer"]["facilitator_id"]
    assert second != first and g["slot"].endswith("_daytime")
    assert (
        d.store.get(f"facilitators/{second}")
        and g["slot"] in d.store.get(f"facilitators/{second}")["slots"]
    )
    # the room went with the slot: one booking, for the slot the group now has
    assert d.store.get(resources.venue_booking(g["venue_id"], g["slot"]))["group_id"] == gid
    if g["slot"] != first_slot:
        assert d.store.get(resources.venue_booking(g["venue_id"], first_slot)) is None
    # the decliner's dates and place under the cap are free again
    assert resources.count_load(d.store.get(resources.load_path(first))) == 0


def test_a_group_nobody_can_staff_is_retried_then_dissolved_keeping_places(world: Any) -> None:
    d, q, clock = world
    ids = waiting_people(d, 5, municipality="4628", topic="relatives")
    away = [{"from": "2027-03-01", "to": "2027-06-30"}]  # every facilitator away this spring
    for fid, _doc in d.store.query("facilitators"):
        d.store.set(f"facilitators/{fid}", {"away": away}, merge=True)
    queued = {i: d.store.get(f"inquiries/{i}")["queued_at"] for i in ids}
    assemble.assemble_pool(d)
    drain(d, q)
    gid = d.store.get(f"inquiries/{ids[0]}")["group_id"]
    act(d, d.store.get(f"groups/{gid}")["approval_token"], "approve_group")
    held = drain(d, q)
    g = d.store.get(f"groups/{gid}")
    assert g["status"] == "needs_facilitator"
    assert d.store.get(f"tokens/{g['retry_token']}")["action"] == "retry_staffing"
    # the coordinator may try again at once (after adding someone), and it is a fresh round
    assert act(d, g["retry_token"], "retry_staffing").status == 200
    held += drain(d, q)
    assert d.store.get(f"groups/{gid}")["status"] == "needs_facilitator"
    for _ in range(d.centre.groups.staffing_retries + 1):
        restaff = [s for s in held if s.body.get("kind") == "restaff"][-1]
        held = [s for s in held if s is not restaff]
        at(clock, restaff, d)
        held += drain(d, q)
    g = d.store.get(f"groups/{gid}")
    assert g["status"] == "dissolved" and g["dissolved_because"] == "no_facilitator"
    for i in ids:  # back in the pool with their place (and at once in a new proposal)
        inq = d.store.get(f"inquiries/{i}")
        assert inq["queued_at"] == queued[i] and inq.get("group_id") != gid
        assert inq["status"] in ("waiting", "proposed")


def test_the_cap_is_checked_inside_the_offer_transaction(world: Any) -> None:
    """Two approvals ranked at the same moment both see a free facilitator with room for one."""
    d, q, _clock = world
    for fid, _doc in d.store.query("facilitators"):
        keep = fid in ("fac-camilla", "fac-astrid")
        d.store.set(f"facilitators/{fid}", {"max_groups": 1, "active": keep}, merge=True)
    from workflows.saga import staffing

    made = []
    for topic in ("relatives", "loneliness"):
        gid, _ = proposed(d, q, municipality="4627", topic=topic)
        d.store.set(f"groups/{gid}", {"status": "approved"}, merge=True)
        made.append(gid)
    pre = {
        gid: staffing.find_offer(d, gid, d.store.get(f"groups/{gid}"), d.clock.now())
        for gid in made
    }
    assert pre[made[0]][0][1].id == pre[made[1]][0][1].id  # both would ask the same person
    for gid in made:
        d.store.transact(
            lambda tx, gid=gid: staffing.offer_step(d, tx, gid, 0, d.clock.now(), pre[gid])
        )
    offered = [d.store.get(f"groups/{g}")["offer"]["facilitator_id"] for g in made]
    assert offered[0] != offered[1]
    assert all(resources.count_load(d.store.get(resources.load_path(f))) == 1 for f in offered)


# ---------------------------------------------------------------- the running group


def test_the_facilitator_is_free_again_when_the_group_runs_itself(world: Any) -> None:
    d, q, clock = world
    gid, _ids, held = confirmed(d, q, municipality="4630", topic="relatives")
    g = d.store.get(f"groups/{gid}")
    fid = g["facilitator_id"]
    assert resources.count_load(d.store.get(resources.load_path(fid))) == 1
    # two days before the first meeting, everyone is reminded
    first = resources.meeting_start(d, date.fromisoformat(g["meeting_dates"][0]), g["slot"])
    reminders = [s for s in held if s.body.get("mail") == "reminder"]
    assert len(reminders) == 6 and all(
        s.schedule_at == first - timedelta(days=2) for s in reminders
    )
    at(clock, held_of(held, "first_meeting", d, gid), d)
    assert d.store.get(f"groups/{gid}")["status"] == "started"
    at(clock, held_of(held, "facilitation_over", d, gid), d)
    held += drain(d, q)
    g = d.store.get(f"groups/{gid}")
    assert g["status"] == "self_run"
    assert resources.count_load(d.store.get(resources.load_path(fid))) == 0
    # a follow-up is offered 6-8 weeks later without anyone asking ...
    auto = held_of(held, "followup_auto", d, gid)
    assert auto.schedule_at == g["self_run_at"] + timedelta(
        days=d.centre.groups.followup_after_days
    )
    at(clock, auto, d)
    held += drain(d, q)
    g = d.store.get(f"groups/{gid}")
    assert g["followup"]["status"] == "offered" and g["followup"]["facilitator_id"] == fid
    assert act(d, g["followup"]["accept_token"], "accept_offer").status == 200
    # ... and the group can ask again after that visit (issue 8: one visit ever)
    clock.t = datetime.fromisoformat(g["followup"]["date"]).replace(tzinfo=UTC) + timedelta(days=3)
    link = g["link_tokens"][next(iter(g["members"]))]
    assert act(d, link, "request_followup").status == 200
    drain(d, q)
    g2 = d.store.get(f"groups/{gid}")
    assert g2["followup"]["round"] == g["followup"]["round"] + 1
    assert g2["followup"]["status"] == "offered"


def test_closing_frees_the_room_future_dates_and_the_cap(world: Any) -> None:
    d, q, _clock = world
    gid, _ids, _held = confirmed(d, q, municipality="4624", topic="divorce")
    g = d.store.get(f"groups/{gid}")
    fid, part = g["facilitator_id"], g["slot"].split("_")[1]
    bookings = [
        resources.facilitator_booking(fid, date.fromisoformat(x), part) for x in g["meeting_dates"]
    ]
    for path in bookings:  # bookings expire once their day is past (issue 8: they never did)
        doc = d.store.get(path)
        assert doc["expire_at"] == datetime.combine(
            date.fromisoformat(doc["date"]), datetime.min.time(), tzinfo=UTC
        ) + timedelta(days=2)
    assert act(d, g["close_token"], "close_group").status == 200
    assert all(d.store.get(p) is None for p in bookings)
    assert d.store.get(resources.venue_booking(g["venue_id"], g["slot"])) is None
    assert resources.count_load(d.store.get(resources.load_path(fid))) == 0


# ---------------------------------------------------------------- retention and counting


def test_accepting_a_group_that_dissolves_changes_neither_retention_nor_counts(world: Any) -> None:
    d, q, clock = world
    gid, ids = proposed(d, q, municipality="4631", topic="loneliness")
    before = {i: d.store.get(f"inquiries/{i}") for i in ids}
    for i in ids:
        d.store.set(f"people/{i}", {"expire_at": START + timedelta(days=365)}, merge=True)
    act(d, d.store.get(f"groups/{gid}")["approval_token"], "approve_group")
    drain(d, q)
    act(d, d.store.get(f"groups/{gid}")["offer"]["accept_token"], "accept_offer")
    held = drain(d, q)
    g = d.store.get(f"groups/{gid}")
    for mid in ids[:3]:  # three yeses: fewer than the four that can start a group
        act(d, g["members"][mid]["accept_token"], "accept_invitation")
    stats = f"stats/{clock.t:%Y-%m}_4631"
    placed_before = (d.store.get(stats) or {}).get("placed", 0)
    for mid in ids[:3]:
        assert d.store.get(f"inquiries/{mid}")["status"] == "proposed"  # not placed yet
    at(clock, held_of(held, "invitation_deadline"), d)
    assert d.store.get(f"groups/{gid}")["status"] == "dissolved"
    for mid in ids:
        inq = d.store.get(f"inquiries/{mid}")
        assert inq["status"] == "waiting" and inq.get("expire_at") == before[mid].get("expire_at")
        assert d.store.get(f"people/{mid}")["expire_at"] == START + timedelta(days=365)
    for mid in ids[:3]:  # who said yes keeps their place; who did not answer goes behind
        assert d.store.get(f"inquiries/{mid}")["queued_at"] == before[mid]["queued_at"]
    for mid in ids[3:]:
        assert d.store.get(f"inquiries/{mid}")["queued_at"] == clock.t
    assert (d.store.get(stats) or {}).get("placed", 0) == placed_before  # counted once, at start


def test_four_yeses_by_the_deadline_start_the_group(world: Any) -> None:
    d, q, clock = world
    gid, ids = proposed(d, q, municipality="4627", topic="mental_strain")
    act(d, d.store.get(f"groups/{gid}")["approval_token"], "approve_group")
    drain(d, q)
    act(d, d.store.get(f"groups/{gid}")["offer"]["accept_token"], "accept_offer")
    held = drain(d, q)
    g = d.store.get(f"groups/{gid}")
    for mid in ids[:4]:
        act(d, g["members"][mid]["accept_token"], "accept_invitation")
    at(clock, held_of(held, "invitation_deadline"), d)
    g = d.store.get(f"groups/{gid}")
    assert g["status"] == "confirmed" and sorted(g["members"]) == sorted(ids[:4])
    assert [d.store.get(f"inquiries/{i}")["status"] for i in ids] == ["placed"] * 4 + ["waiting"]


def test_inquiry_retention_is_a_deadline_task_with_ttl_behind_it(world: Any) -> None:
    d, q, clock = world
    body = {
        "name": "Kari",
        "email": "kari@eksempel.no",
        "municipality": "4628",
        "topics": ["relatives"],
        "formats": ["in_person"],
        "times": ["weekday_evening"],
        "age_band": "45-59",
        "consent": True,
        "adult": True,
    }
    res = intake.submit(d, body, "nb")
    assert isinstance(res, intake.Accepted) and res.inquiry_id
    iid, days = res.inquiry_id, d.centre.retention.unplaced_days
    inq, person = d.store.get(f"inquiries/{iid}"), d.store.get(f"people/{iid}")
    assert inq["age_band"] == "45-59"
    assert person["expire_at"] == START + timedelta(days=days)  # the rule itself
    assert inq["expire_at"] == START + timedelta(days=days + 30)  # TTL only behind the task
    expiry = held_of(q.tasks, "inquiry_expiry", d, iid)
    assert expiry.schedule_at == START + timedelta(days=days)
    # waits in the outbox beyond Cloud Tasks' reach, in the intake's entry
    (entry,) = [doc for _, doc in d.store.query("outbox") if expiry.name in doc["tasks"]]
    # with it, the person's own page's far tasks (issue 17: the 12-week question, the widen offer)
    assert entry["status"] == "pending" and expiry.name in entry["pending"]
    assert entry["expire_at"] == expiry.schedule_at + timedelta(days=14)
    drain(d, q)
    # the coordinator is away for six weeks: the pre-talk link still works when she is back
    clock.t = START + timedelta(days=45)
    token = d.store.get(f"inquiries/{iid}")["pretalk_token"]
    signed = links.sign(
        d.settings.link_signing_key, token, d.store.get(f"tokens/{token}")["expires"]
    )
    page = actions.view(d, signed, "nb")  # the pre-talk page shows the band, and may change it
    assert page.status == 200 and '<option value="45-59" selected>' in page.html
    assert act(d, token, "confirm_pretalk", {"age_band": ["60-74"]}).status == 200
    assert d.store.get(f"inquiries/{iid}")["age_band"] == "60-74"
    # a year on, still waiting: expired by the task, personal data gone at once
    at(clock, expiry, d)
    assert d.store.get(f"inquiries/{iid}")["status"] == "expired"
    assert d.store.get(f"people/{iid}") is None


def test_a_proposal_nobody_approves_dissolves_keeping_everyones_place(world: Any) -> None:
    d, q, clock = world
    gid, ids = proposed(d, q, municipality="4630", topic="bereavement")
    queued = {i: d.store.get(f"inquiries/{i}")["queued_at"] for i in ids}
    g = d.store.get(f"groups/{gid}")
    token = d.store.get(f"tokens/{g['approval_token']}")
    assert token["expires"] == g["approval_deadline"]  # the link lasts exactly as long as the state
    deadline = [
        s
        for s in outbox_specs(d)
        if s.body.get("kind") == "approval_deadline" and s.body.get("group_id") == gid
    ]
    at(clock, deadline[0], d)
    assert d.store.get(f"groups/{gid}")["status"] == "dissolved"
    assert all(d.store.get(f"inquiries/{i}")["queued_at"] == queued[i] for i in ids)


def outbox_specs(d: Any) -> list[TaskSpec]:
    """Every task the outbox has recorded, sent or not."""
    return [
        spec
        for _, doc in d.store.query("outbox")
        for spec in outbox.pending_specs({**doc, "pending": sorted(doc["tasks"])})
    ]


def test_survey_entry_outlives_its_due_date(world: Any) -> None:
    """Issue 8: the outbox entry of a survey due in 60 days was TTL-deleted after 14."""
    d, q, _clock = world
    gid, _ids, held = confirmed(d, q, municipality="4601", topic="divorce")
    survey = next(
        s
        for s in [*held, *outbox_specs(d)]
        if s.body.get("mail") == "survey" and s.body["subject_id"] == gid
    )
    (entry,) = [doc for _, doc in d.store.query("outbox") if survey.name in doc["tasks"]]
    assert entry["tasks"][survey.name]["due_at"] == survey.schedule_at
    assert entry["expire_at"] >= survey.schedule_at + timedelta(days=14)
    assert survey.name in entry["pending"] and entry["due_at"] <= survey.schedule_at


# ---------------------------------------------------------------- failures


def test_an_unexpected_failure_on_the_last_attempt_is_dead_lettered(
    world: Any, monkeypatch: Any
) -> None:
    d, _q, _clock = world
    from workflows.saga import schedule

    def boom(deps: Any, task: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(schedule, "handle", boom)
    body = {"task_id": "ab" * 20, "kind": "first_meeting", "group_id": "g1", "round": 0, "step": 0}
    assert tasks.handle(d, "schedule", body, "t", retry_count=0).status == 500
    last = tasks.MAX_ATTEMPTS["schedule"] - 1
    answer = tasks.handle(d, "schedule", body, "t", retry_count=last)
    assert answer == tasks.Answer(200, "dead_lettered")
    assert d.store.get(f"deadletters/{'ab' * 20}")["reason"] == "last attempt: RuntimeError"


def test_dispatch_never_raises_after_the_commit(world: Any) -> None:
    d, q, clock = world

    class MarkFails:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def set(self, *a: Any, **k: Any) -> None:
            raise TransientError("firestore blip")

        def __getattr__(self, name: str) -> Any:
            return getattr(self.inner, name)

    spec = enqueue.assemble(d, "pool_changed", uuid.uuid4().hex)
    assert outbox.dispatch(MarkFails(d.store), q, [spec], clock.t, spec.name) == 0  # no exception
    assert q.tasks == [spec]  # it was enqueued; sweep may enqueue it again, harmlessly


def test_lock_contention_is_transient_not_already_exists(world: Any) -> None:
    d, _q, _clock = world

    def contended(tx: Any) -> None:
        raise gexc.Aborted("too much contention")

    with pytest.raises(TransientError):
        d.store.transact(contended, attempts=1)
    assert d.store.transact(lambda tx: tx.get_many([])) == {}  # an empty batch read is no error


def test_a_decline_is_replaced_from_the_pool_and_never_re_invited(world: Any) -> None:
    d, q, _clock = world
    gid, ids = proposed(d, q, municipality="4626", topic="relatives")
    act(d, d.store.get(f"groups/{gid}")["approval_token"], "approve_group")
    drain(d, q)
    act(d, d.store.get(f"groups/{gid}")["offer"]["accept_token"], "accept_offer")
    drain(d, q)
    g = d.store.get(f"groups/{gid}")
    assert act(d, g["members"][ids[0]]["decline_token"], "decline_invitation").status == 200
    drain(d, q)  # the pool run after the decline must not put them back in
    g = d.store.get(f"groups/{gid}")
    assert ids[0] not in g["members"] and g["declined"] == [ids[0]]
    assert d.store.get(f"inquiries/{ids[0]}")["status"] == "waiting"
    (newcomer,) = waiting_people(d, 1, municipality="4626", topic="relatives")
    assemble.assemble_pool(d)
    drain(d, q)
    g = d.store.get(f"groups/{gid}")
    assert newcomer in g["members"] and ids[0] not in g["members"]
    token = d.store.get(f"tokens/{g['members'][newcomer]['accept_token']}")
    assert token["expires"] == g["invitation_deadline"]  # same deadline as everyone else
    assert act(d, g["members"][newcomer]["accept_token"], "accept_invitation").status == 200


def test_a_person_in_a_proposal_at_their_deadline_is_rechecked_then_expired(world: Any) -> None:
    """Found by the 730-day simulation: the deadline task read after writing, failed every retry,
    and the person, back in the pool when the proposal dissolved, was later deleted while waiting."""
    d, q, clock = world
    gid, ids = proposed(d, q, municipality="4630", topic="loneliness")
    iid = ids[0]
    d.store.set(f"people/{iid}", {"expire_at": clock.t}, merge=True)
    task = retention.expiry_task(d, iid, clock.t)
    deliver(d, task)  # due now, while the proposal is being decided
    recheck = held_of(q.tasks, "inquiry_expiry", d, iid)
    assert recheck.schedule_at == clock.t + retention.RECHECK
    assert d.store.get(f"people/{iid}")["expire_at"] == recheck.schedule_at
    assert d.store.get(f"inquiries/{iid}")["expire_at"] == recheck.schedule_at + retention.GRACE
    deliver(d, task)  # a redelivery of the old one changes nothing
    act(d, d.store.get(f"groups/{gid}")["dissolve_token"], "dissolve_group")
    q.tasks.clear()
    at(clock, recheck, d)
    assert d.store.get(f"inquiries/{iid}")["status"] == "expired"
    assert d.store.get(f"people/{iid}") is None


def test_asking_twice_for_a_visit_nobody_can_make_alerts_the_coordinator_once(
    world: Any, tmp_path: Path
) -> None:
    """Found by the 10x simulated year: two identical "no facilitator" emails for one visit date."""
    d, q, _clock = world
    gid, ids, _held = confirmed(d, q, municipality="4627", topic="relatives")
    away = [{"from": "2027-03-01", "to": "2027-12-31"}]
    for fid, _doc in d.store.query("facilitators"):
        d.store.set(f"facilitators/{fid}", {"away": away}, merge=True)
    links_ = d.store.get(f"groups/{gid}")["link_tokens"]
    for mid in ids[:2]:  # two members ask, the same week
        assert act(d, links_[mid], "request_followup").status == 200
        drain(d, q)
        assert d.store.get(f"groups/{gid}")["followup"]["status"] == "unstaffed"
    alerts = list((tmp_path / "outbox").glob("alert-*.eml"))
    assert len(alerts) == 1


# ---------------------------------------------------------------- issue 21: long waiters


def test_four_long_waiters_get_a_group_four_newcomers_wait_for_a_fuller_one(world: Any) -> None:
    """The centre's "4 can be enough" (seed 002) used to propose, once people have waited
    groups.long_wait_days: the same four people are not proposed at 41 days and are at 61."""
    d, q, clock = world
    assert d.centre.groups.long_wait_days == 90  # the default; 0 turns the rule off
    groups = d.centre.groups.model_copy(update={"long_wait_days": 60})
    d = dataclasses.replace(d, centre=d.centre.model_copy(update={"groups": groups}))
    assert d.centre.groups.start_with == 4
    ids = waiting_people(d, 4, municipality="4627", topic="mental_strain")  # ~41 days ago
    assert assemble.assemble_pool(d) == []
    drain(d, q)
    assert {d.store.get(f"inquiries/{i}")["status"] for i in ids} == {"waiting"}
    clock.t += timedelta(days=20)
    (gid,) = assemble.assemble_pool(d)
    drain(d, q)
    g = d.store.get(f"groups/{gid}")
    assert sorted(g["members"]) == sorted(ids)
    # and it runs like any group: approved, staffed, four yeses confirm it at the deadline
    act(d, g["approval_token"], "approve_group")
    drain(d, q)
    act(d, d.store.get(f"groups/{gid}")["offer"]["accept_token"], "accept_offer")
    held = drain(d, q)
    g = d.store.get(f"groups/{gid}")
    for mid in ids:
        act(d, g["members"][mid]["accept_token"], "accept_invitation")
    at(clock, held_of(held, "invitation_deadline"), d)
    assert d.store.get(f"groups/{gid}")["status"] == "confirmed"
    assert {d.store.get(f"inquiries/{i}")["status"] for i in ids} == {"placed"}


def test_a_long_waiter_and_three_newcomers_start_at_four_four_newcomers_do_not(
    world: Any,
) -> None:
    """groups.long_waiters_needed = 1 (the default): a group of start_with may be proposed for
    one person who has waited long_wait_days; four who came ten days ago still wait for a fifth."""
    d, q, _clock = world
    assert d.centre.groups.long_waiters_needed == 1
    fresh = waiting_people(d, 4, municipality="4627", topic="relatives", start_hours_ago=240)
    assert assemble.assemble_pool(d) == []
    three = waiting_people(d, 3, municipality="4627", topic="mental_strain", start_hours_ago=240)
    (old,) = waiting_people(
        d, 1, municipality="4627", topic="mental_strain", start_hours_ago=24 * 91
    )
    (gid,) = assemble.assemble_pool(d)
    drain(d, q)
    assert sorted(d.store.get(f"groups/{gid}")["members"]) == sorted([old, *three])
    assert {d.store.get(f"inquiries/{i}")["status"] for i in fresh} == {"waiting"}


def test_the_digest_lists_a_group_one_person_short_without_naming_anyone(world: Any) -> None:
    from shared.texts.digest import DIGEST
    from workflows.reporting import digest

    d, _q, _clock = world
    waiting_people(d, 4, municipality="4601", topic="bereavement", start_hours_ago=100)
    near = {s.heading: s for s in digest.build(d, "en")}[DIGEST["en"]["near"]]
    rows = [i.title for i in near.items]
    assert "1 more for a group: Bereavement · Bergen · Weekdays, evening" in rows, rows
    # once the group is complete it is no longer "near"
    waiting_people(d, 1, municipality="4601", topic="bereavement", start_hours_ago=50)
    after = {s.heading: s for s in digest.build(d, "en")}.get(DIGEST["en"]["near"])
    assert after is None or not any("Bereavement · Bergen" in i.title for i in after.items)
