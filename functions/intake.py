"""intake (public HTTP): the web form, and the inquiries it posts (CONTRACT.md § Intake)."""

from __future__ import annotations

from urllib.parse import urlencode

import functions_framework
from flask import Request, Response

from functions._http import (
    HttpProblem,
    client_address,
    cors_headers,
    html_response,
    json_response,
    media_type,
    parse_form,
    parse_json_object,
    read_body,
    same_site_or_allowed,
)


@functions_framework.http
def intake(request: Request) -> Response:
    if request.path.startswith("/actions"):  # the public route to signed links (issue 5)
        from functions.actions import handle

        return handle(request)
    if request.path == "/console" or request.path.startswith("/console/"):  # issue 9
        from functions._console import handle as console

        return console(request)
    from shared import logs
    from shared.languages import pick_lang
    from shared.texts.form import error_text
    from shared.texts.pages import UI
    from workflows.links import pages
    from workflows.platform.runtime import deps

    d = deps()
    logs.set_trace(request.headers.get("X-Cloud-Trace-Context"), d.settings.google_cloud_project)
    lang = pick_lang(request.args.get("lang") or request.headers.get("Accept-Language"), "nb")
    cors = cors_headers(request, d.centre.centre.allowed_origins)
    # the form (and its answers) may be framed by the centre's own site; nothing else may be
    fa = d.centre.centre.allowed_origins
    https = d.settings.https
    if request.method == "OPTIONS":
        return Response(status=204, headers=cors)
    if request.method == "GET":
        if request.args.get("page") in ("privacy", "accessibility"):  # issue 22: the statements
            page = pages.statement_page(d.centre, lang, request.args["page"])
            return html_response(200, page, cors, frame_ancestors=fa, https=https)
        if "thanks" in request.args:  # issue 22: the thank-you page the form post redirects to
            from workflows.intake import thanks_reference

            ref = thanks_reference(d, request.args.get("thanks", "")[:80])
            page = pages.thanks_page(d.centre, lang, ref)
            return html_response(200, page, cors, frame_ancestors=fa, https=https)
        return html_response(
            200, pages.form_page(d.centre, lang), cors, frame_ancestors=fa, https=https
        )
    if request.method != "POST":
        return json_response(405, {"error": "method not allowed"}, {"Allow": "GET, POST", **cors})
    if not same_site_or_allowed(request, fa, d.settings.public_base_url):
        # issue 18: another site's page posting the form through its visitors' browsers
        return json_response(403, {"error": "cross-site form posts are refused"}, cors)
    # the form page above needs neither the rules nor the store (a cold start's first visitor)
    from shared.domain.intake_rules import form_to_raw
    from workflows import intake as flow
    from workflows.platform import ratelimit

    kind = media_type(request)
    try:
        body = read_body(request)
        if kind not in ("application/json", "application/x-www-form-urlencoded"):
            raise HttpProblem(415, "use application/json or application/x-www-form-urlencoded")
        if ratelimit.over_rate_limit(d, client_address(request, d.settings.trust_forwarded_for)):
            if kind == "application/json":
                return json_response(
                    429, {"error": UI[lang]["too_many"]}, {"Retry-After": "3600", **cors}
                )
            return html_response(
                429,
                pages.message_page(d.centre, lang, UI[lang]["title"], UI[lang]["too_many"]),
                cors,
                frame_ancestors=fa,
                https=https,
            )
        raw = (
            form_to_raw(parse_form(body))
            if kind.endswith("urlencoded")
            else parse_json_object(body)
        )
        if raw is not None and kind.endswith("urlencoded") and not raw.get("submission"):
            raw["submission"] = pages.new_submission_id()  # a form of our own without one
    except HttpProblem as problem:
        return json_response(problem.status, {"error": str(problem)}, cors)
    if raw is None:
        errors = [{"field": "body", "message": error_text("invalid_json", "body", lang)}]
        return json_response(422, {"errors": errors}, cors)
    result = flow.submit(d, raw, lang)
    if kind == "application/json":
        if isinstance(result, flow.Rejected):
            return json_response(422, {"errors": result.errors}, cors)
        return json_response(201, {"reference": result.reference, "status": "received"}, cors)
    if isinstance(result, flow.Rejected):
        page = pages.form_page(d.centre, lang, raw, result.errors)
        return html_response(422, page, cors, frame_ancestors=fa, https=https)
    # Post/redirect/get (issue 22): a reload of the thank-you page is a GET, not a second post.
    # The body is the same page, for a client that does not follow redirects.
    page = pages.thanks_page(d.centre, lang, result.reference)
    location = "?" + urlencode({"thanks": raw["submission"], "lang": lang})
    return html_response(303, page, {"Location": location, **cors}, frame_ancestors=fa, https=https)
