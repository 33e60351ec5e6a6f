"""SMS to residents who gave only a phone number (English source texts)."""

from __future__ import annotations

from typing import Final

from shared.catalogs import M, Texts

# SMS to people who gave only a phone number (issue 11). Each kind has variants,
# longest first; the first that fits in two segments is sent (workflows/messaging/texting.py). The shortest
# always fits when the link base is at most 31 characters (README § SMS): its page says the rest.
SMS: Final = Texts(
    {
        "receipt": M(
            "sms.receipt",
            "{centre}: Thank you! We have your inquiry (ref. {reference}) and will be in touch. To withdraw it and erase your data: {link}",
        ),
        "receipt_short": M("sms.receipt_short", "Ref. {reference}. Erase your data: {link}"),
        "receipt_min": M("sms.receipt_min", "Erase: {link}"),
        "invitation": M(
            "sms.invitation",
            "You are invited to a conversation group: {topic}, {place}, {when}, first meeting {first}. Answer by {deadline}. Yes: {accept} No: {decline}",
        ),
        "invitation_short": M(
            "sms.invitation_short",
            "Invitation to a conversation group, answer by {deadline}. Yes: {accept} No: {decline}",
        ),
        "invitation_min": M("sms.invitation_min", "Yes: {accept} No: {decline}"),
        "confirmation": M(
            "sms.confirmation",
            "{centre}: Your conversation group is ready: {topic}, {place}, {when}. First meeting {first}. Welcome!",
        ),
        "confirmation_short": M(
            "sms.confirmation_short", "Your group is ready. First meeting {first}, {place}."
        ),
        "confirmation_min": M("sms.confirmation_min", "First meeting {first}."),
        # issue 16: a phone-only member's meetings changed or were cancelled
        "changed": M(
            "sms.changed",
            "{centre}: Change to your group ({topic}): meeting {dates}, {when}, {place}.",
        ),
        "changed_short": M("sms.changed_short", "Change to your group: {dates}, {place}."),
        "changed_min": M("sms.changed_min", "Group changed: {dates}."),
        "cancelled": M(
            "sms.cancelled",
            "{centre}: Cancelled: your group's meeting {dates} ({topic}). Please remove it from your calendar.",
        ),
        "cancelled_short": M("sms.cancelled_short", "Cancelled: group meeting {dates}."),
        "cancelled_min": M("sms.cancelled_min", "Cancelled: {dates}."),
        # issue 16: the group's facilitator was replaced
        "new_facilitator": M(
            "sms.new_facilitator",
            "{centre}: {name} now leads your group ({topic}). Time and place stay the same.",
        ),
        "new_facilitator_short": M(
            "sms.new_facilitator_short", "{name} now leads your group. Same time and place."
        ),
        "new_facilitator_min": M("sms.new_facilitator_min", "New group leader: {name}."),
        "reminder": M(
            "sms.reminder", "{centre}: Reminder: the group's first meeting is {first}, {place}."
        ),
        "reminder_short": M("sms.reminder_short", "First meeting: {first}, {place}."),
        "reminder_min": M("sms.reminder_min", "First meeting: {first}."),
        "survey": M(
            "sms.survey",
            "{centre}: How has the conversation group been for you? Answer anonymously: {link}",
        ),
        "survey_short": M("sms.survey_short", "How was the group? {link}"),
        "survey_min": M("sms.survey_min", "{link}"),
    }
)
