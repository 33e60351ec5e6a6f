"""Build one source directory per function for Terraform to zip (infra/build/<function>/).

Each holds main.py (importing the function's entry point), the packages it needs (functions/,
shared/, workflows/, config/) and requirements.txt pinned from requirements.lock. Terraform names
the uploaded archive by its content hash, so any code change redeploys the functions it touches.

    .venv/bin/python infra/bundle.py
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUILD = REPO / "infra" / "build"
PACKAGES = ("functions", "shared", "workflows", "config")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.demo.toml")


def functions() -> list[str]:
    return sorted(p.stem for p in (REPO / "functions").glob("*.py") if not p.stem.startswith("_"))


def requirements() -> str:
    lock = {}
    for line in (REPO / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            lock[name.lower().replace("_", "-")] = version
    wanted = []
    for line in (REPO / "requirements.in").read_text().splitlines():
        name = re.split(r"[\s#\[<>=]", line.strip(), maxsplit=1)[0].lower()
        if name:
            wanted.append(f"{name}=={lock[name]}" if name in lock else name)
    return "\n".join(wanted) + "\n"


def build() -> list[Path]:
    shutil.rmtree(BUILD, ignore_errors=True)
    out = []
    reqs = requirements()
    for name in functions():
        target = BUILD / name
        for package in PACKAGES:
            shutil.copytree(REPO / package, target / package, ignore=IGNORE)
        (target / "main.py").write_text(
            f'"""Cloud Functions entry module for {name}."""\n\nfrom functions.{name} import {name}  # noqa: F401\n'
        )
        (target / "requirements.txt").write_text(reqs)
        out.append(target)
    return out


if __name__ == "__main__":
    for path in build():
        print(path.relative_to(REPO))
