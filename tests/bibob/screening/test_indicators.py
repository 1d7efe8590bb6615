"""Each indicator fires on the synthetic answers that show its red flag, and stays silent on clean ones."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bibob import Questionnaire
from bibob.legal import DangerLevel, Ground, PermitType, Track
from bibob.parties import Person, RelationType
from bibob.policy import load_policy
from bibob.screening import Fact, FactSource, Finding, KnownInCase, declaration_from_answers
from bibob.screening.facts import (
    AntecedentFact,
    AntecedentStatus,
    CashFound,
    ConditionBreach,
    DocumentOutcome,
    DocumentRequest,
    FactContent,
    FalseAnswer,
    FinancingFact,
    FineFact,
    LbbAdvice,
    LenderKind,
    MarketReference,
    OwnershipChange,
    RefusedToCooperate,
    RegisterHit,
    RelationFact,
    TaxAudit,
)
from bibob.screening.indicators import INDICATOR_BY_CODE, INDICATORS, IndicatorContext, run_indicators
from bibob.screening.reading import to_party
from bibob.screening.relations import Relation, RelationKind
from tests.conftest import answers

POLICY = load_policy()
EENMANSZAAK, BV, HOLDING = (
    "valid-eenmanszaak-horeca.json",
    "valid-bv-two-ubos.json",
    "valid-bv-holding-private-loan.json",
)


def fact(
    content: FactContent, subject: Any = None, fact_id: str = "F1", source: FactSource = FactSource.JUSTID
) -> Fact:
    return Fact(fact_id, source, dt.date(2026, 10, 20), content, to_party(subject) if subject else None)


def findings(
    horeca: Questionnaire, document: dict[str, Any], *facts: Fact, track: Track = Track.APPLICATION, code: str = ""
) -> list[Finding]:
    context = IndicatorContext(
        declaration=declaration_from_answers(horeca, document),
        reference_date=dt.date(2026, 11, 1),
        parameters=POLICY.parameters,
        permit_type=PermitType.EXPLOITATIE_HORECA,
        track=track,
        facts=facts,
    )
    return [f for f in run_indicators(context, POLICY) if f.code == code]


def owner(document: dict[str, Any]) -> dict[str, Any]:
    return dict(document["answers"]["1B.persoon"])


def test_every_indicator_has_a_code_title_ground_relation_and_weight() -> None:
    assert len(INDICATORS) == 29
    for indicator in INDICATORS:
        assert indicator.title and indicator.explanation and indicator.grounds
        assert POLICY.weight(indicator.code) >= 0


# --- financing -----------------------------------------------------------------------------------------


def test_own_capital_without_proof_is_unexplained(horeca: Questionnaire) -> None:
    document = answers(EENMANSZAAK)
    document["attachments"] = [a for a in document["attachments"] if a["kind"] != "proofOfOwnCapital"]
    (finding,) = findings(horeca, document, code="ownCapitalUnexplained")
    assert finding.evidence[0].ref == "/answers/6B.eigenVermogen"
    assert finding.grounds == (Ground.A_BENEFIT,)


def test_own_capital_covered_by_declared_savings_is_explained(horeca: Questionnaire) -> None:
    assert findings(horeca, answers(EENMANSZAAK), code="ownCapitalUnexplained") == []


def test_own_capital_beyond_declared_means_is_unexplained(horeca: Questionnaire) -> None:
    document = answers(EENMANSZAAK)
    document["answers"]["6B.eigenVermogen"]["bedrag"] = 30_000_000
    (finding,) = findings(horeca, document, code="ownCapitalUnexplained")
    assert "groter dan de opgegeven bezittingen en inkomsten" in finding.explanation


def test_a_loan_from_a_private_person_abroad_without_interest_is_a_private_loan(horeca: Questionnaire) -> None:
    (finding,) = findings(horeca, answers(HOLDING), code="privateLoan")
    assert finding.relation is RelationType.FINANCIER
    assert finding.unverified
    assert "zonder rente, zonder zekerheid" in finding.explanation
    assert [e.ref for e in finding.evidence] == ["/modules/4/0/4I.leningen/0", "/answers/6C.financiers/0"]


def test_a_loan_from_a_company_is_no_private_loan(horeca: Questionnaire) -> None:
    document = answers(HOLDING)
    bank = {"kind": "organisation", "name": "Regiobank Utrecht N.V.", "legalForm": "nv", "kvkNumber": "11223344"}
    document["modules"]["4"][0]["4I.leningen"][0]["geldgever"] = bank
    document["answers"]["6C.financiers"][0]["financier"] = bank
    assert findings(horeca, document, code="privateLoan") == []


def test_a_loan_without_proof_of_receipt_is_flagged(horeca: Questionnaire) -> None:
    document = answers(HOLDING)
    document["attachments"] = [a for a in document["attachments"] if a["pointer"] != "/answers/6C.financiers/0"]
    (finding,) = findings(horeca, document, code="loanWithoutProofOfReceipt")
    assert finding.evidence[0].ref == "/answers/6C.financiers/0"


def test_loans_with_proof_of_receipt_are_not_flagged(horeca: Questionnaire) -> None:
    assert findings(horeca, answers(HOLDING), code="loanWithoutProofOfReceipt") == []


def test_much_cash_is_cash_financing(horeca: Questionnaire) -> None:
    document = answers(EENMANSZAAK)
    document["answers"]["2C.bezittingen"].append(
        {"soort": "contant", "omschrijving": "kluis", "waardeNu": 1_500_000, "waardeEindeVorigJaar": 0,
         "waardeEindeJaarDaarvoor": 0}
    )  # fmt: skip
    (finding,) = findings(horeca, document, code="cashFinancing")
    assert "EUR 15.000" in finding.explanation


def test_cash_below_the_policy_threshold_is_not_cash_financing(horeca: Questionnaire) -> None:
    document = answers(EENMANSZAAK)
    document["answers"]["2C.bezittingen"].append(
        {"soort": "contant", "omschrijving": "kas", "waardeNu": 900_000, "waardeEindeVorigJaar": 0,
         "waardeEindeJaarDaarvoor": 0}
    )  # fmt: skip
    assert findings(horeca, document, code="cashFinancing") == []


def test_a_debt_to_the_tax_authority_is_flagged_for_the_person_who_has_it(horeca: Questionnaire) -> None:
    (finding,) = findings(horeca, answers(BV), code="taxDebts")
    assert finding.relation is RelationType.MANAGER  # he is named first as director, then as shareholder
    assert finding.evidence[0].ref == "/modules/4/0/4E.schulden/0"


def test_other_debts_are_no_tax_debts(horeca: Questionnaire) -> None:
    document = answers(BV)
    document["modules"]["4"][0]["4E.schulden"][0]["belastingdienst"] = False
    assert findings(horeca, document, code="taxDebts") == []


def _takeover(document: dict[str, Any]) -> dict[str, Any]:
    document["answers"]["6A"] = "overname"
    return document


def test_a_takeover_price_far_below_market_value_is_flagged(horeca: Questionnaire) -> None:
    reference = fact(MarketReference("takeoverPrice", 25_000_000, 4_000_000), source=FactSource.OPEN_SOURCES)
    (finding,) = findings(horeca, _takeover(answers(EENMANSZAAK)), reference, code="takeoverPriceOffMarket")
    assert "84% af van de marktwaarde" in finding.explanation


def test_a_takeover_price_near_market_value_is_not_flagged(horeca: Questionnaire) -> None:
    reference = fact(MarketReference("takeoverPrice", 25_000_000, 23_000_000))
    assert findings(horeca, _takeover(answers(EENMANSZAAK)), reference, code="takeoverPriceOffMarket") == []


def test_rent_far_below_market_is_flagged(horeca: Questionnaire) -> None:
    (finding,) = findings(horeca, answers(EENMANSZAAK), fact(MarketReference("rent", 650_000)), code="rentOffMarket")
    assert "50% lager dan de markthuur" in finding.explanation


def test_rent_at_market_level_is_not_flagged(horeca: Questionnaire) -> None:
    assert findings(horeca, answers(EENMANSZAAK), fact(MarketReference("rent", 340_000)), code="rentOffMarket") == []


def test_tolerated_rent_arrears_are_flagged(horeca: Questionnaire) -> None:
    document = answers(EENMANSZAAK)
    document["answers"]["6G"] = True
    document["answers"]["6G.achterstand"] = {"periode": {"from": "2026-01-01"}, "bedrag": 975_000}
    (finding,) = findings(horeca, document, code="rentArrearsTolerated")
    assert finding.evidence[0].ref == "/answers/6G.achterstand"


def test_no_rent_arrears_means_no_flag(horeca: Questionnaire) -> None:
    assert findings(horeca, answers(EENMANSZAAK), code="rentArrearsTolerated") == []


# --- structure and behaviour ---------------------------------------------------------------------------


def test_a_former_employee_taking_over_is_a_straw_man_pattern(horeca: Questionnaire) -> None:
    document = _takeover(answers(EENMANSZAAK))
    document["answers"]["2M"] = True
    document["answers"]["2M.dienstverband"] = [{"werkgever": "vorige exploitant", "periode": {"from": "2020-01-01"}}]
    (finding,) = findings(horeca, document, code="strawManPattern")
    assert finding.unverified
    assert finding.evidence[0].ref == "/answers/2M.dienstverband/0"


def test_an_owner_with_own_means_and_no_employment_here_is_no_straw_man(horeca: Questionnaire) -> None:
    assert findings(horeca, answers(EENMANSZAAK), code="strawManPattern") == []


def test_many_new_roles_in_a_short_time_are_churn(horeca: Questionnaire) -> None:
    document = answers(HOLDING)
    roles = document["modules"]["4"][0]["4B.rollen"]
    for month in ("03", "05", "09"):
        roles.append({"organisatie": {"kind": "organisation", "name": f"Lounge {month} B.V."}, "rol": "aandeelhouder",
                      "periode": {"from": f"2025-{month}-01"}})  # fmt: skip
    (finding,) = findings(horeca, document, code="managementChurn")
    assert "3 nieuwe bestuurs- of zeggenschapsfuncties" in finding.explanation


def test_a_long_held_role_is_no_churn(horeca: Questionnaire) -> None:
    assert findings(horeca, answers(HOLDING), code="managementChurn") == []


def test_a_foreign_financier_without_register_extract_is_flagged(horeca: Questionnaire) -> None:
    document = answers(HOLDING)
    document["answers"]["6C.financiers"][0]["financier"] = {
        "kind": "organisation",
        "name": "Capital Ltd",
        "country": "CY",
    }
    (finding,) = findings(horeca, document, code="foreignEntityWithoutExtract")
    assert finding.evidence[0].ref == "/answers/6C.financiers/0/financier"


def test_a_foreign_shareholder_with_an_extract_is_not_flagged(horeca: Questionnaire) -> None:
    document = answers(HOLDING)
    document["answers"]["1F.aandeelhouders"][0]["country"] = "CY"
    document["attachments"].append(
        {"kind": "foreignRegisterExtract", "pointer": "/answers/1F.aandeelhouders/0", "fileName": "cy.pdf"}
    )
    assert findings(horeca, document, code="foreignEntityWithoutExtract") == []


# --- history -------------------------------------------------------------------------------------------


def test_a_recent_related_laundering_conviction_weighs_as_serious_on_a_and_b(horeca: Questionnaire) -> None:
    """Art. 3 lid 2 sub a/d, lid 3 sub a/b, lid 5 sub b: a serious offence weighs double the base weight."""
    document = answers(EENMANSZAAK)
    content = AntecedentFact("witwassen", 2026, AntecedentStatus.CONVICTION, relates_to_activity=True, financial=True)
    (finding,) = findings(horeca, document, fact(content, owner(document)), code="criminalAntecedents")
    assert finding.grounds == (Ground.A_BENEFIT, Ground.B_OFFENCES)
    assert finding.weight == POLICY.weight("criminalAntecedents") * POLICY.parameters.weighing.severity["serious"]
    assert finding.relation is RelationType.SELF


def test_an_older_unrelated_antecedent_weighs_less(horeca: Questionnaire) -> None:
    document = answers(EENMANSZAAK)
    content = AntecedentFact("verkeersdelict", 2023, AntecedentStatus.CONVICTION, relates_to_activity=False)
    (finding,) = findings(horeca, document, fact(content, owner(document)), code="criminalAntecedents")
    minor = POLICY.parameters.weighing.severity["minor"]
    expected = POLICY.weight("criminalAntecedents") * POLICY.parameters.antecedents.factor(3, False) * minor
    assert finding.weight == pytest.approx(expected, abs=1e-3)
    assert finding.grounds == (Ground.B_OFFENCES,)


def test_an_antecedent_older_than_five_years_keeps_some_weight(horeca: Questionnaire) -> None:
    """Tijdsverloop (ECLI:NL:RBOBR:2017:5187) lowers the weight of old facts but does not erase it."""
    content = AntecedentFact("witwassen", 2019, AntecedentStatus.CONVICTION, relates_to_activity=True)
    (finding,) = findings(horeca, answers(EENMANSZAAK), fact(content), code="criminalAntecedents")
    residual = POLICY.parameters.antecedents.residual_factor
    assert residual > 0
    assert finding.weight == pytest.approx(POLICY.weight("criminalAntecedents") * 2 * residual)


def test_a_declared_antecedent_confirmed_by_justid_counts_once(horeca: Questionnaire) -> None:
    document = answers(EENMANSZAAK)
    document["answers"]["2I"] = True
    document["answers"]["2I.zaken"] = [{"betrokkene": "ikzelf", "jaar": 2025, "land": "NL", "feiten": "heling",
                                         "afdoening": "strafbeschikking"}]  # fmt: skip
    content = AntecedentFact("heling", 2025, AntecedentStatus.PENAL_ORDER, relates_to_activity=True, financial=True)
    (finding,) = findings(horeca, document, fact(content, owner(document)), code="criminalAntecedents")
    assert [e.ref for e in finding.evidence] == ["/answers/2I.zaken/0", "F1"]


def test_a_fine_is_an_offence_under_art_3_lid_8(horeca: Questionnaire) -> None:
    (finding,) = findings(horeca, answers(EENMANSZAAK), fact(FineFact("illegale tewerkstelling", 2025)),
                          code="administrativeFines")  # fmt: skip
    assert finding.grounds == (Ground.B_OFFENCES,)


def test_without_fines_there_is_no_fine_finding(horeca: Questionnaire) -> None:
    assert findings(horeca, answers(EENMANSZAAK), code="administrativeFines") == []


def test_a_closure_under_13b_opiumwet_is_an_earlier_closure(horeca: Questionnaire) -> None:
    (finding,) = findings(horeca, answers(EENMANSZAAK), fact(FineFact("drugs", 2025, closure_13b=True)),
                          code="earlierRefusalOrClosure")  # fmt: skip
    assert "13b Opiumwet" in finding.explanation


def test_a_fine_is_no_earlier_closure(horeca: Questionnaire) -> None:
    assert findings(horeca, answers(EENMANSZAAK), fact(FineFact("boete", 2025)), code="earlierRefusalOrClosure") == []


def test_a_serious_register_hit_is_a_prior_bibob_conclusion(horeca: Questionnaire) -> None:
    (finding,) = findings(horeca, answers(EENMANSZAAK), fact(RegisterHit(2024, DangerLevel.SERIOUS)),
                          code="priorBibobAdvice")  # fmt: skip
    assert finding.evidence[0].kind == "register"


def test_an_earlier_lbb_advice_of_no_danger_is_not_flagged(horeca: Questionnaire) -> None:
    advice = LbbAdvice(((Ground.A_BENEFIT, DangerLevel.NONE), (Ground.B_OFFENCES, DangerLevel.NONE)))
    assert findings(horeca, answers(EENMANSZAAK), fact(advice), code="priorBibobAdvice") == []


def test_an_answer_a_source_contradicts_bears_on_art_3_lid_6(horeca: Questionnaire) -> None:
    content = FalseAnswer("/answers/2H", "lening niet opgegeven")
    (finding,) = findings(horeca, answers(EENMANSZAAK), fact(content), code="falseOrIncompleteAnswers")
    assert finding.grounds == (Ground.ART3_6_OBTAINING,)
    assert [e.ref for e in finding.evidence] == ["/answers/2H", "F1"]


def test_without_contradicting_sources_there_are_no_false_answers(horeca: Questionnaire) -> None:
    assert findings(horeca, answers(EENMANSZAAK), code="falseOrIncompleteAnswers") == []


def test_refusing_to_cooperate_on_an_existing_permit_is_the_art_4_ground(horeca: Questionnaire) -> None:
    refusal = fact(RefusedToCooperate("weigert"), source=FactSource.ZIENSWIJZE)
    (finding,) = findings(horeca, answers(EENMANSZAAK), refusal, track=Track.EXISTING_PERMIT, code="refusalToCooperate")
    assert finding.grounds == (Ground.ART4_REFUSAL,)


def test_refusing_to_cooperate_on_an_application_is_no_art_4_ground(horeca: Questionnaire) -> None:
    refusal = fact(RefusedToCooperate("weigert"))
    assert findings(horeca, answers(EENMANSZAAK), refusal, code="refusalToCooperate") == []


def test_a_subject_known_in_an_undermining_case_is_no_finding_art_3_lid_2_and_3(horeca: Questionnaire) -> None:
    """Facts, not suspicion by association: a case match opens a consultation, it never raises a level."""
    document = answers(EENMANSZAAK)
    assert (
        findings(horeca, document, fact(KnownInCase("casus-7"), owner(document)), code="knownInUnderminingCase") == []
    )


def test_an_unknown_subject_is_not_flagged_as_known(horeca: Questionnaire) -> None:
    assert findings(horeca, answers(EENMANSZAAK), code="knownInUnderminingCase") == []


# --- weighing as courts do, and financing as it happens -------------------------------------------------------


def test_two_established_offences_of_one_person_are_a_repetition(horeca: Questionnaire) -> None:
    """Art. 3 lid 3 sub d: the number of offences."""
    document = answers(EENMANSZAAK)
    facts = [fact(AntecedentFact("mishandeling", year, AntecedentStatus.CONVICTION, True), owner(document), f"F{year}")
             for year in (2024, 2025)]  # fmt: skip
    (finding,) = findings(horeca, document, *facts, code="repeatOffending")
    assert finding.grounds == (Ground.B_OFFENCES,)
    assert finding.weight == POLICY.weight("repeatOffending")


def test_suspicions_alone_are_no_repetition(horeca: Questionnaire) -> None:
    document = answers(EENMANSZAAK)
    facts = [fact(AntecedentFact("mishandeling", year, AntecedentStatus.SUSPICION, True), owner(document), f"F{year}")
             for year in (2024, 2025)]  # fmt: skip
    assert findings(horeca, document, *facts, code="repeatOffending") == []


def test_financing_found_later_than_the_form_is_undeclared(horeca: Questionnaire) -> None:
    lender = {"kind": "person", "surname": "Vos", "firstNames": "Karel"}
    content = FinancingFact(LenderKind.PRIVATE, 6_000_000, declared=False, description="bankafschrift huurbetaling")
    (finding,) = findings(horeca, answers(EENMANSZAAK), fact(content, lender), code="undeclaredFinancing")
    assert "EUR 60.000" in finding.explanation and finding.grounds == (Ground.A_BENEFIT,)


def test_a_loan_paid_in_cash_is_cash_financing(horeca: Questionnaire) -> None:
    content = FinancingFact(LenderKind.PRIVATE, 2_500_000, paid_in_cash=True, proof_of_receipt=False)
    (finding,) = findings(horeca, answers(EENMANSZAAK), fact(content), code="cashFinancing")
    assert "contant betaald" in finding.explanation
    assert findings(horeca, answers(EENMANSZAAK), fact(content), code="loanWithoutProofOfReceipt")


def test_vendor_credit_tied_to_above_market_purchases_is_flagged_and_ordinary_vendor_credit_is_not(
    horeca: Questionnaire,
) -> None:
    tied = FinancingFact(LenderKind.SUPPLIER, 5_000_000, supplier_tied=True, description="brouwerij")
    assert findings(horeca, answers(EENMANSZAAK), fact(tied), code="vendorCredit")
    ordinary = FinancingFact(LenderKind.SUPPLIER, 5_000_000)
    assert findings(horeca, answers(EENMANSZAAK), fact(ordinary), code="vendorCredit") == []


def test_a_company_loan_without_agreement_is_flagged_as_to_verify(horeca: Questionnaire) -> None:
    lender = {"kind": "organisation", "name": "Leenhuis B.V.", "kvkNumber": "11223344"}
    content = FinancingFact(LenderKind.COMPANY, 4_000_000, agreement=False)
    (finding,) = findings(horeca, answers(EENMANSZAAK), fact(content, lender), code="companyLoan")
    assert finding.unverified
    documented = FinancingFact(LenderKind.COMPANY, 4_000_000)
    assert findings(horeca, answers(EENMANSZAAK), fact(documented, lender), code="companyLoan") == []


def test_cash_found_by_the_police_weighs_by_amount_and_relation(horeca: Questionnaire) -> None:
    document = answers(EENMANSZAAK)
    found = fact(CashFound(12_000_000, "in de kluis van de zaak"), owner(document), source=FactSource.POLICE_INFO_DESK)
    (finding,) = findings(horeca, document, found, code="cashFoundByPolice")
    weighing = POLICY.parameters.weighing
    expected = POLICY.weight("cashFoundByPolice") * weighing.evidence["established"] * weighing.large_benefit_factor
    assert finding.weight == pytest.approx(expected)


def test_a_breach_of_permit_conditions_is_an_offence_finding(horeca: Questionnaire) -> None:
    """Art. 3 lid 7: conditions that are not kept do not limit the danger (ECLI:NL:RBMNE:2023:844)."""
    breach = fact(ConditionBreach("actuele personeelslijst", 2026), source=FactSource.SUPERVISOR)
    (finding,) = findings(horeca, answers(EENMANSZAAK), breach, code="conditionBreach")
    assert finding.grounds == (Ground.B_OFFENCES,) and finding.relation is RelationType.SELF


def test_a_tax_audit_with_a_fraud_penalty_bears_on_a_and_b(horeca: Questionnaire) -> None:
    """Art. 3 lid 8: a fineable violation is an offence."""
    audit = fact(TaxAudit("omzet niet verantwoord", 2025, 3_000_000, fraud_penalty=True),
                 source=FactSource.TAX_AUTHORITY)  # fmt: skip
    (finding,) = findings(horeca, answers(EENMANSZAAK), audit, code="taxAuditFinding")
    assert finding.grounds == (Ground.A_BENEFIT, Ground.B_OFFENCES)


def test_de_facto_control_by_someone_not_on_the_form_is_flagged(horeca: Questionnaire) -> None:
    hidden = {"kind": "person", "surname": "Vos", "firstNames": "Karel"}
    relation = Relation(RelationKind.DE_FACTO_MANAGER, on_form=False)
    (finding,) = findings(horeca, answers(EENMANSZAAK), fact(RelationFact(relation), hidden), code="undeclaredControl")
    assert finding.relation is RelationType.MANAGER
    assert "niet opgegeven op het formulier" in finding.explanation


def test_an_ownership_change_at_group_level_is_flagged(horeca: Questionnaire) -> None:
    change = fact(OwnershipChange("aandelen van de holding overgedragen", dt.date(2026, 9, 1)), source=FactSource.KVK)
    (finding,) = findings(horeca, answers(EENMANSZAAK), change, code="groupOwnershipChange")
    assert "niet aan het bestuursorgaan gemeld" in finding.explanation


def test_documents_asked_beyond_the_form_and_not_provided_weigh_lightly(horeca: Questionnaire) -> None:
    asked = fact(DocumentRequest("bankafschriften 2024", DocumentOutcome.NOT_PROVIDED, "/answers/6B.eigenVermogen"),
                 source=FactSource.MUNICIPALITY)  # fmt: skip
    (finding,) = findings(horeca, answers(EENMANSZAAK), asked, code="requestedDocumentsNotProvided")
    assert [e.ref for e in finding.evidence] == ["F1", "/answers/6B.eigenVermogen"]


def test_documents_provided_beyond_the_form_can_explain_an_answer(horeca: Questionnaire) -> None:
    document = answers(EENMANSZAAK)
    document["attachments"] = [a for a in document["attachments"] if a["kind"] != "proofOfOwnCapital"]
    assert findings(horeca, document, code="ownCapitalUnexplained")
    provided = DocumentRequest("erfenisakte", DocumentOutcome.PROVIDED, "/answers/6B.eigenVermogen", explains=True)
    assert findings(horeca, document, fact(provided), code="ownCapitalUnexplained") == []


def test_wealth_growing_faster_than_income_is_flagged(horeca: Questionnaire) -> None:
    document = answers(EENMANSZAAK)
    document["answers"]["2C.bezittingen"][0] |= {"waardeEindeVorigJaar": 15_000_000, "waardeEindeJaarDaarvoor": 100_000}
    (finding,) = findings(horeca, document, code="wealthAgainstIncome")
    assert finding.unverified and "groeide vorig jaar" in finding.explanation
    assert findings(horeca, answers(EENMANSZAAK), code="wealthAgainstIncome") == []


def test_every_indicator_code_is_covered_by_a_firing_test() -> None:
    source = Path(__file__).read_text("utf-8")
    assert all(f'code="{code}"' in source for code in INDICATOR_BY_CODE)


def test_indicators_never_raise_on_a_declaration_from_damaged_answers(horeca: Questionnaire) -> None:
    document = copy.deepcopy(answers(HOLDING))
    document["modules"]["4"][0]["4I.leningen"][0] = {"hoofdsom": "veel", "geldgever": 3}
    document["answers"]["6C.financiers"] = "x"
    context = IndicatorContext(declaration_from_answers(horeca, document), dt.date(2026, 11, 1), POLICY.parameters)
    assert isinstance(run_indicators(context, POLICY), tuple)
    assert isinstance(Person("x"), Person)
