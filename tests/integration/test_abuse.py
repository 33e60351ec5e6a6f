"""Issue 18, the abuse paths on the Firestore emulator with a virtual clock: the SMS bill (regions,
mobile numbers, the centre's hourly receipt cap), and what a slow provider or a stranger could do."""

from __future__ import annotations

import dataclasses
import json
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from shared.adapters.sms import OutboxSms
from tests.helpers.people import mails_to, person
from tests.helpers.saga import drain
from tests.integration.test_lifecycle import world  # noqa: F401
from workflows import intake


def with_centre(d: Any, **centre: Any) -> Any:
    c = d.centre.model_copy(update={"centre": d.centre.centre.model_copy(update=centre)})
    return dataclasses.replace(d, centre=c)


def sms_sent(folder: Path) -> list[dict[str, str]]:
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


def test_sms_only_to_mobile_numbers_of_the_centres_regions(world: Any, tmp_path: Path) -> None:  # noqa: F811
    """Any valid number in the world got a receipt SMS; a landline cannot read one."""
    d, q, _ = world
    d = dataclasses.replace(d, sms=OutboxSms(tmp_path / "sms"))
    numbers = {
        "+4741234567": True,  # Norwegian mobile
        "+4722334455": False,  # Oslo landline
        "+46701234567": False,  # Swedish mobile: not a region of the demo centre
        "+447400123456": False,  # British mobile
    }
    for number in numbers:
        body = person(phone=number)
        del body["email"]
        assert isinstance(intake.submit(d, body, "nb"), intake.Accepted)
    drain(d, q)
    assert sorted(m["to"] for m in sms_sent(tmp_path / "sms")) == ["+4741234567"]
    # a centre that lets Sweden in texts the Swedish mobile, still not the landline
    d2 = with_centre(d, sms_regions=("NO", "SE"))
    for number in ("+46701234568", "+4722334456"):
        body = person(phone=number)
        del body["email"]
        intake.submit(d2, body, "nb")
    drain(d2, q)
    assert sorted(m["to"] for m in sms_sent(tmp_path / "sms")) == ["+46701234568", "+4741234567"]


def test_the_region_setting_is_validated() -> None:
    from shared.config import Centre

    with pytest.raises(ValueError, match="XX"):
        Centre(id="x-y", name="x", mail_from="a@b.no", sms_regions=("NO", "XX"))
    assert Centre(id="x-y", name="x", mail_from="a@b.no", sms_regions=("SE",)).sms_regions == (
        "SE",
    )


def test_an_hourly_cap_on_receipts_reaches_the_coordinator_once(
    world: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    d, q, clock = world
    d = dataclasses.replace(
        d,
        sms=OutboxSms(tmp_path / "sms"),
        settings=d.settings.model_copy(update={"receipts_per_hour": 3}),
    )
    outbox = tmp_path / "outbox"
    people = [person() for _ in range(4)]
    texted = person(phone=f"+4741{secrets.randbelow(10**6):06d}")
    del texted["email"]
    for body in [*people, texted]:
        intake.submit(d, body, "nb")
    drain(d, q, twice=True)  # a redelivered receipt counts once
    got = [p for p in people if mails_to(outbox, p["email"])]
    assert len(got) == 3 and not sms_sent(tmp_path / "sms")  # SMS count against the same cap
    coordinator = d.centre.coordinators[0].email
    notices = [m for m in mails_to(outbox, coordinator) if "receipts-capped" in m["Message-ID"]]
    assert len(notices) == 1, [m["Subject"] for m in mails_to(outbox, coordinator)]
    # still in the same hour: more capped receipts, no second notice
    intake.submit(d, person(), "nb")
    drain(d, q)
    assert (
        len([m for m in mails_to(outbox, coordinator) if "receipts-capped" in m["Message-ID"]]) == 1
    )
    # the next hour has a fresh allowance
    clock.t += timedelta(hours=1)
    late = person()
    intake.submit(d, late, "nb")
    drain(d, q)
    assert len(mails_to(outbox, late["email"])) == 1
    # the counter expires like every rate-limit counter
    counters = d.store.query("ratelimits")
    mine = [doc for key, doc in counters if key.startswith("receipts-")]
    assert mine and all(doc["expire_at"] > clock.t for doc in mine)


def login_mails(outbox: Path, address: str) -> list[str]:
    return [
        m["Message-ID"] for m in mails_to(outbox, address) if "console-login" in m["Message-ID"]
    ]


def test_a_stranger_cannot_spend_the_coordinators_sign_in_quota(world: Any) -> None:  # noqa: F811
    """Issue 18: six requests an hour from anyone who knew the address used its quota up."""
    from workflows.console import auth

    d, _, _ = world
    d = dataclasses.replace(
        d,
        settings=d.settings.model_copy(
            update={"console_links_per_hour": 5, "console_address_links_per_hour": 20}
        ),
    )
    outbox = Path(d.mailer._dir)
    coordinator = d.centre.coordinators[0].email
    for _ in range(10):
        auth.request_link(d, coordinator, "203.0.113.66", "nb")
    assert len(login_mails(outbox, coordinator)) == 5  # the stranger's own share, no more
    auth.request_link(d, coordinator, "198.51.100.7", "nb")  # the coordinator, from their desk
    assert len(login_mails(outbox, coordinator)) == 6
    # many clients together cannot mail-bomb the address either
    for i in range(40):
        auth.request_link(d, coordinator, f"192.0.2.{i}", "nb")
    assert len(login_mails(outbox, coordinator)) == 20


def test_a_removed_coordinators_session_ends_at_the_next_request(world: Any) -> None:  # noqa: F811
    from tests.helpers.console import login_links
    from workflows.console import auth

    d, _, _ = world
    outbox = Path(d.mailer._dir)
    coordinator = d.centre.coordinators[0].email
    auth.request_link(d, coordinator, "198.51.100.8", "nb")
    (link,) = login_links(outbox)
    token = link.split("?t=", 1)[1]
    state, sid = auth.sign_in(d, token, None, "nb")
    assert state == "ok" and auth.session(d, sid) is not None
    others = tuple(c for c in d.centre.coordinators if c.email != coordinator)
    gone = dataclasses.replace(d, centre=d.centre.model_copy(update={"coordinators": others}))
    assert auth.session(gone, sid) is None
    assert auth.session(d, sid) is None  # and the session document is gone for good


def test_a_slow_send_whose_lease_ran_out_does_not_undo_the_one_that_took_over(
    world: Any,  # noqa: F811
) -> None:
    """Issue 18: delivery A's send hangs past its lease; B takes over and sends; then A's send
    fails and A deleted the lease — B's "sent" with it — so the next redelivery sent again."""
    from shared.ports import OutgoingMail, TransientError
    from workflows.messaging import mailing

    d, _, clock = world
    sent: list[str] = []
    mail = OutgoingMail(
        to="a@eksempel.no",
        subject="s",
        text="t",
        html="<p>t</p>",
        sender="x@y.no",
        message_key="k1",
    )

    class Slow:
        calls = 0

        def send(self, m: OutgoingMail) -> None:
            self.calls += 1
            if self.calls == 1:  # A: hangs past its lease, meanwhile B takes over and sends
                clock.t += mailing.LEASE + timedelta(seconds=1)
                assert mailing.send_once(dataclasses.replace(d, mailer=self), m) == "sent"
                raise TransientError("timed out")
            sent.append(m.message_key)

    slow = Slow()
    d2 = dataclasses.replace(d, mailer=slow)
    with pytest.raises(TransientError):
        mailing.send_once(d2, mail)
    assert sent == ["k1"]
    assert d.store.get("mail/k1")["status"] == "sent"  # B's mark survived A's failure
    assert mailing.send_once(d2, mail) == "already_sent"  # the redelivery sends nothing
    assert sent == ["k1"]


def test_the_lease_outlasts_the_slowest_send_and_the_sdks_are_bounded() -> None:
    """Issue 18: a lease equal to the function timeout while SES/SNS kept boto's 60 s reads and
    retries: a slow provider outlived the lease, and a redelivery sent the message again."""
    import boto3

    from shared.adapters import mail as adapters
    from shared.adapters.sms import SnsSms
    from workflows.messaging import mailing

    assert mailing.LEASE.total_seconds() > adapters.worst_send_seconds()
    assert mailing.LEASE.total_seconds() > 60  # the function's timeout (infra/)
    for client in (
        adapters.SesMailer("eu-north-1")._client,
        SnsSms("eu-north-1")._client,
    ):
        config = client.meta.config
        assert config.read_timeout <= 10 and config.connect_timeout <= 5
        assert config.retries["total_max_attempts"] <= 2
    assert adapters.SmtpMailer("smtp.example", 587)._timeout <= 10
    assert boto3  # the real SDK clients were built, not fakes


def test_a_group_keeps_counts_not_members_once_their_retention_ends(world: Any) -> None:  # noqa: F811
    """Issue 18: placed members' ids, homes and queue times stayed in groups/ about 14 months
    after their personal data went. When it goes, the group keeps how many and from where."""
    from tests.helpers.saga import act, deliver
    from tests.integration.test_lifecycle import at, confirmed, held_of

    d, q, clock = world
    gid, ids, held = confirmed(d, q, municipality="4601", topic="bereavement")
    at(clock, held_of(held, "first_meeting", d, gid), d)
    at(clock, held_of(held, "facilitation_over", d, gid), d)
    held += drain(d, q)
    g = d.store.get(f"groups/{gid}")
    assert g["status"] == "self_run" and set(g["members"]) == set(ids)
    forget = held_of(held, "forget_members", d, gid)
    placed_until = d.store.get(f"people/{ids[0]}")["expire_at"]
    assert placed_until <= forget.schedule_at <= placed_until + timedelta(days=2)
    at(clock, forget, d)
    deliver(d, forget)  # redelivered: nothing more changes
    g = d.store.get(f"groups/{gid}")
    assert g["members"] == {} and g["declined"] == [] and g["member_count"] == len(ids)
    assert g["member_homes"] == {"4601": len(ids)}
    for mid in ids:
        assert mid not in repr(g)
    # the follow-up links still work for the group, and no longer name the member
    renamed = [tid for key, tid in g["link_tokens"].items() if key.startswith("member-")]
    # each member's follow-up link (and, since issue 16, their "I can't continue" link)
    links = [t for t in renamed if d.store.get(f"tokens/{t}")["action"] == "request_followup"]
    assert len(links) == len(ids)
    assert all(d.store.get(f"tokens/{tid}")["inquiry_id"] is None for tid in links)
    assert act(d, links[0], "request_followup").status == 200
