"""`make dpia`: the data protection impact assessment (GDPR art. 35), in bokmål, from the code's own
registry of what it stores (issue 19).

    .venv/bin/python -m scripts.dpia [--out var/dpia] [--centre config/centres/<centre>.toml]

writes dpia.html and dpia.pdf (tagged PDF/UA-1 through WeasyPrint, as the municipal reports). What
it says about collections, fields, retention and backups comes from shared/registry.py, which the
tests hold to what the code writes; the risks, processors and rights from shared/dpia_text.py; the
alerts from infra/alerts.tf; the catchment from the centre file.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

from shared import dpia_text, registry
from shared.config import DEFAULT_CENTRE_FILE, REPO_ROOT, CentreConfig, load_centre

OUT = REPO_ROOT / "var" / "dpia"
TEMPLATES = REPO_ROOT / "shared" / "templates"


def version() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip() or "ukjent"
    except (OSError, subprocess.CalledProcessError):
        return "ukjent"


def alerts() -> list[str]:
    """Each alert policy's subject (what the coordinators receive), from infra/alerts.tf."""
    import hcl2

    with (REPO_ROOT / "infra" / "alerts.tf").open() as fh:
        doc = hcl2.load(fh)
    out = []
    for block in doc.get("resource", []):
        for rtype, named in block.items():
            if rtype.strip('"') != "google_monitoring_alert_policy":
                continue
            for body in named.values():
                subject = str(body["documentation"][0]["subject"]).strip('"')
                subject = subject.removeprefix("linkflyt: ")
                out.append(subject[:1].upper() + subject[1:])  # "SMS" stays in capitals
    out.append(
        "Budsjettet for skyprosjektet: ved 50 % og 90 % brukt, og når prognosen passerer 100 %"
    )
    return out


def _fmt(text: str, figures: dict[str, Any]) -> str:
    return text.format(**figures)


def context(centre: CentreConfig, today: date, commit: str) -> dict[str, Any]:
    figures = registry.figures(centre)
    collections = []
    for c in registry.COLLECTIONS:
        collections.append(
            {
                "name": c.name,
                "what": c.what,
                "purpose": c.purpose,
                "category": c.category,
                "basis_short": registry.LEGAL_BASES[c.basis].split(":")[0].split(",")[0],
                "audience": ", ".join(registry.AUDIENCES[a][0] for a in c.audience),
                "retention": [_fmt(k.text, figures) for k in c.keep] or [c.kept],
                "fields": [
                    {"name": f.name, "category": f.category, "what": _fmt(f.what, figures)}
                    for f in c.fields
                ],
            }
        )
    bases: dict[str, list[str]] = {}
    for c in registry.COLLECTIONS:
        bases.setdefault(registry.LEGAL_BASES[c.basis], []).append(c.name)
    risks = [
        {
            "title": r.title,
            "scenario": r.scenario,
            "likelihood": r.likelihood,
            "severity": r.severity,
            "measures": [_fmt(m, figures) for m in r.measures],
            "residual": _fmt(r.residual, figures),
        }
        for r in dpia_text.RISKS
    ]
    high = [r.title for r in dpia_text.RISKS if r.residual.startswith("høy")]
    prior = (
        "Nødvendig: restrisikoen er høy for " + "; ".join(high)
        if high
        else "Ikke nødvendig etter denne vurderingen: ingen restrisiko er høy "
        "(behandlingsansvarlig bekrefter)"
    )
    return {
        "centre": centre.centre,
        "municipalities": ", ".join(f"{m.name} ({m.code})" for m in centre.municipalities),
        "municipality_count": len(centre.municipalities),
        "population": f"{sum(m.population for m in centre.municipalities):,}".replace(",", " "),
        "generated": today.strftime("%d.%m.%Y"),
        "version": commit,
        "criteria": dpia_text.CRITERIA,
        "collections": collections,
        "categories": registry.CATEGORIES,
        "audiences": list(registry.AUDIENCES.values()),
        "category_notes": registry.CATEGORY_NOTES,
        "flows": dpia_text.FLOWS,
        "processors": dpia_text.SUBPROCESSORS,
        "backups": [
            {
                "kind": b.kind,
                "retention": f"{b.retention_days // 7} uker"
                if b.retention_days % 7 == 0 and b.retention_days > 7
                else f"{b.retention_days} dager",
                "protects": b.protects,
            }
            for b in registry.BACKUPS
        ],
        "backup_weeks": figures["backup_weeks"],
        "bases": list(bases.items()),
        "measures": [(n, _fmt(t, figures)) for n, t in dpia_text.MEASURES],
        "rights": [(n, _fmt(t, figures)) for n, t in dpia_text.RIGHTS],
        "risks": risks,
        "levels": dpia_text.LEVEL,
        "alerts": alerts(),
        "prior_consultation": prior,
    }


def render_html(ctx: dict[str, Any]) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=False,
    )
    return env.get_template("dpia/dpia.html").render(**ctx)


def write(out: Path, centre: CentreConfig, today: date | None = None) -> tuple[Path, Path]:
    from weasyprint import HTML

    out.mkdir(parents=True, exist_ok=True)
    html = render_html(context(centre, today or date.today(), version()))
    html_path, pdf_path = out / "dpia.html", out / "dpia.pdf"
    html_path.write_text(html, encoding="utf-8")
    pdf_path.write_bytes(HTML(string=html, base_url=str(out)).write_pdf(pdf_variant="pdf/ua-1"))
    return html_path, pdf_path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--centre", type=Path, default=DEFAULT_CENTRE_FILE)
    args = ap.parse_args(argv)
    html_path, pdf_path = write(args.out, load_centre(args.centre))
    print(
        f"DPIA written: {html_path.relative_to(REPO_ROOT) if html_path.is_relative_to(REPO_ROOT) else html_path}"
    )
    print(
        f"              {pdf_path.relative_to(REPO_ROOT) if pdf_path.is_relative_to(REPO_ROOT) else pdf_path}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
