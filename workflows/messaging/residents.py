"""The emails a resident receives: the receipt, an invitation to a group, the confirmation with
its calendar file, the reminder before the first meeting and the survey. Each person gets their
own email in their own language: no member ever sees another's contact details."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from shared.domain import links
from shared.domain.lifecycle import RUNNING
from shared.languages import Lang
from shared.ports import OutgoingMail
from shared.texts.mail import MAIL_TEXT, RECEIPT
from shared.texts.me import ME
from workflows.messaging import calendar_mail, centre_info, describe, mail, waiting
from workflows.platform import tokens
from workflows.platform.messages import NotifyTask
from workflows.platform.render import render
from workflows.platform.runtime import Deps


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
        "next_steps": centre_info.next_steps(deps.centre, lang),
        **mail.footer(deps, lang),
        "me_url": waiting.me_url(deps, inquiry),  # issue 17: the person's own page
        "me": ME[lang],
    }
    return OutgoingMail(
        to=person["email"],
        subject=subject,
        text=render("emails/receipt.txt", **context),
        html=render("emails/receipt.html", **context),
        sender=deps.centre.centre.mail_from,
        message_key=f"receipt-{task.task_id}",
    )


def invitation(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    group = mail.group_of(deps, task)
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
            (
                MAIL_TEXT[lg]["invitation_accept"],
                describe.action_link(deps, member.get("accept_token")),
            ),
            (
                MAIL_TEXT[lg]["invitation_decline"],
                describe.action_link(deps, member.get("decline_token")),
            ),
        ]

    deadline = group["invitation_deadline"].astimezone(ZoneInfo(deps.centre.centre.timezone))
    if not person.get("email"):  # phone only: the coordinator calls and answers for them
        to = mail.coordinator(deps, None)
        if to is None:
            return None
        staff = mail.staff_lang(deps)
        t = MAIL_TEXT[staff]
        return mail.staff_group_mail(
            deps,
            group,
            to=to,
            kind="invitation_by_phone",
            body=t["invitation_by_phone_body"],
            details=[
                (t["reference"], str(inquiry.get("reference") or "")),
                *describe.group_details(deps, group, staff),
            ],
            buttons=[
                (t["open_console"], describe.console_link(deps, "/groups")),
                *buttons_for(staff),
            ],
            key=f"invite-{task.task_id}",
        )
    t = MAIL_TEXT[lang]
    return mail.compose(
        deps,
        to=person["email"],
        lang=lang,
        subject=t["invitation_subject"].format(topic=describe.topic(deps, group["topic"], lang)),
        greeting=f"{t['hello']} {person['name']},",
        paragraphs=[t["invitation_body"]],
        details=[
            *describe.group_details(deps, group, lang),
            (t["deadline"], f"{deadline:%d.%m.%Y}"),
        ],
        buttons=buttons_for(lang),
        key=f"invite-{task.task_id}",
    )


def confirmation(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    group = mail.group_of(deps, task)
    rid = task.recipient_id or ""
    if not group or group["status"] not in RUNNING:
        return None
    who = mail.member_or_facilitator(deps, group, rid)
    if who is None:
        return None
    to, name, lang = who
    t = MAIL_TEXT[lang]
    starts = [describe.start(deps, d, group["slot"]) for d in describe.dates(group)]
    join = describe.join_link(deps, task.subject_id, group, rid)
    # the first version of this recipient's calendar (issue 16): the meetings as they stood when
    # they were placed; any later change went or goes out as an update of its own
    ics = calendar_mail.attachment(deps, task.subject_id, group, rid, 1, to, lang)
    return mail.compose(
        deps,
        to=to,
        lang=lang,
        subject=t["confirmation_subject"].format(
            first=starts[0].strftime("%d.%m.%Y") if starts else ""
        ),
        greeting=f"{t['hello']} {name},",
        paragraphs=[t["confirmation_body"], *describe.join_paragraphs(deps, group, lang)],
        details=describe.group_details(deps, group, lang),
        buttons=[
            (t["join_button"], join),
            *describe.map_button(deps, group, lang),
            (
                t["followup_button"],
                describe.action_link(deps, (group.get("link_tokens") or {}).get(rid)),
            ),
            leave_button(deps, group, rid, lang),
        ],
        key=f"confirm-{task.task_id}",
        attachments=(ics,) if ics else (),
    )


def leave_button(deps: Deps, group: dict[str, Any], rid: str, lang: Lang) -> tuple[str, str | None]:
    """The member's "I can't continue" (issue 16); none for the facilitator."""
    token = (group.get("link_tokens") or {}).get(f"leave:{rid}")
    return MAIL_TEXT[lang]["leave_button"], describe.action_link(deps, token)


def reminder(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    """Two days before the first meeting, to every member who accepted and the facilitator."""
    group = mail.group_of(deps, task)
    rid = task.recipient_id or ""
    if not group or group["status"] != "confirmed":
        return None  # started already, or closed
    if not rid.startswith("facilitator:") and group["members"].get(rid, {}).get("response") != (
        "accepted"
    ):
        return None
    who = mail.member_or_facilitator(deps, group, rid)
    if who is None:
        return None
    to, name, lang = who
    t = MAIL_TEXT[lang]
    ds = describe.dates(group)
    first = describe.start(deps, ds[0], group["slot"]) if ds else None
    return mail.compose(
        deps,
        to=to,
        lang=lang,
        subject=t["reminder_subject"].format(first=f"{first:%d.%m.%Y %H:%M}" if first else ""),
        greeting=f"{t['hello']} {name},",
        paragraphs=[t["reminder_body"], *describe.join_paragraphs(deps, group, lang)],
        details=describe.group_details(deps, group, lang),
        buttons=[
            (t["join_button"], describe.join_link(deps, task.subject_id, group, rid)),
            *describe.map_button(deps, group, lang),
            leave_button(deps, group, rid, lang),
        ],
        key=f"reminder-{task.task_id}",
    )


def survey(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    group = mail.group_of(deps, task)
    mid = task.recipient_id or ""
    person = deps.store.get(f"people/{mid}")
    if not group or not person or not person.get("email"):
        return None  # erased, expired, or reachable only by phone
    link = describe.action_link(deps, tokens.survey_token(deps, group, task))
    if not link:
        # no longer a member (left, or gone at the deadline): no survey, as by SMS. A 90-day
        # period once sent one with no link to someone who had left, and then again
        return None
    inquiry = deps.store.get(f"inquiries/{mid}") or {}
    lang: Lang = inquiry.get("lang", "nb")
    t = MAIL_TEXT[lang]
    return mail.compose(
        deps,
        to=person["email"],
        lang=lang,
        subject=t["survey_subject"],
        greeting=f"{t['hello']} {person['name']},",
        paragraphs=[t["survey_body"]],
        details=[],
        buttons=[(t["survey_button"], link)],
        key=f"survey-{task.task_id}",
    )
