"""Reading an assessment request (answers, application, own-investigation facts) from JSON."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bibob.exceptions import InvalidInputError, Problem
from bibob.legal import DangerLevel, Ground, PermitType, ProportionalityRecord, Track
from bibob.parties import Period
from bibob.questionnaires import Catalogue, parse_date
from bibob.schemas import schema_problems
from bibob.screening.facts import (
    AntecedentFact,
    AntecedentStatus,
    CashFound,
    ConditionBreach,
    CooperationScope,
    DocumentOutcome,
    DocumentRequest,
    Fact,
    FactContent,
    FactSource,
    FalseAnswer,
    FinancingFact,
    FineFact,
    Intent,
    KnownInCase,
    LbbAdvice,
    LenderKind,
    MarketReference,
    Note,
    OwnershipChange,
    RefusedToCooperate,
    RegisterHit,
    RelationFact,
    Severity,
    TaxAudit,
)
from bibob.screening.model import (
    AssessmentRequest,
    LbbReview,
    LevelConclusion,
    ProportionalityReading,
    RelationStatus,
)
from bibob.screening.reading import to_party
from bibob.screening.relations import Relation, RelationKind
from bibob.terms import FIRST_YEAR, LAST_YEAR


def _levels(raw: Mapping[str, str] | None) -> tuple[tuple[Ground, DangerLevel], ...]:
    found = ((Ground.parse(key), DangerLevel.parse(value)) for key, value in (raw or {}).items())
    return tuple((ground, level) for ground, level in found if ground is not None and level is not None)


def _antecedent(raw: Mapping[str, Any]) -> AntecedentFact:
    status = AntecedentStatus.parse(raw["status"]) or AntecedentStatus.SUSPICION
    return AntecedentFact(
        raw["offence"], raw["year"], status, raw["relatesToActivity"], raw.get("financial", False),
        raw.get("country", "NL"), Severity.parse(raw.get("severity")), raw.get("amountCents"),
        raw.get("declaredAt", ""),
    )  # fmt: skip


def _financing(raw: Mapping[str, Any]) -> FinancingFact:
    return FinancingFact(
        LenderKind.parse(raw["lenderKind"]) or LenderKind.UNKNOWN, raw.get("amountCents"), raw.get("declared", True),
        raw.get("paidInCash", False), raw.get("supplierTied", False), raw.get("agreement", True),
        raw.get("proofOfReceipt", True), raw.get("description", ""),
    )  # fmt: skip


def _false_answer(raw: Mapping[str, Any]) -> FalseAnswer:
    intent = Intent.parse(raw.get("intent")) or Intent.UNKNOWN
    return FalseAnswer(raw["pointer"], raw["description"], intent, raw.get("corrected", False))


def _document_request(raw: Mapping[str, Any]) -> DocumentRequest:
    outcome = DocumentOutcome.parse(raw["outcome"]) or DocumentOutcome.PENDING
    return DocumentRequest(raw["description"], outcome, raw.get("concerns", ""), raw.get("explains", False))


_READERS: dict[str, Callable[[Mapping[str, Any]], FactContent]] = {
    "antecedent": _antecedent,
    "fine": lambda raw: FineFact(raw["description"], raw["year"], raw.get("closure13b", False)),
    "registerHit": lambda raw: RegisterHit(
        raw["year"], DangerLevel.parse(raw["level"]) or DangerLevel.NONE, raw.get("decision", "")
    ),
    "lbbAdvice": lambda raw: LbbAdvice(_levels(raw["levels"]), parse_date(raw.get("adviceDate"))),
    "knownInCase": lambda raw: KnownInCase(raw["reference"], raw.get("matchExplanation", "")),
    "marketReference": lambda raw: MarketReference(raw["item"], raw["marketCents"], raw.get("declaredCents")),
    "falseAnswer": _false_answer,
    "refusedToCooperate": lambda raw: RefusedToCooperate(
        raw["description"], CooperationScope.parse(raw.get("scope")) or CooperationScope.FORM
    ),
    "financing": _financing,
    "cashFound": lambda raw: CashFound(raw["amountCents"], raw.get("description", "")),
    "conditionBreach": lambda raw: ConditionBreach(raw["condition"], raw["year"], raw.get("description", "")),
    "taxAudit": lambda raw: TaxAudit(
        raw["description"], raw["year"], raw.get("correctionCents"), raw.get("fraudPenalty", False)
    ),
    "relation": lambda raw: RelationFact(relation_from_json(raw["relation"])),
    "ownershipChange": lambda raw: OwnershipChange(
        raw["description"], parse_date(raw.get("changedOn")), raw.get("reported", False)
    ),
    "documentRequest": _document_request,
}


def relation_from_json(raw: Mapping[str, Any]) -> Relation:
    """A Relation from its JSON form: kind, period (from, to), indirect, onForm, description."""
    return Relation(
        RelationKind.parse(raw["kind"]) or RelationKind.ALLEGED,
        Period(parse_date(raw.get("from")), parse_date(raw.get("to"))),
        raw.get("indirect", False),
        raw.get("onForm", True),
        raw.get("description", ""),
    )


def fact_from_json(raw: Mapping[str, Any]) -> Fact:
    """A Fact from its JSON form (already valid against assessment-request.schema.json)."""
    source = FactSource.parse(raw["source"])
    on = parse_date(raw["on"])
    assert source is not None and on is not None  # the schema guarantees both
    reader = _READERS.get(raw["kind"])
    content = reader(raw) if reader is not None else Note(raw["text"])
    relation = relation_from_json(raw["relation"]) if isinstance(raw.get("relation"), dict) else None
    return Fact(raw["id"], source, on, content, to_party(raw.get("subject")), relation)


def _proportionality(raw: Mapping[str, Any] | None) -> ProportionalityRecord | None:
    if raw is None:
        return None
    recorded_on = parse_date(raw["recordedOn"])
    assert recorded_on is not None
    return ProportionalityRecord(
        seriousness=raw["seriousness"], number_and_recency=raw["numberAndRecency"],
        link_to_activity=raw["linkToActivity"], relation_current=raw["relationCurrent"],
        applicant_interests=raw["applicantInterests"], lesser_means_considered=raw["lesserMeansConsidered"],
        recorded_by=raw["recordedBy"], recorded_on=recorded_on, comparable_cases=raw.get("comparableCases", ""),
    )  # fmt: skip


def _reading(raw: Mapping[str, Any] | None) -> ProportionalityReading:
    if raw is None:
        return ProportionalityReading()
    return ProportionalityReading(
        relation_status=RelationStatus.parse(raw.get("relationStatus")),
        lesser_measure_available=raw.get("lesserMeasureAvailable"),
        lesser_measures=tuple(raw.get("lesserMeasures", ())), degree_of_danger=raw.get("degreeOfDanger", ""),
        time_elapsed=raw.get("timeElapsed", ""), economic_impact=raw.get("economicImpact", ""),
        recidivism=raw.get("recidivism", ""), evidence_quality=raw.get("evidenceQuality", ""),
    )  # fmt: skip


def _lbb_parts(raw: Mapping[str, Any] | None) -> tuple[Mapping[str, Any] | None, Mapping[str, Any]]:
    """The LBB advice's levels and the rest: the old form is the levels alone, the new one an object with `levels`."""
    if raw is None or "levels" not in raw:
        return raw, {}
    return raw["levels"], raw


def _review(raw: Mapping[str, Any] | None) -> LbbReview | None:
    if raw is None:
        return None
    checked_on = parse_date(raw["checkedOn"])
    assert checked_on is not None
    return LbbReview(raw["checkedBy"], checked_on, raw["careful"], raw["factsCarryConclusion"], raw.get("notes", ""))


def _conclusions(raw: list[Mapping[str, Any]]) -> tuple[LevelConclusion, ...]:
    found = ((Ground.parse(c["ground"]), DangerLevel.parse(c["level"]), c) for c in raw)
    return tuple(
        LevelConclusion(g, lv, c["reasons"], c.get("recordedBy", ""), tuple(c.get("conditions", ())))
        for g, lv, c in found
        if g and lv
    )


def _semantic_problems(document: Mapping[str, Any], catalogue: Catalogue) -> list[Problem]:
    """What the schema cannot check: a known questionnaire and permit type, unique fact ids."""
    problems = []
    reference = document["answers"].get("questionnaire")
    questionnaire_id = reference.get("id") if isinstance(reference, dict) else None
    if not isinstance(questionnaire_id, str) or questionnaire_id not in catalogue:
        problems.append(
            Problem("/answers/questionnaire/id", "unknownQuestionnaire", "onbekend of ontbrekend vragenformulier")
        )
    reference_date = parse_date(document["referenceDate"])
    if reference_date is None or not FIRST_YEAR <= reference_date.year <= LAST_YEAR:
        message = f"de peildatum is een bestaande datum tussen {FIRST_YEAR} en {LAST_YEAR}"
        problems.append(Problem("/referenceDate", "dateOutOfRange", message))
    if PermitType.parse(document["permitType"]) is None:
        problems.append(Problem("/permitType", "unknownPermitType", "onbekend soort vergunning"))
    ids = [f.get("id") for f in document.get("facts", [])]
    problems += [
        Problem(f"/facts/{index}/id", "duplicateId", f"bevinding-id '{fact_id}' komt vaker voor")
        for index, fact_id in enumerate(ids)
        if fact_id in ids[:index]
    ]
    return problems


def request_from_json(document: object, catalogue: Catalogue, source: str = "") -> AssessmentRequest:
    """An AssessmentRequest from JSON; InvalidInputError lists every problem with its pointer."""
    problems = list(schema_problems("assessment-request.schema.json", document, source))
    if not problems:
        assert isinstance(document, dict)
        problems = _semantic_problems(document, catalogue)
    if problems:
        raise InvalidInputError(problems)
    assert isinstance(document, dict)
    reference_date = parse_date(document["referenceDate"])
    assert reference_date is not None
    levels, advice = _lbb_parts(document.get("lbbAdvice"))
    return AssessmentRequest(
        questionnaire=catalogue[document["answers"]["questionnaire"]["id"]],
        answers=document["answers"],
        reference_date=reference_date,
        permit_type=PermitType.parse(document["permitType"]),
        track=Track.parse(document.get("track")) or Track.APPLICATION,
        facts=tuple(fact_from_json(f) for f in document.get("facts", [])),
        proportionality=_proportionality(document.get("proportionality")),
        proportionality_reading=_reading(document.get("proportionality")),
        repair_term_lapsed=document.get("repairTermLapsed", False),
        lbb_levels=_levels(levels),
        lbb_advice_date=parse_date(advice.get("adviceDate")),
        lbb_review=_review(advice.get("review")),
        conclusions=_conclusions(advice.get("deviations", [])),
    )


#: A minimal request around a shared fact, so the fact is checked by the same schema as the assessment's facts.
_AROUND = {"permitType": "exploitatieHoreca", "referenceDate": "2026-01-01", "answers": {}}


def shared_fact_from_json(raw: object, fact_id: str) -> Fact:
    """A fact the safety advisor shares from a case, with its own source; `InvalidInputError` under `/fact`.

    It enters an assessment as an ordinary fact. 'Known in a case' is no fact (art. 3(2)/(3) Wet Bibob) and is
    refused here, as is the case itself as a source (the texts for the applicant's letter name the source).
    """
    document = dict(_AROUND, facts=[dict(raw, id=fact_id) if isinstance(raw, dict) else raw])
    problems = [
        Problem("/fact" + p.pointer.removeprefix("/facts/0"), p.code, p.message)
        for p in schema_problems("assessment-request.schema.json", document)
        if p.pointer.startswith("/facts")
    ]
    if not problems and isinstance(raw, dict) and raw.get("kind") == "knownInCase":
        problems.append(Problem("/fact/kind", "notAFact", "bekend zijn in een casus is geen feit om te delen"))
    if not problems and isinstance(raw, dict) and raw.get("source") == FactSource.CASE_FILE.value:
        # the letter to the applicant names a fact's source: never 'casus ondermijning'
        problems.append(Problem("/fact/source", "originalSource", "noem de oorspronkelijke bron, niet de casus"))
    if problems:
        raise InvalidInputError(problems)
    assert isinstance(raw, dict)
    return fact_from_json(dict(raw, id=fact_id))
