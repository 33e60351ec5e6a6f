"""The person's own page (issue 17) and the messages that lead to it: the 12-week question and
the early widening offer (issue 21). English source texts; residents' domain (all eight languages).
"""

from __future__ import annotations

from typing import Final

from shared.catalogs import MP, M, Texts

ME: Final = Texts(
    {
        "title": M("me.title", "Your page"),
        "status_awaiting_pretalk": M(
            "me.status_awaiting_pretalk",
            "We have your sign-up. We will contact you for a short pre-talk.",
        ),
        "status_waiting": M(
            "me.status_waiting", "You are on the waiting list for a conversation group."
        ),
        "status_proposed": M(
            "me.status_proposed",
            "A group is being put together with you in it. You will hear from us soon.",
        ),
        "status_placed": M("me.status_placed", "You have a place in a conversation group."),
        "status_withdrawn": M(
            "me.status_withdrawn",
            "You have told us you no longer want a place. You can change your mind until {until}.",
        ),
        "waited_days": MP(
            "me.waited_days", "You have waited {n} day.", "You have waited {n} days."
        ),
        "waited_weeks": MP(
            "me.waited_weeks", "You have waited {n} week.", "You have waited {n} weeks."
        ),
        "why_heading": M("me.why_heading", "Why no group yet"),
        "why_people": M(
            "me.why_people",
            "Not enough people have yet asked for the same kind of group as you (topic, place, time and age).",
        ),
        "why_room": M(
            "me.why_room",
            "There is no free meeting room at the times and places you can meet.",
        ),
        "why_facilitator": M(
            "me.why_facilitator",
            "None of our volunteer facilitators can yet take a group at the times, places or in the language you have chosen.",
        ),
        "why_ready": M(
            "me.why_ready",
            "A group that suits you can be put together now; we will contact you soon.",
        ),
        "why_none": M(
            "me.why_none",
            "No kind of group fits all your wishes at the moment: meeting online or travelling would help.",
        ),
        "widen_heading": M("me.widen_heading", "This could give you a group sooner"),
        "widen_intro": M(
            "me.widen_intro", "Each choice adds to your wishes; you keep your place in the queue."
        ),
        "widen_digital": M("me.widen_digital", "I can also meet online"),
        "widen_place": M("me.widen_place", "I can also travel to {place}"),
        "widen_time": M("me.widen_time", "I can also meet: {time}"),
        "widen_age": M("me.widen_age", "A group with a wider age range is fine for me"),
        "widen_topic": M(
            "me.widen_topic", "A general group is fine for me too (for anyone, whatever the theme)"
        ),
        "widen_done": M(
            "me.widen_done", "Thank you. Your wishes are updated and we look for a group again."
        ),
        "still_heading": M("me.still_heading", "Do you still want a place in a group?"),
        "still_yes": M("me.still_yes", "Yes, I still want a place"),
        "still_no": M("me.still_no", "No, take me off the list"),
        "still_unsure": M("me.still_unsure", "I am not sure yet"),
        "still_done": M("me.still_done", "Thank you for your answer. You keep your place."),
        "undo": M("me.undo", "I want my place back"),
        "undo_done": M("me.undo_done", "Welcome back. You have your place in the queue again."),
        "withdrawn_done": M(
            "me.withdrawn_done",
            "You are off the waiting list. If you change your mind within 14 days, you get your place back.",
        ),
        "wishes_heading": M("me.wishes_heading", "Your wishes"),
        "wishes_save": M("me.wishes_save", "Save my wishes"),
        "wishes_done": M(
            "me.wishes_done", "Your wishes are saved. You keep your place in the queue."
        ),
        "wishes_locked": M(
            "me.wishes_locked",
            "Your wishes cannot be changed while a group is being decided for you.",
        ),
        "contact_heading": M("me.contact_heading", "How we reach you"),
        "contact_save": M("me.contact_save", "Save my contact details"),
        "contact_done": M("me.contact_done", "Your contact details are saved."),
        "data_heading": M("me.data_heading", "Everything we store about you"),
        "data_download": M("me.data_download", "Download it all (JSON)"),
        "leave_heading": M("me.leave_heading", "Withdraw or erase"),
        "withdraw": M("me.withdraw", "I no longer want a place"),
        "withdraw_explain": M(
            "me.withdraw_explain",
            "You leave the waiting list; for 14 days you can come back with your place.",
        ),
        "erase_explain": M(
            "me.erase_explain",
            "Erasing deletes your name, contact details and message at once. It cannot be undone.",
        ),
        "stale": M(
            "me.stale", "That could not be done now: the page has changed. Nothing was changed."
        ),
        "saved": M("me.saved", "Saved"),
        # the 12-week question and the widening offer (email and SMS)
        "ask_subject": M("me.ask_subject", "Do you still want a place in a conversation group?"),
        "ask_body": M(
            "me.ask_body",
            "You have been on our waiting list for a while. Do you still want a place? Answer on your page: yes, no or not sure. If you do not answer, you keep your place.",
        ),
        "ask_button": M("me.ask_button", "Answer on my page"),
        "offer_subject": M("me.offer_subject", "This could give you a group sooner"),
        "offer_body": M(
            "me.offer_body",
            "You have waited a while without a group. One change to your wishes would most likely give you one: {widening}. You can accept it with one click on your page, and you keep your place.",
        ),
        "offer_button": M("me.offer_button", "See it on my page"),
        "receipt_me": M(
            "me.receipt_me",
            "On your own page you can see where you stand, change your wishes, and see everything we store about you:",
        ),
        "receipt_me_button": M("me.receipt_me_button", "Open my page"),
        "sms_ask": M(
            "me.sms_ask",
            "{centre}: Do you still want a place in a group? Answer yes/no/not sure here: {link} (no answer keeps your place)",
        ),
        "sms_offer": M(
            "me.sms_offer", "{centre}: This could give you a group sooner: {widening}. {link}"
        ),
        "sms_offer_short": M(
            "me.sms_offer_short", "{centre}: One change could give you a group sooner: {link}"
        ),
        "sms_receipt": M("me.sms_receipt", "{centre}: Ref. {reference}. Your page: {link}"),
    }
)

# the readable page of everything stored: field names a person understands
DATA_LABELS: Final = Texts(
    {
        "name": M("data.name", "Name"),
        "email": M("data.email", "Email"),
        "phone": M("data.phone", "Phone"),
        "message": M("data.message", "Message"),
        "status": M("data.status", "Status"),
        "reference": M("data.reference", "Reference"),
        "created_at": M("data.created_at", "Signed up"),
        "queued_at": M("data.queued_at", "In the queue since"),
        "other": M("data.other", "Other stored fields"),
        "groups": M("data.groups", "Groups"),
        "links": M("data.links", "Links sent to you"),
    }
)
