"""Issue 20: no import cycle among the project's own modules, function-local imports included.

A cycle hidden in an import inside a function is still a cycle (it only moves the failure to the
first call): the shared piece belongs in a module of its own. grimp (the graph import-linter
builds on) reads every import statement of a module, wherever it stands, so it sees those too.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import grimp
import pytest

PACKAGES = ("shared", "workflows", "functions", "scripts", "bench")


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The import loops, each as [a, b, …, a]: a shortest one through each module on a loop
    (a module already shown in one is not started from again)."""
    closing = [
        (importer, imported)
        for importer in sorted(graph.modules)
        for imported in sorted(graph.find_modules_directly_imported_by(importer))
        if imported != importer and graph.chain_exists(imported, importer)
    ]
    seen: set[str] = set()
    found = []
    for importer, imported in closing:
        if importer in seen:
            continue
        back = graph.find_shortest_chain(imported, importer)
        assert back is not None
        loop = [importer, *back]
        seen.update(loop)
        found.append(loop)
    return found


def describe(graph: grimp.ImportGraph, loop: list[str]) -> str:
    steps = []
    for importer, imported in pairwise(loop):
        where = graph.get_import_details(importer=importer, imported=imported)
        line = where[0]["line_number"] if where else "?"
        steps.append(f"{importer}:{line} → {imported}")
    return "\n    ".join(steps)


def test_the_project_has_no_import_cycle() -> None:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    found = cycles(graph)
    assert found == [], "import cycles:\n  " + "\n  ".join(describe(graph, c) for c in found)


def test_a_cycle_through_a_function_local_import_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "cycleprobe"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "texts.py").write_text("from cycleprobe.langs import LANGS\n")
    (package / "langs.py").write_text(
        "LANGS = ('nb',)\n\n\ndef names():\n    from cycleprobe.texts import LANGS as L\n\n    return L\n"
    )
    (package / "alone.py").write_text("import cycleprobe.langs\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    graph = grimp.build_graph("cycleprobe", cache_dir=None)
    found = cycles(graph)

    assert found == [["cycleprobe.langs", "cycleprobe.texts", "cycleprobe.langs"]]
    assert "cycleprobe.langs:5 → cycleprobe.texts" in describe(graph, found[0])
    graph.remove_import(importer="cycleprobe.langs", imported="cycleprobe.texts")
    assert cycles(graph) == []
