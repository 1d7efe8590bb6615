"""The worked letters: every letter kind on a demo application in the fitting state, with a scenario's assessment."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs

from bibob.applications import Application, ApplicationState, DecisionRecorded, application_from_json
from bibob.legal import DecisionOutcome, Track
from bibob.letters import LetterInput, LetterKind, Municipality, event_date
from bibob.policy import Policy
from bibob.questionnaires import Catalogue
from bibob.screening import Declaration, assess, declaration_from_answers, request_from_json
from bibob.terms import AtwCalendar
from tests.conftest import ROOT, SCENARIOS

DEMO = ROOT / "src" / "service" / "demo" / "data" / "applications"
K = LetterKind
#: The demo application whose state each letter belongs to.
STATE_OF = {
    K.REPAIR_REQUEST: "LEU-2026-D21",
    K.LBB_NOTICE: "LEU-2026-D07",
    K.LBB_REQUEST: "LEU-2026-D07",
    K.LBB_INFORMATION_REQUEST: "LEU-2026-D08",
    K.INTENTION: "LEU-2026-D11",
    K.DECISION_GRANT: "LEU-2026-D12",
    K.DECISION_GRANT_WITH_CONDITIONS: "LEU-2026-D12",
    K.DECISION_REFUSAL: "LEU-2026-D15",
    K.DECISION_WITHDRAWAL: "LEU-2026-D19",
    K.DECISION_NOT_PROCESSED: "LEU-2026-D23",
    K.OBJECTION_DECISION: "LEU-2026-D17",
}
CONDITIONS = ("De vergunninghouder meldt elke wijziging in het bestuur binnen twee weken.",)
#: The parts every letter of a kind must have, by section name.
REQUIRED = {
    K.REPAIR_REQUEST: ("opening", "missing", "term"),
    K.LBB_NOTICE: ("opening", "term"),
    K.LBB_INFORMATION_REQUEST: ("opening", "questions", "term"),
    K.INTENTION: ("opening", "grounds", "facts", "view"),
    K.DECISION_GRANT: ("opening", "motivation", "objection"),
    K.DECISION_GRANT_WITH_CONDITIONS: ("opening", "grounds", "facts", "conditions", "objection"),
    K.DECISION_REFUSAL: ("opening", "grounds", "facts", "proportionality", "objection"),
    K.DECISION_WITHDRAWAL: ("opening", "grounds", "facts", "proportionality", "objection"),
    K.DECISION_NOT_PROCESSED: ("opening", "motivation", "objection"),
    K.OBJECTION_DECISION: ("opening", "decision", "objection"),
}
RECORDED = {
    K.DECISION_GRANT: DecisionOutcome.GRANTED,
    K.DECISION_GRANT_WITH_CONDITIONS: DecisionOutcome.GRANTED_WITH_CONDITIONS,
    K.DECISION_WITHDRAWAL: DecisionOutcome.WITHDRAWN_BIBOB,
}
WORKED = sorted(path for path in SCENARIOS.glob("*.json") if int(path.stem[1:3]) >= 18)


def demo_application(name: str) -> Application:
    return application_from_json(json.loads((DEMO / f"{name}.json").read_text("utf-8")))


def demo_document(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((DEMO / f"{name}.json").read_text("utf-8"))
    return result


def application_for(kind: LetterKind) -> Application:
    """The demo application in the state of `kind`; a grant is recorded on the one whose view term expired, a
    withdrawal (on the grounds the assessment gives) on the existing permit whose holder refused to cooperate."""
    application = demo_application(STATE_OF[kind])
    outcome = RECORDED.get(kind)
    if outcome is None:
        return application
    conditions = CONDITIONS if outcome is DecisionOutcome.GRANTED_WITH_CONDITIONS else ()
    decision = DecisionRecorded(dt.date(2026, 7, 20), outcome, "demo-burgemeester", conditions=conditions)
    return attrs.evolve(application, decision=decision, state=ApplicationState.DECIDED)


def declaration_of(path: Path, catalogue: Catalogue) -> Declaration:
    """What the answers of the scenario in `path` declare."""
    request = request_from_json(json.loads(path.read_text("utf-8")), catalogue, path.name)
    return declaration_from_answers(request.questionnaire, request.answers)


def worked_input(path: Path, kind: LetterKind, municipality: Municipality, calendar: AtwCalendar,
                 catalogue: Catalogue, policy: Policy, **changes: Any) -> LetterInput:  # fmt: skip
    """The letter input of `kind` with the assessment of the scenario in `path`."""
    request = request_from_json(json.loads(path.read_text("utf-8")), catalogue, path.name)
    assessment = assess(request, policy)
    declaration = declaration_from_answers(request.questionnaire, request.answers)
    application = application_for(kind)
    questions = ("Wie heeft de inventaris betaald?",) if kind is K.LBB_INFORMATION_REQUEST else ()
    source = LetterInput(
        application, municipality, calendar, event_date(kind, application) or dt.date(2026, 7, 21),
        declaration.business or declaration.subject,
        assessment, request.facts, request.proportionality, lbb_questions=questions, declaration=declaration,
    )  # fmt: skip
    assert application.track is Track.EXISTING_PERMIT or kind is not K.DECISION_WITHDRAWAL
    return attrs.evolve(source, **changes)
