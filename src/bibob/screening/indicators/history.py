"""Red flags in what went before, weighed as courts do: antecedents, fines, refusals, closures, Bibob conclusions."""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from bibob.legal import DangerLevel, Ground, PermitType
from bibob.parties import Party
from bibob.screening.declaration import Antecedent, AntecedentKind
from bibob.screening.facts import (
    AntecedentFact,
    AntecedentStatus,
    ConditionBreach,
    Fact,
    FineFact,
    LbbAdvice,
    RegisterHit,
    Severity,
)
from bibob.screening.indicators.base import (
    Evidence,
    Hit,
    IndicatorContext,
    describe_party,
    fact_relation,
    relation_factor,
)
from bibob.screening.relations import Relation, RelationKind, same_party

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
# the severity of an offence when the fact does not state it (art. 3 lid 5 sub b): first match wins
SEVERITY_WORDS = (
    (Severity.VERY_SERIOUS, ("mensenhandel", "criminele organisatie", "gewoontewitwas", "invoer", "uitvoer",
                             "smokkel", "grootschalig", "afpersing", "doodslag", "moord", "ontvoering")),
    (Severity.SERIOUS, ("witwas", "opium", "drugs", "hennep", "cocaïne", "cocaine", "heroïne", "xtc", "amfetamine",
                        "fraude", "oplichting", "omkop", "zware mishandeling", "geweld", "wapen", "uitbuiting",
                        "valsheid")),
    (Severity.MINOR, ("overtreding", "verkeer", "parkeer", "geluid", "sluitingstijd")),
)  # fmt: skip
_BUILDING = (
    PermitType.OV_BOUWACTIVITEIT, PermitType.OV_OMGEVINGSPLANACTIVITEIT, PermitType.OV_MILIEUBELASTENDE_ACTIVITEIT,
)  # fmt: skip
_OTHER = (PermitType.SUBSIDIE, PermitType.OVERHEIDSOPDRACHT, PermitType.VASTGOEDTRANSACTIE)
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


def severity_of(offence: str) -> Severity:
    """The severity of an offence from its description, when no one stated it: moderate unless a word says more."""
    text = offence.casefold()
    return next((severity for severity, words in SEVERITY_WORDS if any(w in text for w in words)), Severity.MODERATE)


def _time(context: IndicatorContext, year: int | None, *, related: bool = True) -> float:
    """The weight left after the time elapsed (tijdsverloop) and for the link with the activity."""
    elapsed = 0 if year is None else context.reference_date.year - year
    return context.parameters.antecedents.factor(elapsed, related)


def _parties(*parties: Party | None) -> tuple[Party, ...]:
    return tuple(p for p in parties if p is not None)


def _relation_hit(context: IndicatorContext, what: str, evidence: tuple[Evidence, ...], party: Party | None,
                  relation: Relation, factor: float, proven: float | None = None) -> Hit:  # fmt: skip
    """A hit about a party, weighed by its relation: not shown weighs nothing and asks for verification.

    `proven` is the factor the fact would have if its evidence were conclusive (default: `factor`).
    """
    weight = relation_factor(context, relation)
    if_shown = weight if relation.shown else 0.0 if relation.kind is RelationKind.NONE else 1.0
    return Hit(
        f"{what} Relatie: {relation.describe(context.reference_date)}.",
        evidence,
        _parties(party),
        factor=round(factor * weight, 4),
        unverified=not relation.shown and relation.kind is not RelationKind.NONE,
        relation=relation.kind.relation_type,
        relation_ended=relation.ended(context.reference_date),
        potential=round((factor if proven is None else proven) * if_shown, 4),
    )


# --- criminal antecedents ------------------------------------------------------------------------------------


@attrs.frozen
class WeighedAntecedent:
    """One antecedent to weigh, as declared on the form, found in closed sources, or both."""

    party: Party | None
    relation: Relation | None  # as recorded with the fact; None: as the form says
    offence: str
    year: int | None
    status: AntecedentStatus
    related: bool
    financial: bool
    severity: Severity
    amount_cents: int | None
    evidence: tuple[Evidence, ...]


def _from_fact(fact: Fact, content: AntecedentFact, evidence: tuple[Evidence, ...]) -> WeighedAntecedent:
    severity = content.severity or severity_of(content.offence)
    return WeighedAntecedent(fact.subject, fact.relation, content.offence, content.year, content.status,
                             content.relates_to_activity, content.financial, severity, content.amount_cents,
                             (*evidence, Evidence("fact", fact.id)))  # fmt: skip


def _from_declaration(context: IndicatorContext, declared: Antecedent) -> WeighedAntecedent:
    text = declared.description
    return WeighedAntecedent(declared.declared_by, None, text, declared.year,
                             _DECLARED_STATUS.get(declared.outcome, AntecedentStatus.CONVICTION),
                             relates_to_activity(text, context.permit_type), is_financial(text), severity_of(text),
                             None, (Evidence("answer", declared.pointer),))  # fmt: skip


def _same(first: Party | None, second: Party | None) -> bool:
    return (first is None and second is None) or same_party(first, second)


def _confirming(declared: Antecedent, found: list[tuple[Fact, AntecedentFact]]) -> tuple[Fact, AntecedentFact] | None:
    """The fact that confirms a declared antecedent: named by pointer, else same person and year, words first."""
    explicit = [(f, c) for f, c in found if c.declared_at == declared.pointer]
    same = [(f, c) for f, c in found
            if not c.declared_at and c.year == declared.year and _same(f.subject, declared.declared_by)]  # fmt: skip
    words = set(declared.description.casefold().split())
    worded = [(f, c) for f, c in same if words & set(c.offence.casefold().split())]
    return next(iter(explicit or worded or same), None)


def antecedents_in_view(context: IndicatorContext) -> tuple[WeighedAntecedent, ...]:
    """Every criminal antecedent once: a fact confirms at most one declared antecedent, and its status prevails.

    Two antecedents of one person in one year are two facts, each with its own status.
    """
    found = [(f, f.content) for f in context.facts if isinstance(f.content, AntecedentFact)]
    items = []
    for declared in (a for a in context.declaration.antecedents if a.kind is AntecedentKind.CRIMINAL):
        match = _confirming(declared, found)
        evidence = (Evidence("answer", declared.pointer),)
        if match is None:
            items.append(_from_declaration(context, declared))
        else:
            found.remove(match)
            items.append(_from_fact(match[0], match[1], evidence))
    return (*items, *(_from_fact(fact, content, ()) for fact, content in found))


def _weigh(context: IndicatorContext, item: WeighedAntecedent) -> Hit | None:
    """Time, link, severity, size of the benefit and evidence level; then the relation (art. 3 lid 2–4)."""
    time = _time(context, item.year, related=item.related)
    if time <= 0:
        return None
    weighing = context.parameters.weighing
    base = time * weighing.severity.get(item.severity.value, 1.0) * weighing.benefit_factor(item.amount_cents)
    evidence = weighing.evidence.get(item.status.value, 1.0)
    relation = fact_relation(context, item.party, item.relation)
    link = "samenhang met de activiteit" if item.related else "geen duidelijke samenhang met de activiteit"
    what = (f"{item.status.label.capitalize()}: {item.offence or 'strafbaar feit'} ({item.year or 'jaar onbekend'}, "
            f"{item.severity.label}) bij {describe_party(context.declaration, item.party)}; {link}.")  # fmt: skip
    hit = _relation_hit(context, what, item.evidence, item.party, relation, base * evidence, proven=base)
    grounds = (Ground.A_BENEFIT, Ground.B_OFFENCES) if item.financial else (Ground.B_OFFENCES,)
    return attrs.evolve(hit, grounds=grounds, unverified=hit.unverified or item.status.unverified)


def criminal_antecedents(context: IndicatorContext) -> Iterator[Hit]:
    """Criminal antecedents weighed by evidence level, severity, benefit, link, time elapsed and relation.

    Time lowers the weight but does not erase it; a person whose relation is not shown weighs nothing until it is.
    """
    for item in antecedents_in_view(context):
        hit = _weigh(context, item)
        if hit is not None:
            yield hit


def repeat_offending(context: IndicatorContext) -> Iterator[Hit]:
    """More than one established offence of the same person weighs more than each alone (art. 3 lid 3 sub d)."""
    groups: list[list[WeighedAntecedent]] = []
    for item in (i for i in antecedents_in_view(context) if not i.status.unverified):
        group = next((g for g in groups if _same(g[0].party, item.party)), None)
        if group is None:
            groups.append([item])
        else:
            group.append(item)
    for items in (g for g in groups if len(g) >= 2):
        relation = fact_relation(context, items[0].party, items[0].relation)
        repeats = min(len(items) - 1, context.parameters.weighing.max_repeats)
        years = ", ".join(str(i.year or "?") for i in items)
        what = (f"{describe_party(context.declaration, items[0].party).capitalize()} heeft {len(items)} vastgestelde "
                f"strafbare feiten op zijn naam ({years}); herhaling weegt zwaarder.")  # fmt: skip
        evidence = tuple(dict.fromkeys(e for i in items for e in i.evidence))
        recent = max(_time(context, i.year) for i in items)  # a repetition long ago weighs less, as its facts do
        yield _relation_hit(context, what, evidence, items[0].party, relation, repeats * recent)


# --- fines, refusals, closures, earlier conclusions, breaches ------------------------------------------------------


def _declared(context: IndicatorContext, *kinds: AntecedentKind) -> Iterator[Antecedent]:
    return (a for a in context.declaration.antecedents if a.kind in kinds)


def administrative_fines(context: IndicatorContext) -> Iterator[Hit]:
    """Administrative or fiscal fines (a fineable violation counts as an offence, art. 3 lid 8)."""
    for fine in _declared(context, AntecedentKind.FINE):
        time = _time(context, fine.year)
        if time > 0:
            what = f"Bestuurlijke of fiscale boete ({fine.description or 'feit onbekend'}, {fine.year})."
            relation = fact_relation(context, fine.declared_by)
            yield _relation_hit(context, what, (Evidence("answer", fine.pointer),), fine.declared_by, relation, time)
    for fact in context.facts:
        if isinstance(fact.content, FineFact) and not fact.content.closure_13b:
            time = _time(context, fact.content.year)
            if time > 0:
                what = f"Boete of last gevonden in {fact.source.label} ({fact.content.year})."
                relation = fact_relation(context, fact.subject, fact.relation)
                yield _relation_hit(context, what, (Evidence("fact", fact.id),), fact.subject, relation, time)


def earlier_refusal_or_closure(context: IndicatorContext) -> Iterator[Hit]:
    """Earlier refusals or withdrawals, enforcement orders, and above all closures under art. 13b Opiumwet."""
    for item in _declared(context, AntecedentKind.REFUSAL, AntecedentKind.ENFORCEMENT):
        time = _time(context, item.year)
        if time <= 0:
            continue
        heavy = item.kind is AntecedentKind.REFUSAL or item.closure_13b
        kind = "sluiting op grond van art. 13b Opiumwet" if item.closure_13b else item.kind.label
        what = f"Eerder: {kind} ({item.year}, {item.body or 'bestuursorgaan onbekend'})."
        relation = fact_relation(context, item.declared_by)
        yield _relation_hit(context, what, (Evidence("answer", item.pointer),), item.declared_by, relation,
                            time * (1.0 if heavy else 0.5))  # fmt: skip
    for fact in context.facts:
        if isinstance(fact.content, FineFact) and fact.content.closure_13b:
            time = _time(context, fact.content.year)
            if time > 0:
                what = f"Sluiting op grond van art. 13b Opiumwet ({fact.source.label}, {fact.content.year})."
                relation = fact_relation(context, fact.subject, fact.relation)
                yield _relation_hit(context, what, (Evidence("fact", fact.id),), fact.subject, relation, time)


def _earlier_conclusion(fact: Fact) -> tuple[str, Evidence, DangerLevel] | None:
    content = fact.content
    if isinstance(content, RegisterHit):
        text = f"Eerdere Bibob-conclusie in het register: {content.level.label} ({content.year})."
        return text, Evidence("register", fact.id), content.level
    if isinstance(content, LbbAdvice):
        level = max((lv for _, lv in content.levels), key=lambda lv: lv.rank, default=DangerLevel.NONE)
        return f"Eerder LBB-advies: {level.label}.", Evidence("fact", fact.id), level
    return None


def prior_bibob_advice(context: IndicatorContext) -> Iterator[Hit]:
    """An earlier negative LBB advice or a Bibob-register hit (usable for 5 years, art. 29)."""
    for fact in context.facts:
        found = _earlier_conclusion(fact)
        if found is not None and found[2] is not DangerLevel.NONE:
            what, evidence, level = found
            relation = fact_relation(context, fact.subject, fact.relation)
            factor = 1.0 if level is DangerLevel.SERIOUS else 0.5
            yield _relation_hit(context, what, (evidence,), fact.subject, relation, factor)


def condition_breach(context: IndicatorContext) -> Iterator[Hit]:
    """Breaches of permit conditions a supervisor established: the conditions did not remove the danger."""
    established = context.parameters.weighing.evidence.get(AntecedentStatus.ESTABLISHED.value, 1.0)
    for fact in context.facts:
        if isinstance(fact.content, ConditionBreach):
            breach = fact.content
            time = _time(context, breach.year)
            what = (f"Voorschrift overtreden ({breach.condition}, {breach.year}), vastgesteld door "
                    f"{fact.source.label}{': ' + breach.description if breach.description else ''}.")  # fmt: skip
            relation = fact_relation(context, fact.subject, fact.relation)
            yield _relation_hit(context, what, (Evidence("fact", fact.id),), fact.subject, relation,
                                time * established)  # fmt: skip
