"""One WSGI app serving every function at /<function-name>, each built by functions-framework.

`make run` and the tests serve this with gunicorn, so the local stack runs the same entry points,
through the same framework, as Cloud Functions does; only the router in front is local.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

import functions_framework
from werkzeug.wrappers import Response

FUNCTIONS_DIR = Path(__file__).resolve().parent.parent / "functions"
# The deployed functions; infra/ declares the same names (tests/integration/test_infra.py checks it).
FUNCTION_NAMES: tuple[str, ...] = (
    "intake",
    "assemble",
    "schedule",
    "notify",
    "actions",
    "digest",
    "report",
    "sweep",
)


class Router:
    """/<name>[/rest] -> that function's app, with PATH_INFO "/" (not "") so Flask does not redirect."""

    ALIASES: ClassVar[dict[str, str]] = {"console": "intake", "join": "intake", "me": "intake"}

    def __init__(self, mounts: dict[str, Any]) -> None:
        self.mounts = mounts

    def __call__(self, environ: Any, start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "") or "/"
        name, _, rest = path.lstrip("/").partition("/")
        if name in self.ALIASES and self.ALIASES[name] in self.mounts:
            # served by another function under its own path, as in the cloud (/console -> intake)
            return self.mounts[self.ALIASES[name]](environ, start_response)
        app = self.mounts.get(name)
        if app is None:
            return Response("not found", status=404)(environ, start_response)
        environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + f"/{name}"
        environ["PATH_INFO"] = "/" + rest
        return app(environ, start_response)


def build_app(names: tuple[str, ...] = FUNCTION_NAMES, hello: bool = False) -> Any:
    mounts: dict[str, Any] = {}
    for name in names:
        mounts[name] = functions_framework.create_app(  # type: ignore[no-untyped-call]
            target=name, source=str(FUNCTIONS_DIR / f"{name}.py"), signature_type="http"
        )
    if hello:
        mounts["hello"] = functions_framework.create_app(  # type: ignore[no-untyped-call]
            target="hello", source=str(Path(__file__).with_name("hello.py")), signature_type="http"
        )
    return Router(mounts)


app = build_app(hello=os.environ.get("LINKFLYT_SERVE_HELLO") == "1")
