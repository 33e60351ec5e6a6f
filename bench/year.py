"""A simulated year of the demo centre on the real workflow code (issue 8; CONTRACT.md § The simulated year).

    .venv/bin/python -m bench.year --days 365 --seed 1 --json var/year.json --outbox var/year-outbox

Residents arrive by municipality population and topic mix and post the real intake; every email is
written by the real .eml outbox adapter into --outbox, and the simulated people act only on what
reaches them: they follow the links in their emails (accept, decline, no answer, follow-up, survey,
erasure), facilitators answer offers, a coordinator confirms pre-talks and approves proposals after
a delay (and is away for a while, if asked). Tasks are delivered through workflows/tasks.py, the
path the task functions use, in virtual-time order, some twice, some out of order, some crashing
inside the step. Firestore TTL is applied as Firestore applies it. Every simulated day the
invariants are checked (README § The simulated year defines them).

This module is the command line; the run is in four rooms (STYLE.md: a workload, a nemesis and a
checker): the world and its loop (bench/world.py, the faults and the queue in bench/sim.py), the
people (bench/residents.py), the checks (bench/invariants.py, importable by tests) and the figures
(bench/metrics.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from bench.metrics import BROKEN
from bench.sim import firestore_emulator, repeatable
from bench.world import Options, World

__all__ = ["SUMMARY_KEYS", "Options", "main", "parse_args", "simulate"]


def parse_away(raw: str) -> tuple[date, int]:
    day, _, n = raw.partition(":")
    return date.fromisoformat(day), int(n or 30)


def parse_args(argv: list[str] | None = None) -> tuple[Options, Path | None]:
    p = argparse.ArgumentParser(prog="bench.year", description=__doc__.split("\n\n")[0])
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", type=Path, default=None, help="write the figures here")
    p.add_argument("--outbox", type=Path, default=Path("var/year-outbox"))
    p.add_argument("--start", type=date.fromisoformat, default=None, help="default: next 1 January")
    p.add_argument("--rate", type=float, default=250.0, help="inquiries a year")
    p.add_argument("--duplicates", type=float, default=0.0, help="share of tasks delivered twice")
    p.add_argument("--crashes", type=float, default=0.0, help="share of steps that crash inside")
    p.add_argument("--decline", type=float, default=0.15, help="share of invitations declined")
    p.add_argument(
        "--no-answer", type=float, default=0.10, help="share of invitations not answered"
    )
    p.add_argument("--coordinator-away", type=parse_away, default=None, metavar="YYYY-MM-DD:DAYS")
    p.add_argument("--policy", choices=("linkflyt", "baseline"), default="linkflyt")
    p.add_argument("--sweep-hours", type=float, default=6.0, help="sweep cadence in virtual hours")
    p.add_argument("--quiet", action="store_true")
    p.add_argument(
        "--import",
        dest="import_people",
        type=int,
        default=0,
        metavar="N",
        help="issue 17: import a waiting list of N people from a spreadsheet on the first day",
    )
    p.add_argument(
        "--coordinator-change",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="issue 17: that day a coordinator is added in the settings and the first removed",
    )
    p.add_argument(
        "--no-page", action="store_true", help="residents never use their own page (issue 17)"
    )
    p.add_argument(
        "--widen-accept", type=float, default=0.4, help="share who accept a proposed widening"
    )
    p.add_argument(
        "--answer-question",
        type=float,
        default=0.6,
        help='share who answer "do you still want a place?"',
    )
    p.add_argument(
        "--long-wait-days",
        type=int,
        default=None,
        help="issue 21: the centre's groups.long_wait_days (a long waiters' group may start at 4)",
    )
    p.add_argument(
        "--long-waiters-needed",
        type=int,
        default=None,
        help="issue 21: groups.long_waiters_needed (long waiters in a group started at 4)",
    )
    p.add_argument(
        "--offers", type=int, default=None, help="issue 21: widening offers per person (1-6)"
    )
    p.add_argument(
        "--offer-after-days", type=int, default=None, help="issue 21: the first widening offer"
    )
    p.add_argument(
        "--room-found",
        type=float,
        default=0.5,
        help='issue 21: share of the digest\'s "only a room is missing" the coordinator finds a room for',
    )
    a = p.parse_args(argv)
    return (
        Options(
            days=a.days,
            seed=a.seed,
            start=a.start,
            rate=a.rate,
            duplicates=a.duplicates,
            crashes=a.crashes,
            decline=a.decline,
            no_answer=a.no_answer,
            coordinator_away=a.coordinator_away,
            policy=a.policy,
            outbox=a.outbox,
            sweep_hours=a.sweep_hours,
            quiet=a.quiet,
            import_people=a.import_people,
            coordinator_change=a.coordinator_change,
            use_page=not a.no_page,
            widen_accept=a.widen_accept,
            answer_question=a.answer_question,
            long_wait_days=a.long_wait_days,
            long_waiters_needed=a.long_waiters_needed,
            offers=a.offers,
            offer_after_days=a.offer_after_days,
            room_found=a.room_found,
        ),
        a.json,
    )


def simulate(opts: Options) -> dict[str, Any]:
    """Run one simulated period on an emulator (FIRESTORE_EMULATOR_HOST, or one of its own)."""
    import logging

    from workflows.saga import assemble

    root = logging.getLogger()
    level, propose = root.level, assemble.propose
    root.setLevel(logging.CRITICAL)  # injected crashes are logged as failures
    project = f"linkflyt-sim-{uuid.uuid4().hex[:10]}"
    try:
        with firestore_emulator(Path("var/log")), repeatable(opts.seed):
            return World(opts, project).run()
    finally:
        root.setLevel(level)
        assemble.propose = propose  # the baseline policy swaps it


SUMMARY_KEYS = (
    "inquiries",
    "placed",
    "placed_within_90_days",
    "median_wait_days",
    "p90_wait_days",
    "long_waiters",
    "long_waiters_share",
    "long_waiters_why",
    "long_waiters_profile",
    "groups_started",
    "facilitator_load_max",
    "facilitator_load_min",
    "stuck",
    "lost",
    "duplicate_emails",
    "double_bookings",
    "retention_violations",
    "frozen_drift",
    "join_link_opens_inside",
    "join_link_opens_outside",
    "join_link_violations",
    "widen_offers",
    "widenings_accepted",
    "surveys_due",
    "surveys_sent",
    "deadletters",
    "emails",
    "wall_seconds",
)


def main(argv: list[str] | None = None) -> int:
    opts, json_path = parse_args(argv)
    out = simulate(opts)
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(out, indent=2, default=str), encoding="utf-8")
    print(f"simulated {opts.days} days from {out['start']} ({opts.policy}, seed {opts.seed}):")
    for key in SUMMARY_KEYS:
        print(f"  {key:<24} {out[key]}")
    for a in out.get("report_audit", []):
        print(
            f"  reports {a['year']:<16} {a['reports']} sent, {a['hidden']} of {a['figures']} counts "
            f"hidden ({a['small']} as <5, {a['secondary']} as x to protect others), "
            f"disclosures {len(a['disclosures'])}"
        )
    if not opts.quiet:
        print(f"  emails in {opts.outbox}")
    bad = [k for k in BROKEN if out[k]]
    if bad:
        print(
            f"  invariants broken: {', '.join(bad)}; examples: {json.dumps(out['examples'], default=str)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
