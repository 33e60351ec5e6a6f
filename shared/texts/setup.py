"""Texts of a centre's setup in the console (issue 17): the spreadsheet import and the centre's
settings, as English source texts; bokmål and nynorsk are in the "staff" gettext catalogs."""

from __future__ import annotations

from typing import Final

from shared.catalogs import S, Texts

SETUP: Final = Texts(
    {
        "nav_import": S("setup.nav_import", "Import"),
        "nav_settings": S("setup.nav_settings", "Settings"),
        # ---- import
        "import_heading": S("setup.import_heading", "Import from a spreadsheet"),
        "import_intro": S(
            "setup.import_intro",
            "Upload the waiting list, the facilitators or the venues as an .xlsx or .csv file. First you see what would happen to every row; nothing is stored until you confirm.",
        ),
        "import_kind": S("setup.import_kind", "What the file holds"),
        "kind_people": S("setup.kind_people", "People waiting"),
        "kind_facilitators": S("setup.kind_facilitators", "Facilitators"),
        "kind_venues": S("setup.kind_venues", "Venues"),
        "import_file": S("setup.import_file", "File (.xlsx or .csv)"),
        "import_check": S("setup.import_check", "Check the file"),
        "template": S("setup.template", "Download a template"),
        "templates_intro": S(
            "setup.templates_intro",
            "Columns are recognised by their headings (in bokmål, nynorsk or English). Several values in one cell are separated by commas; dates as dd.mm.yyyy or yyyy-mm-dd.",
        ),
        "dry_heading": S("setup.dry_heading", "Check before import"),
        "dry_intro": S(
            "setup.dry_intro",
            "Nothing is stored yet. Read through the rows, decide about the likely duplicates, and confirm at the bottom.",
        ),
        "result_heading": S("setup.result_heading", "Import done"),
        "rows_read": S("setup.rows_read", "Rows read"),
        "would_create": S("setup.would_create", "Would be created"),
        "would_update": S("setup.would_update", "Would be updated"),
        "would_reject": S("setup.would_reject", "Would be rejected"),
        "duplicates": S("setup.duplicates", "Likely duplicates (your decision)"),
        "created": S("setup.created", "Created"),
        "updated": S("setup.updated", "Updated"),
        "rejected": S("setup.rejected", "Rejected"),
        "row": S("setup.row", "Row"),
        "who": S("setup.who", "Name"),
        "outcome": S("setup.outcome", "Outcome"),
        "problems": S("setup.problems", "Problems"),
        "out_create": S("setup.out_create", "new"),
        "out_update": S("setup.out_update", "update"),
        "out_unchanged": S("setup.out_unchanged", "already there, no change"),
        "out_reject": S("setup.out_reject", "rejected"),
        "out_duplicate": S("setup.out_duplicate", "likely duplicate"),
        "allow_duplicate": S("setup.allow_duplicate", "Import row {row} as a separate person"),
        "send_receipts": S(
            "setup.send_receipts",
            "Send each new person a receipt with their link (otherwise nobody is contacted)",
        ),
        "confirm_import": S("setup.confirm_import", "Import"),
        "start_over": S("setup.start_over", "Choose another file"),
        "ignored_columns": S("setup.ignored_columns", "Columns not used: {columns}"),
        "file_problem": S("setup.file_problem", "The file could not be read, nothing was changed"),
        "unreadable_empty": S("setup.unreadable_empty", "The file is empty."),
        "unreadable_too_large": S("setup.unreadable_too_large", "The file is larger than 4 MB."),
        "unreadable_type": S("setup.unreadable_type", "Only .xlsx and .csv files can be imported."),
        "unreadable_broken": S(
            "setup.unreadable_broken", "The file is damaged or not a spreadsheet."
        ),
        "unreadable_encoding": S(
            "setup.unreadable_encoding", "The file's characters cannot be read; save it as UTF-8."
        ),
        "unreadable_too_many_rows": S(
            "setup.unreadable_too_many_rows", "The file has more than 5000 rows; split it."
        ),
        "unreadable_no_headings": S(
            "setup.unreadable_no_headings", "The first row must hold the column headings."
        ),
        "unreadable_missing": S("setup.unreadable_missing", "Choose a file."),
        "unreadable_changed": S(
            "setup.unreadable_changed", "The file changed since the check; check it again."
        ),
        # problems: {where} is "column C (E-post)" or the row
        "where_column": S("setup.where_column", "column {column} ({heading})"),
        "where_missing": S("setup.where_missing", "column “{heading}”"),
        "p_missing_column": S(
            "setup.p_missing_column", "{where}: the file has no such column, and it is required."
        ),
        "p_unknown_value": S("setup.p_unknown_value", "{where}: “{value}” is not a known choice."),
        "p_date": S("setup.p_date", "{where}: “{value}” is not a date (dd.mm.yyyy or yyyy-mm-dd)."),
        "p_future": S("setup.p_future", "{where}: the date is in the future."),
        "p_yes_no": S("setup.p_yes_no", "{where}: “{value}” is neither yes nor no."),
        "p_consent_required": S(
            "setup.p_consent_required",
            "{where}: when and how the person consented must be recorded.",
        ),
        "p_repeats_row": S("setup.p_repeats_row", "The same as row {other}: not imported twice."),
        "p_duplicate_row": S(
            "setup.p_duplicate_row", "Same {by} as row {other}: likely the same person."
        ),
        "p_duplicate_stored": S(
            "setup.p_duplicate_stored",
            "Same {by} as a person already registered ({reference}, {status}).",
        ),
        "p_duplicate_left": S(
            "setup.p_duplicate_left", "Likely duplicate, not imported (you did not choose it)."
        ),
        "p_required": S("setup.p_required", "{where}: this is required."),
        "p_invalid_email": S("setup.p_invalid_email", "{where}: not a valid email address."),
        "p_invalid_phone": S("setup.p_invalid_phone", "{where}: not a valid phone number."),
        "p_contact_required": S(
            "setup.p_contact_required", "{where}: an email address or a phone number is required."
        ),
        "p_too_long": S("setup.p_too_long", "{where}: at most {max} characters."),
        "p_choose_one": S("setup.p_choose_one", "{where}: choose at least one."),
        "p_choice": S("setup.p_choice", "{where}: not one of the choices."),
        "p_number": S("setup.p_number", "{where}: a whole number from {low} to {high}."),
        "p_ranges": S("setup.p_ranges", "{where}: dates must be ranges with the first date first."),
        "p_where": S("setup.p_where", "{where}: give municipalities, or mark digital groups."),
        "p_languages": S("setup.p_languages", "{where}: two-letter language codes (no, en, …)."),
        "p_email": S("setup.p_email", "{where}: not a valid email address."),
        "p_other": S("setup.p_other", "{where}: not accepted."),
        "by_email": S("setup.by_email", "email address"),
        "by_phone": S("setup.by_phone", "phone number"),
        "consent_written": S("setup.consent_written", "Written"),
        "consent_oral": S("setup.consent_oral", "Oral"),
        "consent_email": S("setup.consent_email", "By email"),
        "consent_web": S("setup.consent_web", "Web form"),
        # template headings (what the coordinator's column headings may say, too)
        "col_name": S("setup.col_name", "Name"),
        "col_email": S("setup.col_email", "Email"),
        "col_phone": S("setup.col_phone", "Phone"),
        "col_municipality": S("setup.col_municipality", "Municipality"),
        "col_municipalities": S("setup.col_municipalities", "Municipalities"),
        "col_topics": S("setup.col_topics", "Topics"),
        "col_formats": S("setup.col_formats", "Format"),
        "col_times": S("setup.col_times", "Times"),
        "col_languages": S("setup.col_languages", "Languages"),
        "col_travel": S("setup.col_travel", "Can travel to"),
        "col_heard_from": S("setup.col_heard_from", "Heard of us from"),
        "col_age_band": S("setup.col_age_band", "Age group"),
        "col_message": S("setup.col_message", "Message"),
        "col_waiting_since": S("setup.col_waiting_since", "Waiting since"),
        "col_pretalk_done": S("setup.col_pretalk_done", "Pre-talk held"),
        "col_consent_date": S("setup.col_consent_date", "Consent given on"),
        "col_consent_how": S("setup.col_consent_how", "Consent given how"),
        "col_digital": S("setup.col_digital", "Digital groups"),
        "col_slots": S("setup.col_slots", "Weekly times"),
        "col_max_groups": S("setup.col_max_groups", "Most groups at once"),
        "col_away": S("setup.col_away", "Dates away"),
        "col_course_completed": S("setup.col_course_completed", "Course completed"),
        "col_capacity": S("setup.col_capacity", "Seats"),
        "col_street": S("setup.col_street", "Street address"),
        "col_postcode": S("setup.col_postcode", "Postcode"),
        "col_post_place": S("setup.col_post_place", "Post town"),
        "col_room": S("setup.col_room", "Room or floor"),
        "col_entry": S("setup.col_entry", "How to get in"),
        "col_accessible": S("setup.col_accessible", "Step-free"),
        "col_unavailable": S("setup.col_unavailable", "Dates closed"),
        # ---- settings
        "settings_heading": S("setup.settings_heading", "Centre settings"),
        "settings_intro": S(
            "setup.settings_intro",
            "What the centre's file set when it was deployed, now kept here. Every change is checked and written to the log.",
        ),
        "coordinators": S("setup.coordinators", "Coordinators"),
        "coordinator_add": S("setup.coordinator_add", "Add a coordinator"),
        "coordinator_name": S("setup.coordinator_name", "Name"),
        "coordinator_email": S("setup.coordinator_email", "Email address"),
        "remove": S("setup.remove", "Remove"),
        "add": S("setup.add", "Add"),
        "save": S("setup.save", "Save"),
        "you": S("setup.you", "(you)"),
        "remove_heading": S("setup.remove_heading", "Remove {name} as coordinator?"),
        "remove_text": S(
            "setup.remove_text",
            "{name} can no longer sign in, and is signed out at once. Emails that were meant for {name} go to the other coordinators. This cannot be undone here; you can add the address again later.",
        ),
        "remove_confirm": S("setup.remove_confirm", "Yes, remove"),
        "cancel": S("setup.cancel", "No, go back"),
        "recipients": S("setup.recipients", "Report recipients"),
        "recipient_add": S("setup.recipient_add", "Add a recipient"),
        "topics": S("setup.topics", "Topics"),
        "topic_key": S("setup.topic_key", "Key (letters a–z and _)"),
        "topic_add": S("setup.topic_add", "Add a topic"),
        "goals": S("setup.goals", "The year's goals"),
        "groups_started_per_year": S("setup.groups_started_per_year", "Groups started a year"),
        "trained_facilitators": S("setup.trained_facilitators", "Trained facilitators"),
        "closed_periods": S("setup.closed_periods", "Closed periods"),
        "closed_add": S("setup.closed_add", "Add a closed period"),
        "closed_start": S("setup.closed_start", "From (MM-DD)"),
        "closed_end": S("setup.closed_end", "To (MM-DD)"),
        "closed_label": S("setup.closed_label", "Label"),
        "group_sizes": S("setup.group_sizes", "Group sizes"),
        "min_size": S("setup.min_size", "Smallest group proposed"),
        "start_with": S("setup.start_with", "Enough yeses to start"),
        "max_size": S("setup.max_size", "Largest group"),
        "long_wait_days": S(
            "setup.long_wait_days",
            "Days of waiting after which enough yeses may start a group (0 = never)",
        ),
        "long_waiters_needed": S(
            "setup.long_waiters_needed",
            "How many in such a group must have waited that long",
        ),
        "waiting_heading": S("setup.waiting_heading", "Asking those who wait"),
        "waiting_intro": S(
            "setup.waiting_intro",
            "Someone without a group in sight is offered, by email or SMS, the one change to their"
            " wishes most likely to give them one; never the same change twice.",
        ),
        "offer_after_days": S("setup.offer_after_days", "Days of waiting before the first offer"),
        "offer_every_days": S("setup.offer_every_days", "Days between offers"),
        "offers": S("setup.offers", "Offers to each person, at most"),
        "budget": S("setup.budget", "Budget"),
        "total_nok": S("setup.total_nok", "Total (NOK)"),
        "budget_year": S("setup.budget_year", "Year"),
        "travel_share": S("setup.travel_share", "Share for travel (0–1)"),
        "tier_small": S("setup.tier_small", "Weight, small municipality"),
        "tier_medium": S("setup.tier_medium", "Weight, medium municipality"),
        "tier_large": S("setup.tier_large", "Weight, large municipality"),
        "settings_saved": S("setup.settings_saved", "Saved."),
        "settings_invalid": S("setup.settings_invalid", "Not saved. Problems: {count}."),
        "e_missing": S("setup.e_missing", "{label}: this is required."),
        "e_number": S("setup.e_number", "{label}: must be a number."),
        "e_too_small": S("setup.e_too_small", "{label}: must be at least {limit}."),
        "e_too_large": S("setup.e_too_large", "{label}: must be at most {limit}."),
        "e_pattern": S("setup.e_pattern", "{label}: not in the expected form."),
        "e_email": S("setup.e_email", "{label}: not a valid email address."),
        "e_sizes_max": S("setup.e_sizes_max", "{label}: must be at least the smallest group."),
        "e_sizes_start": S("setup.e_sizes_start", "{label}: must be at most the smallest group."),
        "e_general": S("setup.e_general", "{label}: the topic “general” cannot be removed."),
        "e_exists": S("setup.e_exists", "{label}: already in the list."),
        "e_last": S("setup.e_last", "{label}: the last coordinator cannot be removed."),
        "e_self": S("setup.e_self", "{label}: you cannot remove yourself."),
        "e_other": S("setup.e_other", "{label}: not accepted ({message})."),
        "audit_settings": S("setup.audit_settings", "changed settings"),
    }
)
