"""The person's own page on the Firestore emulator (issue 17; CONTRACT.md § The person's own page):
the reason and the first widening, the data export, the 12-week question and the undo of a "no",
with a virtual clock."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from shared.texts.digest import DIGEST
from shared.texts.me import ME
from tests.helpers.people import mails_to, person, subject, text_part
from tests.helpers.saga import Capture, drain, waiting_people
from tests.integration.test_lifecycle import at, outbox_specs, world  # noqa: F401
from workflows import intake
from workflows.links import me
from workflows.reporting import digest
from workflows.saga import assemble


def signed_up(d: Any, q: Capture, tmp_path: Path, **kw: Any) -> tuple[str, str, list[Any], str]:
    """(inquiry id, the signed /me token from the receipt, held tasks, the person's email)."""
    body = person(**kw)
    result = intake.submit(d, body, "nb")
    assert isinstance(result, intake.Accepted) and result.inquiry_id
    held = drain(d, q)
    (receipt,) = mails_to(tmp_path / "outbox", body["email"])
    urls = re.findall(r"https?://\S+", text_part(receipt))
    page = next(u for u in urls if urlparse(u).path == "/me")
    assert any(urlparse(u).path == "/actions" for u in urls)  # the erase link stays
    token = parse_qs(urlparse(page).query)["t"][0]
    assert result.inquiry_id not in page  # an opaque id, not the inquiry's
    return result.inquiry_id, token, held, body["email"]


def task(d: Any, specs: list[Any], kind: str, iid: str, step: int) -> Any:
    """The one task of this kind and step for this person: held, or waiting in the outbox."""
    found = {
        s.name: s
        for s in [*specs, *outbox_specs(d)]
        if s.body.get("kind") == kind
        and s.body.get("inquiry_id") == iid
        and s.body.get("step") == step
    }
    (spec,) = found.values()
    return spec


def waiting_now(d: Any, iid: str) -> None:
    """The pre-talk held (the coordinator's part, tested elsewhere)."""
    d.store.set(f"inquiries/{iid}", {"status": "waiting"}, merge=True)


def post(d: Any, token: str, action: str, **fields: list[str]) -> me.Page:
    return me.act(d, token, {"action": [action], **fields}, "nb")


def test_the_first_widening_makes_the_next_pool_run_propose_a_group(
    world: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    d, q, _clock = world
    others = waiting_people(d, 4, municipality="4627", topic="relatives")
    iid, token, _held, _ = signed_up(
        d, q, tmp_path, municipality="4627", topics=["relatives"], times=["weekend"]
    )
    waiting_now(d, iid)
    assert assemble.assemble_pool(d) == []  # four on weekday evenings, one at weekends: nobody
    before = d.store.get(f"inquiries/{iid}")

    page = me.view(d, token, "nb")
    assert page.status == 200
    m = ME["nb"]
    assert m["why_people"] in page.body  # short of people: the four others want evenings
    first = re.search(r'name="widening" value="([^"]+)"', page.body)
    assert first and first.group(1) == "time:weekday_evening", page.body
    assert d.store.get(f"inquiries/{iid}") == before  # GET never acts

    answer = post(d, token, "widen", widening=[first.group(1)])
    assert answer.status == 200 and m["widen_done"] in answer.body
    after = d.store.get(f"inquiries/{iid}")
    assert after["queued_at"] == before["queued_at"]  # the place is kept
    assert after["times"] == ["weekend", "weekday_evening"]
    runs = [s for s in q.tasks if s.target == "assemble"]
    assert runs, "the pool run is recorded with the change"
    drain(d, q)
    gid = d.store.get(f"inquiries/{iid}").get("group_id")
    assert gid, "the next pool run proposes a group with them"
    assert set(d.store.get(f"groups/{gid}")["members"]) == {iid, *others}
    # a second click on the same widening changes nothing
    assert post(d, token, "widen", widening=[first.group(1)]).status == 409


def test_the_data_export_holds_every_stored_field_and_nothing_of_anyone_else(
    world: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    d, q, _clock = world
    others = waiting_people(d, 4, municipality="4627", topic="relatives")
    iid, token, _held, email = signed_up(d, q, tmp_path, municipality="4627", topics=["relatives"])
    waiting_now(d, iid)
    assemble.assemble_pool(d)
    drain(d, q)
    assert d.store.get(f"inquiries/{iid}")["status"] == "proposed"  # in a group with the others
    page = me.data(d, token, "nb")
    assert page.status == 200 and page.content_type == "application/json"
    got = json.loads(page.body)
    stored_person = d.store.get(f"people/{iid}")
    stored_inquiry = d.store.get(f"inquiries/{iid}")
    assert set(got["person"]) == set(stored_person)
    assert set(got["inquiry"]) == set(stored_inquiry)
    assert got["person"]["email"] == email
    assert got["inquiry"]["me_token"] == "(link)"  # named, but the secret itself is not shown
    assert got["groups"] and got["groups"][0]["you"] is not None
    text = json.dumps(got)
    for other in others:
        assert other not in text
        p = d.store.get(f"people/{other}")
        assert p["name"] not in text and p["email"] not in text
    assert "facilitator" not in text
    html = me.view(d, token, "nb").body
    for other in others:
        assert other not in html and d.store.get(f"people/{other}")["name"] not in html


def test_the_question_keeps_the_silent_and_an_undone_no_restores_the_place(
    world: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    d, q, clock = world
    iid, token, held, email = signed_up(d, q, tmp_path, municipality="4631", topics=["divorce"])
    waiting_now(d, iid)
    queued = d.store.get(f"inquiries/{iid}")["queued_at"]
    ask = task(d, held, "still_waiting", iid, 1)
    assert ask.schedule_at == queued + timedelta(weeks=12)
    at(clock, ask, d)
    drain(d, q)
    asked_at = d.store.get(f"inquiries/{iid}")["still_asked_at"]
    assert asked_at == clock.t
    questions = [
        x for x in mails_to(tmp_path / "outbox", email) if subject(x) == ME["nb"]["ask_subject"]
    ]
    assert len(questions) == 1 and "/me?t=" in text_part(questions[0])
    # silence: the next turn notes it and asks again; the place stays
    nxt = task(d, [], "still_waiting", iid, 2)
    assert nxt.schedule_at == asked_at + timedelta(weeks=12)
    # meanwhile a declined invitation put them at the back of the queue: the question still
    # counts the weeks since they asked (a year once said "12 weeks" to someone at week 48)
    moved = clock.t
    d.store.set(f"inquiries/{iid}", {"queued_at": moved}, merge=True)
    at(clock, nxt, d)
    drain(d, q)
    later = d.store.get(f"inquiries/{iid}")
    assert later["status"] == "waiting" and later["still_silent"] == 1
    assert later["queued_at"] == moved
    second = [
        text_part(x)
        for x in mails_to(tmp_path / "outbox", email)
        if subject(x) == ME["nb"]["ask_subject"]
    ]
    assert len(second) == 2 and re.search(r"ventet 2[45] uker", second[-1] + second[0]), second
    d.store.set(f"inquiries/{iid}", {"queued_at": queued}, merge=True)  # the rest keeps its place
    clock.t += timedelta(days=15)  # the digest notes whoever has not answered for two weeks
    noted = {s.heading: s for s in digest.build(d, "en")}
    silent = noted[DIGEST["en"]["silent"]]
    assert [i.title.split(" · ")[0] for i in silent.items] == [later["reference"]]
    # the page asks; "no" withdraws
    assert ME["nb"]["still_heading"] in me.view(d, token, "nb").body
    answer = post(d, token, "still_no")
    assert answer.status == 200 and ME["nb"]["withdrawn_done"] in answer.body
    assert d.store.get(f"inquiries/{iid}")["status"] == "withdrawn"
    end = task(d, q.tasks, "withdrawal_end", iid, 1)
    assert end.schedule_at == clock.t + timedelta(days=14)
    drain(d, q)
    # undo on day 13: back in the queue with the original place
    clock.t += timedelta(days=13)
    assert post(d, token, "undo").status == 200
    back = d.store.get(f"inquiries/{iid}")
    assert back["status"] == "waiting" and back["queued_at"] == queued
    drain(d, q)
    at(clock, end, d)  # the end of the undo window finds them waiting: nothing happens
    assert d.store.get(f"inquiries/{iid}")["status"] == "waiting"
    assert d.store.get(f"people/{iid}") is not None

    # a "no" that is not undone: after 14 days the personal data goes, and the page with it
    assert post(d, token, "withdraw").status == 200
    end2 = task(d, q.tasks, "withdrawal_end", iid, 2)
    drain(d, q)
    clock.t += timedelta(days=13)
    assert post(d, token, "undo").status == 200  # still possible on day 13 ...
    assert post(d, token, "withdraw").status == 200
    end3 = task(d, q.tasks, "withdrawal_end", iid, 3)
    drain(d, q)
    at(clock, end2, d)  # ... an older window's end does nothing to the new withdrawal
    assert d.store.get(f"inquiries/{iid}")["status"] == "withdrawn"
    clock.t = end3.schedule_at - timedelta(hours=1)
    at(clock, end3, d)
    gone = d.store.get(f"inquiries/{iid}")
    assert gone["status"] == "expired" and gone["me_token"] is None
    assert d.store.get(f"people/{iid}") is None
    assert me.view(d, token, "nb").status == 404
    assert gone["expire_at"] == clock.t + timedelta(days=1)  # the tombstone's TTL


def test_wrong_input_is_named_by_field_in_the_persons_language_and_changes_nothing(
    world: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    d, q, _clock = world
    iid, token, _held, _ = signed_up(d, q, tmp_path, municipality="4601", topics=["general"])
    d.store.set(f"inquiries/{iid}", {"lang": "en"}, merge=True)
    before = d.store.get(f"inquiries/{iid}")
    page = post(
        d,
        token,
        "wishes",
        municipality=["4601"],
        topics=[],
        formats=["teleport"],
        times=["weekend"],
    )
    assert page.status == 422
    assert "Choose at least one topic." in page.body  # the form's words (issue 22)
    assert "Format" in page.body and "teleport" in page.body
    assert d.store.get(f"inquiries/{iid}") == before
    bad = post(d, token, "contact", email=["not-an-address"], phone=[""])
    assert bad.status == 422 and "Enter an email address like name@example.no" in bad.body
    ok = post(d, token, "contact", email=["ny.adresse@eksempel.no"], phone=["412 34 567"])
    assert ok.status == 200
    assert d.store.get(f"people/{iid}")["phone"] == "+4741234567"
    fine = post(
        d,
        token,
        "wishes",
        municipality=["4601"],
        topics=["general"],
        formats=["digital"],
        times=["weekend"],
        travel=["4627"],
        languages=["no", "en"],
        age_band=["30-44"],
    )
    assert fine.status == 200
    now = d.store.get(f"inquiries/{iid}")
    assert now["formats"] == ["digital"] and now["travel"] == ["4627"]
    assert now["queued_at"] == before["queued_at"] and now["wishes_changed_by"] == "person"
    assert me.view(d, "junk", "en").status == 404


def test_the_coordinator_changes_wishes_and_the_place_stays(world: Any) -> None:  # noqa: F811
    """Issue 17.2: "she can do daytimes now" after the pre-talk, without losing her place."""
    from shared.domain import intake_rules
    from workflows.console import commands

    d, q, _clock = world
    (iid,) = waiting_people(d, 1, municipality="4601", topic="bereavement")
    before = d.store.get(f"inquiries/{iid}")
    raw = {
        "municipality": "4601",
        "topics": ["bereavement"],
        "formats": ["in_person"],
        "times": ["weekday_evening", "weekday_daytime"],
        "travel": ["4627"],
        "languages": ["no"],
        "age_band": "60-74",
    }
    update, problems = intake_rules.validate_wishes(raw, d.centre)
    assert problems == [] and update is not None
    assert commands.edit_wishes(d, "c-test", iid, update) == "ok"
    after = d.store.get(f"inquiries/{iid}")
    assert after["queued_at"] == before["queued_at"]
    assert after["times"] == ["weekday_evening", "weekday_daytime"] and after["travel"] == ["4627"]
    assert after["wishes_changed_by"] == "coordinator"
    assert [s.body.get("reason") for s in q.tasks if s.target == "assemble"] == ["pool_changed"]
    logged = [a for _, a in d.store.query("audit") if a.get("subject") == iid]
    assert [a.get("action") for a in logged] == ["wishes"]
    # a person in a proposal being decided keeps their wishes until it is decided
    d.store.set(f"inquiries/{iid}", {"status": "proposed"}, merge=True)
    assert commands.edit_wishes(d, "c-test", iid, update) == "stale"
    _, bad = intake_rules.validate_wishes({**raw, "topics": ["astrology"]}, d.centre)
    assert [(p.field, p.code) for p in bad] == [("topics", "unknown_choice")]
