"""The coordinator console (issue 9), served by the public intake function under /console.

Only parses the request into the console's own shapes and answers; the console lives in
workflows/console/.
"""

from __future__ import annotations

from flask import Request, Response

from functions._http import (
    MAX_BODY,
    HttpProblem,
    client_address,
    json_response,
    parse_form,
    read_body,
)

# a 4 MB spreadsheet, as base64 in the confirming form (4/3) with the form around it
UPLOAD_LIMIT = 6 * 1024 * 1024


def handle(request: Request) -> Response:
    from workflows.console import app
    from workflows.console.auth import COOKIE
    from workflows.console.web import Req
    from workflows.platform.runtime import deps

    d = deps()
    form: dict[str, list[str]] = {}
    files: dict[str, tuple[str, bytes]] = {}
    # issue 17: a spreadsheet upload (multipart) and its confirmation carry the file itself
    upload = request.path.rstrip("/").endswith(("/console/import", "/console/import/confirm"))
    limit = UPLOAD_LIMIT if upload else MAX_BODY
    if request.method == "POST":
        try:
            if upload and request.mimetype == "multipart/form-data":
                if request.content_length is None or request.content_length > limit:
                    raise HttpProblem(413, "body too large")
                form = {k: request.form.getlist(k) for k in request.form}
                files = {k: (f.filename or "", f.read(limit + 1)) for k, f in request.files.items()}
            else:
                form = parse_form(read_body(request, limit))
        except HttpProblem as problem:
            return json_response(problem.status, {"error": str(problem)})
    path = request.path.split("/console", 1)[-1]
    req = Req(
        method=request.method,
        path=path,
        query={k: v for k, v in request.args.items()},
        form=form,
        cookie=request.cookies.get(COOKIE),
        client=client_address(request, d.settings.trust_forwarded_for),
        lang_hint=request.headers.get("Accept-Language"),
        files=files,
    )
    resp = app.handle(d, req)
    out = Response(resp.body, status=resp.status, content_type=resp.content_type)
    for key, value in resp.headers.items():
        out.headers[key] = value
    out.headers["Content-Language"] = resp.lang
    if d.settings.https:
        out.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if resp.set_cookie is not None:
        out.headers.add("Set-Cookie", resp.set_cookie)
    return out
