"""The shape of an email (greeting, paragraphs, details, buttons) and who it goes to: the
coordinator by position, a member or the facilitator of a group, in the right language."""

from __future__ import annotations

from typing import Any

from shared.languages import Lang
from shared.ports import Attachment, OutgoingMail
from shared.texts.mail import MAIL_TEXT
from shared.texts.resident import RESIDENT
from workflows.messaging import centre_info, describe
from workflows.platform import coordinators
from workflows.platform.messages import NotifyTask
from workflows.platform.render import render
from workflows.platform.runtime import Deps


def compose(
    deps: Deps,
    *,
    to: str,
    lang: Lang,
    subject: str,
    greeting: str,
    paragraphs: list[str],
    details: describe.Details,
    buttons: list[tuple[str, str | None]],
    key: str,
    attachments: tuple[Attachment, ...] = (),
    links: list[tuple[str, str | None]] | None = None,
) -> OutgoingMail:
    """`buttons` are what the reader is asked to do; `links` are plain secondary links, for what
    cannot be undone (issue 22: "the group has ended" was the only button of its mail)."""
    ctx = {
        "lang": lang,
        "subject": subject,
        "greeting": greeting,
        "paragraphs": paragraphs,
        "details": details,
        "buttons": [(label, url) for label, url in buttons if url],
        "links": [(label, url) for label, url in links or [] if url],
        "regards": MAIL_TEXT[lang]["regards"],
        "centre_name": deps.centre.centre.name,
        **footer(deps, lang),
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


def footer(deps: Deps, lang: Lang) -> dict[str, Any]:
    """The centre's contact details and statements at the foot of every email (issue 22)."""
    return {
        "r": RESIDENT[lang],
        "contact": centre_info.contact(deps.centre, lang, deps.settings.public_base_url),
    }


def staff_lang(deps: Deps) -> Lang:
    return deps.centre.centre.default_language


def coordinator(deps: Deps, recipient: str | None) -> str | None:
    """The address of the coordinator a task names (issue 17: by stable id; a removed one's work
    goes to another coordinator, never to nobody)."""
    found = coordinators.resolve(deps, recipient)
    return found.email if found else None


def coordinator_key(deps: Deps, recipient: str | None) -> str:
    """Who a coordinator mail is really for: its lease key part, so that work redirected from a
    removed coordinator to one who has their own copy is sent once."""
    found = coordinators.resolve(deps, recipient)
    return found.id if found else ""


def group_of(deps: Deps, task: NotifyTask) -> dict[str, Any] | None:
    return deps.store.get(f"groups/{task.subject_id}")


def coordinator_and_group(
    deps: Deps, task: NotifyTask, status: str | None
) -> tuple[str, dict[str, Any]] | None:
    """The coordinator's address and the group, if the group is (still) in the expected state."""
    group = group_of(deps, task)
    to = coordinator(deps, task.recipient_id)
    if not group or not to or (status is not None and group["status"] != status):
        return None
    return to, group


def staff_group_mail(
    deps: Deps,
    group: dict[str, Any],
    *,
    to: str,
    kind: str,
    body: str,
    details: describe.Details,
    buttons: list[tuple[str, str | None]],
    key: str,
    links: list[tuple[str, str | None]] | None = None,
) -> OutgoingMail:
    """A mail to a coordinator or facilitator about a group; its subject names topic and place."""
    lang = staff_lang(deps)
    t = MAIL_TEXT[lang]
    topic, place = describe.topic(deps, group["topic"], lang), describe.place(deps, group, lang)
    return compose(
        deps,
        to=to,
        lang=lang,
        subject=t[f"{kind}_subject"].format(topic=topic, place=place),
        greeting=t["hello"],
        paragraphs=[body],
        details=details,
        buttons=buttons,
        key=key,
        links=links,
    )


def member_or_facilitator(
    deps: Deps, group: dict[str, Any], rid: str
) -> tuple[str, str, Lang] | None:
    """(address, name, language) of a group's member or its facilitator ("facilitator:<id>")."""
    if rid.startswith("facilitator:"):
        fid = rid.split(":", 1)[1]
        fac = deps.store.get(f"facilitators/{fid}")
        if not fac or group.get("facilitator_id") != fid:
            return None
        return fac["email"], fac["name"], staff_lang(deps)
    if rid not in group["members"]:
        return None  # left the group (declined, erased) since
    person = deps.store.get(f"people/{rid}")
    inquiry = deps.store.get(f"inquiries/{rid}") or {}
    if not person or not person.get("email"):
        return None
    return person["email"], person["name"], inquiry.get("lang", "nb")
