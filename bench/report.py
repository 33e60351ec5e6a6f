"""Report benchmark (issue 4): Firestore reads and time per report run as inquiries grow to 100k.

Writes real inquiry documents (and the anonymous counters intake keeps with them) into the
emulator in batches, and after 1k, 10k and 100k inquiries builds every municipality's report for
a quarter and a year, counting reads. The reports read only counters, so reads stay flat.

    .venv/bin/python -m bench.report
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tempfile import mkdtemp

from bench.counting import CountingStore
from scripts.stack import Stack

LEVELS = (1_000, 10_000, 100_000)


def main() -> None:
    root = Path(mkdtemp(prefix="linkflyt-bench-report-"))
    with Stack.on_free_ports(root, "linkflyt-bench-report"):
        from google.cloud import firestore

        from shared.adapters.firestore_store import nested_increments
        from shared.config import reset_caches
        from shared.domain.vocabulary import HEARD_FROM
        from workflows.platform import counters as months
        from workflows.platform.runtime import build_deps
        from workflows.reporting import report

        reset_caches()
        base = build_deps()
        client: firestore.Client = base.store.client  # type: ignore[attr-defined]
        centre = base.centre
        codes = [m.code for m in centre.municipalities]
        weights = [m.population for m in centre.municipalities]
        topics = list(centre.topic_keys)
        rng = random.Random(1)
        start = datetime(2025, 1, 1, tzinfo=UTC)
        written = 0
        print("reports for 7 municipalities; reads counted through the Store port")
        print(
            f"{'inquiries':>10} {'period':>8} {'reads':>6} {'reads/municipality':>19} {'seconds':>8}"
        )
        for level in LEVELS:
            counters: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
            batch = client.batch()
            in_batch = 0
            while written < level:
                at = start + timedelta(minutes=rng.randrange(365 * 24 * 60))
                code = rng.choices(codes, weights)[0]
                chosen = rng.sample(topics, k=rng.choice([1, 2]))
                heard = rng.choice([*HEARD_FROM, "unknown"])
                batch.set(
                    client.collection("inquiries").document(),
                    {
                        "status": "waiting",
                        "created_at": at,
                        "queued_at": at,
                        "municipality": code,
                        "topics": chosen,
                        "formats": ["digital"],
                        "times": ["weekend"],
                        "languages": ["no"],
                        "heard_from": heard,
                    },
                )
                key = months.stats_path(at, code, centre.centre.timezone)
                counters[key]["inquiries"] += 1
                counters[key][f"heard_from.{heard}"] += 1
                for t in chosen:
                    counters[key][f"topic.{t}"] += 1
                written += 1
                in_batch += 1
                if in_batch == 500:
                    batch.commit()
                    batch, in_batch = client.batch(), 0
            if in_batch:
                batch.commit()
            for path, counts in counters.items():
                client.document(path).set(nested_increments(counts), merge=True)
            for period in ("2025-Q2", "2025"):
                for ref in client.collection("reports").list_documents():
                    ref.delete()
                store = CountingStore(base.store)
                d = dataclasses.replace(base, store=store)
                t0 = time.perf_counter()
                report.run(d, period)
                elapsed = time.perf_counter() - t0
                reads = store.counts.reads
                print(
                    f"{level:>10} {period:>8} {reads:>6} {reads / len(codes):>19.1f} {elapsed:>8.2f}"
                )


if __name__ == "__main__":
    main()
