"""Every text of the municipal report, written in bokmål (the source) with a nynorsk catalog
(the municipality's written standard; shared/catalogs.py, domain "report")."""

from __future__ import annotations

from typing import Final

from shared.catalogs import R, Texts

# Marks for figures that are not numbers (issue 22), from Statistics Norway's table symbols, which
# municipal staff read in KOSTRA every day: «…» no figures yet (the period was not reported), «:» too
# few to show (a median or a mean of fewer than five). The legend (note_suppressed) explains both.
NOT_YET: Final = "…"
TOO_FEW: Final = ":"

# The municipal report, written in bokmål (the source) with a nynorsk catalog.
REPORT: Final = Texts(
    {
        "title": R("report.title", "Rapport til {municipality} kommune"),
        "preliminary": R(
            "report.preliminary",
            "FORELØPIG – bare for senteret, ikke for kommunen: tallene kan endre seg",
        ),
        "preliminary_subject": R("report.preliminary_subject", "Foreløpig"),
        "subtitle": R("report.subtitle", "{centre} · {period}"),
        "subject": R("report.subject", "Rapport fra {centre}: {municipality} kommune, {period}"),
        "intro": R(
            "report.intro",
            "Rapporten viser hva {centre} har gjort for innbyggerne i {municipality} i perioden. Den bygger bare på anonyme tall: kommunen får aldri navn eller deltakerlister, og små tall (1–4) vises som «<5».",
        ),
        "section_development": R("report.section_development", "Utviklingen kvartal for kvartal"),
        "development_caption": R(
            "report.development_caption", "Kvartalene i år så langt og samme periode i fjor"
        ),
        "trend_title": R(
            "report.trend_title", "Henvendelser og innbyggere som fikk plass, per kvartal"
        ),
        "trend_alt": R(
            "report.trend_alt",
            "Søylediagram over henvendelser og innbyggere som fikk plass per kvartal",
        ),
        "year_earlier": R("report.year_earlier", "Samme periode i fjor"),
        "quarter_short": R("report.quarter_short", "{q}. kv. {year}"),
        "section_activity": R("report.section_activity", "Aktivitet i perioden"),
        "inquiries": R("report.inquiries", "Henvendelser fra innbyggere"),
        "placed": R("report.placed", "Innbyggere som har fått plass i en gruppe"),
        "median_wait": R("report.median_wait", "Median ventetid fra henvendelse til plass (dager)"),
        "groups_started": R("report.groups_started", "Grupper startet i kommunen"),
        "digital_groups": R(
            "report.digital_groups", "Digitale grupper med innbyggere fra kommunen"
        ),
        "meetings": R("report.meetings", "Møter med igangsetter i kommunen"),
        "facilitator_hours": R(
            "report.facilitator_hours", "Frivillige igangsettertimer i kommunen"
        ),
        "section_heard": R("report.section_heard", "Hvor innbyggerne hørte om oss"),
        "section_topics": R("report.section_topics", "Tema innbyggerne ønsket (flere valg mulig)"),
        "chart_title": R("report.chart_title", "Ønskede tema"),
        "section_goals": R("report.section_goals", "Senterets mål i {year}"),
        "goal_groups": R("report.goal_groups", "Grupper startet hittil i år (mål: {goal})"),
        "goal_facilitators": R("report.goal_facilitators", "Aktive igangsettere (mål: {goal})"),
        "survey_responses": R("report.survey_responses", "Svar på brukerundersøkelsen"),
        "survey_mean": R("report.survey_mean", "Brukerundersøkelsen: snitt (1–5)"),
        "section_budget": R("report.section_budget", "Kommunens andel av budsjettet"),
        "budget": R(
            "report.budget",
            "Andel av {total} kr etter senterets fordelingsnøkkel (små, mellomstore og store kommuner, pluss reise)",
        ),
        "total": R("report.total", "Sum"),
        "category": R("report.category", "Kategori"),
        # spreadsheet tabs: whole words of at most 31 characters (Excel's limit), not cut headings
        "sheet_development": R("report.sheet_development", "Utvikling"),
        "sheet_activity": R("report.sheet_activity", "Aktivitet"),
        "sheet_heard": R("report.sheet_heard", "Hørte om oss"),
        "sheet_topics": R("report.sheet_topics", "Tema"),
        "sheet_goals": R("report.sheet_goals", "Mål"),
        "sheet_budget": R("report.sheet_budget", "Budsjett"),
        "count": R("report.count", "Antall"),
        "note_suppressed": R(
            "report.note_suppressed",
            "Tegnforklaring: «0» er null. «<5» er et tall fra 1 til 4. «x» er skjult slik at ingen andre tall – heller ikke ved å legge sammen kvartalene, årstallene og summene i alle rapportene våre – kan avsløre et lite tall; «x» kan være et hvilket som helst tall, også 0–4. «:» betyr for få til å vise: en median eller et snitt vises bare når minst fem personer står bak. «…» betyr ingen tall ennå: perioden er ikke rapportert.",
        ),
        "body": R("report.body", "Vedlagt er rapporten for {period} som PDF og regneark."),
        "heard_self": R("report.heard_self", "Fant oss selv"),
        "heard_nav": R("report.heard_nav", "NAV"),
        "heard_municipal_service": R("report.heard_municipal_service", "Kommunal tjeneste"),
        "heard_health_service": R("report.heard_health_service", "Helsetjenesten"),
        "heard_organisation": R("report.heard_organisation", "Organisasjon"),
        "heard_friend_family": R("report.heard_friend_family", "Venner/familie"),
        "heard_media": R("report.heard_media", "Media"),
        "heard_other": R("report.heard_other", "Annet"),
        "heard_unknown": R("report.heard_unknown", "Ikke oppgitt"),
        "quarter": R("report.quarter", "{year}, {q}. kvartal"),
        "year": R("report.year", "året {year}"),
    }
)
