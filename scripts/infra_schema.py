"""Check infra/ against the Google provider's own schema, offline (issue 12).

    .venv/bin/python -m scripts.infra_schema        # prints every problem; exit 1 if any

The schema comes from PyPI's prebuilt CDKTF bindings of hashicorp/google (a package made from the
provider's schema): the `.jsii` manifest inside the wheel describes every resource and data
source, each argument and nested block (the registry link of each property names it as Terraform
does), and which are required. It is fetched once with pip (registries are reachable from CI) and
reduced to a small JSON file in var/cache/, so later runs take milliseconds.

Checked for every `resource` and `data` block of every .tf file: the type exists, every argument
and nested block (also inside `dynamic` blocks) exists at its depth, every required argument or
block is set, a literal value of an argument whose documentation lists its possible values is one
of them (issue 19: the alert policies and backups are mostly such enums), and every
`required_providers` pin of hashicorp/google in infra/ admits the schema's version.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
INFRA = REPO / "infra"
# CDK Terrain's prebuilt bindings of hashicorp/google 8.7.0 (issue 19: the current major; before it,
# cdktf-cdktf-provider-google==16.12.1 = 6.50.0, whose project stopped at the 6.x line).
WHEEL = "cdktn-provider-google==21.1.0"
CACHE = REPO / "var" / "cache" / "provider-schema"
FORMAT = 2  # of the cached JSON: bump when build() changes what it keeps
META = {"count", "for_each", "depends_on", "lifecycle", "provider", "connection", "provisioner"}
DOC_LINK = re.compile(
    r"registry\.terraform\.io/providers/hashicorp/google/([\d.]+)/docs/(resources|data-sources)/(\w+)"
)
ANCHOR = re.compile(r"#(\w+) ")
POSSIBLE = re.compile(r"Possible values: \[([^\]]*)\]")

Schema = dict[str, Any]


def _is_block_type(t: dict[str, Any], types: dict[str, Any]) -> str | None:
    """The struct fqn if this property type is a nested block (alone, in a list, or a union)."""
    if "fqn" in t:
        fqn = t["fqn"]
        kind = types.get(fqn, {})
        return fqn if kind.get("kind") == "interface" and kind.get("datatype") else None
    if "collection" in t:
        return _is_block_type(t["collection"]["elementtype"], types)
    if "union" in t:
        for member in t["union"]["types"]:
            found = _is_block_type(member, types)
            if found:
                return found
    return None


def build(jsii: dict[str, Any]) -> Schema:
    types: dict[str, Any] = jsii["types"]
    structs: dict[str, dict[str, list[Any]]] = {}

    def struct(fqn: str) -> None:
        if fqn in structs:
            return
        structs[fqn] = {}
        for prop in types[fqn].get("properties", []):
            docs = prop.get("docs", {})
            text = f"{docs.get('summary', '')} {docs.get('remarks', '')}"
            found = ANCHOR.search(text)
            name = found.group(1) if found else prop["name"]
            block = _is_block_type(prop["type"], types)
            choices = POSSIBLE.search(text)
            allowed = re.findall(r'"([^"]*)"', choices.group(1)) if choices else None
            structs[fqn][name] = [not prop.get("optional", False), block, allowed]
            if block:
                struct(block)

    resources: dict[str, str] = {}
    data: dict[str, str] = {}
    version = ""
    for fqn, t in types.items():
        if t.get("kind") != "class":
            continue
        m = DOC_LINK.search(t.get("docs", {}).get("summary", ""))
        config = f"{fqn}Config"
        if not m or config not in types:
            continue
        version = m.group(1)
        name = f"google_{m.group(3)}"
        (resources if m.group(2) == "resources" else data)[name] = config
        struct(config)
    return {"provider_version": version, "resources": resources, "data": data, "structs": structs}


def schema() -> Schema:
    """The cached schema, fetched and built on first use."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{WHEEL.replace('==', '-')}.v{FORMAT}.json"
    if path.exists():
        loaded: Schema = json.loads(path.read_text())
        return loaded
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(CACHE), WHEEL],
        check=True,
    )
    name, _, version = WHEEL.partition("==")
    wheel = next(CACHE.glob(f"{name.replace('-', '_')}-{version}-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        tgz = next(n for n in zf.namelist() if n.endswith(".jsii.tgz"))
        with tarfile.open(fileobj=io.BytesIO(zf.read(tgz))) as tf:
            member = tf.extractfile("package/.jsii")
            assert member is not None
            built = build(json.load(member))
    path.write_text(json.dumps(built))
    wheel.unlink()  # 67 MB; the few-MB schema is what later runs read
    return built


def _unq(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


def check_block(body: dict[str, Any], fqn: str, s: Schema, where: str) -> list[str]:
    fields: dict[str, list[Any]] = s["structs"][fqn]
    problems = []
    present = set()
    for key, value in body.items():
        if key in ("__is_block__", "__comments__", "__start_line__", "__end_line__"):
            continue
        if key == "dynamic":
            for dyn in value:
                for label, spec in dyn.items():
                    name = _unq(label)
                    present.add(name)
                    field = fields.get(name)
                    if field is None or not field[1]:
                        problems.append(f"{where}: no block '{name}' (dynamic)")
                        continue
                    for content in spec.get("content", []):
                        problems += check_block(content, field[1], s, f"{where}.{name}")
            continue
        if key in META:
            continue
        present.add(key)
        field = fields.get(key)
        if field is None:
            problems.append(f"{where}: no argument or block '{key}'")
            continue
        is_block = isinstance(value, list) and any(
            isinstance(v, dict) and v.get("__is_block__") for v in value
        )
        if is_block and not field[1]:
            problems.append(f"{where}: '{key}' is an argument, not a block")
        elif is_block:
            for item in value:
                problems += check_block(item, field[1], s, f"{where}.{key}")
        elif field[1] and not is_block:
            problems.append(f"{where}: '{key}' is a block, not an argument")
        elif field[2]:
            problems += _check_choice(value, field[2], f"{where}: '{key}'")
    for name, (required, *_) in fields.items():
        if required and name not in present and name != "id":
            problems.append(f"{where}: required '{name}' is not set")
    return problems


def _check_choice(value: Any, allowed: list[str], where: str) -> list[str]:
    """A literal string (or list of them) must be one of the documented values; expressions
    (`${...}`) are not evaluated here."""
    values = value if isinstance(value, list) else [value]
    literals = [
        _unq(v) for v in values if isinstance(v, str) and v.startswith('"') and "${" not in v
    ]
    return [f"{where} is {v!r}, not one of {allowed}" for v in literals if v not in allowed]


def check_file(path: Path, s: Schema) -> list[str]:
    import hcl2

    with path.open() as fh:
        doc = hcl2.load(fh)
    problems = []
    for kind, table in (("resource", "resources"), ("data", "data")):
        for block in doc.get(kind, []):
            for rtype, named in block.items():
                rtype = _unq(rtype)
                if not rtype.startswith("google_"):
                    continue  # other providers (archive, random) are not in this schema
                config = s[table].get(rtype)
                rel = path.relative_to(REPO) if path.is_relative_to(REPO) else path
                if config is None:
                    problems.append(
                        f"{rel}: no {kind} type '{rtype}' in google {s['provider_version']}"
                    )
                    continue
                for name, body in named.items():
                    problems += check_block(body, config, s, f"{rel}: {rtype}.{_unq(name)}")
    return problems


def pinned_admits(constraint: str, version: str) -> bool:
    """Does a Terraform version constraint ('~> 6.0', '>= 6.0, < 7.0', '= 6.50.0') admit it?"""
    have = [int(x) for x in version.split(".")]
    for part in constraint.split(","):
        op, _, want_s = part.strip().partition(" ")
        want = [int(x) for x in want_s.strip().split(".")]
        ok = {
            "~>": have[: len(want) - 1] == want[:-1] and have[: len(want)] >= want,
            ">=": have >= want,
            ">": have > want,
            "<": have < want,
            "<=": have <= want,
            "=": have[: len(want)] == want,
        }.get(op, False)
        if not ok:
            return False
    return True


def check(paths: list[Path] | None = None) -> list[str]:
    import hcl2

    s = schema()
    problems = []
    files = [
        p
        for p in sorted(INFRA.rglob("*.tf"))
        if "/build/" not in str(p) and "/.terraform/" not in str(p)
    ]
    pins = {}
    for path in files:
        with path.open() as fh:
            doc = hcl2.load(fh)
        for tf in doc.get("terraform", []):
            for p in tf.get("required_providers", []):
                if "google" in p:
                    pins[str(path.relative_to(REPO))] = _unq(p["google"]["version"])
    if "infra/versions.tf" not in pins:
        problems.append("infra/versions.tf pins no google provider version")
    for where, pin in pins.items():
        if not pinned_admits(pin, s["provider_version"]):
            problems.append(f"{where} pins google {pin!r}; the schema is {s['provider_version']}")
    for path in paths or files:
        problems += check_file(path, s)
    return problems


def main() -> int:
    problems = check()
    for p in problems:
        print(p)
    s = schema()
    print(
        f"infra/ checked against hashicorp/google {s['provider_version']} "
        f"({len(s['resources'])} resource types): {len(problems)} problem(s)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
