"""Red flags in how the business is financed and housed (domain.md §4.2: money, loans, rent, takeover)."""

from __future__ import annotations

from collections.abc import Iterator

from bibob.parties import Party, Person
from bibob.screening.declaration import Declaration, Financing, Loan
from bibob.screening.facts import MarketReference
from bibob.screening.indicators.base import Evidence, Hit, IndicatorContext, describe_party, euro


def _answer(pointer: str) -> Evidence:
    return Evidence("answer", pointer)


def _means(declaration: Declaration) -> int:
    """What the declaring persons say they own (end of last year) and earned (last two years), in cents."""
    assets = sum(a.values[1] or a.values[0] or 0 for a in declaration.assets)
    incomes = sum((i.amounts[1] or 0) + (i.amounts[2] or 0) for i in declaration.incomes)
    return assets + incomes


def own_capital_unexplained(context: IndicatorContext) -> Iterator[Hit]:
    """Own capital without proof of origin, or (for a new business or takeover) larger than the declared means.

    An existing business finances itself from equity its annual accounts show, so only its proof is checked.
    """
    declaration = context.declaration
    means = _means(declaration)
    for item in (f for f in declaration.financing if f.own and f.amount):
        if ("proofOfOwnCapital", item.pointer) not in declaration.attachments:
            yield Hit(f"Eigen vermogen van {euro(item.amount)} zonder bewijs van herkomst.", (_answer(item.pointer),))
        elif declaration.business_status != "bestaand" and item.amount and item.amount > means:
            yield Hit(
                f"Eigen vermogen van {euro(item.amount)} is groter dan de opgegeven bezittingen en inkomsten "
                f"({euro(means)}); de herkomst is niet verklaard.",
                (_answer(item.pointer),),
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
        if ("proofOfReceipt", item.pointer) not in declaration.attachments:
            amount = item.principal if isinstance(item, Loan) else item.amount
            yield Hit(f"Geen bewijs dat {euro(amount)} daadwerkelijk is ontvangen.", (_answer(item.pointer),),
                      tuple(p for p in (_lender(item),) if p is not None))  # fmt: skip


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
