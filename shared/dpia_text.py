"""The data protection impact assessment's own text (issue 19): who processes the data for the
centre, how it flows, the risks and their measures, the rights. Pure data in bokmål, beside the
registry of what is stored (shared/registry.py), rendered together by `make dpia`.

Placeholders in braces (`{backup_weeks}`) are filled from `registry.figures`. A statement here is a
claim about the code: say what exists, and mark what is planned as planned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Processor:
    name: str
    role: str
    data: str
    where: str
    transfer: str
    when: str


SUBPROCESSORS: Final[tuple[Processor, ...]] = (
    Processor(
        "Google Cloud (Google Cloud EMEA Limited, Irland)",
        "Drift: funksjonene, databasen (Firestore), køene, tidsplanene, hemmelighetene, logger, "
        "overvåking og sikkerhetskopier",
        "Alt i tabellen over",
        "Funksjoner i europe-north1 (Finland); databasen og sikkerhetskopiene i eur3 (EU); "
        "logger i EU",
        "Lagres i EØS. Morselskapet Google LLC er i USA: EUs standardavtaler (SCC) i Googles "
        "databehandleravtale (Cloud Data Processing Addendum) og EU–US Data Privacy Framework.",
        "Alltid",
    ),
    Processor(
        "Amazon Web Services EMEA SARL (Luxembourg): Amazon SES",
        "Sender e-post",
        "Mottakerens e-postadresse og e-postens innhold (tid, sted, lenker; aldri andres kontakt)",
        "eu-north-1 (Stockholm)",
        "Lagres i EØS. Morselskapet er i USA: SCC i AWS' databehandleravtale (DPA) og Data "
        "Privacy Framework.",
        "Når MAIL_BACKEND=ses",
    ),
    Processor(
        "Senterets egen e-postleverandør (f.eks. Microsoft 365 eller Google Workspace)",
        "Sender e-post fra senterets postkasse (SMTP)",
        "Som for Amazon SES",
        "Etter senterets avtale med leverandøren",
        "Etter senterets eksisterende databehandleravtale",
        "Når MAIL_BACKEND=smtp",
    ),
    Processor(
        "Amazon Web Services EMEA SARL: Amazon SNS (og mobiloperatørene som leverer meldingen)",
        "Sender SMS til den som bare oppga telefonnummer",
        "Telefonnummeret og SMS-ens tekst (kvittering, invitasjon, tid og sted, korte lenker)",
        "eu-north-1 (Stockholm); leveres gjennom norske mobiloperatører",
        "Som for Amazon SES",
        "Når SMS_BACKEND=sns",
    ),
    Processor(
        "Leverandør av videomøter for digitale grupper (senterets Jitsi Meet-server, eller en fast "
        "lenke fra en leverandør senteret velger)",
        "Møterommet til en digital gruppe",
        "Under møtet: deltakernes visningsnavn, IP-adresse, lyd og bilde (ikke tatt opp)",
        "Etter senterets valg; bør være i EØS",
        "Etter senterets avtale med leverandøren",
        "Når senteret har digitale grupper",
    ),
)


@dataclass(frozen=True)
class Flow:
    source: str
    target: str
    what: str
    how: str


FLOWS: Final[tuple[Flow, ...]] = (
    Flow(
        "Innbygger",
        "Skjemaet (intake)",
        "Navn eller kallenavn, e-post og/eller telefon, kommune, tema, tider, språk, melding",
        "HTTPS; det eneste åpne endepunktet",
    ),
    Flow(
        "Skjemaet",
        "Databasen",
        "Kontakt og melding i people/, ønsker i inquiries/, anonyme tall i stats/",
        "Én transaksjon; oppgaver bærer bare id-er",
    ),
    Flow(
        "Databasen",
        "Innbygger",
        "Kvittering med referanse og slettelenke",
        "E-post (SES/SMTP) eller SMS (SNS)",
    ),
    Flow(
        "Databasen",
        "Koordinator",
        "Daglig oppsummering med referanser, steder og tema, aldri navn eller kontakt",
        "E-post; navn og kontakt bare i konsollet etter innlogging",
    ),
    Flow(
        "Koordinator",
        "Databasen",
        "Forsamtale registrert, forslag godkjent, igangsettere og rom",
        "Konsollet eller signert lenke, alltid bekreftet med et skjema (POST)",
    ),
    Flow(
        "Databasen",
        "Igangsetter",
        "Tilbud om gruppe: tema, sted, tid og antall deltakere",
        "E-post med kalenderinvitasjon",
    ),
    Flow(
        "Databasen",
        "Deltakere",
        "Invitasjon, bekreftelse, påminnelse: tid og sted (digitalt: at gruppen møtes på nett)",
        "E-post med kalenderinvitasjon (uten andre deltakere) eller SMS",
    ),
    Flow(
        "Databasen",
        "Kommunene",
        "Anonyme tall per kommune og periode, små tall prikket (også sekundært)",
        "Rapport (PDF og regneark) på e-post",
    ),
    Flow(
        "Databasen",
        "Sikkerhetskopier",
        "Hele databasen",
        "Google Cloud: gjenoppretting 7 dager, daglig kopi 7 dager, ukentlig kopi 8 uker",
    ),
)


@dataclass(frozen=True)
class Risk:
    title: str
    scenario: str
    likelihood: int  # before the measures: 1 lav, 2 middels, 3 høy
    severity: int  # 1 lav, 2 middels, 3 høy
    measures: tuple[str, ...]
    residual: str


LEVEL: Final = {1: "lav", 2: "middels", 3: "høy"}

RISKS: Final[tuple[Risk, ...]] = (
    Risk(
        "Uvedkommende får vite hvem som søker hjelp, og for hva",
        "Et datainnbrudd, en feilkonfigurert tilgang eller en lekket nøkkel gir innsyn i "
        "kontaktdokumentene og temaene.",
        2,
        3,
        (
            "Kontakt og melding i et eget dokument (people/), adskilt fra ønskene",
            "Bare skjemaet er åpent; alle andre funksjoner godtar bare sin egen tjenestekonto",
            "Hver funksjon har sin egen tjenestekonto og bare de hemmelighetene den leser",
            "Hemmeligheter i Secret Manager; offentlige standardnøkler nektes i skyen",
            "Data lagres kryptert i EØS (Google Cloud)",
        ),
        "lav",
    ),
    Risk(
        "Livssituasjon i e-post til feil mottaker",
        "En e-post til koordinatoren videresendes eller leses av andre.",
        2,
        2,
        (
            "Koordinatorens e-poster har aldri navn, kontakt eller melding: bare referanser, "
            "steder og tema (testet for hele forløpet)",
            "Navn og kontakt vises bare i konsollet etter passordløs innlogging (15 minutter)",
        ),
        "lav",
    ),
    Risk(
        "En kommune kan kjenne igjen en person i rapportene",
        "En leser med alle rapporter for året sammenligner tabeller, kvartaler og år.",
        2,
        3,
        (
            "Bare anonyme månedstall leses av rapportene",
            "Små tall (1–4) prikkes, med sekundær prikking mot summer og andre rapporter "
            "(heltallsprogram, revidert mot en angriper med alle rapporter)",
            "Foreløpige rapporter går bare til koordinatorene",
        ),
        "lav",
    ),
    Risk(
        "Deltakere ser hverandres kontaktopplysninger",
        "En kalenderinvitasjon eller en melding til gruppen viser alle mottakerne.",
        2,
        2,
        ("Hver deltaker får sin egen e-post og kalenderfil; ingen andre deltakere nevnes",),
        "lav",
    ),
    Risk(
        "Personopplysninger i logger",
        "Navn, adresser eller lenker havner i driftslogger som mange kan lese og som lagres lenge.",
        2,
        2,
        (
            "Loggene har bare id-er og antall; formatereren fjerner personlige felter og maskerer "
            "alt som ser ut som e-post eller telefon",
            "Forespørselslogger for det åpne skjemaet (lenker og IP-adresser) lagres ikke",
            "Varslene teller loggrader, ikke innhold",
        ),
        "lav",
    ),
    Risk(
        "Opplysninger lagres lenger enn nødvendig",
        "Personer som aldri fikk plass, eller som slettet seg, finnes fortsatt i databasen eller i "
        "sikkerhetskopier.",
        2,
        2,
        (
            "Hver frist er en oppgave som sletter til riktig tid; Firestore TTL er sikkerhetsnett",
            "Sletting fra kvitteringens lenke sletter kontakten straks",
            "Registeret over lagringstider testes mot det koden faktisk skriver",
            "Sikkerhetskopier slettes etter høyst {backup_weeks} uker",
        ),
        "middels: en gjenoppretting fra en sikkerhetskopi henter tilbake personer som slettet seg "
        "etter at kopien ble tatt; sletting må gjentas etter en gjenoppretting (README § Backups)",
    ),
    Risk(
        "Lenker i e-post eller SMS misbrukes",
        "En lenke videresendes, gjettes eller åpnes av en e-postskanner.",
        2,
        2,
        (
            "Lenkene er signerte, går ut og virker én gang",
            "Å åpne en lenke gjør ingenting; bare et bekreftet skjema (POST) handler",
        ),
        "lav",
    ),
    Risk(
        "Andres kontaktopplysninger meldes på",
        "Noen melder på en annen person, eller skjemaet brukes til søppelpost.",
        2,
        1,
        (
            "Kvitteringen går til adressen som er oppgitt, med slettelenke",
            "Grense for innsendinger per avsender; honningkrukkefelt",
            "Forsamtale med koordinatoren før en gruppe",
        ),
        "lav",
    ),
    Risk(
        "Automatisk gruppesammensetning gir urimelige utfall",
        "Noen venter lenge fordi kombinasjonen av tema, sted, tid og alder er sjelden.",
        2,
        2,
        (
            "Koordinatoren godkjenner hvert forslag (kan slås av bare bevisst)",
            "Personen får vite hvorfor, og får tilbud om det som mest sannsynlig gir plass",
            "Ingen avgjørelse med rettsvirkning; alle kan takke nei og beholde plassen",
        ),
        "lav",
    ),
    Risk(
        "Tap av data eller stans",
        "En feil i koden, en sletting ved en feil eller en feil hos leverandøren.",
        2,
        2,
        (
            "Gjenoppretting til et tidspunkt (7 dager), daglige og ukentlige sikkerhetskopier",
            "Varsel til koordinatorene ved feil, stans og uvanlig bruk",
            "Arbeid som må skje etter en lagring, lagres sammen med den (utboks)",
        ),
        "lav",
    ),
    Risk(
        "Overføring til tredjeland",
        "Leverandørenes morselskaper i USA kan bli pålagt å utlevere data.",
        1,
        3,
        (
            "Lagring og behandling i EØS-regioner",
            "EUs standardavtaler og EU–US Data Privacy Framework i databehandleravtalene",
            "Minimale opplysninger: ingen fødselsnummer, fødselsdato eller diagnose",
        ),
        "lav",
    ),
    Risk(
        "Uvedkommende i et digitalt gruppemøte",
        "En møtelenke deles videre.",
        2,
        2,
        (
            "Senteret gir møtelenken bare til gruppens deltakere; ingen opptak",
            "Planlagt (CONTRACT.md § After the confirmation): personlige møtelenker som åpner kort "
            "før møtet og slutter å virke når man går ut av gruppen",
        ),
        "middels til de personlige møtelenkene er bygget",
    ),
)

CRITERIA: Final[tuple[str, ...]] = (
    "Særlige kategorier av personopplysninger (art. 9): tema og fritekst kan fortelle om helse "
    "og livssituasjon (sorg, pårørende, psykisk belastning).",
    "Sårbare registrerte: mennesker i livskriser, og nyankomne i Norge som ikke kjenner "
    "rettighetene sine.",
    "Sammenstilling og matching: systemet setter sammen grupper automatisk fra flere "
    "opplysninger om hver person.",
    "Ny teknologi for senteret: en skytjeneste med automatiske utsendelser på e-post og SMS.",
)

RIGHTS: Final[tuple[tuple[str, str], ...]] = (
    (
        "Informasjon (art. 13)",
        "Skjemaet og kvitteringen sier hva som lagres og hvorfor, på personens språk (åtte språk).",
    ),
    (
        "Innsyn (art. 15) og dataportabilitet (art. 20)",
        "Koordinatoren finner alt som er lagret om en person i konsollet og gir det ut på "
        "forespørsel. En egen side der personen ser og laster ned sine opplysninger er beskrevet "
        "(CONTRACT.md § The person's own page), men ikke bygget ennå.",
    ),
    (
        "Retting (art. 16)",
        "Koordinatoren retter ønskene ved forsamtalen og i konsollet; en person med feil kontakt "
        "kan slette påmeldingen og melde seg på igjen.",
    ),
    (
        "Sletting (art. 17) og tilbaketrekking av samtykke (art. 7)",
        "Lenken i kvitteringen sletter "
        "kontakt og melding straks; bare anonyme tall står igjen. I sikkerhetskopier kan "
        "opplysningene finnes i høyst {backup_weeks} uker til.",
    ),
    (
        "Innsigelse og begrensning (art. 18, 21)",
        "Personen kan trekke seg når som helst; koordinatoren kan stanse et forslag.",
    ),
)

MEASURES: Final[tuple[tuple[str, str], ...]] = (
    (
        "Dataminimering",
        "Fornavn eller kallenavn og én måte å nå personen på; aldri "
        "fødselsnummer, fødselsdato eller diagnose; aldersgruppe er valgfri.",
    ),
    (
        "Pseudonymisering",
        "Ønsker og forløp lagres uten navn; oppgaver, lenker og logger bærer "
        "bare tilfeldige id-er; avsendere telles som HMAC med hemmelig nøkkel.",
    ),
    (
        "Tilgangsstyring",
        "Én tjenestekonto per funksjon med bare sine roller; bare skjemaet er "
        "åpent; konsollet med passordløs innlogging, økter på {session_hours} timer, CSRF-vern og "
        "revisjonslogg.",
    ),
    (
        "Lagringsbegrensning",
        "Frister som oppgaver, Firestore TTL som sikkerhetsnett, testet mot registeret.",
    ),
    (
        "Robusthet",
        "Gjenoppretting til tidspunkt, daglige og ukentlige sikkerhetskopier, varsler "
        "til koordinatorene (feil, stans, uvanlig mange SMS, budsjett).",
    ),
    (
        "Åpenhet",
        "Denne vurderingen lages fra kodens eget register over hva som lagres, så den "
        "følger koden.",
    ),
)
