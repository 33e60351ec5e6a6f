import json
import logging
from datetime import UTC, datetime

import pytest

from shared import logs
from shared.domain import links, reference


def test_link_round_trip_and_tamper() -> None:
    exp = datetime(2030, 1, 1, tzinfo=UTC)
    signed = links.sign("k1", "tok123", exp)
    assert links.verify("k1", signed) == links.LinkToken("tok123", exp)
    with pytest.raises(links.BadLink):
        links.verify("k2", signed)
    token, expires, sig = signed.split(".")
    with pytest.raises(links.BadLink):
        links.verify("k1", f"{token}.{int(expires) + 86400}.{sig}")  # extended expiry
    with pytest.raises(links.BadLink):
        links.verify("k1", "garbage")
    url = links.action_url("https://x.example/", "k1", "tok123", exp)
    assert url.startswith("https://x.example/actions?t=tok123.")


def test_references_are_opaque_and_distinct() -> None:
    refs = {reference.new_reference() for _ in range(2000)}
    assert len(refs) == 2000
    assert all(reference.PATTERN.match(r) for r in refs)


def test_json_log_format_and_scrubbing() -> None:
    fmt = logs.JsonFormatter()
    logs.set_trace("abc123/1;o=1", "proj")
    record = logging.makeLogRecord(
        {
            "msg": "sent to kari@example.no or +47 412 34 567",
            "levelname": "INFO",
            "name": "t",
            "email": "kari@example.no",
            "inquiry": "id1",
        }
    )
    entry = json.loads(fmt.format(record))
    assert entry["severity"] == "INFO"
    assert entry["logging.googleapis.com/trace"] == "projects/proj/traces/abc123"
    assert "kari@example.no" not in json.dumps(entry)
    assert "412 34 567" not in json.dumps(entry)
    assert entry["inquiry"] == "id1" and "email" not in entry
    logs.set_trace(None, "proj")


def test_scrubbing_leaves_ids_alone() -> None:
    assert (
        logs.scrub("task 4ce9012eef53fbc6817361234567f9") == "task 4ce9012eef53fbc6817361234567f9"
    )
    assert logs.scrub("call 41234567 now") == "call [number] now"


# ---------------------------------------------------------------- issue 12


def test_odd_tokens_are_bad_links_not_crashes() -> None:
    import pytest

    from shared.domain import links

    for odd in (
        "a.².b",
        "a.1²3.b",
        "a/b.1.c",
        "..",
        "a.1",
        "a.1.b.c",
        "ä.1.b",
        "",
        "a." + "9" * 13 + ".b",
        "0.0.\x80",
    ):
        with pytest.raises(links.BadLink):
            links.verify("k", odd)


def test_ipv6_clients_are_rate_limited_by_their_64() -> None:
    from functions._http import rate_client

    assert rate_client("2001:db8:1:2:aaaa::1") == rate_client("2001:db8:1:2:ffff:1:2:3")
    assert rate_client("2001:db8:1:2::1") != rate_client("2001:db8:1:3::1")
    assert rate_client("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert rate_client("::ffff:192.0.2.7") == "192.0.2.7"
    assert rate_client("192.0.2.7") == "192.0.2.7"
    assert rate_client("not an address") == "not an address"
