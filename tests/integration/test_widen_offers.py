"""The widening offer as a series (issue 21, "ask the person, early"), on the Firestore emulator
with a virtual clock: the change most likely to place the person is offered once their wait passes
the centre's `offer_after_days`; while they still have no group the next one follows
`offer_every_days` later, never the same change twice, up to the centre's `offers`; a person the
next pool run places anyway, or who no longer waits, is offered nothing."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from shared.config import Waiting
from shared.texts.me import ME
from tests.helpers.people import mails_to, subject, text_part
from tests.helpers.saga import deliver, drain, waiting_people
from tests.integration.test_lifecycle import at, world  # noqa: F401
from tests.integration.test_own_page import signed_up, task, waiting_now


def offers_to(tmp_path: Path, email: str) -> list[str]:
    return [
        text_part(x)
        for x in mails_to(tmp_path / "outbox", email)
        if subject(x) == ME["nb"]["offer_subject"]
    ]


def test_the_next_change_is_offered_while_they_wait_and_never_the_same_twice(
    world: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    d, q, clock = world
    w = d.centre.waiting
    # four want a weekday-evening group for relatives in Askøy; they want one at weekends
    waiting_people(d, 4, municipality="4627", topic="relatives")
    iid, _token, held, email = signed_up(
        d, q, tmp_path, municipality="4627", topics=["relatives"], times=["weekend"]
    )
    waiting_now(d, iid)
    created = d.store.get(f"inquiries/{iid}")["created_at"]
    first = task(d, held, "widen_offer", iid, 0)
    assert first.schedule_at == created + timedelta(days=w.offer_after_days)

    at(clock, first, d)
    deliver(d, first)  # delivered twice: one offer, one mail
    held = drain(d, q)
    doc = d.store.get(f"inquiries/{iid}")
    assert doc["widen_offers"] == ["time:weekday_evening"]  # the one that places them
    (mail,) = offers_to(tmp_path, email)
    assert ME["nb"]["widen_time"].split(":")[0] in mail and "/me?t=" in mail

    # silence: six weeks later the next change, one condition nearer (Askøy has no room at
    # weekends): online, then Bergen's rooms
    for step, expected in ((1, "digital:digital"), (2, "place:4601")):
        nxt = task(d, held, "widen_offer", iid, step)
        assert nxt.schedule_at == clock.t + timedelta(days=w.offer_every_days)
        at(clock, nxt, d)
        held = drain(d, q)
        doc = d.store.get(f"inquiries/{iid}")
        assert doc["widen_offers"][-1] == doc["widen_offered"] == expected
    assert doc["widen_offers"] == ["time:weekday_evening", "digital:digital", "place:4601"]
    mails = offers_to(tmp_path, email)
    assert len(mails) == 3 and any(re.search(r"reise\s+til\s+Bergen", m) for m in mails)
    # the centre's three offers are made: nothing more is scheduled
    assert [s for s in held if s.body.get("kind") == "widen_offer"] == []


def test_whoever_the_next_pool_run_places_is_offered_nothing_and_looked_at_again(
    world: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    d, q, clock = world
    waiting_people(d, 4, municipality="4627", topic="relatives")
    iid, _token, held, email = signed_up(d, q, tmp_path, municipality="4627")
    waiting_now(d, iid)  # the fifth of a weekday-evening group no pool run has proposed yet
    first = task(d, held, "widen_offer", iid, 0)
    at(clock, first, d)
    held = drain(d, q)
    assert offers_to(tmp_path, email) == [] and "widen_offers" not in d.store.get(
        f"inquiries/{iid}"
    )
    again = task(d, held, "widen_offer", iid, 1)
    assert again.schedule_at == clock.t + timedelta(days=14)
    # placed by then: the series ends without a word
    d.store.set(f"inquiries/{iid}", {"status": "placed"}, merge=True)
    at(clock, again, d)
    assert drain(d, q) == [] and offers_to(tmp_path, email) == []


def test_the_centre_caps_the_offers(world: Any, tmp_path: Path) -> None:  # noqa: F811
    d, q, clock = world
    d = dataclasses.replace(
        d, centre=d.centre.model_copy(update={"waiting": Waiting(offers=1, offer_after_days=30)})
    )
    waiting_people(d, 4, municipality="4627", topic="relatives")
    iid, _token, held, email = signed_up(
        d, q, tmp_path, municipality="4627", topics=["relatives"], times=["weekend"]
    )
    waiting_now(d, iid)
    first = task(d, held, "widen_offer", iid, 0)
    assert first.schedule_at == d.store.get(f"inquiries/{iid}")["created_at"] + timedelta(days=30)
    at(clock, first, d)
    # one offer and no next one, though going online would still bring them nearer
    assert [s for s in drain(d, q) if s.body.get("kind") == "widen_offer"] == []
    assert len(offers_to(tmp_path, email)) == 1
