"""The common shape of a task-triggered entry point (STYLE.md § Entry points): parse, hand the body
to workflows/tasks.py (the same path the simulated year uses), answer what it says."""

from __future__ import annotations

from flask import Request, Response

from functions._http import HttpProblem, json_response, task_body


def run_task(request: Request, step: str) -> Response:
    from shared import logs
    from workflows import tasks
    from workflows.platform.runtime import deps

    d = deps()
    logs.set_trace(request.headers.get("X-Cloud-Trace-Context"), d.settings.google_cloud_project)
    if request.method != "POST":
        return json_response(405, {"error": "method not allowed"})
    task_name = request.headers.get("X-CloudTasks-TaskName", "unknown")
    try:
        retries = int(request.headers.get("X-CloudTasks-TaskRetryCount", "0"))
    except ValueError:
        retries = 0
    try:
        body = task_body(request)
    except HttpProblem:
        body = None  # dead-lettered as an invalid payload
    answer = tasks.handle(d, step, body, task_name, retries)
    return json_response(answer.status, {"outcome": answer.outcome})
