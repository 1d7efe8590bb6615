"""The assessment weighs facts as the law and courts do: relations, evidence, time, the LBB, cooperation, records."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from bibob.exceptions import InvalidInputError
from bibob.legal import DangerLevel, Ground
from bibob.parties import RelationType
from bibob.policy import Policy, load_policy, parse_policy
from bibob.questionnaires import Catalogue
from bibob.screening import Assessment, RecommendationKind, assess, for_permit_officer, request_from_json
from bibob.screening.assess import DEFAULT_CONDITION
from tests.conftest import SCENARIOS

Kind = RecommendationKind
POLICY = load_policy()
BAKKER = {"kind": "person", "surname": "Bakker", "firstNames": "Pieter Jan", "dateOfBirth": "1975-09-02",
          "placeOfBirth": "Amersfoort", "bsn": "123456782"}  # fmt: skip  # director and shareholder in the BV bases
VERBEEK = {"kind": "person", "surname": "Verbeek", "firstNames": "Johanna Maria", "dateOfBirth": "1979-03-14",
           "bsn": "111222333"}  # fmt: skip  # the sole trader in the eenmanszaak bases
STRANGER = {"kind": "person", "surname": "Vos", "firstNames": "Karel", "dateOfBirth": "1968-02-02", "bsn": "999999990"}
RECORD = {
    "seriousness": "Witwassen is een ernstig misdrijf.", "numberAndRecency": "Eén feit, vorig jaar.",
    "linkToActivity": "Horeca is gevoelig voor witwassen.", "relationCurrent": "Bestuurder.",
    "applicantInterests": "Investering van EUR 45.000.", "lesserMeansConsidered": "Voorschriften afgewogen.",
    "recordedBy": "Bibob-coördinator (synthetisch)", "recordedOn": "2026-11-01",
}  # fmt: skip


def base(name: str = "s02-bv-small-tax-debt") -> dict[str, Any]:
    """A scenario's answers without its facts, records and expectations."""
    document: dict[str, Any] = json.loads((SCENARIOS / f"{name}.json").read_text("utf-8"))
    for key in ("facts", "proportionality", "lbbAdvice", "expected", "repairTermLapsed"):
        document.pop(key, None)
    return document


def clean(name: str = "s02-bv-small-tax-debt") -> dict[str, Any]:
    """The BV base without the director's tax debt: only the facts under test weigh."""
    document = base(name)
    module = document["answers"]["modules"]["4"][0]
    module["4E"] = False
    module.pop("4E.schulden")
    document["answers"]["attachments"] = [a for a in document["answers"]["attachments"] if a["kind"] != "proofOfDebt"]
    return document


def antecedent(fact_id: str = "F1", subject: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    fact = {"id": fact_id, "source": "justid", "on": "2026-10-20", "kind": "antecedent", "offence": "witwassen",
            "year": 2025, "status": "conviction", "relatesToActivity": True, "financial": True,
            "subject": BAKKER if subject is None else subject}  # fmt: skip
    return fact | fields


def assessed(catalogue: Catalogue, document: dict[str, Any], policy: Policy = POLICY) -> Assessment:
    return assess(request_from_json(document, catalogue), policy)


def level(assessment: Assessment, ground: Ground) -> DangerLevel:
    return assessment.level(ground)


def codes(assessment: Assessment) -> list[str]:
    return [f.code for f in assessment.findings]


# --- 1. relations as data (art. 3 lid 4) ---------------------------------------------------------------------------


def test_a_person_with_no_shown_relation_weighs_nothing_and_asks_for_verification(catalogue: Catalogue) -> None:
    """Art. 3 lid 4: only a shown relation ties another's offence to the applicant; nobody defaults to 'self'."""
    result = assessed(catalogue, base() | {"facts": [antecedent(subject=STRANGER)]})
    (finding,) = [f for f in result.findings if f.code == "criminalAntecedents"]
    assert finding.relation is RelationType.NOT_SHOWN
    assert (finding.weight, finding.unverified) == (0.0, True)
    assert finding.weight_if_proven == 16.0
    assert result.recommendation.kind is Kind.VERIFY_OR_ASK_LBB
    assert "een derde die niet op het formulier staat" in finding.explanation


def test_a_relation_recorded_with_the_fact_counts_with_its_kind(catalogue: Catalogue) -> None:
    """Art. 3 lid 4 sub c: a financier's offences count, less than a director's."""
    fact = antecedent(subject=STRANGER, relation={"kind": "financier", "from": "2024-01-01"})
    (finding,) = [
        f for f in assessed(catalogue, base() | {"facts": [fact]}).findings if f.code == "criminalAntecedents"
    ]
    assert finding.relation is RelationType.FINANCIER
    assert finding.weight == pytest.approx(16 * POLICY.parameters.weighing.relations["financier"])


def test_family_ties_alone_are_no_relation(catalogue: Catalogue) -> None:
    """Art. 3 lid 4 knows management, control, financing and business ties; family alone is none of them."""
    fact = antecedent(subject=STRANGER, relation={"kind": "family", "description": "broer van de bestuurder"})
    result = assessed(catalogue, base() | {"facts": [fact]})
    assert level(result, Ground.B_OFFENCES) is DangerLevel.NONE
    assert result.recommendation.kind is Kind.VERIFY_OR_ASK_LBB


def test_an_ended_relation_weighs_less_and_points_to_conditions(catalogue: Catalogue) -> None:
    """Art. 3 lid 4 ('heeft gegeven', 'heeft gestaan'): a past relation counts, less, and conditions can meet it."""
    fact = antecedent(offence="heling", financial=False, subject=STRANGER,
                      relation={"kind": "director", "from": "2020-01-01", "to": "2026-03-01"})  # fmt: skip
    result = assessed(catalogue, base() | {"facts": [fact]})
    (finding,) = [f for f in result.findings if f.code == "criminalAntecedents"]
    assert finding.relation_ended and finding.weight == pytest.approx(
        8 * POLICY.parameters.weighing.ended_relation_factor
    )
    assert "beëindigd op 2026-03-01" in finding.explanation


def test_an_owner_of_a_financier_finances_indirectly_and_does_not_control_the_applicant(catalogue: Catalogue) -> None:
    """Art. 3 lid 4 sub c: who owns the lender finances the applicant indirectly; control is a different relation."""
    document = base("s17-foreign-financier-and-churn")
    financiers = document["answers"]["answers"].get("6C.financiers") or []
    assert financiers, "the base has a financier"
    financiers[0]["financier"] = {"kind": "organisation", "name": "Leenhuis B.V.", "legalForm": "bv",
                                  "kvkNumber": "11223344", "owners": [STRANGER]}  # fmt: skip
    fact = antecedent(subject=STRANGER)
    (finding,) = [f for f in assessed(catalogue, document | {"facts": [fact]}).findings
                  if f.code == "criminalAntecedents"]  # fmt: skip
    assert finding.relation is RelationType.FINANCIER
    weighing = POLICY.parameters.weighing
    assert finding.weight == pytest.approx(16 * weighing.relations["financier"] * weighing.indirect_relation_factor)
    assert "van de financier" in finding.explanation


def test_de_facto_control_by_someone_not_on_the_form_is_a_finding_and_shows_the_relation(catalogue: Catalogue) -> None:
    """Art. 3 lid 4 sub c: indirect management outside the form; his antecedents then weigh as a manager's."""
    control = {"id": "R1", "source": "policeInfoDesk", "on": "2026-10-20", "kind": "relation", "subject": STRANGER,
               "relation": {"kind": "deFactoManager", "onForm": False, "from": "2026-01-01",
                            "description": "stuurt het personeel aan en doet de inkoop"}}  # fmt: skip
    result = assessed(catalogue, base() | {"facts": [control, antecedent(subject=STRANGER)]})
    assert codes(result) == ["taxDebts", "criminalAntecedents", "undeclaredControl"]
    (weighed,) = [f for f in result.findings if f.code == "criminalAntecedents"]
    assert (weighed.relation, weighed.weight) == (RelationType.MANAGER, 16.0)
    assert level(result, Ground.B_OFFENCES) is DangerLevel.SERIOUS


def test_a_company_s_own_means_are_not_compared_with_a_director_s_private_means(catalogue: Catalogue) -> None:
    """An established company's equity is its own; the persons behind it declare their private means."""
    document = base()
    document["answers"]["answers"]["6A"] = "overname"
    document["answers"]["answers"]["6B.eigenVermogen"]["bedrag"] = 90_000_000
    assert "ownCapitalUnexplained" not in codes(assessed(catalogue, document))


def test_a_new_company_s_capital_is_compared_with_its_owners_means(catalogue: Catalogue) -> None:
    document = base()
    document["answers"]["answers"]["6A"] = "nieuw"
    document["answers"]["answers"]["6B.eigenVermogen"]["bedrag"] = 90_000_000
    assert "ownCapitalUnexplained" in codes(assessed(catalogue, document))


# --- 2. weighing facts as courts do (art. 3 lid 2, 3, 5; art. 3a) ----------------------------------------------------


@pytest.mark.parametrize(
    ("weaker", "stronger"),
    [("intelligence", "dismissal"), ("dismissal", "suspicion"), ("suspicion", "established"),
     ("established", "settlement"), ("established", "penalOrder"), ("settlement", "conviction")],
)  # fmt: skip
def test_evidence_levels_rank_from_intelligence_to_conviction(catalogue: Catalogue, weaker: str, stronger: str) -> None:
    """Art. 3 lid 2/3 sub b (the seriousness of a suspicion) and art. 3a (what 'erop wijzen' is)."""

    def weight(status: str) -> float:
        result = assessed(catalogue, base() | {"facts": [antecedent(status=status)]})
        return next(f.weight for f in result.findings if f.code == "criminalAntecedents")

    assert weight(weaker) < weight(stronger)


def test_one_recent_laundering_conviction_of_the_director_reaches_serious_on_its_own(catalogue: Catalogue) -> None:
    """Art. 3 lid 2, 3 and 4 sub c: one serious, activity-related, recent fact of a manager can carry serious danger."""
    result = assessed(catalogue, base() | {"facts": [antecedent()]})
    assert level(result, Ground.A_BENEFIT) is level(result, Ground.B_OFFENCES) is DangerLevel.SERIOUS
    assert result.recommendation.kind is Kind.PROPORTIONALITY_REQUIRED


@pytest.mark.parametrize(("year", "expected"), [(2024, DangerLevel.SERIOUS), (2022, DangerLevel.LESSER),
                                                (2019, DangerLevel.NONE)])  # fmt: skip
def test_time_elapsed_lowers_the_weight_of_that_conviction_but_does_not_erase_it(
    catalogue: Catalogue, year: int, expected: DangerLevel
) -> None:
    """Tijdsverloop (ECLI:NL:RBOBR:2017:5187): two years later still serious, later lesser, and old facts keep some."""
    result = assessed(catalogue, clean() | {"facts": [antecedent(year=year)]})
    assert level(result, Ground.B_OFFENCES) is expected
    assert next(f.weight for f in result.findings if f.code == "criminalAntecedents") > 0


def test_repeat_offences_escalate(catalogue: Catalogue) -> None:
    """Art. 3 lid 3 sub d: the number of offences counts; a repetition weighs on top of each offence."""
    facts = [antecedent("F1", offence="mishandeling", financial=False, year=2023),
             antecedent("F2", offence="mishandeling", financial=False, year=2024)]  # fmt: skip
    result = assessed(catalogue, base() | {"facts": facts})
    (repeat,) = [f for f in result.findings if f.code == "repeatOffending"]
    assert repeat.weight == POLICY.weight("repeatOffending")
    assert [e.ref for e in repeat.evidence] == ["F1", "F2"]


def test_two_antecedents_of_one_person_in_one_year_are_two_facts_each_with_its_own_status(
    catalogue: Catalogue,
) -> None:
    document = base()
    module = document["answers"]["modules"]["4"][0]
    module["4J"] = True
    module["4J.zaken"] = [{"betrokkene": "P.J. Bakker", "jaar": 2025, "land": "NL",
                           "feiten": "witwassen", "afdoening": "veroordeling"}]  # fmt: skip
    facts = [antecedent("F1", offence="handel in cocaïne", status="suspicion"),
             antecedent("F2", offence="witwassen", status="conviction")]  # fmt: skip
    found = [f for f in assessed(catalogue, document | {"facts": facts}).findings if f.code == "criminalAntecedents"]
    assert len(found) == 2
    by_evidence = {tuple(e.ref for e in f.evidence): f for f in found}
    assert by_evidence[("/modules/4/0/4J.zaken/0", "F2")].unverified is False
    assert by_evidence[("F1",)].unverified is True


def test_an_unverified_serious_finding_never_ends_in_a_grant(catalogue: Catalogue) -> None:
    """Awb 3:2: intelligence about serious offences is verified (police, OM) or put to the LBB before deciding."""
    fact = antecedent(status="intelligence", offence="grootschalige handel in cocaïne", source="policeInfoDesk")
    result = assessed(catalogue, clean() | {"facts": [fact]})
    assert level(result, Ground.B_OFFENCES) is DangerLevel.NONE
    assert result.recommendation.kind is Kind.VERIFY_OR_ASK_LBB
    assert result.recommendation.legal_basis.startswith("Awb art. 3:2")


def test_the_size_of_the_benefit_weighs_on_the_a_ground(catalogue: Catalogue) -> None:
    """Art. 3 lid 2 sub d: the size of the benefits obtained or to be obtained."""

    def weight(cents: int) -> float:
        fact = antecedent(offence="heling", year=2022, amountCents=cents)
        return next(f.weight for f in assessed(catalogue, base() | {"facts": [fact]}).findings
                    if f.code == "criminalAntecedents")  # fmt: skip

    assert weight(100_000) < weight(1_000_000) < weight(50_000_000)


# --- 3. the LBB advice is weighed, not copied (Awb 3:9) ---------------------------------------------------------------


def lbb(levels: dict[str, str], review: bool | None = True, **extra: Any) -> dict[str, Any]:
    advice: dict[str, Any] = {"levels": levels, "adviceDate": "2026-10-28"}
    if review is not None:
        advice["review"] = {"checkedBy": "Bibob-coördinator", "checkedOn": "2026-10-30", "careful": review,
                            "factsCarryConclusion": review}  # fmt: skip
    return advice | extra


def test_relying_on_the_lbb_without_vergewissing_means_verifying_first(catalogue: Catalogue) -> None:
    """Awb 3:9: the body satisfies itself that the advice was carefully made and its facts carry it."""
    document = base() | {"facts": [antecedent(offence="heling", financial=False)], "proportionality": RECORD}
    unchecked = assessed(catalogue, document | {"lbbAdvice": {"bOffences": "serious"}})
    assert unchecked.recommendation.kind is Kind.VERIFY_OR_ASK_SUPPLEMENTARY_ADVICE
    checked = assessed(catalogue, document | {"lbbAdvice": lbb({"bOffences": "serious"})})
    assert checked.recommendation.kind is Kind.REFUSAL_POSSIBLE
    doubted = assessed(catalogue, document | {"lbbAdvice": lbb({"bOffences": "serious"}, review=False)})
    assert doubted.recommendation.kind is Kind.VERIFY_OR_ASK_SUPPLEMENTARY_ADVICE


def test_a_large_gap_between_own_findings_and_the_lbb_leads_to_supplementary_advice_not_refusal(
    catalogue: Catalogue,
) -> None:
    result = assessed(catalogue, base() | {"lbbAdvice": lbb({"bOffences": "serious"}), "proportionality": RECORD})
    assert result.recommendation.kind is Kind.VERIFY_OR_ASK_SUPPLEMENTARY_ADVICE
    assert any("grote afstand" in reason for reason in result.recommendation.reasons)


def test_an_lbb_finding_about_a_person_whose_relation_is_not_shown_leads_to_supplementary_advice(
    catalogue: Catalogue,
) -> None:
    fact = antecedent(subject=STRANGER, source="lbb")
    document = base() | {"facts": [fact], "lbbAdvice": lbb({"bOffences": "serious", "aBenefit": "serious"})}
    result = assessed(catalogue, document | {"proportionality": RECORD})
    assert result.recommendation.kind is Kind.VERIFY_OR_ASK_SUPPLEMENTARY_ADVICE
    assert any("relatie" in reason for reason in result.recommendation.reasons)


def test_a_motivated_deviation_down_from_the_lbb_leads_to_named_conditions(catalogue: Catalogue) -> None:
    """ECLI:NL:RBOBR:2016:1013: the body may conclude lesser danger against the LBB, with reasons; then conditions."""
    deviation = {"ground": "bOffences", "level": "lesser", "reasons": "Het feit is oud en de rol is beperkt."}
    document = base() | {"facts": [antecedent(offence="heling", financial=False, year=2022)]}
    result = assessed(catalogue, document | {"lbbAdvice": lbb({"bOffences": "serious"}, deviations=[deviation])})
    assert level(result, Ground.B_OFFENCES) is DangerLevel.LESSER
    assert result.recommendation.kind is Kind.GRANT_WITH_CONDITIONS
    assert result.recommendation.conditions
    assert "Het bestuursorgaan concludeert met redenen: mindere mate van gevaar" in result.explanation


def test_a_motivated_deviation_up_from_the_lbb_is_the_body_s_level(catalogue: Catalogue) -> None:
    deviation = {"ground": "aBenefit", "level": "serious", "reasons": "Contant geld en een verborgen financier."}
    document = base() | {"facts": [antecedent()], "proportionality": RECORD}
    result = assessed(catalogue, document | {"lbbAdvice": lbb({"aBenefit": "lesser"}, deviations=[deviation])})
    assert level(result, Ground.A_BENEFIT) is DangerLevel.SERIOUS
    assert result.recommendation.kind is Kind.REFUSAL_POSSIBLE


def test_an_lbb_deviation_needs_its_reasons(catalogue: Catalogue) -> None:
    deviation = {"ground": "bOffences", "level": "lesser", "reasons": ""}
    with pytest.raises(InvalidInputError):
        request_from_json(base() | {"lbbAdvice": lbb({"bOffences": "serious"}, deviations=[deviation])}, catalogue)


# --- 4. non-cooperation and wrong answers (Awb 4:5; art. 3 lid 6, art. 4) -------------------------------------------


def refusal(scope: str = "form") -> dict[str, Any]:
    return {"id": "W1", "source": "lbb", "on": "2026-10-25", "kind": "refusedToCooperate", "scope": scope,
            "description": "weigert de vragen over de financiering te beantwoorden"}  # fmt: skip


@pytest.mark.parametrize("scope", ["form", "lbbQuestions"])
def test_refusing_to_answer_on_an_application_is_repaired_then_not_processed_never_granted(
    catalogue: Catalogue, scope: str
) -> None:
    """Awb 4:5: an application without the data needed is repaired, then not processed; art. 4 is for permits held."""
    document = base("s01-clean-eenmanszaak") | {"facts": [refusal(scope)]}
    assert assessed(catalogue, document).recommendation.kind is Kind.REQUEST_REPAIR
    lapsed = assessed(catalogue, document | {"repairTermLapsed": True}).recommendation
    assert lapsed.kind is Kind.NOT_PROCESSED
    assert "art. 4 Wet Bibob geldt alleen bij een bestaande beschikking" in lapsed.legal_basis


def test_refusing_the_lbb_questions_on_an_existing_permit_is_art_4(catalogue: Catalogue) -> None:
    """Art. 4 lid 2: refusing the LBB's further data counts as serious danger, like refusing the form."""
    document = base("s01-clean-eenmanszaak") | {"facts": [refusal("lbbQuestions")], "track": "existingPermit"}
    result = assessed(catalogue, document)
    assert level(result, Ground.ART4_REFUSAL) is DangerLevel.SERIOUS
    assert result.recommendation.kind is Kind.PROPORTIONALITY_REQUIRED


def test_art_4_does_not_apply_to_a_vastgoed_counterparty(catalogue: Catalogue) -> None:
    document = base("s01-clean-eenmanszaak") | {"facts": [refusal()], "track": "existingPermit",
                                                "permitType": "vastgoedtransactie"}  # fmt: skip
    assert "refusalToCooperate" not in codes(assessed(catalogue, document))


def wrong(fact_id: str, intent: str, corrected: bool = False) -> dict[str, Any]:
    return {"id": fact_id, "source": "justid", "on": "2026-10-20", "kind": "falseAnswer", "pointer": "/answers/2I",
            "description": "een strafbeschikking uit 2024 is niet opgegeven", "intent": intent, "corrected": corrected,
            "subject": VERBEEK}  # fmt: skip


def test_a_wrong_answer_of_unknown_intent_is_verified_not_graded(catalogue: Catalogue) -> None:
    """Art. 3 lid 6 and art. 225 Sr: valsheid in geschrifte needs intent; find it out before weighing it fully."""
    facts = [wrong("V1", "unknown"), wrong("V2", "unknown")]
    result = assessed(catalogue, base("s01-clean-eenmanszaak") | {"facts": facts})
    assert result.recommendation.kind in (Kind.REQUEST_LBB_ADVICE, Kind.VERIFY_OR_ASK_LBB)


def test_wrong_answers_are_never_graded_into_conditions(catalogue: Catalogue) -> None:
    """Art. 3 lid 7: conditions meet lesser danger on grounds a and b, not an offence to obtain the permit."""
    one = assessed(catalogue, base("s01-clean-eenmanszaak") | {"facts": [wrong("V1", "deliberate")]})
    assert level(one, Ground.ART3_6_OBTAINING) is DangerLevel.LESSER
    assert one.recommendation.kind is Kind.REQUEST_REPAIR  # correct the answers first (Awb 4:5)


def test_a_corrected_wrong_answer_is_recorded_and_the_application_granted(catalogue: Catalogue) -> None:
    facts = [wrong("V1", "deliberate", corrected=True), wrong("V2", "negligent", corrected=True)]
    result = assessed(catalogue, base("s01-clean-eenmanszaak") | {"facts": facts})
    assert result.recommendation.kind is Kind.GRANT
    assert "hersteld" in result.explanation


def test_a_recommendation_of_conditions_always_names_the_conditions(catalogue: Catalogue) -> None:
    """Art. 3 lid 7 and art. 33: the subject can only give a view on conditions that are named."""
    raw = json.loads((SCENARIOS.parent.parent / "policies" / "default.json").read_text("utf-8"))
    bare = copy.deepcopy(raw)
    for entry in bare["indicatorWeights"].values():
        entry.pop("suggestedCondition", None)
    bare.pop("generalConditions")
    policy = parse_policy(bare, "zonder-voorschriften.json")
    document = base() | {"facts": [antecedent(offence="heling", financial=False)]}
    result = assessed(catalogue, document, policy)
    assert result.recommendation.kind is Kind.GRANT_WITH_CONDITIONS
    assert result.recommendation.conditions == (DEFAULT_CONDITION,)


# --- 6. proportionality read, not only asked (art. 3 lid 5) ----------------------------------------------------------


def test_the_draft_lists_the_factors_of_the_case_for_the_coordinator(catalogue: Catalogue) -> None:
    result = assessed(catalogue, base() | {"facts": [antecedent(), antecedent("F2", year=2024)]})
    draft = {factor.code: factor for factor in result.proportionality_draft}
    assert list(draft) == ["seriousness", "degreeOfDanger", "relationStatus", "timeElapsed", "linkToActivity",
                           "recidivism", "evidenceQuality", "lesserMeasureAvailable", "economicImpact",
                           "comparableCases"]  # fmt: skip
    assert all(factor.to_complete for factor in draft.values())
    assert "2024, 2025" in draft["timeElapsed"].observation
    assert "herhaling bij 1" in draft["recidivism"].observation
    assert "Evenredigheid (art. 3 lid 5 Wet Bibob)" in result.explanation


def test_a_written_record_marks_its_factors_done(catalogue: Catalogue) -> None:
    result = assessed(catalogue, base() | {"facts": [antecedent()], "proportionality": RECORD})
    done = {f.code for f in result.proportionality_draft if not f.to_complete}
    assert {"seriousness", "linkToActivity"} <= done
    assert "economicImpact" not in done


def test_a_record_that_says_the_relation_ended_turns_refusal_into_conditions(catalogue: Catalogue) -> None:
    """ECLI:NL:RBROT:2023:575: a business relation shown to have ended leaves no actual danger to refuse on."""
    record = RECORD | {"relationStatus": "ended"}
    result = assessed(catalogue, base() | {"facts": [antecedent()], "proportionality": record})
    assert result.recommendation.kind is Kind.GRANT_WITH_CONDITIONS
    assert POLICY.ended_relation_condition in result.recommendation.conditions
    assert "lid 4" in result.recommendation.legal_basis


def test_a_record_that_names_a_lesser_measure_turns_refusal_into_those_conditions(catalogue: Catalogue) -> None:
    measure = "De bestuurder treedt binnen vier weken terug en krijgt geen zeggenschap."
    record = RECORD | {"lesserMeasureAvailable": True, "lesserMeasures": [measure]}
    result = assessed(catalogue, base() | {"facts": [antecedent()], "proportionality": record})
    assert result.recommendation.kind is Kind.GRANT_WITH_CONDITIONS
    assert result.recommendation.conditions[0] == measure
    assert result.recommendation.legal_basis == "Wet Bibob art. 3 lid 5 en lid 7; zienswijze art. 33"


def test_a_lesser_measure_available_needs_the_measures_named(catalogue: Catalogue) -> None:
    record = RECORD | {"lesserMeasureAvailable": True}
    with pytest.raises(InvalidInputError):
        request_from_json(base() | {"facts": [antecedent()], "proportionality": record}, catalogue)


def test_a_record_that_says_the_relation_is_not_shown_leads_to_verification(catalogue: Catalogue) -> None:
    record = RECORD | {"relationStatus": "notShown"}
    result = assessed(catalogue, base() | {"facts": [antecedent()], "proportionality": record})
    assert result.recommendation.kind is Kind.VERIFY_OR_ASK_LBB


def test_a_lesser_measure_on_the_art_4_ground_keeps_the_permit_without_conditions(catalogue: Catalogue) -> None:
    """Art. 3 lid 7 is for grounds a and b; an art. 4 withdrawal found disproportionate simply does not happen."""
    record = RECORD | {"lesserMeasureAvailable": True, "lesserMeasures": ["Nieuwe termijn om te antwoorden."]}
    document = base("s01-clean-eenmanszaak") | {"facts": [refusal()], "track": "existingPermit"}
    result = assessed(catalogue, document | {"proportionality": record})
    assert result.recommendation.kind is Kind.GRANT
    assert result.recommendation.conditions == ()


def test_the_permit_officer_does_not_see_the_proportionality_draft(catalogue: Catalogue) -> None:
    request = request_from_json(base() | {"facts": [antecedent()]}, catalogue)
    full = assess(request, POLICY)
    officer = for_permit_officer(full, request, POLICY)
    assert full.proportionality_draft and not officer.proportionality_draft
    assert "Evenredigheid (art. 3 lid 5" not in officer.explanation
