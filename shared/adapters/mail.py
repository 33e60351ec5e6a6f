"""The Mailer port: an outbox folder of .eml files (local default), Amazon SES, or SMTP."""

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


# Issue 18: the SDKs' defaults (60 s read timeout, several retries) let one send outlast the
# mail lease, so a redelivery sent it again. Short timeouts and one retry bound every send; the
# lease (workflows/messaging/mailing.LEASE) is longer than the worst of them, which a test checks.
AWS_CONNECT_SECONDS = 3.0
AWS_READ_SECONDS = 10.0
AWS_ATTEMPTS = 2  # the first try and one retry
SMTP_SECONDS = 10.0  # per blocking socket operation
SMTP_OPERATIONS = 7  # connect, EHLO, STARTTLS, EHLO, AUTH, MAIL/RCPT/DATA, QUIT


def aws_config() -> Any:
    from botocore.config import Config

    return Config(
        connect_timeout=AWS_CONNECT_SECONDS,
        read_timeout=AWS_READ_SECONDS,
        retries={"total_max_attempts": AWS_ATTEMPTS, "mode": "standard"},
    )


def worst_send_seconds() -> float:
    """The longest one send can take with these settings (standard retry backs off at most 20 s)."""
    aws = AWS_ATTEMPTS * (AWS_CONNECT_SECONDS + AWS_READ_SECONDS) + 20.0
    return max(aws, SMTP_OPERATIONS * SMTP_SECONDS)


class SesMailer:
    def __init__(self, region: str, client: Any | None = None) -> None:
        if client is None:
            import boto3

            client = boto3.client("ses", region_name=region, config=aws_config())
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


class SmtpMailer:
    """The centre's own mailbox over SMTP (issue 11): the standard library's smtplib, TLS with
    certificate and host name verification (STARTTLS on 587, implicit TLS on 465), a timeout, and
    errors sorted for the task queue: a refused login, a bad certificate and a 5xx answer are
    permanent (dead-lettered, with a reason that names the setting to fix); a timeout, a dropped
    connection and a 4xx answer are transient (retried). Nothing of the message is in an error."""

    def __init__(
        self,
        host: str,
        port: int,
        username: str = "",
        password: str = "",
        security: str = "starttls",
        timeout: float = SMTP_SECONDS,
        ca_file: str = "",
    ) -> None:
        if not host:
            raise ValueError("SMTP_HOST is not set")
        self._host, self._port = host, port
        self._username, self._password = username, password
        self._security, self._timeout, self._ca_file = security, timeout, ca_file

    def _context(self) -> Any:
        import ssl

        return ssl.create_default_context(cafile=self._ca_file or None)

    def send(self, mail: OutgoingMail) -> None:
        import smtplib
        import ssl

        msg = build_mime(mail)
        try:
            smtp: smtplib.SMTP
            if self._security == "ssl":
                smtp = smtplib.SMTP_SSL(
                    self._host, self._port, timeout=self._timeout, context=self._context()
                )
            else:
                smtp = smtplib.SMTP(self._host, self._port, timeout=self._timeout)
            with smtp:
                if self._security == "starttls":
                    smtp.starttls(context=self._context())
                if self._username:
                    smtp.login(self._username, self._password)
                smtp.send_message(msg, from_addr=mail.sender, to_addrs=[mail.to])
        except smtplib.SMTPAuthenticationError as exc:
            raise PermanentError(
                f"smtp login refused ({exc.smtp_code}): check SMTP_USERNAME and SMTP_PASSWORD"
            ) from exc
        except smtplib.SMTPNotSupportedError as exc:
            if not (mail.to.isascii() and mail.sender.isascii()):
                # issue 18: this was reported as a missing STARTTLS or AUTH
                raise PermanentError(
                    "smtp server does not offer SMTPUTF8, needed for an address beyond ASCII: "
                    "leave SMTP_UTF8 off so the form refuses such addresses"
                ) from exc
            raise PermanentError(
                "smtp server does not offer STARTTLS or AUTH: check SMTP_SECURITY and SMTP_PORT"
            ) from exc
        except ssl.SSLCertVerificationError as exc:
            raise PermanentError(
                f"smtp certificate not trusted for {self._host}: check SMTP_HOST"
            ) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            codes = sorted({code for code, _ in exc.recipients.values()})
            if all(400 <= c < 500 for c in codes):
                raise TransientError(f"smtp recipient deferred {codes}") from exc
            raise PermanentError(f"smtp recipient refused {codes}") from exc
        except smtplib.SMTPResponseException as exc:
            if 400 <= exc.smtp_code < 500:
                raise TransientError(f"smtp answered {exc.smtp_code}") from exc
            raise PermanentError(f"smtp answered {exc.smtp_code}") from exc
        except (smtplib.SMTPException, OSError) as exc:  # timeouts, refused or dropped connections
            raise TransientError(f"smtp unreachable: {type(exc).__name__}") from exc
