"""Issue 19: a backup nobody has restored is not a backup. The drill exports a simulated period's
database, restores it into a fresh emulator and judges it with the simulated year's invariants."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

from bench.restore_drill import drill, problems


def test_a_restored_database_holds_everything_and_keeps_every_invariant(tmp_path: Path) -> None:
    d = drill(days=12, seed=5, workdir=tmp_path)
    assert d.problems == []
    assert d.restored == d.collections  # every collection, every document
    assert {"inquiries", "people", "outbox", "stats"} <= set(d.collections)
    assert sum(d.collections.values()) > 50
    assert d.export_seconds > 0 and d.restore_seconds > 0 and d.redriven >= 0
    assert (tmp_path / "export").is_dir()


def test_a_collection_missing_after_the_restore_fails_the_drill() -> None:
    """The judge itself, on a database that lacks what the export held."""

    class Empty:
        _client = SimpleNamespace(collections=lambda: [])

        def query(self, *_: object, **__: object) -> list[object]:
            return []

        def get(self, _: str) -> None:
            return None

        def get_many(self, paths: list[str]) -> dict[str, None]:
            return dict.fromkeys(paths)

    from shared.config import get_centre

    found = problems(Empty(), {"inquiries": 3}, [], datetime.now(UTC), get_centre().retention)
    assert found == ["inquiries: 3 documents before, 0 after the restore"]
