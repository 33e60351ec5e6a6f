"""notify: render and send one message the chain asks for, at most once (lease-guarded).

An email to whoever has an address (residents.py, staff.py), an SMS to a resident who gave only a
phone number (texting.py, issue 11); how a group is described is in describe.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from shared import logs
from shared.ports import OutgoingMail, OutgoingSms
from workflows.messaging import calendar_mail, residents, staff, texting, waiting
from workflows.messaging.mailing import Quota, SendOutcome, send_once
from workflows.platform.messages import NotifyTask
from workflows.platform.runtime import Deps

log = logs.get_logger(__name__)


def handle(deps: Deps, task: NotifyTask) -> SendOutcome | None:
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
    quota = receipt_quota(deps) if task.mail == "receipt" else None
    outcome = send_once(deps, mail, quota)
    if outcome == "capped":
        staff.receipts_capped(deps, deps.clock.now())
    channel = "sms" if isinstance(mail, OutgoingSms) else "email"
    log.info(
        "mail",
        extra={"kind": task.mail, "task": task.task_id, "outcome": outcome, "channel": channel},
    )
    return outcome


def receipt_quota(deps: Deps) -> Quota:
    """Issue 18: a centre-wide cap on receipts (emails and SMS) per clock hour, so a flood of
    posts from many addresses cannot run up the SMS and mail bill. Past it the receipt is not
    sent (the inquiry is stored; the coordinator sees it) and the coordinator is told, once."""
    now = deps.clock.now()
    return Quota(
        key=f"receipts-{now:%Y%m%d%H}",
        limit=deps.settings.receipts_per_hour,
        until=now + timedelta(hours=deps.centre.retention.rate_limit_hours),
    )


BUILDERS: dict[str, Callable[[Deps, NotifyTask], OutgoingMail | None]] = {
    "receipt": residents.receipt,
    "coordinator_pretalk": staff.coordinator_pretalk,
    "coordinator_approval": staff.coordinator_approval,
    "coordinator_alert": staff.coordinator_alert,
    "coordinator_started": staff.coordinator_started,
    "offer": staff.offer,
    "invitation": residents.invitation,
    "confirmation": residents.confirmation,
    "followup_offer": staff.followup_offer,
    "followup_arranged": staff.followup_arranged,
    "survey": residents.survey,
    "reminder": residents.reminder,
    "calendar": calendar_mail.calendar,
    "group_message": calendar_mail.group_message,
    "replace_offer": staff.replace_offer,
    "new_facilitator": calendar_mail.new_facilitator,
    "still_waiting": waiting.still_waiting,
    "widen_offer": waiting.widen_offer,
}
