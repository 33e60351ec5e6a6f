"""Calendar files as invitations (issue 16): one iTIP file per recipient and version of their
ledger (shared/domain/calendar.py), sent as a `text/calendar; method=…` part whose method equals
the file's METHOD (CONTRACT.md § After the confirmation). The file names the centre as ORGANIZER
and the recipient as the only ATTENDEE; its LOCATION comes from describe.place, like every other
mention of where a group meets.

The confirmation carries version 1; every later version goes in a "calendar" email of its own,
saying what changed. An SMS cannot carry a calendar file: a phone-only member gets a short text.
"""

from __future__ import annotations

from datetime import date
from email.utils import parseaddr
from typing import Any

from shared.domain import calendar as ledger
from shared.domain.ics import Entry, invitation
from shared.languages import Lang
from shared.ports import Attachment, OutgoingMail
from shared.texts.mail import MAIL_TEXT
from workflows.messaging import describe, mail
from workflows.platform.messages import NotifyTask
from workflows.platform.runtime import Deps
from workflows.saga import resources


def addressee(deps: Deps, rid: str) -> tuple[str, str, Lang] | None:
    """(address, name, language) of a member or facilitator, whether or not they are still in the
    group: someone who left or was replaced still needs the cancellation."""
    if rid.startswith("facilitator:"):
        fac = deps.store.get(f"facilitators/{rid.split(':', 1)[1]}")
        return (fac["email"], fac["name"], mail.staff_lang(deps)) if fac else None
    person = deps.store.get(f"people/{rid}")
    inquiry = deps.store.get(f"inquiries/{rid}") or {}
    if not person or not person.get("email"):
        return None
    return person["email"], person["name"], inquiry.get("lang", "nb")


def version(group: dict[str, Any], rid: str, n: int) -> dict[str, Any] | None:
    entry = (group.get("calendar") or {}).get(rid) or {}
    found: dict[str, Any] | None = (entry.get("versions") or {}).get(str(n))
    return found


def entries(
    deps: Deps,
    gid: str,
    group: dict[str, Any],
    events: dict[str, Any],
    lang: Lang,
    join_url: str | None = None,
) -> list[Entry]:
    topic = describe.topic(deps, group["topic"], lang)
    total = len(group.get("meeting_dates") or [])
    out = []
    for key, ev in sorted(events.items(), key=lambda kv: int(kv[0])):
        day = date.fromisoformat(ev["date"])
        where = {"place": ev["place"], "venue_id": ev.get("venue_id")}
        out.append(
            Entry(
                uid=ledger.uid(gid, key),
                sequence=int(ev["seq"]),
                start=resources.meeting_start(deps, day, ev["slot"]),
                end=resources.meeting_end(deps, day, ev["slot"]),
                summary=f"{deps.centre.centre.name}: {topic} ({key}/{total})",
                location=describe.location(deps, where, lang, join_url),
                description=MAIL_TEXT[lang]["ics_description"],
                geo=describe.geo(describe.venue_of(deps, where)),
            )
        )
    return out


def attachment(
    deps: Deps, gid: str, group: dict[str, Any], rid: str, n: int, to: str, lang: Lang
) -> Attachment | None:
    v = version(group, rid, n)
    if v is None:
        return None
    method = str(v["method"])
    # a digital group's entries carry the recipient's own join link (issue 16, part B)
    join = describe.join_link(deps, gid, group, rid) if method != "CANCEL" else None
    data = invitation(
        method="CANCEL" if method == "CANCEL" else "REQUEST",
        organizer=parseaddr(deps.centre.centre.mail_from)[1],  # a bare mailto:, no display name
        organizer_name=deps.centre.centre.name,
        attendee=to,
        entries=entries(deps, gid, group, v["events"], lang, join),
        stamp=deps.clock.now(),
    )
    name = "avlyst.ics" if method == "CANCEL" else "samtalegruppe.ics"
    return Attachment(name, "text/calendar", data, method=method)


def calendar(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    """A change to what someone's calendar holds: the update or cancellation, and why."""
    group = mail.group_of(deps, task)
    rid = task.recipient_id or ""
    if group is None or not task.version:
        return None
    v = version(group, rid, task.version)
    who = addressee(deps, rid)
    if v is None or who is None:
        return None
    to, name, lang = who
    t = MAIL_TEXT[lang]
    cancel = v["method"] == "CANCEL"
    reason = str(v.get("reason") or "")
    paragraphs = [t["cal_cancel_body" if cancel else "cal_update_body"]]
    if f"cal_reason_{reason}" in t:
        paragraphs.append(t[f"cal_reason_{reason}"])
    # a group moved to another weekly time (issue 16): the new weekday and time beside the place
    when = [(t["when"], describe.when(deps, group, lang))] if reason == "group_moved" else []
    att = attachment(deps, task.subject_id, group, rid, task.version, to, lang)
    days = sorted(ev["date"] for ev in v["events"].values())
    topic = describe.topic(deps, group["topic"], lang)
    return mail.compose(
        deps,
        to=to,
        lang=lang,
        subject=t["cal_cancel_subject" if cancel else "cal_update_subject"].format(topic=topic),
        greeting=f"{t['hello']} {name},",
        paragraphs=paragraphs,
        details=[
            (t["topic"], topic),
            (t["dates"], ", ".join(date.fromisoformat(d).strftime("%d.%m.%Y") for d in days)),
            *([] if cancel else [(t["where"], describe.place(deps, group, lang)), *when]),
        ],
        buttons=[],
        key=f"calendar-{task.task_id}",
        attachments=(att,) if att else (),
    )


def group_message(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    """The coordinator's message to a group: one email per member and the facilitator, each to
    one address (nobody sees another's)."""
    msg = deps.store.get(f"group_messages/{task.subject_id}")
    rid = task.recipient_id or ""
    if msg is None:
        return None
    group = deps.store.get(f"groups/{msg['group_id']}")
    if group is None:
        return None
    who = mail.member_or_facilitator(deps, group, rid)
    if who is None:
        return None
    to, name, lang = who
    t = MAIL_TEXT[lang]
    topic = describe.topic(deps, group["topic"], lang)
    return mail.compose(
        deps,
        to=to,
        lang=lang,
        subject=t["message_subject"].format(topic=topic),
        greeting=f"{t['hello']} {name},",
        paragraphs=[t["message_intro"], str(msg["text"])],
        details=describe.group_details(deps, group, lang, with_dates=False),
        buttons=[],
        key=f"message-{task.task_id}",
    )


def facilitator_name(deps: Deps, group: dict[str, Any]) -> str | None:
    fid = group.get("facilitator_id")
    fac = deps.store.get(f"facilitators/{fid}") if fid else None
    return str(fac["name"]) if fac and fac.get("name") else None


def new_facilitator(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    """Who leads the group's next meetings now that its facilitator was replaced (issue 16). The
    members' calendars do not change: the dates and the place stay as they were."""
    group = mail.group_of(deps, task)
    rid = task.recipient_id or ""
    if group is None or rid.startswith("facilitator:"):
        return None
    who = mail.member_or_facilitator(deps, group, rid)
    name = facilitator_name(deps, group)
    if who is None or name is None:
        return None
    to, person, lang = who
    t = MAIL_TEXT[lang]
    topic = describe.topic(deps, group["topic"], lang)
    return mail.compose(
        deps,
        to=to,
        lang=lang,
        subject=t["new_facilitator_subject"].format(topic=topic),
        greeting=f"{t['hello']} {person},",
        paragraphs=[t["new_facilitator_body"].format(name=name)],
        details=describe.group_details(deps, group, lang),
        buttons=[],
        key=f"new-facilitator-{task.task_id}",
    )
