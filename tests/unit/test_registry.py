"""Issue 19: the data registry (shared/registry.py) is complete and agrees with the code's own
numbers. What the code really writes is checked on the emulator (tests/integration/test_registry_database.py);
infra/'s TTL policies and backups in tests/unit/test_infra.py."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from scripts.stack import REPO
from shared import registry
from shared.config import load_centre

# String literals that look like "<name>/<...>" in the code but are no collection.
NOT_COLLECTIONS = {
    "console",  # templates: console/<page>.html
    "projects",  # Google resource names: projects/<p>/locations/<l>/...
    "text",  # media types: text/html, text/calendar
    "application",  # application/json, application/x-www-form-urlencoded
    "multipart",  # multipart/form-data (the console's import upload, issue 17)
}
PATH = re.compile(r"""(?:f?["'])([a-z_]{3,})/(?:\{|[a-z_-]+["'])""")
QUERY = re.compile(r"""\.query\(\s*["']([a-z_]+)["']""")
CONSTANT = re.compile(r"""^(?:COLLECTION|STATE)\s*=\s*["']([a-z_]+)""", re.M)


def collections_named_in(root: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        text = path.read_text()
        for pattern in (PATH, QUERY, CONSTANT):
            for name in pattern.findall(text):
                found.setdefault(name, set()).add(str(path.relative_to(root)))
    return found


def test_every_collection_the_code_names_is_in_the_registry() -> None:
    """Also the ones the simulated year never reaches (the console's): by the code's path literals."""
    named = {}
    for room in ("workflows", "shared", "functions"):
        named |= collections_named_in(REPO / room)
    unknown = {n: sorted(w) for n, w in named.items() if n not in registry.BY_NAME}
    assert set(unknown) <= NOT_COLLECTIONS, unknown
    assert {"people", "inquiries", "audit", "console_sessions", "outbox", "digests"} <= set(named)


def test_the_scan_finds_a_new_collection(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(
        'tx.set(f"notes/{iid}", {"text": t})\nstore.query("moods")\nCOLLECTION = "diaries"\n'
    )
    assert set(collections_named_in(tmp_path)) == {"notes", "moods", "diaries"}


def test_every_entry_is_complete() -> None:
    centre = load_centre(REPO / "config" / "centres" / "link-bergen.toml")
    figures = registry.figures(centre)
    for c in registry.COLLECTIONS:
        assert c.basis in registry.LEGAL_BASES, c.name
        assert c.audience and set(c.audience) <= set(registry.AUDIENCES), c.name
        assert c.what and c.purpose, c.name
        assert bool(c.keep) != bool(c.kept), f"{c.name}: either retention rules or words"
        names = [f.name for f in c.fields]
        assert len(names) == len(set(names)), c.name
        assert ("expire_at" in names) == c.ttl, c.name
        for f in c.fields:
            assert f.category in registry.CATEGORIES and f.what, f"{c.name}.{f.name}"
            f.what.format(**figures)
        for k in c.keep:
            k.text.format(**figures)  # every number a text names exists
    # what the assessment is about is where it should be
    assert registry.BY_NAME["people"].field("message").category == "special"  # type: ignore[union-attr]
    assert registry.BY_NAME["inquiries"].field("topics").category == "special"  # type: ignore[union-attr]
    assert registry.BY_NAME["people"].category == "special"
    assert registry.BY_NAME["stats"].category == "anonymous"
    assert registry.BY_NAME["surveys"].category == "anonymous"


@pytest.mark.parametrize(
    ("registered", "code"),
    [
        ("RECHECK_DAYS", "workflows.saga.retention:RECHECK"),
        ("GRACE_DAYS", "workflows.saga.retention:GRACE"),
        ("GROUP_FINISHED_DAYS", "workflows.saga.proposal:FINISHED_KEEP"),
        ("OUTBOX_AFTER_DUE_DAYS", "workflows.platform.outbox:KEEP"),
        ("PROCESSED_DAYS", "workflows.platform.steps:KEEP_PROCESSED"),
        ("AUDIT_DAYS", "workflows.console.auth:AUDIT_KEEP"),
        ("MAIL_LEASE_SECONDS", "workflows.messaging.mailing:LEASE"),
        ("SESSION_HOURS", "workflows.console.auth:SESSION_HOURS"),
        ("LOGIN_LINK_MINUTES", "workflows.console.auth:LOGIN_MINUTES"),
        ("SELF_LINK_DAYS", "workflows.console.commands:SELF_LINK_DAYS"),
    ],
)
def test_the_registrys_durations_are_the_codes_constants(registered: str, code: str) -> None:
    """The named constants; the literals (90 days for dead letters, three years for surveys, ...)
    are held to what the code writes on the emulator (tests/integration/test_registry_database.py)."""
    import importlib

    module, _, name = code.partition(":")
    value = getattr(importlib.import_module(module), name)
    mine = getattr(registry, registered)
    if isinstance(value, timedelta):
        unit = {"SECONDS": "seconds", "HOURS": "hours", "MINUTES": "minutes"}
        kind = next((v for k, v in unit.items() if registered.endswith(k)), "days")
        assert value == timedelta(**{kind: mine}), f"{code} is {value}, the registry says {mine}"
    else:
        assert value == mine, f"{code} is {value}, the registry says {mine}"


def test_a_deadletter_keeps_what_the_registry_says() -> None:
    """One literal checked without the emulator: workflows/platform/steps.dead_letter's 90 days."""
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from workflows.platform.steps import dead_letter

    written: dict[str, dict[str, object]] = {}
    now = datetime(2027, 3, 1, tzinfo=UTC)
    deps = SimpleNamespace(
        clock=SimpleNamespace(now=lambda: now),
        store=SimpleNamespace(set=lambda path, doc: written.__setitem__(path, doc)),
    )
    dead_letter(deps, "t1", "notify", "x")  # type: ignore[arg-type]
    doc = {**written["deadletters/t1"], "_id": "t1"}
    centre = load_centre(REPO / "config" / "centres" / "link-bergen.toml")
    assert registry.retention_problems("deadletters", doc, lambda p: None, centre, (now, now)) == []
    assert doc["expire_at"] == now + timedelta(days=registry.DEADLETTER_DAYS)


def test_the_backups_and_the_privacy_text_agree() -> None:
    """README states how long an erased person's data can remain in backups: the registry's."""
    weeks = registry.longest_backup_days() // 7
    assert weeks == 8
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("## Backups and restore") :]
    section = section[: section.index("\n## ", 3)]
    assert f"{weeks} weeks" in section
    assert {b.name for b in registry.BACKUPS} == {"pitr", "daily", "weekly"}
