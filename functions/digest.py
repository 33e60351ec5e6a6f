"""digest (Cloud Scheduler daily 07:00, or POST /digest {}): the coordinators' daily email."""

from __future__ import annotations

import functions_framework
from flask import Request, Response

from functions._http import json_response


@functions_framework.http
def digest(request: Request) -> Response:
    from workflows.platform.runtime import deps
    from workflows.reporting import digest as step

    if request.method != "POST":
        return json_response(405, {"error": "method not allowed"}, {"Allow": "POST"})
    return json_response(200, {"sent": step.run(deps())})
