"""Issue 17: a 1,000-row waiting list imported on the Firestore emulator — the dry run, the import
and a second import of the same file — timed end to end (reading the .xlsx, mapping, checking
against the store, writing in transactions with the outbox). Target: the import in at most 30 s.

    .venv/bin/python -m bench.importing [--rows 1000]
"""

from __future__ import annotations

import argparse
import io
import random
import time
from pathlib import Path
from tempfile import mkdtemp

from scripts.stack import Stack

TARGET_SECONDS = 30.0


def waiting_list(rows: int, seed: int = 7) -> bytes:
    from openpyxl import Workbook

    rng = random.Random(seed)
    places = ["Bergen", "Askøy", "Øygarden", "Bjørnafjorden", "Alver", "Osterøy", "Vaksdal"]
    topics = ["Generell gruppe", "Sorg etter dødsfall", "Pårørende", "Samlivsbrudd", "Ensomhet"]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        [
            "Navn",
            "E-post",
            "Telefon",
            "Kommune",
            "Tema",
            "Møteform",
            "Tid",
            "Venter siden",
            "Forsamtale",
            "Samtykke dato",
            "Samtykke",
        ]
    )
    for i in range(rows):
        day = f"{rng.randint(1, 28):02d}.{rng.randint(1, 11):02d}.2026"
        phone = f"9{rng.randrange(10**7):07d}" if rng.random() < 0.7 else ""
        email = (
            f"person{i}.{rng.randrange(10**6)}@eksempel.no"
            if not phone or rng.random() < 0.5
            else ""
        )
        sheet.append(
            [
                f"Person{i}",
                email,
                phone,
                rng.choice(places),
                ", ".join(rng.sample(topics, 2)),
                rng.choice(["fysisk", "digitalt", "fysisk, digitalt"]),
                rng.choice(["kveld", "dagtid", "helg", "kveld, helg"]),
                day,
                rng.choice(["ja", "nei"]),
                day,
                rng.choice(["muntlig", "skriftlig"]),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1000)
    args = ap.parse_args()
    root = Path(mkdtemp(prefix="linkflyt-bench-import-"))
    data = waiting_list(args.rows)
    with Stack.on_free_ports(root, "linkflyt-bench-import"):
        from shared.config import reset_caches
        from workflows.console import importing
        from workflows.platform.runtime import build_deps

        reset_caches()
        d = build_deps()
        t0 = time.perf_counter()
        plan = importing.plan(d, data, "venteliste.xlsx", "people", "nb")
        t1 = time.perf_counter()
        assert not isinstance(plan, importing.FileProblem)
        out = importing.run(d, "bench", data, "venteliste.xlsx", "people", "nb")
        t2 = time.perf_counter()
        again = importing.run(d, "bench", data, "venteliste.xlsx", "people", "nb")
        t3 = time.perf_counter()
        assert not isinstance(out, importing.FileProblem)
        assert not isinstance(again, importing.FileProblem)
        stored = len(d.store.query("inquiries"))
        print(f"{args.rows} rows ({len(data) // 1024} KiB .xlsx) on the Firestore emulator")
        print(
            f"  dry run           {t1 - t0:6.1f} s  (create {plan.count('create')}, "
            f"reject {plan.count('reject')}, duplicates {plan.count('duplicate')})"
        )
        print(
            f"  import            {t2 - t1:6.1f} s  (created {out.created}, updated "
            f"{out.updated}, rejected {out.rejected}; {stored} inquiries stored)"
        )
        print(
            f"  the same again    {t3 - t2:6.1f} s  (created {again.created}, updated "
            f"{again.updated}, rejected {again.rejected})"
        )
        verdict = "met" if t2 - t1 <= TARGET_SECONDS else "NOT met"
        print(f"  target: import of {args.rows} rows in at most {TARGET_SECONDS:.0f} s — {verdict}")


if __name__ == "__main__":
    main()
