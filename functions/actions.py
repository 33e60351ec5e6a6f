"""actions (public HTTP, signed links): GET confirms, POST acts (CONTRACT.md § Links in emails)."""

from __future__ import annotations

import functions_framework
from flask import Request, Response

from functions._http import (
    HttpProblem,
    client_address,
    html_response,
    json_response,
    parse_form,
    read_body,
)


@functions_framework.http
def actions(request: Request) -> Response:
    return handle(request)


def handle(request: Request) -> Response:
    from shared.languages import pick_lang
    from workflows.links import actions as flow
    from workflows.platform.runtime import deps

    d = deps()
    lang = pick_lang(request.args.get("lang") or request.headers.get("Accept-Language"), "nb")
    https = d.settings.https
    client = client_address(request, d.settings.trust_forwarded_for)
    if flow.too_many_failures(d, client):  # issue 18: a client guessing links is slowed
        page = flow.slowed(d, lang)
        return html_response(page.status, page.html, {"Retry-After": "3600"}, https=https)
    signed = request.args.get("t", "") or flow.expand_short(d, request.args.get("s", ""))
    if request.method == "GET":
        page = flow.view(d, signed, lang)
    elif request.method == "POST":
        try:
            form = parse_form(read_body(request))
        except HttpProblem as problem:
            return json_response(problem.status, {"error": str(problem)})
        page = flow.act(d, signed, form, lang)
    else:
        return json_response(405, {"error": "method not allowed"}, {"Allow": "GET, POST"})
    flow.record_failure(d, client, page)
    return html_response(page.status, page.html, https=https)  # never framed
