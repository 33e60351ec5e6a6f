"""No name, contact, message or IP in the logs: run the people through every path, then scan."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import wait_for
from tests.helpers.people import mails_to, person, text_part


def test_logs_hold_no_personal_data(
    stack: Any, outbox: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    ip = "203.0.113.201"
    people = [
        person(phone="41234567", message="Hemmelig melding om sorg"),
        person(municipality="4628"),
    ]
    for body in people:
        assert (
            requests.post(
                f"{stack.base_url}/intake", json=body, headers={"X-Forwarded-For": ip}, timeout=30
            ).status_code
            == 201
        )
        bad = {**body, "email": body["email"] + "@@", "phone": "99"}
        assert (
            requests.post(
                f"{stack.base_url}/intake", json=bad, headers={"X-Forwarded-For": ip}, timeout=30
            ).status_code
            == 422
        )
        requests.post(
            f"{stack.base_url}/intake",
            json={**body, "website": "x"},
            headers={"X-Forwarded-For": ip},
            timeout=30,
        )
    first = wait_for(lambda: mails_to(outbox, people[0]["email"]))[0]
    url = re.search(r"http://\S+/actions\?t=\S+", text_part(first)).group(0)
    assert requests.post(url, data={"action": "erase"}, timeout=10).status_code == 200
    wait_for(lambda: mails_to(outbox, people[1]["email"]))

    logged = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in stack.log_dir.glob("functions-*.log")
    )
    logged += "\n" + caplog.text
    assert "inquiry stored" in logged  # the logs are there and structured
    secrets_ = [ip, "Hemmelig melding", "41234567", "+4741234567"]
    for body in people:
        secrets_ += [body["name"], body["email"], body["email"].split("@")[0]]
    for secret in secrets_:
        assert secret not in logged, f"personal data in logs: {secret!r}"
