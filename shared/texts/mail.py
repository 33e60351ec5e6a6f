"""Emails: the receipt after a submission, and the mails to residents (M) and to staff (S).
English source texts.
"""

from __future__ import annotations

from typing import Final

from shared.catalogs import M, S, Texts

# The receipt email after a submission.
RECEIPT: Final = Texts(
    {
        "subject": M("receipt.subject", "We have received your sign-up ({reference})"),
        "greeting": M("receipt.greeting", "Hello"),
        "body": M(
            "receipt.body",
            "Thank you for contacting us. We will get in touch for a short pre-talk, and then find a group that suits you.",
        ),
        "reference": M("receipt.reference", "Your reference"),
        "erase_intro": M(
            "receipt.erase_intro",
            "Changed your mind? Here you can withdraw and erase your data at once:",
        ),
        "erase_button": M("receipt.erase_button", "Withdraw and erase my data"),
        "expires": M("receipt.expires", "The link works until"),
        "signature": M("receipt.signature", "Kind regards"),
    }
)

# Emails to residents (messages) and to staff (staff).
MAIL_TEXT: Final = Texts(
    {
        "reminder_subject": M(
            "mail.reminder_subject", "Reminder: your conversation group starts {first}"
        ),
        "reminder_body": M(
            "mail.reminder_body",
            "Welcome! The first meeting is in two days. Time and place are below; you received the calendar invitation earlier.",
        ),
        "retry_button": S("mail.retry_button", "Try again now"),
        "dissolve_button": S("mail.dissolve_button", "Dissolve the proposal"),
        "visit_date": S("mail.visit_date", "Date of the visit"),
        "unstaffed_meetings": S("mail.unstaffed_meetings", "Meetings without a facilitator"),
        "replacement_attempt": S("mail.replacement_attempt", "Search for a new facilitator, try"),
        "coordinator_alert_retry": S(
            "mail.coordinator_alert_retry",
            "We try again automatically in a week, and dissolve the proposal after a few tries (members keep their place in the queue). You can also try again now, for example after adding a facilitator.",
        ),
        "coordinator_started_subject": S(
            "mail.coordinator_started_subject", "The group has started: {topic}, {place}"
        ),
        "coordinator_started_body": S(
            "mail.coordinator_started_body",
            "The group has enough members and is starting. When it one day stops meeting, close it here to free its room.",
        ),
        "coordinator_started_button": S("mail.coordinator_started_button", "The group has ended"),
        "survey_subject": M(
            "mail.survey_subject", "How was the conversation group? (anonymous, 1 minute)"
        ),
        "survey_body": M(
            "mail.survey_body",
            "It is a while since your group started. Would you answer two short, anonymous questions?",
        ),
        "survey_button": M("mail.survey_button", "Answer the survey"),
        "hello": M("mail.hello", "Hello"),
        "regards": M("mail.regards", "Kind regards"),
        "topic": M("mail.topic", "Topic"),
        "where": M("mail.where", "Where"),
        "when": M("mail.when", "When"),
        "dates": M("mail.dates", "First meetings"),
        "language": S("mail.language", "Language"),
        "members": S("mail.members", "Members"),
        "size": S("mail.size", "Number of members"),
        "deadline": M("mail.deadline", "Answer by"),
        "alias": S("mail.alias", "Name/alias"),
        "municipality": S("mail.municipality", "Municipality"),
        "formats": S("mail.formats", "Format"),
        "times": S("mail.times", "Times"),
        "travel": S("mail.travel", "Can travel to"),
        "email": S("mail.email", "Email"),
        "phone": S("mail.phone", "Phone"),
        "message": S("mail.message", "Message"),
        "heard_from": S("mail.heard_from", "Heard of us from"),
        "digital": M("mail.digital", "Online"),
        "address": M("mail.address", "Address"),
        "room_floor": M("mail.room_floor", "Room"),
        "entry": M("mail.entry", "Getting in"),
        "step_free": M("mail.step_free", "Step-free entrance"),
        "step_free_yes": M("mail.step_free_yes", "Yes"),
        "step_free_no": M("mail.step_free_no", "No, there are steps"),
        "map_button": M("mail.map_button", "Show on the map"),
        "join_button": M("mail.join_button", "Join the meeting"),
        "digital_needs": M(
            "mail.digital_needs",
            "The group meets online, in a video room of its own. You need a phone or computer with a browser, earphones, and a quiet room where nobody overhears you. You do not need an account or an app.",
        ),
        "join_hint": M(
            "mail.join_hint",
            "Your personal link below opens the room from {minutes} minutes before each meeting until it ends. It is yours alone: please do not pass it on.",
        ),
        "coordinator_pretalk_subject": S(
            "mail.coordinator_pretalk_subject", "New sign-up – pre-talk ({reference})"
        ),
        "coordinator_pretalk_body": S(
            "mail.coordinator_pretalk_body",
            "A new person is waiting for a pre-talk. Their name, contact details and message are in the console (they are not sent by email). Call or write, and record the talk there.",
        ),
        "reference": S("mail.reference", "Reference"),
        "open_console": S("mail.open_console", "Open in the console"),
        "receipts_capped_subject": S(
            "mail.receipts_capped_subject", "The form's receipts have reached this hour's limit"
        ),
        "receipts_capped_body": S(
            "mail.receipts_capped_body",
            "More than {limit} people signed up within an hour, so the rest got no receipt this hour (their sign-ups are stored and waiting for a pre-talk). If you expected this, raise RECEIPTS_PER_HOUR; if not, the form may be misused.",
        ),
        "coordinator_pretalk_button": S(
            "mail.coordinator_pretalk_button", "Pre-talk held – add to queue"
        ),
        "coordinator_approval_subject": S(
            "mail.coordinator_approval_subject", "Group proposal: {topic}, {place}"
        ),
        "coordinator_approval_body": S(
            "mail.coordinator_approval_body",
            "Enough people fit together for a new group. Please review and approve.",
        ),
        "coordinator_approval_button": S("mail.coordinator_approval_button", "Approve the group"),
        "coordinator_alert_subject": S(
            "mail.coordinator_alert_subject", "Group without a facilitator: {topic}, {place}"
        ),
        "coordinator_alert_body": S(
            "mail.coordinator_alert_body",
            "No facilitator was free to take this group (or its follow-up). Please find a solution by hand.",
        ),
        "offer_subject": S(
            "mail.offer_subject", "Could you start a conversation group? {topic}, {place}"
        ),
        "offer_body": S(
            "mail.offer_body",
            "Hello {name}! A new group needs a facilitator for its first meetings.",
        ),
        "offer_accept": S("mail.offer_accept", "Yes, I will do it"),
        "offer_decline": S("mail.offer_decline", "No, I cannot"),
        "invitation_subject": M(
            "mail.invitation_subject", "Invitation to a conversation group: {topic}"
        ),
        "invitation_body": M(
            "mail.invitation_body",
            "We have found a group that fits your wishes. Would you like to join?",
        ),
        "invitation_accept": M("mail.invitation_accept", "Yes, I will join"),
        "invitation_decline": M("mail.invitation_decline", "No thanks"),
        "invitation_by_phone_subject": S(
            "mail.invitation_by_phone_subject", "Call with an invitation: {topic}, {place}"
        ),
        "invitation_by_phone_body": S(
            "mail.invitation_by_phone_body",
            "This member gave only a phone number. The number is in the console under Groups; call them and answer on their behalf there or with the links below.",
        ),
        "confirmation_subject": M(
            "mail.confirmation_subject", "Your group is ready – first meeting {first}"
        ),
        "confirmation_body": M(
            "mail.confirmation_body",
            "The group has enough members and is starting. The meetings are in the attached calendar file.",
        ),
        "followup_button": M("mail.followup_button", "Ask for a follow-up visit"),
        # issue 16: after the confirmation
        "leave_button": M("mail.leave_button", "I can't continue"),
        "ics_description": M(
            "mail.ics_description",
            "A conversation group of the self-help centre. The email with this invitation has the details.",
        ),
        "cal_update_subject": M(
            "mail.cal_update_subject", "Changed: your group's meetings ({topic})"
        ),
        "cal_update_body": M(
            "mail.cal_update_body",
            "Something has changed for your group's meetings. The attached calendar invitation updates them in your calendar; the details are below.",
        ),
        "cal_cancel_subject": M(
            "mail.cal_cancel_subject", "Cancelled: meetings of your group ({topic})"
        ),
        "cal_cancel_body": M(
            "mail.cal_cancel_body",
            "The meetings below are cancelled. The attached calendar message removes them from your calendar.",
        ),
        "cal_reason_left": M(
            "mail.cal_reason_left",
            "You have left the group. Thank you for the time you were there.",
        ),
        "cal_reason_group_cancelled": M(
            "mail.cal_reason_group_cancelled",
            "The group is cancelled before its first meeting. If you were waiting for a group, you keep your place in the queue, and we will be in touch when a new group is ready.",
        ),
        # issue 16: a facilitator replaced, a group moved
        "cal_reason_facilitator_released": S(
            "mail.cal_reason_facilitator_released",
            "Another facilitator takes over the group's remaining meetings, so they are removed from your calendar. Thank you for what you have done for the group.",
        ),
        "cal_reason_facilitator_taken": S(
            "mail.cal_reason_facilitator_taken",
            "Thank you for taking over this group. The meetings you lead are in the attached calendar invitation.",
        ),
        "cal_reason_group_moved": M(
            "mail.cal_reason_group_moved",
            "The group has moved to another weekly time or place. The new time and place are below and in the attached calendar invitation.",
        ),
        "replace_offer_subject": S(
            "mail.replace_offer_subject", "Could you take over a group? {topic}, {place}"
        ),
        "replace_offer_body": S(
            "mail.replace_offer_body",
            "Hello {name}! The facilitator of this group cannot continue. Could you lead its remaining meetings? The dates and place stay as they are.",
        ),
        "new_facilitator_subject": M(
            "mail.new_facilitator_subject", "New facilitator for your group ({topic})"
        ),
        "new_facilitator_body": M(
            "mail.new_facilitator_body",
            "{name} now leads your group's next meetings, because the facilitator you heard about cannot continue. Time and place stay as they were.",
        ),
        "message_subject": M("mail.message_subject", "Message about your group ({topic})"),
        "message_intro": M("mail.message_intro", "A message from the centre about your group:"),
        "followup_offer_subject": S(
            "mail.followup_offer_subject", "Follow-up visit to a group: {topic}, {place}"
        ),
        "followup_offer_body": S(
            "mail.followup_offer_body",
            "Hello {name}! The group asks for a follow-up visit. Could you come to one of the next meetings?",
        ),
        "followup_arranged_subject": S(
            "mail.followup_arranged_subject", "Follow-up visit arranged: {topic}, {place}"
        ),
        "followup_arranged_body": S(
            "mail.followup_arranged_body",
            "Thank you, {name}! You will visit the group at one of its next meetings.",
        ),
        "day_mon": M("mail.day_mon", "Mondays"),
        "day_tue": M("mail.day_tue", "Tuesdays"),
        "day_wed": M("mail.day_wed", "Wednesdays"),
        "day_thu": M("mail.day_thu", "Thursdays"),
        "day_fri": M("mail.day_fri", "Fridays"),
        "day_sat": M("mail.day_sat", "Saturdays"),
        "day_sun": M("mail.day_sun", "Sundays"),
    }
)
