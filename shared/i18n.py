"""Every sentence a person reads, in bokmål, nynorsk and English.

Kept as data in one place so a translator can review it without reading code.
"""

from __future__ import annotations

from typing import Final

from shared.config import Lang

LANGS: Final[tuple[Lang, ...]] = ("nb", "nn", "en")

FIELD_LABELS: Final[dict[str, dict[Lang, str]]] = {
    "name": {
        "nb": "Fornavn eller kallenavn",
        "nn": "Førenamn eller kallenamn",
        "en": "First name or alias",
    },
    "email": {"nb": "E-post", "nn": "E-post", "en": "Email"},
    "phone": {"nb": "Telefon", "nn": "Telefon", "en": "Phone"},
    "municipality": {"nb": "Kommune", "nn": "Kommune", "en": "Municipality"},
    "topics": {"nb": "Tema", "nn": "Tema", "en": "Topics"},
    "formats": {"nb": "Form", "nn": "Form", "en": "Format"},
    "times": {"nb": "Tidspunkt", "nn": "Tidspunkt", "en": "Times"},
    "languages": {"nb": "Språk", "nn": "Språk", "en": "Languages"},
    "travel": {
        "nb": "Andre kommuner du kan reise til",
        "nn": "Andre kommunar du kan reise til",
        "en": "Other municipalities you can travel to",
    },
    "heard_from": {
        "nb": "Hvor hørte du om oss?",
        "nn": "Kvar høyrde du om oss?",
        "en": "How did you hear about us?",
    },
    "message": {"nb": "Melding", "nn": "Melding", "en": "Message"},
    "consent": {"nb": "Samtykke", "nn": "Samtykke", "en": "Consent"},
    "adult": {"nb": "Alder", "nn": "Alder", "en": "Age"},
    "body": {"nb": "Skjema", "nn": "Skjema", "en": "Form"},
}

ERRORS: Final[dict[str, dict[Lang, str]]] = {
    "required": {
        "nb": "{label}: må fylles ut.",
        "nn": "{label}: må fyllast ut.",
        "en": "{label}: this is required.",
    },
    "not_text": {
        "nb": "{label}: må være tekst.",
        "nn": "{label}: må vere tekst.",
        "en": "{label}: must be text.",
    },
    "not_list": {
        "nb": "{label}: må være en liste med valg.",
        "nn": "{label}: må vere ei liste med val.",
        "en": "{label}: must be a list of choices.",
    },
    "too_long": {
        "nb": "{label}: kan ha høyst {max} tegn.",
        "nn": "{label}: kan ha høgst {max} teikn.",
        "en": "{label}: at most {max} characters.",
    },
    "invalid_email": {
        "nb": "{label}: dette ser ikke ut som en gyldig e-postadresse.",
        "nn": "{label}: dette ser ikkje ut som ei gyldig e-postadresse.",
        "en": "{label}: this does not look like a valid email address.",
    },
    "invalid_phone": {
        "nb": "{label}: dette ser ikke ut som et gyldig telefonnummer.",
        "nn": "{label}: dette ser ikkje ut som eit gyldig telefonnummer.",
        "en": "{label}: this does not look like a valid phone number.",
    },
    "contact_required": {
        "nb": "Oppgi e-post eller telefon, slik at vi kan nå deg.",
        "nn": "Oppgje e-post eller telefon, slik at vi kan nå deg.",
        "en": "Give an email address or a phone number so we can reach you.",
    },
    "unknown_choice": {
        "nb": "{label}: «{value}» er ikke et av valgene.",
        "nn": "{label}: «{value}» er ikkje eitt av vala.",
        "en": "{label}: “{value}” is not one of the choices.",
    },
    "choose_one": {
        "nb": "{label}: velg minst ett alternativ.",
        "nn": "{label}: vel minst eitt alternativ.",
        "en": "{label}: choose at least one option.",
    },
    "consent_required": {
        "nb": "Du må samtykke til at vi lagrer opplysningene for å kunne finne en gruppe til deg.",
        "nn": "Du må samtykkje til at vi lagrar opplysningane for å kunne finne ei gruppe til deg.",
        "en": "You must consent to us storing this information so we can find a group for you.",
    },
    "adult_required": {
        "nb": "Gruppene er for personer som er 18 år eller eldre.",
        "nn": "Gruppene er for personar som er 18 år eller eldre.",
        "en": "The groups are for people aged 18 or older.",
    },
    "not_boolean": {
        "nb": "{label}: må være ja eller nei.",
        "nn": "{label}: må vere ja eller nei.",
        "en": "{label}: must be yes or no.",
    },
    "unknown_field": {
        "nb": "Ukjent felt «{value}».",
        "nn": "Ukjent felt «{value}».",
        "en": "Unknown field “{value}”.",
    },
    "invalid_json": {
        "nb": "Skjemaet kunne ikke leses (ugyldig JSON-objekt).",
        "nn": "Skjemaet kunne ikkje lesast (ugyldig JSON-objekt).",
        "en": "The form could not be read (not a valid JSON object).",
    },
    "travel_own": {
        "nb": "{label}: din egen kommune trenger ikke velges her.",
        "nn": "{label}: din eigen kommune treng ikkje veljast her.",
        "en": "{label}: your own municipality need not be chosen here.",
    },
}


def field_label(field: str, lang: Lang) -> str:
    return FIELD_LABELS.get(field, {}).get(lang, field)


def error_text(code: str, field: str, lang: Lang, **params: object) -> str:
    template = ERRORS[code][lang]
    return template.format(label=field_label(field, lang), **params)


def pick_lang(candidate: str | None, default: Lang = "nb") -> Lang:
    """Choose a supported language from a query value or an Accept-Language header."""
    if not candidate:
        return default
    for part in candidate.replace(" ", "").split(","):
        tag = part.split(";")[0].lower()
        primary = tag.split("-")[0]
        if primary in ("nb", "no"):
            return "nb"
        if primary == "nn":
            return "nn"
        if primary == "en":
            return "en"
    return default


UI: Final[dict[Lang, dict[str, str]]] = {
    "nb": {
        "html_lang": "nb",
        "title": "Meld deg på en samtalegruppe",
        "intro": "Vil du snakke med andre i samme situasjon? Fyll ut skjemaet, så tar vi kontakt for en kort forsamtale. Det er gratis, og du trenger ingen henvisning.",
        "required_note": "Felt merket * må fylles ut.",
        "name_hint": "Bare fornavn eller et kallenavn – vi trenger ikke etternavnet ditt.",
        "contact_legend": "Hvordan kan vi nå deg? (minst én)",
        "phone_hint": "Norske numre kan skrives uten +47.",
        "municipality_other": "Annen kommune",
        "choose": "Velg …",
        "topics_hint": "Velg ett eller flere tema. «Generell gruppe» passer for alle.",
        "format_in_person": "Fysisk møte",
        "format_digital": "Digitalt møte",
        "time_weekday_daytime": "Hverdager på dagtid",
        "time_weekday_evening": "Hverdager på kveld",
        "time_weekend": "Helg",
        "languages_hint": "Språk du kan snakke i gruppen, som koder (for eksempel no, en, uk). Skill med komma.",
        "travel_hint": "Valgfritt: kommuner du kan reise til for en gruppe.",
        "message_hint": "Valgfritt, høyst 1000 tegn. Ikke skriv helseopplysninger du ikke vil dele.",
        "consent_label": "Jeg samtykker til at LINK lagrer disse opplysningene for å finne en gruppe til meg. Jeg kan trekke samtykket når som helst.",
        "adult_label": "Jeg er 18 år eller eldre.",
        "submit": "Send påmelding",
        "errors_heading": "Noe må rettes før vi kan ta imot påmeldingen:",
        "privacy": "Vi lagrer bare det du skriver her, så lenge vi trenger det for å finne en gruppe. Gruppene er anonyme, og kommunene får aldri navnelister.",
        "thanks_title": "Takk for påmeldingen",
        "thanks_body": "Vi har mottatt henvendelsen din og tar kontakt for en forsamtale.",
        "thanks_reference": "Referansen din er",
        "thanks_email": "Hvis du oppga e-post, får du en kvittering med en lenke der du kan trekke deg og slette opplysningene dine.",
        "heard_self": "Fant det selv",
        "heard_nav": "NAV",
        "heard_municipal_service": "Kommunal tjeneste",
        "heard_health_service": "Helsetjenesten",
        "heard_organisation": "En organisasjon",
        "heard_friend_family": "Venner eller familie",
        "heard_media": "Media eller sosiale medier",
        "heard_other": "Annet",
        "optional": "valgfritt",
        "too_many": "Det er sendt mange påmeldinger fra denne tilkoblingen den siste timen. Prøv igjen senere, eller ring oss.",
        "lang_switch": "Språk",
    },
    "nn": {
        "html_lang": "nn",
        "title": "Meld deg på ei samtalegruppe",
        "intro": "Vil du snakke med andre i same situasjon? Fyll ut skjemaet, så tek vi kontakt for ein kort forsamtale. Det er gratis, og du treng inga tilvising.",
        "required_note": "Felt merkte * må fyllast ut.",
        "name_hint": "Berre førenamn eller eit kallenamn – vi treng ikkje etternamnet ditt.",
        "contact_legend": "Korleis kan vi nå deg? (minst éin)",
        "phone_hint": "Norske nummer kan skrivast utan +47.",
        "municipality_other": "Annan kommune",
        "choose": "Vel …",
        "topics_hint": "Vel eitt eller fleire tema. «Generell gruppe» passar for alle.",
        "format_in_person": "Fysisk møte",
        "format_digital": "Digitalt møte",
        "time_weekday_daytime": "Kvardagar på dagtid",
        "time_weekday_evening": "Kvardagar på kveld",
        "time_weekend": "Helg",
        "languages_hint": "Språk du kan snakke i gruppa, som kodar (til dømes no, en, uk). Skil med komma.",
        "travel_hint": "Valfritt: kommunar du kan reise til for ei gruppe.",
        "message_hint": "Valfritt, høgst 1000 teikn. Ikkje skriv helseopplysningar du ikkje vil dele.",
        "consent_label": "Eg samtykkjer til at LINK lagrar desse opplysningane for å finne ei gruppe til meg. Eg kan trekkje samtykket når som helst.",
        "adult_label": "Eg er 18 år eller eldre.",
        "submit": "Send påmelding",
        "errors_heading": "Noko må rettast før vi kan ta imot påmeldinga:",
        "privacy": "Vi lagrar berre det du skriv her, så lenge vi treng det for å finne ei gruppe. Gruppene er anonyme, og kommunane får aldri namnelister.",
        "thanks_title": "Takk for påmeldinga",
        "thanks_body": "Vi har motteke førespurnaden din og tek kontakt for ein forsamtale.",
        "thanks_reference": "Referansen din er",
        "thanks_email": "Dersom du oppgav e-post, får du ei kvittering med ei lenkje der du kan trekkje deg og slette opplysningane dine.",
        "heard_self": "Fann det sjølv",
        "heard_nav": "NAV",
        "heard_municipal_service": "Kommunal teneste",
        "heard_health_service": "Helsetenesta",
        "heard_organisation": "Ein organisasjon",
        "heard_friend_family": "Vener eller familie",
        "heard_media": "Media eller sosiale medium",
        "heard_other": "Anna",
        "optional": "valfritt",
        "too_many": "Det er sendt mange påmeldingar frå denne tilkoplinga den siste timen. Prøv igjen seinare, eller ring oss.",
        "lang_switch": "Språk",
    },
    "en": {
        "html_lang": "en",
        "title": "Sign up for a conversation group",
        "intro": "Would you like to talk with others in the same situation? Fill in the form and we will contact you for a short pre-talk. It is free and needs no referral.",
        "required_note": "Fields marked * are required.",
        "name_hint": "Just a first name or an alias – we do not need your surname.",
        "contact_legend": "How can we reach you? (at least one)",
        "phone_hint": "Norwegian numbers can be written without +47.",
        "municipality_other": "Another municipality",
        "choose": "Choose …",
        "topics_hint": "Choose one or more topics. “General group” suits everyone.",
        "format_in_person": "Meeting in person",
        "format_digital": "Meeting online",
        "time_weekday_daytime": "Weekdays, daytime",
        "time_weekday_evening": "Weekdays, evening",
        "time_weekend": "Weekend",
        "languages_hint": "Languages you can speak in the group, as codes (for example no, en, uk). Separate with commas.",
        "travel_hint": "Optional: municipalities you can travel to for a group.",
        "message_hint": "Optional, at most 1000 characters. Do not write health details you do not want to share.",
        "consent_label": "I consent to LINK storing this information to find a group for me. I can withdraw my consent at any time.",
        "adult_label": "I am 18 or older.",
        "submit": "Send sign-up",
        "errors_heading": "Something needs fixing before we can accept the sign-up:",
        "privacy": "We store only what you write here, for as long as we need it to find a group. The groups are anonymous and municipalities never receive lists of names.",
        "thanks_title": "Thank you for signing up",
        "thanks_body": "We have received your inquiry and will contact you for a pre-talk.",
        "thanks_reference": "Your reference is",
        "thanks_email": "If you gave an email address, you will receive a receipt with a link where you can withdraw and erase your data.",
        "heard_self": "Found it myself",
        "heard_nav": "NAV",
        "heard_municipal_service": "A municipal service",
        "heard_health_service": "The health service",
        "heard_organisation": "An organisation",
        "heard_friend_family": "Friends or family",
        "heard_media": "Media or social media",
        "heard_other": "Other",
        "optional": "optional",
        "too_many": "Many sign-ups have been sent from this connection in the last hour. Please try again later, or call us.",
        "lang_switch": "Language",
    },
}


MAIL: Final[dict[str, dict[Lang, dict[str, str]]]] = {
    "receipt": {
        "nb": {
            "subject": "Vi har mottatt påmeldingen din ({reference})",
            "greeting": "Hei",
            "body": "Takk for at du tok kontakt med oss. Vi tar kontakt med deg for en kort forsamtale, og så finner vi en gruppe som passer.",
            "reference": "Referansen din",
            "erase_intro": "Ombestemt deg? Her kan du trekke deg og slette opplysningene dine med én gang:",
            "erase_button": "Trekk meg og slett opplysningene mine",
            "expires": "Lenken virker til",
            "signature": "Vennlig hilsen",
        },
        "nn": {
            "subject": "Vi har motteke påmeldinga di ({reference})",
            "greeting": "Hei",
            "body": "Takk for at du tok kontakt med oss. Vi tek kontakt med deg for ein kort forsamtale, og så finn vi ei gruppe som passar.",
            "reference": "Referansen din",
            "erase_intro": "Ombestemt deg? Her kan du trekkje deg og slette opplysningane dine med ein gong:",
            "erase_button": "Trekk meg og slett opplysningane mine",
            "expires": "Lenkja verkar til",
            "signature": "Venleg helsing",
        },
        "en": {
            "subject": "We have received your sign-up ({reference})",
            "greeting": "Hello",
            "body": "Thank you for contacting us. We will get in touch for a short pre-talk, and then find a group that suits you.",
            "reference": "Your reference",
            "erase_intro": "Changed your mind? Here you can withdraw and erase your data at once:",
            "erase_button": "Withdraw and erase my data",
            "expires": "The link works until",
            "signature": "Kind regards",
        },
    },
}

ACTIONS: Final[dict[Lang, dict[str, str]]] = {
    "nb": {
        "erase_heading": "Trekk deg og slett opplysningene dine",
        "erase_explain": "Når du bekrefter, sletter vi navnet ditt, kontaktinformasjonen din og meldingen din med én gang, og du står ikke lenger på venteliste. Anonyme tall i statistikken blir ikke påvirket.",
        "erase_button": "Ja, slett opplysningene mine",
        "erase_done_heading": "Opplysningene dine er slettet",
        "erase_done": "Vi har slettet opplysningene dine. Du er velkommen tilbake når du vil.",
        "used_heading": "Denne lenken er allerede brukt",
        "used": "Handlingen er allerede utført, så lenken virker ikke lenger. Ta kontakt med oss hvis noe er uklart.",
        "expired_heading": "Denne lenken har gått ut",
        "expired": "Lenken er for gammel til å brukes. Ta kontakt med oss, så hjelper vi deg.",
        "invalid_heading": "Lenken virker ikke",
        "invalid": "Lenken er ufullstendig eller ugyldig. Prøv å kopiere hele lenken fra e-posten.",
    },
    "nn": {
        "erase_heading": "Trekk deg og slett opplysningane dine",
        "erase_explain": "Når du stadfestar, slettar vi namnet ditt, kontaktinformasjonen din og meldinga di med ein gong, og du står ikkje lenger på venteliste. Anonyme tal i statistikken blir ikkje påverka.",
        "erase_button": "Ja, slett opplysningane mine",
        "erase_done_heading": "Opplysningane dine er sletta",
        "erase_done": "Vi har sletta opplysningane dine. Du er velkomen tilbake når du vil.",
        "used_heading": "Denne lenkja er allereie brukt",
        "used": "Handlinga er allereie utført, så lenkja verkar ikkje lenger. Ta kontakt med oss om noko er uklart.",
        "expired_heading": "Denne lenkja har gått ut",
        "expired": "Lenkja er for gammal til å brukast. Ta kontakt med oss, så hjelper vi deg.",
        "invalid_heading": "Lenkja verkar ikkje",
        "invalid": "Lenkja er ufullstendig eller ugyldig. Prøv å kopiere heile lenkja frå e-posten.",
    },
    "en": {
        "erase_heading": "Withdraw and erase your data",
        "erase_explain": "When you confirm, we delete your name, your contact details and your message at once, and you are no longer on the waiting list. Anonymous statistics are not affected.",
        "erase_button": "Yes, erase my data",
        "erase_done_heading": "Your data has been erased",
        "erase_done": "We have erased your data. You are welcome back whenever you like.",
        "used_heading": "This link has already been used",
        "used": "The action has already been carried out, so the link no longer works. Contact us if anything is unclear.",
        "expired_heading": "This link has expired",
        "expired": "The link is too old to use. Contact us and we will help you.",
        "invalid_heading": "This link does not work",
        "invalid": "The link is incomplete or invalid. Try copying the whole link from the email.",
    },
}
