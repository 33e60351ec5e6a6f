"""Every sentence a resident reads, and the staff texts of emails and link pages — as English
source texts, keyed; the translations live in gettext catalogs (shared/catalogs.py, README §
Translations). `M` marks what residents read (all eight languages), `S` what staff read (bokmål,
nynorsk, English), `MP` a text with a number (plural forms per language).
"""

from __future__ import annotations

from typing import Final, get_args

from shared.catalogs import MP, M, S, Texts
from shared.config import Lang

# Residents' languages (DESIGN.md): the form's picker lists them in this order.
LANGS: Final[tuple[Lang, ...]] = get_args(Lang)
STAFF_LANGS: Final[tuple[Lang, ...]] = ("nb", "nn", "en")
# Each language's own name, for the picker (not translated: a reader looks for their own).
NATIVE_NAMES: Final[dict[str, str]] = {
    "nb": "Norsk bokmål",
    "nn": "Norsk nynorsk",
    "en": "English",
    "uk": "Українська",
    "pl": "Polski",
    "ar": "العربية",
    "so": "Soomaali",
    "ti": "ትግርኛ",
}
RTL: Final = frozenset({"ar"})

# The form's field names, as errors name them.
FIELD_LABELS: Final = Texts(
    {
        "name": M("field.name", "First name or alias"),
        "email": M("field.email", "Email"),
        "phone": M("field.phone", "Phone"),
        "municipality": M("field.municipality", "Municipality"),
        "topics": M("field.topics", "Topics"),
        "formats": M("field.formats", "Format"),
        "times": M("field.times", "Times"),
        "languages": M("field.languages", "Languages"),
        "travel": M("field.travel", "Other municipalities you can travel to"),
        "heard_from": M("field.heard_from", "How did you hear about us?"),
        "age_band": M("field.age_band", "Age group"),
        "message": M("field.message", "Message"),
        "consent": M("field.consent", "Consent"),
        "adult": M("field.adult", "Age"),
        "body": M("field.body", "Form"),
    }
)

# Errors beside a field; {label} is the field's name.
ERRORS: Final = Texts(
    {
        "required": M("error.required", "{label}: this is required."),
        "not_text": M("error.not_text", "{label}: must be text."),
        "not_list": M("error.not_list", "{label}: must be a list of choices."),
        "too_long": MP(
            "error.too_long",
            "{label}: at most {max} character.",
            "{label}: at most {max} characters.",
        ),
        "invalid_email": M(
            "error.invalid_email", "{label}: this does not look like a valid email address."
        ),
        "invalid_phone": M(
            "error.invalid_phone", "{label}: this does not look like a valid phone number."
        ),
        "contact_required": M(
            "error.contact_required", "Give an email address or a phone number so we can reach you."
        ),
        "unknown_choice": M(
            "error.unknown_choice", "{label}: “{value}” is not one of the choices."
        ),
        "choose_one": M("error.choose_one", "{label}: choose at least one option."),
        "consent_required": M(
            "error.consent_required",
            "You must consent to us storing this information so we can find a group for you.",
        ),
        "adult_required": M("error.adult_required", "The groups are for people aged 18 or older."),
        "not_boolean": M("error.not_boolean", "{label}: must be yes or no."),
        "unknown_field": M("error.unknown_field", "Unknown field “{value}”."),
        "invalid_json": M(
            "error.invalid_json", "The form could not be read (not a valid JSON object)."
        ),
        "travel_own": M(
            "error.travel_own", "{label}: your own municipality need not be chosen here."
        ),
    }
)

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
        "submit": M("ui.submit", "Send sign-up"),
        "errors_heading": M(
            "ui.errors_heading", "Something needs fixing before we can accept the sign-up:"
        ),
        "privacy": M(
            "ui.privacy",
            "We store only what you write here, for as long as we need it to find a group. The groups are anonymous and municipalities never receive lists of names.",
        ),
        "thanks_title": M("ui.thanks_title", "Thank you for signing up"),
        "thanks_body": M(
            "ui.thanks_body", "We have received your inquiry and will contact you for a pre-talk."
        ),
        "thanks_reference": M("ui.thanks_reference", "Your reference is"),
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
        "coordinator_pretalk_subject": S(
            "mail.coordinator_pretalk_subject", "New sign-up – pre-talk ({reference})"
        ),
        "coordinator_pretalk_body": S(
            "mail.coordinator_pretalk_body",
            "A new person is waiting for a pre-talk. Their name, contact details and message are in the console (they are not sent by email). Call or write, and record the talk there.",
        ),
        "reference": S("mail.reference", "Reference"),
        "open_console": S("mail.open_console", "Open in the console"),
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


def text_direction(lang: str) -> str:
    return "rtl" if lang in RTL else "ltr"


def field_label(field: str, lang: Lang) -> str:
    return FIELD_LABELS[lang][field] if field in FIELD_LABELS.source else field


def error_text(code: str, field: str, lang: Lang, **params: object) -> str:
    t = ERRORS[lang]
    count = params.get("max")
    template = t.plural(code, count) if isinstance(count, int) else t[code]
    return template.format(label=field_label(field, lang), **params)


def pick_lang(
    candidate: str | None, default: Lang = "nb", offered: tuple[Lang, ...] = LANGS
) -> Lang:
    """Choose a language from a query value or an Accept-Language header (first match wins);
    staff pages pass `offered=STAFF_LANGS`."""
    if not candidate:
        return default
    for part in candidate.replace(" ", "").split(","):
        primary = part.split(";")[0].lower().split("-")[0]
        if primary == "no":
            primary = "nb"
        for lang in offered:
            if primary == lang:
                return lang
    return default
