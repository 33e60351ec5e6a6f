"""notify (Cloud Tasks): send one email, at most once."""

from __future__ import annotations

import functions_framework
from flask import Request, Response

from functions._task import run_task


@functions_framework.http
def notify(request: Request) -> Response:
    return run_task(request, "notify")
