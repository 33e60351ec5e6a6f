"""A bare functions-framework hello-world: the benchmark's yardstick for framework overhead."""

from __future__ import annotations

import functions_framework
from flask import Request


@functions_framework.http
def hello(request: Request) -> tuple[str, int]:
    request.get_data()
    return '{"ok": true}', 201
