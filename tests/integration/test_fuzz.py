"""Hypothesis throws arbitrary bodies at the live intake: the answer is never a 5xx."""

from __future__ import annotations

import itertools
import json
from typing import Any
from urllib.parse import urlencode

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.domain.intake_rules import FIELDS

_ip = itertools.count()
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=120)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
keys = st.one_of(st.sampled_from(FIELDS), st.text(max_size=12))
bodies = st.dictionaries(keys, values, max_size=16)
near_valid = st.fixed_dictionaries(
    {
        "name": st.text(max_size=90),
        "email": st.one_of(st.emails(), st.text(max_size=30)),
        "phone": st.one_of(st.none(), st.text(alphabet="+0123456789 -", max_size=16)),
        "municipality": st.sampled_from(["4601", "4628", "other", "0000", ""]),
        "topics": st.lists(st.sampled_from(["general", "relatives", "x", ""]), max_size=3),
        "formats": st.lists(st.sampled_from(["digital", "in_person", "y"]), max_size=2),
        "times": st.lists(st.sampled_from(["weekend", "weekday_evening", "z"]), max_size=2),
        "consent": st.one_of(st.booleans(), st.text(max_size=3)),
        "adult": st.booleans(),
    }
)


def _headers() -> dict[str, str]:
    n = next(_ip)
    return {"X-Forwarded-For": f"100.64.{n // 200}.{n % 200 + 1}"}


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=st.one_of(bodies, near_valid, st.lists(scalars, max_size=3), scalars))
def test_json_bodies_never_5xx(stack: Any, body: Any) -> None:
    r = requests.post(
        f"{stack.base_url}/intake",
        data=json.dumps(body),
        headers={"Content-Type": "application/json", **_headers()},
        timeout=30,
    )
    assert r.status_code in (201, 413, 422), r.text[:300]
    if r.status_code == 422:
        assert all({"field", "message"} <= set(e) for e in r.json()["errors"])


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    pairs=st.lists(st.tuples(keys, st.text(max_size=60)), max_size=20), raw=st.binary(max_size=200)
)
def test_form_bodies_never_5xx(stack: Any, pairs: list[tuple[str, str]], raw: bytes) -> None:
    for data in (urlencode(pairs).encode(), raw):
        r = requests.post(
            f"{stack.base_url}/intake",
            data=data,
            headers={"Content-Type": "application/x-www-form-urlencoded", **_headers()},
            timeout=30,
        )
        assert r.status_code < 500, r.text[:300]


# ---------------------------------------------------------------- issue 12: odd tokens, deep nesting

tokens = st.one_of(
    st.text(max_size=80),
    st.builds(
        lambda a, b, c: f"{a}.{b}.{c}",
        st.text(max_size=20),
        st.text(alphabet="0123456789²³¹٣۴", max_size=12),
        st.text(max_size=20),
    ),
    st.sampled_from(
        ["a.².b", "a/b.1.c", "..", "x.99999999999999999999.y", "%00.1.2", "\u202e.1.a"]
    ),
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(token=tokens, action=st.text(max_size=20))
def test_odd_link_tokens_answer_4xx(stack: Any, token: str, action: str) -> None:
    for path in ("/actions", "/intake/actions", "/console/self", "/console/login"):
        got = requests.get(f"{stack.base_url}{path}", params={"t": token}, timeout=30)
        assert got.status_code < 500, (path, token, got.status_code)
        posted = requests.post(
            f"{stack.base_url}{path}",
            params={"t": token},
            data={"action": action, "t": token},
            headers=_headers(),
            timeout=30,
        )
        assert posted.status_code < 500, (path, token, posted.status_code)


@settings(
    max_examples=35, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    depth=st.integers(1, 16000),
    opener=st.sampled_from(["[", '{"a":', '[{"x":']),
    encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]),
    kind=st.sampled_from(["application/json", "application/x-www-form-urlencoded"]),
)
def test_nested_and_odd_encodings_answer_4xx(
    stack: Any, depth: int, opener: str, encoding: str, kind: str
) -> None:
    body = (opener * (depth // len(opener)))[: 16 * 1024].encode(encoding, errors="replace")
    for path in ("/intake", "/console/login", "/report", "/digest"):
        r = requests.post(
            f"{stack.base_url}{path}",
            data=body,
            headers={"Content-Type": kind, **_headers()},
            timeout=30,
        )
        assert r.status_code < 500 or (path in ("/report", "/digest") and r.status_code == 422), (
            path,
            r.status_code,
        )


def test_only_the_form_may_be_framed_and_only_by_the_centre(stack: Any) -> None:
    from shared.config import get_centre

    origins = get_centre().centre.allowed_origins
    form = requests.get(f"{stack.base_url}/intake", timeout=30)
    assert f"frame-ancestors {' '.join(origins)}" in form.headers["Content-Security-Policy"]
    for path in ("/actions?t=a.1.b", "/console", "/console/login"):
        r = requests.get(f"{stack.base_url}{path}", timeout=30)
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"], path
    assert "Strict-Transport-Security" not in form.headers  # plain http locally
