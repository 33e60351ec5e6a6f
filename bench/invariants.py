"""The checker of the simulated year (README § The simulated year): what must hold of the database at
any moment, as plain functions over a Store and a time, so that a test, the simulated year and a
restore drill judge a database the same way (STYLE.md: "a simulator is a workload, a nemesis and a
checker").

Everything the database itself can tell is read from it. What only an observer can know comes in as
an argument: the tasks still in a queue (`pending_work`), the last meeting of a group since deleted
or the arrival of a person whose inquiry is gone (`retention_violations`), the moment a document was
deleted (`lost_by_ttl`), the mails sent (`duplicate_mails`), who joined when and who asked to be
erased (`surveys_due`).

    found = check(store, now, centre.retention)   # stuck, double_bookings, retention
    assert found.ok, found.examples()
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from shared.config import Retention
from shared.domain import lifecycle
from shared.ports import Doc, OutgoingMail, Store, TaskSpec, Where
from workflows.platform.outbox import pending_specs

Pending = set[tuple[str, str]]  # (kind of task, the group or inquiry it is about)

# ---------------------------------------------------------------- what can still move a document


def pending_work(store: Store, queued: Iterable[TaskSpec] = ()) -> Pending:
    """(kind, subject) of every task still to come: waiting in the outbox (the database tells), or
    handed to the queue and not yet delivered (`queued`: only the queue knows)."""
    specs = list(queued)
    for _, doc in store.query("outbox", [Where("status", "==", "pending")]):
        specs += pending_specs(doc)
    out: Pending = set()
    for s in specs:
        b = s.body
        kind = str(b.get("kind") or b.get("reason") or b.get("mail"))
        for key in ("group_id", "inquiry_id", "subject_id"):
            if b.get(key):
                out.add((kind, str(b[key])))
    return out


def live_token(store: Store, token_id: Any, now: datetime) -> bool:
    """A link someone can still follow: its token exists, is unused and unexpired."""
    if not token_id:
        return False
    t = store.get(f"tokens/{token_id}")
    return bool(t and t.get("used_at") is None and t["expires"] > now)


# ---------------------------------------------------------------- stuck


def group_stuck(store: Store, gid: str, g: Doc, pending: Pending, now: datetime) -> str | None:
    """Why a group in a non-terminal state cannot move (lifecycle.GROUP's movers), or None."""
    s = g["status"]
    if s not in lifecycle.GROUP:
        return f"group {s}: not a state of the lifecycle"

    def has(kind: str) -> bool:
        return (kind, gid) in pending

    if s == "awaiting_approval":
        ok = has("approval_deadline") and live_token(store, g.get("approval_token"), now)
    elif s == "approved":
        ok = has("offer")
    elif s == "offered":
        ok = has("offer_timeout") or live_token(
            store, (g.get("offer") or {}).get("accept_token"), now
        )
    elif s == "needs_facilitator":
        ok = has("restaff") or live_token(store, g.get("retry_token"), now)
    elif s == "facilitator_confirmed":
        ok = has("invitation_deadline")
    elif s == "confirmed":
        ok = has("first_meeting") or has("facilitation_over")
    elif s == "started":
        ok = has("facilitation_over")
    elif s == "self_run":
        ok = has("auto_close")
    else:
        ok = True
    return None if ok else f"group {s} with no way forward"


def inquiry_stuck(
    store: Store,
    iid: str,
    inq: Doc,
    groups: Mapping[str, Doc],
    pending: Pending,
    now: datetime,
) -> str | None:
    """Why an inquiry in a non-terminal state cannot move (lifecycle.INQUIRY's movers), or None."""
    s = inq["status"]
    if s not in lifecycle.INQUIRY:
        return f"inquiry {s}: not a state of the lifecycle"
    if s == "received":
        ok = ("intake", iid) in pending or any(k == iid for _, k in pending)
    elif s == "awaiting_pretalk":
        ok = live_token(store, inq.get("pretalk_token"), now) and ("inquiry_expiry", iid) in pending
    elif s == "waiting":
        ok = ("inquiry_expiry", iid) in pending
    elif s == "withdrawn":  # the undo window ends with its task (the person's page may undo it)
        ok = ("withdrawal_end", iid) in pending
    elif s == "proposed":
        g = groups.get(str(inq.get("group_id")))
        ok = g is not None and g["status"] in lifecycle.ACTIVE_GROUP and iid in g["members"]
    else:
        ok = True
    return None if ok else f"inquiry {s} with no way forward"


def stuck(
    store: Store,
    now: datetime,
    pending: Pending,
    groups: Mapping[str, Doc] | None = None,
    inquiries: Iterable[tuple[str, Doc]] | None = None,
) -> dict[str, str]:
    """Every group, then every inquiry, that nothing can move: id -> why. `groups` and `inquiries`
    are read from the store unless given (the caller may have read them already)."""
    groups = dict(store.query("groups")) if groups is None else groups
    inquiries = store.query("inquiries") if inquiries is None else inquiries
    out: dict[str, str] = {}
    for gid, g in groups.items():
        why = group_stuck(store, gid, g, pending, now)
        if why:
            out[gid] = why
    for iid, inq in inquiries:
        why = inquiry_stuck(store, iid, inq, groups, pending, now)
        if why:
            out[iid] = why
    return out


# ---------------------------------------------------------------- double bookings


def double_bookings(groups: Mapping[str, Doc]) -> set[str]:
    """Two live groups holding one room in one weekly slot, or one facilitator on one date and part
    of day (their meetings, offered dates, follow-up visits). Pass `dict(store.query("groups"))`."""
    found: set[str] = set()
    venue: dict[tuple[str, str], str] = {}
    fac: dict[tuple[str, str, str], str] = {}
    for gid, g in groups.items():
        if g["status"] in ("closed", "dissolved", "cancelled"):
            continue
        if g.get("venue_id"):
            key = (str(g["venue_id"]), str(g["slot"]))
            if key in venue and venue[key] != gid:
                found.add(f"venue {key} {venue[key]} {gid}")
            venue[key] = gid
        part = str(g["slot"]).split("_")[1]
        rep = g.get("replacement") or {}
        # after a facilitator dropped out (issue 16) the first offer no longer names who holds
        # the dates: nobody while a takeover is sought, the one it is offered to meanwhile
        fid = g.get("facilitator_id") or (
            rep.get("facilitator_id") if rep else (g.get("offer") or {}).get("facilitator_id")
        )
        dates = g.get("meeting_dates") or (g.get("offer") or {}).get("dates") or []
        off = {str(k) for k in g.get("cancelled_meetings") or []}  # their booking is freed
        dates = [d for i, d in enumerate(dates, 1) if str(i) not in off]
        if g.get("replaced"):  # the meetings before the last drop-out were someone else's
            since = max(x["at"] for x in g["replaced"]).date().isoformat()
            dates = [d for d in dates if d >= since]
        if fid and g["status"] in lifecycle.FACILITATED:
            for d in dates:
                key3 = (str(fid), d, part)
                if key3 in fac and fac[key3] != gid:
                    found.add(f"facilitator {key3} {fac[key3]} {gid}")
                fac[key3] = gid
        fu = g.get("followup") or {}
        if fu.get("status") in ("offered", "arranged") and fu.get("date"):
            key3 = (str(fu["facilitator_id"]), str(fu["date"]), part)
            if key3 in fac and fac[key3] != gid:
                found.add(f"facilitator {key3} {fac[key3]} {gid}")
            fac[key3] = gid
    return found


# ---------------------------------------------------------------- calendars (issue 16)


def calendars_untrue(
    groups: Mapping[str, Doc],
    now: datetime,
    starts: Callable[[str, str], datetime] | None = None,
) -> dict[str, str]:
    """Every meeting still standing in someone's calendar (their ledger's last version for it is
    not a CANCEL) and still ahead must be a meeting of a running group they are in (an accepted
    member or its facilitator), at the date, time and room the group now has for it.

    `starts(date, slot)`: when a meeting begins; "ahead" is then what the workflow calls ahead
    (a member who leaves at 20:00 keeps that evening's meeting, which has begun). Without it,
    by date (a seed-21 year flagged such a meeting on the day it was held)."""
    from shared.domain import calendar as ledger
    from workflows.saga import calendars

    today = now.date().isoformat()
    out: dict[str, str] = {}
    for gid, g in groups.items():
        want = calendars.meetings(g)
        holders = set(calendars.holders(g))
        for rid, entry in (g.get("calendar") or {}).items():
            for key, ev in ledger.standing(entry).items():
                if ev["date"] < today or (
                    starts is not None and starts(ev["date"], str(ev["slot"])) <= now
                ):
                    continue  # past meetings stay as they were
                where = f"{gid}/{key}/{rid[:12]}"
                if rid not in holders:
                    out[where] = f"standing for someone not in the {g['status']} group"
                elif {f: want.get(key, {}).get(f) for f in ledger.FIELDS} != {
                    f: ev.get(f) for f in ledger.FIELDS
                }:
                    out[where] = "the calendar says another date, time or room"
    return out


def calendars_unsent(
    groups: Mapping[str, Doc],
    sent: Mapping[tuple[str, str], tuple[int, str, str]],
    address: Mapping[str, str],
    pending: Pending,
    now: datetime,
) -> dict[str, str]:
    """What was actually sent agrees with the ledger: for every recipient and meeting still ahead,
    the last file sent (`sent`: (address, UID) -> (SEQUENCE, METHOD, date)) has the ledger's
    SEQUENCE, METHOD and date, unless its mail is still on its way (`pending`). `address`: member
    or facilitator id -> address (someone erased has none and is skipped)."""
    from shared.domain import calendar as ledger

    today = now.date().isoformat()
    out: dict[str, str] = {}
    for gid, g in groups.items():
        if ("calendar", gid) in pending or ("confirmation", gid) in pending:
            continue
        for rid, entry in (g.get("calendar") or {}).items():
            to = address.get(rid)
            if to is None:
                continue
            for key, ev in (entry.get("events") or {}).items():
                if ev["date"] < today:
                    continue
                got = sent.get((to, ledger.uid(gid, key)))
                method = "CANCEL" if ev["cancelled"] else "REQUEST"
                if got is None:
                    continue  # a first version whose confirmation had nothing to attach yet
                if got != (int(ev["seq"]), method, ev["date"]):
                    out[f"{gid}/{key}/{rid[:12]}"] = f"sent {got}, ledger {ev['seq']} {method}"
    return out


def placed_in_cancelled(
    groups: Mapping[str, Doc], inquiries: Iterable[tuple[str, Doc]]
) -> set[str]:
    """Nobody is left placed (or proposed) in a group that was cancelled."""
    return {
        iid
        for iid, inq in inquiries
        if inq["status"] in ("placed", "proposed")
        and (groups.get(str(inq.get("group_id"))) or {}).get("status") == "cancelled"
    }


# ---------------------------------------------------------------- retention


def last_meetings(groups: Mapping[str, Doc]) -> dict[str, date]:
    """Group id -> the date of its last meeting, for the groups that have dates."""
    return {
        gid: date.fromisoformat(max(g["meeting_dates"]))
        for gid, g in groups.items()
        if g.get("meeting_dates")
    }


def retention_violations(
    store: Store,
    now: datetime,
    rules: Retention,
    last_meeting: Mapping[str, date] | None = None,
    arrived: Mapping[str, datetime] | None = None,
) -> dict[str, str]:
    """Personal data (people/) kept more than a day past its rule (README § The simulated year):
    person id -> how. `last_meeting` (group id -> date) is read from the store's groups unless
    given; an observer that remembers groups since deleted knows more. `arrived` (person id -> when)
    dates a person whose inquiry is gone; without it such a person is never counted."""
    if last_meeting is None:
        last_meeting = last_meetings(dict(store.query("groups")))
    grace = timedelta(days=1)
    ids = [pid for pid, _ in store.query("people")]
    inqs = store.get_many([f"inquiries/{i}" for i in ids])
    out: dict[str, str] = {}
    for pid in ids:
        inq = inqs.get(f"inquiries/{pid}")
        created = (inq or {}).get("created_at") or (arrived or {}).get(pid) or now
        status = inq["status"] if inq else "missing"
        if status == "proposed":
            continue  # being placed right now: kept until the group is decided
        if status in ("placed", "left"):  # a member who left keeps a placed member's rule
            gid = str(inq.get("group_id")) if inq else ""
            last = last_meeting.get(gid)
            if last is None:
                continue
            rule = datetime.combine(last, datetime.min.time(), tzinfo=now.tzinfo) + timedelta(
                days=rules.placed_days_after_facilitation
            )
        elif status == "erased":  # a tombstone: its expire_at is a day after the erasure
            rule = inq["expire_at"] - timedelta(days=1)  # type: ignore[index]
        elif status == "expired":
            rule = inq.get("expired_at") or created  # type: ignore[union-attr]
        else:  # waiting: from arrival, or from the return to the pool (issue 16)
            back = (inq or {}).get("returned_at")
            start = max(created, back) if isinstance(back, datetime) else created
            rule = start + timedelta(days=rules.unplaced_days)
        if now > rule + grace:
            out[pid] = f"{status}: kept {(now - rule).days} days past its rule"
    out.update(group_members_kept(store, now, rules))
    return out


def group_members_kept(store: Store, now: datetime, rules: Retention) -> dict[str, str]:
    """Issue 18: a group that ran itself still naming its members (ids, homes, queue times) more
    than two days after their retention ended (the `forget_members` task is due a day after)."""
    out: dict[str, str] = {}
    keep = timedelta(days=rules.placed_days_after_facilitation + 1)
    for gid, g in store.query("groups"):
        since = g.get("self_run_at")
        if (
            isinstance(since, datetime)
            and g.get("members")
            and now > since + keep + timedelta(days=2)
        ):
            out[f"groups/{gid}"] = (
                f"names its members {(now - since - keep).days} days past their retention"
            )
    return out


# ---------------------------------------------------------------- what only an observer sees


def lost_by_ttl(collection: str, doc_id: str, doc: Doc) -> str | None:
    """Why deleting this document (TTL is about to) loses an inquiry or group still under way."""
    if collection not in ("inquiries", "groups"):
        return None  # counters, leases, links: their TTL loses nothing under way
    status = doc["status"]
    if (
        collection == "inquiries"
        and not lifecycle.INQUIRY[status].terminal
        and status not in lifecycle.MAY_EXPIRE
    ):
        return f"inquiry deleted by TTL while {doc['status']}"
    if collection == "groups" and not lifecycle.GROUP[doc["status"]].terminal:
        return f"group deleted by TTL while {doc['status']}"
    return None


def duplicate_mails(mails: Iterable[OutgoingMail]) -> dict[tuple[str, str, str], int]:
    """(to, subject, text) -> how many times, for every message sent more than once, first sent
    first. The figure is `sum(n - 1 for n in ...values())`."""
    seen = Counter((m.to, m.subject, m.text) for m in mails)
    return {key: n for key, n in seen.items() if n > 1}


def surveys_due(
    joined: Mapping[str, datetime],
    end: datetime,
    after_days: int,
    email: Mapping[str, str | None],
    erased_at: Mapping[str, datetime],
) -> set[str]:
    """The members owed a survey by `end`: joined (member id -> when their place began) at least
    `after_days` and two hours (the task's slack) before it, with an email address (`email`: member
    id -> address or None), and not erased (`erased_at`: member id -> when) before it fell due."""
    after = timedelta(days=after_days)
    return {
        mid
        for mid, at in joined.items()
        if at + after + timedelta(hours=2) < end
        and email.get(mid) is not None
        and not (mid in erased_at and erased_at[mid] < at + after)
    }


# ---------------------------------------------------------------- join links (issue 16)


def join_let_in_wrongly(
    deps: Any, store: Store, now: datetime, token_id: str, status: int
) -> str | None:
    """Why a join link that forwarded (303) at `now` should not have, judged from the database at
    that moment: the person must still be in a running group (a member who accepted, not erased;
    or its facilitator), and `now` inside a meeting's window — from `opens_minutes_before` its
    start until its end; a self-running group's members meet weekly in its slot after the booked
    meetings. None when it did not forward, or rightly did."""
    if status != 303:
        return None
    from workflows.saga.resources import meeting_start

    doc = store.get(f"join_links/{token_id}")
    if doc is None:
        return "forwarded without a join-link document (erased?)"
    gid, who = str(doc["group_id"]), str(doc["recipient"])
    g = store.get(f"groups/{gid}")
    if g is None or g.get("status") not in lifecycle.RUNNING:
        return f"forwarded into group {gid} in state {g and g.get('status')}"
    if who.startswith("facilitator:"):
        if g.get("facilitator_id") != who.split(":", 1)[1]:
            return f"forwarded a facilitator no longer the group's ({gid})"
    else:
        member = g.get("members", {}).get(who)
        inquiry = store.get(f"inquiries/{who}") or {}
        if (
            member is None
            or member.get("response") != "accepted"
            or inquiry.get("status") != "placed"
            or store.get(f"people/{who}") is None
        ):
            return f"forwarded {who} who is not (or no longer) in group {gid}"
    lead = timedelta(minutes=deps.centre.meeting_rooms.opens_minutes_before)
    length = timedelta(minutes=deps.centre.groups.meeting_minutes)
    booked = [date.fromisoformat(d) for d in g.get("meeting_dates") or []]
    days = list(booked)
    if g["status"] == "self_run" and not who.startswith("facilitator:") and booked:
        # the weekly meetings after the facilitated ones: same weekday as the slot, past the last
        d = max(booked) + timedelta(days=7)
        while d <= now.date() + timedelta(days=1):
            days.append(d)
            d += timedelta(days=7)
    for d in days:
        start = meeting_start(deps, d, str(g["slot"]))
        if start - lead <= now < start + length:
            return None
    return (
        f"forwarded {who} into group {gid} at {now:%Y-%m-%d %H:%M}, outside every meeting's window"
    )


# ---------------------------------------------------------------- what was sent


def frozen_drift(deps: Any, years: Iterable[int]) -> list[str]:
    """ "report|figure" of every frozen (sent) report whose counters no longer give what it printed
    (issue 18: a count landed in a month after its report was built)."""
    from workflows.reporting.audit import frozen_drift as of_year

    return [figure for year in years for figure in of_year(deps, year)]


# ---------------------------------------------------------------- all of the database's at once


@dataclasses.dataclass
class Findings:
    stuck: dict[str, str]
    double_bookings: set[str]
    retention: dict[str, str]

    @property
    def ok(self) -> bool:
        return not (self.stuck or self.double_bookings or self.retention)

    def examples(self, n: int = 5) -> dict[str, Any]:
        return {
            "stuck": dict(list(self.stuck.items())[:n]),
            "double_bookings": sorted(self.double_bookings)[:n],
            "retention": dict(list(self.retention.items())[:n]),
        }


def check(
    store: Store,
    now: datetime,
    rules: Retention,
    queued: Iterable[TaskSpec] = (),
    last_meeting: Mapping[str, date] | None = None,
    arrived: Mapping[str, datetime] | None = None,
) -> Findings:
    """The invariants a database alone can be judged by, at `now`: nothing stuck (given the tasks
    still `queued` besides the outbox), nothing double-booked, no personal data kept too long."""
    pending = pending_work(store, queued)
    groups = dict(store.query("groups"))
    return Findings(
        stuck=stuck(store, now, pending, groups),
        double_bookings=double_bookings(groups),
        retention=retention_violations(
            store,
            now,
            rules,
            last_meetings(groups) if last_meeting is None else last_meeting,
            arrived,
        ),
    )
