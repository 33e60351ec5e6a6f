"""Intake benchmark: throughput and latency on the local stack, next to a bare functions-framework
hello-world served the same way (same router, same gunicorn), plus Firestore operations per inquiry.

    make bench            # or: .venv/bin/python -m bench.intake --requests 400 --concurrency 8
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from tempfile import mkdtemp

import requests

from scripts.stack import Stack
from shared.ports import TaskSpec


def body(i: int) -> dict[str, object]:
    return {
        "name": f"Bench{i}",
        "email": f"bench{i}@eksempel.no",
        "municipality": "4601",
        "topics": ["general"],
        "formats": ["digital"],
        "times": ["weekend"],
        "consent": True,
        "adult": True,
    }


def run_load(url: str, n: int, concurrency: int, expect: int) -> tuple[float, list[float]]:
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_connections=concurrency, pool_maxsize=concurrency)
    session.mount("http://", adapter)

    def one(i: int) -> float:
        t0 = time.perf_counter()
        r = session.post(
            url,
            data=json.dumps(body(i)),
            headers={"Content-Type": "application/json", "X-Forwarded-For": f"10.{i % 250}.0.1"},
            timeout=60,
        )
        elapsed = time.perf_counter() - t0
        assert r.status_code == expect, (r.status_code, r.text[:200])
        return elapsed

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        latencies = list(pool.map(one, range(n)))
    return time.perf_counter() - t0, latencies


def cpu_seconds() -> dict[str, float]:
    """CPU time so far of this process's descendants, by part of the local stack (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    info: dict[int, tuple[str, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        ppid, utime, stime = int(fields[1]), int(fields[11]), int(fields[12])
        children.setdefault(ppid, []).append(int(entry.name))
        info[int(entry.name)] = (cmd, (utime + stime) / tick)
    out: dict[str, float] = {}
    todo = list(children.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        cmd, secs = info.get(pid, ("", 0.0))
        part = (
            "firestore emulator"
            if "java" in cmd or "firestore" in cmd.lower()
            else "tasks emulator"
            if "tasks-emulator" in cmd
            else "functions (gunicorn)"
            if "gunicorn" in cmd or "serve" in cmd
            else "other"
        )
        out[part] = out.get(part, 0.0) + secs
    return out


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1] * 1000


def firestore_ops(n: int = 20) -> dict[str, float]:
    from bench.counting import CapturingQueue, CountingStore
    from workflows import intake
    from workflows.messaging import notify
    from workflows.platform.messages import AssembleTask, NotifyTask
    from workflows.platform.runtime import build_deps
    from workflows.saga import assemble

    base = build_deps()
    store = CountingStore(base.store)
    queue = CapturingQueue()
    d = dataclasses.replace(base, store=store, queue=queue)
    for i in range(n):
        result = intake.submit(d, body(i), "nb")
        assert isinstance(result, intake.Accepted)
    intake_counts = dataclasses.replace(store.counts)

    def run(specs: list[TaskSpec]) -> None:
        for spec in specs:
            if spec.target == "assemble":
                assemble.handle(d, AssembleTask.model_validate(spec.body))
            else:
                notify.handle(d, NotifyTask.model_validate(spec.body))

    # the intake's own tasks: the assembly that opens the pre-talk, and the receipt
    first = list(queue.tasks)
    run(first)
    receipt_counts = dataclasses.replace(store.counts)
    run(queue.tasks[len(first) :])  # what those started: the coordinator's pre-talk notice
    # rate limiting is one increment per request (its commit returns the count), in the HTTP handler
    return {
        "intake_reads": intake_counts.reads / n,
        "intake_writes": intake_counts.writes / n + 1,
        "chain_reads": receipt_counts.reads / n,
        "chain_writes": receipt_counts.writes / n + 1,
        "notice_reads": store.counts.reads / n,
        "notice_writes": store.counts.writes / n + 1,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args()
    stack = Stack.on_free_ports(
        Path(mkdtemp(prefix="linkflyt-bench-")),
        "linkflyt-bench",
        RATE_LIMIT_PER_HOUR="1000000",
        TRUST_FORWARDED_FOR="true",
        LINKFLYT_SERVE_HELLO="1",
    )
    with stack:
        for name, expect in (("hello", 201), ("intake", 201)):  # warm-up
            run_load(f"{stack.base_url}/{name}", 20, args.concurrency, expect)
        rows = {}
        cpu: dict[str, dict[str, float]] = {}
        for name in ("hello", "intake"):
            before = cpu_seconds()
            total, lat = run_load(f"{stack.base_url}/{name}", args.requests, args.concurrency, 201)
            rows[name] = (args.requests / total, pct(lat, 50), pct(lat, 95))
            after = cpu_seconds()
            cpu[name] = {
                k: (v - before.get(k, 0.0)) * 1000 / args.requests for k, v in after.items()
            }
        ops = firestore_ops()
    print(
        f"intake benchmark: {args.requests} POSTs per endpoint, concurrency {args.concurrency}, "
        f"gunicorn {stack.workers} workers x {stack.threads} threads, Firestore + Cloud Tasks emulators"
    )
    print(f"{'endpoint':<10}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}")
    for endpoint, (rps, p50, p95) in rows.items():
        print(f"{endpoint:<10}{rps:>10.1f}{p50:>10.1f}{p95:>10.1f}")
    for name, parts in cpu.items():
        split = ", ".join(f"{k} {v:.1f}" for k, v in sorted(parts.items()) if v >= 0.05)
        print(f"CPU ms per request, {name}: {split}")
    h, i = rows["hello"], rows["intake"]
    print(
        f"ratio intake/hello: throughput {i[0] / h[0]:.3f}x, p50 latency {i[1] / h[1]:.1f}x, p95 latency {i[2] / h[2]:.1f}x"
    )
    print(
        f"Firestore per accepted inquiry (incl. rate-limit counter): intake {ops['intake_reads']:.1f} reads, "
        f"{ops['intake_writes']:.1f} writes; chain until the receipt is sent {ops['chain_reads']:.1f} "
        f"reads, {ops['chain_writes']:.1f} writes; and the coordinator's pre-talk notice "
        f"{ops['notice_reads']:.1f} reads, {ops['notice_writes']:.1f} writes"
    )


if __name__ == "__main__":
    main()
