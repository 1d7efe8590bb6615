"""The applications on the wire: the file, its answers, assessments, decision and timeline as JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from bibob.applications import EVENTS_BY_TYPE, ApplicationState, Event, allowed_events, event_to_json
from bibob.questionnaires import Questionnaire, check_completeness, form_in_force
from bibob.screening import CLOSED_NOTICE, Assessment
from bibob.terms import Deadline
from service.store.applications import StoredApplication
from service.store.assessments import Record
from service.store.evidence_link import LinkOutcome
from service.usecases.worklist import MARK_TEXT, Entry, Lateness
from service.views.questionnaires import completeness_view, problem_view

INVESTIGATION_WORDS = frozenset({"ownInvestigationConcluded", "investigationClosed"})  # motivations: coordinator's
ADVISOR_INFORMED = "De adviseur veiligheid is geïnformeerd."
NOTHING_TO_LINK = "Dit besluit is geen Bibob-maatregel; er is niets doorgegeven aan de adviseur veiligheid."


def questionnaire_reference(stored: StoredApplication) -> str:
    """The id of the questionnaire the application was created with (kept in its answer document)."""
    return "" if stored.questionnaire_id is None else str(stored.questionnaire_id)


def form_warning(stored: StoredApplication, catalogue: Mapping[str, Questionnaire] | None) -> str | None:
    """The Dutch warning when the application's questionnaire follows a form not in force on the received date."""
    questionnaire = None if catalogue is None else catalogue.get(questionnaire_reference(stored))
    if questionnaire is None:
        return None
    return form_in_force(questionnaire, stored.received).warning or None


def application_view(
    stored: StoredApplication,
    *,
    full: bool,
    reader: str = "",
    catalogue: Mapping[str, Questionnaire] | None = None,
) -> dict[str, Any]:
    """An application file: kind, state, history, what may happen next, and its attachments metadata.

    `full`: for who may see the Bibob investigation's own words (coordinator, mayor); see `events_view`. `reader`:
    the account reading, which reads back the words it wrote itself. `formWarning`: set when the questionnaire's
    official form was not in force on the received date (Regeling Bibob-formulieren; needs `catalogue`).
    """
    state = ApplicationState.parse(stored.state)
    return {
        "id": stored.id,
        "permitType": stored.permit_type,
        "legalAct": stored.legal_act,
        "track": stored.track,
        "received": stored.received.isoformat(),
        "questionnaireId": questionnaire_reference(stored),
        "formWarning": form_warning(stored, catalogue),
        "state": stored.state,
        "stateLabel": state.label if state else stored.state,
        "allowedEvents": [kind.TYPE for kind in allowed_events(state)] if state else [],
        "events": events_view(stored.history, full=full, authors=_authors(stored, reader)),
        "attachments": list(stored.attachments),
        "version": stored.version,
        "owner": stored.owner,
        "createdAt": stored.created_at.isoformat(),
        "updatedAt": stored.updated_at.isoformat(),
    }


def application_summary(stored: StoredApplication) -> dict[str, Any]:
    """The list entry of an application."""
    view = application_view(stored, full=False)
    return {key: view[key] for key in ("id", "permitType", "track", "received", "state", "stateLabel", "version")}


def worklist_entry_view(entry: Entry) -> dict[str, Any]:
    """A list entry with the applicant, the establishment, the next deadline and whether a term has passed."""
    mark = entry.mark
    return application_summary(entry.stored) | {
        "applicant": entry.applicant.name or None,
        "establishment": entry.applicant.establishment or None,
        "nextDeadline": deadline_view(entry.next_deadline) if entry.next_deadline is not None else None,
        "overdue": mark == "overdue",
        "mark": mark,
        "markLabel": MARK_TEXT[mark] if mark is not None else None,
        "decisionTerm": lateness_view(entry.lateness),
    }


def lateness_view(lateness: Lateness | None) -> dict[str, Any] | None:
    """The decision term once passed: `overdue` (no decision yet, Awb 4:17) or a late decision; else None."""
    if lateness is None:
        return None
    return {
        "overdue": lateness.overdue,
        "label": lateness.text,
        "due": lateness.deadline.due.isoformat(),
        "explanation": lateness.explanation,
    }


def events_view(
    history: Sequence[Mapping[str, Any]], *, full: bool, authors: Sequence[bool] = ()
) -> list[dict[str, Any]]:
    """The events as stored, each with its Dutch label; without `full`, the investigation's motivations are replaced.

    What the coordinator wrote on concluding or closing the own investigation can name antecedents (criminal-law
    data, AVG art. 10): a permit officer reads that there is such information and whom to ask (R-AC-5). What the
    reader recorded itself (`authors[i]` is true) it reads back as written.
    """
    return [
        _event_view(event, full or (index < len(authors) and authors[index])) for index, event in enumerate(history)
    ]


def _authors(stored: StoredApplication, reader: str) -> list[bool]:
    """Per event whether `reader` recorded it."""
    return [bool(reader) and stored.recorded_by(index) == reader for index in range(len(stored.history))]


def _event_view(event: Mapping[str, Any], full: bool) -> dict[str, Any]:
    view = {**event, "label": _event_label(event.get("type"))}
    if not full and event.get("type") in INVESTIGATION_WORDS and "motivation" in view:
        view["motivation"] = CLOSED_NOTICE
    return view


def answers_view(stored: StoredApplication, questionnaire: Questionnaire, document: Any) -> dict[str, Any]:
    """The answers with every problem and the completeness (one validation: completeness holds the problems)."""
    completeness = check_completeness(questionnaire, document, registered=stored.attachments)
    problems = sorted((*completeness.missing, *completeness.invalid), key=lambda p: (p.pointer, p.code, p.message))
    return {
        "applicationId": stored.id,
        "version": stored.version,
        "document": dict(stored.answers),
        "problems": [problem_view(problem) for problem in problems],
        "completeness": completeness_view(completeness),
    }


def assessment_record_view(record: Record, full: bool) -> dict[str, Any]:
    """A stored assessment: the full one for who may see closed sources, else the permit officer's."""
    document = record.document
    view = document.get("full" if full else "permitOfficer", {})
    return {
        "id": record.id,
        "applicationId": record.application_id,
        "referenceDate": document.get("referenceDate"),
        "createdBy": record.created_by,
        "createdAt": record.created_at.isoformat(),
        "redacted": not full,
        "registerCheck": document.get("registerCheck", ""),
        **view,
    }


def decision_view(record: Record, stored: StoredApplication, link: LinkOutcome) -> dict[str, Any]:
    """The recorded decision, the application's new state, and whether the advisor was told (never how many cases
    the decision reached, nor whether it became a new signal: that would tell who is known in a case)."""
    return {
        "id": record.id,
        "applicationId": stored.id,
        "decision": dict(record.document),
        "state": stored.state,
        "version": stored.version,
        "evidenceLink": {
            "advisorInformed": link.advisor_informed,
            "message": ADVISOR_INFORMED if link.advisor_informed else NOTHING_TO_LINK,
        },
    }


def timeline_view(
    stored: StoredApplication,
    deadlines: Sequence[Deadline],
    reference_date: dt.date,
    basis: str,
    *,
    full: bool,
    reader: str = "",
    lateness: Lateness | None = None,
) -> dict[str, Any]:
    """The events and every running or passed deadline on the reference date; `decisionTerm` says whether the
    decision term passed without a decision ("beslistermijn overschreden", Awb 4:17) or with a late one."""
    return {
        "applicationId": stored.id,
        "state": stored.state,
        "referenceDate": reference_date.isoformat(),
        "decisionTermBasis": basis,
        "events": events_view(stored.history, full=full, authors=_authors(stored, reader)),
        "deadlines": [deadline_view(deadline) for deadline in deadlines],
        "decisionTerm": lateness_view(lateness),
    }


def event_document(event: Event) -> dict[str, Any]:
    """An event as the wire and the decisions table hold it."""
    return event_to_json(event)


def _event_label(kind: object) -> str:
    event_type = EVENTS_BY_TYPE.get(kind) if isinstance(kind, str) else None
    return event_type.LABEL if event_type is not None else ""


def assessment_view(assessment: Assessment) -> dict[str, Any]:
    """An assessment for machines: findings with evidence, levels per ground, the recommendation."""
    recommendation = assessment.recommendation
    return {
        "completeness": assessment.completeness.status.value,
        "findings": [
            {
                "code": f.code,
                "title": f.title,
                "grounds": [g.value for g in f.grounds],
                "relation": f.relation.value,
                "weight": f.weight,
                "explanation": f.explanation,
                "evidence": [{"kind": e.kind, "ref": e.ref} for e in f.evidence],
                "unverified": f.unverified,
            }
            for f in assessment.findings
        ],
        "levels": [
            {
                "ground": g.ground.value,
                "score": g.score,
                "lesserFrom": g.lesser_from,
                "seriousFrom": g.serious_from,
                "level": g.level.value,
                "lbbLevel": g.lbb_level.value if g.lbb_level else None,
                "effective": g.effective.value,
            }
            for g in assessment.levels
        ],
        "recommendation": {
            "kind": recommendation.kind.value,
            "label": recommendation.kind.label,
            "legalBasis": recommendation.legal_basis,
            "grounds": [g.value for g in recommendation.grounds],
            "conditions": list(recommendation.conditions),
            "reasons": list(recommendation.reasons),
        },
        "explanation": assessment.explanation,
    }


def deadline_view(deadline: Deadline) -> dict[str, Any]:
    """A computed deadline; `earliest` is set while a suspension it depends on still runs (`due` is then the latest)."""
    return {
        "code": deadline.code,
        "label": deadline.label,
        "legalBasis": deadline.legal_basis,
        "due": deadline.due.isoformat(),
        "earliest": deadline.earliest.isoformat() if deadline.earliest else None,
        "status": deadline.status.value,
        "explanation": deadline.explanation,
        "warnings": list(deadline.warnings),
    }
