"""The centre's own mailbox over SMTP (issue 11), against a real SMTP server process (aiosmtpd) with
TLS and AUTH required, certificates from a test CA (trustme): the receipt goes through it with
MAIL_BACKEND=smtp; a wrong password, an untrusted certificate and a server without STARTTLS are
dead-lettered with a reason that names the setting to fix and send nothing, twice over; an
unreachable server is retried."""

from __future__ import annotations

import dataclasses
import email
import subprocess
import sys
from collections.abc import Iterator
from email import policy
from pathlib import Path
from typing import Any

import pytest
import trustme

from scripts.stack import REPO, Stack, free_port, wait_port
from tests.helpers.people import person
from workflows import intake, tasks

USER, PASSWORD = "senter@linkbergen.example", "rett-passord"


@dataclasses.dataclass
class Server:
    port: int
    mode: str
    out: Path

    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(p.read_bytes(), policy=policy.default)  # type: ignore[misc]
            for p in sorted(self.out.glob("*.eml"))
        ]


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("smtp-ca")
    ca = trustme.CA()
    ca.issue_cert("127.0.0.1", "localhost").private_key_and_cert_chain_pem.write_to_path(
        str(root / "chain.pem")
    )
    ca.cert_pem.write_to_path(str(root / "ca.pem"))
    return root / "chain.pem", root / "ca.pem"


def start(mode: str, chain: Path, out: Path) -> tuple[Server, subprocess.Popen[bytes]]:
    port = free_port()
    cmd = [sys.executable, "-m", "tests.helpers.smtp_server", str(port), mode, str(chain)]
    cmd += [USER, PASSWORD, str(out)]
    proc = subprocess.Popen(
        cmd,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    wait_port(port, 20, proc)
    return Server(port, mode, out), proc


@pytest.fixture(scope="module", params=["starttls", "ssl"])
def server(
    request: pytest.FixtureRequest,
    tls: tuple[Path, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Server]:
    mode = str(request.param)
    found, proc = start(mode, tls[0], tmp_path_factory.mktemp(f"smtp-{mode}"))
    yield found
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def starttls_server(
    tls: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    found, proc = start("starttls", tls[0], tmp_path_factory.mktemp("smtp-plain"))
    yield found
    proc.terminate()
    proc.wait(10)


class Held:
    def __init__(self) -> None:
        self.tasks: list[Any] = []

    def enqueue(self, task: Any) -> None:
        self.tasks.append(task)


def smtp_deps(stack: Stack, server: Server, ca: Path | None, **over: Any) -> Any:
    """Deps built from settings with MAIL_BACKEND=smtp, as the runtime builds them; tasks held."""
    from shared.config import Settings
    from workflows.platform.runtime import build_deps

    values: dict[str, Any] = {
        "google_cloud_project": stack.project,
        "public_base_url": stack.base_url,
        "cloud_tasks_emulator_host": f"127.0.0.1:{stack.tasks_port}",
        "mail_backend": "smtp",
        "smtp_host": "127.0.0.1",
        "smtp_port": server.port,
        "smtp_username": USER,
        "smtp_password": PASSWORD,
        "smtp_security": server.mode,
        "smtp_ca_file": str(ca) if ca else "",
    }
    settings = Settings(**{**values, **over})
    return dataclasses.replace(build_deps(settings), queue=Held())


def receipt_task(d: Any, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    result = intake.submit(d, body, "nb")
    assert isinstance(result, intake.Accepted)
    (spec,) = [t for t in d.queue.tasks if t.body.get("mail") == "receipt"]
    return result.reference, spec.body


def test_the_receipt_goes_through_the_centres_mailbox(
    stack: Stack, server: Server, tls: tuple[Path, Path]
) -> None:
    d = smtp_deps(stack, server, tls[1])
    body = person()
    reference, task = receipt_task(d, body)
    answer = tasks.handle(d, "notify", task, "receipt", 0)
    assert answer == tasks.Answer(200, "sent")
    (msg,) = [m for m in server.messages() if m["To"] == body["email"]]
    assert reference in msg["Subject"]
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert reference in text and "/actions?t=" in text
    # a redelivery of the same task sends nothing more
    assert tasks.handle(d, "notify", task, "receipt", 1).outcome == "already_sent"
    assert len([m for m in server.messages() if m["To"] == body["email"]]) == 1


def test_a_calendar_invitation_keeps_its_method_through_smtp(
    stack: Stack, server: Server, tls: tuple[Path, Path]
) -> None:
    """Issue 16: the SMTP adapter sends the same MIME as the outbox and SES."""
    from shared.ports import Attachment, OutgoingMail

    d = smtp_deps(stack, server, tls[1])
    ics = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n"
    d.mailer.send(
        OutgoingMail(
            to="kari@example.no",
            subject="Avlyst",
            text="t",
            html="<p>t</p>",
            sender=d.centre.centre.mail_from,
            message_key="calendar-smtp-test",
            attachments=(Attachment("avlyst.ics", "text/calendar", ics, method="CANCEL"),),
        )
    )
    (msg,) = [m for m in server.messages() if m["Subject"] == "Avlyst"]
    (cal,) = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    assert cal.get_param("method") == "CANCEL" and cal.get_content_charset() == "utf-8"
    assert cal.get_payload(decode=True) == ics


@pytest.mark.parametrize(
    ("over", "use_ca", "reason"),
    [
        ({"smtp_password": "feil-passord"}, True, "check SMTP_USERNAME and SMTP_PASSWORD"),
        ({}, False, "certificate not trusted"),
    ],
)
def test_a_permanent_problem_is_dead_lettered_with_its_reason_and_sends_nothing(
    stack: Stack,
    server: Server,
    tls: tuple[Path, Path],
    over: dict[str, Any],
    use_ca: bool,
    reason: str,
) -> None:
    d = smtp_deps(stack, server, tls[1] if use_ca else None, **over)
    body = person()
    _, task = receipt_task(d, body)
    for attempt in range(2):  # the first delivery and a redelivery
        answer = tasks.handle(d, "notify", task, "receipt", attempt)
        assert answer == tasks.Answer(200, "dead_lettered")
    dead = d.store.get(f"deadletters/{task['task_id']}")
    assert reason in dead["reason"] and body["email"] not in dead["reason"]
    assert not [m for m in server.messages() if m["To"] == body["email"]]
    assert d.store.get(f"mail/receipt-{task['task_id']}") is None  # the lease was released


def test_starttls_switched_off_against_a_server_that_requires_it(
    stack: Stack, starttls_server: Server, tls: tuple[Path, Path]
) -> None:
    d = smtp_deps(stack, starttls_server, tls[1], smtp_security="none")
    _, task = receipt_task(d, person())
    assert tasks.handle(d, "notify", task, "receipt", 0).outcome == "dead_lettered"
    assert "check SMTP_SECURITY" in d.store.get(f"deadletters/{task['task_id']}")["reason"]


def test_an_unreachable_server_is_retried(stack: Stack, tls: tuple[Path, Path]) -> None:
    nobody = Server(free_port(), "starttls", Path("/nonexistent"))
    d = smtp_deps(stack, nobody, tls[1])
    _, task = receipt_task(d, person())
    assert tasks.handle(d, "notify", task, "receipt", 0) == tasks.Answer(503, "retry")


def test_the_local_stack_sends_the_receipt_through_smtp(
    stack: Stack,
    starttls_server: Server,
    tls: tuple[Path, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """`make run` with MAIL_BACKEND=smtp: the stack's own functions (scripts/stack.py, on the same
    emulators, a database of their own) post the form, queue the receipt and send it through the
    SMTP server — nothing lands in the outbox folder."""
    import requests

    from tests.helpers.people import person as someone

    s = stack.sibling(
        tmp_path_factory.mktemp("smtp-stack"),
        "linkflyt-smtp",
        MAIL_BACKEND="smtp",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(starttls_server.port),
        SMTP_USERNAME=USER,
        SMTP_PASSWORD=PASSWORD,
        SMTP_SECURITY="starttls",
        SMTP_CA_FILE=str(tls[1]),
    )
    try:
        s.start_functions()
    finally:
        stack._child_env()
    try:
        body = someone()
        r = requests.post(
            f"{s.base_url}/intake", json=body, headers={"X-Forwarded-For": "192.0.2.77"}, timeout=30
        )
        assert r.status_code == 201, r.text
        ref = r.json()["reference"]

        def arrived() -> list[Any]:
            return [m for m in starttls_server.messages() if m["To"] == body["email"]]

        from tests.conftest import wait_for

        (msg,) = wait_for(arrived, timeout=30)
        assert ref in str(msg["Subject"])
        assert not list(s.outbox_dir.glob("*.eml"))
    finally:
        s.stop()
