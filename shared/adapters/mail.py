"""The Mailer port: an outbox folder of .eml files (local default) or Amazon SES."""

from __future__ import annotations

import os
import tempfile
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any

from shared.ports import OutgoingMail, PermanentError, TransientError


def build_mime(mail: OutgoingMail) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = mail.sender
    msg["To"] = mail.to
    msg["Subject"] = mail.subject
    msg["Date"] = formatdate(localtime=False)
    domain = mail.sender.rsplit("@", 1)[-1].strip(">") or "linkflyt.local"
    msg["Message-ID"] = f"<{mail.message_key}@{domain}>"
    msg.set_content(mail.text)
    msg.add_alternative(mail.html, subtype="html")
    for att in mail.attachments:
        maintype, subtype = att.content_type.split("/", 1)
        msg.add_attachment(att.data, maintype=maintype, subtype=subtype, filename=att.filename)
    return msg


class OutboxMailer:
    """One RFC 5322 file per message, written atomically (temp file + rename), named by its key."""

    def __init__(self, directory: Path) -> None:
        self._dir = Path(directory)

    def send(self, mail: OutgoingMail) -> None:
        self._dir.mkdir(parents=True, exist_ok=True)
        final = self._dir / f"{mail.message_key}.eml"
        if final.exists():
            # Sent before: a crash between sending and marking it sent cannot make a duplicate
            # here (issue 8). SES has no such check; README § Email says so.
            return
        data = bytes(build_mime(mail))
        fd, tmp = tempfile.mkstemp(dir=self._dir, prefix=".tmp-", suffix=".eml")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, final)


class SesMailer:
    def __init__(self, region: str, client: Any | None = None) -> None:
        if client is None:
            import boto3

            client = boto3.client("ses", region_name=region)
        self._client = client

    def send(self, mail: OutgoingMail) -> None:
        from botocore.exceptions import ClientError, EndpointConnectionError

        try:
            self._client.send_raw_email(
                Source=mail.sender,
                Destinations=[mail.to],
                RawMessage={"Data": bytes(build_mime(mail))},
            )
        except EndpointConnectionError as exc:
            raise TransientError("ses unreachable") from exc
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in ("Throttling", "ServiceUnavailable"):
                raise TransientError(code) from exc
            raise PermanentError(code) from exc
