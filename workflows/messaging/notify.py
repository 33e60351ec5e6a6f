"""notify: render and send one email the chain asks for, at most once (lease-guarded).

Every member gets their own email: no member ever sees another's contact details. Staff emails
(coordinators, facilitators) are in the centre's language; members' in their own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from shared import logs
from shared.config import Lang
from shared.domain import links
from shared.domain.ics import meetings_ics
from shared.domain.lifecycle import RUNNING
from shared.i18n import MAIL_TEXT, RECEIPT, UI
from shared.ports import Attachment, OutgoingMail, OutgoingSms
from workflows.messaging.mailing import SendOutcome, send_once
from workflows.platform.messages import NotifyTask
from workflows.platform.render import render
from workflows.platform.runtime import Deps

log = logs.get_logger(__name__)
Details = list[tuple[str, str]]


def handle(deps: Deps, task: NotifyTask) -> SendOutcome | None:
    from workflows.messaging import texting

    mail: OutgoingMail | OutgoingSms | None
    if texting.phone_only(deps, task):  # issue 11: a person without email gets an SMS
        mail = texting.BUILDERS[task.mail](deps, task)
    else:
        mail = BUILDERS[task.mail](deps, task)
    if mail is None:
        log.info(
            "nothing to send (erased, answered or no address)",
            extra={"task": task.task_id, "kind": task.mail},
        )
        return None
    outcome = send_once(deps, mail)
    channel = "sms" if isinstance(mail, OutgoingSms) else "email"
    log.info(
        "mail",
        extra={"kind": task.mail, "task": task.task_id, "outcome": outcome, "channel": channel},
    )
    return outcome


# ---------------------------------------------------------------- helpers


def action_link(deps: Deps, token_id: str | None) -> str | None:
    if not token_id:
        return None
    token = deps.store.get(f"tokens/{token_id}")
    if token is None or token.get("used_at") is not None or token["expires"] <= deps.clock.now():
        return None  # never print a link that can no longer act
    return links.action_url(
        deps.settings.public_base_url, deps.settings.link_signing_key, token_id, token["expires"]
    )


def _place(deps: Deps, group: dict[str, Any], lang: Lang) -> str:
    if group["place"] == "digital":
        return MAIL_TEXT[lang]["digital"]
    m = deps.centre.municipality(group["place"])
    venue = deps.store.get(f"venues/{group['venue_id']}") if group.get("venue_id") else None
    name = m.name if m else group["place"]
    return f"{venue['name']}, {name}" if venue else name


def _topic(deps: Deps, key: str, lang: Lang) -> str:
    topic = next((t for t in deps.centre.topics if t.key == key), None)
    return topic.label(lang) if topic else key


def slot_label(deps: Deps, slot: str, lang: Lang) -> str:
    """ "mondays 18:00": a weekly slot as people read it (the console's checkboxes, issue 9)."""
    return _when(deps, {"slot": slot}, lang)


def _when(deps: Deps, group: dict[str, Any], lang: Lang) -> str:
    slot = str(group["slot"])
    g = deps.centre.groups
    from shared.domain import slots

    t = MAIL_TEXT[lang]
    days = [t[f"day_{d}"] for d in slots.DAYS]
    start = slots.start_time(slot, g.daytime_start, g.evening_start, g.weekend_start)
    return f"{days[slots.DAYS.index(slot.split('_')[0])]} {start:%H:%M}"


def _dates(group: dict[str, Any]) -> list[date]:
    raw = group.get("meeting_dates") or (group.get("offer") or {}).get("dates") or []
    return [date.fromisoformat(d) for d in raw]


def group_summary(deps: Deps, group: dict[str, Any], lang: Lang) -> str:
    return f"{_topic(deps, group['topic'], lang)} · {_place(deps, group, lang)} · {_when(deps, group, lang)}"


def _group_details(
    deps: Deps, group: dict[str, Any], lang: Lang, with_dates: bool = True
) -> Details:
    t = MAIL_TEXT[lang]
    rows = [
        (t["topic"], _topic(deps, group["topic"], lang)),
        (t["where"], _place(deps, group, lang)),
        (t["when"], _when(deps, group, lang)),
    ]
    ds = _dates(group)
    if with_dates and ds:
        rows.append((t["dates"], ", ".join(d.strftime("%d.%m.%Y") for d in ds)))
    return rows


def _compose(
    deps: Deps,
    *,
    to: str,
    lang: Lang,
    subject: str,
    greeting: str,
    paragraphs: list[str],
    details: Details,
    buttons: list[tuple[str, str | None]],
    key: str,
    attachments: tuple[Attachment, ...] = (),
) -> OutgoingMail:
    ctx = {
        "lang": lang,
        "subject": subject,
        "greeting": greeting,
        "paragraphs": paragraphs,
        "details": details,
        "buttons": [(label, url) for label, url in buttons if url],
        "regards": MAIL_TEXT[lang]["regards"],
        "centre_name": deps.centre.centre.name,
    }
    return OutgoingMail(
        to=to,
        subject=subject,
        text=render("emails/generic.txt", **ctx),
        html=render("emails/generic.html", **ctx),
        sender=deps.centre.centre.mail_from,
        message_key=key,
        attachments=attachments,
    )


def _staff_lang(deps: Deps) -> Lang:
    return deps.centre.centre.default_language


def _coordinator(deps: Deps, index: str | None) -> str | None:
    coordinators = deps.centre.coordinators
    i = int(index or 0)
    return coordinators[i].email if 0 <= i < len(coordinators) else None


# ---------------------------------------------------------------- builders


def receipt(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    inquiry = deps.store.get(f"inquiries/{task.subject_id}")
    person = deps.store.get(f"people/{task.subject_id}")
    if not inquiry or not person or not person.get("email") or not inquiry.get("erase_token"):
        return None
    until = inquiry.get("erase_until")
    if until is None:
        return None
    lang: Lang = inquiry.get("lang", "nb")
    tz = ZoneInfo(deps.centre.centre.timezone)
    m = RECEIPT[lang]
    subject = m["subject"].format(reference=inquiry["reference"])
    context = {
        "m": m,
        "lang": lang,
        "subject": subject,
        "name": person["name"],
        "reference": inquiry["reference"],
        "erase_url": links.action_url(
            deps.settings.public_base_url,
            deps.settings.link_signing_key,
            inquiry["erase_token"],
            until,
        ),
        "expires": until.astimezone(tz).strftime("%d.%m.%Y"),
        "centre_name": deps.centre.centre.name,
    }
    return OutgoingMail(
        to=person["email"],
        subject=subject,
        text=render("emails/receipt.txt", **context),
        html=render("emails/receipt.html", **context),
        sender=deps.centre.centre.mail_from,
        message_key=f"receipt-{task.task_id}",
    )


def coordinator_pretalk(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    """A new inquiry: its reference, place, wishes and a link to the console, where the name,
    contact and message are (issue 9: no life situations left in mailboxes)."""
    inquiry = deps.store.get(f"inquiries/{task.subject_id}")
    to = _coordinator(deps, task.recipient_id)
    if not inquiry or not to or inquiry.get("status") != "awaiting_pretalk":
        return None
    lang = _staff_lang(deps)
    t, ui = MAIL_TEXT[lang], UI[lang]
    m = deps.centre.municipality(inquiry["municipality"])
    details: Details = [
        (t["reference"], str(inquiry["reference"])),
        (t["municipality"], m.name if m else ui["municipality_other"]),
        (t["topic"], ", ".join(_topic(deps, k, lang) for k in inquiry["topics"])),
        (t["formats"], ", ".join(ui[f"format_{f}"] for f in inquiry["formats"])),
        (t["times"], ", ".join(ui[f"time_{x}"] for x in inquiry["times"])),
        (t["language"], ", ".join(inquiry.get("languages", []))),
    ]
    if inquiry.get("travel"):
        names = [m.name for m in deps.centre.municipalities if m.code in inquiry["travel"]]
        details.append((t["travel"], ", ".join(names)))
    if inquiry.get("heard_from") and inquiry["heard_from"] != "unknown":
        details.append((t["heard_from"], ui[f"heard_{inquiry['heard_from']}"]))
    return _compose(
        deps,
        to=to,
        lang=lang,
        subject=t["coordinator_pretalk_subject"].format(reference=inquiry["reference"]),
        greeting=t["hello"],
        paragraphs=[t["coordinator_pretalk_body"]],
        details=details,
        buttons=[
            (t["open_console"], console_link(deps, "/pretalk")),
            (t["coordinator_pretalk_button"], action_link(deps, inquiry.get("pretalk_token"))),
        ],
        key=f"pretalk-{task.task_id}",
    )


def console_link(deps: Deps, page: str) -> str:
    return links.console_url(deps.settings.public_base_url, page)


def _group_mail(deps: Deps, task: NotifyTask) -> dict[str, Any] | None:
    return deps.store.get(f"groups/{task.subject_id}")


def _coordinator_and_group(
    deps: Deps, task: NotifyTask, status: str | None
) -> tuple[str, dict[str, Any]] | None:
    """The coordinator's address and the group, if the group is (still) in the expected state."""
    group = _group_mail(deps, task)
    to = _coordinator(deps, task.recipient_id)
    if not group or not to or (status is not None and group["status"] != status):
        return None
    return to, group


def _staff_group_mail(
    deps: Deps,
    group: dict[str, Any],
    *,
    to: str,
    kind: str,
    body: str,
    details: Details,
    buttons: list[tuple[str, str | None]],
    key: str,
) -> OutgoingMail:
    """A mail to a coordinator or facilitator about a group; its subject names topic and place."""
    lang = _staff_lang(deps)
    t = MAIL_TEXT[lang]
    topic, place = _topic(deps, group["topic"], lang), _place(deps, group, lang)
    return _compose(
        deps,
        to=to,
        lang=lang,
        subject=t[f"{kind}_subject"].format(topic=topic, place=place),
        greeting=t["hello"],
        paragraphs=[body],
        details=details,
        buttons=buttons,
        key=key,
    )


def coordinator_approval(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    found = _coordinator_and_group(deps, task, "awaiting_approval")
    if found is None:
        return None
    to, group = found
    lang = _staff_lang(deps)
    t = MAIL_TEXT[lang]
    people = []  # by reference and home: the names are in the console (issue 9)
    found_docs = deps.store.get_many([f"inquiries/{mid}" for mid in group["members"]])
    for mid in group["members"]:
        inquiry = found_docs.get(f"inquiries/{mid}") or {}
        m = deps.centre.municipality(inquiry.get("municipality", ""))
        people.append(f"{inquiry.get('reference') or '–'} ({m.name if m else '–'})")
    return _staff_group_mail(
        deps,
        group,
        to=to,
        kind="coordinator_approval",
        body=t["coordinator_approval_body"],
        details=[
            *_group_details(deps, group, lang, with_dates=False),
            (t["members"], "; ".join(people)),
        ],
        buttons=[
            (t["coordinator_approval_button"], action_link(deps, group.get("approval_token"))),
            (t["open_console"], console_link(deps, "/groups")),
        ],
        key=f"approval-{task.task_id}",
    )


def coordinator_alert(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    found = _coordinator_and_group(deps, task, None)
    if found is None:
        return None
    to, group = found
    lang = _staff_lang(deps)
    t = MAIL_TEXT[lang]
    staffing = group["status"] == "needs_facilitator"
    body = t["coordinator_alert_body"]
    if staffing:
        body = f"{body} {t['coordinator_alert_retry']}"
    return _staff_group_mail(
        deps,
        group,
        to=to,
        kind="coordinator_alert",
        body=body,
        details=[
            *_group_details(deps, group, lang, with_dates=False),
            (t["size"], str(len(group["members"]))),
            *([] if staffing else _visit(group, lang)),
        ],
        buttons=[
            (t["retry_button"], action_link(deps, group.get("retry_token"))),
            (t["dissolve_button"], action_link(deps, group.get("dissolve_token"))),
        ]
        if staffing
        else [],
        key=f"alert-{task.task_id}",
    )


def coordinator_started(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    found = _coordinator_and_group(deps, task, None)
    if found is not None and found[1]["status"] not in RUNNING:
        return None
    if found is None:
        return None
    to, group = found
    lang = _staff_lang(deps)
    t = MAIL_TEXT[lang]
    return _staff_group_mail(
        deps,
        group,
        to=to,
        kind="coordinator_started",
        body=t["coordinator_started_body"],
        details=[*_group_details(deps, group, lang), (t["size"], str(len(group["members"])))],
        buttons=[(t["coordinator_started_button"], action_link(deps, group.get("close_token")))],
        key=f"started-{task.task_id}",
    )


def offer(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    group = _group_mail(deps, task)
    fac = deps.store.get(f"facilitators/{task.recipient_id}")
    if (
        not group
        or not fac
        or group["status"] != "offered"
        or group["offer"]["facilitator_id"] != task.recipient_id
    ):
        return None
    lang = _staff_lang(deps)
    t = MAIL_TEXT[lang]
    deadline = group["offer"]["deadline"].astimezone(ZoneInfo(deps.centre.centre.timezone))
    return _staff_group_mail(
        deps,
        group,
        to=fac["email"],
        kind="offer",
        body=t["offer_body"].format(name=fac["name"]),
        details=[
            *_group_details(deps, group, lang),
            (t["size"], str(len(group["members"]))),
            (t["deadline"], f"{deadline:%d.%m.%Y %H:%M}"),
        ],
        buttons=[
            (t["offer_accept"], action_link(deps, group["offer"]["accept_token"])),
            (t["offer_decline"], action_link(deps, group["offer"]["decline_token"])),
        ],
        key=f"offer-{task.task_id}",
    )


def invitation(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    group = _group_mail(deps, task)
    mid = task.recipient_id or ""
    if (
        not group
        or mid not in group["members"]
        or group["status"] not in ("facilitator_confirmed", "confirmed")
    ):
        return None
    member = group["members"][mid]
    inquiry = deps.store.get(f"inquiries/{mid}") or {}
    person = deps.store.get(f"people/{mid}")
    if person is None:
        return None
    lang: Lang = inquiry.get("lang", "nb")

    def buttons_for(lg: Lang) -> list[tuple[str, str | None]]:
        return [
            (MAIL_TEXT[lg]["invitation_accept"], action_link(deps, member.get("accept_token"))),
            (MAIL_TEXT[lg]["invitation_decline"], action_link(deps, member.get("decline_token"))),
        ]

    deadline = group["invitation_deadline"].astimezone(ZoneInfo(deps.centre.centre.timezone))
    if not person.get("email"):  # phone only: the coordinator calls and answers for them
        to = _coordinator(deps, "0")
        if to is None:
            return None
        staff = _staff_lang(deps)
        t = MAIL_TEXT[staff]
        return _staff_group_mail(
            deps,
            group,
            to=to,
            kind="invitation_by_phone",
            body=t["invitation_by_phone_body"],
            details=[
                (t["reference"], str(inquiry.get("reference") or "")),
                *_group_details(deps, group, staff),
            ],
            buttons=[(t["open_console"], console_link(deps, "/groups")), *buttons_for(staff)],
            key=f"invite-{task.task_id}",
        )
    t = MAIL_TEXT[lang]
    return _compose(
        deps,
        to=person["email"],
        lang=lang,
        subject=t["invitation_subject"].format(topic=_topic(deps, group["topic"], lang)),
        greeting=f"{t['hello']} {person['name']},",
        paragraphs=[t["invitation_body"]],
        details=[*_group_details(deps, group, lang), (t["deadline"], f"{deadline:%d.%m.%Y}")],
        buttons=buttons_for(lang),
        key=f"invite-{task.task_id}",
    )


def _member_or_facilitator(
    deps: Deps, group: dict[str, Any], rid: str
) -> tuple[str, str, Lang] | None:
    """(address, name, language) of a group's member or its facilitator ("facilitator:<id>")."""
    if rid.startswith("facilitator:"):
        fid = rid.split(":", 1)[1]
        fac = deps.store.get(f"facilitators/{fid}")
        if not fac or group.get("facilitator_id") != fid:
            return None
        return fac["email"], fac["name"], _staff_lang(deps)
    if rid not in group["members"]:
        return None  # left the group (declined, erased) since
    person = deps.store.get(f"people/{rid}")
    inquiry = deps.store.get(f"inquiries/{rid}") or {}
    if not person or not person.get("email"):
        return None
    return person["email"], person["name"], inquiry.get("lang", "nb")


def confirmation(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    group = _group_mail(deps, task)
    rid = task.recipient_id or ""
    if not group or group["status"] not in RUNNING:
        return None
    who = _member_or_facilitator(deps, group, rid)
    if who is None:
        return None
    to, name, lang = who
    t = MAIL_TEXT[lang]
    starts = [_start(deps, d, group["slot"]) for d in _dates(group)]
    topic = _topic(deps, group["topic"], lang)
    ics = meetings_ics(
        uid_base=task.subject_id,
        summary=f"{deps.centre.centre.name}: {topic}",
        location=_place(deps, group, lang),
        description=t["confirmation_body"],
        starts=starts,
        minutes=deps.centre.groups.meeting_minutes,
        stamp=deps.clock.now(),
    )
    return _compose(
        deps,
        to=to,
        lang=lang,
        subject=t["confirmation_subject"].format(
            first=starts[0].strftime("%d.%m.%Y") if starts else ""
        ),
        greeting=f"{t['hello']} {name},",
        paragraphs=[t["confirmation_body"]],
        details=_group_details(deps, group, lang),
        buttons=[
            (t["followup_button"], action_link(deps, (group.get("link_tokens") or {}).get(rid)))
        ],
        key=f"confirm-{task.task_id}",
        attachments=(Attachment("samtalegruppe.ics", "text/calendar", ics),),
    )


def _start(deps: Deps, day: date, slot: str) -> datetime:
    from workflows.saga.resources import meeting_start

    return meeting_start(deps, day, slot)


def reminder(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    """Two days before the first meeting, to every member who accepted and the facilitator."""
    group = _group_mail(deps, task)
    rid = task.recipient_id or ""
    if not group or group["status"] != "confirmed":
        return None  # started already, or closed
    if not rid.startswith("facilitator:") and group["members"].get(rid, {}).get("response") != (
        "accepted"
    ):
        return None
    who = _member_or_facilitator(deps, group, rid)
    if who is None:
        return None
    to, name, lang = who
    t = MAIL_TEXT[lang]
    ds = _dates(group)
    first = _start(deps, ds[0], group["slot"]) if ds else None
    return _compose(
        deps,
        to=to,
        lang=lang,
        subject=t["reminder_subject"].format(first=f"{first:%d.%m.%Y %H:%M}" if first else ""),
        greeting=f"{t['hello']} {name},",
        paragraphs=[t["reminder_body"]],
        details=_group_details(deps, group, lang),
        buttons=[],
        key=f"reminder-{task.task_id}",
    )


def followup_offer(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    group = _group_mail(deps, task)
    fac = deps.store.get(f"facilitators/{task.recipient_id}")
    fu = (group or {}).get("followup") or {}
    if (
        not group
        or not fac
        or fu.get("status") != "offered"
        or fu.get("facilitator_id") != task.recipient_id
    ):
        return None
    lang = _staff_lang(deps)
    t = MAIL_TEXT[lang]
    return _staff_group_mail(
        deps,
        group,
        to=fac["email"],
        kind="followup_offer",
        body=t["followup_offer_body"].format(name=fac["name"]),
        details=[
            *_group_details(deps, group, lang, with_dates=False),
            *_visit(group, lang),
        ],
        buttons=[
            (t["offer_accept"], action_link(deps, fu.get("accept_token"))),
            (t["offer_decline"], action_link(deps, fu.get("decline_token"))),
        ],
        key=f"followup-{task.task_id}",
    )


def _visit(group: dict[str, Any], lang: Lang) -> Details:
    """The date of the follow-up visit: each visit's mails differ (a group may ask many times)."""
    day = (group.get("followup") or {}).get("date")
    return [(MAIL_TEXT[lang]["visit_date"], f"{date.fromisoformat(day):%d.%m.%Y}")] if day else []


def followup_arranged(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    group = _group_mail(deps, task)
    fac = deps.store.get(f"facilitators/{task.recipient_id}")
    if not group or not fac:
        return None
    lang = _staff_lang(deps)
    return _staff_group_mail(
        deps,
        group,
        to=fac["email"],
        kind="followup_arranged",
        body=MAIL_TEXT[lang]["followup_arranged_body"].format(name=fac["name"]),
        details=[*_group_details(deps, group, lang, with_dates=False), *_visit(group, lang)],
        buttons=[],
        key=f"followup-ok-{task.task_id}",
    )


def survey(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    group = _group_mail(deps, task)
    mid = task.recipient_id or ""
    person = deps.store.get(f"people/{mid}")
    if not group or not person or not person.get("email"):
        return None  # erased, expired, or reachable only by phone
    inquiry = deps.store.get(f"inquiries/{mid}") or {}
    lang: Lang = inquiry.get("lang", "nb")
    t = MAIL_TEXT[lang]
    return _compose(
        deps,
        to=person["email"],
        lang=lang,
        subject=t["survey_subject"],
        greeting=f"{t['hello']} {person['name']},",
        paragraphs=[t["survey_body"]],
        details=[],
        buttons=[
            (
                t["survey_button"],
                action_link(deps, (group.get("link_tokens") or {}).get(f"survey:{mid}")),
            )
        ],
        key=f"survey-{task.task_id}",
    )


BUILDERS: dict[str, Callable[[Deps, NotifyTask], OutgoingMail | None]] = {
    "receipt": receipt,
    "coordinator_pretalk": coordinator_pretalk,
    "coordinator_approval": coordinator_approval,
    "coordinator_alert": coordinator_alert,
    "coordinator_started": coordinator_started,
    "offer": offer,
    "invitation": invitation,
    "confirmation": confirmation,
    "followup_offer": followup_offer,
    "followup_arranged": followup_arranged,
    "survey": survey,
    "reminder": reminder,
}
