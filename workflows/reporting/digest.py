"""digest: one email per coordinator with everything that needs them (daily 07:00, or POST /digest).

Nothing to report, or nothing new since the last digest: no email. Coordinators may read personal
data (they hold the pre-talks); the digest is the one place it is gathered, and only in email.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shared import logs
from shared.domain import pool, widen
from shared.domain.matching import Kind
from shared.domain.pool import RoomWanted, Shortfall
from shared.domain.vocabulary import AGE_BANDS
from shared.languages import Lang
from shared.ports import OutgoingMail, Where
from shared.texts.digest import DIGEST
from shared.texts.pages import UI
from workflows.messaging import describe
from workflows.messaging.mailing import send_once
from workflows.platform import coordinators
from workflows.platform.render import render
from workflows.platform.runtime import Deps
from workflows.saga import assemble, proposal, repair

log = logs.get_logger(__name__)
STATE = "digests/state"
SILENT_AFTER_DAYS = 14  # a question unanswered this long is noted (the person keeps the place)


@dataclass
class Item:
    title: str
    lines: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Section:
    heading: str
    items: list[Item] = field(default_factory=list)
    page: str = ""  # the console page that shows (and acts on) these items, issue 9


def _days(now: datetime, then: Any) -> int:
    return max(0, (now - then).days) if isinstance(then, datetime) else 0


def _ages(window: str, distance: int) -> str:
    """'2' with distance 1 -> '45–74', '3' -> '60–75+': the ages a group's window takes."""
    a = int(window)
    low, high = AGE_BANDS[a], AGE_BANDS[min(a + distance, len(AGE_BANDS) - 1)]
    return f"{low.split('-')[0]}–{high.split('-')[-1]}"


def near_groups(
    deps: Deps, lang: Lang, most: int = 8, reasons: dict[str, Shortfall] | None = None
) -> Section:
    """Issue 21: the kinds of group one or two people short (the console's reasons after the pool
    run), each once, fewest missing first: what the coordinator could complete by a call or a
    widening. Kinds of group only: no references, so a reader learns nothing about a person."""
    t, ui = DIGEST[lang], UI[lang]
    g = deps.centre.groups
    name_of = {m.code: m.name for m in deps.centre.municipalities}
    topic_of = {x.key: x.label(lang) for x in deps.centre.topics}
    short: dict[Kind, int] = {}
    if reasons is None:
        reasons = widen.reasons(assemble.pool_now(deps))
    for s in reasons.values():
        if s.kind is not None and s.short == ("people",) and s.people >= g.min_size - 2:
            short[s.kind] = max(short.get(s.kind, 0), s.people)
    rows = sorted(short.items(), key=lambda kv: (-kv[1], str(kv[0])))[:most]
    return Section(
        t["near"],
        [
            Item(
                t["near_row"].format(
                    missing=g.min_size - people,
                    topic=topic_of.get(k.topic, k.topic),
                    place=ui["format_digital"]
                    if k.place == "digital"
                    else name_of.get(k.place, k.place),
                    time=ui[f"time_{k.category}"],
                    age=t["near_age"].format(ages=_ages(k.age, g.age_band_distance))
                    if k.age
                    else "",
                )
            )
            for k, people in rows
        ],
        page="/pool",
    )


def rooms_wanted(deps: Deps) -> list[RoomWanted]:
    """Issue 21: where and when a group lacks only a room (the console's reasons after the pool
    run). LINK's own words: free rooms are hard to find, and finding them is the centre's work;
    this says which municipality and time of week to ask for."""
    return pool.rooms_wanted(widen.reasons(assemble.pool_now(deps)))


def rooms_section(deps: Deps, lang: Lang, wanted: list[RoomWanted]) -> Section:
    t, ui = DIGEST[lang], UI[lang]
    name_of = {m.code: m.name for m in deps.centre.municipalities}
    return Section(
        t["rooms"],
        [
            Item(
                t["rooms_row"].format(
                    place=name_of.get(w.place, w.place), time=ui[f"time_{w.category}"], n=w.people
                )
            )
            for w in wanted
        ],
        page="/venues",
    )


def build(deps: Deps, lang: Lang) -> list[Section]:
    now = deps.clock.now()
    tz = ZoneInfo(deps.centre.centre.timezone)
    today = now.astimezone(tz).date()
    t, ui = DIGEST[lang], UI[lang]
    name_of = {m.code: m.name for m in deps.centre.municipalities}
    topic_of = {x.key: x.label(lang) for x in deps.centre.topics}
    sections: list[Section] = []

    pretalk = Section(t["pretalk"], page="/pretalk")
    new = sorted(
        deps.store.query("inquiries", [Where("status", "==", "awaiting_pretalk")]),
        key=lambda x: str(x[1].get("created_at")),
    )
    # References, places and wishes only: names, contacts and messages stay in the console
    # (issue 9: no life situations in mailboxes).
    for _, inq in new:
        item = Item(
            f"{inq.get('reference') or ''} · {name_of.get(inq['municipality'], ui['municipality_other'])} · "
            f"{', '.join(topic_of.get(k, k) for k in inq.get('topics', []))}",
            [f"{_days(now, inq.get('created_at'))} {t['days']}"],
        )
        confirm = describe.action_link(deps, inq.get("pretalk_token"))
        if confirm:
            item.links.append((t["pretalk_confirm"], confirm))
        pretalk.items.append(item)
    sections.append(pretalk)

    waiting = deps.store.query("inquiries", [Where("status", "==", "waiting")])
    pools: dict[tuple[str, str], list[int]] = defaultdict(list)
    for _, inq in waiting:
        for topic in inq.get("topics", []):
            pools[(topic, inq["municipality"])].append(_days(now, inq.get("queued_at")))
    sections.append(
        Section(
            t["pools"],
            [
                Item(
                    t["pool_row"].format(
                        topic=topic_of.get(k[0], k[0]),
                        place=name_of.get(k[1], ui["municipality_other"]),
                        n=len(v),
                        days=max(v),
                    )
                )
                for k, v in sorted(pools.items(), key=lambda kv: -max(kv[1]))
            ],
            page="/pool",
        )
    )

    reasons = widen.reasons(assemble.pool_now(deps))
    sections.append(near_groups(deps, lang, reasons=reasons))
    sections.append(rooms_section(deps, lang, pool.rooms_wanted(reasons)))

    active = {
        gid: g
        for status in proposal.ACTIVE
        for gid, g in deps.store.query("groups", [Where("status", "==", status)])
    }
    proposals = Section(t["proposals"], page="/groups")
    lacking = Section(t["lacking"], page="/groups")
    offers = Section(t["offers"], page="/groups")
    upcoming = Section(t["upcoming"], page="/groups")
    followups = Section(t["followups"], page="/groups")
    repairs = Section(t["repairs"], page="/groups")  # issue 16
    venue_docs = dict(deps.store.query("venues"))
    for g in active.values():
        hits = repair.conflicts(
            deps,
            g,
            venue_docs,
            deps.store.get(f"facilitators/{g['facilitator_id']}")
            if g.get("facilitator_id")
            else None,
            deps.clock.now(),
        )
        for hit in hits:
            why = t["repair_venue" if hit["why"] == "venue" else "repair_facilitator"]
            day = date.fromisoformat(hit["date"])
            repairs.items.append(
                Item(f"{describe.group_summary(deps, g, lang)} · {day:%d.%m.%Y} · {why}")
            )
        if (g.get("replacement") or {}).get("status") == "unstaffed":  # issue 16
            repairs.items.append(
                Item(f"{describe.group_summary(deps, g, lang)} · {t['repair_unstaffed']}")
            )
        if g["status"] == "confirmed" and g.get("short_since"):
            repairs.items.append(
                Item(f"{describe.group_summary(deps, g, lang)} · {t['repair_short']}")
            )
    for g in active.values():
        summary = describe.group_summary(deps, g, lang)
        if g["status"] == "awaiting_approval":
            link = describe.action_link(deps, g.get("approval_token"))
            proposals.items.append(
                Item(
                    f"{summary} · {len(g['members'])}", links=[(t["approve"], link)] if link else []
                )
            )
        if g["status"] == "needs_facilitator":
            actions = [
                (t[key], link)
                for key, token in (("retry", "retry_token"), ("dissolve", "dissolve_token"))
                if (link := describe.action_link(deps, g.get(token)))
            ]
            lacking.items.append(Item(summary, links=actions))
        elif (g.get("followup") or {}).get("status") == "unstaffed":
            lacking.items.append(Item(summary))
        if int(g.get("offer_round", 0)) > 0 and g["status"] in (
            "approved",
            "offered",
            "needs_facilitator",
        ):
            offers.items.append(Item(t["offers_row"].format(summary=summary, n=g["offer_round"])))
        dates = [date.fromisoformat(d) for d in g.get("meeting_dates") or []]
        if g["status"] == "confirmed" and dates and today <= dates[0] <= today + timedelta(days=7):
            upcoming.items.append(Item(f"{summary} · {dates[0]:%d.%m.%Y}"))
        if (g.get("followup") or {}).get("status") in ("requested", "offered"):
            followups.items.append(Item(summary))
    sections += [repairs, proposals, lacking, offers, upcoming, followups]

    limit = deps.centre.centre.waiting_limit_days
    stale = Section(t["stale"].format(days=limit), page="/pool")
    for _, inq in waiting:
        waited = _days(now, inq.get("queued_at"))
        if waited <= limit:
            continue
        if "digital" not in inq.get("formats", []):
            hint = t["suggest_digital"]
        else:
            near = [
                c for c in name_of if c != inq["municipality"] and c not in inq.get("travel", [])
            ]
            busiest = max(
                near,
                key=lambda c: sum(len(pools.get((tp, c), [])) for tp in inq.get("topics", [])),
                default=None,
            )
            hint = (
                t["suggest_travel"].format(place=name_of[busiest]) if busiest else t["suggest_wait"]
            )
        stale.items.append(
            Item(
                f"{inq.get('reference') or ''} · {name_of.get(inq['municipality'], '–')} · {waited} {t['days']}",
                [hint],
            )
        )
    sections.append(stale)

    # issue 17: asked "do you still want a place?" and silent (silence keeps the place)
    silent = Section(t["silent"], page="/pool")
    for _, inq in waiting:
        asked, answered = inq.get("still_asked_at"), inq.get("still_answer_at")
        if not isinstance(asked, datetime) or _days(now, asked) < SILENT_AFTER_DAYS:
            continue
        if isinstance(answered, datetime) and answered >= asked:
            continue
        silent.items.append(
            Item(
                f"{inq.get('reference') or ''} · {name_of.get(inq['municipality'], '–')} · "
                f"{_days(now, inq.get('queued_at'))} {t['days']}",
                [t["silent_row"].format(days=_days(now, asked))],
            )
        )
    sections.append(silent)

    failures = Section(t["failures"])
    for _, dl in deps.store.query("deadletters"):
        when = dl.get("at")
        failures.items.append(
            Item(
                t["failure_row"].format(
                    step=dl.get("step"),
                    reason=dl.get("reason"),
                    when=when.astimezone(tz).strftime("%d.%m %H:%M")
                    if isinstance(when, datetime)
                    else "",
                )
            )
        )
    sections.append(failures)
    return [s for s in sections if s.items]


def fingerprint(sections: list[Section]) -> str:
    data = [(s.heading, [(i.title, i.lines) for i in s.items]) for s in sections]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def run(deps: Deps) -> int:
    lang = deps.centre.centre.default_language
    sections = build(deps, lang)
    if not sections:
        log.info("digest: nothing to report")
        return 0
    mark = fingerprint(sections)
    state = deps.store.get(STATE) or {}
    if state.get("fingerprint") == mark:
        log.info("digest: nothing new since the last one")
        return 0
    t = DIGEST[lang]
    now = deps.clock.now()
    n = sum(len(s.items) for s in sections)
    subject = t["subject"].format(
        n=n, date=now.astimezone(ZoneInfo(deps.centre.centre.timezone)).strftime("%d.%m.%Y")
    )
    ctx = {
        "lang": lang,
        "console": describe.console_link(deps, ""),
        "open_label": t["open_console"],
        "subject": subject,
        "intro": t["intro"],
        "sections": sections,
        "centre_name": deps.centre.centre.name,
    }
    sent = 0
    # keyed by the coordinator's stable id (issue 17), not their position: after a removal the
    # next one in the list is not taken for the one who left
    for coordinator in coordinators.listed(deps):
        outcome = send_once(
            deps,
            OutgoingMail(
                to=coordinator.email,
                subject=subject,
                text=render("emails/digest.txt", **ctx),
                html=render("emails/digest.html", **ctx),
                sender=deps.centre.centre.mail_from,
                message_key=f"digest-{mark[:24]}-{coordinator.id}",
            ),
        )
        sent += outcome == "sent"
    deps.store.set(STATE, {"fingerprint": mark, "sent_at": now})
    log.info("digest sent", extra={"sent": sent, "items": n})
    return sent
