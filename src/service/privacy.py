"""The register of processing (`docs/privacy.md`, the input for a DPIA), made from the policy and the schema.

What is generated: the stores and their columns (from the tables), which of them are sealed (every JSON column),
the retention terms and selection-list categories (from the policy), the recipients inside the municipality (the
roles) and the art. 28 bases of disclosures (from `bibob.undermining.DisclosureBasis`). The purposes and legal
bases per store are written here, once, in `STORES`; a test fails when a table has no entry.
`bibob privacy register` prints it; a test holds the committed file to what this makes.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from bibob.policy import Policy
from bibob.undermining import DisclosureBasis
from service.auth import Role
from service.store.crypto import json_columns
from service.store.tables import metadata
from service.views import nen7513


@attrs.frozen
class Store:
    """What one table holds, for what purpose, on which legal basis, and how long it is kept."""

    title: str
    purpose: str
    categories: str
    basis: str
    retention: str  # may name {dossierYears}, {caseYears}, {signalMonths}, {dossierCategory}, {caseCategory}


BIBOB = "Wet Bibob art. 3 en 7a; AVG art. 6 lid 1 sub e; strafrechtelijke gegevens: AVG art. 10 met UAVG art. 33"
UNDERMINING = "Gemeentewet art. 172 en 174 (openbare orde); AVG art. 6 lid 1 sub e; AVG art. 10 met UAVG art. 33"
ACCOUNTABILITY = "AVG art. 5 lid 2 en 32 (verantwoording en beveiliging)"
DOSSIER = "{dossierYears} jaar na het besluit ({dossierCategory}); bewaard zolang een blokkade loopt (bezwaar, beroep)"
CASE = "{caseYears} jaar na het afsluiten ({caseCategory})"

STORES: Mapping[str, Store] = {
    "applications": Store(
        "Aanvragen (Bibob-dossiers)",
        "integriteitsbeoordeling van een aanvraag of beschikking",
        "gegevens van aanvrager, bestuurders, financiers en zeggenschap (vragenformulier), bijlagen, verloop",
        BIBOB,
        DOSSIER,
    ),
    "assessments": Store(
        "Beoordelingen",
        "de aanbeveling bij een aanvraag (de mens beslist)",
        "bevindingen met bewijs en grondslag, mate van gevaar",
        BIBOB,
        DOSSIER,
    ),
    "investigations": Store(
        "Eigen onderzoek",
        "het onderzoek van de coördinator",
        "feiten met bron, LBB-termijnen, evenredigheid",
        BIBOB,
        DOSSIER,
    ),
    "decisions": Store(
        "Besluiten",
        "de beschikking en haar motivering",
        "uitkomst, gronden, mate van gevaar, motivering",
        BIBOB,
        DOSSIER,
    ),
    "consultations": Store(
        "Navragen bij de adviseur veiligheid",
        "nagaan of een betrokkene bekend is in een casus",
        "gehashte sleutel van de betrokkene, vraag, het gedeelde feit",
        BIBOB,
        DOSSIER,
    ),
    "disclosures": Store(
        "Register van verstrekkingen (art. 28 Wet Bibob)",
        "verantwoording van wat het dossier verliet of binnenkwam",
        "ontvanger, grondslag, doel, soort gegevens (geen inhoud)",
        "Wet Bibob art. 28; " + ACCOUNTABILITY,
        "blijft bewaard: verantwoording, zonder inhoud",
    ),
    "signals": Store(
        "Signalen (ondermijning)",
        "weging van meldingen over mogelijke ondermijning",
        "tekst van de melding, melder, betrokkenen (personen, organisaties, adressen, voertuigen)",
        UNDERMINING,
        "'geen actie': {signalMonths} maanden na de weging (CCV-modelprotocol); in een casus: als de casus",
    ),
    "cases": Store(
        "Casussen",
        "aanpak van ondermijning met partners",
        "journaal, betrokkenen, afspraken, vertrouwelijkheid",
        UNDERMINING,
        CASE,
    ),
    "case_members": Store("Casusleden", "need-to-know", "gebruikersnamen", ACCOUNTABILITY, CASE),
    "case_signals": Store("Signalen van een casus", "need-to-know", "koppeling casus–signaal", UNDERMINING, CASE),
    "evidence": Store(
        "Bewijsstukken",
        "bewijs in een casus",
        "feiten, bronnen, status",
        UNDERMINING,
        CASE,
    ),
    "subjects": Store(
        "Zoeksleutels van betrokkenen",
        "betrokkenen herkennen tussen dossiers",
        "sleutels als HMAC (geen BSN, naam of adres leesbaar)",
        BIBOB + "; " + UNDERMINING,
        "als het dossier",
    ),
    "match_reviews": Store(
        "Oordelen over overeenkomsten",
        "voorkomen van verwisseling van personen",
        "gehashte sleutels, reden",
        UNDERMINING,
        "zolang de dossiers bestaan",
    ),
    "idempotency_keys": Store(
        "Herhaalde verzoeken",
        "een verzoek niet dubbel uitvoeren",
        "het eerste antwoord (versleuteld)",
        ACCOUNTABILITY,
        "24 uur",
    ),
    "audit_log": Store(
        "Auditlogboek",
        "wie wat las of wijzigde, en waarom (NEN 7513)",
        "gebruiker, rol, handeling, dossier-id, reden",
        ACCOUNTABILITY,
        "blijft bewaard (langer dan de dossiers); vernietigingen staan erin zonder inhoud",
    ),
    "api_tokens": Store(
        "API-tokens", "toegang", "gebruikersnaam, rol, hash van het token", ACCOUNTABILITY, "tot intrekking"
    ),
    "users": Store(
        "Gebruikers",
        "toegang tot de pagina's",
        "gebruikersnaam, rol, wachtwoordhash",
        ACCOUNTABILITY,
        "tot uitschakeling",
    ),
    "web_sessions": Store(
        "Sessies",
        "aangemeld blijven",
        "gebruikersnaam, tijden, hash van het token",
        ACCOUNTABILITY,
        "tot het einde van de sessie",
    ),
    "external_jobs": Store(
        "Spiegeling naar het zaaksysteem",
        "de beschikking in het zaaksysteem",
        "verwijzingen naar het zaaksysteem (versleuteld)",
        BIBOB,
        CASE,
    ),
    "key_checks": Store(
        "Sleutelcontrole",
        "de juiste sleutels bij de start",
        "een controlewaarde per sleutel",
        ACCOUNTABILITY,
        "zolang de sleutel bestaat",
    ),
    "legal_holds": Store(
        "Blokkades",
        "een dossier bewaren tijdens bezwaar of beroep",
        "dossier-id, reden",
        ACCOUNTABILITY,
        "tot opheffing",
    ),
    "letters": Store(
        "Brieven",
        "de brieven van de procedure (Awb 3:45, 3:46, 4:5; Wet Bibob art. 32 en 33)",
        "de brief als gegevens (versleuteld), soort, hashes van de bestanden, opsteller",
        BIBOB,
        DOSSIER,
    ),
    "permit_zaken": Store(
        "Vergunningszaken",
        "brieven als documenten bij de zaak van de vergunning in het zaaksysteem",
        "verwijzing naar de zaak, wie die vastlegde",
        BIBOB,
        DOSSIER,
    ),
    "lbb_advices": Store(
        "LBB-adviezen per betrokkene",
        "hergebruik van een LBB-advies binnen vijf jaar (Wet Bibob art. 9)",
        "datum van het advies; betrokkenen alleen als sleutelhash",
        BIBOB,
        "vijf jaar na het advies; met het dossier vernietigd",
    ),
    "watched_permits": Store(
        "Vergunningenwacht",
        "een verleende vergunning opnieuw toetsen als een betrokkene elders bekend wordt (Wet Bibob art. 3 en 4)",
        "betrokkenen van de verleende vergunning (versleuteld), datum",
        BIBOB,
        DOSSIER,
    ),
    "watch_prompts": Store(
        "Aanleidingen tot een nieuwe toets",
        "de coördinator wijzen op een verleende vergunning (een aanleiding, geen bevinding)",
        "rol van de betrokkene, welke velden overeenkwamen (zonder waarden)",
        BIBOB,
        DOSSIER,
    ),
    "permit_conditions": Store(
        "Voorschriften als taken",
        "de naleving van voorschriften bij een vergunning volgen (Wet Bibob art. 3 lid 7)",
        "tekst van het voorschrift, termijn, eigenaar, uitkomst van de controle",
        BIBOB,
        DOSSIER,
    ),
    "notifications": Store(
        "Meldingen in het product",
        "een gebruiker wijzen op nieuw bewijs, een toegewezen melding of een besluit dat wacht",
        "ontvanger, soort, kenmerk van het dossier, korte tekst zonder inhoud",
        ACCOUNTABILITY,
        "met het dossier waarover ze gaan (aanvraag, casus, melding)",
    ),
    "rate_counters": Store(
        "Tellers voor grenzen",
        "misbruik beperken (aanmelden, wijzigingen, meldingen per partner)",
        "hash van account, adres of token, aantal, tijdvenster",
        ACCOUNTABILITY,
        "het tijdvenster van de grens (minuten tot een dag)",
    ),
}


def undescribed() -> tuple[str, ...]:
    """Tables the register does not describe yet (a test keeps this empty)."""
    return tuple(sorted(name for name in metadata.tables if name not in STORES))


def register_markdown(policy: Policy) -> str:
    """The register of processing as Markdown, in Dutch."""
    terms = policy.retention
    values = {
        "dossierYears": terms.questionnaire_data.amount,
        "caseYears": terms.case.amount,
        "signalMonths": terms.no_action_signal.amount,
        "dossierCategory": terms.dossier_category,
        "caseCategory": terms.case_category,
    }
    sealed: dict[str, list[str]] = {}
    for table, column in json_columns():
        sealed.setdefault(table.name, []).append(column.name)
    lines = [
        "# Register van verwerkingen (bibob)",
        "",
        "<!-- Gemaakt door `bibob privacy register` uit het beleid en het databaseschema; niet met de hand wijzigen."
        " -->",
        "",
        f"Beleid: {policy.title} ({policy.municipality}, versie {policy.version}).",
        "",
        "Dit is de invoer voor een DPIA: doelen, categorieën, ontvangers, bewaartermijnen en grondslagen per",
        "opslagplaats. De software beveelt aan; een mens beslist. Versleuteld opgeslagen (AES-256-GCM, sleutels",
        "buiten de database) zijn alle documentkolommen die hieronder als *versleuteld* staan.",
        "",
        "## Opslagplaatsen",
        "",
    ]
    for name in sorted(STORES, key=lambda n: STORES[n].title):
        store = STORES[name]
        columns = ", ".join(
            f"`{c.name}`" + (" *versleuteld*" if c.name in sealed.get(name, ()) else "")
            for c in metadata.tables[name].columns
        )
        lines += [
            f"### {store.title} (`{name}`)",
            "",
            f"- Doel: {store.purpose}",
            f"- Categorieën: {store.categories}",
            f"- Grondslag: {store.basis}",
            f"- Bewaartermijn: {store.retention.format(**values)}",
            f"- Kolommen: {columns}",
            "",
        ]
    lines += ["## Ontvangers binnen de gemeente (rollen, need-to-know)", ""]
    lines += [f"- {role.label} (`{role.value}`)" for role in Role]
    lines += ["", "## Verstrekkingen uit het Bibob-dossier (art. 28 Wet Bibob)", ""]
    lines += [f"- {basis.label}" for basis in DisclosureBasis]
    lines += [
        "",
        "## Bewaartermijnen uit het beleid",
        "",
        f"- Signaal 'geen actie': {values['signalMonths']} maanden na de weging.",
        f"- Bibob-dossier: {values['dossierYears']} jaar na het besluit — {values['dossierCategory']}.",
        f"- Casus: {values['caseYears']} jaar na het afsluiten — {values['caseCategory']}.",
        f"- LBB-advies hergebruiken: ten hoogste {terms.lbb_advice_reuse.amount} jaar (art. 29 Wet Bibob).",
        "- Herhaalde verzoeken: 24 uur; sessies: tot hun einde.",
        "",
        "Vernietiging gebeurt door `bibob retention run` of de taak in de dienst; elke vernietiging staat in het",
        "auditlogboek met soort, kenmerk, tijdstip en grondslag, zonder inhoud.",
        "",
        "## Het auditlogboek voor een SIEM (NEN 7513)",
        "",
        "`GET /api/v1/audit-log/export?format=nen7513` (de privacyfunctionaris; de export staat zelf in het",
        "logboek) en `bibob audit export --since REGELNUMMER [--syslog /dev/log|udp://host:poort]` geven per",
        "auditregel één record (JSON; naar syslog als RFC 5424-bericht, faciliteit local4). Een record bevat",
        "kenmerken, codes en redenen, nooit een naam, BSN of inhoud:",
        "",
        "| Veld | Inhoud |",
        "| --- | --- |",
        *(f"| `{name}` | {meaning} |" for name, meaning in nen7513.FIELDS),
        "",
    ]
    return "\n".join(lines)
