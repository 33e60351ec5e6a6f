"""What a waiting person receives besides the receipt (issue 17/21): "do you still want a place?"
about every 12 weeks, and once the widening most likely to place them — each an email, or an SMS
for a person with only a phone, leading to their own page (/me), where the answer is one click."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.domain import links, sms, widen
from shared.domain.intake_rules import e164
from shared.languages import Lang
from shared.ports import OutgoingMail, OutgoingSms
from shared.texts.mail import RECEIPT
from shared.texts.me import ME
from shared.texts.pages import UI
from workflows.messaging import mail
from workflows.platform.messages import NotifyTask
from workflows.platform.runtime import Deps


def widening_label(deps: Deps, w: widen.Widening, lang: Lang) -> str:
    m = ME[lang]
    if w.kind == "place":
        names = {x.code: x.name for x in deps.centre.municipalities}
        return m["widen_place"].format(place=names.get(w.value, w.value))
    if w.kind == "time":
        return m["widen_time"].format(time=UI[lang][f"time_{w.value}"])
    return m[f"widen_{w.kind}"]


def me_url(deps: Deps, inquiry: dict[str, Any]) -> str | None:
    """The person's page link, or None (no page: not reachable, erased, expired)."""
    token, until = inquiry.get("me_token"), inquiry.get("erase_until")
    if not token or not isinstance(until, datetime) or until <= deps.clock.now():
        return None
    return links.me_url(
        deps.settings.public_base_url, deps.settings.link_signing_key, str(token), until
    )


def short_me_url(deps: Deps, inquiry: dict[str, Any]) -> str | None:
    token, until = inquiry.get("me_token"), inquiry.get("erase_until")
    if not token or not isinstance(until, datetime) or until <= deps.clock.now():
        return None
    base = deps.settings.sms_link_base or deps.settings.public_base_url
    return links.short_me_url(base, deps.settings.link_signing_key, str(token))


def _who(
    deps: Deps, task: NotifyTask, status: str, field: str
) -> tuple[dict[str, Any], dict[str, Any], Lang] | None:
    inquiry = deps.store.get(f"inquiries/{task.subject_id}")
    person = deps.store.get(f"people/{task.subject_id}")
    if not inquiry or not person or inquiry.get("status") != status or not inquiry.get(field):
        return None
    lang: Lang = inquiry.get("lang", "nb")
    return inquiry, person, lang


def _offer_text(deps: Deps, inquiry: dict[str, Any], lang: Lang) -> str | None:
    w = widen.parse(str(inquiry.get("widen_offered") or ""))
    return widening_label(deps, w, lang) if w else None


def still_waiting(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    found = _who(deps, task, "waiting", "still_asked_at")
    if found is None:
        return None
    inquiry, person, lang = found
    url = me_url(deps, inquiry)
    if not person.get("email") or url is None:
        return None
    m = ME[lang]
    # how long they have waited since they asked (or since the centre's own list had them): each
    # turn's question reads differently. Not since `queued_at`: a decline or a silent invitation
    # puts the person at the back of the queue, and a 365-day year then told someone who had
    # waited 48 weeks "you have waited 12 weeks" twice
    since = [
        t for t in (inquiry.get("created_at"), inquiry.get("queued_at")) if isinstance(t, datetime)
    ]
    weeks = max(0, (deps.clock.now() - min(since)).days // 7) if since else 0
    return mail.compose(
        deps,
        to=person["email"],
        lang=lang,
        subject=m["ask_subject"],
        greeting=f"{RECEIPT[lang]['greeting']} {person.get('name', '')},",
        paragraphs=[m.plural("waited_weeks", weeks).format(n=weeks), m["ask_body"]],
        details=[],
        buttons=[(m["ask_button"], url)],
        key=f"still-{task.task_id}",
    )


def widen_offer(deps: Deps, task: NotifyTask) -> OutgoingMail | None:
    found = _who(deps, task, "waiting", "widen_offered")
    if found is None:
        return None
    inquiry, person, lang = found
    url, label = me_url(deps, inquiry), _offer_text(deps, inquiry, lang)
    if not person.get("email") or url is None or label is None:
        return None
    m = ME[lang]
    return mail.compose(
        deps,
        to=person["email"],
        lang=lang,
        subject=m["offer_subject"],
        greeting=f"{RECEIPT[lang]['greeting']} {person.get('name', '')},",
        paragraphs=[m["offer_body"].format(widening=label)],
        details=[],
        buttons=[(m["offer_button"], url)],
        key=f"widen-{task.task_id}",
    )


def _sms(deps: Deps, task: NotifyTask, field: str) -> tuple[str, dict[str, Any], Lang, str] | None:
    found = _who(deps, task, "waiting", field)
    if found is None:
        return None
    inquiry, person, lang = found
    to, link = e164(person.get("phone")), short_me_url(deps, inquiry)
    if to is None or link is None:
        return None
    return to, inquiry, lang, link


def still_waiting_sms(deps: Deps, task: NotifyTask) -> OutgoingSms | None:
    found = _sms(deps, task, "still_asked_at")
    if found is None:
        return None
    to, _, lang, link = found
    body = ME[lang]["sms_ask"].format(centre=deps.centre.centre.name, link=link)
    return OutgoingSms(to=to, body=body, message_key=f"sms-still-{task.task_id}")


def widen_offer_sms(deps: Deps, task: NotifyTask) -> OutgoingSms | None:
    found = _sms(deps, task, "widen_offered")
    if found is None:
        return None
    to, inquiry, lang, link = found
    label = _offer_text(deps, inquiry, lang)
    if label is None:
        return None
    body = offer_sms_text(lang, deps.centre.centre.name, label, link)
    return OutgoingSms(to=to, body=body, message_key=f"sms-widen-{task.task_id}")


def offer_sms_text(lang: Lang, centre: str, label: str, link: str) -> str:
    """With the widening named when it fits in two segments (not in every script), else without."""
    full = ME[lang]["sms_offer"].format(centre=centre, widening=label, link=link)
    return full if sms.fits(full) else ME[lang]["sms_offer_short"].format(centre=centre, link=link)
