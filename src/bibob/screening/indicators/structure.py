"""Red flags in who stands behind the applicant, and in how the applicant deals with the screening."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from bibob.legal import Track
from bibob.parties import Organisation, Party
from bibob.screening.facts import FalseAnswer, KnownInCase, RefusedToCooperate
from bibob.screening.indicators.base import Evidence, Hit, IndicatorContext, describe_party


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, 28))


def straw_man_pattern(context: IndicatorContext) -> Iterator[Hit]:
    """A former employee at the premises becomes the owner, or the owners have no means of their own.

    A review flag (katvanger pattern), never a refusal ground by itself.
    """
    declaration = context.declaration
    takes_over = declaration.business_status in ("overname", "nieuw")
    for job in declaration.employment if takes_over else ():
        yield Hit(
            f"{describe_party(declaration, job.person).capitalize()} werkte eerder als werknemer op deze locatie "
            f"en wordt nu (mede-)eigenaar of leidinggevende.",
            (Evidence("answer", job.pointer),),
            tuple(p for p in (job.person,) if p is not None),
            unverified=True,
        )
    borrowed = [f for f in declaration.financing if not f.own]
    if takes_over and borrowed and not declaration.assets and not declaration.incomes:
        yield Hit(
            "De aanvrager en de personen achter de onderneming geven geen eigen bezittingen of inkomsten op, "
            "terwijl de onderneming met geld van anderen wordt gefinancierd.",
            tuple(Evidence("answer", f.pointer) for f in borrowed),
            factor=0.6,
            unverified=True,
        )


def management_churn(context: IndicatorContext) -> Iterator[Hit]:
    """Many roles started in other organisations within a short time (frequent changes of directors/owners)."""
    declaration = context.declaration
    churn = context.parameters.churn
    since = _months_before(context.reference_date, churn.within_months)
    by_person: dict[Party | None, list[str]] = {}
    for role in declaration.other_roles:
        if role.period.start is not None and role.period.start >= since:
            by_person.setdefault(role.person, []).append(role.pointer)
    for person, pointers in by_person.items():
        if len(pointers) >= churn.changes:
            yield Hit(
                f"{describe_party(declaration, person).capitalize()} kreeg binnen {churn.within_months} maanden "
                f"{len(pointers)} nieuwe bestuurs- of zeggenschapsfuncties.",
                tuple(Evidence("answer", p) for p in pointers),
                tuple(p for p in (person,) if p is not None),
            )


def foreign_entity_without_extract(context: IndicatorContext) -> Iterator[Hit]:
    """A foreign legal person in the structure without a current extract of its trade register."""
    declaration = context.declaration
    seen: set[str] = set()
    for involvement in declaration.involvements:
        party = involvement.party
        if isinstance(party, Organisation) and party.is_foreign and involvement.pointer not in seen:
            seen.add(involvement.pointer)
            if ("foreignRegisterExtract", involvement.pointer) not in declaration.attachments:
                yield Hit(
                    f"Buitenlandse rechtspersoon ({party.country}) als {involvement.role.label} zonder actueel "
                    "uittreksel uit het buitenlandse handelsregister.",
                    (Evidence("answer", involvement.pointer),),
                    (party,),
                    unverified=True,
                )


def false_or_incomplete_answers(context: IndicatorContext) -> Iterator[Hit]:
    """Answers that a source contradicts: possibly valsheid in geschrifte to obtain the permit (art. 3 lid 6)."""
    for fact in context.facts:
        if isinstance(fact.content, FalseAnswer):
            yield Hit(
                f"Antwoord {fact.content.pointer} wordt weersproken door {fact.source.label}: "
                f"{fact.content.description}",
                (Evidence("answer", fact.content.pointer), Evidence("fact", fact.id)),
                tuple(p for p in (fact.subject,) if p is not None),
            )


def refusal_to_cooperate(context: IndicatorContext) -> Iterator[Hit]:
    """On an existing permit, refusing to complete the form counts as serious danger (art. 4).

    For an application the remedy is Awb 4:5 (not processing it), so this indicator stays silent there.
    """
    if context.track is not Track.EXISTING_PERMIT:
        return
    refusals = [f for f in context.facts if isinstance(f.content, RefusedToCooperate)]
    if refusals:
        yield Hit("De betrokkene weigert gegevens te verstrekken.", tuple(Evidence("fact", f.id) for f in refusals))
    elif context.missing:
        yield Hit(
            f"Het vragenformulier is na herhaald verzoek onvolledig ({len(context.missing)} ontbrekende antwoorden "
            "of bijlagen).",
            tuple(Evidence("answer", p.pointer) for p in context.missing[:10]),
        )


def known_in_undermining_case(context: IndicatorContext) -> Iterator[Hit]:
    """A subject of the application matches a subject of an undermining case or signal.

    Shown to a permit officer only as 'raadpleeg de adviseur veiligheid', never with case contents.
    """
    for fact in context.facts:
        if isinstance(fact.content, KnownInCase):
            yield Hit(
                f"{describe_party(context.declaration, fact.subject).capitalize()} is bekend in een casus of signaal "
                "ondermijning; raadpleeg de adviseur veiligheid.",
                (Evidence("case", fact.content.reference),),
                tuple(p for p in (fact.subject,) if p is not None),
                unverified=True,
            )
