"""The pages a person opens: the form, the thank-you page and the page frame (residents), and
the pages behind links in emails and SMS (residents' and staff's). English source texts.
"""

from __future__ import annotations

from typing import Final

from shared.catalogs import M, S, Texts

# The form, the thank-you page and the page frame.
UI: Final = Texts(
    {
        "html_lang": M("ui.html_lang", "en"),
        "title": M("ui.title", "Sign up for a conversation group"),
        "intro": M(
            "ui.intro",
            "Would you like to talk with others in the same situation? Fill in the form and we will contact you for a short pre-talk. It is free and needs no referral.",
        ),
        "required_note": M("ui.required_note", "Fields marked * are required."),
        "name_hint": M(
            "ui.name_hint", "Just a first name or an alias – we do not need your surname."
        ),
        "contact_legend": M("ui.contact_legend", "How can we reach you? (at least one)"),
        "phone_hint": M("ui.phone_hint", "Norwegian numbers can be written without +47."),
        "municipality_other": M("ui.municipality_other", "Another municipality"),
        "choose": M("ui.choose", "Choose …"),
        "topics_hint": M(
            "ui.topics_hint", "Choose one or more topics. “General group” suits everyone."
        ),
        "format_in_person": M("ui.format_in_person", "Meeting in person"),
        "format_digital": M("ui.format_digital", "Meeting online"),
        "time_weekday_daytime": M("ui.time_weekday_daytime", "Weekdays, daytime"),
        "time_weekday_evening": M("ui.time_weekday_evening", "Weekdays, evening"),
        "time_weekend": M("ui.time_weekend", "Weekend"),
        "languages_hint": M(
            "ui.languages_hint",
            "Languages you can speak in the group, as codes (for example no, en, uk). Separate with commas.",
        ),
        "travel_hint": M(
            "ui.travel_hint", "Optional: municipalities you can travel to for a group."
        ),
        "message_hint": M(
            "ui.message_hint",
            "Optional, at most 1000 characters. Do not write health details you do not want to share.",
        ),
        "consent_label": M(
            "ui.consent_label",
            "I consent to LINK storing this information to find a group for me. I can withdraw my consent at any time.",
        ),
        "adult_label": M("ui.adult_label", "I am 18 or older."),
        "step_free_label": M(
            "ui.step_free_label", "I need a step-free entrance (no stairs or steps)"
        ),
        "submit": M("ui.submit", "Send sign-up"),
        "errors_heading": M(
            "ui.errors_heading", "Something needs fixing before we can accept the sign-up:"
        ),
        "error_title": M("ui.error_title", "Error: {title}"),
        "error_label": M("ui.error_label", "Error"),
        "privacy": M(
            "ui.privacy",
            "We store only what you write here, for as long as we need it to find a group. The groups are anonymous and municipalities never receive lists of names.",
        ),
        "thanks_title": M("ui.thanks_title", "Thank you for signing up"),
        "thanks_body": M(
            "ui.thanks_body", "We have received your inquiry and will contact you for a pre-talk."
        ),
        "thanks_reference": M("ui.thanks_reference", "Your reference is"),
        "thanks_no_reference": M(
            "ui.thanks_no_reference",
            "This page no longer shows your reference. You find it in the receipt we sent you.",
        ),
        "thanks_email": M(
            "ui.thanks_email",
            "If you gave an email address, you will receive a receipt with a link where you can withdraw and erase your data.",
        ),
        "heard_self": M("ui.heard_self", "Found it myself"),
        "heard_nav": M("ui.heard_nav", "NAV"),
        "heard_municipal_service": M("ui.heard_municipal_service", "A municipal service"),
        "heard_health_service": M("ui.heard_health_service", "The health service"),
        "heard_organisation": M("ui.heard_organisation", "An organisation"),
        "heard_friend_family": M("ui.heard_friend_family", "Friends or family"),
        "heard_media": M("ui.heard_media", "Media or social media"),
        "heard_other": M("ui.heard_other", "Other"),
        "optional": M("ui.optional", "optional"),
        "too_many": M(
            "ui.too_many",
            "Many sign-ups have been sent from this connection in the last hour. Please try again later, or call us.",
        ),
        "lang_switch": M("ui.lang_switch", "Language"),
    }
)

# The pages behind links in emails and SMS (residents' and staff's).
ACTIONS: Final = Texts(
    {
        "retry_staffing_heading": S(
            "actions.retry_staffing_heading", "Look for a facilitator again"
        ),
        "retry_staffing_explain": S(
            "actions.retry_staffing_explain",
            "We ask every facilitator again, on every weekday and time the members allow. Do this for example after adding a new facilitator.",
        ),
        "retry_staffing_button": S("actions.retry_staffing_button", "Try again now"),
        "retry_staffing_done_heading": S("actions.retry_staffing_done_heading", "Trying again"),
        "retry_staffing_done": S(
            "actions.retry_staffing_done", "A facilitator who can will get an offer by email."
        ),
        "dissolve_group_heading": S(
            "actions.dissolve_group_heading", "Dissolve the proposed group"
        ),
        "dissolve_group_explain": S(
            "actions.dissolve_group_explain",
            "The members go back to the queue and keep their place. The room and the facilitator's dates are freed.",
        ),
        "dissolve_group_button": S("actions.dissolve_group_button", "Dissolve the proposal"),
        "dissolve_group_done_heading": S(
            "actions.dissolve_group_done_heading", "The proposal is dissolved"
        ),
        "dissolve_group_done": S(
            "actions.dissolve_group_done",
            "The members are back in the queue, in their original place.",
        ),
        "close_group_heading": S("actions.close_group_heading", "Close the group"),
        "close_group_explain": S(
            "actions.close_group_explain",
            "Do this when the group no longer meets. Its room becomes free for a new group. Anonymous statistics are not affected.",
        ),
        "close_group_button": S("actions.close_group_button", "The group has ended"),
        "close_group_done_heading": S("actions.close_group_done_heading", "The group is closed"),
        "close_group_done": S("actions.close_group_done", "The room is free again."),
        "leave_group_heading": M("actions.leave_group_heading", "Leave the group"),
        "leave_group_explain": M(
            "actions.leave_group_explain",
            "If you can't continue in the group, tell us here. The group's meetings are then removed from your calendar. Nobody in the group is told why.",
        ),
        "leave_group_back": M(
            "actions.leave_group_back",
            "Put me back in the queue for another group (I keep my place)",
        ),
        "leave_group_button": M("actions.leave_group_button", "Leave the group"),
        "leave_group_done_heading": M(
            "actions.leave_group_done_heading", "You have left the group"
        ),
        "leave_group_done": M(
            "actions.leave_group_done",
            "Thank you for telling us. You will get an email that removes the meetings from your calendar.",
        ),
        "survey_heading": M("actions.survey_heading", "How was the group?"),
        "survey_explain": M(
            "actions.survey_explain",
            "Your answers are anonymous: stored without your name or any link to you, and used only in counts.",
        ),
        "survey_button": M("actions.survey_button", "Send answers"),
        "survey_done_heading": M("actions.survey_done_heading", "Thank you for answering"),
        "survey_done": M("actions.survey_done", "Your answer helps us make the groups better."),
        "survey_q1": M(
            "actions.survey_q1",
            "How satisfied are you with the conversation group? (1 = little, 5 = very)",
        ),
        "survey_q2": M("actions.survey_q2", "Would you recommend a conversation group to others?"),
        "yes": M("actions.yes", "Yes"),
        "no": M("actions.no", "No"),
        "confirm_pretalk_heading": S("actions.confirm_pretalk_heading", "Confirm pre-talk"),
        "confirm_pretalk_explain": S(
            "actions.confirm_pretalk_explain",
            "Confirm that the pre-talk took place. Adjust the wishes below if you agreed on something else; the person then joins the queue for groups.",
        ),
        "confirm_pretalk_button": S(
            "actions.confirm_pretalk_button", "Pre-talk held – add to queue"
        ),
        "confirm_pretalk_done_heading": S(
            "actions.confirm_pretalk_done_heading", "The pre-talk is recorded"
        ),
        "confirm_pretalk_done": S(
            "actions.confirm_pretalk_done",
            "The person is now in the queue, keeping their original place.",
        ),
        "approve_group_heading": S("actions.approve_group_heading", "Approve group proposal"),
        "approve_group_explain": S(
            "actions.approve_group_explain",
            "When you approve, we ask a facilitator and then invite the members.",
        ),
        "approve_group_button": S("actions.approve_group_button", "Approve the group"),
        "approve_group_done_heading": S(
            "actions.approve_group_done_heading", "The group is approved"
        ),
        "approve_group_done": S("actions.approve_group_done", "We are now asking a facilitator."),
        "accept_offer_heading": S("actions.accept_offer_heading", "Accept the assignment"),
        "accept_offer_explain": S(
            "actions.accept_offer_explain",
            "Confirm that you can facilitate the group on the dates given.",
        ),
        "accept_offer_button": S("actions.accept_offer_button", "Yes, I will do it"),
        "accept_offer_done_heading": S(
            "actions.accept_offer_done_heading", "Thank you! The assignment is yours"
        ),
        "accept_offer_done": S(
            "actions.accept_offer_done",
            "You will get a confirmation with a calendar invitation once enough members have accepted.",
        ),
        "decline_offer_heading": S("actions.decline_offer_heading", "Decline the assignment"),
        "decline_offer_explain": S(
            "actions.decline_offer_explain", "That is fine – we will ask another facilitator."
        ),
        "decline_offer_button": S("actions.decline_offer_button", "No, I cannot"),
        "decline_offer_done_heading": S(
            "actions.decline_offer_done_heading", "Thank you for answering"
        ),
        "decline_offer_done": S("actions.decline_offer_done", "We will ask someone else."),
        "accept_invitation_heading": M("actions.accept_invitation_heading", "Join the group"),
        "accept_invitation_explain": M(
            "actions.accept_invitation_explain",
            "Confirm that you want to join the conversation group.",
        ),
        "accept_invitation_button": M("actions.accept_invitation_button", "Yes, I will join"),
        "accept_invitation_done_heading": M(
            "actions.accept_invitation_done_heading", "Welcome to the group"
        ),
        "accept_invitation_done": M(
            "actions.accept_invitation_done",
            "You will get a confirmation with the dates once the group is ready.",
        ),
        "decline_invitation_heading": M("actions.decline_invitation_heading", "Decline the group"),
        "decline_invitation_explain": M(
            "actions.decline_invitation_explain",
            "You keep your wish for a group, and we will try again later.",
        ),
        "decline_invitation_button": M(
            "actions.decline_invitation_button", "No thanks, not this group"
        ),
        "decline_invitation_done_heading": M(
            "actions.decline_invitation_done_heading", "Thank you for answering"
        ),
        "decline_invitation_done": M(
            "actions.decline_invitation_done", "You are still in the queue for another group."
        ),
        "request_followup_heading": M("actions.request_followup_heading", "Ask for a follow-up"),
        "request_followup_explain": M(
            "actions.request_followup_explain",
            "We will ask a facilitator to visit the group for a follow-up.",
        ),
        "request_followup_button": M("actions.request_followup_button", "Ask for a follow-up"),
        "request_followup_done_heading": M(
            "actions.request_followup_done_heading", "The request is sent"
        ),
        "request_followup_done": M(
            "actions.request_followup_done", "A facilitator will be in touch about a visit."
        ),
        "stale_heading": M("actions.stale_heading", "This is no longer open"),
        "stale": M(
            "actions.stale",
            "The request has already been settled or is no longer open. Nothing was changed.",
        ),
        "erase_heading": M("actions.erase_heading", "Withdraw and erase your data"),
        "erase_explain": M(
            "actions.erase_explain",
            "When you confirm, we delete your name, your contact details and your message at once, and you are no longer on the waiting list. Anonymous statistics are not affected.",
        ),
        "erase_button": M("actions.erase_button", "Yes, erase my data"),
        "erase_done_heading": M("actions.erase_done_heading", "Your data has been erased"),
        "erase_done": M(
            "actions.erase_done",
            "We have erased your data. You are welcome back whenever you like.",
        ),
        "used_heading": M("actions.used_heading", "This link has already been used"),
        "used": M(
            "actions.used",
            "The action has already been carried out, so the link no longer works. Contact us if anything is unclear.",
        ),
        "expired_heading": M("actions.expired_heading", "This link has expired"),
        "expired": M(
            "actions.expired", "The link is too old to use. Contact us and we will help you."
        ),
        "invalid_heading": M("actions.invalid_heading", "This link does not work"),
        "invalid": M(
            "actions.invalid",
            "The link is incomplete or invalid. Try copying the whole link from the email.",
        ),
    }
)

# The page behind a personal join link (issue 16): it forwards only inside a meeting's window.
JOIN: Final = Texts(
    {
        "heading": M("join.heading", "Your group's meeting room"),
        "before": M(
            "join.before",
            "The room opens {minutes} minutes before the meeting. The next meeting is {when}. Open this link again then.",
        ),
        "over": M("join.over", "The group's meetings with this link are over."),
        "left": M(
            "join.left",
            "This link no longer works, because you are no longer in this group. If you think this is a mistake, contact the centre.",
        ),
        "no_room": M(
            "join.no_room",
            "The meeting room is not ready yet. The centre will tell you where to meet; please contact them.",
        ),
        "invalid": M(
            "join.invalid",
            "This link is not valid. Check that you copied all of it, or contact the centre.",
        ),
    }
)
