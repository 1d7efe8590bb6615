"""Composing each letter of a Bibob procedure from the application, its assessment and the decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from string import Template
from typing import Any

import attrs

from bibob.applications import (
    Application,
    ApplicationState,
    DecisionAnnounced,
    DecisionRecorded,
    IntentionSent,
    LbbAdviceReceived,
    LbbRequested,
    ObjectionDecided,
    ObjectionReceived,
    RepairRequested,
    ZienswijzeReceived,
    ZienswijzeTermExpired,
)
from bibob.exceptions import InvalidInputError, Problem
from bibob.legal import DecisionOutcome, Ground, ProportionalityRecord, Track
from bibob.letters import motivation as mv
from bibob.letters.lbb_package import LbbRequestInput, lbb_request_package, package_sections
from bibob.letters.model import Letter, LetterKind, Municipality, Section
from bibob.parties import Address, Party, Person
from bibob.screening import Assessment, Declaration, Fact
from bibob.terms import DEFAULT_ZIENSWIJZE_TERM, OBJECTION_TERM, AtwCalendar, Term, add_term, dutch_date

K = LetterKind
#: The term a body gives for a repair or for answers to the LBB's questions when the caller names none.
DEFAULT_ANSWER_TERM = Term.weeks(2)


@attrs.frozen
class LetterInput:
    """What a letter is made from; the assessment is the full one, the letter itself keeps back what art. 28 does."""

    application: Application
    municipality: Municipality
    calendar: AtwCalendar
    date: dt.date
    applicant: Party | None = None
    assessment: Assessment | None = None
    facts: tuple[Fact, ...] = ()
    proportionality: ProportionalityRecord | None = None  # when the decision does not carry its own
    advice_enclosed: bool = False  # a copy of the LBB advice goes with the letter (then the art. 28(3) warning)
    lbb_questions: tuple[str, ...] = ()
    term_end: dt.date | None = None  # the repair or answer term; default two weeks on the Atw calendar
    objection_founded: bool = False
    reference: str = ""
    declaration: Declaration | None = None  # the answers as values: the persons and roles of the LBB request
    lbb_request: LbbRequestInput | None = None  # the questions and reason of an LBB request

    @property
    def ref(self) -> str:
        """The letter's kenmerk: the caller's, else the application's id."""
        return self.reference or self.application.id


def _fill(source: LetterInput, key: str, **words: str) -> str:
    base = {"permit": source.application.permit_type.label, "received": dutch_date(source.application.received),
            "body": source.municipality.body, "contact": source.municipality.contact, "reference": source.ref,
            "court": source.municipality.court, "objectionTo": source.municipality.objection_to}  # fmt: skip
    return Template(source.municipality.text(key)).safe_substitute(base | words)


def _addressee(party: Party | None) -> tuple[str, ...]:
    if party is None:
        return ("Aan de aanvrager",)
    name = party.display_name if isinstance(party, Person) else party.name
    return (name, *_address_lines(party.address))


def _address_lines(address: Address | None) -> tuple[str, ...]:
    if address is None or not address.street:
        return ()
    number = f"{address.house_number or ''}{address.house_number_addition}".strip()
    postcode = address.postcode.replace(" ", "")
    postcode = f"{postcode[:4]} {postcode[4:]}" if len(postcode) == 6 and address.country == "NL" else address.postcode
    return (f"{address.street} {number}".strip(), f"{postcode}  {address.city}".strip())


def _term_end(source: LetterInput) -> dt.date:
    repair = source.application.last(RepairRequested)
    if source.term_end is not None:
        return source.term_end
    if repair is not None:
        return repair.term_end
    return source.calendar.end_of_term(source.date, DEFAULT_ANSWER_TERM)


def _decision(source: LetterInput) -> DecisionRecorded | None:
    decision = source.application.decision
    return decision if isinstance(decision, DecisionRecorded) else None


def _measure(source: LetterInput) -> str:
    """What the body intends, in words: refuse, withdraw, or grant with conditions."""
    if _conditions(source) and not _refusing(source):
        return "de vergunning te verlenen met voorschriften"
    return (
        "de vergunning in te trekken"
        if source.application.track is Track.EXISTING_PERMIT
        else "de vergunning te weigeren"
    )


def _refusing(source: LetterInput) -> bool:
    decision = _decision(source)
    if decision is not None:
        return decision.outcome in (DecisionOutcome.REFUSED_BIBOB, DecisionOutcome.WITHDRAWN_BIBOB,
                                    DecisionOutcome.WITHDRAWN_ART4)  # fmt: skip
    recommendation = source.assessment.recommendation if source.assessment else None
    return recommendation is None or recommendation.kind.value != "grantWithConditions"


def _conditions(source: LetterInput) -> tuple[str, ...]:
    decision = _decision(source)
    if decision is not None and decision.conditions:
        return decision.conditions
    return source.assessment.recommendation.conditions if source.assessment else ()


def _grounds(source: LetterInput) -> tuple[Ground, ...]:
    decision = _decision(source)
    if decision is not None and decision.grounds:
        return decision.grounds
    return source.assessment.recommendation.grounds if source.assessment else ()


# --- the motivation sections ---------------------------------------------------------------------------------


def motivation_sections(source: LetterInput, measure: str, *, weighing: bool) -> tuple[Section, ...]:
    """Grounds, facts, relations and (for a refusal or withdrawal) the proportionality weighing (Awb 3:46)."""
    decision = _decision(source)
    levels = mv.ground_levels(source.assessment, _grounds(source), decision.levels if decision else ())
    ground_lines = tuple("- " + _fill(source, f"ground.{g.value}", level=mv.level_text(level)) for g, level in levels)
    intro = "grounds.intro" if decision is not None else "grounds.intro.intention"
    findings = mv.told(source.assessment.findings if source.assessment else (), source.facts)
    facts = mv.fact_lines(findings, source.facts, tuple(g for g, _ in levels))
    advice = source.application.last(LbbAdviceReceived)
    if not facts and advice is None and weighing:
        message = "er zijn geen feiten om de brief op te baseren: leg eerst de beoordeling of het LBB-advies vast"
        raise InvalidInputError([Problem("/assessment", "letters.noFacts", message)])
    if advice is not None:
        facts = (*facts, _fill(source, "facts.lbbAdvice", adviceDate=dutch_date(advice.on)))
    sections = [
        Section("Onze conclusie", (_fill(source, intro), *ground_lines), "grounds"),
        Section("De feiten en omstandigheden", (_fill(source, "facts.intro"), *facts), "facts"),
    ]
    relations = mv.relation_lines(findings)
    if relations:
        sections.append(Section("Relaties (artikel 3 lid 4 Wet Bibob)", (_fill(source, "relations.intro"), *relations),
                                "relations"))  # fmt: skip
    record = (decision.proportionality if decision else None) or source.proportionality
    if weighing:
        lines = mv.proportionality_lines(record) or ("- De afweging is nog niet vastgelegd.",)
        sections.append(Section("Evenredigheid", (_fill(source, "proportionality.intro", measure=measure), *lines),
                                "proportionality"))  # fmt: skip
    return tuple(sections)


def _conditions_section(source: LetterInput, key: str) -> Section:
    return Section("Voorschriften", (_fill(source, key), *(f"- {c}" for c in _conditions(source))), "conditions")


def _secrecy(source: LetterInput) -> tuple[Section, ...]:
    if not source.advice_enclosed:
        return ()
    return (Section("Geheimhouding", (_fill(source, "secrecy"),), "secrecy"),)


def _objection(source: LetterInput) -> Section:
    announced = source.application.last(DecisionAnnounced)
    sent = (
        announced.on
        if announced and source.application.state is not ApplicationState.OBJECTION_DECIDED
        else source.date
    )
    due = source.calendar.end_of_term(sent, OBJECTION_TERM)
    words = {"objectionEnd": dutch_date(due)}
    if source.application.state is ApplicationState.OBJECTION_DECIDED:
        return Section("Beroep", (_fill(source, "appeal", **words),), "objection")
    return Section("Bezwaar", (_fill(source, "objection", **words), _fill(source, "objection.interim")), "objection")


def _zienswijze(source: LetterInput) -> tuple[Section, ...]:
    received = source.application.last(ZienswijzeReceived)
    lapsed = source.application.last(ZienswijzeTermExpired)
    if received is None and lapsed is not None:
        return (Section("Uw zienswijze", (_fill(source, "zienswijze.none"),), "zienswijze"),)
    if received is None:
        return ()
    return (Section("Uw zienswijze", (_fill(source, "zienswijze.weighed", received=dutch_date(received.on)),),
                    "zienswijze"),)  # fmt: skip


# --- the letters -----------------------------------------------------------------------------------------------


def _repair_request(source: LetterInput) -> tuple[Section, ...]:
    completeness = source.assessment.completeness if source.assessment else None
    missing = tuple(f"- {p.message}" for p in (completeness.missing + completeness.invalid if completeness else ()))
    documents = tuple(f"- {a.label}" + (f" ({a.year})" if a.year else "")
                      for a in (completeness.attachments if completeness else ()) if not a.present)  # fmt: skip
    items = missing + documents or ("- De ontbrekende gegevens staan in de bijlage.",)
    term = _fill(source, "repairRequest.term", termEnd=dutch_date(_term_end(source)))
    return (Section("", (_fill(source, "repairRequest.opening"),), "opening"),
            Section("Wat ontbreekt", items, "missing"),
            Section("Termijn", (term, _fill(source, "repairRequest.consequence")), "term"))  # fmt: skip


def _lbb_notice(source: LetterInput) -> tuple[Section, ...]:
    requested = source.application.last(LbbRequested)
    on = dutch_date(requested.on if requested else source.date)
    return (Section("", (_fill(source, "lbbNotice.opening", requested=on),), "opening"),
            Section("Termijn", (_fill(source, "lbbNotice.term"),), "term"))  # fmt: skip


def _lbb_information(source: LetterInput) -> tuple[Section, ...]:
    if not source.lbb_questions:
        raise InvalidInputError([Problem("/lbbQuestions", "letters.noQuestions", "geef de vragen van het LBB op")])
    term = _fill(source, "lbbInformationRequest.term", termEnd=dutch_date(_term_end(source)))
    return (Section("", (_fill(source, "lbbInformationRequest.opening"),), "opening"),
            Section("De vragen", tuple(f"- {q}" for q in source.lbb_questions), "questions"),
            Section("Termijn", (term,), "term"))  # fmt: skip


def _intention(source: LetterInput) -> tuple[Section, ...]:
    measure = _measure(source)
    refusing = _refusing(source)
    sent = source.application.last(IntentionSent)
    view_end = add_term(source.date, sent.zienswijze_term if sent else DEFAULT_ZIENSWIJZE_TERM)
    opening = Section("", (_fill(source, "intention.opening", measure=measure),), "opening")
    conditions = () if refusing else (_conditions_section(source, "intention.conditions"),)
    view = Section("Uw zienswijze", (_fill(source, "intention.view", viewEnd=dutch_date(view_end)),), "view")
    return (opening, *motivation_sections(source, measure, weighing=refusing), *conditions, view, *_secrecy(source))


def _decision_letter(kind: LetterKind) -> Callable[[LetterInput], tuple[Section, ...]]:
    def sections(source: LetterInput) -> tuple[Section, ...]:
        opening = Section("Besluit", (_fill(source, f"{kind.value}.opening", basis=_basis(source)),), "opening")
        if kind is K.DECISION_GRANT:
            body: tuple[Section, ...] = (Section("Motivering", (_fill(source, "decisionGrant.motivation"),),
                                                 "motivation"),)  # fmt: skip
        elif kind is K.DECISION_GRANT_WITH_CONDITIONS:
            body = (*motivation_sections(source, "voorschriften", weighing=False),
                    _conditions_section(source, "decisionGrantWithConditions.conditions"))  # fmt: skip
        else:
            body = motivation_sections(source, _measure(source), weighing=True)
        return (opening, *_zienswijze(source), *body, *_secrecy(source), _objection(source))

    return sections


def _basis(source: LetterInput) -> str:
    """The article a refusal or withdrawal rests on: art. 4 for a refusal to cooperate, else art. 3."""
    grounds = _grounds(source)
    if grounds and all(g is Ground.ART4_REFUSAL for g in grounds):
        return "artikel 4 Wet Bibob"
    return "artikel 3 Wet Bibob"


def _not_processed(source: LetterInput) -> tuple[Section, ...]:
    repair = source.application.last(RepairRequested)
    words = {"repairRequested": dutch_date(repair.on) if repair else "eerder",
             "termEnd": dutch_date(_term_end(source))}  # fmt: skip
    return (Section("Besluit", (_fill(source, "decisionNotProcessed.opening", **words),), "opening"),
            Section("Motivering", (_fill(source, "decisionNotProcessed.motivation"),), "motivation"),
            _objection(source))  # fmt: skip


def _objection_decision(source: LetterInput) -> tuple[Section, ...]:
    received, decided = source.application.last(ObjectionReceived), _decision(source)
    done = source.application.last(ObjectionDecided)
    words = {"objectionReceived": dutch_date(received.on) if received else "eerder",
             "decided": dutch_date(decided.on) if decided else "eerder"}  # fmt: skip
    outcome = "objectionDecision.founded" if source.objection_founded else "objectionDecision.unfounded"
    reasons = (mv.clean(done.motivation),) if done and done.motivation else ()
    body = () if source.objection_founded else motivation_sections(source, _measure(source), weighing=_refusing(source))
    decision = Section("Beslissing", (_fill(source, outcome), *reasons), "decision")
    opening = Section("", (_fill(source, "objectionDecision.opening", **words),), "opening")
    return (opening, decision, *body, _objection(source))


LBB_ADDRESSEE = ("Landelijk Bureau Bibob", "Justis, ministerie van Justitie en Veiligheid", "Den Haag")


def lbb_package(source: LetterInput) -> dict[str, Any]:
    """The LBB request package of `source` as JSON (the structure of the 'formulier bevindingen eigen onderzoek')."""
    if source.lbb_request is None or not source.lbb_request.questions:
        raise InvalidInputError(
            [Problem("/questions", "letters.noQuestions", "geef de onderzoeksvragen voor het LBB op")]
        )
    return lbb_request_package(source.application, source.declaration, source.assessment, source.facts,
                               source.lbb_request, source.date)  # fmt: skip


def _lbb_request(source: LetterInput) -> tuple[Section, ...]:
    return (Section("", (_fill(source, "lbbRequest.opening"),), "opening"), *package_sections(lbb_package(source)))


COMPOSERS: dict[LetterKind, Callable[[LetterInput], tuple[Section, ...]]] = {
    K.REPAIR_REQUEST: _repair_request,
    K.LBB_NOTICE: _lbb_notice,
    K.LBB_INFORMATION_REQUEST: _lbb_information,
    K.INTENTION: _intention,
    K.DECISION_GRANT: _decision_letter(K.DECISION_GRANT),
    K.DECISION_GRANT_WITH_CONDITIONS: _decision_letter(K.DECISION_GRANT_WITH_CONDITIONS),
    K.DECISION_REFUSAL: _decision_letter(K.DECISION_REFUSAL),
    K.DECISION_WITHDRAWAL: _decision_letter(K.DECISION_WITHDRAWAL),
    K.DECISION_NOT_PROCESSED: _not_processed,
    K.OBJECTION_DECISION: _objection_decision,
    K.LBB_REQUEST: _lbb_request,
}


def _enclosures(kind: LetterKind, source: LetterInput) -> tuple[str, ...]:
    found = []
    if source.advice_enclosed:
        found.append("Afschrift van het advies van het Landelijk Bureau Bibob (vertrouwelijk)")
    if kind is K.REPAIR_REQUEST:
        found.append("Overzicht van de ontbrekende gegevens")
    return tuple(found)


def compose(kind: LetterKind, source: LetterInput) -> Letter:
    """The letter of `kind`; raises `InvalidInputError` when it cannot be written as asked.

    It cannot when an advice copy is to be enclosed but no LBB advice was received, or when a letter to the
    applicant would name what art. 28 keeps back (a word of `FORBIDDEN_WORDS`, e.g. in a recorded weighing).
    """
    composer = COMPOSERS.get(kind)
    if composer is None:
        raise InvalidInputError([Problem("/kind", "letters.unknownKind", "deze brief wordt hier niet gemaakt")])
    if source.advice_enclosed and source.application.last(LbbAdviceReceived) is None:
        raise InvalidInputError([Problem("/adviceEnclosed", "letters.noAdvice", "er is geen LBB-advies ontvangen")])
    sections = composer(source)
    closing = Section("", (_fill(source, "questions"),), "questions")
    letter = Letter(
        kind=kind, municipality=source.municipality, date=source.date,
        addressee=LBB_ADDRESSEE if kind is K.LBB_REQUEST else _addressee(source.applicant),
        reference=source.ref, subject=_fill(source, f"{kind.value}.subject", measure=_measure(source)),
        salutation=_fill(source, "salutation"), sections=(*sections, closing),
        signature=_signature(source), enclosures=_enclosures(kind, source),
        confidential=source.advice_enclosed or kind is K.LBB_REQUEST,
    )  # fmt: skip
    _check_art28(letter)
    return letter


def _signature(source: LetterInput) -> tuple[str, ...]:
    signatory = source.municipality.signatory
    return (_fill(source, "closing"), _fill(source, "signedFor"), signatory.name, signatory.function)


def _check_art28(letter: Letter) -> None:
    words = mv.forbidden_in(letter.text) if letter.kind.to_applicant else ()
    if words:
        message = "de brief aan de aanvrager noemt wat artikel 28 Wet Bibob geheimhoudt: " + ", ".join(words)
        raise InvalidInputError([Problem("", "letters.art28", message)])


_BY_OUTCOME = {
    DecisionOutcome.GRANTED: K.DECISION_GRANT,
    DecisionOutcome.GRANTED_WITH_CONDITIONS: K.DECISION_GRANT_WITH_CONDITIONS,
    DecisionOutcome.REFUSED_BIBOB: K.DECISION_REFUSAL,
    DecisionOutcome.WITHDRAWN_BIBOB: K.DECISION_WITHDRAWAL,
    DecisionOutcome.WITHDRAWN_ART4: K.DECISION_WITHDRAWAL,
    DecisionOutcome.NOT_PROCESSED: K.DECISION_NOT_PROCESSED,
}
S = ApplicationState
_BY_STATE: dict[ApplicationState, tuple[LetterKind, ...]] = {
    S.QUESTIONNAIRE_SENT: (K.REPAIR_REQUEST,),
    S.REPAIR_REQUESTED: (K.REPAIR_REQUEST,),
    S.OWN_INVESTIGATION_CONCLUDED: (K.LBB_REQUEST, K.INTENTION, K.DECISION_GRANT, K.DECISION_GRANT_WITH_CONDITIONS),
    S.LBB_REQUESTED: (K.LBB_NOTICE, K.LBB_REQUEST),
    S.LBB_ADDITIONAL_QUESTIONS: (K.LBB_NOTICE, K.LBB_INFORMATION_REQUEST),
    S.LBB_EXTENDED: (K.LBB_NOTICE,),
    S.LBB_ADVICE_RECEIVED: (K.INTENTION, K.DECISION_GRANT, K.DECISION_GRANT_WITH_CONDITIONS),
    S.INTENTION_SENT: (K.INTENTION,),
    S.ZIENSWIJZE_RECEIVED: (K.DECISION_REFUSAL, K.DECISION_GRANT_WITH_CONDITIONS, K.DECISION_GRANT),
    S.ZIENSWIJZE_TERM_EXPIRED: (K.DECISION_REFUSAL, K.DECISION_GRANT_WITH_CONDITIONS, K.DECISION_GRANT),
    S.OBJECTION_RECEIVED: (K.OBJECTION_DECISION,),
    S.OBJECTION_DECIDED: (K.OBJECTION_DECISION,),
}


def event_date(kind: LetterKind, application: Application) -> dt.date | None:
    """The day of the recorded act the letter of `kind` makes known, if recorded: the letter's natural date."""
    recorded = {
        K.REPAIR_REQUEST: application.last(RepairRequested),
        K.LBB_NOTICE: application.last(LbbRequested),
        K.LBB_REQUEST: application.last(LbbRequested),
        K.INTENTION: application.last(IntentionSent),
        K.OBJECTION_DECISION: application.last(ObjectionDecided),
    }.get(kind, application.decision if kind.is_decision else None)
    return recorded.on if recorded is not None else None


def applicable_kinds(application: Application) -> tuple[LetterKind, ...]:
    """The letters that apply to `application` in its current state, its decision letter first once decided."""
    outcome = application.outcome
    decided = (_BY_OUTCOME[outcome],) if outcome in _BY_OUTCOME else ()
    kinds = _BY_STATE.get(application.state, ())
    if application.track is Track.EXISTING_PERMIT:
        kinds = tuple(K.DECISION_WITHDRAWAL if k is K.DECISION_REFUSAL else k for k in kinds)
    return tuple(dict.fromkeys((*decided, *kinds)))
