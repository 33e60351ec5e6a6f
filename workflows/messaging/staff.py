"""The emails staff receive, in the centre's language: the coordinator's pre-talk notice, a
proposal to approve, alerts and "the group is under way"; the facilitator's offers and follow-up
visits. Coordinator emails carry references and places, never a resident's name or contact
(issue 9: those are only in the console)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from shared.domain.lifecycle import RUNNING
from shared.languages import Lang, language_names
from shared.ports import OutgoingMail
from shared.texts.mail import MAIL_TEXT
from shared.texts.pages import UI
from workflows.messaging import describe, mail
from workflows.messaging.mailing import address_key, send_once
from workflows.platform.messages import NotifyTask
from workflows.platform.runtime import Deps
from workflows.saga import replace


def coordinator_pretalk(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    """A new inquiry: its reference, place, wishes and a link to the console, where the name,
    contact and message are (issue 9: no life situations left in mailboxes)."""
    inquiry = deps.store.get(f"inquiries/{task.subject_id}")
    to = mail.coordinator(deps, task.recipient_id)
    if not inquiry or not to or inquiry.get("status") != "awaiting_pretalk":
        return None
    lang = mail.staff_lang(deps)
    t, ui = MAIL_TEXT[lang], UI[lang]
    m = deps.centre.municipality(inquiry["municipality"])
    details: describe.Details = [
        (t["reference"], str(inquiry["reference"])),
        (t["municipality"], m.name if m else ui["municipality_other"]),
        (t["topic"], ", ".join(describe.topic(deps, k, lang) for k in inquiry["topics"])),
        (t["formats"], ", ".join(ui[f"format_{f}"] for f in inquiry["formats"])),
        (t["times"], ", ".join(ui[f"time_{x}"] for x in inquiry["times"])),
        (t["language"], language_names(inquiry.get("languages"), lang)),
    ]
    if inquiry.get("travel"):
        names = [m.name for m in deps.centre.municipalities if m.code in inquiry["travel"]]
        details.append((t["travel"], ", ".join(names)))
    if inquiry.get("heard_from") and inquiry["heard_from"] != "unknown":
        details.append((t["heard_from"], ui[f"heard_{inquiry['heard_from']}"]))
    return mail.compose(
        deps,
        to=to,
        lang=lang,
        subject=t["coordinator_pretalk_subject"].format(reference=inquiry["reference"]),
        greeting=t["hello"],
        paragraphs=[t["coordinator_pretalk_body"]],
        details=details,
        buttons=[
            (t["open_console"], describe.console_link(deps, "/pretalk")),
            (
                t["coordinator_pretalk_button"],
                describe.action_link(deps, inquiry.get("pretalk_token")),
            ),
        ],
        key=f"pretalk-{task.subject_id}-{mail.coordinator_key(deps, task.recipient_id)}",
    )


def coordinator_approval(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    found = mail.coordinator_and_group(deps, task, "awaiting_approval")
    if found is None:
        return None
    to, group = found
    lang = mail.staff_lang(deps)
    t = MAIL_TEXT[lang]
    people = []  # by reference and home: the names are in the console (issue 9)
    found_docs = deps.store.get_many([f"inquiries/{mid}" for mid in group["members"]])
    for mid in group["members"]:
        inquiry = found_docs.get(f"inquiries/{mid}") or {}
        m = deps.centre.municipality(inquiry.get("municipality", ""))
        people.append(f"{inquiry.get('reference') or '–'} ({m.name if m else '–'})")
    return mail.staff_group_mail(
        deps,
        group,
        to=to,
        kind="coordinator_approval",
        body=t["coordinator_approval_body"],
        details=[
            *describe.group_details(deps, group, lang, with_dates=False),
            (t["members"], "; ".join(people)),
        ],
        buttons=[
            (
                t["coordinator_approval_button"],
                describe.action_link(deps, group.get("approval_token")),
            ),
            (t["open_console"], describe.console_link(deps, "/groups")),
        ],
        key=f"approval-{task.subject_id}-{mail.coordinator_key(deps, task.recipient_id)}",
    )


def coordinator_alert(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    found = mail.coordinator_and_group(deps, task, None)
    if found is None:
        return None
    to, group = found
    lang = mail.staff_lang(deps)
    t = MAIL_TEXT[lang]
    staffing = group["status"] == "needs_facilitator"
    body = t["coordinator_alert_body"]
    if staffing:
        body = f"{body} {t['coordinator_alert_retry']}"
    return mail.staff_group_mail(
        deps,
        group,
        to=to,
        kind="coordinator_alert",
        body=body,
        details=[
            *describe.group_details(deps, group, lang, with_dates=False),
            (t["size"], str(len(group["members"]) or group.get("member_count", 0))),
            *([] if staffing else describe.visit(group, lang)),
            *([] if staffing else _unstaffed(deps, group, lang)),
        ],
        buttons=[(t["retry_button"], describe.action_link(deps, group.get("retry_token")))]
        if staffing
        else [],
        # dissolving cannot be undone: a plain link below the button (issue 22)
        links=[(t["dissolve_button"], describe.action_link(deps, group.get("dissolve_token")))]
        if staffing
        else [],
        key=f"alert-{task.task_id}",
    )


def _unstaffed(deps: Deps, group: dict[str, Any], lang: Lang) -> list[tuple[str, str]]:
    """A replacement nobody took (issue 16): which meetings have no facilitator now, and which
    attempt this was. Each alert says what is new: the coordinator's "try again" that finds
    nobody again used to send the very same email (seed 23's duplicate)."""
    rep = group.get("replacement") or {}
    if rep.get("status") != "unstaffed":
        return []
    t = MAIL_TEXT[lang]
    days = [f"{d:%d.%m.%Y}" for _, d in replace.remaining(deps, group, deps.clock.now())]
    return [
        (t["unstaffed_meetings"], ", ".join(days) or "–"),
        (t["replacement_attempt"], str(int(rep.get("round", 0)) + 1)),
    ]


def coordinator_started(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    found = mail.coordinator_and_group(deps, task, None)
    if found is not None and found[1]["status"] not in RUNNING:
        return None
    if found is None:
        return None
    to, group = found
    lang = mail.staff_lang(deps)
    t = MAIL_TEXT[lang]
    return mail.staff_group_mail(
        deps,
        group,
        to=to,
        kind="coordinator_started",
        body=t["coordinator_started_body"],
        details=[
            *describe.group_details(deps, group, lang),
            (t["size"], str(len(group["members"]) or group.get("member_count", 0))),
        ],
        # issue 22: "the group has ended" cannot be undone, so it is a plain link, not the button
        buttons=[(t["open_console"], describe.console_link(deps, "/groups"))],
        links=[
            (t["coordinator_started_button"], describe.action_link(deps, group.get("close_token")))
        ],
        key=f"started-{task.task_id}",
    )


def offer(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    group = mail.group_of(deps, task)
    fac = deps.store.get(f"facilitators/{task.recipient_id}")
    if (
        not group
        or not fac
        or group["status"] != "offered"
        or group["offer"]["facilitator_id"] != task.recipient_id
    ):
        return None
    lang = mail.staff_lang(deps)
    t = MAIL_TEXT[lang]
    deadline = group["offer"]["deadline"].astimezone(ZoneInfo(deps.centre.centre.timezone))
    return mail.staff_group_mail(
        deps,
        group,
        to=fac["email"],
        kind="offer",
        body=t["offer_body"].format(name=fac["name"]),
        details=[
            *describe.group_details(deps, group, lang),
            (t["size"], str(len(group["members"]) or group.get("member_count", 0))),
            (t["deadline"], f"{deadline:%d.%m.%Y %H:%M}"),
        ],
        buttons=[
            (t["offer_accept"], describe.action_link(deps, group["offer"]["accept_token"])),
            (t["offer_decline"], describe.action_link(deps, group["offer"]["decline_token"])),
        ],
        key=f"offer-{task.task_id}",
    )


def replace_offer(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    """Taking over the remaining meetings of a group whose facilitator dropped out (issue 16)."""
    group = mail.group_of(deps, task)
    fac = deps.store.get(f"facilitators/{task.recipient_id}")
    rep = (group or {}).get("replacement") or {}
    if (
        not group
        or not fac
        or group["status"] not in RUNNING
        or rep.get("status") != "offered"
        or rep.get("facilitator_id") != task.recipient_id
    ):
        return None
    lang = mail.staff_lang(deps)
    t = MAIL_TEXT[lang]
    deadline = rep["deadline"].astimezone(ZoneInfo(deps.centre.centre.timezone))
    days = ", ".join(datetime.fromisoformat(d).strftime("%d.%m.%Y") for d in rep["dates"])
    return mail.staff_group_mail(
        deps,
        group,
        to=fac["email"],
        kind="replace_offer",
        body=t["replace_offer_body"].format(name=fac["name"]),
        details=[
            *describe.group_details(deps, group, lang, with_dates=False),
            (t["dates"], days),
            (t["size"], str(len(group["members"]) or group.get("member_count", 0))),
            (t["deadline"], f"{deadline:%d.%m.%Y %H:%M}"),
        ],
        buttons=[
            (t["offer_accept"], describe.action_link(deps, rep.get("accept_token"))),
            (t["offer_decline"], describe.action_link(deps, rep.get("decline_token"))),
        ],
        key=f"replace-offer-{task.task_id}",
    )


def followup_offer(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    group = mail.group_of(deps, task)
    fac = deps.store.get(f"facilitators/{task.recipient_id}")
    fu = (group or {}).get("followup") or {}
    if (
        not group
        or not fac
        or fu.get("status") != "offered"
        or fu.get("facilitator_id") != task.recipient_id
    ):
        return None
    lang = mail.staff_lang(deps)
    t = MAIL_TEXT[lang]
    return mail.staff_group_mail(
        deps,
        group,
        to=fac["email"],
        kind="followup_offer",
        body=t["followup_offer_body"].format(name=fac["name"]),
        details=[
            *describe.group_details(deps, group, lang, with_dates=False),
            *describe.visit(group, lang),
        ],
        buttons=[
            (t["offer_accept"], describe.action_link(deps, fu.get("accept_token"))),
            (t["offer_decline"], describe.action_link(deps, fu.get("decline_token"))),
        ],
        key=f"followup-{task.task_id}",
    )


def followup_arranged(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    group = mail.group_of(deps, task)
    fac = deps.store.get(f"facilitators/{task.recipient_id}")
    if not group or not fac:
        return None
    lang = mail.staff_lang(deps)
    return mail.staff_group_mail(
        deps,
        group,
        to=fac["email"],
        kind="followup_arranged",
        body=MAIL_TEXT[lang]["followup_arranged_body"].format(name=fac["name"]),
        details=[
            *describe.group_details(deps, group, lang, with_dates=False),
            *describe.visit(group, lang),
        ],
        buttons=[],
        key=f"followup-ok-{task.task_id}",
    )


def receipts_capped(deps: Deps, now: datetime) -> None:
    """The hourly receipt cap bit (issue 18): every coordinator hears it, once per hour (the key
    carries the hour, so every capped receipt of the hour after the first finds "already sent")."""
    lang = mail.staff_lang(deps)
    t = MAIL_TEXT[lang]
    hour = f"{now:%Y%m%d%H}"
    for person in deps.centre.coordinators:
        send_once(
            deps,
            mail.compose(
                deps,
                to=person.email,
                lang=lang,
                subject=t["receipts_capped_subject"],
                greeting=t["hello"],
                paragraphs=[
                    t["receipts_capped_body"].format(limit=deps.settings.receipts_per_hour)
                ],
                details=[],
                buttons=[(t["open_console"], describe.console_link(deps, "/pretalk"))],
                key=f"receipts-capped-{hour}-{address_key(person.email)}",
            ),
        )
