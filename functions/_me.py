"""The person's own page (public HTTP, served by intake at /me; CONTRACT.md § The person's own
page): GET /me?t= shows it, POST /me?t= acts on one of its forms, GET /me/data?t= is the JSON."""

from __future__ import annotations

from flask import Request, Response

from functions._http import HttpProblem, html_response, json_response, parse_form, read_body


def handle(request: Request) -> Response:
    from shared.languages import pick_lang
    from workflows.links import me as flow
    from workflows.platform.runtime import deps

    d = deps()
    lang = pick_lang(request.args.get("lang") or request.headers.get("Accept-Language"), "nb")
    signed = request.args.get("t", "") or flow.expand_short(d, request.args.get("s", ""))
    is_data = request.path.rstrip("/").endswith("/me/data")
    if request.method == "GET":
        page = flow.data(d, signed, lang) if is_data else flow.view(d, signed, lang)
    elif request.method == "POST" and not is_data:
        try:
            form = parse_form(read_body(request))
        except HttpProblem as problem:
            return json_response(problem.status, {"error": str(problem)})
        page = flow.act(d, signed, form, lang)
    else:
        return json_response(405, {"error": "method not allowed"}, {"Allow": "GET, POST"})
    if page.content_type.startswith("application/json"):
        headers = {
            "Cache-Control": "no-store",
            "Content-Disposition": "attachment; filename=my-data.json",
        }
        return Response(page.body, status=page.status, mimetype="application/json", headers=headers)
    response = html_response(page.status, page.body, https=d.settings.https)  # never framed
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
