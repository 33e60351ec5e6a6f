"""The common shape of a task-triggered entry point (STYLE.md § Entry points).

2xx on success or duplicate; 503 on a transient failure so Cloud Tasks retries; on a permanent
failure (a payload that can never work) write our own dead letter and answer 2xx, because Cloud
Tasks drops a task silently after its last retry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Request, Response
from pydantic import BaseModel, ValidationError

from functions._http import HttpProblem, json_response, task_body


def run_task(
    request: Request, step: str, model: type[BaseModel], handler: Callable[[Any, Any], Any]
) -> Response:
    from shared import logs
    from shared.ports import PermanentError, TransientError
    from workflows.runtime import deps
    from workflows.steps import dead_letter

    d = deps()
    logs.set_trace(request.headers.get("X-Cloud-Trace-Context"), d.settings.google_cloud_project)
    log = logs.get_logger(f"functions.{step}")
    task_name = request.headers.get("X-CloudTasks-TaskName", "unknown")
    if request.method != "POST":
        return json_response(405, {"error": "method not allowed"})
    try:
        payload = model.model_validate(task_body(request))
    except (HttpProblem, ValidationError):
        dead_letter(d, task_name[:64] or "unknown", step, "invalid payload")
        log.error("invalid task payload dead-lettered", extra={"task": task_name})
        return json_response(200, {"outcome": "dead_lettered"})
    try:
        outcome = handler(d, payload)
    except TransientError:
        log.warning("transient failure; Cloud Tasks will retry", extra={"task": task_name})
        return json_response(503, {"outcome": "retry"})
    except PermanentError as exc:
        dead_letter(d, getattr(payload, "task_id", task_name), step, type(exc).__name__)
        log.error("permanent failure dead-lettered", extra={"task": task_name})
        return json_response(200, {"outcome": "dead_lettered"})
    if outcome == "busy":
        return json_response(429, {"outcome": "busy"})
    return json_response(200, {"outcome": outcome or "nothing_to_do"})
