"""What linkflyt stores, why, on what legal basis, for how long and who sees it (issue 19).

One registry, pure data and small helpers, no I/O. `make dpia` renders the data protection impact
assessment (GDPR art. 35) from it, so the assessment cannot fall behind the code; the tests hold
the registry to the code from both sides:

- tests/integration/test_registry_database.py runs a short simulated period plus the console's own writes on
  the Firestore emulator and fails on any collection or top-level field the registry does not
  classify, and on any document whose `expire_at` does not follow the registry's retention rule;
- tests/unit/test_registry.py compares the registry's durations with the code's named constants,
  the collections with Firestore TTL with infra/main.tf, and the backup retentions with
  infra/backups.tf (tests/unit/test_infra.py too).

Texts are in bokmål: the assessment is the centre's document, and Datatilsynet reads Norwegian.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final, Literal

from shared.config import CentreConfig

Category = Literal["special", "personal", "pseudonymous", "anonymous"]
Doc = Mapping[str, Any]
Look = Callable[[str], Doc | None]
"""Reads another document by path ("inquiries/<id>") from the same database."""

CATEGORIES: Final[dict[Category, str]] = {
    "special": "særlig (art. 9)",
    "personal": "personopplysning",
    "pseudonymous": "pseudonymisert",
    "anonymous": "anonym",
}
CATEGORY_NOTES: Final[dict[Category, str]] = {
    "special": "Opplysninger som kan fortelle om helse eller livssituasjon (GDPR art. 9): fritekst og "
    "tema en person har meldt seg på. Lagres bare med uttrykkelig samtykke.",
    "personal": "Opplysninger som direkte identifiserer en person: navn, e-postadresse, telefonnummer.",
    "pseudonymous": "Opplysninger uten navn eller kontakt, men knyttet til en person gjennom en "
    "tilfeldig id (samme id som personens kontaktdokument) og dermed fortsatt personopplysninger.",
    "anonymous": "Tall og svar som ikke kan knyttes til en person, heller ikke sammen med andre "
    "rapporter (sekundær prikking, README § Disclosure control).",
}
_RANK: Final[dict[Category, int]] = {"special": 0, "personal": 1, "pseudonymous": 2, "anonymous": 3}

LEGAL_BASES: Final[dict[str, str]] = {
    "consent": "Samtykke, art. 6 nr. 1 a, og uttrykkelig samtykke for særlige kategorier, "
    "art. 9 nr. 2 a. Personen krysser av i skjemaet og kan trekke samtykket og slette alt med "
    "lenken i kvitteringen.",
    "volunteer": "Avtale med igangsetteren om frivillig oppdrag, art. 6 nr. 1 b.",
    "staff": "Berettiget interesse, art. 6 nr. 1 f: senteret må vite hvem av de ansatte som logger "
    "inn og gjør hva (ansvarlighet, art. 5 nr. 2, og sikkerhet, art. 32).",
    "security": "Berettiget interesse, art. 6 nr. 1 f: å hindre misbruk av det åpne skjemaet og "
    "av lenker (sikkerhet, art. 32).",
    "operation": "Samme grunnlag som opplysningene arbeidet gjelder (art. 6 nr. 1 a/b): "
    "tekniske poster som sørger for at hvert steg skjer nøyaktig én gang.",
    "none": "Ingen personopplysninger.",
    "anonymous": "Ikke personopplysninger når de er lagret; de telles opp under behandlingen som "
    "skjer med samtykke (art. 6 nr. 1 a), og brukes til rapportering til kommunene som "
    "finansierer senteret (berettiget interesse, art. 6 nr. 1 f).",
}
AUDIENCES: Final[dict[str, tuple[str, str]]] = {
    "coordinator": ("koordinator", "koordinatorene, i konsollet etter innlogging"),
    "person": ("personen selv", "personen selv: kvitteringen, og innsyn på forespørsel"),
    "facilitator": (
        "igangsetter",
        "igangsetteren: sine egne opplysninger, og om sine grupper tid, sted og antall deltakere",
    ),
    "members": ("deltakerne", "gruppens deltakere: møterommets navn og tid"),
    "municipality": ("kommunene", "kommunene: bare anonyme, prikkede tall i rapportene"),
    "system": ("bare systemet", "ingen person; bare linkflyt selv leser det"),
    "operator": (
        "drift",
        "driftsansvarlig (eierne av Google Cloud-prosjektet), bare ved feilsøking og gjenoppretting",
    ),
}


@dataclass(frozen=True)
class Field:
    name: str
    category: Category
    what: str


@dataclass(frozen=True)
class Keep:
    """One retention rule. Documents matching `when` get `expire_at` (Firestore TTL) at
    `expected(doc, look, centre)`, or up to `slack` later (times computed when a task is delivered,
    which may be late). Without `expected`, `days` after the document was written (checked against
    the simulated period). A deadline task may delete or end the document before its TTL."""

    text: str
    days: float | Callable[[CentreConfig], float] = 0.0
    expected: Callable[[Doc, Look, CentreConfig], datetime | None] | None = None
    when: Callable[[Doc, Look], bool] = lambda doc, look: True
    slack: timedelta = timedelta(seconds=1)


@dataclass(frozen=True)
class Collection:
    name: str
    what: str
    purpose: str
    basis: str
    audience: tuple[str, ...]
    fields: tuple[Field, ...]
    keep: tuple[Keep, ...] = ()
    kept: str = ""
    """Without `keep` rules (no `expire_at`): how long and why, in words."""

    @property
    def category(self) -> Category:
        return min((f.category for f in self.fields), key=_RANK.__getitem__)

    @property
    def ttl(self) -> bool:
        """Its documents carry `expire_at` and Firestore deletes them (infra/main.tf ttl)."""
        return bool(self.keep)

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


# ---------------------------------------------------------------- durations the code must use

# Each is compared with the constant or the literal the code uses (tests/unit/test_registry.py)
# and with what the code really writes (tests/integration/test_registry_database.py).
RECHECK_DAYS: Final = (
    14  # workflows/saga/retention.py RECHECK: a person in a proposal being decided
)
GRACE_DAYS: Final = 30  # workflows/saga/retention.py GRACE: the inquiry outlives its deadline task
ENDED_DAYS: Final = 1  # erased or expired inquiries, scrubbed links: the tombstone's day
GROUP_BACKSTOP_DAYS: Final = (
    2 * 365
)  # workflows/saga/proposal.py, invitations.py: a live group's TTL
GROUP_FINISHED_DAYS: Final = 30  # workflows/saga/proposal.py FINISHED_KEEP
SELF_RUN_AFTER_CLOSE_DAYS: Final = 60  # workflows/saga/running.py
TOKEN_AFTER_EXPIRY_DAYS: Final = 30  # workflows/platform/tokens.py
BOOKING_AFTER_DAY_DAYS: Final = 2  # workflows/saga/resources.py facilitator_booking
OUTBOX_AFTER_DUE_DAYS: Final = 14  # workflows/platform/outbox.py KEEP
PROCESSED_DAYS: Final = 30  # workflows/platform/steps.py KEEP_PROCESSED
MAIL_LEASE_DAYS: Final = 30  # workflows/messaging/mailing.py
MAIL_LEASE_SECONDS: Final = 300  # workflows/messaging/mailing.py LEASE (5 minutes since issue 18)
DEADLETTER_DAYS: Final = 90  # workflows/platform/steps.py
SURVEY_DAYS: Final = 3 * 365  # workflows/saga/handlers.py (surveys)
AUDIT_DAYS: Final = 400  # workflows/console/auth.py AUDIT_KEEP
LOGIN_LINK_MINUTES: Final = 15  # workflows/console/auth.py LOGIN_MINUTES
LOGIN_AFTER_EXPIRY_DAYS: Final = 1  # workflows/console/auth.py
SESSION_HOURS: Final = 12  # workflows/console/auth.py SESSION_HOURS
SUBMISSION_HOURS: Final = 24  # workflows/intake.py SUBMISSION_KEEP
MESSAGE_DAYS: Final = 30  # workflows/console/commands.py MESSAGE_KEEP
SELF_LINK_DAYS: Final = 180  # workflows/console/commands.py SELF_LINK_DAYS


@dataclass(frozen=True)
class Backup:
    name: str
    kind: str
    retention_days: int
    protects: str


# infra/backups.tf and the database's point-in-time recovery (infra/main.tf); the privacy text
# (README § Backups and restore, and the assessment) states the longest: 8 weeks.
BACKUPS: Final[tuple[Backup, ...]] = (
    Backup(
        "pitr",
        "Gjenoppretting til et tidspunkt (point-in-time recovery)",
        7,
        "Feil i data som oppdages innen en uke (en feil i koden, en sletting ved en feil): alle "
        "versjoner fra den siste uken kan leses og gjenopprettes, den siste timen minutt for minutt.",
    ),
    Backup(
        "daily",
        "Daglig sikkerhetskopi",
        7,
        "Det samme, som en fast kopi per døgn som kan gjenopprettes til en ny database.",
    ),
    Backup(
        "weekly",
        "Ukentlig sikkerhetskopi (søndag)",
        8 * 7,
        "Feil som oppdages sent (etter mer enn en uke), og at databasen slettes eller ødelegges.",
    ),
)


def longest_backup_days() -> int:
    """How long an erased person's data can remain in a backup after the erasure."""
    return max(b.retention_days for b in BACKUPS)


# ---------------------------------------------------------------- helpers for the rules


def _d(days: float) -> timedelta:
    return timedelta(days=days)


def _get(doc: Doc, key: str) -> datetime | None:
    value = doc.get(key)
    return value if isinstance(value, datetime) else None


def _plus(doc: Doc, key: str, delta: timedelta) -> datetime | None:
    at = _get(doc, key)
    return at + delta if at else None


def _inquiry(doc: Doc, look: Look) -> Doc:
    """The inquiry of a people/ document (the same id), for rules that depend on its state."""
    found = look(f"inquiries/{doc['_id']}")
    return found or {}


def _status(doc: Doc, look: Look, *statuses: str) -> bool:
    return _inquiry(doc, look).get("status") in statuses


WAITING: Final = ("received", "awaiting_pretalk", "waiting", "proposed")
DST: Final = timedelta(hours=1)


def _until_deadline(inquiry: Doc, centre: CentreConfig) -> datetime | None:
    """The retention deadline: created + unplaced_days, re-checked every RECHECK_DAYS while the
    person is in a proposal (workflows/saga/retention.py)."""
    step = int(inquiry.get("expiry_step") or 0)
    if inquiry.get("returned_at"):  # back in the pool (issue 16): the deadline runs anew from then
        step -= int(inquiry.get("returned_step") or 0)
        return _plus(
            inquiry, "returned_at", _d(centre.retention.unplaced_days + RECHECK_DAYS * step)
        )
    return _plus(inquiry, "created_at", _d(centre.retention.unplaced_days + RECHECK_DAYS * step))


def _placed_until(inquiry: Doc, look: Look, centre: CentreConfig) -> datetime | None:
    """The day of the group's last facilitated meeting + placed_days_after_facilitation."""
    group = look(f"groups/{inquiry.get('group_id')}") if inquiry.get("group_id") else None
    dates = (group or {}).get("meeting_dates") or []
    if not dates:
        return None
    last = datetime.combine(date.fromisoformat(max(dates)), time.min, tzinfo=UTC)
    return last + _d(centre.retention.placed_days_after_facilitation)


def _outbox_until(doc: Doc, look: Look, centre: CentreConfig) -> datetime | None:
    created = _get(doc, "created_at")
    if created is None:
        return None
    dues = [t["due_at"] for t in (doc.get("tasks") or {}).values() if isinstance(t, dict)]
    latest = max([created, *[d for d in dues if isinstance(d, datetime)]])
    keep = PROCESSED_DAYS if doc.get("step") else OUTBOX_AFTER_DUE_DAYS
    return max(latest + _d(OUTBOX_AFTER_DUE_DAYS), created + _d(keep))


def _group(*statuses: str) -> Callable[[Doc, Look], bool]:
    return lambda doc, look: doc.get("status") in statuses


# ---------------------------------------------------------------- the collections

_EXPIRE: Final = "Når Firestore sletter dokumentet (TTL)"

COLLECTIONS: Final[tuple[Collection, ...]] = (
    Collection(
        "people",
        "Navn, kontakt og melding til den som har meldt seg (id: samme som henvendelsen)",
        "Å nå personen: forsamtale, invitasjoner, bekreftelser, påminnelser og undersøkelsen.",
        "consent",
        ("coordinator", "person", "operator"),
        (
            Field("name", "personal", "Fornavn eller kallenavn (ikke etternavn påkrevd)"),
            Field("email", "personal", "E-postadresse (valgfri når telefon er oppgitt)"),
            Field("phone", "personal", "Telefonnummer (valgfritt når e-post er oppgitt)"),
            Field("message", "special", "Fritekst fra personen, kan fortelle om livssituasjon"),
            Field("expire_at", "pseudonymous", _EXPIRE),
        ),
        keep=(
            Keep(
                "Ikke plassert: retention.unplaced_days ({unplaced_days} dager) etter påmeldingen, "
                "sjekket på nytt hver 14. dag mens personen er med i et forslag; slettes straks når "
                "fristen går ut (en oppgave, ikke bare TTL) eller ved sletting fra lenken",
                expected=lambda d, look, c: _until_deadline(_inquiry(d, look), c),
                when=lambda d, look: _status(d, look, *WAITING),
                slack=_d(3),
            ),
            Keep(
                "Plassert: til siste møte med igangsetter + retention.placed_days_after_facilitation "
                "({placed_days} dager), så undersøkelsen og oppfølgingen når fram",
                expected=lambda d, look, c: _placed_until(_inquiry(d, look), look, c),
                when=lambda d, look: _status(d, look, "placed", "left"),
            ),
        ),
    ),
    Collection(
        "inquiries",
        "Henvendelsen: ønsker og tilstand, uten navn og kontakt",
        "Å finne en gruppe som passer (tema, sted, tid, språk, aldersgruppe), og å vise personen "
        "hvor hun eller han står.",
        "consent",
        ("coordinator", "person", "operator"),
        (
            Field("reference", "pseudonymous", "Referansen personen fikk i kvitteringen"),
            Field("status", "pseudonymous", "Hvor i forløpet henvendelsen er"),
            Field(
                "step_free", "special", "Trenger trinnfri inngang (kan si noe om helse; issue 16)"
            ),
            Field(
                "age_reach",
                "pseudonymous",
                "Aldersgrupper utover gruppens vindu personen godtar (issue 17)",
            ),
            Field(
                "me_token",
                "pseudonymous",
                "Lenken til personens egen side (tilfeldig id, issue 17)",
            ),
            Field(
                "still_asked_at",
                "pseudonymous",
                "Når personen sist ble spurt om hun vil ha plass (issue 17)",
            ),
            Field("still_step", "pseudonymous", "Hvor mange ganger personen er spurt (issue 17)"),
            Field(
                "widen_offered", "pseudonymous", "Hvilken utvidelse som ble foreslått (issue 21)"
            ),
            Field("widen_offered_at", "pseudonymous", "Når utvidelsen ble foreslått (issue 21)"),
            Field("widen_offers", "pseudonymous", "Utvidelsene som er foreslått, eldste først"),
            Field("widened", "pseudonymous", "Utvidelser personen har godtatt (issue 17)"),
            Field("created_at", "pseudonymous", "Når personen meldte seg"),
            Field("queued_at", "pseudonymous", "Plass i køen (eldste først)"),
            Field("pretalk_at", "pseudonymous", "Når forsamtalen ble registrert"),
            Field("placed_at", "pseudonymous", "Når personen fikk plass i en gruppe"),
            Field("expired_at", "pseudonymous", "Når fristen gikk ut uten plass"),
            Field("municipality", "pseudonymous", "Hjemkommune (kommunenummer eller «annen»)"),
            Field("travel", "pseudonymous", "Andre kommuner personen kan reise til"),
            Field("topics", "special", "Tema (f.eks. sorg, pårørende): kan fortelle om helse"),
            Field("formats", "pseudonymous", "Fysisk og/eller digitalt"),
            Field("times", "pseudonymous", "Dagtid, kveld, helg"),
            Field("languages", "pseudonymous", "Språk personen kan være med i en gruppe på"),
            Field("age_band", "pseudonymous", "Aldersgruppe (valgfri), aldri fødselsdato"),
            Field("heard_from", "pseudonymous", "Hvordan personen hørte om senteret"),
            Field("lang", "pseudonymous", "Språket sidene og meldingene vises på"),
            Field("has_email", "pseudonymous", "Om personen kan nås på e-post"),
            Field("group_id", "pseudonymous", "Gruppen personen er foreslått til eller i"),
            Field("pretalk_token", "pseudonymous", "Id for koordinatorens forsamtale-lenke"),
            Field("erase_token", "pseudonymous", "Id for slettelenken i kvitteringen"),
            Field("erase_until", "pseudonymous", "Hvor lenge slettelenken virker"),
            Field("expiry_step", "pseudonymous", "Hvor mange ganger fristen er sjekket på nytt"),
            Field(
                "consent",
                "pseudonymous",
                "Samtykkegrunnlaget ved import: når og hvordan det ble gitt (issue 17)",
            ),
            Field("imported_at", "pseudonymous", "Når personen kom inn fra ventelisten (issue 17)"),
            Field(
                "waiting_since",
                "pseudonymous",
                "Venter siden, fra senterets egen venteliste ved import (issue 17)",
            ),
            Field("left_at", "pseudonymous", "Når personen gikk ut av gruppen (issue 16)"),
            Field(
                "returned_at",
                "pseudonymous",
                "Når personen kom tilbake til køen med sin gamle plass (issue 16)",
            ),
            Field(
                "returned_step",
                "pseudonymous",
                "Fristens trinn da personen kom tilbake til køen (issue 16)",
            ),
            Field(
                "counted_placed",
                "pseudonymous",
                "At plasseringen er telt én gang (den telles ikke igjen; issue 16)",
            ),
            Field("expire_at", "pseudonymous", _EXPIRE),
        ),
        keep=(
            Keep(
                "Som kontaktdokumentet + {grace} dager (så TTL aldri sletter en aktiv henvendelse)",
                expected=lambda d, look, c: (
                    until + _d(GRACE_DAYS) if (until := _until_deadline(d, c)) else None
                ),
                when=_group(*WAITING),
                slack=_d(3),
            ),
            Keep(
                "Plassert (eller gått ut av gruppen): som kontaktdokumentet",
                expected=lambda d, look, c: _placed_until(d, look, c),
                when=_group("placed", "left"),
            ),
            Keep(
                "Utløpt: én dag, uten referanse og lenker",
                expected=lambda d, look, c: _plus(d, "expired_at", _d(ENDED_DAYS)),
                when=_group("expired"),
            ),
            Keep(
                "Slettet av personen eller koordinatoren: bare «slettet» står igjen, én dag",
                days=ENDED_DAYS,
                when=_group("erased"),
            ),
        ),
    ),
    Collection(
        "groups",
        "Grupper: tema, sted, tid, språk, medlemmer (bare id-er), igangsetter og møtedatoer",
        "Å sette sammen, bemanne og følge en gruppe fram til den går av seg selv.",
        "consent",
        ("coordinator", "facilitator", "members", "operator"),
        (
            Field("status", "pseudonymous", "Hvor i forløpet gruppen er"),
            Field(
                "calendar",
                "pseudonymous",
                "Hva hver mottakers kalender har fått (UID, SEQUENCE, metode; issue 16)",
            ),
            Field("topic", "special", "Gruppens tema; sammen med medlemmene sier det noe om dem"),
            Field("place", "pseudonymous", "Kommune (eller digital)"),
            Field("format", "pseudonymous", "Fysisk eller digital"),
            Field("slot", "pseudonymous", "Ukedag og tid"),
            Field("moved_from", "pseudonymous", "Tiden gruppen ble flyttet fra"),
            Field("language", "pseudonymous", "Gruppens språk"),
            Field("age", "pseudonymous", "Aldersgruppe(r)"),
            Field("venue_id", "pseudonymous", "Møterommet"),
            Field("members", "pseudonymous", "Medlemmenes id, svar, køplass og hjemkommune"),
            Field("declined", "pseudonymous", "Id-er som takket nei (tilbys ikke gruppen igjen)"),
            Field("facilitator_id", "pseudonymous", "Igangsetteren"),
            Field("offer", "pseudonymous", "Tilbudet til en igangsetter (datoer, frist)"),
            Field("offer_round", "pseudonymous", "Hvilken runde tilbudet er i"),
            Field("restaff_round", "pseudonymous", "Nye forsøk på å finne igangsetter"),
            Field("tried", "pseudonymous", "Igangsettere som har fått tilbudet"),
            Field("meeting_dates", "pseudonymous", "Datoene for møtene med igangsetter"),
            Field("followup", "pseudonymous", "Oppfølgingsbesøk: status, dato, runde"),
            Field("followup_unstaffed_on", "pseudonymous", "Dato ingen kunne ta oppfølgingen"),
            Field(
                "replacement",
                "pseudonymous",
                "Ny igangsetter for møtene som er igjen: status, runde, hvem som har fått tilbudet (issue 16)",
            ),
            Field("replaced", "pseudonymous", "Igangsettere som gikk ut av gruppen, og når"),
            Field("group_moves", "pseudonymous", "Tid og rom gruppen ble flyttet fra, og når"),
            Field(
                "facilitation_step",
                "pseudonymous",
                "Hvor mange ganger slutten på igangsetterens møter er flyttet",
            ),
            Field("link_tokens", "pseudonymous", "Id-er for lenker i medlemmenes e-poster"),
            Field("approval_token", "pseudonymous", "Id for godkjenningslenken"),
            Field("dissolve_token", "pseudonymous", "Id for lenken som oppløser forslaget"),
            Field("retry_token", "pseudonymous", "Id for lenken som prøver bemanning igjen"),
            Field("close_token", "pseudonymous", "Id for lenken som avslutter gruppen"),
            Field("approval_deadline", "pseudonymous", "Frist for koordinatorens godkjenning"),
            Field("invitation_deadline", "pseudonymous", "Svarfrist for invitasjonen"),
            Field("created_at", "pseudonymous", "Når forslaget ble laget"),
            Field("approved_at", "pseudonymous", "Når forslaget ble godkjent"),
            Field("flagged_at", "pseudonymous", "Når ingen igangsetter var ledig"),
            Field("confirmed_at", "pseudonymous", "Når nok deltakere hadde sagt ja"),
            Field("started_at", "pseudonymous", "Første møte"),
            Field("self_run_at", "pseudonymous", "Når gruppen gikk over til å drive seg selv"),
            Field("closed_at", "pseudonymous", "Når gruppen ble avsluttet"),
            Field("closed_because", "pseudonymous", "Hvorfor den ble avsluttet"),
            Field("dissolved_at", "pseudonymous", "Når forslaget ble oppløst"),
            Field("dissolved_because", "pseudonymous", "Hvorfor"),
            Field("cancelled_at", "pseudonymous", "Når gruppen ble avlyst før start (issue 16)"),
            Field("cancelled_meetings", "pseudonymous", "Avlyste møter, etter nummer (issue 16)"),
            Field("left", "pseudonymous", "Medlemmer som har gått ut (bare id-er; issue 16)"),
            Field(
                "short_since",
                "pseudonymous",
                "Siden når gruppen er under minstetallet før start (issue 16)",
            ),
            Field("topup_until", "pseudonymous", "Fristen for å fylle på fra køen (issue 16)"),
            Field("expire_at", "pseudonymous", _EXPIRE),
        ),
        keep=(
            Keep(
                "Et forslag: {backstop} dager som sikkerhetsnett (hver tilstand har sin egen frist "
                "langt før)",
                expected=lambda d, look, c: _plus(d, "created_at", _d(GROUP_BACKSTOP_DAYS)),
                when=_group(
                    "proposed",
                    "awaiting_approval",
                    "approved",
                    "offered",
                    "needs_facilitator",
                    "facilitator_confirmed",
                ),
            ),
            Keep(
                "Bekreftet eller i gang: {backstop} dager etter bekreftelsen",
                expected=lambda d, look, c: _plus(d, "confirmed_at", _d(GROUP_BACKSTOP_DAYS)),
                when=_group("confirmed", "started"),
            ),
            Keep(
                "Går av seg selv: til den avsluttes i registeret (groups.self_run_close_days, "
                "{self_run_close} dager) + {after_close} dager",
                expected=lambda d, look, c: _plus(
                    d,
                    "self_run_at",
                    _d(c.groups.self_run_close_days + SELF_RUN_AFTER_CLOSE_DAYS),
                ),
                when=_group("self_run"),
            ),
            Keep(
                "Avsluttet, oppløst eller avlyst før start: {finished} dager",
                expected=lambda d, look, c: _plus(
                    d,
                    {"closed": "closed_at", "cancelled": "cancelled_at"}.get(
                        str(d.get("status")), "dissolved_at"
                    ),
                    _d(GROUP_FINISHED_DAYS),
                ),
                when=_group("closed", "dissolved", "cancelled"),
            ),
        ),
    ),
    Collection(
        "facilitators",
        "Igangsettere (frivillige): navn, e-post, hvor, når og hva de kan ta",
        "Å tilby grupper til en igangsetter som kan, og sende møtedetaljer.",
        "volunteer",
        ("coordinator", "facilitator", "operator"),
        (
            Field("name", "personal", "Navn"),
            Field("email", "personal", "E-postadresse"),
            Field("municipalities", "personal", "Kommuner igangsetteren dekker"),
            Field("digital", "personal", "Tar digitale grupper"),
            Field("slots", "personal", "Ukentlige tider igangsetteren kan"),
            Field("languages", "personal", "Språk"),
            Field("topics", "personal", "Tema igangsetteren tar"),
            Field("max_groups", "personal", "Hvor mange grupper samtidig"),
            Field("away", "personal", "Perioder borte"),
            Field("course_completed", "personal", "Dato for igangsetterkurset"),
            Field("active", "personal", "Om igangsetteren får tilbud nå"),
            Field("self_link", "personal", "Hash av den personlige lenken (aldri lenken selv)"),
            Field("self_link_expires", "personal", "Når den personlige lenken slutter å virke"),
            Field("created_at", "personal", "Lagt inn"),
            Field("updated_at", "personal", "Sist endret"),
        ),
        kept="Så lenge personen er igangsetter; koordinatoren setter vedkommende inaktiv og "
        "sletter når oppdraget slutter.",
    ),
    Collection(
        "venues",
        "Møterom: navn, kommune, kapasitet, trinnfri inngang, ledige tider",
        "Å finne et ledig rom til en gruppe.",
        "none",
        ("coordinator", "members", "operator"),
        (
            Field("name", "anonymous", "Rommets navn"),
            Field("municipality", "anonymous", "Kommune"),
            Field("capacity", "anonymous", "Plasser"),
            Field("accessible", "anonymous", "Trinnfri inngang"),
            Field("street", "anonymous", "Gateadresse (issue 16)"),
            Field("postcode", "anonymous", "Postnummer"),
            Field("post_place", "anonymous", "Poststed"),
            Field("room", "anonymous", "Rom eller etasje"),
            Field("entry", "anonymous", "Hvordan man kommer inn"),
            Field("lat", "anonymous", "Breddegrad (valgfri)"),
            Field("lon", "anonymous", "Lengdegrad (valgfri)"),
            Field("slots", "anonymous", "Ukentlige ledige tider"),
            Field("unavailable", "anonymous", "Perioder rommet er stengt"),
            Field("active", "anonymous", "I bruk"),
            Field("created_at", "anonymous", "Lagt inn"),
            Field("updated_at", "anonymous", "Sist endret"),
        ),
        kept="Så lenge rommet brukes (ingen personopplysninger).",
    ),
    Collection(
        "facilitator_bookings",
        "En igangsetters opptatte dag og tid (aldri to steder samtidig)",
        "Å hindre dobbeltbooking av igangsettere.",
        "volunteer",
        ("system", "operator"),
        (
            Field("facilitator_id", "pseudonymous", "Igangsetteren"),
            Field("group_id", "pseudonymous", "Gruppen"),
            Field("date", "pseudonymous", "Dato"),
            Field("part", "pseudonymous", "Del av dagen"),
            Field("at", "pseudonymous", "Når bookingen ble gjort"),
            Field("expire_at", "pseudonymous", _EXPIRE),
        ),
        keep=(
            Keep(
                "To dager etter den bookede datoen",
                expected=lambda d, look, c: (
                    datetime.combine(date.fromisoformat(d["date"]), time.min, tzinfo=UTC)
                    + _d(BOOKING_AFTER_DAY_DAYS)
                ),
            ),
        ),
    ),
    Collection(
        "facilitator_load",
        "Hvor mange grupper en igangsetter har nå (id-er)",
        "Å respektere igangsetterens tak på samtidige grupper.",
        "volunteer",
        ("system", "operator"),
        (Field("groups", "pseudonymous", "Gruppene som teller mot taket"),),
        kept="Så lenge igangsetteren finnes.",
    ),
    Collection(
        "venue_bookings",
        "Et rom booket på en ukentlig tid av en gruppe",
        "Å hindre dobbeltbooking av rom.",
        "none",
        ("system", "operator"),
        (
            Field("venue_id", "anonymous", "Rommet"),
            Field("group_id", "anonymous", "Gruppen"),
            Field("slot", "anonymous", "Ukedag og tid"),
            Field("at", "anonymous", "Når"),
        ),
        kept="Til gruppen slipper rommet (slettes da).",
    ),
    Collection(
        "tokens",
        "Lenker i e-post og SMS (godta, takke nei, godkjenne …): bare id-er og utløp",
        "At en lenke virker én gang, for én ting, til den går ut.",
        "operation",
        ("system", "operator"),
        (
            Field("action", "pseudonymous", "Hva lenken gjør"),
            Field("inquiry_id", "pseudonymous", "Henvendelsen den gjelder (fjernes ved sletting)"),
            Field("group_id", "pseudonymous", "Gruppen den gjelder"),
            Field("facilitator_id", "pseudonymous", "Igangsetteren den gjelder"),
            Field("round", "pseudonymous", "Runde"),
            Field("step", "pseudonymous", "Steg"),
            Field("pair", "pseudonymous", "Lenken som hører sammen med denne (ja/nei)"),
            Field("purpose", "pseudonymous", "Formål (f.eks. oppfølging)"),
            Field("municipality", "anonymous", "Kommune (undersøkelseslenke)"),
            Field("year", "anonymous", "År (undersøkelseslenke)"),
            Field("expires", "pseudonymous", "Når lenken slutter å virke"),
            Field("used_at", "pseudonymous", "Når den ble brukt"),
            Field("expire_at", "pseudonymous", _EXPIRE),
        ),
        keep=(
            Keep(
                "Lenker som ikke lenger nevner noen (personen slettet seg): én dag",
                expected=lambda d, look, c: _plus(d, "used_at", _d(ENDED_DAYS)),
                when=lambda d, look: "inquiry_id" in d and d["inquiry_id"] is None,
            ),
            Keep(
                "Lenkens utløp + {token_after} dager",
                expected=lambda d, look, c: _plus(d, "expires", _d(TOKEN_AFTER_EXPIRY_DAYS)),
            ),
        ),
    ),
    Collection(
        "outbox",
        "Arbeid som skal gjøres etter en lagring (oppgaver med id-er, aldri navn eller tekst)",
        "At ingenting går tapt mellom «lagret» og «sendt videre», og at et steg skjer én gang.",
        "operation",
        ("system", "operator"),
        (
            Field("tasks", "pseudonymous", "Oppgavene (kø, mål, id-er, tidspunkt)"),
            Field("pending", "pseudonymous", "Oppgaver som ikke er sendt ennå"),
            Field("status", "pseudonymous", "Sendt eller ventende"),
            Field(
                "subjects",
                "pseudonymous",
                "Hvem oppgavene gjelder (id-er), så sletting kan fjerne dem (issue 18)",
            ),
            Field("step", "pseudonymous", "Steget som skrev posten"),
            Field("due_at", "pseudonymous", "Når den første oppgaven skal gjøres"),
            Field("created_at", "pseudonymous", "Skrevet"),
            Field("sent_at", "pseudonymous", "Sendt videre"),
            Field("expire_at", "pseudonymous", _EXPIRE),
        ),
        keep=(
            Keep(
                "{outbox_after} dager etter at den siste oppgaven skulle gjøres; stegposter minst "
                "{processed} dager (en forsinket gjentakelse kjennes igjen)",
                expected=_outbox_until,
            ),
        ),
    ),
    Collection(
        "mail",
        "At en e-post eller SMS er sendt (nøkkel, status), aldri mottaker eller tekst",
        "At en melding aldri sendes to ganger.",
        "operation",
        ("system", "operator"),
        (
            Field("status", "pseudonymous", "Sender eller sendt"),
            Field("lease_until", "pseudonymous", "Sendelås"),
            Field("owner", "pseudonymous", "Hvilken sending som holder låsen (issue 18)"),
            Field("sent_at", "pseudonymous", "Sendt"),
            Field("expire_at", "pseudonymous", _EXPIRE),
        ),
        keep=(
            Keep(
                "{mail_days} dager",
                expected=lambda d, look, c: _plus(
                    d, "lease_until", _d(MAIL_LEASE_DAYS) - timedelta(seconds=MAIL_LEASE_SECONDS)
                ),
            ),
        ),
    ),
    Collection(
        "deadletters",
        "Oppgaver som feilet for godt: steg og årsak (ingen personopplysninger i årsaken)",
        "At koordinatoren får vite om noe som ikke ble gjort (oppsummeringen, varsel).",
        "operation",
        ("coordinator", "operator"),
        (
            Field("step", "pseudonymous", "Steget"),
            Field("reason", "pseudonymous", "Årsaken, f.eks. «sjekk SMTP_PASSWORD»"),
            Field("at", "pseudonymous", "Når"),
            Field("expire_at", "pseudonymous", _EXPIRE),
        ),
        keep=(
            Keep(
                "{deadletter_days} dager",
                expected=lambda d, look, c: _plus(d, "at", _d(DEADLETTER_DAYS)),
            ),
        ),
    ),
    Collection(
        "ratelimits",
        "Teller per avsender og time: HMAC med hemmelig nøkkel av adressen, aldri adressen selv",
        "Å hindre misbruk av det åpne skjemaet og av innloggingen.",
        "security",
        ("system", "operator"),
        (
            Field("count", "pseudonymous", "Antall innsendinger"),
            Field("expire_at", "pseudonymous", _EXPIRE),
        ),
        keep=(
            Keep(
                "retention.rate_limit_hours ({rate_limit_hours} timer)",
                days=lambda c: c.retention.rate_limit_hours / 24,
            ),
        ),
    ),
    Collection(
        "join_links",
        "En digital gruppes personlige møtelenker: gruppe og mottakerens id, ingen navn (issue 16)",
        "At bare gruppens medlemmer og igangsetteren kommer inn i møterommet, og bare rundt et møte.",
        "consent",
        ("system", "operator"),
        (
            Field("group_id", "pseudonymous", "Gruppen"),
            Field("recipient", "pseudonymous", "Medlemmet eller igangsetteren lenken er til"),
            Field("expires", "pseudonymous", "Når lenken slutter å virke"),
            Field("expire_at", "pseudonymous", _EXPIRE),
        ),
        keep=(
            Keep(
                "Lenkens utløp + retention.token_days; straks ved sletting",
                expected=lambda d, look, c: _plus(d, "expires", _d(c.retention.token_days)),
            ),
        ),
    ),
    Collection(
        "group_messages",
        "En melding koordinatoren sender til en gruppe (teksten), til den er sendt (issue 16)",
        "Å nå gruppens medlemmer uten at noen ser de andres adresse.",
        "consent",
        ("coordinator", "members", "operator"),
        (
            Field("group_id", "pseudonymous", "Gruppen"),
            Field("text", "special", "Meldingens tekst (kan si noe om gruppens tema)"),
            Field("at", "pseudonymous", "Når den ble skrevet"),
            Field("expire_at", "pseudonymous", _EXPIRE),
        ),
        keep=(Keep("{message_days} dager etter at den ble skrevet", days=MESSAGE_DAYS),),
    ),
    Collection(
        "settings",
        "Senterets innstillinger fra konsollet (issue 17): koordinatorer, mottakere, temaer, mål, "
        "stengte perioder, gruppestørrelser, budsjett",
        "At senteret kan endre sine innstillinger uten en utvikler; TOML-filen gir bare startverdiene.",
        "staff",
        ("coordinator", "operator"),
        (
            Field(
                "config",
                "personal",
                "Innstillingene, med koordinatorenes og mottakernes navn og adresser",
            ),
            Field("version", "anonymous", "Versjon (øker ved hver endring)"),
            Field("updated_at", "anonymous", "Sist endret"),
            Field("updated_by", "pseudonymous", "Koordinatoren som endret (id)"),
        ),
        kept="Så lenge senteret bruker linkflyt: det er senterets oppsett, ikke en persons opplysninger",
    ),
    Collection(
        "submissions",
        "Skjemaets engangs-id (HMAC med hemmelig nøkkel) og henvendelsen den laget (issue 22)",
        "At en ny innsending av samme skjema (oppdatering av takkesiden, dobbeltklikk) gir samme "
        "referanse og ikke en ny påmelding eller en ny kvittering.",
        "operation",
        ("system", "operator"),
        (
            Field("inquiry_id", "pseudonymous", "Henvendelsen innsendingen laget"),
            Field("expire_at", "pseudonymous", _EXPIRE),
        ),
        keep=(Keep("{submission_hours} timer etter innsendingen", days=SUBMISSION_HOURS / 24),),
    ),
    Collection(
        "surveys",
        "Svar på den årlige undersøkelsen: år, kommune, tilfredshet, om man vil anbefale",
        "Senterets mål om en årlig brukerundersøkelse.",
        "anonymous",
        ("coordinator", "municipality", "operator"),
        (
            Field("year", "anonymous", "År"),
            Field("municipality", "anonymous", "Kommune"),
            Field("satisfaction", "anonymous", "Tilfredshet 1–5"),
            Field("recommend", "anonymous", "Vil anbefale"),
            Field(
                "responses",
                "anonymous",
                "Antall svar (issue 18: telles, ikke ett dokument per svar)",
            ),
            Field("counts", "anonymous", "Svarene talt per svaralternativ (issue 18)"),
            Field("expire_at", "anonymous", _EXPIRE),
        ),
        keep=(
            Keep(
                "Til 1. januar fire år etter svaråret (tre hele år etter at året er over); bare "
                "årets opptellinger, uten kobling til personen (issue 18)",
                expected=lambda d, look, c: datetime(int(d["year"]) + 4, 1, 1, tzinfo=UTC),
            ),
        ),
    ),
    Collection(
        "stats",
        "Anonyme månedstall per kommune: henvendelser, plasserte, grupper, møter, ventetid",
        "Rapportene til kommunene og senterets egne mål.",
        "anonymous",
        ("coordinator", "municipality", "operator"),
        (
            Field("inquiries", "anonymous", "Henvendelser"),
            Field("heard_from", "anonymous", "Henvendelser etter hvordan de hørte om senteret"),
            Field("topic", "anonymous", "Henvendelser etter tema"),
            Field("placed", "anonymous", "Plasserte"),
            Field("widened", "anonymous", "Utvidelser godtatt, etter slag (issue 21)"),
            Field("wait_days", "anonymous", "Ventetid i dager (fordeling)"),
            Field("withdrawn", "anonymous", "Trukket"),
            Field("expired", "anonymous", "Utløpt uten plass"),
            Field("groups_started", "anonymous", "Grupper startet"),
            Field("groups_dissolved", "anonymous", "Forslag oppløst"),
            Field("digital_groups", "anonymous", "Digitale grupper med innbyggere"),
            Field("meetings", "anonymous", "Møter holdt"),
            Field("facilitator_minutes", "anonymous", "Frivillige igangsettertimer (minutter)"),
            Field("followups", "anonymous", "Oppfølgingsbesøk"),
            Field("facilitators_replaced", "anonymous", "Igangsettere byttet ut (issue 16)"),
            Field("groups_moved", "anonymous", "Grupper flyttet til annen tid eller annet rom"),
            Field("groups_cancelled", "anonymous", "Grupper avlyst før start (issue 16)"),
            Field("meetings_cancelled", "anonymous", "Enkeltmøter avlyst (issue 16)"),
            Field("meetings_moved", "anonymous", "Enkeltmøter flyttet (issue 16)"),
            Field("members_left", "anonymous", "Medlemmer som gikk ut (issue 16)"),
        ),
        kept="Beholdes: senterets historikk (anonyme tall; de overlever sletting av personer).",
    ),
    Collection(
        "reports",
        "Frosne rapporttall per kommune og periode (anonyme, prikket)",
        "At en rapport som er sendt, ikke endrer seg senere.",
        "anonymous",
        ("coordinator", "municipality", "operator"),
        (
            Field("figures", "anonymous", "Tallene, som JSON"),
            Field(
                "counts",
                "anonymous",
                "De upriktede telletallene rapporten ble laget av, som JSON (sak 18: sjekken av at "
                "en sendt rapport fortsatt stemmer med tellerne); aldri sendt ut",
            ),
            Field("built_at", "anonymous", "Når de ble laget"),
        ),
        kept="Beholdes: kommunale dokumenter er offentlige, og neste års rapport viser året før.",
    ),
    Collection(
        "digests",
        "Når koordinatoroppsummeringen sist ble sendt, og et avtrykk av innholdet",
        "Å ikke sende samme oppsummering to ganger.",
        "operation",
        ("system", "operator"),
        (
            Field("fingerprint", "anonymous", "Avtrykk (hash) av innholdet"),
            Field("sent_at", "anonymous", "Sendt"),
        ),
        kept="Ett dokument som overskrives.",
    ),
    Collection(
        "audit",
        "Hvem av koordinatorene gjorde hva og når: id-er og handling, aldri navn eller tekst",
        "Ansvarlighet og sikkerhet (art. 5 nr. 2 og art. 32).",
        "staff",
        ("coordinator", "operator"),
        (
            Field("actor", "pseudonymous", "Koordinatorens id (eller igangsetterens)"),
            Field("action", "pseudonymous", "Handlingen"),
            Field("subject", "pseudonymous", "Id for det handlingen gjaldt"),
            Field("at", "pseudonymous", "Når"),
            Field("expire_at", "pseudonymous", _EXPIRE),
        ),
        keep=(
            Keep(
                "{audit_days} dager (et år med arbeid + tid til å svare for det)",
                expected=lambda d, look, c: _plus(d, "at", _d(AUDIT_DAYS)),
            ),
        ),
    ),
    Collection(
        "console_logins",
        "Innloggingslenker til konsollet (nøkkel: HMAC av lenken)",
        "Passordløs innlogging for koordinatorene.",
        "staff",
        ("system", "operator"),
        (
            Field("coordinator", "pseudonymous", "Koordinatorens id"),
            Field("expires", "pseudonymous", "Lenken virker i {login_minutes} minutter"),
            Field("used_at", "pseudonymous", "Brukt"),
            Field("expire_at", "pseudonymous", _EXPIRE),
        ),
        keep=(
            Keep(
                "Lenkens utløp + én dag",
                expected=lambda d, look, c: _plus(d, "expires", _d(LOGIN_AFTER_EXPIRY_DAYS)),
            ),
        ),
    ),
    Collection(
        "console_sessions",
        "Innlogginger i konsollet (nøkkel: HMAC av informasjonskapselen)",
        "At bare innloggede koordinatorer ser personopplysninger.",
        "staff",
        ("system", "operator"),
        (
            Field("coordinator", "pseudonymous", "Koordinatorens id"),
            Field("csrf", "pseudonymous", "Skjemanøkkel mot forfalskede forespørsler"),
            Field("lang", "pseudonymous", "Språk i konsollet"),
            Field("created_at", "pseudonymous", "Innlogget"),
            Field("expires", "pseudonymous", "Utløper"),
            Field("expire_at", "pseudonymous", _EXPIRE),
        ),
        keep=(
            Keep(
                "{session_hours} timer",
                expected=lambda d, look, c: _plus(d, "created_at", timedelta(hours=SESSION_HOURS)),
            ),
        ),
    ),
)

BY_NAME: Final[dict[str, Collection]] = {c.name: c for c in COLLECTIONS}
# Map fields whose keys are data (stats counters "topic.<key>", a facilitator's load per group):
# the registry classifies the top-level field; what is under it is described there.


def ttl_collections() -> set[str]:
    return {c.name for c in COLLECTIONS if c.ttl}


def unclassified(found: Mapping[str, set[str]]) -> list[str]:
    """Every collection and top-level field in `found` (collection -> field names) that the
    registry does not classify, as readable lines (empty: all classified)."""
    out = []
    for name, fields in sorted(found.items()):
        c = BY_NAME.get(name)
        if c is None:
            out.append(f"collection {name}/ is not in shared/registry.py")
            continue
        out += [
            f"{name}.{f} is not classified in shared/registry.py"
            for f in sorted(fields)
            if c.field(f) is None
        ]
    return out


def rule_for(c: Collection, doc: Doc, look: Look) -> Keep | None:
    return next((k for k in c.keep if k.when(doc, look)), None)


def retention_problems(
    name: str,
    doc: Doc,
    look: Look,
    centre: CentreConfig,
    written: tuple[datetime, datetime],
) -> list[str]:
    """Does this document's `expire_at` follow the registry? `written`: when it can have been
    written (for rules without an anchor in the document)."""
    c = BY_NAME.get(name)
    expire_at = doc.get("expire_at")
    where = f"{name}/{doc.get('_id')}"
    if c is None:
        return []  # reported by unclassified()
    if not isinstance(expire_at, datetime):
        return [f"{where} has no expire_at; the registry says {c.keep[0].text!r}"] if c.keep else []
    rule = rule_for(c, doc, look)
    if rule is None:
        return [f"{where} has expire_at, but no retention rule of the registry applies"]
    if rule.expected is None:
        start, end = written
        days = rule.days(centre) if callable(rule.days) else rule.days
        wrote = expire_at - _d(days)
        if not start - timedelta(seconds=1) <= wrote <= end + timedelta(seconds=1):
            return [f"{where}: expire_at {expire_at} is not {days} days after a write"]
        return []
    expected = rule.expected(doc, look, centre)
    if expected is None:
        return [f"{where}: the anchor of {rule.text!r} is missing"]
    late = expire_at - expected
    # Days added to a time in Europe/Oslo (the simulated clock is one) are calendar days, 23 or 25
    # hours across a daylight-saving change: an hour either way is the same retention.
    if not -DST - timedelta(seconds=1) <= late <= rule.slack + DST:
        return [f"{where}: expire_at {expire_at}, the registry says {expected} ({rule.text!r})"]
    return []


def figures(centre: CentreConfig) -> dict[str, Any]:
    """The numbers the texts name, from the registry and the centre's own configuration."""
    return {
        "unplaced_days": centre.retention.unplaced_days,
        "placed_days": centre.retention.placed_days_after_facilitation,
        "rate_limit_hours": centre.retention.rate_limit_hours,
        "self_run_close": centre.groups.self_run_close_days,
        "grace": GRACE_DAYS,
        "backstop": GROUP_BACKSTOP_DAYS,
        "after_close": SELF_RUN_AFTER_CLOSE_DAYS,
        "finished": GROUP_FINISHED_DAYS,
        "token_after": TOKEN_AFTER_EXPIRY_DAYS,
        "outbox_after": OUTBOX_AFTER_DUE_DAYS,
        "processed": PROCESSED_DAYS,
        "mail_days": MAIL_LEASE_DAYS,
        "deadletter_days": DEADLETTER_DAYS,
        "survey_days": SURVEY_DAYS,
        "audit_days": AUDIT_DAYS,
        "login_minutes": LOGIN_LINK_MINUTES,
        "session_hours": SESSION_HOURS,
        "submission_hours": SUBMISSION_HOURS,
        "message_days": MESSAGE_DAYS,
        "backup_weeks": longest_backup_days() // 7,
    }
