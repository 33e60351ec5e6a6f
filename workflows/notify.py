"""notify: render and send the emails the chain asks for (receipt now; offers and invitations follow)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from shared import logs
from shared.config import Lang
from shared.domain import links
from shared.i18n import MAIL
from shared.ports import OutgoingMail
from workflows.mailing import SendOutcome, send_once
from workflows.messages import NotifyTask
from workflows.render import render
from workflows.runtime import Deps

log = logs.get_logger(__name__)


def handle(deps: Deps, task: NotifyTask) -> SendOutcome | None:
    if task.mail == "receipt":
        mail = receipt(deps, task)
    else:
        raise ValueError(f"unknown mail kind {task.mail}")
    if mail is None:
        log.info("nothing to send (erased or no address)", extra={"task": task.task_id})
        return None
    outcome = send_once(deps, mail)
    log.info("mail", extra={"kind": task.mail, "task": task.task_id, "outcome": outcome})
    return outcome


def receipt(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    inquiry = deps.store.get(f"inquiries/{task.subject_id}")
    person = deps.store.get(f"people/{task.subject_id}")
    if not inquiry or not person or not person.get("email") or not inquiry.get("erase_token"):
        return None
    token = deps.store.get(f"tokens/{inquiry['erase_token']}")
    if token is None:
        return None
    lang: Lang = inquiry.get("lang", "nb")
    tz = ZoneInfo(deps.centre.centre.timezone)
    m = MAIL["receipt"][lang]
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
            token["expires"],
        ),
        "expires": token["expires"].astimezone(tz).strftime("%d.%m.%Y"),
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
