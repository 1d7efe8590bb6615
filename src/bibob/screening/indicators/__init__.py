"""The red flags (rode vlaggen) of an own investigation as pure functions, and running them into findings."""

from __future__ import annotations

import attrs

from bibob.legal import Ground
from bibob.parties import Party, RelationType
from bibob.policy import Policy
from bibob.screening.indicators import financing, history, structure
from bibob.screening.indicators.base import (
    Detector,
    Evidence,
    Hit,
    Indicator,
    IndicatorContext,
    describe_party,
    fact_relation,
    relation_factor,
    relation_of,
)

A, B, A6, A4 = Ground.A_BENEFIT, Ground.B_OFFENCES, Ground.ART3_6_OBTAINING, Ground.ART4_REFUSAL
SELF, MANAGER, CONTROLLER = RelationType.SELF, RelationType.MANAGER, RelationType.CONTROLLER
FINANCIER, ASSOCIATE = RelationType.FINANCIER, RelationType.BUSINESS_ASSOCIATE


def _indicator(code: str, title: str, explanation: str, grounds: tuple[Ground, ...], relation: RelationType,
               weight: float, detect: Detector) -> Indicator:  # fmt: skip
    return Indicator(code, title, explanation, grounds, relation, weight, detect)


INDICATORS: tuple[Indicator, ...] = (
    _indicator("ownCapitalUnexplained", "Herkomst eigen vermogen onverklaard",
               "Eigen vermogen zonder bewijs van herkomst of groter dan de opgegeven middelen kan uit misdrijf "
               "afkomstig zijn.", (A,), SELF, 5, financing.own_capital_unexplained),
    _indicator("privateLoan", "Lening van een particulier",
               "Onderhandse leningen van particulieren, zeker zonder rente of zekerheid, kunnen crimineel geld "
               "verhullen en geven de geldgever invloed.", (A,), FINANCIER, 4, financing.private_loan),
    _indicator("loanWithoutProofOfReceipt", "Geen bewijs van ontvangst van geleend geld",
               "Zonder bankafschrift is niet vast te stellen dat het geld echt en via de bank is ontvangen.",
               (A,), FINANCIER, 3, financing.loan_without_proof_of_receipt),
    _indicator("cashFinancing", "Financiering met contant geld",
               "Grote contante bedragen zijn niet naar hun herkomst te volgen.", (A,), SELF, 5,
               financing.cash_financing),
    _indicator("taxDebts", "Schulden aan de Belastingdienst",
               "Belastingschulden kunnen wijzen op fiscale fraude of financiële afhankelijkheid.", (A, B), SELF, 2,
               financing.tax_debts),
    _indicator("takeoverPriceOffMarket", "Overnamesom wijkt af van de markt",
               "Een te lage of te hoge overnamesom kan verborgen financiering of witwassen verhullen.", (A,), SELF,
               4, financing.takeover_price_off_market),
    _indicator("rentOffMarket", "Huur wijkt af van de markt",
               "Een afwijkende huur kan verborgen financiering of invloed van de verhuurder betekenen.", (A,),
               ASSOCIATE, 3, financing.rent_off_market),
    _indicator("rentArrearsTolerated", "Gedoogde huurachterstand",
               "Een verhuurder die achterstand gedoogt, heeft mogelijk meer invloed dan zijn rol doet vermoeden "
               "(zakelijk samenwerkingsverband).", (A, B), ASSOCIATE, 3, financing.rent_arrears_tolerated),
    _indicator("strawManPattern", "Mogelijke katvanger",
               "Een eerdere werknemer die eigenaar wordt, of eigenaren zonder eigen middelen, passen bij een "
               "stroman-constructie.", (A, B), CONTROLLER, 4, structure.straw_man_pattern),
    _indicator("managementChurn", "Snelle wisselingen van bestuurders of aandeelhouders",
               "Veel nieuwe functies in korte tijd passen bij het verhullen van de werkelijke zeggenschap.",
               (A, B), MANAGER, 3, structure.management_churn),
    _indicator("foreignEntityWithoutExtract", "Buitenlandse rechtspersoon zonder uittreksel",
               "Zonder uittreksel is niet na te gaan wie achter een buitenlandse rechtspersoon staat.", (A, B),
               CONTROLLER, 4, structure.foreign_entity_without_extract),
    _indicator("criminalAntecedents", "Strafrechtelijke antecedenten",
               "Strafbare feiten in de afgelopen vijf jaar, zwaarder bij samenhang met de activiteit en minder "
               "zwaar naarmate ze langer geleden zijn.", (B,), SELF, 8, history.criminal_antecedents),
    _indicator("administrativeFines", "Bestuurlijke of fiscale boetes",
               "Beboetbare overtredingen gelden als strafbare feiten (art. 3 lid 8).", (B,), SELF, 2,
               history.administrative_fines),
    _indicator("earlierRefusalOrClosure", "Eerdere weigering, intrekking of sluiting",
               "Een eerdere weigering, intrekking of sluiting (art. 13b Opiumwet) weegt mee bij de beoordeling.",
               (B,), SELF, 5, history.earlier_refusal_or_closure),
    _indicator("priorBibobAdvice", "Eerder Bibob-advies of registertreffer",
               "Een eerder negatief LBB-advies of een treffer in het Bibob-register (art. 11a, art. 29).", (A, B),
               SELF, 6, history.prior_bibob_advice),
    _indicator("falseOrIncompleteAnswers", "Onjuiste antwoorden",
               "Bewust onjuiste antwoorden zijn valsheid in geschrifte om de beschikking te verkrijgen "
               "(art. 3 lid 6).", (A6,), SELF, 12, structure.false_or_incomplete_answers),
    _indicator("refusalToCooperate", "Weigering om mee te werken",
               "Bij een bestaande beschikking geldt weigering om het formulier volledig in te vullen als ernstig "
               "gevaar (art. 4).", (A4,), SELF, 10, structure.refusal_to_cooperate),
    _indicator("knownInUnderminingCase", "Bekend in een casus ondermijning",
               "Weegt nooit: bekend zijn in een casus is geen feit (art. 3 lid 2 en 3); het opent een consultatie.",
               (A, B), SELF, 4,
               structure.known_in_undermining_case),
    _indicator("repeatOffending", "Herhaling van strafbare feiten",
               "Meer vastgestelde strafbare feiten van dezelfde persoon wegen zwaarder dan elk afzonderlijk "
               "(art. 3 lid 3 sub d: het aantal strafbare feiten).", (B,), SELF, 4, history.repeat_offending),
    _indicator("undeclaredFinancing", "Financiering niet op het formulier",
               "Een financier die pas na het formulier bekend wordt, verhult mogelijk wie de onderneming "
               "financiert (art. 3 lid 4: vermogen verschaffen).", (A,), FINANCIER, 7, financing.undeclared_financing),
    _indicator("vendorCredit", "Leverancierskrediet met afnameverplichting",
               "Krediet van een leverancier dat afname boven marktprijzen afdwingt, geeft de leverancier invloed.",
               (A,), FINANCIER, 3, financing.vendor_credit),
    _indicator("companyLoan", "Lening van een onderneming zonder onderbouwing",
               "Bij een lening van een onderneming die geen bank is, is niet vastgesteld wie achter het geld staat.",
               (A,), FINANCIER, 4, financing.company_loan),
    _indicator("cashFoundByPolice", "Contant geld aangetroffen door de politie",
               "Grote contante bedragen zonder verklaarde herkomst kunnen uit misdrijf afkomstig zijn.", (A,), SELF,
               6, financing.cash_found_by_police),
    _indicator("conditionBreach", "Voorschriften van de vergunning overtreden",
               "Wie voorschriften (art. 3 lid 7) niet naleeft, laat zien dat ze het gevaar niet wegnemen.", (B,),
               SELF, 7, history.condition_breach),
    _indicator("taxAuditFinding", "Bevindingen van een boekenonderzoek",
               "Niet verantwoorde omzet of inkomsten wijzen op zwart geld; een vergrijpboete is een strafbaar feit "
               "(art. 3 lid 8).", (A,), SELF, 5, financing.tax_audit_finding),
    _indicator("undeclaredControl", "Feitelijke invloed van iemand buiten het formulier",
               "Iemand die niet op het formulier staat maar feitelijk leiding geeft, zeggenschap heeft of financiert "
               "(art. 3 lid 4).", (A, B), MANAGER, 7, structure.undeclared_control),
    _indicator("groupOwnershipChange", "Eigendomswijziging op groepsniveau",
               "Een overdracht van aandelen hogerop in de groep verandert wie zeggenschap heeft.", (A, B), CONTROLLER,
               3, structure.group_ownership_change),
    _indicator("requestedDocumentsNotProvided", "Gevraagde stukken niet verstrekt",
               "Stukken die het bestuursorgaan buiten het formulier vroeg om een antwoord te verklaren, zijn niet "
               "gekomen; wat ze moesten verklaren, blijft onverklaard.", (A,), SELF, 3,
               financing.requested_documents_not_provided),
    _indicator("wealthAgainstIncome", "Vermogensgroei groter dan het inkomen",
               "Vermogen dat sneller groeit dan het opgegeven inkomen kan verklaren, kan uit misdrijf afkomstig zijn.",
               (A,), SELF, 4, financing.wealth_against_income),
)  # fmt: skip

INDICATOR_BY_CODE = {indicator.code: indicator for indicator in INDICATORS}


@attrs.frozen
class Finding:
    """A red flag that fired (bevinding): its ground, relation, weight, evidence and the subjects it concerns."""

    code: str
    title: str
    grounds: tuple[Ground, ...]
    relation: RelationType
    weight: float
    explanation: str
    evidence: tuple[Evidence, ...]
    subjects: tuple[Party, ...] = ()
    unverified: bool = False
    relation_ended: bool = False  # the relation of its subject with the applicant has ended
    potential_weight: float | None = None  # the weight if proven and the relation shown; None: `weight`

    @property
    def weight_if_proven(self) -> float:
        """The weight this finding would have if its evidence were conclusive and its relation shown."""
        return self.weight if self.potential_weight is None else self.potential_weight


def _finding(indicator: Indicator, hit: Hit, context: IndicatorContext, weight: float) -> Finding:
    subject = hit.subjects[0] if hit.subjects else None
    relation = hit.relation or (relation_of(context.declaration, subject, indicator.relation) if subject
                                else indicator.relation)  # fmt: skip
    return Finding(
        code=indicator.code,
        title=indicator.title,
        grounds=hit.grounds or indicator.grounds,
        relation=relation,
        weight=round(weight * hit.factor, 4),
        explanation=hit.explanation,
        evidence=hit.evidence,
        subjects=hit.subjects,
        unverified=hit.unverified,
        relation_ended=hit.relation_ended,
        potential_weight=None if hit.potential is None else round(weight * hit.potential, 4),
    )


def run_indicators(context: IndicatorContext, policy: Policy | None = None) -> tuple[Finding, ...]:
    """Every finding of every indicator, weighted by the policy (or the defaults), in a stable order."""
    findings = [
        _finding(indicator, hit, context, policy.weight(indicator.code) if policy else indicator.default_weight)
        for indicator in INDICATORS
        for hit in indicator.detect(context)
    ]
    return tuple(findings)


__all__ = [
    "INDICATORS",
    "INDICATOR_BY_CODE",
    "Evidence",
    "Finding",
    "Hit",
    "Indicator",
    "IndicatorContext",
    "describe_party",
    "fact_relation",
    "relation_factor",
    "run_indicators",
]
