"""Red flags in who stands behind the applicant, and in how the applicant deals with the screening."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from bibob.legal import PermitType, Track
from bibob.parties import Organisation, Party
from bibob.screening.facts import FalseAnswer, Intent, OwnershipChange, RefusedToCooperate, RelationFact
from bibob.screening.indicators.base import Evidence, Hit, IndicatorContext, describe_party, relation_factor

# art. 4 does not apply to a party awarded a public contract, a subcontractor or a vastgoed counterparty
_NO_ART4 = (PermitType.OVERHEIDSOPDRACHT, PermitType.VASTGOEDTRANSACTIE)


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
    """Answers a source contradicts: an offence to obtain or keep the permit (art. 3 lid 6) if given on purpose.

    Valsheid in geschrifte needs intent, so the weight follows the intent found; an answer the subject corrected
    weighs less. Intent not yet established is a reason to verify (ask the subject, the LBB), not to refuse.
    """
    weighing = context.parameters.weighing
    for fact in context.facts:
        if isinstance(fact.content, FalseAnswer):
            answer = fact.content
            corrected = weighing.corrected_answer_factor if answer.corrected else 1.0
            yield Hit(
                f"Antwoord {answer.pointer} wordt weersproken door {fact.source.label}: {answer.description} "
                f"({answer.intent.label}{'; door de betrokkene hersteld' if answer.corrected else ''}).",
                (Evidence("answer", answer.pointer), Evidence("fact", fact.id)),
                tuple(p for p in (fact.subject,) if p is not None),
                factor=round(weighing.intent.get(answer.intent.value, 1.0) * corrected, 4),
                unverified=answer.intent is Intent.UNKNOWN,
                potential=round(weighing.intent.get(Intent.DELIBERATE.value, 1.0) * corrected, 4),
            )


def refusal_to_cooperate(context: IndicatorContext) -> Iterator[Hit]:
    """On an existing permit, refusing the form or the LBB's further questions counts as serious danger (art. 4).

    For an application the remedy is Awb 4:5 (not processing it), so this indicator stays silent there; art. 4
    does not apply to a party awarded a public contract or a vastgoed counterparty either.
    """
    if context.track is not Track.EXISTING_PERMIT or context.permit_type in _NO_ART4:
        return
    refusals = [(f, f.content) for f in context.facts if isinstance(f.content, RefusedToCooperate)]
    if refusals:
        scopes = ", ".join(dict.fromkeys(content.scope.label for _, content in refusals))
        yield Hit(f"De betrokkene weigert gegevens te verstrekken ({scopes}).",
                  tuple(Evidence("fact", f.id) for f, _ in refusals))  # fmt: skip
    elif context.missing:
        yield Hit(
            f"Het vragenformulier is na herhaald verzoek onvolledig ({len(context.missing)} ontbrekende antwoorden "
            "of bijlagen).",
            tuple(Evidence("answer", p.pointer) for p in context.missing[:10]),
        )


def undeclared_control(context: IndicatorContext) -> Iterator[Hit]:
    """Someone not on the form manages, controls or finances the business in fact (hidden influence, art. 3(4))."""
    for fact in context.facts:
        content = fact.content
        if isinstance(content, RelationFact) and not content.relation.on_form and content.relation.shown:
            relation = content.relation
            yield Hit(
                f"{describe_party(context.declaration, fact.subject).capitalize()} is volgens {fact.source.label} "
                f"{relation.describe(context.reference_date)}"
                f"{': ' + relation.description if relation.description else ''}.",
                (Evidence("fact", fact.id),),
                tuple(p for p in (fact.subject,) if p is not None),
                factor=relation_factor(context, relation),
                relation=relation.kind.relation_type,
                relation_ended=relation.ended(context.reference_date),
            )


def group_ownership_change(context: IndicatorContext) -> Iterator[Hit]:
    """Owners changed at group level (shares of a parent transferred): who controls the subject now?"""
    for fact in context.facts:
        if isinstance(fact.content, OwnershipChange):
            change = fact.content
            when = f" op {change.on.isoformat()}" if change.on else ""
            reported = "gemeld" if change.reported else "niet aan het bestuursorgaan gemeld"
            yield Hit(
                f"Eigendomswijziging op groepsniveau{when} ({reported}): {change.description}",
                (Evidence("fact", fact.id),),
                tuple(p for p in (fact.subject,) if p is not None),
                factor=0.5 if change.reported else 1.0,
                unverified=True,
            )


def known_in_undermining_case(context: IndicatorContext) -> Iterator[Hit]:
    """Never a finding: that a subject is known in an undermining case or signal is no fact (art. 3(2)/(3)).

    Such a match opens a consultation with the safety advisor instead; only facts the advisor shares, with their
    source, enter an assessment (as ordinary facts). The code stays so that policies keep their weights table.
    """
    del context
    yield from ()
