"""Translation catalogs with Babel (issue 11): `make i18n` = extract → update; `make deps` compiles.

    python -m scripts.i18n extract   # shared/locale/<domain>.pot from the marked source texts
    python -m scripts.i18n update    # merge the .pot into every language's .po (new texts empty)
    python -m scripts.i18n init LANG # start a language (then translate its messages.po)
    python -m scripts.i18n compile   # .po → .mo (shared/catalogs.py also compiles a stale one)

Each domain has its own markers, so `pybabel extract` runs once per domain (README § Translations).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOCALE = REPO / "shared" / "locale"
KEYWORDS = {
    "messages": ["M:1c,2", "MP:1c,2,3", "_", "gettext", "ngettext:1,2", "pgettext:1c,2"],
    "staff": ["S:1c,2"],
    "report": ["R:1c,2"],
}
HEADER = ["--project=linkflyt", "--version=1", "--copyright-holder=linkflyt", "--no-wrap"]


def pybabel(*args: str) -> None:
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "-q", *args], cwd=REPO, check=True
    )


def extract(out: Path = LOCALE) -> None:
    for domain, keys in KEYWORDS.items():
        pybabel(
            "extract",
            "-F",
            "babel.cfg",
            "--no-default-keywords",
            *[f"-k{k}" for k in keys],
            "--omit-header",
            "--no-location",
            *HEADER,
            "-o",
            str(out / f"{domain}.pot"),
            "shared",
        )


def languages(domain: str) -> list[str]:
    return sorted(p.parent.parent.name for p in LOCALE.glob(f"*/LC_MESSAGES/{domain}.po"))


def update() -> None:
    for domain in KEYWORDS:
        for lang in languages(domain):
            pybabel(
                "update",
                "-i",
                str(LOCALE / f"{domain}.pot"),
                "-d",
                str(LOCALE),
                "-D",
                domain,
                "-l",
                lang,
                "--no-wrap",
                "--ignore-obsolete",
                "--no-fuzzy-matching",
            )


def compile_all() -> None:
    for domain in KEYWORDS:
        pybabel("compile", "-d", str(LOCALE), "-D", domain, "--use-fuzzy")


def init(lang: str) -> None:
    pybabel(
        "init",
        "-i",
        str(LOCALE / "messages.pot"),
        "-d",
        str(LOCALE),
        "-D",
        "messages",
        "-l",
        lang,
        "--no-wrap",
    )


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "all"
    if command == "extract":
        extract()
    elif command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "init" and len(argv) == 2:
        init(argv[1])
    elif command == "all":
        extract()
        update()
        compile_all()
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
