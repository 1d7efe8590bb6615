"""Reading an assessment request (answers, application, own-investigation facts) from JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bibob.exceptions import InvalidInputError, Problem
from bibob.legal import DangerLevel, Ground, PermitType, ProportionalityRecord, Track
from bibob.questionnaires import Catalogue, parse_date
from bibob.schemas import schema_problems
from bibob.screening.facts import (
    AntecedentFact,
    AntecedentStatus,
    Fact,
    FactContent,
    FactSource,
    FalseAnswer,
    FineFact,
    KnownInCase,
    LbbAdvice,
    MarketReference,
    Note,
    RefusedToCooperate,
    RegisterHit,
)
from bibob.screening.model import AssessmentRequest
from bibob.screening.reading import to_party
from bibob.terms import FIRST_YEAR, LAST_YEAR


def _levels(raw: Mapping[str, str] | None) -> tuple[tuple[Ground, DangerLevel], ...]:
    found = ((Ground.parse(key), DangerLevel.parse(value)) for key, value in (raw or {}).items())
    return tuple((ground, level) for ground, level in found if ground is not None and level is not None)


def _content(raw: Mapping[str, Any]) -> FactContent:
    kind = raw["kind"]
    if kind == "antecedent":
        status = AntecedentStatus.parse(raw["status"]) or AntecedentStatus.SUSPICION
        return AntecedentFact(raw["offence"], raw["year"], status, raw["relatesToActivity"],
                              raw.get("financial", False), raw.get("country", "NL"))  # fmt: skip
    if kind == "fine":
        return FineFact(raw["description"], raw["year"], raw.get("closure13b", False))
    if kind == "registerHit":
        return RegisterHit(raw["year"], DangerLevel.parse(raw["level"]) or DangerLevel.NONE, raw.get("decision", ""))
    if kind == "lbbAdvice":
        return LbbAdvice(_levels(raw["levels"]), parse_date(raw.get("adviceDate")))
    if kind == "knownInCase":
        return KnownInCase(raw["reference"], raw.get("matchExplanation", ""))
    if kind == "marketReference":
        return MarketReference(raw["item"], raw["marketCents"], raw.get("declaredCents"))
    if kind == "falseAnswer":
        return FalseAnswer(raw["pointer"], raw["description"])
    if kind == "refusedToCooperate":
        return RefusedToCooperate(raw["description"])
    return Note(raw["text"])


def fact_from_json(raw: Mapping[str, Any]) -> Fact:
    """A Fact from its JSON form (already valid against assessment-request.schema.json)."""
    source = FactSource.parse(raw["source"])
    on = parse_date(raw["on"])
    assert source is not None and on is not None  # the schema guarantees both
    return Fact(raw["id"], source, on, _content(raw), to_party(raw.get("subject")))


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
    return AssessmentRequest(
        questionnaire=catalogue[document["answers"]["questionnaire"]["id"]],
        answers=document["answers"],
        reference_date=reference_date,
        permit_type=PermitType.parse(document["permitType"]),
        track=Track.parse(document.get("track")) or Track.APPLICATION,
        facts=tuple(fact_from_json(f) for f in document.get("facts", [])),
        proportionality=_proportionality(document.get("proportionality")),
        repair_term_lapsed=document.get("repairTermLapsed", False),
        lbb_levels=_levels(document.get("lbbAdvice")),
    )
