"""What a resident reads about the centre itself (issue 22): what happens after they sign up, how
to reach the centre, where to get urgent help, and the privacy and accessibility statements — as
English source texts in the residents' catalog (domain "messages", all eight languages).
"""

from __future__ import annotations

from typing import Final

from shared.catalogs import MP, M, Texts

# National numbers, the same for every centre (helsenorge.no; Mental Helse's helpline is open day
# and night): (what the reader dials, for a tel: link, the text that says what it is for).
URGENT_NUMBERS: Final = (
    ("113", "113", "urgent_ambulance"),
    ("116 117", "116117", "urgent_legevakt"),
    ("116 123", "116123", "urgent_helpline"),
)

RESIDENT: Final = Texts(
    {
        # what happens next: the thank-you page and the receipt
        "next_heading": M("next.heading", "What happens next"),
        "next_pretalk": MP(
            "next.pretalk",
            "Within {n} day, a coordinator at {centre} calls you or writes to you for a short pre-talk about what you want from a group.",
            "Within {n} days, a coordinator at {centre} calls you or writes to you for a short pre-talk about what you want from a group.",
        ),
        "next_calls_from": M(
            "next.calls_from", "Our calls come from {phone}. If you miss one, call us back."
        ),
        "next_waiting": M(
            "next.waiting",
            "You are now on the waiting list, and we look for a group that fits your wishes.",
        ),
        "next_group": M(
            "next.group",
            "When enough people with wishes like yours are waiting, we put a group together. You get an invitation with the place, the weekday and time and the first dates, and you answer yes or no. This can take a few weeks, sometimes longer.",
        ),
        "next_withdraw": M(
            "next.withdraw",
            "You can withdraw at any time, with the link in your receipt or by contacting us.",
        ),
        # the footer of every resident page and email
        "contact_heading": M("contact.heading", "Contact us"),
        "contact_phone": M("contact.phone", "Phone"),
        "contact_email": M("contact.email", "Email"),
        "contact_hours": M("contact.hours", "weekdays {start}–{end}"),
        "privacy_link": M("contact.privacy_link", "Privacy statement"),
        "accessibility_link": M("contact.accessibility_link", "Accessibility statement"),
        # urgent help: the form and the thank-you page
        "urgent_heading": M("urgent.heading", "Need help now?"),
        "urgent_intro": M(
            "urgent.intro",
            "We do not read this form at once, so it is not for emergencies. Call instead:",
        ),
        "urgent_ambulance": M("urgent.ambulance", "Medical emergency (ambulance)"),
        "urgent_legevakt": M("urgent.legevakt", "Out-of-hours doctor (legevakt)"),
        "urgent_helpline": M(
            "urgent.helpline", "Someone to talk to, day and night (Mental Helse's helpline)"
        ),
        # the privacy statement
        "privacy_title": M("privacy.title", "Privacy statement"),
        "privacy_controller": M(
            "privacy.controller",
            "{centre} is responsible for the information you give us (the data controller). Questions about your information: write to {email} or call {phone}.",
        ),
        "privacy_what_heading": M("privacy.what_heading", "What we store"),
        "privacy_what": M(
            "privacy.what",
            "Your first name or an alias, how to reach you (email or phone), your municipality, your wishes for a group (topics, how and when you can meet, languages, age group), how you heard about us, and your message if you write one. We never ask for your national identity number, your date of birth or a diagnosis.",
        ),
        "privacy_why_heading": M("privacy.why_heading", "Why, and on what basis"),
        "privacy_why": M(
            "privacy.why",
            "We use the information only to find a conversation group for you and to contact you about it. What you write can say something about your health or your life, so we treat it as sensitive information and store it only with your explicit consent (GDPR articles 6 and 9).",
        ),
        "privacy_who_heading": M("privacy.who_heading", "Who sees it"),
        "privacy_who": M(
            "privacy.who",
            "Only the centre's coordinators see your contact details and your message. The other members of a group and its facilitator never get your contact details from us. Municipalities get anonymous numbers only, never names or lists of participants.",
        ),
        "privacy_keep_heading": M("privacy.keep_heading", "How long we keep it"),
        "privacy_keep": M(
            "privacy.keep",
            "If you do not get a place in a group, we delete your information {unplaced} days after you signed up. If you join a group, we delete it {placed} days after the facilitator's last meeting with the group. Anonymous counts remain; they cannot be traced back to you.",
        ),
        "privacy_processors_heading": M("privacy.processors_heading", "Who handles it for us"),
        "privacy_processors": M(
            "privacy.processors",
            "The service runs on Google Cloud, in data centres in the EU/EEA. Emails and text messages are delivered by providers that send them on our behalf.",
        ),
        "privacy_rights_heading": M("privacy.rights_heading", "Your rights"),
        "privacy_rights": M(
            "privacy.rights",
            "You can ask to see what we store about you, have it corrected or deleted, and withdraw your consent at any time. The link in your receipt deletes your information at once. If you think we handle your information wrongly, you can complain to the Norwegian Data Protection Authority (Datatilsynet, datatilsynet.no).",
        ),
        # the accessibility statement (tilgjengelighetserklæring)
        "a11y_title": M("a11y.title", "Accessibility statement"),
        "a11y_intro": M(
            "a11y.intro",
            "{centre} wants everyone to be able to use this form and the pages behind the links in our emails and text messages. They are made to meet the WCAG 2.1 guidelines at level AA.",
        ),
        "a11y_checked_heading": M("a11y.checked_heading", "How we check"),
        "a11y_checked": M(
            "a11y.checked",
            "Every page is checked automatically with axe-core in a real browser, on a phone-sized and a desktop-sized screen. The form is tested with the keyboard alone, and the Arabic pages from right to left.",
        ),
        "a11y_known_heading": M("a11y.known_heading", "What does not work well yet"),
        "a11y_known": M(
            "a11y.known",
            "The texts in Ukrainian, Polish, Arabic, Somali and Tigrinya were translated with machine help and have not yet been checked by native speakers. The pages have not yet been tested by people who use screen readers or other assistive technology.",
        ),
        "a11y_feedback_heading": M("a11y.feedback_heading", "Tell us about problems"),
        "a11y_feedback": M(
            "a11y.feedback",
            "If something does not work for you, write to {email} or call {phone}, and we will help you sign up another way.",
        ),
        "a11y_authority": M(
            "a11y.authority",
            "If you are not satisfied with our answer, you can tell the Norwegian Authority for Universal Design of ICT (Tilsynet for universell utforming av ikt, uutilsynet.no).",
        ),
        "a11y_reviewed": M("a11y.reviewed", "This statement was last reviewed on {date}."),
    }
)
