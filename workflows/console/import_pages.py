"""The console's import page (issue 17; CONTRACT.md § Console additions): upload, dry run, import.

The first POST (multipart, file input `file`) only reads: it shows what each row would become. Its
page carries the file itself back (base64, with its digest) in the confirming form, so nothing about
the people in it is stored before the coordinator confirms, and what is imported is the file that
was checked. The confirming POST imports.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from shared.domain import importing, spreadsheet
from shared.languages import Lang
from shared.texts.setup import SETUP
from workflows.console import importing as imp
from workflows.console.auth import Session
from workflows.console.views import page
from workflows.console.web import Form, Req, Resp, one
from workflows.platform.runtime import Deps

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def show(
    deps: Deps, lang: Lang, rest: list[str], query: dict[str, str], ctx: dict[str, Any]
) -> Resp:
    if len(rest) == 2 and rest[0] == "template":
        kind = rest[1].removesuffix(".xlsx")
        if kind not in importing.KINDS:
            return page(deps, lang, "message.html", 404, heading="404", text="", **ctx)
        body = imp.template(deps, kind, lang)
        name = f"linkflyt-{kind}-{lang}.xlsx"
        return Resp(200, body, XLSX, {"Content-Disposition": f'attachment; filename="{name}"'})
    return _form(deps, lang, ctx, "people")


def _form(
    deps: Deps, lang: Lang, ctx: dict[str, Any], kind: str, error: str = "", status: int = 200
) -> Resp:
    return page(
        deps,
        lang,
        "import.html",
        status,
        current="import",
        kinds=importing.KINDS,
        kind=kind,
        file_error=error,
        **ctx,
    )


def post(deps: Deps, s: Session, rest: list[str], req: Req, lang: Lang) -> Resp:
    ctx: dict[str, Any] = {"session": s, "csrf": s.csrf}
    form: Form = req.form
    kind = one(form, "kind")
    kind = kind if kind in importing.KINDS else "people"
    if rest == ["confirm"]:
        return _confirm(deps, s, form, kind, lang, ctx)
    if rest:
        return page(deps, lang, "message.html", 404, heading="404", text="", **ctx)
    filename, data = req.files.get("file", ("", b""))
    if not data:
        return _form(deps, lang, ctx, kind, SETUP[lang]["unreadable_missing"], 422)
    plan = imp.plan(deps, data, filename, kind, lang)
    if isinstance(plan, imp.FileProblem):
        return _form(deps, lang, ctx, kind, plan.message, 422)
    counts = {
        "read": plan.rows_read,
        "create": plan.count("create"),
        "update": plan.count("update", "unchanged"),
        "reject": plan.count("reject"),
        "duplicate": plan.count("duplicate"),
    }
    return page(
        deps,
        lang,
        "import_plan.html",
        current="import",
        kind=kind,
        rows=plan.rows,
        notes=plan.notes,
        counts=counts,
        result=False,
        filename=filename[:120],
        digest=plan.digest,
        data=base64.b64encode(data).decode("ascii"),
        **ctx,
    )


def _confirm(
    deps: Deps, s: Session, form: Form, kind: str, lang: Lang, ctx: dict[str, Any]
) -> Resp:
    try:
        data = base64.b64decode(one(form, "data"), validate=True)
    except (binascii.Error, ValueError):
        data = b""
    if not data or len(data) > spreadsheet.MAX_BYTES:
        return _form(deps, lang, ctx, kind, SETUP[lang]["unreadable_changed"], 422)
    allow = {int(v) for v in form.get("allow", []) if v.isdigit()}
    out = imp.run(
        deps,
        s.coordinator,
        data,
        one(form, "filename"),
        kind,
        lang,
        allow=allow,
        receipts=one(form, "receipts") == "1",
        expect_digest=one(form, "digest"),
    )
    if isinstance(out, imp.FileProblem):
        return _form(deps, lang, ctx, kind, out.message, 422)
    counts = {
        "read": out.rows_read,
        "created": out.created,
        "updated": out.updated,
        "rejected": out.rejected,
    }
    return page(
        deps,
        lang,
        "import_plan.html",
        current="import",
        kind=kind,
        rows=out.rows,
        notes=[],
        counts=counts,
        result=True,
        **ctx,
    )
