"""Centre settings in the console (issue 17): coordinators, report recipients, topics, the year's
goals, closed periods, group sizes and the budget.

Kept in one Firestore document (`settings/centre`, workflows/platform/runtime.SETTINGS_DOC) holding
the whole centre configuration and a version; the centre file only seeds it — the first change
starts from what the file says. Every change is validated by the same pydantic models as the file
(shared/config.py; each problem named by its field, in the coordinator's language), written with
its audit entry in one transaction, and read by every instance before it answers
(runtime.refresh_centre). Removing a coordinator is confirmed first, and ends their sessions in the
same transaction; work addressed to them goes to another coordinator (platform/coordinators.py).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from email_validator import EmailNotValidError, validate_email
from pydantic import ValidationError

from shared.config import CentreConfig
from shared.languages import LANGS, Lang
from shared.ports import Tx, Where
from shared.texts.setup import SETUP
from workflows.console.auth import Session, audit, cookie_path
from workflows.console.views import page
from workflows.console.web import Form, Resp, one
from workflows.platform import coordinators
from workflows.platform.runtime import SETTINGS_DOC, Deps, refresh_centre

Config = dict[str, Any]
Mutation = Callable[[Config], dict[str, str]]  # changes the config; returns problems by field

# pydantic's location of a field -> the form field (and label key) it is shown at
FIELD_OF = {
    ("groups", "min_size"): "min_size",
    ("groups", "start_with"): "start_with",
    ("groups", "max_size"): "max_size",
    ("groups", "long_wait_days"): "long_wait_days",
    ("groups", "long_waiters_needed"): "long_waiters_needed",
    ("waiting", "offer_after_days"): "offer_after_days",
    ("waiting", "offer_every_days"): "offer_every_days",
    ("waiting", "offers"): "offers",
    ("goals", "groups_started_per_year"): "groups_started_per_year",
    ("goals", "trained_facilitators"): "trained_facilitators",
    ("budget", "total_nok"): "total_nok",
    ("budget", "year"): "budget_year",
    ("budget", "travel_share"): "travel_share",
    ("budget", "tier_weights", "small"): "tier_small",
    ("budget", "tier_weights", "medium"): "tier_medium",
    ("budget", "tier_weights", "large"): "tier_large",
}


def seeded(deps: Deps) -> Config:
    """The configuration as stored: every coordinator with its id."""
    config: Config = deps.centre.model_dump(mode="json")
    for c, listed in zip(config["coordinators"], coordinators.listed(deps), strict=True):
        c["id"] = listed.id
    return config


def _field(loc: tuple[Any, ...]) -> str:
    parts = tuple(str(p) for p in loc)
    if parts[:2] in FIELD_OF:
        return FIELD_OF[parts[:2]]
    if parts[:3] in FIELD_OF:
        return FIELD_OF[parts[:3]]
    if parts[:1] == ("coordinators",):
        return "coordinator_" + (parts[2] if len(parts) > 2 else "email")
    if parts[:1] == ("report_recipients",):
        return "recipient_" + (parts[2] if len(parts) > 2 else "email")
    if parts[:1] == ("closed_periods",):
        return "closed_" + (parts[2] if len(parts) > 2 else "start")
    if parts[:1] == ("topics",):
        return "topic_" + (parts[2] if len(parts) > 2 else "key")
    if parts[:1] == ("groups",):
        return "max_size"
    return ".".join(parts) or "settings"


def _label(name: str, lang: Lang) -> str:
    t = SETUP[lang]
    key = {
        "coordinator_email": "coordinator_email",
        "coordinator_name": "coordinator_name",
        "recipient_email": "coordinator_email",
        "recipient_municipality": "recipients",
        "closed_start": "closed_start",
        "closed_end": "closed_end",
        "closed_label": "closed_label",
        "topic_key": "topic_key",
    }.get(name, name)
    if key in t:
        return str(t[key])
    if name.startswith("topic_"):
        return f"{t['topics']} ({name.removeprefix('topic_')})"
    return name


def problems_of(exc: ValidationError, lang: Lang) -> dict[str, str]:
    """Each problem named by its field, in the coordinator's language."""
    t = SETUP[lang]
    out: dict[str, str] = {}
    for err in exc.errors():
        loc = tuple(err["loc"])
        kind, msg, ctx = err["type"], str(err.get("msg", "")), err.get("ctx") or {}
        name = _field(loc)
        if "max_size must be at least" in msg:
            name, text = "max_size", t["e_sizes_max"]
        elif "start_with must be at most" in msg:
            name, text = "start_with", t["e_sizes_start"]
        elif "'general'" in msg:
            name, text = "topic_key", t["e_general"]
        elif "twice" in msg or "duplicate" in msg:
            name = "coordinator_email" if "coordinators" in msg else "topic_key"
            text = t["e_exists"]
        elif kind == "missing":
            text = t["e_missing"]
        elif kind in ("int_parsing", "float_parsing", "int_from_float", "int_type", "float_type"):
            text = t["e_number"]
        elif kind in ("greater_than_equal", "greater_than"):
            text = t["e_too_small"].replace("{limit}", str(ctx.get("ge", ctx.get("gt", ""))))
        elif kind in ("less_than_equal", "less_than"):
            text = t["e_too_large"].replace("{limit}", str(ctx.get("le", ctx.get("lt", ""))))
        elif kind in ("string_pattern_mismatch", "literal_error") or "not a day of" in msg:
            text = t["e_pattern"]
        elif kind == "too_short" and loc[:1] == ("coordinators",):
            name, text = "coordinator_email", t["e_last"]
        else:
            text = t["e_other"].replace("{message}", msg[:120])
        out.setdefault(name, text.replace("{label}", _label(name, lang)))
    return out


def change(
    deps: Deps, actor: str, action: str, subject: str, mutate: Mutation, lang: Lang
) -> dict[str, str]:
    """Apply one change in a transaction with its audit entry; {} when saved, else the problems
    by field (nothing written then)."""
    now = deps.clock.now()
    ended: list[str] = []

    def tx_fn(tx: Tx) -> dict[str, str]:
        doc = tx.get(SETTINGS_DOC)
        config = copy.deepcopy(doc["config"]) if doc else seeded(deps)
        version = int(doc["version"]) if doc else 0
        before = {c.get("id") for c in config["coordinators"]}
        problems = mutate(config)
        if problems:
            return problems
        try:
            CentreConfig.model_validate(config)
        except ValidationError as exc:
            return problems_of(exc, lang)
        removed = before - {c.get("id") for c in config["coordinators"]}
        for cid in sorted(x for x in removed if x):
            for key, _ in _sessions_of(deps, cid):
                tx.delete(f"console_sessions/{key}")  # signed out at once (issue 17)
                ended.append(key)
        tx.set(
            SETTINGS_DOC,
            {"config": config, "version": version + 1, "updated_at": now, "updated_by": actor},
        )
        audit(tx, now, actor, f"settings_{action}", subject)
        return {}

    problems: dict[str, str] = deps.store.transact(tx_fn)
    if not problems:
        refresh_centre(deps)
    return problems


def _sessions_of(deps: Deps, cid: str) -> list[tuple[str, dict[str, Any]]]:
    return deps.store.query("console_sessions", [Where("coordinator", "==", cid)])


# ---------------------------------------------------------------- the mutations


def _email(value: str, name: str, lang: Lang) -> tuple[str, dict[str, str]]:
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized, {}
    except EmailNotValidError:
        return "", {name: SETUP[lang]["e_email"].replace("{label}", _label(name, lang))}


def add_coordinator(deps: Deps, form: Form, lang: Lang) -> Mutation:
    def mutate(config: Config) -> dict[str, str]:
        name = one(form, "coordinator_name").strip()
        email, problems = _email(one(form, "coordinator_email"), "coordinator_email", lang)
        if not name:
            problems["coordinator_name"] = SETUP[lang]["e_missing"].replace(
                "{label}", _label("coordinator_name", lang)
            )
        if problems:
            return problems
        config["coordinators"].append(
            {"name": name[:80], "email": email, "id": coordinators.derived_id(deps, email)}
        )
        return {}

    return mutate


def remove_coordinator(cid: str, me: str, lang: Lang) -> Mutation:
    def mutate(config: Config) -> dict[str, str]:
        if cid == me:
            return {"coordinator_email": SETUP[lang]["e_self"].replace("{label}", "")}
        config["coordinators"] = [c for c in config["coordinators"] if c.get("id") != cid]
        return {}

    return mutate


def add_recipient(form: Form, lang: Lang) -> Mutation:
    def mutate(config: Config) -> dict[str, str]:
        email, problems = _email(one(form, "recipient_email"), "recipient_email", lang)
        if problems:
            return problems
        entry = {"municipality": one(form, "recipient_municipality"), "email": email}
        if entry in config["report_recipients"]:
            return {"recipient_email": SETUP[lang]["e_exists"].replace("{label}", email)}
        config["report_recipients"].append(entry)
        return {}

    return mutate


def remove_at(section: str, index: int) -> Mutation:
    def mutate(config: Config) -> dict[str, str]:
        items = list(config[section])
        if 0 <= index < len(items):
            items.pop(index)
        config[section] = items
        return {}

    return mutate


def set_topics(form: Form, lang: Lang) -> Mutation:
    def mutate(config: Config) -> dict[str, str]:
        for topic in config["topics"]:
            for code in LANGS:
                value = one(form, f"{topic['key']}.{code}").strip()
                if f"{topic['key']}.{code}" in form:
                    topic[code] = value or (None if code not in ("nb", "nn", "en") else "")
        key = one(form, "new_key").strip()
        if key:
            new: dict[str, str | None] = {
                code: one(form, f"new.{code}").strip() or None for code in LANGS
            }
            config["topics"].append({"key": key, **new})
        return _empty_names(config, lang)

    return mutate


def _empty_names(config: Config, lang: Lang) -> dict[str, str]:
    for topic in config["topics"]:
        for code in ("nb", "nn", "en"):
            if not topic.get(code):
                name = f"topic_{code}"
                return {
                    name: SETUP[lang]["e_missing"].replace("{label}", f"{topic['key']} ({code})")
                }
    return {}


def set_numbers(section: str, fields: dict[str, str], form: Form) -> Mutation:
    """Set `section.<key>` from the form field of each key (pydantic parses and checks them)."""

    def mutate(config: Config) -> dict[str, str]:
        for key, name in fields.items():
            target = config[section]
            *path, last = key.split(".")
            for p in path:
                target = target.setdefault(p, {})
            target[last] = one(form, name).strip()
        return {}

    return mutate


def add_closed(form: Form) -> Mutation:
    def mutate(config: Config) -> dict[str, str]:
        config["closed_periods"] = [
            *config["closed_periods"],
            {
                "start": one(form, "closed_start").strip(),
                "end": one(form, "closed_end").strip(),
                "label": one(form, "closed_label").strip()[:80],
            },
        ]
        return {}

    return mutate


# ---------------------------------------------------------------- pages and routing


def show(
    deps: Deps, lang: Lang, rest: list[str], query: dict[str, str], ctx: dict[str, Any]
) -> Resp:
    if len(rest) == 3 and rest[0] == "coordinators" and rest[2] == "remove":
        found = next((c for c in coordinators.listed(deps) if c.id == rest[1]), None)
        if found is None:
            return _redirect(deps, "")
        return page(deps, lang, "settings_remove.html", current="settings", who=found, **ctx)
    return _page(deps, lang, {**ctx, "saved": query.get("flash") == "saved"}, {}, {})


def _page(
    deps: Deps,
    lang: Lang,
    ctx: dict[str, Any],
    errors: dict[str, str],
    typed: dict[str, str],
    status: int = 200,
) -> Resp:
    flash = ctx.pop("flash", "")
    if not flash and ctx.get("saved"):
        flash = SETUP[lang]["settings_saved"]
    ctx.pop("saved", None)
    return page(
        deps,
        lang,
        "settings.html",
        status,
        current="settings",
        c=deps.centre,
        people=coordinators.listed(deps),
        langs_all=LANGS,
        errors=errors,
        typed=typed,
        flash=flash,
        **ctx,
    )


def _redirect(deps: Deps, flash: str) -> Resp:
    target = cookie_path(deps) + "/settings" + (f"?flash={flash}" if flash else "")
    return Resp(303, "", headers={"Location": target})


GROUP_FIELDS = {
    "min_size": "min_size",
    "start_with": "start_with",
    "max_size": "max_size",
    "long_wait_days": "long_wait_days",
    "long_waiters_needed": "long_waiters_needed",
}
# issue 21: asking those who wait (the widening offers)
WAITING_FIELDS = {
    "offer_after_days": "offer_after_days",
    "offer_every_days": "offer_every_days",
    "offers": "offers",
}
GOAL_FIELDS = {
    "groups_started_per_year": "groups_started_per_year",
    "trained_facilitators": "trained_facilitators",
}
BUDGET_FIELDS = {
    "total_nok": "total_nok",
    "year": "budget_year",
    "travel_share": "travel_share",
    "tier_weights.small": "tier_small",
    "tier_weights.medium": "tier_medium",
    "tier_weights.large": "tier_large",
}


def post(deps: Deps, s: Session, rest: list[str], form: Form, lang: Lang) -> Resp:
    actor = s.coordinator
    mutation: Mutation | None = None
    action, subject = "", ""
    match rest:
        case ["coordinators", "add"]:
            mutation, action = add_coordinator(deps, form, lang), "add_coordinator"
            subject = coordinators.derived_id(deps, one(form, "coordinator_email"))
        case ["coordinators", cid, "remove"]:
            mutation, action, subject = (
                remove_coordinator(cid, actor, lang),
                "remove_coordinator",
                cid,
            )
        case ["recipients", "add"]:
            mutation, action = add_recipient(form, lang), "add_recipient"
            subject = one(form, "recipient_municipality")[:8]
        case ["recipients", index, "remove"] if index.isdigit():
            mutation, action = remove_at("report_recipients", int(index)), "remove_recipient"
        case ["topics"]:
            mutation, action = set_topics(form, lang), "topics"
        case ["goals"]:
            mutation, action = set_numbers("goals", GOAL_FIELDS, form), "goals"
        case ["groups"]:
            mutation, action = set_numbers("groups", GROUP_FIELDS, form), "groups"
        case ["waiting"]:
            mutation, action = set_numbers("waiting", WAITING_FIELDS, form), "waiting"
        case ["budget"]:
            mutation, action = set_numbers("budget", BUDGET_FIELDS, form), "budget"
        case ["closed", "add"]:
            mutation, action = add_closed(form), "add_closed"
        case ["closed", index, "remove"] if index.isdigit():
            mutation, action = remove_at("closed_periods", int(index)), "remove_closed"
    if mutation is None:
        return page(deps, lang, "message.html", 404, heading="404", text="", session=s, csrf=s.csrf)
    problems = change(deps, actor, action, subject, mutation, lang)
    if problems:
        typed = {k: v[-1] for k, v in form.items() if k != "csrf"}
        ctx: dict[str, Any] = {"session": s, "csrf": s.csrf}
        return _page(deps, lang, ctx, problems, typed, 422)
    return _redirect(deps, "saved")
