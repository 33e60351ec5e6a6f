"""report (Cloud Scheduler, or POST /report {"period": "2026-Q3"}): the municipalities' reports."""

from __future__ import annotations

import functions_framework
from flask import Request, Response

from functions._http import HttpProblem, json_response, task_body


@functions_framework.http
def report(request: Request) -> Response:
    from shared.domain.reports import PeriodError
    from workflows.platform.runtime import deps
    from workflows.reporting import report as step

    if request.method != "POST":
        return json_response(405, {"error": "method not allowed"}, {"Allow": "POST"})
    try:
        body = task_body(request)
    except HttpProblem as problem:
        return json_response(422, {"errors": [{"field": "body", "message": str(problem)}]})
    period = body.get("period")
    preliminary = body.get("preliminary", False)
    if not isinstance(period, str) or set(body) - {"period", "preliminary"}:
        message = "give the period as a string, e.g. 2026-Q3 or 2026 (and optionally preliminary)"
        return json_response(422, {"errors": [{"field": "period", "message": message}]})
    if not isinstance(preliminary, bool):
        message = "preliminary is true or false"
        return json_response(422, {"errors": [{"field": "preliminary", "message": message}]})
    try:
        return json_response(200, {"reports": step.run(deps(), period, preliminary)})
    except PeriodError as exc:
        return json_response(422, {"errors": [{"field": "period", "message": str(exc)}]})
