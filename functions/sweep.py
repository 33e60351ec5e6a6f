"""sweep (Cloud Scheduler): re-drive stuck outbox entries."""

from __future__ import annotations

import functions_framework
from flask import Request, Response

from functions._http import json_response


@functions_framework.http
def sweep(request: Request) -> Response:
    from shared.ports import TransientError
    from workflows.platform import sweep as step
    from workflows.platform.runtime import deps

    if request.method != "POST":
        return json_response(405, {"error": "method not allowed"})
    try:
        return json_response(200, step.run(deps()))
    except TransientError:
        return json_response(503, {"outcome": "retry"})
