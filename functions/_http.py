"""HTTP plumbing shared by the entry points: body limits, content types, JSON answers, CORS."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import Request, Response

MAX_BODY = 16 * 1024


class HttpProblem(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(payload, ensure_ascii=False),
        status=status,
        mimetype="application/json",
        headers=headers or {},
    )


def html_response(
    status: int,
    html: str,
    headers: dict[str, str] | None = None,
    *,
    frame_ancestors: tuple[str, ...] = (),
    https: bool = False,
) -> Response:
    """Pages may be framed only by the origins given (the form, by the centre's own site: its
    `allowed_origins`); every other page by no one (issue 12). HSTS where served over https."""
    ancestors = " ".join(frame_ancestors) or "'none'"
    base = {
        "Content-Security-Policy": (
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
            f"base-uri 'none'; frame-ancestors {ancestors}"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }
    if https:
        base["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    base.update(headers or {})
    return Response(html, status=status, mimetype="text/html", headers=base)


def read_body(request: Request, limit: int = MAX_BODY) -> bytes:
    if request.content_length is not None and request.content_length > limit:
        raise HttpProblem(413, "body too large")
    data = request.stream.read(limit + 1)
    if len(data) > limit:
        raise HttpProblem(413, "body too large")
    return bytes(data)


def media_type(request: Request) -> str:
    return (request.mimetype or "").lower()


def parse_form(data: bytes) -> dict[str, list[str]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HttpProblem(400, "form is not UTF-8") from exc
    return parse_qs(text, keep_blank_values=True)


def parse_json_object(data: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # 16 KiB of "[" nests too deep
        return None
    return value if isinstance(value, dict) else None


def client_address(request: Request, trust_forwarded_for: bool) -> str:
    """Who is asking, for rate limits: behind Google's front end the last X-Forwarded-For hop is
    the one it added itself. An IPv6 client counts as its /64 (one household or host can rotate
    through a whole /64; issue 12); an IPv4-mapped address as its IPv4 address."""
    raw = request.remote_addr or "unknown"
    if trust_forwarded_for:
        forwarded = request.headers.get("X-Forwarded-For", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            raw = hops[-1]
    return rate_client(raw)


def rate_client(raw: str) -> str:
    import ipaddress

    try:
        ip = ipaddress.ip_address(raw.strip("[]"))
    except ValueError:
        return raw[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def cors_headers(request: Request, allowed: tuple[str, ...]) -> dict[str, str]:
    origin = request.headers.get("Origin")
    if origin and origin in allowed:
        return {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type",
            "Access-Control-Max-Age": "3600",
            "Vary": "Origin",
        }
    return {"Vary": "Origin"}


def same_site_or_allowed(request: Request, allowed: tuple[str, ...], public_base_url: str) -> bool:
    """A form post's Origin is the form's own (this host, or PUBLIC_BASE_URL's origin) or one of the
    centre's `allowed_origins`; no Origin header (old browsers, curl, tests): as before (issue 18,
    CONTRACT.md § Reports and the public form). Any other page that makes its visitors' browsers
    post the form would bill the centre for their receipts."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    origin = origin.strip().rstrip("/").lower()
    parts = urlsplit(public_base_url)
    own = {f"{parts.scheme}://{parts.netloc}".lower()}
    host = (request.host or "").lower()
    if host:
        own |= {f"http://{host}", f"https://{host}"}
    return origin in own or origin in {a.rstrip("/").lower() for a in allowed}


def task_body(request: Request) -> dict[str, Any]:
    data = parse_json_object(read_body(request, 64 * 1024))
    if data is None:
        raise HttpProblem(400, "task body must be a JSON object")
    return data
