"""GET /join?t=<token> (or ?s= from an SMS), served by the public intake function beside /actions:
a 303 into the meeting room inside a meeting's window, otherwise a page saying why (issue 16)."""

from __future__ import annotations

from flask import Request, Response

from functions._http import html_response, json_response


def handle(request: Request) -> Response:
    from shared.languages import pick_lang
    from workflows.links import join
    from workflows.platform.runtime import deps

    if request.method not in ("GET", "HEAD"):
        return json_response(405, {"error": "method not allowed"}, {"Allow": "GET"})
    d = deps()
    lang = pick_lang(request.args.get("lang") or request.headers.get("Accept-Language"), "nb")
    answer = join.open_link(d, request.args.get("t", ""), request.args.get("s", ""), lang)
    if answer.location is not None:
        # no-referrer: the room never learns the join link; no-store: a token is minted per open
        return Response(
            status=303,
            headers={
                "Location": answer.location,
                "Cache-Control": "no-store",
                "Referrer-Policy": "no-referrer",
            },
        )
    return html_response(answer.status, answer.html, https=d.settings.https)
