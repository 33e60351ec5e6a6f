"""digest (Cloud Scheduler daily 07:00, or POST /digest {}): the coordinators' daily email."""

from __future__ import annotations

import functions_framework
from flask import Request, Response

from functions._http import json_response


@functions_framework.http
def digest(request: Request) -> Response:
    from workflows import digest as step
    from workflows.runtime import deps

    if request.method != "POST":
        return json_response(405, {"error": "method not allowed"}, {"Allow": "POST"})
    return json_response(200, {"sent": step.run(deps())})
