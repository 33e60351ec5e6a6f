"""The attacker's audit of what was actually sent (issue 10).

    .venv/bin/python -m workflows.reporting.audit --year 2027

reads every frozen report of that year (`reports/`, as emailed), and for each municipality asks the
integer program of shared/domain/disclosure.py for the range of every hidden figure given all the
others (the legend, the zeros, the totals, the quarters summing to the year, what the public form
and the report's wording tell). It prints the figures printed and hidden, how many were hidden to
protect others ("x"), and every disclosure; it exits 1 if there is one. Run it where the functions
run (the same GOOGLE_CLOUD_PROJECT / emulator).

`frozen_drift` is the other check of what was sent (issue 18): every frozen report's figures still
equal the counters of its months (the simulated year runs it every day).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from shared.domain import disclosure, reports
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
        told: list[disclosure.Relation] = []
        for label in labels:
            doc = docs[f"reports/{label}_{m.code}"]
            if doc and doc.get("figures"):
                f = Figures.from_stored(json.loads(doc["figures"]))
                marks |= marks_of(f)
                told += reports.relations_of(f)
                periods.append(disclosure.period_key(label))
        if not periods:
            continue
        relations = disclosure.report_relations(heard_keys(), deps.centre.topic_keys, periods)
        out["reports"] += len(periods)
        out["figures"] += len(marks)
        out["small"] += sum(v == disclosure.PRIMARY for v in marks.values())
        out["secondary"] += sum(v == disclosure.SECONDARY for v in marks.values())
        out["disclosures"] += [
            {"municipality": m.code, **d.__dict__}
            for d in disclosure.audit(marks, [*relations, *told])
        ]
    out["hidden"] = out["small"] + out["secondary"]
    out["drift"] = frozen_drift(deps, year)
    return out


def frozen_drift(deps: Deps, year: int) -> list[str]:
    """ "report|figure" for every figure of a frozen report of the year that its counters no
    longer give: a count landed in a month after its report was built (issue 18)."""
    codes = [m.code for m in deps.centre.municipalities]
    labels = [f"{year}-{q}" for q in disclosure.QUARTERS] + [str(year)]
    docs = deps.store.get_many([f"reports/{label}_{code}" for label in labels for code in codes])
    frozen = {p: d for p, d in docs.items() if d and d.get("figures")}
    if not frozen:
        return []
    months = [f"{year}-{n:02d}" for n in range(1, 13)]
    found = deps.store.get_many([f"stats/{mo}_{k}" for mo in months for k in [*codes, "centre"]])
    stats = {p.split("/", 1)[1]: d or {} for p, d in found.items()}
    out = []
    for path, doc in sorted(frozen.items()):
        f = Figures.from_stored(json.loads(doc["figures"]))
        counted = json.loads(doc["counts"]) if doc.get("counts") else None
        out += [f"{path}|{c}" for c in reports.drift(deps.centre, f, counted, stats)]
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
    for figure in found["drift"]:
        print(f"  CHANGED SINCE SENT {figure}")
    return 1 if found["disclosures"] or found["drift"] else 0


if __name__ == "__main__":
    sys.exit(main())
