"""SMS for people who gave only a phone number (issue 11), on the Firestore emulator: the whole
placement by SMS only — receipt, invitation, accept, confirmation, reminder, survey — on the outbox
adapter and on Amazon SNS under moto; redelivered tasks send nothing twice; the short links act
through the real actions function, and nothing of a message reaches the logs."""

from __future__ import annotations

import dataclasses
import json
import re
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from botocore.stub import Stubber
from moto import mock_aws
from moto.sns.models import sns_backends

from shared.adapters.mail import OutboxMailer
from shared.adapters.sms import OutboxSms, SnsSms
from shared.domain import sms as segments
from shared.ports import OutgoingSms, PermanentError, TransientError
from tests.conftest import wait_for
from tests.helpers.people import person
from tests.helpers.saga import captured, deliver, drain, waiting_people
from workflows.links import actions
from workflows.messaging import notify
from workflows.platform import chain
from workflows.platform.messages import NotifyTask
from workflows.saga import assemble

LINK = re.compile(r"https?://\S+/actions\?s=([A-Za-z0-9_~-]+)")
ME_LINK = re.compile(r"https?://\S+/me\?s=([A-Za-z0-9_~-]+)")
Read = Callable[[], list[dict[str, str]]]


def phone() -> str:
    return f"+4741{secrets.randbelow(10**6):06d}"


def test_phone_only_receipt_arrives_by_sms_through_the_stack(stack: Any, client_ip: str) -> None:
    number = f"41{secrets.randbelow(10**6):06d}"
    body = person(phone=number, message="Hemmelig melding")
    del body["email"]
    r = requests.post(
        f"{stack.base_url}/intake", json=body, headers={"X-Forwarded-For": client_ip}, timeout=30
    )
    assert r.status_code == 201, r.text
    ref = r.json()["reference"]

    def mine() -> list[dict[str, str]]:
        found = [json.loads(p.read_text()) for p in stack.sms_dir.glob("*.json")]
        return [m for m in found if m["to"] == f"+47{number}"]

    sent = wait_for(mine)
    assert len(sent) == 1
    text = sent[0]["body"]
    assert ref in text and segments.fits(text)
    code = ME_LINK.search(text)
    assert code, text
    # the short link opens the person's own page (issue 17), which offers the erase action (a
    # form posting to the erase link); GET does not act
    page = requests.get(f"{stack.base_url}/me", params={"s": code.group(1)}, timeout=10)
    assert page.status_code == 200 and 'value="erase"' in page.text
    assert 'action="http' in page.text and "/actions?t=" in page.text
    assert not list(stack.sms_dir.glob(".tmp-*"))  # written atomically
    # no email to the coordinator asking to phone this person about the receipt, and no trace
    # of the number or the message in any function's log
    for log in stack.log_dir.glob("*"):
        content = log.read_text(errors="replace")
        assert number not in content and "Hemmelig melding" not in content


def phone_only(deps: Any, ids: list[str], lang: str) -> dict[str, str]:
    numbers = {}
    for mid in ids:
        numbers[mid] = phone()
        deps.store.set(f"people/{mid}", {"email": None, "phone": numbers[mid]}, merge=True)
        deps.store.set(f"inquiries/{mid}", {"lang": lang, "has_email": False}, merge=True)
    return numbers


@pytest.fixture(params=["outbox", "sns"])
def backend(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Any, Read]]:
    if request.param == "outbox":
        folder = tmp_path / "sms"

        def read_outbox() -> list[dict[str, str]]:
            return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]

        yield OutboxSms(folder), read_outbox
        return
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        sender = SnsSms("eu-north-1", "LINKBergen")

        def read_sns() -> list[dict[str, str]]:
            sent = sns_backends["123456789012"]["eu-north-1"].sms_messages
            return [{"to": to, "body": body} for to, body in sent.values()]

        yield sender, read_sns


def follow(deps: Any, text: str, action: str, **answers: str) -> actions.Page:
    """Open the SMS's link like a phone would: GET shows the page, POST acts."""
    code = LINK.search(text)
    assert code, text
    signed = actions.expand_short(deps, code.group(1))
    page = actions.view(deps, signed, "nb")
    assert page.status == 200 and f'value="{action}"' in page.html, page.html[:300]
    form = {"action": [action], **{k: [v] for k, v in answers.items()}}
    return actions.act(deps, signed, form, "nb")


@pytest.fixture()
def own_deps(deps: Any) -> Any:
    """Deps on a database of its own (same emulator, another project) with the demo centre's
    facilitators and rooms: other tests' groups cannot take the places this one needs."""
    from scripts.demo import load
    from shared.adapters.firestore_store import FirestoreStore

    store = FirestoreStore(f"linkflyt-sms-{secrets.token_hex(4)}")
    load(store=store)
    return dataclasses.replace(deps, store=store)


def test_a_phone_only_member_is_placed_by_sms_alone(
    own_deps: Any, backend: tuple[Any, Read], tmp_path: Path
) -> None:
    sender, read = backend
    d, q = captured(own_deps)
    d = dataclasses.replace(d, sms=sender, mailer=OutboxMailer(tmp_path / "mail"))
    lang = "nb" if isinstance(sender, OutboxSms) else "uk"
    ids = waiting_people(d, 5, municipality="4631", topic="loneliness")
    numbers = phone_only(d, ids[:2], lang)
    assert assemble.assemble_pool(d)
    drain(d, q, twice=True)
    gid = d.store.get(f"inquiries/{ids[0]}")["group_id"]
    g = d.store.get(f"groups/{gid}")
    assert follow_token(d, g["approval_token"], "approve_group")
    drain(d, q, twice=True)
    g = d.store.get(f"groups/{gid}")
    assert follow_token(d, g["offer"]["accept_token"], "accept_offer")
    drain(d, q, twice=True)  # invitations: twice each, out of the queue's order
    for mid in ids[2:]:
        member = d.store.get(f"groups/{gid}")["members"][mid]
        assert follow_token(d, member["accept_token"], "accept_invitation")

    def to(mid: str) -> list[str]:
        return [m["body"] for m in read() if m["to"] == numbers[mid]]

    for mid in ids[:2]:
        invitations = to(mid)
        assert len(invitations) == 1, invitations  # once, though delivered twice
        assert all(segments.fits(t) for t in invitations)
        assert follow(d, invitations[0], "accept_invitation").status == 200
    held = drain(d, q, twice=True)  # the confirmations now; the reminder and survey are due later
    assert d.store.get(f"groups/{gid}")["status"] == "confirmed"
    # in the order time brings them: the reminder two days before the first meeting, then the rest
    held.sort(key=lambda spec: spec.schedule_at or d.clock.now())
    for spec in held:
        deliver(d, spec)
        deliver(d, spec)
    drain(d, q, twice=True, run_scheduled=True)
    # the survey waits in the outbox until sweep brings it within Cloud Tasks' 30 days (test_year
    # covers that path); here its task arrives as the chain would send it, twice
    for mid in ids[:2]:
        task = NotifyTask(
            task_id=chain.task_id("notify", "survey", gid, mid),
            mail="survey",
            subject_id=gid,
            recipient_id=mid,
        )
        assert notify.handle(d, task) == "sent"
        assert notify.handle(d, task) == "already_sent"
    for mid in ids[:2]:
        texts = to(mid)
        assert len(texts) == 4, texts  # invitation, confirmation, reminder, survey
        assert all(segments.fits(t) for t in texts)
        (survey,) = [t for t in texts if len(LINK.findall(t)) == 1]
        assert follow(d, survey, "survey", satisfaction="5").status == 200
        assert d.store.get(f"inquiries/{mid}")["status"] == "placed"
    # the coordinator was not asked to phone anyone: invitation emails went to the three members
    # with an address only (the phone-only fallback uses the same key, "invite-<task>")
    mails = [p.name for p in (tmp_path / "mail").glob("*.eml")]
    assert len([m for m in mails if m.startswith("invite-")]) == 3, mails


def follow_token(deps: Any, token_id: str, action: str) -> bool:
    from tests.helpers.saga import act

    return act(deps, token_id, action).status == 200


def test_outbox_writes_one_json_file_per_message_once(tmp_path: Path) -> None:
    box = OutboxSms(tmp_path / "sms")
    sms = OutgoingSms(to="+4741234567", body="Første møte 14.12.", message_key="sms-x")
    box.send(sms)
    box.send(OutgoingSms(to="+4741234567", body="changed", message_key="sms-x"))
    files = list((tmp_path / "sms").iterdir())
    assert [f.name for f in files] == ["sms-x.json"]
    assert json.loads(files[0].read_text(encoding="utf-8")) == {
        "to": "+4741234567",
        "body": "Første møte 14.12.",
    }


def test_sns_publishes_a_transactional_message_under_moto(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        SnsSms("eu-north-1", "LINKBergen").send(
            OutgoingSms(to="+4741234567", body="Ja: x Nei: y", message_key="k")
        )
        sent = list(sns_backends["123456789012"]["eu-north-1"].sms_messages.values())
    assert sent == [("+4741234567", "Ja: x Nei: y")]


@pytest.mark.parametrize(
    ("code", "kind", "says"),
    [
        ("OptedOut", PermanentError, "opted out"),
        ("InvalidParameter", PermanentError, "phone number"),
        ("AuthorizationError", PermanentError, "SMS role"),
        ("Throttling", TransientError, "Throttling"),
        ("InternalError", TransientError, "InternalError"),
    ],
)
def test_sns_errors_are_sorted_for_the_queue_and_hold_no_message(
    code: str, kind: type[Exception], says: str
) -> None:
    client = boto3.client(
        "sns",
        region_name="eu-north-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    with Stubber(client) as stub:
        stub.add_client_error("publish", service_error_code=code, service_message="+4741234567")
        with pytest.raises(kind) as raised:
            SnsSms("eu-north-1", client=client).send(
                OutgoingSms(to="+4741234567", body="Hemmelig", message_key="k")
            )
    assert says in str(raised.value)
    assert "4741234567" not in str(raised.value) and "Hemmelig" not in str(raised.value)
