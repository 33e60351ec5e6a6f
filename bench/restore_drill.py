"""A restore drill anyone can run (issue 19): export, restore into a fresh database, check it.

    .venv/bin/python -m bench.restore_drill --days 30      # make restore-drill

1. A short simulated period of the demo centre (bench.year's world: the real workflow code, with
   duplicates and crashes) fills a Firestore emulator.
2. The emulator's data is exported with the emulator's export endpoint, which writes the format of
   the cloud's managed export (an `.overall_export_metadata` file and LevelDB-format collections);
   a restore in the cloud, like this one, always goes into a *new* database.
3. A fresh emulator starts from that export (`--import-data`), and the restored database is judged
   by the simulated year's own invariants (bench/invariants.py: nothing stuck, no double booking,
   no personal data kept too long), given the tasks Cloud Tasks still holds (a Firestore restore
   does not touch the queues); every collection must hold as many documents as before.
4. A sweep on the restored database re-drives the work the outbox still owes (the cloud's sweep
   does the same every 10 minutes after the functions are pointed at the new database).

It prints how long the export and the restore took and how much work was re-driven, and exits 1 if
anything does not check.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Drill:
    collections: dict[str, int]
    restored: dict[str, int]
    export_seconds: float
    restore_seconds: float
    redriven: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def counts(store: Any) -> dict[str, int]:
    """Documents per top-level collection, read through the emulator's client."""
    db = store._client  # the adapter's client (a drill lists what the adapter does not)
    return {c.id: sum(1 for _ in c.list_documents()) for c in db.collections()}


def export(host: str, project: str, directory: Path) -> Path:
    """Export the emulator's database; the export's metadata file (what --import-data takes)."""
    directory.mkdir(parents=True, exist_ok=True)  # the emulator answers 400 to a missing folder
    body = json.dumps(
        {"database": f"projects/{project}/databases/(default)", "export_directory": str(directory)}
    ).encode()
    req = urllib.request.Request(
        f"http://{host}/emulator/v1/projects/{project}:export",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=120) as resp:
        resp.read()
    found = sorted(directory.rglob("*.overall_export_metadata"))
    if not found:
        raise RuntimeError(f"no export metadata under {directory}")
    return found[-1]  # --import-data takes the metadata file


def drill(days: int, seed: int, workdir: Path) -> Drill:
    from bench.sim import firestore_emulator, repeatable
    from bench.world import Options, World
    from shared.adapters.firestore_store import FirestoreStore

    project = f"linkflyt-drill-{uuid.uuid4().hex[:8]}"
    opts = Options(
        days=days,
        seed=seed,
        start=date(2027, 1, 1),
        duplicates=0.2,
        crashes=0.02,
        outbox=workdir / "outbox",
        quiet=True,
    )
    saved = os.environ.pop("FIRESTORE_EMULATOR_HOST", None)
    try:
        with firestore_emulator(workdir / "log") as host, repeatable(seed):
            world = World(opts, project)
            world.run()
            before = counts(world.raw_store)
            queued = [ev.data[0] for ev in world.agenda._heap if ev.kind == "task"]
            now = world.clock.now()
            t0 = time.monotonic()
            dump = export(host, project, workdir / "export")
            export_seconds = time.monotonic() - t0
        t0 = time.monotonic()
        with firestore_emulator(workdir / "log-restored", import_data=dump):
            restore_seconds = time.monotonic() - t0
            return _judge(
                FirestoreStore(project), world, before, queued, now, export_seconds, restore_seconds
            )
    finally:
        if saved is not None:
            os.environ["FIRESTORE_EMULATOR_HOST"] = saved


def problems(
    store: Any, before: dict[str, int], queued: list[Any], now: Any, rules: Any
) -> list[str]:
    """Everything the restored database fails: a collection or document missing or extra, and the
    simulated year's invariants (given the tasks the queues still hold)."""
    from bench import invariants

    after = counts(store)
    out = [
        f"{name}: {n} documents before, {after.get(name, 0)} after the restore"
        for name, n in sorted(before.items())
        if after.get(name, 0) != n
    ]
    out += [f"{name}: not in the export" for name in sorted(set(after) - set(before))]
    found = invariants.check(store, now, rules, queued=queued)
    out += [f"stuck after the restore: {k}: {v}" for k, v in found.stuck.items()]
    out += [f"double booking: {k}" for k in sorted(found.double_bookings)]
    out += [f"retention: {k}: {v}" for k, v in found.retention.items()]
    return out


def _judge(
    store: Any,
    world: Any,
    before: dict[str, int],
    queued: list[Any],
    now: Any,
    export_seconds: float,
    restore_seconds: float,
) -> Drill:
    import dataclasses

    from workflows.platform import sweep

    found = problems(store, before, queued, now, world.deps.centre.retention)
    after = counts(store)
    # the functions pointed at the restored database: one sweep re-drives what the outbox owes
    sent = sweep.run(dataclasses.replace(world.deps, store=store))
    return Drill(before, after, export_seconds, restore_seconds, sent["redriven"], found)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="restore_drill", description=__doc__.split("\n\n")[0])
    p.add_argument("--days", type=int, default=30, help="simulated days before the export")
    p.add_argument("--seed", type=int, default=5)
    p.add_argument("--keep", type=Path, default=None, help="keep the export here")
    a = p.parse_args(argv)
    import logging

    logging.getLogger().setLevel(logging.CRITICAL)  # the simulated crashes log as failures
    workdir = Path(tempfile.mkdtemp(prefix="linkflyt-drill-"))
    try:
        d = drill(a.days, a.seed, workdir)
        if a.keep:
            shutil.copytree(workdir / "export", a.keep, dirs_exist_ok=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    total = sum(d.collections.values())
    print(f"restore drill after {a.days} simulated days (seed {a.seed}):")
    print(f"  collections              {len(d.collections)} ({total} documents)")
    for name, n in sorted(Counter(d.collections).items()):
        print(f"    {name:<24} {n:>6} -> {d.restored.get(name, 0)}")
    print(f"  export                   {d.export_seconds:.1f} s")
    print(f"  restore (fresh database) {d.restore_seconds:.1f} s")
    print(f"  work re-driven by sweep  {d.redriven}")
    print(f"  problems                 {len(d.problems)}")
    for problem in d.problems[:20]:
        print(f"    {problem}")
    return 0 if d.ok else 1


if __name__ == "__main__":
    sys.exit(main())
