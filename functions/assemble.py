"""assemble (Cloud Tasks): place waiting people into groups."""

from __future__ import annotations

import functions_framework
from flask import Request, Response

from functions._task import run_task


@functions_framework.http
def assemble(request: Request) -> Response:
    return run_task(request, "assemble")
