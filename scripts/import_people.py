"""Import a centre's spreadsheet from the command line (issue 17), for an engineer setting up a
centre: the same dry run and import as the console's /console/import.

    python -m scripts.import_people people liste.xlsx              # dry run: what each row becomes
    python -m scripts.import_people people liste.csv --import      # import it
        [--allow 7,12]     rows that are likely duplicates, to import as separate people
        [--receipts]       send each new person a receipt (otherwise nobody is contacted)
        [--lang nb|nn|en]  the language of the problems shown (default: the centre's)
    python -m scripts.import_people facilitators igangsettere.xlsx --import
    python -m scripts.import_people template people mal.xlsx       # the template

Reads the environment as the functions do (FIRESTORE_EMULATOR_HOST, GOOGLE_CLOUD_PROJECT, ...).
Prints one line per row (row number, outcome, problems — never a name or contact) and the counts;
exit 1 when the file cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from shared.languages import STAFF_LANGS, pick_lang
from workflows.console import importing
from workflows.platform.runtime import deps

ACTOR = "engineer-cli"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m scripts.import_people", description=__doc__)
    ap.add_argument("kind", choices=[*importing.TEMPLATE_COLUMNS, "template"])
    ap.add_argument("file", type=Path)
    ap.add_argument("out", nargs="?", type=Path, help="template: where to write it")
    ap.add_argument("--import", dest="do_import", action="store_true")
    ap.add_argument("--allow", default="", help="duplicate rows to import anyway, e.g. 7,12")
    ap.add_argument("--receipts", action="store_true")
    ap.add_argument("--lang", default="")
    args = ap.parse_args(argv)
    d = deps()
    lang = pick_lang(args.lang or d.centre.centre.default_language, "nb", STAFF_LANGS)
    if args.kind == "template":
        kind = str(args.file)
        if kind not in importing.TEMPLATE_COLUMNS or args.out is None:
            ap.error("template KIND OUT.xlsx")
        args.out.write_bytes(importing.template(d, kind, lang))
        print(f"template written: {args.out}")
        return 0
    data = args.file.read_bytes()
    if not args.do_import:
        plan = importing.plan(d, data, args.file.name, args.kind, lang)
        if isinstance(plan, importing.FileProblem):
            print(plan.message, file=sys.stderr)
            return 1
        for note in plan.notes:
            print(note)
        for r in plan.rows:
            print(f"{r.row:>5}  {r.action:<10} {' | '.join(r.problems)}")
        print(
            f"rows {plan.rows_read}: create {plan.count('create')}, "
            f"update {plan.count('update', 'unchanged')}, reject {plan.count('reject')}, "
            f"duplicates {plan.count('duplicate')} (dry run: nothing stored; add --import)"
        )
        return 0
    allow = {int(x) for x in args.allow.split(",") if x.strip().isdigit()}
    out = importing.run(
        d, ACTOR, data, args.file.name, args.kind, lang, allow=allow, receipts=args.receipts
    )
    if isinstance(out, importing.FileProblem):
        print(out.message, file=sys.stderr)
        return 1
    for r in out.rows:
        print(f"{r.row:>5}  {r.action:<10} {' | '.join(r.problems)}")
    print(
        f"rows {out.rows_read}: created {out.created}, updated {out.updated}, "
        f"rejected {out.rejected}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
