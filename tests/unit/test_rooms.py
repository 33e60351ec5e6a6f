"""Meeting rooms and join windows (issue 16): pure rules, and the Jitsi token a server checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from shared.domain import rooms

T = datetime(2025, 3, 3, 17, 0, tzinfo=UTC)  # 18:00 in Oslo; in the past, so the token has expired
SECRET = "the-centres-jitsi-app-secret-0123456789"


def test_the_window_opens_fifteen_minutes_before_and_closes_at_the_end() -> None:
    starts = [T, T + timedelta(days=7)]
    lead = timedelta(minutes=15)
    at = lambda now: rooms.window(starts, 90, now, lead)  # noqa: E731
    assert at(T - timedelta(minutes=16)) == rooms.Window("before", T)
    assert at(T - timedelta(minutes=15)) == rooms.Window("open", T)
    assert at(T + timedelta(minutes=89)) == rooms.Window("open", T)
    assert at(T + timedelta(minutes=90)) == rooms.Window("before", T + timedelta(days=7))
    assert at(T + timedelta(days=7, minutes=90)) == rooms.Window("over", None)
    assert rooms.window([], 90, T, lead).moment == "over"


def test_a_jitsi_token_verifies_with_the_claims_a_server_checks() -> None:
    service = rooms.JitsiRooms(
        "https://meet.linkbergen.example",
        token_auth=True,
        app_id="linkflyt-bergen",
        audience="jitsi",
        secret=SECRET,
        token_minutes=5,
    )
    room = rooms.room_name("link-key", "group-1")
    who = rooms.Participant(rooms.opaque_id("link-key", "group-1", "member-1"))
    url = service.join_url(room, who, T)
    assert url is not None and url.startswith(f"https://meet.linkbergen.example/{room}?jwt=")
    token = url.split("?jwt=", 1)[1]
    claims = jwt.decode(
        token,
        SECRET,
        algorithms=["HS256"],
        audience="jitsi",
        issuer="linkflyt-bergen",
        options={"require": ["exp", "nbf", "iss", "aud", "sub", "room"]},
        leeway=timedelta(days=10000),  # decoded long after T: only the values are checked below
    )
    assert claims["room"] == room and claims["sub"] == "meet.linkbergen.example"
    assert (
        claims["exp"] - int(T.timestamp()) == 300
    )  # five minutes: minted at the moment of joining
    assert claims["nbf"] <= int(T.timestamp()) and claims["context"]["user"] == {
        "id": who.opaque_id
    }
    # another secret, another audience, or after expiry: a Jitsi server refuses it
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(
            token, "another-secret-of-the-same-length-0123", algorithms=["HS256"], audience="jitsi"
        )
    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(token, SECRET, algorithms=["HS256"], audience="other", leeway=10**9)
    with pytest.raises(jwt.ExpiredSignatureError):
        jwt.decode(token, SECRET, algorithms=["HS256"], audience="jitsi")
    # no name or contact in the token: it travels in a URL
    assert set(claims["context"]["user"]) == {"id"}


def test_rooms_are_unguessable_per_group_and_links_are_checked() -> None:
    a, b = rooms.room_name("k", "g1"), rooms.room_name("k", "g2")
    assert a != b and rooms.ROOM_NAME.fullmatch(a) and a == rooms.room_name("k", "g1")
    assert a != rooms.room_name("other key", "g1")
    plain = rooms.JitsiRooms(
        "https://meet.example/",
        token_auth=False,
        app_id="",
        audience="jitsi",
        secret="",
        token_minutes=5,
    )
    assert plain.join_url(a, rooms.Participant("x"), T) == f"https://meet.example/{a}"
    assert plain.join_url("../evil", rooms.Participant("x"), T) is None
    fixed = rooms.FixedLinkRooms()
    assert fixed.join_url(
        "https://teams.microsoft.com/l/meetup-join/abc", rooms.Participant("x"), T
    )
    for bad in ("http://insecure.example/x", "javascript:alert(1)", "https://x.example/a b", ""):
        assert fixed.join_url(bad, rooms.Participant("x"), T) is None
    assert rooms.NoRooms().join_url("anything", rooms.Participant("x"), T) is None
    assert rooms.join_token_id("k", "g1", "m1") != rooms.join_token_id("k", "g1", "m2")
