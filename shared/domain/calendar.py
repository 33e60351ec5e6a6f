"""What each recipient's calendar holds of a group, and what must be sent when it changes (issue 16).

The group keeps one ledger entry per recipient (a member's id, or `facilitator:<id>`):

    {"n": 3,                                     # versions sent so far
     "events": {"2": {"date": "2027-03-10", "slot": "wed_evening", "place": "4601",
                      "venue_id": "v1", "seq": 1, "cancelled": False}, ...},
     "versions": {"3": {"method": "REQUEST", "reason": "moved", "events": {"2": {...}}}}}

Meetings are keyed by their number in the group (1, 2, 3 …), so a meeting keeps its UID when its
date or room changes. `advance` compares the ledger with what the calendar should now hold and
returns the new ledger and the versions to send: changed or added meetings as one REQUEST, removed
ones as one CANCEL, each with SEQUENCE one higher than the last one sent for that UID. The caller
writes the new ledger in the same transaction as the change, so what was sent always follows what
happened, and every version is sent once by its own notify task (issue 16, RFC 5546 § 2.1.4).
"""

from __future__ import annotations

from typing import Any

Meeting = dict[str, Any]  # {"date", "slot", "place", "venue_id"}
FIELDS = ("date", "slot", "place", "venue_id")


def uid(group_id: str, key: str) -> str:
    return f"{group_id}-{key}@linkflyt"


def advance(
    entry: dict[str, Any] | None,
    wanted: dict[str, Meeting],
    *,
    frozen: set[str],
    reason: str,
) -> tuple[dict[str, Any], list[int]]:
    """(the new ledger entry, the numbers of the versions to send). Meetings in `frozen` (past
    ones) are left as they stand in the calendar, neither updated nor cancelled."""
    old = entry or {}
    events: dict[str, dict[str, Any]] = {k: dict(v) for k, v in (old.get("events") or {}).items()}
    versions: dict[str, Any] = dict(old.get("versions") or {})
    n = int(old.get("n", 0))
    requests: dict[str, dict[str, Any]] = {}
    cancels: dict[str, dict[str, Any]] = {}
    for key, meeting in sorted(wanted.items()):
        if key in frozen:
            continue
        now = {f: meeting.get(f) for f in FIELDS}
        was = events.get(key)
        if was is not None and not was["cancelled"] and all(was.get(f) == now[f] for f in FIELDS):
            continue
        seq = 0 if was is None else int(was["seq"]) + 1
        events[key] = {**now, "seq": seq, "cancelled": False}
        requests[key] = events[key]
    for key, was in sorted(events.items()):
        if key in wanted or key in frozen or was["cancelled"]:
            continue
        events[key] = {**was, "seq": int(was["seq"]) + 1, "cancelled": True}
        cancels[key] = events[key]
    sent: list[int] = []
    for method, changed in (("REQUEST", requests), ("CANCEL", cancels)):
        if changed:
            n += 1
            versions[str(n)] = {"method": method, "reason": reason, "events": changed}
            sent.append(n)
    return {"n": n, "events": events, "versions": versions}, sent


def standing(entry: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """The meetings this recipient's calendar holds: the last file sent for them was a REQUEST."""
    return {k: v for k, v in ((entry or {}).get("events") or {}).items() if not v["cancelled"]}
