"""Cold-start benchmark (issue 12): a fresh process per function, started the way Cloud Functions
starts one (the functions-framework CLI, gunicorn), timed from spawn to its first answered request,
next to a functions-framework hello-world started the same way; and the modules each function has
imported by then (`python -X importtime`, in a separate run because tracing slows imports down).

    .venv/bin/python -m bench.coldstart            # or: make bench
    .venv/bin/python -m bench.coldstart --runs 5 --top 8

The first request of each function is a real one that does little: the intake's form page (what a
visitor opens first) and, in another fresh process, an inquiry posted to it; a task for a missing
subject for the task steps; a sweep, a digest and a quarter's reports for the scheduled ones. The
Firestore and Cloud Tasks emulators run behind them, as in the tests.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from tempfile import mkdtemp
from typing import Any

import requests

from bench.intake import body
from scripts.stack import REPO, Stack, free_port

FF = [sys.executable, str(Path(sys.executable).with_name("functions-framework"))]
INQUIRY = body(0)  # the intake benchmark's inquiry


@dataclass(frozen=True)
class Probe:
    label: str
    target: str
    method: str
    body: dict[str, Any] | None
    source: Path


def probes() -> list[Probe]:
    fn = REPO / "functions"
    hello = REPO / "scripts" / "hello.py"
    return [
        Probe("hello", "hello", "POST", {}, hello),
        Probe("intake GET form", "intake", "GET", None, fn / "intake.py"),
        Probe("intake POST inquiry", "intake", "POST", INQUIRY, fn / "intake.py"),
        Probe("actions GET link", "actions", "GET", None, fn / "actions.py"),
        Probe(
            "assemble",
            "assemble",
            "POST",
            {"task_id": "a" * 16, "reason": "sweep"},
            fn / "assemble.py",
        ),
        Probe(
            "schedule",
            "schedule",
            "POST",
            {"task_id": "b" * 16, "kind": "inquiry_expiry", "inquiry_id": "none"},
            fn / "schedule.py",
        ),
        Probe(
            "notify",
            "notify",
            "POST",
            {"task_id": "c" * 16, "mail": "receipt", "subject_id": "none"},
            fn / "notify.py",
        ),
        Probe("sweep", "sweep", "POST", {}, fn / "sweep.py"),
        Probe("digest", "digest", "POST", {}, fn / "digest.py"),
        Probe("report", "report", "POST", {"period": "previous-quarter"}, fn / "report.py"),
    ]


def first_answer(probe: Probe, env: dict[str, str], importtime: bool) -> tuple[float, int, str]:
    """Seconds from spawn to the first answered request, its status, and the process's stderr."""
    port = free_port()
    args = [*FF[:1], *(["-X", "importtime"] if importtime else []), *FF[1:]]
    args += ["--target", probe.target, "--source", str(probe.source), "--port", str(port)]
    args += ["--host", "127.0.0.1"]
    err = Path(mkdtemp(prefix="linkflyt-cold-")) / "stderr"
    url = f"http://127.0.0.1:{port}/"
    with err.open("wb") as fh:
        t0 = time.perf_counter()
        proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=fh, cwd=REPO)
        try:
            while True:
                try:
                    if probe.method == "GET":
                        r = requests.get(url, timeout=120)
                    else:
                        r = requests.post(url, json=probe.body, timeout=120)
                    elapsed = time.perf_counter() - t0
                    break
                except requests.ConnectionError:
                    if proc.poll() is not None:
                        raise SystemExit(
                            f"{probe.label}: exited\n{err.read_text()[-2000:]}"
                        ) from None
                    time.sleep(0.005)
        finally:
            proc.terminate()
            proc.wait(10)
    return elapsed, r.status_code, err.read_text(errors="replace")


IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def import_seconds(stderr: str) -> tuple[float, list[tuple[float, str]]]:
    """Total import time (the top-level imports' cumulative times) and the largest of them."""
    tops = [
        (int(m[2]) / 1e6, m[4])
        for line in stderr.splitlines()
        if (m := IMPORT_LINE.match(line)) and len(m[3]) == 1
    ]
    return sum(t for t, _ in tops), sorted(tops, reverse=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="bench.coldstart", description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="fresh processes per function (median)")
    ap.add_argument("--top", type=int, default=5, help="largest imports shown for the intake")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    stack = Stack.on_free_ports(Path(mkdtemp(prefix="linkflyt-cold-")), "linkflyt-cold")
    rows: dict[str, dict[str, Any]] = {}
    with stack:
        env = stack.env()
        env.pop("K_SERVICE", None)
        for probe in probes():
            times = []
            for _ in range(args.runs):
                seconds, status, _ = first_answer(probe, env, importtime=False)
                times.append(seconds)
            _, status, traced = first_answer(probe, env, importtime=True)
            total, tops = import_seconds(traced)
            rows[probe.label] = {
                "first_answer_s": statistics.median(times),
                "status": status,
                "imports_s": total,
                "top": tops[: args.top],
            }
    hello = rows["hello"]
    print(
        f"cold start: fresh functions-framework process per function, median of {args.runs} runs "
        f"to the first answered request; imports by then from a separate -X importtime run"
    )
    print(
        f"{'function / first request':<24}{'status':>7}{'first answer s':>16}{'x hello':>9}{'imports s':>11}"
    )
    for label, row in rows.items():
        print(
            f"{label:<24}{row['status']:>7}{row['first_answer_s']:>16.3f}"
            f"{row['first_answer_s'] / hello['first_answer_s']:>9.2f}{row['imports_s']:>11.3f}"
        )
    for label in ("intake GET form", "intake POST inquiry"):
        tops = ", ".join(f"{name} {t:.3f}" for t, name in rows[label]["top"])
        print(f"largest imports, {label}: {tops}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
