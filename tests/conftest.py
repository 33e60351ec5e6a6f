"""Shared fixtures: one local stack (Firestore emulator, Cloud Tasks emulator, all functions) per run.

Unit tests do not touch it; anything under tests/integration or tests/e2e gets the real emulators.
"""

from __future__ import annotations

import itertools
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scripts.stack import REPO, Stack

_ips = itertools.count(1)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("stack")
    s = Stack.on_free_ports(
        root,
        "linkflyt-test",
        RATE_LIMIT_PER_HOUR="30",
        # the fuzz tests send hundreds of odd links from one address (issue 18's limit is
        # tested in-process: test_intake_http.py::test_failed_link_checks_…)
        FAILED_LINKS_PER_HOUR="100000",
        RECEIPTS_PER_HOUR="100000",  # the whole suite posts more than an hour's cap
        TRUST_FORWARDED_FOR="true",
        LINK_SIGNING_KEY="test-signing-key",
        RATE_LIMIT_SECRET="test-rate-secret",
    )
    s.start()
    try:
        yield s
    finally:
        s.stop()
        keep = os.environ.get("LINKFLYT_KEEP_TEST_LOGS")
        if keep:
            shutil.copytree(root, Path(keep), dirs_exist_ok=True)


@pytest.fixture(scope="session")
def console_stack(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The console's tests add facilitators and rooms and erase people: on functions with a
    database of their own (same emulators), so no other test's pool changes under it."""
    # the whole suite signs in more often than an hour's caps allow one coordinator (both caps
    # are tested in-process: test_abuse.py::test_a_stranger_cannot_spend_the_coordinators_…)
    s = stack.sibling(
        tmp_path_factory.mktemp("console"),
        "linkflyt-console",
        CONSOLE_LINKS_PER_HOUR="200",
        CONSOLE_ADDRESS_LINKS_PER_HOUR="1000",
    )
    try:
        s.start_functions()
    finally:
        stack._child_env()  # the test process talks to the main stack unless told otherwise
    try:
        yield s
    finally:
        s.stop()


@pytest.fixture(scope="session")
def simulated_period(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One simulated period for the tests that judge a whole one (tests/helpers/period.py)."""
    from tests.helpers.period import run_period

    return run_period(tmp_path_factory.mktemp("period"))


@pytest.fixture()
def console_deps(console_stack: Stack) -> Any:
    """Deps on the console stack's database (built without touching the process environment)."""
    from shared.config import Settings, reset_caches
    from workflows.platform.runtime import build_deps

    reset_caches()
    return build_deps(
        Settings(
            google_cloud_project=console_stack.project,
            public_base_url=console_stack.base_url,
            outbox_dir=console_stack.outbox_dir,
            cloud_tasks_emulator_host=f"127.0.0.1:{console_stack.tasks_port}",
        )
    )


@pytest.fixture()
def client_ip() -> str:
    """A fresh client address per test (sent as X-Forwarded-For), so rate limits do not leak."""
    n = next(_ips) + os.getpid() % 1000 * 1000
    return f"198.51.{(n // 250) % 250}.{n % 250 + 1}"


@pytest.fixture()
def deps(stack: Stack) -> Any:
    from shared.config import reset_caches
    from workflows.platform.runtime import build_deps

    reset_caches()
    return build_deps()


def wait_for(predicate: Callable[[], Any], timeout: float = 20.0, interval: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(interval)


@pytest.fixture()
def outbox(stack: Stack) -> Path:
    return stack.outbox_dir


__all__ = ["REPO", "wait_for"]
