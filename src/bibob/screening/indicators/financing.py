"""Red flags in how the business is financed and housed (domain.md §4.2: money, loans, rent, takeover)."""

from __future__ import annotations

from collections.abc import Iterator

from bibob.legal import Ground
from bibob.parties import Organisation, Party, Person, RelationType
from bibob.screening.declaration import Declaration, Financing, Loan
from bibob.screening.facts import (
    CashFound,
    DocumentOutcome,
    DocumentRequest,
    Fact,
    FinancingFact,
    LenderKind,
    MarketReference,
    TaxAudit,
)
from bibob.screening.indicators.base import (
    Evidence,
    Hit,
    IndicatorContext,
    describe_party,
    euro,
    fact_relation,
    relation_factor,
)
from bibob.screening.relations import same_party


def _answer(pointer: str) -> Evidence:
    return Evidence("answer", pointer)


def _means(declaration: Declaration, holders: tuple[Party, ...]) -> int:
    """What `holders` say they own (end of last year) and earned (last two years), in cents: private means only."""

    def held(holder: Party | None) -> bool:
        return any(same_party(holder, h) for h in holders)

    assets = sum(a.values[1] or a.values[0] or 0 for a in declaration.assets if held(a.holder))
    incomes = sum((i.amounts[1] or 0) + (i.amounts[2] or 0) for i in declaration.incomes if held(i.holder))
    return assets + incomes


def _contributors(context: IndicatorContext) -> tuple[Party, ...] | None:
    """Whose private means the own capital may be compared with, or None when it is the company's own.

    A sole trader's capital is his own; a new or recently founded company's capital comes from its owners
    (shareholders, partners); an established company's own means are not a director's private means.
    """
    declaration, subject = context.declaration, context.declaration.subject
    if isinstance(subject, Person):
        return (subject,)
    founded = subject.founded_on if isinstance(subject, Organisation) else None
    months = context.parameters.recently_founded_months
    recent = founded is not None and (context.reference_date - founded).days < 31 * months
    if declaration.business_status != "nieuw" and not recent:
        return None
    owners = (i.party for i in declaration.involvements if i.via is None and i.relation is RelationType.CONTROLLER)
    return tuple(dict.fromkeys(owners))


def explained(context: IndicatorContext, pointer: str) -> bool:
    """Whether documents the body asked for beyond the form explain the answer at `pointer`."""
    return any(
        isinstance(f.content, DocumentRequest) and f.content.outcome is DocumentOutcome.PROVIDED
        and f.content.explains and f.content.concerns == pointer
        for f in context.facts
    )  # fmt: skip


def own_capital_unexplained(context: IndicatorContext) -> Iterator[Hit]:
    """Own capital without proof of origin, or larger than the private means of those who brought it in.

    An existing company finances itself from equity its annual accounts show, so only its proof is checked.
    """
    declaration = context.declaration
    contributors = _contributors(context)
    for item in (f for f in declaration.financing if f.own and f.amount and not explained(context, f.pointer)):
        means = _means(declaration, contributors) if contributors else None
        if ("proofOfOwnCapital", item.pointer) not in declaration.attachments:
            yield Hit(f"Eigen vermogen van {euro(item.amount)} zonder bewijs van herkomst.", (_answer(item.pointer),))
        elif means is not None and item.amount and item.amount > means:
            yield Hit(
                f"Eigen vermogen van {euro(item.amount)} is groter dan de opgegeven bezittingen en inkomsten van "
                f"wie het inbrengt ({euro(means)}); de herkomst is niet verklaard.",
                (_answer(item.pointer),),
            )


def wealth_against_income(context: IndicatorContext) -> Iterator[Hit]:
    """A person's assets grew by more than the income declared for that year (vermogen tegen inkomenshistorie)."""
    declaration = context.declaration
    holders = tuple(dict.fromkeys(a.holder for a in declaration.assets if isinstance(a.holder, Person)))
    for holder in holders:
        assets = [a for a in declaration.assets if same_party(a.holder, holder)]
        growth = sum((a.values[1] or 0) - (a.values[2] or 0) for a in assets if a.values[2] is not None)
        income = sum(i.amounts[1] or 0 for i in declaration.incomes if same_party(i.holder, holder))
        if growth > income and growth >= context.parameters.cash_threshold_cents:
            yield Hit(
                f"Het vermogen van {describe_party(declaration, holder)} groeide vorig jaar met {euro(growth)}, "
                f"meer dan het opgegeven inkomen ({euro(income)}); de herkomst van het verschil is niet verklaard.",
                tuple(_answer(a.pointer) for a in assets),
                (holder,),
                unverified=True,
            )


def _borrowed(declaration: Declaration) -> tuple[Loan | Financing, ...]:
    """Every loan and every borrowed financing the answers mention."""
    return (*declaration.loans, *(f for f in declaration.financing if not f.own))


def _lender(item: Loan | Financing) -> Party | None:
    return item.creditor if isinstance(item, Loan) else item.financier


def private_loan(context: IndicatorContext) -> Iterator[Hit]:
    """Money lent by private persons; one hit per lender, however often the loan is mentioned."""
    declaration = context.declaration
    by_lender: dict[tuple[str, ...], list[Loan | Financing]] = {}
    lenders: dict[tuple[str, ...], Person] = {}
    for item in _borrowed(declaration):
        lender = _lender(item)
        if isinstance(lender, Person):
            key = person_identity(lender)
            by_lender.setdefault(key, []).append(item)
            if lender.address is not None or key not in lenders:
                lenders[key] = lender
    for key, items in by_lender.items():
        lender = lenders[key]
        foreign = lender.address is not None and lender.address.country != "NL"
        terms = [t for loan in items if isinstance(loan, Loan) for t in _loose_terms(loan)]
        yield Hit(
            f"Lening of financiering door een particulier ({describe_party(declaration, lender)})"
            + (", woonachtig in het buitenland" if foreign else "")
            + (f", {', '.join(dict.fromkeys(terms))}" if terms else "")
            + ".",
            tuple(_answer(i.pointer) for i in items),
            (lender,),
            unverified=foreign,
        )


def person_identity(person: Person) -> tuple[str, ...]:
    """The same person named twice in one form: by BSN, or by surname and date of birth."""
    if person.bsn:
        return ("bsn", person.bsn)
    return ("name", f"{person.prefix} {person.surname}".strip().casefold(), str(person.date_of_birth))


def _loose_terms(loan: Loan) -> list[str]:
    terms = []
    if loan.interest_rate == 0:
        terms.append("zonder rente")
    if loan.security in ("", "geen"):
        terms.append("zonder zekerheid")
    return terms


def loan_without_proof_of_receipt(context: IndicatorContext) -> Iterator[Hit]:
    """A loan or borrowed financing without proof that the money was actually received."""
    declaration = context.declaration
    for item in _borrowed(declaration):
        if ("proofOfReceipt", item.pointer) not in declaration.attachments and not explained(context, item.pointer):
            amount = item.principal if isinstance(item, Loan) else item.amount
            yield Hit(f"Geen bewijs dat {euro(amount)} daadwerkelijk is ontvangen.", (_answer(item.pointer),),
                      tuple(p for p in (_lender(item),) if p is not None))  # fmt: skip
    for fact, financing in _found_financing(context):
        if not financing.proof_of_receipt:
            yield Hit(f"Geen bewijs dat {euro(financing.amount_cents)} daadwerkelijk via een bank is ontvangen "
                      f"({fact.source.label}).", (Evidence("fact", fact.id),), _subjects(fact))  # fmt: skip


def _found_financing(context: IndicatorContext) -> Iterator[tuple[Fact, FinancingFact]]:
    return ((f, f.content) for f in context.facts if isinstance(f.content, FinancingFact))


def _subjects(fact: Fact) -> tuple[Party, ...]:
    return tuple(p for p in (fact.subject,) if p is not None)


def cash_financing(context: IndicatorContext) -> Iterator[Hit]:
    """Large amounts of cash held, or financing said to come from cash."""
    declaration = context.declaration
    threshold = context.parameters.cash_threshold_cents
    for asset in declaration.assets:
        if asset.kind == "contant" and max((v or 0) for v in asset.values) >= threshold:
            amount = max((v or 0) for v in asset.values)
            yield Hit(f"Contant geld van {euro(amount)} opgegeven als bezitting.", (_answer(asset.pointer),),
                      tuple(p for p in (asset.holder,) if p is not None))  # fmt: skip
    for item in declaration.financing:
        if "contant" in item.origin.casefold():
            yield Hit("De financiering komt volgens de aanvrager uit contant geld.", (_answer(item.pointer),))
    for fact, financing in _found_financing(context):
        if financing.paid_in_cash:
            yield Hit(f"Een lening van {euro(financing.amount_cents)} is contant betaald ({fact.source.label}).",
                      (Evidence("fact", fact.id),), _subjects(fact))  # fmt: skip


def undeclared_financing(context: IndicatorContext) -> Iterator[Hit]:
    """Financing or a financier found later than the form: the form did not show who finances the business."""
    for fact, financing in _found_financing(context):
        if not financing.declared:
            yield Hit(
                f"Financiering van {euro(financing.amount_cents)} door {financing.lender_kind.label} staat niet op het "
                f"formulier en is later gevonden ({fact.source.label}){_detail(financing.description)}.",
                (Evidence("fact", fact.id),),
                _subjects(fact),
            )


def vendor_credit(context: IndicatorContext) -> Iterator[Hit]:
    """Vendor credit tied to purchase obligations at prices above the market (the supplier gains influence)."""
    for fact, financing in _found_financing(context):
        if financing.lender_kind is LenderKind.SUPPLIER and financing.supplier_tied:
            yield Hit(
                f"Leverancierskrediet van {euro(financing.amount_cents)} met een afnameverplichting boven "
                f"marktprijzen{_detail(financing.description)}.",
                (Evidence("fact", fact.id),),
                _subjects(fact),
            )


def company_loan(context: IndicatorContext) -> Iterator[Hit]:
    """A loan from a company that is not a bank, without agreement or proof: who stands behind the lender?

    The owners of a lending company finance the applicant indirectly; they do not control it.
    """
    for fact, financing in _found_financing(context):
        loose = not (financing.agreement and financing.proof_of_receipt)
        if financing.lender_kind is LenderKind.UNKNOWN or (financing.lender_kind is LenderKind.COMPANY and loose):
            yield Hit(
                f"Lening van {euro(financing.amount_cents)} door {financing.lender_kind.label}"
                f"{', zonder schriftelijke overeenkomst' if not financing.agreement else ''}; wie achter de "
                f"geldgever staat, is niet vastgesteld{_detail(financing.description)}.",
                (Evidence("fact", fact.id),),
                _subjects(fact),
                unverified=True,
            )


def cash_found_by_police(context: IndicatorContext) -> Iterator[Hit]:
    """Cash the police found with a person of the application or at the premises, weighed by amount and relation."""
    weighing = context.parameters.weighing
    established = weighing.evidence.get("established", 1.0)
    for fact in context.facts:
        if isinstance(fact.content, CashFound):
            found = fact.content
            relation = fact_relation(context, fact.subject, fact.relation)
            factor = established * weighing.benefit_factor(found.amount_cents) * relation_factor(context, relation)
            yield Hit(
                f"{fact.source.label.capitalize()} trof {euro(found.amount_cents)} contant geld aan bij "
                f"{describe_party(context.declaration, fact.subject)}{_detail(found.description)}. "
                f"Relatie: {relation.describe(context.reference_date)}.",
                (Evidence("fact", fact.id),),
                _subjects(fact),
                factor=round(factor, 4),
                unverified=not relation.shown,
                relation=relation.kind.relation_type,
                relation_ended=relation.ended(context.reference_date),
            )


def tax_audit_finding(context: IndicatorContext) -> Iterator[Hit]:
    """Findings of a tax audit: undeclared turnover or income; a fraud penalty makes it an offence (art. 3 lid 8)."""
    weighing = context.parameters.weighing
    for fact in context.facts:
        if isinstance(fact.content, TaxAudit):
            audit = fact.content
            relation = fact_relation(context, fact.subject, fact.relation)
            factor = weighing.benefit_factor(audit.correction_cents) * relation_factor(context, relation)
            yield Hit(
                f"Boekenonderzoek ({audit.year}): {audit.description}; correctie {euro(audit.correction_cents)}"
                f"{', met vergrijpboete' if audit.fraud_penalty else ''}.",
                (Evidence("fact", fact.id),),
                _subjects(fact),
                factor=round(factor * (1.5 if audit.fraud_penalty else 1.0), 4),
                grounds=(Ground.A_BENEFIT, Ground.B_OFFENCES) if audit.fraud_penalty else (Ground.A_BENEFIT,),
                relation=relation.kind.relation_type,
            )


def requested_documents_not_provided(context: IndicatorContext) -> Iterator[Hit]:
    """Documents the body asked for beyond the form were not provided: what they should explain stays unexplained.

    Beyond the form the subject need not comply (no Awb 4:5, no art. 4); the gap is weighed, lightly, as evidence.
    """
    for fact in context.facts:
        if isinstance(fact.content, DocumentRequest) and fact.content.outcome is DocumentOutcome.NOT_PROVIDED:
            request = fact.content
            concerns = (_answer(request.concerns),) if request.concerns else ()
            yield Hit(
                f"Gevraagde stukken buiten het formulier zijn niet verstrekt: {request.description}.",
                (Evidence("fact", fact.id), *concerns),
            )


def _detail(text: str) -> str:
    return f" ({text})" if text else ""


def tax_debts(context: IndicatorContext) -> Iterator[Hit]:
    """Debts to the Belastingdienst."""
    for debt in context.declaration.debts:
        if debt.tax_authority and (debt.amounts[0] or 0) > 0:
            yield Hit(
                f"Schuld aan de Belastingdienst van {euro(debt.amounts[0])} "
                f"({describe_party(context.declaration, debt.debtor)}).",
                (_answer(debt.pointer),),
                tuple(p for p in (debt.debtor,) if p is not None),
                factor=0.6 if (debt.amounts[0] or 0) < 1_000_000 else 1.0,
            )


def _deviation(declared: int, market: int) -> float:
    return abs(declared - market) * 100 / market if market else 0.0


def _market(context: IndicatorContext, item: str) -> Iterator[tuple[str, MarketReference]]:
    for fact in context.facts:
        if isinstance(fact.content, MarketReference) and fact.content.item == item:
            yield fact.id, fact.content


def takeover_price_off_market(context: IndicatorContext) -> Iterator[Hit]:
    """A takeover price far from the market value of the business (hidden financing or laundering)."""
    if context.declaration.business_status != "overname":
        return
    for fact_id, reference in _market(context, "takeoverPrice"):
        declared = reference.declared_cents
        if declared is None:
            continue
        deviation = _deviation(declared, reference.market_cents)
        if deviation >= context.parameters.takeover_price_deviation_percent:
            yield Hit(
                f"Overnamesom {euro(declared)} wijkt {deviation:.0f}% af van de "
                f"marktwaarde ({euro(reference.market_cents)}).",
                (Evidence("fact", fact_id), _answer("/answers/6A")),
            )


def rent_off_market(context: IndicatorContext) -> Iterator[Hit]:
    """A rent far above or below the market rent for the premises."""
    premises = context.declaration.premises
    if not premises.leased or premises.monthly_rent is None:
        return
    for fact_id, reference in _market(context, "rent"):
        deviation = _deviation(premises.monthly_rent, reference.market_cents)
        if deviation >= context.parameters.rent_deviation_percent:
            direction = "lager" if premises.monthly_rent < reference.market_cents else "hoger"
            yield Hit(
                f"Huur van {euro(premises.monthly_rent)} per maand is {deviation:.0f}% {direction} dan de markthuur "
                f"({euro(reference.market_cents)}).",
                (_answer(premises.pointer), Evidence("fact", fact_id)),
                tuple(p for p in (premises.lessor,) if p is not None),
            )


def rent_arrears_tolerated(context: IndicatorContext) -> Iterator[Hit]:
    """Rent arrears or deferral that the landlord tolerates (influence of the landlord, art. 3 lid 4)."""
    premises = context.declaration.premises
    if premises.rent_arrears:
        yield Hit(
            f"Huurachterstand of uitstel van betaling ({euro(premises.arrears_amount)}) "
            "wordt gedoogd door de verhuurder.",
            (_answer(premises.arrears_pointer or premises.pointer),),
            tuple(p for p in (premises.lessor,) if p is not None),
        )
