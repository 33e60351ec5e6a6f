"""Texts of the coordinator console and the facilitator's own page (issue 9), as English source
texts; bokmål and nynorsk are in the "staff" gettext catalogs (shared/catalogs.py)."""

from __future__ import annotations

from typing import Final

from shared.catalogs import S, Texts

# Every text of the coordinator console and the facilitator's own page.
CONSOLE: Final = Texts(
    {
        "html_lang": S("console.html_lang", "en"),
        "console": S("console.console", "Coordinator"),
        "skip": S("console.skip", "Skip to content"),
        "nav_label": S("console.nav_label", "Console menu"),
        "lang_label": S("console.lang_label", "Language"),
        "nav_overview": S("console.nav_overview", "Overview"),
        "nav_pretalk": S("console.nav_pretalk", "Pre-talks"),
        "nav_pool": S("console.nav_pool", "Pool"),
        "nav_groups": S("console.nav_groups", "Groups"),
        "nav_facilitators": S("console.nav_facilitators", "Facilitators"),
        "nav_venues": S("console.nav_venues", "Venues"),
        "nav_find": S("console.nav_find", "Find person"),
        "nav_audit": S("console.nav_audit", "Log"),
        "sign_out": S("console.sign_out", "Sign out"),
        "signin_heading": S("console.signin_heading", "Sign in as coordinator"),
        "signin_intro": S(
            "console.signin_intro",
            "Enter your email address. If it is registered as a coordinator, you get a link that signs you in. The link works for 15 minutes and once.",
        ),
        "email": S("console.email", "Email address"),
        "send_link": S("console.send_link", "Send me a link"),
        "signin_sent_heading": S("console.signin_sent_heading", "Check your email"),
        "signin_sent": S(
            "console.signin_sent",
            "If this address belongs to a coordinator, a sign-in link is on its way. It works for 15 minutes.",
        ),
        "login_heading": S("console.login_heading", "Sign in"),
        "login_intro": S(
            "console.login_intro",
            "Press the button to sign in to the console. You stay signed in for 12 hours, or until you sign out.",
        ),
        "login_button": S("console.login_button", "Sign in"),
        "login_invalid": S(
            "console.login_invalid",
            "This link is invalid, already used or expired. Ask for a new link.",
        ),
        "login_mail_subject": S("console.login_mail_subject", "Sign in to the coordinator console"),
        "login_mail_body": S(
            "console.login_mail_body",
            "Here is the link that signs you in to the console. It works for {minutes} minutes and once. If you did not ask for it, you can ignore this email.",
        ),
        "new_link": S("console.new_link", "Ask for a new link"),
        "signed_out": S("console.signed_out", "You are signed out."),
        "forbidden_heading": S("console.forbidden_heading", "The form had expired"),
        "forbidden": S(
            "console.forbidden",
            "The page was too old, or you are signed out. Go back, reload the page and try again.",
        ),
        "not_found": S("console.not_found", "Page not found."),
        "done": S("console.done", "Saved."),
        "stale": S(
            "console.stale",
            "This was already done, or things have changed. The page shows how they stand now.",
        ),
        "overview_heading": S("console.overview_heading", "Overview"),
        "today": S("console.today", "What needs you today"),
        "nothing_today": S("console.nothing_today", "Nothing needs you right now."),
        "goals": S("console.goals", "Goals for {year}"),
        "goal_groups": S("console.goal_groups", "Groups started"),
        "goal_facilitators": S("console.goal_facilitators", "Trained facilitators"),
        "goal_placed": S("console.goal_placed", "People placed in a group"),
        "of": S("console.of", "of"),
        "count_pretalk": S("console.count_pretalk", "awaiting a pre-talk"),
        "count_waiting": S("console.count_waiting", "waiting for a group"),
        "count_proposals": S("console.count_proposals", "group proposals awaiting approval"),
        "count_lacking": S("console.count_lacking", "groups without a facilitator"),
        "count_running": S("console.count_running", "groups running now"),
        "pretalk_heading": S("console.pretalk_heading", "Awaiting a pre-talk"),
        "pretalk_intro": S(
            "console.pretalk_intro",
            "Call or write to the person, hold the pre-talk, adjust their wishes and record it. They then join the pool.",
        ),
        "pretalk_none": S("console.pretalk_none", "Nobody is awaiting a pre-talk."),
        "reference": S("console.reference", "Reference"),
        "name": S("console.name", "Name"),
        "phone": S("console.phone", "Phone"),
        "message": S("console.message", "Message"),
        "municipality": S("console.municipality", "Municipality"),
        "topics": S("console.topics", "Topics"),
        "formats": S("console.formats", "Format"),
        "times": S("console.times", "Times"),
        "languages": S("console.languages", "Languages"),
        "age_band": S("console.age_band", "Age group"),
        "age_any": S("console.age_any", "Not given"),
        "waited": S("console.waited", "Waited"),
        "days": S("console.days", "days"),
        "since": S("console.since", "since"),
        "record_pretalk": S("console.record_pretalk", "Record pre-talk"),
        "erase": S("console.erase", "Erase this person"),
        "erase_confirm": S("console.erase_confirm", "Erase everything about this person now"),
        "erased": S("console.erased", "The person is erased. Only anonymous counts remain."),
        "pool_heading": S("console.pool_heading", "Pool"),
        "pool_intro": S(
            "console.pool_intro",
            "Who waits, for what and since when – and what is short before a group can form.",
        ),
        "pool_none": S("console.pool_none", "Nobody is waiting in the pool."),
        "closest": S("console.closest", "Closest group"),
        "missing": S("console.missing", "Short of"),
        "short_people": S("console.short_people", "too few people ({n} of {min})"),
        "short_room": S("console.short_room", "a room"),
        "short_facilitator": S("console.short_facilitator", "a facilitator"),
        "ready": S("console.ready", "ready – the next assembly run should place them"),
        "no_kind": S("console.no_kind", "no group fits their wishes (no place and not digital)"),
        "groups_heading": S("console.groups_heading", "Groups and proposals"),
        "groups_none": S("console.groups_none", "No groups yet."),
        "state": S("console.state", "State"),
        "dates": S("console.dates", "Meetings"),
        "venue": S("console.venue", "Venue"),
        "facilitator": S("console.facilitator", "Facilitator"),
        "members": S("console.members", "Members"),
        "none": S("console.none", "–"),
        "digital": S("console.digital", "Digital"),
        "show_finished": S("console.show_finished", "Show closed and dissolved"),
        "hide_finished": S("console.hide_finished", "Hide closed"),
        "act_approve": S("console.act_approve", "Approve"),
        "act_retry": S("console.act_retry", "Look for a facilitator now"),
        "act_dissolve": S("console.act_dissolve", "Dissolve (everyone keeps their place)"),
        "act_close": S("console.act_close", "Close the group"),
        "act_followup": S("console.act_followup", "Ask for a follow-up visit"),
        "phone_invites": S("console.phone_invites", "Answer for members without email"),
        # issue 16: the group card and its repairs
        "back_to_groups": S("console.back_to_groups", "Back to the groups"),
        "answers": S("console.answers", "{yes} of {total} have said yes"),
        "answers_deadline": S("console.answers_deadline", "deadline {deadline}"),
        "contact": S("console.contact", "Contact"),
        "answer": S("console.answer", "Answer"),
        "answer_accepted": S("console.answer_accepted", "yes"),
        "answer_none": S("console.answer_none", "not yet"),
        "short_group": S(
            "console.short_group",
            "Below the minimum before its start: newcomers from the pool are invited while there is time. You can also cancel the group.",
        ),
        "conflict_venue": S("console.conflict_venue", "the room is closed that day"),
        "conflict_facilitator": S("console.conflict_facilitator", "the facilitator is away"),
        "meeting_n": S("console.meeting_n", "Meeting {n}: {date}"),
        "meeting_cancelled": S("console.meeting_cancelled", "cancelled"),
        "act_cancel_meeting": S("console.act_cancel_meeting", "Cancel this meeting"),
        "act_move_meeting": S("console.act_move_meeting", "Move"),
        "move_date": S("console.move_date", "New date (same time of day)"),
        "move_venue": S("console.move_venue", "Or another room in the same place"),
        "keep_venue": S("console.keep_venue", "keep the room"),
        "act_remove_member": S("console.act_remove_member", "Record that they left"),
        "act_cancel_group": S("console.act_cancel_group", "Cancel the group"),
        "history": S("console.history", "History"),
        "message_heading": S("console.message_heading", "Message the group"),
        "message_hint": S(
            "console.message_hint",
            "Each member and the facilitator gets their own email (or SMS): nobody sees another's address. The log records that a message was sent, not what it said.",
        ),
        "message_text": S("console.message_text", "Message"),
        "message_send": S("console.message_send", "Send to the group"),
        "message_required": S("console.message_required", "Write the message"),
        "message_too_long": S(
            "console.message_too_long", "The message can be at most 1000 characters"
        ),
        "message_sent": S("console.message_sent", "The message is on its way to {n} people."),
        "confirm_heading": S("console.confirm_heading", "Are you sure?"),
        "confirm_warning": S("console.confirm_warning", "This cannot be undone."),
        "confirm_cancel_group": S(
            "console.confirm_cancel_group",
            "The group is cancelled before its first meeting. Every member goes back to the pool with their original place, the room and the facilitator's dates are freed, and everyone gets a cancellation for their calendar.",
        ),
        "confirm_remove_member": S(
            "console.confirm_remove_member",
            "{name} leaves the group and gets a cancellation for their calendar.",
        ),
        "remove_back": S(
            "console.remove_back", "Put them back in the pool (they keep their place)"
        ),
        "confirm_cancel_meeting": S(
            "console.confirm_cancel_meeting",
            "Meeting {n} on {date} is cancelled. The members and the facilitator get a cancellation for it.",
        ),
        "confirm_move_meeting": S(
            "console.confirm_move_meeting",
            "Meeting {n} on {date} is moved. The members and the facilitator get an updated invitation.",
        ),
        # issue 16: replacing the facilitator, moving the group
        "act_replace_facilitator": S("console.act_replace_facilitator", "Replace the facilitator"),
        "confirm_replace_facilitator": S(
            "console.confirm_replace_facilitator",
            "{name} is released from the group's remaining meetings ({dates}) and gets a cancellation for them. The meetings are offered to other facilitators by the usual rules, and the group keeps its dates; whoever takes them gets an invitation and the members are told who leads now. If nobody can, you see it here and in the digest.",
        ),
        "replace_requested": S(
            "console.replace_requested", "Looking for a new facilitator for the remaining meetings."
        ),
        "replace_offered": S(
            "console.replace_offered", "The remaining meetings are offered to {name}."
        ),
        "replace_unstaffed": S(
            "console.replace_unstaffed",
            "No facilitator could take over the remaining meetings. Try again (for example after adding a facilitator), or cancel the meetings or the group.",
        ),
        "move_group_heading": S("console.move_group_heading", "Move the group"),
        "move_group_hint": S(
            "console.move_group_hint",
            "To another weekly time that every member allows, or another free room in the same place. The meetings still ahead get new dates; everyone gets one notice and an updated invitation.",
        ),
        "move_slot": S("console.move_slot", "Weekly time"),
        "move_room": S("console.move_room", "Room"),
        "keep_slot": S("console.keep_slot", "keep the time"),
        "act_move_group": S("console.act_move_group", "Show what changes"),
        "confirm_move_group": S(
            "console.confirm_move_group",
            "The group's remaining meetings move as shown. Each member and the facilitator gets one notice and an updated calendar invitation.",
        ),
        "move_refused": S("console.move_refused", "The group cannot move there."),
        "move_before": S("console.move_before", "Now"),
        "move_after": S("console.move_after", "After the move"),
        "move_when": S("console.move_when", "Weekday and time"),
        "move_where": S("console.move_where", "Place"),
        "move_dates": S("console.move_dates", "Meetings ahead"),
        "move_slot_unknown": S("console.move_slot_unknown", "Weekly time: choose one"),
        "move_unchanged": S(
            "console.move_unchanged", "Weekly time and room: that is where the group meets now"
        ),
        "move_no_meetings": S(
            "console.move_no_meetings", "Weekly time: the group has no meetings ahead to move"
        ),
        "move_replacing": S(
            "console.move_replacing", "Weekly time: wait until a new facilitator is found"
        ),
        "move_meeting_today": S(
            "console.move_meeting_today",
            "Weekly time: the group meets today; move it from tomorrow",
        ),
        "move_slot_members": S(
            "console.move_slot_members",
            "Weekly time: not every member has said they can meet then",
        ),
        "move_slot_facilitator": S(
            "console.move_slot_facilitator",
            "Weekly time: the facilitator cannot then (not their time, away, or booked)",
        ),
        "move_venue_place": S(
            "console.move_venue_place", "Room: not a room in use in the group's municipality"
        ),
        "move_venue_size": S(
            "console.move_venue_size",
            "Room: too small for the group, or without the step-free entrance a member needs",
        ),
        "move_venue_slot": S("console.move_venue_slot", "Room: not available at that weekly time"),
        "move_venue_taken": S(
            "console.move_venue_taken", "Room: another group has it at that weekly time"
        ),
        "move_venue_closed": S("console.move_venue_closed", "Room: closed on one of the new dates"),
        "confirm_yes": S("console.confirm_yes", "Yes, do it"),
        "confirm_no": S("console.confirm_no", "No, go back"),
        "answer_yes": S("console.answer_yes", "Coming"),
        "answer_no": S("console.answer_no", "Not coming"),
        "facilitators_heading": S("console.facilitators_heading", "Facilitators"),
        "facilitators_intro": S(
            "console.facilitators_intro", "Changes apply from the next round of offers."
        ),
        "add_facilitator": S("console.add_facilitator", "Add a facilitator"),
        "edit": S("console.edit", "Edit"),
        "active": S("console.active", "Active"),
        "inactive": S("console.inactive", "Inactive"),
        "deactivate": S("console.deactivate", "Deactivate"),
        "activate": S("console.activate", "Activate"),
        "municipalities": S("console.municipalities", "Municipalities"),
        "digital_ok": S("console.digital_ok", "Can take digital groups"),
        "slots": S("console.slots", "Weekly times"),
        "max_groups": S("console.max_groups", "Most groups at once"),
        "away": S("console.away", "Away (one period per line, e.g. 2027-03-01 – 2027-03-21)"),
        "course_completed": S("console.course_completed", "Facilitator course completed (date)"),
        "load": S("console.load", "Groups now"),
        "save": S("console.save", "Save"),
        "edit_wishes": S("console.edit_wishes", "Change wishes"),
        "wishes_heading": S("console.wishes_heading", "Wishes of {reference}"),
        "wishes_keep": S(
            "console.wishes_keep",
            "The person keeps their place in the queue; saving starts a pool run.",
        ),
        "travel": S("console.travel", "Will travel to"),
        "send_self_link": S("console.send_self_link", "Send personal link"),
        "self_link_sent": S(
            "console.self_link_sent",
            "A new personal link was sent to the facilitator. Older links no longer work.",
        ),
        "venues_heading": S("console.venues_heading", "Venues"),
        "add_venue": S("console.add_venue", "Add a venue"),
        "capacity": S("console.capacity", "Seats"),
        "accessible": S("console.accessible", "Step-free entrance"),
        "street": S("console.street", "Street address"),
        "postcode": S("console.postcode", "Postcode"),
        "post_place": S("console.post_place", "Postal town"),
        "room": S("console.room", "Room or floor (optional)"),
        "entry": S("console.entry", "How to get in (optional, e.g. ring the bell marked LINK)"),
        "lat": S("console.lat", "Latitude for the map (optional, e.g. 60.3948)"),
        "lon": S("console.lon", "Longitude for the map (optional, e.g. 5.3275)"),
        "err_postcode": S("console.err_postcode", "{label}: write the four digits, e.g. 5017."),
        "err_coordinate": S(
            "console.err_coordinate",
            "{label}: write decimal degrees like 60.3948, or leave both map fields empty.",
        ),
        "room_link": S("console.room_link", "Meeting link (https://…)"),
        "room_link_save": S("console.room_link_save", "Save the meeting link"),
        "room_link_invalid": S(
            "console.room_link_invalid",
            "Meeting link: paste the whole https:// link of the meeting room. Nothing was saved.",
        ),
        "unavailable": S("console.unavailable", "Unavailable (one period per line)"),
        "find_heading": S("console.find_heading", "Find a person"),
        "find_intro": S(
            "console.find_intro",
            "Enter the reference the person was given (e.g. in their receipt). You can erase everything about them, also if they gave only a phone number or are already in a group.",
        ),
        "find_button": S("console.find_button", "Find"),
        "find_none": S("console.find_none", "Nobody has this reference."),
        "status": S("console.status", "Status"),
        "audit_heading": S("console.audit_heading", "Log"),
        "audit_intro": S(
            "console.audit_intro",
            "Who did what and when, in the console or by an email link. The log keeps only ids and kinds of action; the names are looked up when you open this page.",
        ),
        "when": S("console.when", "When"),
        "who": S("console.who", "Who"),
        "what": S("console.what", "What"),
        "subject": S("console.subject", "About"),
        "errors_heading": S("console.errors_heading", "Something needs fixing"),
        "err_required": S("console.err_required", "{label} is required."),
        "err_too_long": S("console.err_too_long", "{label} can be at most {max} characters."),
        "err_control": S(
            "console.err_control",
            "{label} cannot contain line breaks, tabs or other control characters.",
        ),
        "err_number": S("console.err_number", "{label} must be a number from {low} to {high}."),
        "err_choice": S("console.err_choice", "{label}: choose from the list."),
        "err_email": S("console.err_email", "{label} is not a valid email address."),
        "err_where": S(
            "console.err_where", "Choose at least one municipality, or tick digital groups."
        ),
        "err_languages": S(
            "console.err_languages", "{label}: write two-letter language codes, e.g. no, en."
        ),
        "err_ranges": S(
            "console.err_ranges",
            "{label}: write one period per line, like 2027-03-01 – 2027-03-21.",
        ),
        "err_date": S("console.err_date", "{label}: write the date like 2027-03-01."),
        "self_heading": S("console.self_heading", "My facilitator page"),
        "self_intro": S(
            "console.self_intro",
            "Update when you can, when you are away, your languages and topics. Changes apply from the next time the centre looks for a facilitator.",
        ),
        "self_invalid": S(
            "console.self_invalid",
            "This link is invalid or replaced by a newer one. Ask the coordinator for a new one.",
        ),
        "upcoming": S("console.upcoming", "Your next meetings"),
        "no_upcoming": S("console.no_upcoming", "No meetings planned."),
        "calendar": S("console.calendar", "Download calendar (.ics)"),
        "self_mail_subject": S("console.self_mail_subject", "Your facilitator page"),
        "self_mail_body": S(
            "console.self_mail_body",
            "Here is the link to your own page at the centre. There you can update when you can, when you are away, your languages and topics, and see your meetings. The link is personal; do not share it.",
        ),
        "action_sign_in": S("console.action_sign_in", "signed in"),
        "action_sign_out": S("console.action_sign_out", "signed out"),
        # issue 22: the pre-talk list, confirmations, named flashes, the log in words
        "waiting_since": S("console.waiting_since", "Waiting since"),
        "back_to_pretalk": S("console.back_to_pretalk", "Back to the list"),
        "tap_to_call": S("console.tap_to_call", "tap to call"),
        "tap_to_write": S("console.tap_to_write", "tap to write"),
        "back": S("console.back", "Back"),
        "confirm_who": S("console.confirm_who", "Members of the group"),
        "confirm_erase_heading": S("console.confirm_erase_heading", "Erase {name}?"),
        "confirm_erase": S(
            "console.confirm_erase",
            "Everything about {name} is erased now: name, contact details, message, wishes, their place in the pool or in a group, and their links. Only anonymous counts remain.",
        ),
        "confirm_erase_yes": S("console.confirm_erase_yes", "Yes, erase"),
        "confirm_close_heading": S("console.confirm_close_heading", "Close this group?"),
        "confirm_close": S(
            "console.confirm_close",
            "The group is marked as ended: the room and the facilitator's remaining dates are freed for other groups. It cannot be opened again.",
        ),
        "confirm_close_yes": S("console.confirm_close_yes", "Yes, close the group"),
        "confirm_dissolve_heading": S("console.confirm_dissolve_heading", "Dissolve this group?"),
        "confirm_dissolve": S(
            "console.confirm_dissolve",
            "The group is dissolved: its {n} members go back to the pool and keep their place. It cannot be brought back.",
        ),
        "confirm_dissolve_yes": S("console.confirm_dissolve_yes", "Yes, dissolve the group"),
        "done_named": S("console.done_named", "Saved: {name}."),
        "pretalk_done": S(
            "console.pretalk_done", "Pre-talk recorded. The person is now in the pool."
        ),
        "pretalk_done_named": S(
            "console.pretalk_done_named", "Pre-talk recorded: {name}. They are now in the pool."
        ),
        "self_link_sent_named": S(
            "console.self_link_sent_named",
            "A new personal link was sent to {name}. Older links no longer work.",
        ),
        "actor_facilitator_named": S(
            "console.actor_facilitator_named", "{name} (facilitator, by an email link)"
        ),
        "actor_facilitator": S(
            "console.actor_facilitator", "the group's facilitator (by an email link)"
        ),
        "actor_facilitator_self": S(
            "console.actor_facilitator_self", "{name} (facilitator, on their own page)"
        ),
        "actor_coordinator_link": S(
            "console.actor_coordinator_link", "a coordinator (by an email link)"
        ),
        "actor_member": S("console.actor_member", "a member (by their email link)"),
        "actor_resident": S("console.actor_resident", "the person themselves (by their own link)"),
        "actor_former": S("console.actor_former", "a coordinator no longer listed"),
        "subject_erased": S("console.subject_erased", "an erased person"),
        "subject_gone": S("console.subject_gone", "no longer there"),
        "action_pretalk": S("console.action_pretalk", "recorded a pre-talk"),
        "action_wishes": S("console.action_wishes", "changed the wishes"),
        "action_erase": S("console.action_erase", "erased a person"),
        "action_approve": S("console.action_approve", "approved the group"),
        "action_retry": S("console.action_retry", "looked for a facilitator again"),
        "action_dissolve": S("console.action_dissolve", "dissolved the group"),
        "action_close": S("console.action_close", "closed the group"),
        "action_followup": S("console.action_followup", "asked for a follow-up visit"),
        "action_accept_invitation": S("console.action_accept_invitation", "yes to the invitation"),
        "action_decline_invitation": S("console.action_decline_invitation", "no to the invitation"),
        "action_accept_offer": S("console.action_accept_offer", "accepted leading the group"),
        "action_decline_offer": S("console.action_decline_offer", "declined leading the group"),
        "action_leave_group": S("console.action_leave_group", "left the group"),
        "action_set_room_link": S("console.action_set_room_link", "set the meeting link"),
        "action_add_facilitator": S("console.action_add_facilitator", "added a facilitator"),
        "action_edit_facilitator": S("console.action_edit_facilitator", "changed a facilitator"),
        "action_activate_facilitator": S(
            "console.action_activate_facilitator", "activated a facilitator"
        ),
        "action_deactivate_facilitator": S(
            "console.action_deactivate_facilitator", "deactivated a facilitator"
        ),
        "action_add_venue": S("console.action_add_venue", "added a venue"),
        "action_edit_venue": S("console.action_edit_venue", "changed a venue"),
        "action_activate_venue": S("console.action_activate_venue", "activated a venue"),
        "action_deactivate_venue": S("console.action_deactivate_venue", "deactivated a venue"),
        "action_send_self_link": S("console.action_send_self_link", "sent a personal link"),
        "action_self_update": S("console.action_self_update", "updated their own page"),
        "action_cancel_group": S("console.action_cancel_group", "cancelled the group"),
        "action_remove_member": S("console.action_remove_member", "recorded that a member left"),
        "action_cancel_meeting": S("console.action_cancel_meeting", "cancelled a meeting"),
        "action_move_meeting": S("console.action_move_meeting", "moved a meeting"),
        "action_message_group": S("console.action_message_group", "sent a message to the group"),
        "time_weekday_daytime": S("console.time_weekday_daytime", "Weekday daytime"),
        "time_weekday_evening": S("console.time_weekday_evening", "Weekday evening"),
        "time_weekend": S("console.time_weekend", "Weekend"),
    }
)

# Group and inquiry states as the console names them.
STATES: Final = Texts(
    {
        "awaiting_approval": S("states.awaiting_approval", "awaiting approval"),
        "approved": S("states.approved", "approved – looking for a facilitator"),
        "offered": S("states.offered", "offered to a facilitator"),
        "needs_facilitator": S("states.needs_facilitator", "needs a facilitator"),
        "facilitator_confirmed": S("states.facilitator_confirmed", "invitations out"),
        "confirmed": S("states.confirmed", "confirmed"),
        "started": S("states.started", "started"),
        "self_run": S("states.self_run", "self-run"),
        "closed": S("states.closed", "closed"),
        "dissolved": S("states.dissolved", "dissolved"),
        "waiting": S("states.waiting", "in the pool"),
        "awaiting_pretalk": S("states.awaiting_pretalk", "awaiting pre-talk"),
        "received": S("states.received", "received"),
        "proposed": S("states.proposed", "proposed for a group"),
        "placed": S("states.placed", "placed"),
        "erased": S("states.erased", "erased"),
        "expired": S("states.expired", "expired"),
        "cancelled": S("states.cancelled", "cancelled before the start"),
        "left": S("states.left", "left the group"),
    }
)
