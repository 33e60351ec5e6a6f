"""schedule (Cloud Tasks): facilitator offers, their deadlines, invitation deadlines, follow-ups."""

from __future__ import annotations

import functions_framework
from flask import Request, Response

from functions._task import run_task


@functions_framework.http
def schedule(request: Request) -> Response:
    return run_task(request, "schedule")
