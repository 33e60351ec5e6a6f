"""Cloud Logging filters, evaluated locally on the JSON lines our formatter writes (issue 19).

Only what infra/'s log-based metrics use: clauses joined by AND, each `path="value"`,
`path=~"regex"`, `path>=N`, `path<N` or `severity>=LEVEL`. On Cloud Run a JSON line on stdout
becomes the entry's `jsonPayload` (its `severity` lifted to the entry); `resource.*`, `httpRequest.*`
and `protoPayload.*` are set by the platform, so a local line cannot be checked against them:
`matches` skips those clauses and says how many it did check.
"""

from __future__ import annotations

import json
import operator
import re
from typing import Any

CLAUSE = re.compile(
    r'^(?P<path>[\w.@]+)\s*(?P<op>=~|>=|<=|=|<|>)\s*(?P<value>"(?:[^"\\]|\\.)*"|\S+)$'
)
PLATFORM = ("resource.", "httpRequest.", "protoPayload.", "logName", "labels.")
COMPARE = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}
LEVELS = [
    "DEFAULT",
    "DEBUG",
    "INFO",
    "NOTICE",
    "WARNING",
    "ERROR",
    "CRITICAL",
    "ALERT",
    "EMERGENCY",
]


def clauses(filter_text: str) -> list[tuple[str, str, str]]:
    out = []
    for part in filter_text.split(" AND "):
        m = CLAUSE.match(part.strip())
        if m is None:
            raise ValueError(f"not a clause this helper understands: {part!r}")
        value = m["value"]
        if value.startswith('"'):
            value = json.loads(value)
        out.append((m["path"], m["op"], value))
    return out


def _lookup(entry: dict[str, Any], path: str) -> Any:
    node: Any = entry
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def matches(filter_text: str, line: str) -> tuple[bool, int]:
    """Does this JSON log line match the filter? And how many clauses were checked locally."""
    payload = json.loads(line)
    entry = {"severity": payload.get("severity", "DEFAULT"), "jsonPayload": payload}
    checked = 0
    for path, op, value in clauses(filter_text):
        if path.startswith(PLATFORM):
            continue
        checked += 1
        have = _lookup(entry, path)
        if path == "severity":
            ok = LEVELS.index(str(have)) >= LEVELS.index(value) if op == ">=" else have == value
        elif op == "=":
            ok = have == value
        elif op == "=~":
            ok = isinstance(have, str) and re.search(value, have) is not None
        else:
            ok = isinstance(have, int | float) and COMPARE[op](have, float(value))
        if not ok:
            return False, checked
    return True, checked


def infra_filters(prefix: str = "lf-bergen", region: str = "europe-north1") -> dict[str, str]:
    """The filter of every log-based metric in infra/ (resource name -> filter), with locals and
    variables filled in as for one deployment."""
    from pathlib import Path

    import hcl2

    infra = Path(__file__).resolve().parents[2] / "infra"
    locals_: dict[str, Any] = {}
    metrics: dict[str, str] = {}
    for tf in sorted(infra.glob("*.tf")):
        with tf.open() as fh:
            doc = hcl2.load(fh)
        for block in doc.get("locals", []):
            locals_.update(block)
        for block in doc.get("resource", []):
            for rtype, named in block.items():
                if rtype.strip('"') == "google_logging_metric":
                    for name, body in named.items():
                        metrics[name.strip('"')] = body["filter"]

    def unq(text: str) -> str:
        return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text

    def resolve(text: str) -> str:
        text = unq(text)
        for _ in range(5):
            text = re.sub(r"\$\{local\.(\w+)\}", lambda m: unq(str(locals_[m[1]])), text)
        text = text.replace("${var.prefix}", prefix).replace("${var.region}", region)
        return text.replace('\\"', '"').replace("\\\\", "\\")

    return {name: resolve(f) for name, f in metrics.items()}
