"""Centre configuration (TOML, validated) and deployment settings (environment).

One deployment serves one centre; everything centre-specific is data in the centre file so any LINK
centre or contact point can run linkflyt. A bad file fails at start and names the key.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from datetime import date, time
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from shared.languages import Lang, StaffLang, Standard

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CENTRE_FILE = REPO_ROOT / "config" / "centres" / "link-bergen.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Centre(_Strict):
    id: str = Field(pattern=r"^[a-z0-9-]{2,40}$")
    name: str
    default_language: StaffLang = "nb"
    timezone: str = "Europe/Oslo"
    mail_from: str
    allowed_origins: tuple[str, ...] = ()
    require_pretalk: bool = True
    require_approval: bool = True
    waiting_limit_days: int = Field(default=30, ge=1)
    # Issue 18: receipt SMS cost money per message, and the form is public. SMS go only to mobile
    # numbers of these regions (ISO 3166 codes as phonenumbers knows them); the hourly cap on
    # receipts is the deployment's RECEIPTS_PER_HOUR.
    sms_regions: tuple[str, ...] = ("NO",)

    @field_validator("sms_regions")
    @classmethod
    def _regions(cls, regions: tuple[str, ...]) -> tuple[str, ...]:
        import phonenumbers  # only when a centre file names regions (the form's cold start)

        unknown = [r for r in regions if r not in phonenumbers.SUPPORTED_REGIONS]
        if unknown:
            raise ValueError(f"unknown region code(s) {', '.join(unknown)} (use e.g. NO, SE, DK)")
        return regions


class Groups(_Strict):
    min_size: int = Field(default=5, ge=4, le=12)
    # Seed 002: "groups start at 5 participants (4 can be enough)": proposals aim at min_size; at
    # the invitation deadline a group with at least start_with yeses starts (issue 8).
    start_with: int = Field(default=4, ge=3, le=12)
    max_size: int = Field(default=8, ge=4, le=20)
    facilitator_meetings: int = Field(default=3, ge=1, le=12)
    invitation_deadline_days: int = Field(default=7, ge=1)
    offer_timeout_hours: int = Field(default=48, ge=1)
    meeting_minutes: int = Field(default=90, ge=30, le=240)
    evening_start: time = time(18, 0)
    daytime_start: time = time(12, 0)
    weekend_start: time = time(12, 0)
    # Issue 8: every waiting state has a deadline. A proposal the coordinator never approves is
    # dissolved after approval_days (members keep their place); a group nobody can staff is tried
    # again every staffing_retry_days, staffing_retries times, before it is dissolved.
    approval_days: int = Field(default=30, ge=1)
    staffing_retry_days: int = Field(default=7, ge=1)
    staffing_retries: int = Field(default=3, ge=0)
    # Selvhjelp Norge's practice: a reminder before the first meeting, a follow-up visit offered
    # 6-8 weeks after the facilitator phase (on request too, as often as asked).
    reminder_days_before: int = Field(default=2, ge=1, le=14)
    followup_after_days: int = Field(default=42, ge=1)
    followup_window_days: int = Field(default=14, ge=1)
    # A self-running group is closed in our records this long after the facilitator phase (the
    # group itself may go on meeting; the coordinator can close it earlier).
    self_run_close_days: int = Field(default=365, ge=30)
    # Age bands 18-29, 30-44, 45-59, 60-74, 75+: members' bands differ by at most this many steps.
    age_band_distance: int = Field(default=1, ge=0, le=4)
    # Issue 21 (DESIGN: "long waiters may start at the minimum of 4"): someone who has waited
    # this long no longer waits for a full group: their group may be proposed with start_with
    # people and span one more age band (matching.propose). 0 turns it off (README § Long
    # waiters has the figures of each step).
    long_wait_days: int = Field(default=90, ge=0, le=730)
    # ... and how many of those start_with must have waited that long (issue 21: "long waiters
    # may start at the minimum of 4", read as "a group for a long waiter"); start_with or more:
    # all of them. 1 against 4, seeds 21-23 with rooms found: 15.6/16.5/13.1 % long waiters
    # against 18.8/24.7/17.6 %, and 4-7 more placed.
    long_waiters_needed: int = Field(default=1, ge=1, le=12)

    @model_validator(mode="after")
    def _sizes(self) -> Groups:
        if self.max_size < self.min_size:
            raise ValueError("max_size must be at least min_size")
        if self.start_with > self.min_size:
            raise ValueError("start_with must be at most min_size")
        return self


class ClosedPeriod(_Strict):
    """A yearly period without meetings (Christmas week, summer weeks): "MM-DD" to "MM-DD", inclusive;
    a period may run over New Year ("12-22" to "01-02")."""

    start: str = Field(pattern=r"^\d{2}-\d{2}$")
    end: str = Field(pattern=r"^\d{2}-\d{2}$")
    label: str = ""

    @field_validator("start", "end")
    @classmethod
    def _a_day_of_the_year(cls, value: str) -> str:
        # issue 17: the console edits these; "13-40" would break every meeting date computed later
        month, day = int(value[:2]), int(value[3:])
        try:
            date(2024, month, day)  # a leap year: 02-29 is a day some years have
        except ValueError as exc:
            raise ValueError(f"not a day of the year: {value}") from exc
        return value


class Retention(_Strict):
    unplaced_days: int = Field(default=365, ge=1)
    placed_days_after_facilitation: int = Field(default=90, ge=1)
    token_days: int = Field(default=30, ge=1)
    rate_limit_hours: int = Field(default=2, ge=1)


class Survey(_Strict):
    after_days: int = Field(default=60, ge=1)
    valid_days: int = Field(default=60, ge=1)


class Waiting(_Strict):
    """Asking the person, early (issue 21): once their wait passes `offer_after_days` without a
    group in sight, the widening most likely to place them is offered by email or SMS."""

    offer_after_days: int = Field(default=60, ge=1, le=365)
    # a person who still has no group is offered the next change after this many days, up to
    # `offers` in all (never the same change twice; issue 21: one offer left 41 of 160 waiting)
    offer_every_days: int = Field(default=42, ge=7, le=365)
    offers: int = Field(default=3, ge=1, le=6)


class Goals(_Strict):
    groups_started_per_year: int = Field(default=20, ge=0)
    trained_facilitators: int = Field(default=5, ge=0)


class Budget(_Strict):
    total_nok: int = Field(ge=0)
    year: int
    travel_share: float = Field(default=0.0, ge=0, le=1)
    tier_weights: dict[Literal["small", "medium", "large"], float]


class Municipality(_Strict):
    code: str = Field(pattern=r"^\d{4}$")
    name: str
    population: int = Field(ge=0)
    standard: Standard
    tier: Literal["small", "medium", "large"]
    travel_km: int = Field(default=0, ge=0)


class Topic(_Strict):
    key: str = Field(pattern=r"^[a-z_]{2,40}$")
    nb: str
    nn: str
    en: str
    # residents' other languages (issue 11): optional, English where the centre gives none
    uk: str | None = None
    pl: str | None = None
    ar: str | None = None
    so: str | None = None
    ti: str | None = None

    def label(self, lang: Lang) -> str:
        return str(getattr(self, lang) or self.en)


class Contact(_Strict):
    """How residents reach the centre (issue 22): the footer of every resident page and email, the
    thank-you page's "what happens next", the privacy and accessibility statements."""

    phone: str
    email: str
    street: str = Field(min_length=2)
    postcode: str = Field(pattern=r"^\d{4}$")
    city: str = Field(min_length=2)
    # when the phone is answered on weekdays (both or neither)
    phone_from: time | None = None
    phone_to: time | None = None
    website: str | None = Field(default=None, pattern=r"^https://\S+$")
    organisation_number: str | None = Field(default=None, pattern=r"^\d{9}$")
    # the promise the thank-you page and the receipt make: a coordinator calls or writes within
    pretalk_within_days: int = Field(default=7, ge=1, le=60)
    # when the accessibility statement was last reviewed (the statement prints it)
    accessibility_reviewed: date

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        # international form, as people dial it from any phone (no phonenumbers import here: the
        # form page's cold start reads this file)
        if not re.fullmatch(r"\+[1-9]\d{0,2}( ?\d){6,14}", value):
            raise ValueError("write the number with its country code, like +47 55 00 00 00")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            raise ValueError("write one email address, like post@centre.no")
        return value

    @model_validator(mode="after")
    def _hours(self) -> Contact:
        if (self.phone_from is None) != (self.phone_to is None):
            raise ValueError("phone_from and phone_to: give both or neither")
        if self.phone_from and self.phone_to and self.phone_from >= self.phone_to:
            raise ValueError("phone_from must be before phone_to")
        return self

    @property
    def tel(self) -> str:
        """For a tel: link: the number without spaces."""
        return self.phone.replace(" ", "")


class MeetingRooms(_Strict):
    """Where a digital group meets (issue 16): `jitsi` — the centre's own Jitsi Meet server, one
    unguessable room per group, with a short-lived JWT when the server uses token authentication
    (the app secret is the JITSI_APP_SECRET secret, never in this file); `link` — a fixed link the
    coordinator or the facilitator enters for each group; `none` — no room from us."""

    provider: Literal["jitsi", "link", "none"] = "none"
    jitsi_url: str = Field(default="", pattern=r"^(https://[a-z0-9.-]+(:\d+)?(/[A-Za-z0-9_-]+)?)?$")
    token_auth: bool = False
    # prosody's app_id (the token's iss) and accepted audience (aud); sub is the server's host
    app_id: str = Field(default="", pattern=r"^[A-Za-z0-9_.-]{0,64}$")
    audience: str = Field(default="jitsi", pattern=r"^[A-Za-z0-9_.*-]{1,64}$")
    token_minutes: int = Field(default=5, ge=1, le=15)
    # the join link opens this long before a meeting (CONTRACT.md: 15 minutes)
    opens_minutes_before: int = Field(default=15, ge=0, le=60)

    @model_validator(mode="after")
    def _jitsi(self) -> MeetingRooms:
        if self.provider == "jitsi" and not self.jitsi_url:
            raise ValueError("jitsi_url is required with provider = 'jitsi'")
        if self.provider == "jitsi" and self.token_auth and not self.app_id:
            raise ValueError("app_id is required with token_auth = true")
        return self


class Person(_Strict):
    name: str
    email: str
    # issue 17: the stable id pending work and emails name (set when the console adds or seeds one)
    id: str | None = Field(default=None, pattern=r"^c-[0-9a-f]{10}$")


class Recipient(_Strict):
    municipality: str = Field(pattern=r"^\d{4}$")
    email: str


class CentreConfig(_Strict):
    centre: Centre
    contact: Contact
    groups: Groups = Groups()
    retention: Retention = Retention()
    waiting: Waiting = Waiting()
    goals: Goals = Goals()
    survey: Survey = Survey()
    meeting_rooms: MeetingRooms = MeetingRooms()
    closed_periods: tuple[ClosedPeriod, ...] = ()
    budget: Budget
    municipalities: tuple[Municipality, ...] = Field(min_length=1)
    topics: tuple[Topic, ...] = Field(min_length=1)
    coordinators: tuple[Person, ...] = Field(min_length=1)
    report_recipients: tuple[Recipient, ...] = ()

    @field_validator("topics")
    @classmethod
    def _general_topic(cls, topics: tuple[Topic, ...]) -> tuple[Topic, ...]:
        if "general" not in {t.key for t in topics}:
            raise ValueError("the topic list must contain 'general'")
        return topics

    @model_validator(mode="after")
    def _references(self) -> CentreConfig:
        codes = [m.code for m in self.municipalities]
        if len(set(codes)) != len(codes):
            raise ValueError("municipalities: duplicate code")
        for r in self.report_recipients:
            if r.municipality not in codes:
                raise ValueError(f"report_recipients: unknown municipality {r.municipality}")
        ids = [c.id for c in self.coordinators if c.id]
        emails = [c.email.strip().lower() for c in self.coordinators]
        if len(set(ids)) != len(ids) or len(set(emails)) != len(emails):
            raise ValueError("coordinators: the same coordinator twice")
        keys = [t.key for t in self.topics]
        if len(set(keys)) != len(keys):
            raise ValueError("topics: duplicate key")
        return self

    @property
    def closed(self) -> tuple[tuple[str, str], ...]:
        return tuple((p.start, p.end) for p in self.closed_periods)

    def municipality(self, code: str) -> Municipality | None:
        return next((m for m in self.municipalities if m.code == code), None)

    @property
    def municipality_codes(self) -> frozenset[str]:
        return frozenset(m.code for m in self.municipalities)

    @property
    def topic_keys(self) -> tuple[str, ...]:
        return tuple(t.key for t in self.topics)


class ConfigError(RuntimeError):
    """The centre file is missing or invalid; the message names the key."""


def load_centre(path: Path | str) -> CentreConfig:
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"centre configuration file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    try:
        return CentreConfig.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"{path}: invalid centre configuration: {problems}") from exc


class Settings(BaseModel):
    """Deployment settings from the environment (the same names locally and in the cloud): each
    field from the variable of its name in capitals; keyword arguments win. pydantic parses and
    checks the values (booleans, numbers, paths, choices). Plain reading instead of pydantic-settings,
    whose import cost the public form's cold start ~0.05 s (issue 12) for no feature used here."""

    model_config = ConfigDict(extra="ignore")

    def __init__(self, **values: Any) -> None:
        fields = {name.upper(): name for name in type(self).model_fields}
        env = {fields[k.upper()]: v for k, v in os.environ.items() if k.upper() in fields}
        super().__init__(**{**env, **values})

    google_cloud_project: str = "linkflyt-local"
    centre_config: Path = DEFAULT_CENTRE_FILE
    # Where people and task runners reach the functions (no trailing slash).
    public_base_url: str = "http://127.0.0.1:8080"
    functions_base_url: str = ""
    # Where Cloud Tasks sends a task for function {name} (the deployed name, prefix included). The
    # cloud sets the function's deterministic run.app URL, which internal-only ingress admits from
    # Cloud Tasks and which is also the OIDC audience (README § Deployment); default: base/{name}.
    task_url_template: str = ""
    # Deployed functions are named f"{prefix}{name}" (infra/: "<prefix>-assemble"); locally "".
    function_name_prefix: str = ""
    tasks_location: str = "europe-north1"
    queue_prefix: str = "linkflyt"
    cloud_tasks_emulator_host: str = ""
    tasks_service_account: str = ""
    link_signing_key: str = "local-dev-link-signing-key-change-me"
    rate_limit_secret: str = "local-dev-rate-limit-secret-change-me"
    # Console sessions and sign-in links are keyed with this (a secret like the link key, issue 9).
    session_signing_key: str = "local-dev-session-key-change-me"
    # The centre's Jitsi Meet app secret (prosody's app_secret) signing the join tokens (issue 16).
    jitsi_app_secret: str = "local-dev-jitsi-app-secret-change-me"
    # Sign-in links one coordinator address may be sent per hour (tests sign in more often).
    console_links_per_hour: int = Field(default=5, ge=1)
    # ... and in all per address, whoever asks (issue 18: against mail-bombing a coordinator; the
    # per-client quota above is what a stranger can spend, so they cannot lock the coordinator out).
    console_address_links_per_hour: int = Field(default=20, ge=1)
    rate_limit_per_hour: int = Field(default=20, ge=1)
    # Receipts (emails and SMS) the whole centre sends per clock hour; past it the coordinators are
    # told once that hour (issue 18: many clients together could pump the SMS and mail bill).
    receipts_per_hour: int = Field(default=60, ge=1)
    # Failed link checks (/actions) one client may make per hour before it is answered 429 (issue 18).
    failed_links_per_hour: int = Field(default=20, ge=1)
    trust_forwarded_for: bool = False
    mail_backend: Literal["outbox", "ses", "smtp"] = "outbox"
    # The centre's own mailbox (issue 11): README § Email shows Microsoft 365 and Google Workspace.
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"
    # The centre's SMTP server offers SMTPUTF8: the form then accepts addresses with letters beyond
    # ASCII before the @ ("sølvi@…"); otherwise it asks for another address (issue 18).
    smtp_utf8: bool = False
    # A CA bundle to trust besides the system's (tests; a server with a private CA).
    smtp_ca_file: str = ""
    outbox_dir: Path = REPO_ROOT / "var" / "outbox"
    ses_region: str = "eu-north-1"
    # SMS to people who gave only a phone number (issue 11): a folder of JSON files, Amazon SNS, or
    # none (then the coordinator is asked to phone them, as before).
    sms_backend: Literal["outbox", "sns", "none"] = "outbox"
    sms_outbox_dir: Path = REPO_ROOT / "var" / "sms"
    sns_region: str = "eu-north-1"
    # The alphanumeric sender shown on the phone (at most 11 letters and digits; SNS in Norway).
    sms_sender_id: str = Field(default="LINK", pattern=r"^[A-Za-z0-9]{0,11}$")
    # The shortest public address of /actions (a short domain keeps SMS within two segments);
    # default: PUBLIC_BASE_URL.
    sms_link_base: str = ""
    dispatch_inline: bool = True

    @property
    def https(self) -> bool:
        """Served over https (the cloud): Secure cookies and HSTS (issues 9 and 12)."""
        return self.public_base_url.startswith("https://")

    @property
    def task_url(self) -> str:
        """A template with `{name}`: the URL (and OIDC audience) of a task to function `name`."""
        if self.task_url_template:
            return self.task_url_template
        return (self.functions_base_url or self.public_base_url).rstrip("/") + "/{name}"


# The secrets each deployed function reads (issue 12: least privilege). infra/main.tf gives each
# function exactly these; tests/unit/test_infra.py checks that the two agree.
MAIL_KEYS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "SMTP_PASSWORD")
SECRETS: dict[str, tuple[str, ...]] = {
    # intake serves /join (issue 16): it mints the Jitsi tokens
    "intake": (
        "LINK_SIGNING_KEY",
        "RATE_LIMIT_SECRET",
        "SESSION_SIGNING_KEY",
        "JITSI_APP_SECRET",
        *MAIL_KEYS,
    ),
    "assemble": (),
    "schedule": (),
    "notify": ("LINK_SIGNING_KEY", *MAIL_KEYS),
    "actions": ("LINK_SIGNING_KEY",),
    "digest": ("LINK_SIGNING_KEY", *MAIL_KEYS),
    "report": MAIL_KEYS,
    "sweep": (),
}


def _mail_key_missing(key: str, settings: Settings, env: Mapping[str, str]) -> bool:
    """The AWS keys when mail goes through SES or SMS through SNS; the SMTP password when the
    mailbox has a login."""
    if key.startswith("AWS_"):
        return (settings.mail_backend == "ses" or settings.sms_backend == "sns") and not env.get(
            key
        )
    if key == "SMTP_PASSWORD":
        return (
            settings.mail_backend == "smtp"
            and bool(settings.smtp_username)
            and not settings.smtp_password
        )
    return False


def missing_secrets(
    settings: Settings, env: Mapping[str, str], centre: CentreConfig | None = None
) -> list[str]:
    """In the cloud (K_SERVICE set) or sending real mail, every secret this function reads must be
    set and not the public local default; returns the names that are not (empty: fine). The Jitsi
    app secret only when the centre's Jitsi server checks tokens (or the centre is not known)."""
    if (
        not env.get("K_SERVICE")
        and settings.mail_backend != "ses"
        and settings.sms_backend != "sns"
    ):
        return []
    name = env.get("FUNCTION_TARGET") or env.get("K_SERVICE", "").removeprefix(
        settings.function_name_prefix
    )
    wanted = SECRETS.get(name, tuple(sorted({k for v in SECRETS.values() for k in v})))
    defaults = {
        field.upper(): info.default
        for field, info in Settings.model_fields.items()
        if field.endswith(("_key", "_secret"))
    }
    out = []
    rooms = centre.meeting_rooms if centre is not None else None
    for key in wanted:
        if (
            key == "JITSI_APP_SECRET"
            and rooms is not None
            and not (rooms.provider == "jitsi" and rooms.token_auth)
        ):
            continue
        if key in defaults:
            if getattr(settings, key.lower()) == defaults[key]:
                out.append(key)
        elif _mail_key_missing(key, settings, env):
            out.append(key)
    return out


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


@lru_cache(maxsize=1)
def get_centre() -> CentreConfig:
    path = get_settings().centre_config
    return load_centre(path if path.is_absolute() else REPO_ROOT / path)


def reset_caches() -> None:
    """Tests change the environment between cases; production reads settings once."""
    get_settings.cache_clear()
    get_centre.cache_clear()


__all__ = ["CentreConfig", "ConfigError", "Settings", "get_centre", "get_settings", "load_centre"]
