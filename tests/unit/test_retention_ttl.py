"""Issue 18: retention written but not enforced. `audit/`, `console_sessions/` and `console_logins/`
set `expire_at` while infra/ gave them no TTL policy, so the audit kept erased people's ids for good.

Every write in the code whose document literal carries `expire_at` is found in the syntax tree (the
path an f-string or string, directly or through a local or module constant), and its collection
must have a TTL policy in infra/ and be in the simulator's TTL list; README's retention table must
name it too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import hcl2

REPO = Path(__file__).resolve().parents[2]
WRITES = {"create", "set", "update", "increment"}


def _prefix(node: ast.AST, names: dict[str, ast.AST]) -> str | None:
    """The literal collection of a document path expression, or None."""
    if isinstance(node, ast.Name) and node.id in names:
        return _prefix(names[node.id], names)
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and "/" in node.value:
        return node.value.split("/", 1)[0]
    if isinstance(node, ast.JoinedStr) and node.values:
        head = node.values[0]
        if isinstance(head, ast.Constant) and isinstance(head.value, str) and "/" in head.value:
            return head.value.split("/", 1)[0]
        if isinstance(head, ast.FormattedValue):
            const = _prefix(head.value, names)
            nxt = node.values[1] if len(node.values) > 1 else None
            if (
                const is None
                and isinstance(head.value, ast.Name)
                and head.value.id in names
                and isinstance(names[head.value.id], ast.Constant)
            ):
                const = str(names[head.value.id].value)  # type: ignore[attr-defined]
            if const and isinstance(nxt, ast.Constant) and str(nxt.value).startswith("/"):
                return const
    if isinstance(node, ast.Attribute) and node.attr in names:
        return _prefix(names[node.attr], names)
    if isinstance(
        node, ast.Call
    ):  # a path builder: def venue_booking(...): return f"venue_bookings/…"
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name in BUILDERS:
            return _prefix(BUILDERS[name], names)
    return None


def _path_builders() -> dict[str, ast.AST]:
    """Functions anywhere in the code whose whole body returns one path string."""
    out: dict[str, ast.AST] = {}
    for root in ("workflows", "shared", "functions"):
        for path in sorted((REPO / root).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef):
                    body = [b for b in node.body if not isinstance(b, ast.Expr)]
                    if len(body) == 1 and isinstance(body[0], ast.Return) and body[0].value:
                        value = body[0].value
                        if isinstance(value, ast.JoinedStr | ast.Constant):
                            out[node.name] = value
    return out


BUILDERS = _path_builders()


def _has_expire_at(node: ast.AST) -> bool:
    return isinstance(node, ast.Dict) and any(
        isinstance(k, ast.Constant) and k.value == "expire_at" for k in node.keys
    )


def collections_written_with_expire_at() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for root in ("workflows", "shared", "functions"):
        for path in sorted((REPO / root).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            module_names: dict[str, ast.AST] = {}
            for stmt in tree.body:
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                    target = stmt.targets[0]
                    if isinstance(target, ast.Name):
                        module_names[target.id] = stmt.value
            # each top-level function or method with everything assigned inside it (nested
            # transaction functions read their enclosing function's `path`)
            units = [
                node
                for top in tree.body
                for node in ([top] if not isinstance(top, ast.ClassDef) else top.body)
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
            for fn in units:
                names = dict(module_names)
                for node in ast.walk(fn):
                    if isinstance(node, ast.Assign) and len(node.targets) == 1:
                        target = node.targets[0]
                        if isinstance(target, ast.Name):
                            names.setdefault(target.id, node.value)
                for node in ast.walk(fn):
                    if not (
                        isinstance(node, ast.Call)
                        and isinstance(node.func, ast.Attribute)
                        and node.func.attr in WRITES
                        and node.args
                    ):
                        continue
                    if not any(_has_expire_at(a) for a in node.args[1:]):
                        continue
                    collection = _prefix(node.args[0], names)
                    where = f"{path.relative_to(REPO)}:{node.lineno}"
                    assert collection, f"{where}: a write with expire_at to a path not understood"
                    found.setdefault(collection, []).append(where)
    return found


def infra_ttl() -> set[str]:
    with (REPO / "infra" / "main.tf").open() as fh:
        doc = hcl2.load(fh)
    for block in doc.get("resource", []):
        ttl = block.get('"google_firestore_field"', {}).get('"ttl"')
        if ttl:
            raw = ttl["for_each"]
            items = raw if isinstance(raw, list) else [raw]
            text = " ".join(str(x) for x in items)
            return {w.strip('"[](), ${}') for w in text.replace("toset", "").split(",")} - {""}
    raise AssertionError("infra/main.tf has no google_firestore_field.ttl")


def test_the_scan_finds_the_writes_it_should() -> None:
    found = collections_written_with_expire_at()
    # the three the issue names, and the usual ones, reached through constants and locals
    for collection in ("audit", "console_sessions", "console_logins", "people", "outbox", "mail"):
        assert collection in found, sorted(found)
    assert "stats" not in found and "reports" not in found  # kept: the centre's history


def test_every_collection_written_with_expire_at_has_a_ttl_policy() -> None:
    from bench.sim import TTL_COLLECTIONS

    found = collections_written_with_expire_at()
    policies = infra_ttl()
    missing = {c: w for c, w in found.items() if c not in policies}
    assert not missing, f"no TTL policy in infra/main.tf for {missing}"
    missing = {c: w for c, w in found.items() if c not in TTL_COLLECTIONS}
    assert not missing, f"not in the simulator's TTL list (bench/sim.py) {missing}"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Retention", 1)[1].split("\n## ", 1)[0]
    for collection in found:
        assert f"`{collection}/" in table, f"README's retention table does not name {collection}/"
