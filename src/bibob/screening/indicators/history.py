"""Red flags in what went before: antecedents, fines, refusals and closures, earlier Bibob conclusions."""

from __future__ import annotations

from collections.abc import Iterator

from bibob.legal import DangerLevel, Ground, PermitType
from bibob.parties import Party
from bibob.screening.declaration import Antecedent, AntecedentKind
from bibob.screening.facts import AntecedentFact, AntecedentStatus, FineFact, LbbAdvice, RegisterHit
from bibob.screening.indicators.base import Evidence, Hit, IndicatorContext, describe_party

# offences that yield money: they bear on the A-ground (benefit from crime) as well as on B
FINANCIAL_OFFENCES = ("witwas", "fraude", "heling", "oplichting", "verduister", "belasting", "omkop", "opium",
                      "drugs", "hennep", "cocaïne", "cocaine", "mensenhandel", "afpersing")  # fmt: skip
# offences that typically relate to the activities of these permits (samenhang, art. 3 lid 3)
ACTIVITY_OFFENCES = {
    "horeca": ("opium", "drugs", "hennep", "cocaïne", "cocaine", "witwas", "heling", "geweld", "mishandeling",
               "wapen", "alcohol", "drank", "mensenhandel", "prostitutie", "kansspel", "gok", "fraude", "belasting"),
    "bouw": ("fraude", "milieu", "witwas", "omkop", "valsheid", "belasting", "arbeid", "uitbuiting"),
    "other": ("witwas", "fraude", "valsheid", "heling", "omkop", "opium", "drugs", "belasting"),
}  # fmt: skip
_BUILDING = (
    PermitType.OV_BOUWACTIVITEIT, PermitType.OV_OMGEVINGSPLANACTIVITEIT, PermitType.OV_MILIEUBELASTENDE_ACTIVITEIT,
)  # fmt: skip
_OTHER = (PermitType.SUBSIDIE, PermitType.OVERHEIDSOPDRACHT, PermitType.VASTGOEDTRANSACTIE)
_STATUS_FACTOR = {AntecedentStatus.SUSPICION: 0.6, AntecedentStatus.DISMISSAL: 0.3}
_DECLARED_STATUS = {
    "veroordeling": AntecedentStatus.CONVICTION,
    "transactie": AntecedentStatus.SETTLEMENT,
    "strafbeschikking": AntecedentStatus.PENAL_ORDER,
    "verdachte": AntecedentStatus.SUSPICION,
}


def _activity(permit_type: PermitType | None) -> str:
    return "bouw" if permit_type in _BUILDING else "other" if permit_type in _OTHER else "horeca"


def relates_to_activity(offence: str, permit_type: PermitType | None) -> bool:
    """Whether an offence corresponds to or is connected with the permitted activity (samenhang)."""
    text = offence.casefold()
    return any(word in text for word in ACTIVITY_OFFENCES[_activity(permit_type)])


def is_financial(offence: str) -> bool:
    """Whether an offence is one that yields money (so it bears on the A-ground too)."""
    text = offence.casefold()
    return any(word in text for word in FINANCIAL_OFFENCES)


def _decay(context: IndicatorContext, year: int | None, *, related: bool = True) -> float | None:
    """The weight left after the time elapsed (tijdsverloop) and for the link, or None outside the look-back."""
    elapsed = 0 if year is None else context.reference_date.year - year
    factor = context.parameters.antecedents.factor(elapsed, related)
    return factor if factor > 0 else None


def _criminal_hit(
    context: IndicatorContext, party: Party | None, offence: str, year: int | None, status: AntecedentStatus,
    related: bool, financial: bool, evidence: tuple[Evidence, ...],
) -> Hit | None:  # fmt: skip
    decay = _decay(context, year, related=related)
    if decay is None:
        return None
    grounds = (Ground.A_BENEFIT, Ground.B_OFFENCES) if financial else (Ground.B_OFFENCES,)
    return Hit(
        f"{status.label.capitalize()} ({offence or 'strafbaar feit'}, {year or 'jaar onbekend'}) bij "
        f"{describe_party(context.declaration, party)}; "
        f"{'samenhang met de activiteit' if related else 'geen duidelijke samenhang met de activiteit'}.",
        evidence,
        tuple(p for p in (party,) if p is not None),
        factor=round(decay * _STATUS_FACTOR.get(status, 1.0), 4),
        unverified=not status.indicates,
        grounds=grounds,
    )


def criminal_antecedents(context: IndicatorContext) -> Iterator[Hit]:
    """Criminal antecedents within the look-back, weighted by link to the activity and time elapsed.

    A fact from closed sources about the same person and year confirms a declared antecedent instead
    of counting twice; its status and link then prevail.
    """
    facts = [(f, f.content) for f in context.facts if isinstance(f.content, AntecedentFact)]
    used: set[str] = set()
    for declared in (a for a in context.declaration.antecedents if a.kind is AntecedentKind.CRIMINAL):
        match = next(((f, c) for f, c in facts if c.year == declared.year and f.subject == declared.declared_by), None)
        evidence: tuple[Evidence, ...] = (Evidence("answer", declared.pointer),)
        status = _DECLARED_STATUS.get(declared.outcome, AntecedentStatus.CONVICTION)
        related, financial = (
            relates_to_activity(declared.description, context.permit_type),
            is_financial(declared.description),
        )
        if match is not None:
            used.add(match[0].id)
            evidence += (Evidence("fact", match[0].id),)
            status, related, financial = match[1].status, match[1].relates_to_activity, match[1].financial
        hit = _criminal_hit(context, declared.declared_by, declared.description, declared.year, status, related,
                            financial, evidence)  # fmt: skip
        if hit is not None:
            yield hit
    for fact, content in facts:
        if fact.id not in used:
            evidence = (Evidence("fact", fact.id),)
            hit = _criminal_hit(context, fact.subject, content.offence, content.year, content.status,
                                content.relates_to_activity, content.financial, evidence)  # fmt: skip
            if hit is not None:
                yield hit


def _parties(*parties: Party | None) -> tuple[Party, ...]:
    return tuple(p for p in parties if p is not None)


def _declared(context: IndicatorContext, *kinds: AntecedentKind) -> Iterator[Antecedent]:
    return (a for a in context.declaration.antecedents if a.kind in kinds)


def administrative_fines(context: IndicatorContext) -> Iterator[Hit]:
    """Administrative or fiscal fines (a fineable violation counts as an offence, art. 3 lid 8)."""
    for fine in _declared(context, AntecedentKind.FINE):
        decay = _decay(context, fine.year)
        if decay is not None:
            what = f"Bestuurlijke of fiscale boete ({fine.description or 'feit onbekend'}, {fine.year})."
            yield Hit(what, (Evidence("answer", fine.pointer),), _parties(fine.declared_by), factor=decay)
    for fact in context.facts:
        if isinstance(fact.content, FineFact) and not fact.content.closure_13b:
            decay = _decay(context, fact.content.year)
            if decay is not None:
                what = f"Boete of last gevonden in {fact.source.label} ({fact.content.year})."
                yield Hit(what, (Evidence("fact", fact.id),), _parties(fact.subject), factor=decay)


def earlier_refusal_or_closure(context: IndicatorContext) -> Iterator[Hit]:
    """Earlier refusals or withdrawals, enforcement orders, and above all closures under art. 13b Opiumwet."""
    for item in _declared(context, AntecedentKind.REFUSAL, AntecedentKind.ENFORCEMENT):
        decay = _decay(context, item.year)
        if decay is None:
            continue
        heavy = item.kind is AntecedentKind.REFUSAL or item.closure_13b
        what = "sluiting op grond van art. 13b Opiumwet" if item.closure_13b else item.kind.label
        yield Hit(f"Eerder: {what} ({item.year}, {item.body or 'bestuursorgaan onbekend'}).",
                  (Evidence("answer", item.pointer),), _parties(item.declared_by),
                  factor=decay * (1.0 if heavy else 0.5))  # fmt: skip
    for fact in context.facts:
        if isinstance(fact.content, FineFact) and fact.content.closure_13b:
            decay = _decay(context, fact.content.year)
            if decay is not None:
                what = f"Sluiting op grond van art. 13b Opiumwet ({fact.source.label}, {fact.content.year})."
                yield Hit(what, (Evidence("fact", fact.id),), _parties(fact.subject), factor=decay)


def prior_bibob_advice(context: IndicatorContext) -> Iterator[Hit]:
    """An earlier negative LBB advice or a Bibob-register hit (usable for 5 years, art. 29)."""
    for fact in context.facts:
        content = fact.content
        if isinstance(content, RegisterHit) and content.level is not DangerLevel.NONE:
            yield Hit(f"Eerdere Bibob-conclusie in het register: {content.level.label} ({content.year}).",
                      (Evidence("register", fact.id),), _parties(fact.subject),
                      factor=1.0 if content.level is DangerLevel.SERIOUS else 0.5)  # fmt: skip
        elif isinstance(content, LbbAdvice):
            worst = max((level for _, level in content.levels), key=lambda level: level.rank, default=DangerLevel.NONE)
            if worst is not DangerLevel.NONE:
                factor = 1.0 if worst is DangerLevel.SERIOUS else 0.5
                yield Hit(
                    f"Eerder LBB-advies: {worst.label}.",
                    (Evidence("fact", fact.id),),
                    _parties(fact.subject),
                    factor=factor,
                )
