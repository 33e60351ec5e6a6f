"""The console's log (issue 9): who did what and when, written in the same transaction as the
change. Ids and action kinds only, never names, contacts or free text; the console's log page
turns them into words when it shows them (issue 22).

Here, below the console and the email links, so that both write it: an action taken through an
email link is in the log as well as one taken in the console (issue 22).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from shared.ports import Tx

AUDIT_KEEP = timedelta(days=400)  # a year of work plus the time to answer for it

# Who acted, when it was not a signed-in coordinator (whose id is the actor): an email link.
BY_COORDINATOR_LINK = "coordinator_link"  # a link in a mail to the centre's coordinators
BY_MEMBER = "member"  # a member's own link (which member is not kept: the group is the subject)
BY_RESIDENT = "resident"  # a person's own erase link
BY_FACILITATOR = "facilitator"  # the group's facilitator; "facilitator:<id>" when the link says who


def audit(tx: Tx, now: datetime, actor: str, action: str, subject: str = "") -> None:
    """Who did what and when: ids and action kinds only (no names, contacts or free text)."""
    tx.create(
        f"audit/{uuid.uuid4().hex}",
        {
            "at": now,
            "actor": actor,
            "action": action,
            "subject": subject,
            "expire_at": now + AUDIT_KEEP,
        },
    )
