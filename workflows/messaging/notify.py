"""notify: render and send one message the chain asks for, at most once (lease-guarded).

An email to whoever has an address (residents.py, staff.py), an SMS to a resident who gave only a
phone number (texting.py, issue 11); how a group is described is in describe.py.
"""

from __future__ import annotations

from collections.abc import Callable

from shared import logs
from shared.ports import OutgoingMail, OutgoingSms
from workflows.messaging import residents, staff, texting, waiting
from workflows.messaging.mailing import SendOutcome, send_once
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
    outcome = send_once(deps, mail)
    channel = "sms" if isinstance(mail, OutgoingSms) else "email"
    log.info(
        "mail",
        extra={"kind": task.mail, "task": task.task_id, "outcome": outcome, "channel": channel},
    )
    return outcome


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
    "still_waiting": waiting.still_waiting,
    "widen_offer": waiting.widen_offer,
}
