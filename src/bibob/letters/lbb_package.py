"""The LBB request package (Wet Bibob art. 9): the own investigation in the structure of the 'formulier bevindingen
eigen onderzoek' (Regeling Bibob-formulieren, bijlage 'bevindingen eigen onderzoek'), as JSON and as letter sections.

It goes to the Landelijk Bureau Bibob, never to the applicant: it names persons with their identifiers and roles,
and every finding with its source and date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from bibob.applications import Application, DecisionRecorded
from bibob.letters import motivation as mv
from bibob.letters.model import Section
from bibob.parties import Address, Involvement, Organisation, Person
from bibob.screening import Assessment, Declaration, Fact

STANDARD_ENCLOSURES = (
    "Het ingevulde Bibob-vragenformulier met de bijlagen",
    "Een afschrift van het dossier: de geschiedenis van de onderneming, de reguliere procedure en het eigen "
    "Bibob-onderzoek",
)


@attrs.frozen
class LbbRequestInput:
    """What the request holds besides the application: its questions, its reason, the other files and enclosures."""

    questions: tuple[str, ...]
    reason: str = ""  # other reasons for the request, in words
    art26_message: bool = False  # an art. 26 message of the public prosecutor was received (enclosed)
    riec_advice: bool = False  # an advice of the RIEC was received (enclosed)
    other_files: tuple[str, ...] = ()  # where the persons appear in other municipal files
    enclosures: tuple[str, ...] = ()  # besides the standard ones


def _address(address: Address | None) -> dict[str, Any] | None:
    if address is None:
        return None
    return {"street": address.street, "houseNumber": address.house_number,
            "houseNumberAddition": address.house_number_addition, "postcode": address.postcode,
            "city": address.city, "country": address.country}  # fmt: skip


def _person(involvement: Involvement) -> dict[str, Any]:
    party = involvement.party
    assert isinstance(party, Person)
    born = party.date_of_birth.isoformat() if party.date_of_birth else None
    return {"surname": party.surname, "prefix": party.prefix, "firstNames": party.first_names, "dateOfBirth": born,
            "placeOfBirth": party.place_of_birth, "nationality": party.nationality, "bsn": party.bsn,
            "address": _address(party.address), "role": involvement.role.label}  # fmt: skip


def _organisation(involvement: Involvement) -> dict[str, Any]:
    party = involvement.party
    assert isinstance(party, Organisation)
    return {"name": party.name, "kvkNumber": party.kvk_number, "legalForm": party.legal_form.label
            if party.legal_form else "", "address": _address(party.address), "country": party.country,
            "role": involvement.role.label}  # fmt: skip


def _findings(assessment: Assessment | None, facts: tuple[Fact, ...]) -> list[dict[str, Any]]:
    by_id = {fact.id: fact for fact in facts}
    found = []
    for finding in assessment.findings if assessment else ():
        dated = [by_id[e.ref] for e in finding.evidence if e.ref in by_id]
        sources = [f.source.label for f in dated] or ["antwoorden op het Bibob-vragenformulier"]
        found.append({"title": finding.title, "finding": mv.clean(finding.explanation),
                      "sources": list(dict.fromkeys(sources)), "dates": sorted({f.on.isoformat() for f in dated}),
                      "grounds": [g.value for g in finding.grounds], "unverified": finding.unverified})  # fmt: skip
    return found


def lbb_request_package(
    application: Application, declaration: Declaration | None, assessment: Assessment | None,
    facts: tuple[Fact, ...], request: LbbRequestInput, on: dt.date,
) -> dict[str, Any]:  # fmt: skip
    """The request as JSON, section by section as the form asks: subject, decision, reason, findings, questions,
    persons, enclosures (numbered)."""
    business = declaration.business if declaration else None
    subject = declaration.subject if declaration else None
    name = business.name if business else (subject.display_name if isinstance(subject, Person) else "")
    involvements = declaration.involvements if declaration else ()
    enclosures = [*(["Bericht van het Openbaar Ministerie (art. 26 Wet Bibob)"] if request.art26_message else []),
                  *(["Advies van het RIEC"] if request.riec_advice else []), *STANDARD_ENCLOSURES,
                  *request.enclosures]  # fmt: skip
    return {
        "requestedOn": on.isoformat(),
        "reference": application.id,
        "subject": {
            "name": name,
            "tradeNames": list(business.trade_names) if business else [],
            "kvkNumber": business.kvk_number if business else "",
        },
        "decision": {
            "kind": application.permit_type.label,
            "legalAct": application.legal_act.label,
            "track": application.track.label,
            "state": application.state.label,
            "alreadyGranted": isinstance(application.decision, DecisionRecorded),
            "received": application.received.isoformat(),
        },
        "reason": {"art26Message": request.art26_message, "riecAdvice": request.riec_advice, "other": request.reason},
        "otherFiles": list(request.other_files),
        "findings": _findings(assessment, facts),
        "questions": list(request.questions),
        "persons": [_person(i) for i in involvements if isinstance(i.party, Person)],
        "organisations": [_organisation(i) for i in involvements if isinstance(i.party, Organisation)],
        "enclosures": [{"number": n, "title": title} for n, title in enumerate(enclosures, 1)],
    }


def _finding_line(finding: dict[str, Any]) -> str:
    dates = f" ({', '.join(finding['dates'])})" if finding["dates"] else ""
    return f"- {finding['title']}: {finding['finding']} Bron: {', '.join(finding['sources'])}{dates}."


def _person_line(person: dict[str, Any]) -> str:
    name = " ".join(part for part in (person["firstNames"], person["prefix"], person["surname"]) if part)
    return f"- {name}, geboren {person['dateOfBirth'] or 'onbekend'}; rol: {person['role']}"


def package_sections(package: dict[str, Any]) -> tuple[Section, ...]:
    """The package as the numbered parts of the form, for the request letter."""
    subject, decision, reason = package["subject"], package["decision"], package["reason"]
    yes = {True: "ja (bijgevoegd)", False: "nee"}
    findings = tuple(_finding_line(f) for f in package["findings"])
    persons = tuple(_person_line(p) for p in package["persons"])
    organisations = tuple(f"- {o['name']}, KvK {o['kvkNumber'] or 'onbekend'}; rol: {o['role']}"
                          for o in package["organisations"])  # fmt: skip
    return (
        Section(
            "1. Betrokkene",
            (
                f"Naam: {subject['name']}",
                f"Handelsnamen: {', '.join(subject['tradeNames']) or '-'}",
                f"KvK-nummer: {subject['kvkNumber'] or '-'}",
            ),
            "subject",
        ),
        Section(
            "2. Besluit",
            (
                f"Soort: {decision['kind']} ({decision['legalAct']})",
                f"Stand: {decision['state']}",
                f"Ontvangen op: {decision['received']}",
            ),
            "decision",
        ),
        Section(
            "3. Aanleiding",
            (
                f"Bericht van het Openbaar Ministerie (art. 26): {yes[reason['art26Message']]}",
                f"Advies van het RIEC: {yes[reason['riecAdvice']]}",
                f"Andere aanleiding: {reason['other'] or '-'}",
            ),
            "reason",
        ),
        Section(
            "4. Bevindingen eigen onderzoek",
            (*(f"- Andere dossiers: {o}" for o in package["otherFiles"]), *findings) or ("- Geen bevindingen.",),
            "findings",
        ),
        Section("5. Onderzoeksvragen", tuple(f"- {q}" for q in package["questions"]), "questions"),
        Section("6. Betrokken personen en organisaties", persons + organisations or ("- Geen.",), "persons"),
        Section("7. Bijlagen", tuple(f"{e['number']}. {e['title']}" for e in package["enclosures"]), "enclosures"),
    )
