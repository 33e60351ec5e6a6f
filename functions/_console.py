"""The coordinator console (issue 9), served by the public intake function under /console.

Only parses the request into the console's own shapes and answers; the console lives in
workflows/console/.
"""

from __future__ import annotations

from flask import Request, Response

from functions._http import HttpProblem, client_address, json_response, parse_form, read_body


def handle(request: Request) -> Response:
    from workflows.console import app
    from workflows.console.auth import COOKIE
    from workflows.console.web import Req
    from workflows.platform.runtime import deps

    d = deps()
    form: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            form = parse_form(read_body(request))
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
