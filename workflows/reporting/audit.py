"""The attacker's audit of what was actually sent (issue 10).

    .venv/bin/python -m workflows.reporting.audit --year 2027

reads every frozen report of that year (`reports/`, as emailed), and for each municipality asks the
integer program of shared/domain/disclosure.py for the range of every hidden figure given all the
others (the legend, the zeros, the totals, the quarters summing to the year). It prints the figures
printed and hidden, how many were hidden to protect others ("x"), and every disclosure; it exits 1
if there is one. Run it where the functions run (the same GOOGLE_CLOUD_PROJECT / emulator).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from shared.domain import disclosure
from shared.domain.reports import Figures, heard_keys, marks_of
from workflows.platform import runtime
from workflows.platform.runtime import Deps


def audit_year(deps: Deps, year: int) -> dict[str, Any]:
    labels = [f"{year}-{q}" for q in disclosure.QUARTERS] + [str(year)]
    out: dict[str, Any] = {
        "year": year,
        "reports": 0,
        "figures": 0,
        "hidden": 0,
        "small": 0,
        "secondary": 0,
        "disclosures": [],
    }
    for m in deps.centre.municipalities:
        docs = deps.store.get_many([f"reports/{label}_{m.code}" for label in labels])
        marks: dict[str, str] = {}
        periods = []
        for label in labels:
            doc = docs[f"reports/{label}_{m.code}"]
            if doc and doc.get("figures"):
                marks |= marks_of(Figures.from_stored(json.loads(doc["figures"])))
                periods.append(disclosure.period_key(label))
        if not periods:
            continue
        sums = disclosure.report_sums(heard_keys(), deps.centre.topic_keys, periods)
        out["reports"] += len(periods)
        out["figures"] += len(marks)
        out["small"] += sum(v == disclosure.PRIMARY for v in marks.values())
        out["secondary"] += sum(v == disclosure.SECONDARY for v in marks.values())
        out["disclosures"] += [
            {"municipality": m.code, **d.__dict__} for d in disclosure.audit(marks, sums)
        ]
    out["hidden"] = out["small"] + out["secondary"]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, required=True)
    args = parser.parse_args(argv)
    found = audit_year(runtime.deps(), args.year)
    print(
        f"{found['year']}: {found['reports']} reports, {found['figures']} person counts printed "
        f"or hidden; hidden {found['hidden']} ({found['small']} as <5, {found['secondary']} as x "
        f"to protect others); disclosures {len(found['disclosures'])}"
    )
    for d in found["disclosures"]:
        print(f"  DISCLOSED {d}")
    return 1 if found["disclosures"] else 0


if __name__ == "__main__":
    sys.exit(main())
