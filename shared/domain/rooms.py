"""A digital group's meeting room and the personal join links that lead into it (issue 16). Pure:
the clock, the group and the secret come in; no I/O.

A member's join link is our own (`/join?t=…`, signed like the action links); it forwards to the
room only from `opens_minutes_before` a meeting until the meeting ends, and only while the person
is still in the group. The room's own address therefore never needs to be in an email: a member
who left cannot come back with an old email, and a forwarded email opens nothing between meetings.

The rooms (the `MeetingRooms` port of shared/ports.py):
- `JitsiRooms` — the centre's own Jitsi Meet server, one unguessable room per group. With token
  authentication a JWT is minted at the moment someone joins, as Jitsi documents it
  (jitsi/lib-jitsi-meet doc/tokens.md, "Token structure"): `iss` the application id (prosody's
  `app_id`), `aud` an accepted audience, `sub` the server's domain, `room` the room name (not the
  MUC address), `exp`, signed HS256 with the app secret (prosody's `app_secret`), passed as
  `?jwt=`. `context.user` carries only an opaque id: the token rides in a URL, so no name.
- `FixedLinkRooms` — a link the coordinator or facilitator entered for the group (Teams, Whereby).
- `NoRooms` — the centre gives no room; a join link says so.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import urlsplit

import jwt

from shared.ports import MeetingRooms

ROOM_NAME = re.compile(r"^[a-z0-9]{16,64}$")
LINK_MAX = 500
# a fixed link: https only, no spaces or quotes (it is put in a Location header as it is)
FIXED_LINK = re.compile(r"^https://[A-Za-z0-9.-]+(:\d+)?(/[^\s\"'<>]*)?$")

Moment = Literal["before", "open", "over"]


def room_name(key: str, group_id: str) -> str:
    """The group's own Jitsi room: 120 bits of an HMAC of its id under the link key, in lowercase
    base32 (24 letters and digits, nothing a Jitsi server would rewrite). Unguessable without the
    key, the same at every join, and stored nowhere."""
    mac = hmac.new(key.encode(), f"room:{group_id}".encode(), hashlib.sha256).digest()
    return base64.b32encode(mac[:15]).decode().lower()


def join_token_id(key: str, group_id: str, recipient: str) -> str:
    """The opaque id of a person's join link (16 characters, 96 bits): derived, so every email
    and SMS that carries it carries the same link, and erasure can find it without a query."""
    mac = hmac.new(key.encode(), f"join:{group_id}:{recipient}".encode(), hashlib.sha256)
    return "j" + base64.urlsafe_b64encode(mac.digest()[:12]).decode()[:15]


def valid_fixed_link(value: str) -> bool:
    return len(value) <= LINK_MAX and bool(FIXED_LINK.fullmatch(value))


@dataclass(frozen=True)
class Window:
    """Where `now` stands among a person's meetings: before the window of the next one, inside a
    window (`open`), or after the last one (`over`)."""

    moment: Moment
    meeting: datetime | None  # the next (before) or current (open) meeting's start


def window(
    starts: Sequence[datetime], minutes: int, now: datetime, opens_before: timedelta
) -> Window:
    """The join window of each meeting runs from `opens_before` its start until its end."""
    upcoming = None
    for start in sorted(starts):
        end = start + timedelta(minutes=minutes)
        if start - opens_before <= now < end:
            return Window("open", start)
        if now < start - opens_before and upcoming is None:
            upcoming = start
    if upcoming is not None:
        return Window("before", upcoming)
    return Window("over", None)


@dataclass(frozen=True)
class Participant:
    """Who joins: an opaque id (never a name: the token travels in a URL) and whether they lead."""

    opaque_id: str
    facilitator: bool = False


def opaque_id(key: str, group_id: str, recipient: str) -> str:
    mac = hmac.new(key.encode(), f"room:{group_id}:{recipient}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:12]).decode()


class JitsiRooms:
    def __init__(
        self,
        base_url: str,
        *,
        token_auth: bool,
        app_id: str,
        audience: str,
        secret: str,
        token_minutes: int,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token_auth = token_auth
        self.app_id = app_id
        self.audience = audience
        self.secret = secret
        self.token_minutes = token_minutes
        # sub: the domain the token is for (doc/tokens.md: "the lowercase name of the domain")
        self.domain = (urlsplit(self.base_url).hostname or "").lower()

    def needs_room(self) -> bool:
        return True

    def token(self, room: str, who: Participant, now: datetime) -> str:
        claims = {
            "iss": self.app_id,
            "aud": self.audience,
            "sub": self.domain,
            "room": room,
            "iat": int(now.timestamp()),
            "nbf": int(now.timestamp()) - 30,  # the server's clock may be a little behind
            "exp": int((now + timedelta(minutes=self.token_minutes)).timestamp()),
            "context": {"user": {"id": who.opaque_id}},
        }
        return jwt.encode(claims, self.secret, algorithm="HS256")

    def join_url(self, room: str | None, who: Participant, now: datetime) -> str | None:
        if not room or not ROOM_NAME.fullmatch(room):
            return None
        url = f"{self.base_url}/{room}"
        return f"{url}?jwt={self.token(room, who, now)}" if self.token_auth else url


class FixedLinkRooms:
    def needs_room(self) -> bool:
        return False

    def join_url(self, room: str | None, who: Participant, now: datetime) -> str | None:
        return room if room and valid_fixed_link(room) else None


class NoRooms:
    def needs_room(self) -> bool:
        return False

    def join_url(self, room: str | None, who: Participant, now: datetime) -> str | None:
        return None


def rooms_for(
    provider: str,
    *,
    jitsi_url: str = "",
    token_auth: bool = False,
    app_id: str = "",
    audience: str = "jitsi",
    secret: str = "",
    token_minutes: int = 5,
) -> JitsiRooms | FixedLinkRooms | NoRooms:
    if provider == "jitsi":
        return JitsiRooms(
            jitsi_url,
            token_auth=token_auth,
            app_id=app_id,
            audience=audience,
            secret=secret,
            token_minutes=token_minutes,
        )
    if provider == "link":
        return FixedLinkRooms()
    return NoRooms()


def _conforms(rooms: JitsiRooms | FixedLinkRooms | NoRooms) -> MeetingRooms:
    return rooms  # mypy checks that each kind implements the port
