"""The SES mail adapter against moto's SES (mock_aws), the only place moto is used."""

from __future__ import annotations

import email

import boto3
import pytest
from moto import mock_aws
from moto.ses.models import ses_backends

from shared.adapters.mail import SesMailer
from shared.ports import Attachment, OutgoingMail, PermanentError


@pytest.fixture()
def ses(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        client = boto3.client("ses", region_name="eu-north-1")
        yield client


def mail(to: str = "kari@example.no") -> OutgoingMail:
    return OutgoingMail(
        to=to,
        subject="Vi har mottatt påmeldingen din (LF-ABCD-EFGH)",
        text="Hei Kari",
        html="<p>Hei Kari</p>",
        sender="post@linkbergen.example",
        message_key="receipt-abc",
        attachments=(
            Attachment(
                "moter.ics",
                "text/calendar",
                b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n",
                method="REQUEST",
            ),
        ),
    )


def test_ses_sends_a_multipart_message(ses) -> None:  # type: ignore[no-untyped-def]
    ses.verify_email_identity(EmailAddress="post@linkbergen.example")
    SesMailer("eu-north-1", client=ses).send(mail())
    sent = ses_backends["123456789012"]["eu-north-1"].sent_messages
    assert len(sent) == 1
    msg = email.message_from_string(sent[0].raw_data)
    assert msg["To"] == "kari@example.no"
    types = [p.get_content_type() for p in msg.walk()]
    assert "text/plain" in types and "text/html" in types and "text/calendar" in types
    # issue 16: the invitation's part names its method, as Outlook needs to offer it as one
    (cal,) = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    assert cal.get_param("method") == "REQUEST" and cal.get_content_charset() == "utf-8"
    assert "LF-ABCD-EFGH" in str(
        email.header.make_header(email.header.decode_header(msg["Subject"]))
    )


def test_unverified_sender_is_a_permanent_failure(ses) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermanentError):
        SesMailer("eu-north-1", client=ses).send(mail())
