"""The coordinator digest's texts (English source; the "staff" catalogs translate)."""

from __future__ import annotations

from typing import Final

from shared.catalogs import S, Texts

# The coordinator digest.
DIGEST: Final = Texts(
    {
        "subject": S("digest.subject", "Today's overview: {n} items ({date})"),
        "intro": S("digest.intro", "Here is what is waiting for you today."),
        "pretalk": S("digest.pretalk", "New inquiries – waiting for a pre-talk"),
        "pretalk_confirm": S("digest.pretalk_confirm", "Pre-talk held – add to queue"),
        "erase": S("digest.erase", "Erase this person"),
        "pools": S("digest.pools", "The queues: waiting per topic and municipality"),
        "pool_row": S("digest.pool_row", "{topic} · {place}: {n} waiting, longest {days} days"),
        "proposals": S("digest.proposals", "Group proposals awaiting approval"),
        "approve": S("digest.approve", "Approve"),
        "retry": S("digest.retry", "Try again now"),
        "dissolve": S("digest.dissolve", "Dissolve"),
        "lacking": S("digest.lacking", "Groups without a facilitator or venue"),
        "repairs": S("digest.repairs", "Booked meetings that need a decision"),
        "repair_venue": S("digest.repair_venue", "the room is closed that day"),
        "repair_facilitator": S("digest.repair_facilitator", "the facilitator is away that day"),
        "repair_short": S("digest.repair_short", "below the minimum before its start"),
        "repair_unstaffed": S(
            "digest.repair_unstaffed", "no facilitator could take over its remaining meetings"
        ),
        "offers": S("digest.offers", "Offers declined or expired"),
        "offers_row": S(
            "digest.offers_row", "{summary}: {n} facilitator(s) said no or did not answer"
        ),
        "upcoming": S("digest.upcoming", "First meetings in the next 7 days"),
        "followups": S("digest.followups", "Follow-up requests"),
        "near": S("digest.near", "Nearly a group: who would complete it"),
        "near_row": S(
            "digest.near_row", "{missing} more for a group: {topic} · {place} · {time}{age}"
        ),
        "near_age": S("digest.near_age", ", ages {ages}"),
        "rooms": S("digest.rooms", "Only a room is missing"),
        "rooms_row": S(
            "digest.rooms_row",
            "{place} · {time}: {n} wait for a group that has people and a facilitator, but every "
            "room there is booked at that time. A room or another weekly time there would start it.",
        ),
        "stale": S("digest.stale", "Waiting more than {days} days with no suitable group"),
        "silent": S(
            "digest.silent", "Asked whether they still want a place, and no answer (they keep it)"
        ),
        "silent_row": S("digest.silent_row", "Asked {days} days ago"),
        "suggest_digital": S("digest.suggest_digital", "suggestion: offer a digital group"),
        "suggest_travel": S("digest.suggest_travel", "suggestion: a group in {place}"),
        "suggest_wait": S(
            "digest.suggest_wait", "suggestion: call and ask whether their wishes have changed"
        ),
        "failures": S("digest.failures", "Failures that need a look"),
        "failure_row": S("digest.failure_row", "{step}: {reason} ({when})"),
        "days": S("digest.days", "days"),
        "none": S("digest.none", "–"),
        "open_console": S("digest.open_console", "Open in the console"),
        "contact": S("digest.contact", "Contact"),
        "message": S("digest.message", "Message"),
    }
)
