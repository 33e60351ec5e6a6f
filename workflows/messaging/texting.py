"""SMS to people who gave only a phone number (issue 11): the receipt, invitations, the
confirmation, the first-meeting reminder and the survey — the same moments as the emails.

Each message is built from the person's language and the first of its variants (longest first)
that fits in two segments; its links are short (/actions?s=…, the same signing key and the same
single-use token as the email's). The number is E.164 already (intake normalises it with
phonenumbers) and is checked again here; nothing of a message reaches the logs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from shared import logs
from shared.domain import links, sms
from shared.domain.intake_rules import e164, textable
from shared.domain.lifecycle import RUNNING
from shared.languages import Lang
from shared.ports import OutgoingSms
from shared.texts.me import ME
from shared.texts.sms import SMS
from workflows.messaging import describe, waiting
from workflows.platform import tokens
from workflows.platform.messages import NotifyTask
from workflows.platform.runtime import Deps

log = logs.get_logger(__name__)
VARIANTS = ("", "_short", "_min")


def compose(lang: Lang, kind: str, **values: str) -> str:
    """The longest variant of `kind` that fits in two segments (the shortest if none does)."""
    texts = [SMS[lang][f"{kind}{v}"].format(**values) for v in VARIANTS]
    for text in texts:
        if sms.fits(text):
            return text
    log.warning("sms over two segments", extra={"kind": kind, "lang": lang})
    return texts[-1]


def recipient(task: NotifyTask) -> str | None:
    """The member (inquiry id) a resident-facing task is for."""
    return task.subject_id if task.mail == "receipt" else task.recipient_id


def phone_only(deps: Deps, task: NotifyTask) -> bool:
    """SMS is on, the task is one an SMS exists for, and its person gave a phone and no email."""
    if deps.sms is None or task.mail not in BUILDERS:
        return False
    rid = recipient(task)
    if not rid or rid.startswith("facilitator:"):
        return False
    person = deps.store.get(f"people/{rid}")
    if not person or person.get("email"):
        return False
    # issue 18: only mobile numbers of the centre's regions; others are phoned by the coordinator
    return textable(person.get("phone"), deps.centre.centre.sms_regions)


def _short(deps: Deps, token_id: str | None) -> str | None:
    """A short link to a live token, or None (never text a link that can no longer act)."""
    if not token_id:
        return None
    get = functools.cache(deps.store.get)  # expiry and state come from the same document
    expires = tokens.link_expiry(get, token_id, key=deps.settings.link_signing_key)
    if expires is None or expires <= deps.clock.now():
        return None
    token = tokens.load(get, token_id, expires, key=deps.settings.link_signing_key)
    if token is None or token.get("used_at") is not None:
        return None
    base = deps.settings.sms_link_base or deps.settings.public_base_url
    return links.short_url(base, deps.settings.link_signing_key, token_id)


def _person(deps: Deps, mid: str) -> tuple[str, Lang, dict[str, Any]] | None:
    person = deps.store.get(f"people/{mid}")
    inquiry = deps.store.get(f"inquiries/{mid}")
    to = e164((person or {}).get("phone"))
    if person is None or inquiry is None or to is None:
        return None
    lang: Lang = inquiry.get("lang", "nb")
    return to, lang, inquiry


def _local(deps: Deps) -> ZoneInfo:
    return ZoneInfo(deps.centre.centre.timezone)


def _group_values(deps: Deps, group: dict[str, Any], lang: Lang) -> dict[str, str]:
    days = describe.dates(group)
    first = describe.start(deps, days[0], group["slot"]) if days else None
    return {
        "centre": deps.centre.centre.name,
        "topic": describe.topic(deps, group["topic"], lang),
        "place": describe.place(deps, group, lang),
        "when": describe.when(deps, group, lang),
        "first": f"{first:%d.%m. %H:%M}" if first else "",
    }


def receipt(deps: Deps, task: NotifyTask) -> OutgoingSms | None:
    found = _person(deps, task.subject_id)
    if found is None:
        return None
    to, lang, inquiry = found
    page = waiting.short_me_url(deps, inquiry)
    if page is not None:  # issue 17: the receipt leads to the person's own page (erase is there)
        body = ME[lang]["sms_receipt"].format(
            centre=deps.centre.centre.name, reference=str(inquiry["reference"]), link=page
        )
        return OutgoingSms(to=to, body=body, message_key=f"sms-receipt-{task.task_id}")
    link = _short(deps, inquiry.get("erase_token"))
    if link is None:
        return None
    body = compose(
        lang,
        "receipt",
        centre=deps.centre.centre.name,
        reference=str(inquiry["reference"]),
        link=link,
    )
    return OutgoingSms(to=to, body=body, message_key=f"sms-receipt-{task.task_id}")


def _group_member(deps: Deps, task: NotifyTask) -> tuple[dict[str, Any], str] | None:
    group = deps.store.get(f"groups/{task.subject_id}")
    mid = task.recipient_id or ""
    if group is None or mid not in group["members"]:
        return None
    return group, mid


def invitation(deps: Deps, task: NotifyTask) -> OutgoingSms | None:
    found = _group_member(deps, task)
    if found is None:
        return None
    group, mid = found
    if group["status"] not in ("facilitator_confirmed", "confirmed"):
        return None
    who = _person(deps, mid)
    if who is None:
        return None
    to, lang, _ = who
    member = group["members"][mid]
    accept, decline = (
        _short(deps, member.get("accept_token")),
        _short(deps, member.get("decline_token")),
    )
    if accept is None or decline is None:
        return None  # answered already, or expired
    deadline = group["invitation_deadline"].astimezone(_local(deps))
    body = compose(
        lang,
        "invitation",
        **_group_values(deps, group, lang),
        deadline=f"{deadline:%d.%m}",
        accept=accept,
        decline=decline,
    )
    return OutgoingSms(to=to, body=body, message_key=f"sms-invite-{task.task_id}")


def _running_member(deps: Deps, task: NotifyTask, statuses: tuple[str, ...]) -> Any:
    found = _group_member(deps, task)
    if found is None or found[0]["status"] not in statuses:
        return None
    group, mid = found
    who = _person(deps, mid)
    return None if who is None else (group, mid, *who)


def _meeting_values(
    deps: Deps, task: NotifyTask, group: dict[str, Any], mid: str, lang: Lang
) -> dict[str, str]:
    """Where to meet in short (issue 16): the room and its street, or online with the member's
    own short join link."""
    values = _group_values(deps, group, lang)
    join = describe.join_link(deps, task.subject_id, group, mid, short=True)
    if join:  # beside the first meeting's time, which even the shortest variant carries
        values["first"] = f"{values['first']}, {join}"
    else:
        values["place"] = describe.sms_place(deps, group, lang)
    return values


def confirmation(deps: Deps, task: NotifyTask) -> OutgoingSms | None:
    found = _running_member(deps, task, tuple(RUNNING))
    if found is None:
        return None
    group, mid, to, lang, _ = found
    body = compose(lang, "confirmation", **_meeting_values(deps, task, group, mid, lang))
    return OutgoingSms(to=to, body=body, message_key=f"sms-confirm-{task.task_id}")


def reminder(deps: Deps, task: NotifyTask) -> OutgoingSms | None:
    found = _running_member(deps, task, ("confirmed",))
    if found is None:
        return None
    group, mid, to, lang, _ = found
    if group["members"][mid].get("response") != "accepted":
        return None
    body = compose(lang, "reminder", **_meeting_values(deps, task, group, mid, lang))
    return OutgoingSms(to=to, body=body, message_key=f"sms-reminder-{task.task_id}")


def survey(deps: Deps, task: NotifyTask) -> OutgoingSms | None:
    group = deps.store.get(f"groups/{task.subject_id}")
    mid = task.recipient_id or ""
    who = _person(deps, mid)
    if group is None or who is None:
        return None
    to, lang, _ = who
    link = _short(deps, tokens.survey_token(deps, group, task))
    if link is None:
        return None
    body = compose(lang, "survey", centre=deps.centre.centre.name, link=link)
    return OutgoingSms(to=to, body=body, message_key=f"sms-survey-{task.task_id}")


def calendar(deps: Deps, task: NotifyTask) -> OutgoingSms | None:
    """A change to a phone-only member's meetings (issue 16): no calendar file by SMS, the dates."""
    group = deps.store.get(f"groups/{task.subject_id}")
    mid = task.recipient_id or ""
    who = _person(deps, mid)
    entry = ((group or {}).get("calendar") or {}).get(mid) or {}
    v = (entry.get("versions") or {}).get(str(task.version))
    if group is None or who is None or v is None:
        return None
    to, lang, _ = who
    days = ", ".join(f"{date.fromisoformat(e['date']):%d.%m.}" for e in v["events"].values())
    kind = "cancelled" if v["method"] == "CANCEL" else "changed"
    values = {**_group_values(deps, group, lang), "dates": days}
    body = compose(lang, kind, **values)
    return OutgoingSms(to=to, body=body, message_key=f"sms-calendar-{task.task_id}")


def new_facilitator(deps: Deps, task: NotifyTask) -> OutgoingSms | None:
    """Who leads the group now (issue 16), to a member who gave only a phone number."""
    found = _running_member(deps, task, tuple(RUNNING))
    if found is None:
        return None
    group, _mid, to, lang, _ = found
    fac = deps.store.get(f"facilitators/{group.get('facilitator_id')}") or {}
    if not fac.get("name"):
        return None
    values = {**_group_values(deps, group, lang), "name": str(fac["name"])}
    body = compose(lang, "new_facilitator", **values)
    return OutgoingSms(to=to, body=body, message_key=f"sms-facilitator-{task.task_id}")


def group_message(deps: Deps, task: NotifyTask) -> OutgoingSms | None:
    """The coordinator's message to the group, to a member who gave only a phone number."""
    msg = deps.store.get(f"group_messages/{task.subject_id}")
    mid = task.recipient_id or ""
    group = deps.store.get(f"groups/{msg['group_id']}") if msg else None
    who = _person(deps, mid)
    if msg is None or group is None or who is None or mid not in group["members"]:
        return None
    to, _, _ = who
    body = f"{deps.centre.centre.name}: {msg['text']}"
    return OutgoingSms(to=to, body=body, message_key=f"sms-message-{task.task_id}")


def sample_values(base: str) -> dict[str, str]:
    """Long but real values for the segment test and the README's figures."""
    long_link = links.short_url(base, "k", links.seal_erase("k", "f" * 32))
    link = links.short_url(base, "k", links.new_token_id())
    return {
        "centre": "LINK Bergen og omegn",
        "reference": "K7QW-M2XP",
        "topic": "Pårørende til personer med rusproblemer",
        "place": "Frivilligsentralen i Åsane, Bergen",
        "when": "onsdager 18:00",
        "first": f"{date(2027, 12, 24):%d.%m.} 18:00",
        "deadline": f"{date(2027, 12, 24):%d.%m}",
        "link": long_link,
        "accept": link,
        "decline": link,
        "dates": "24.12., 31.12., 07.01.",
        "name": "Marit Solheim",
    }


# The SMS texts (each with its variants): a calendar change is "changed" or "cancelled"; the
# coordinator's message to a group is their own text, not a template (issue 16).
KINDS = (
    "receipt",
    "invitation",
    "confirmation",
    "reminder",
    "survey",
    "changed",
    "cancelled",
    "new_facilitator",
)

BUILDERS: dict[str, Callable[[Deps, NotifyTask], OutgoingSms | None]] = {
    "receipt": receipt,
    "invitation": invitation,
    "confirmation": confirmation,
    "reminder": reminder,
    "survey": survey,
    "calendar": calendar,
    "group_message": group_message,
    "new_facilitator": new_facilitator,
    "still_waiting": waiting.still_waiting_sms,
    "widen_offer": waiting.widen_offer_sms,
}
