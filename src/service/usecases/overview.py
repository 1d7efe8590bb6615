"""One application at a glance, for its overview page: the file, its applicant and terms, the completeness of the
answers, and what the lifecycle says of every step now — allowed, or refused with its Dutch reasons — before any
click. Read once (one audited read); the steps are checked on drafts, never applied."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from bibob.applications import (
    EVENTS_BY_TYPE,
    Application,
    Verdict,
    allowed_events,
    check_event,
    event_from_json,
)
from bibob.policy import Policy
from bibob.questionnaires import Catalogue, Completeness, check_completeness, form_in_force
from bibob.terms import AtwCalendar
from service.usecases.applications import Timeline, timeline
from service.usecases.session import Session
from service.usecases.worklist import Entry, entry_of

#: Steps recorded elsewhere: the decision through …/decisions (and its page), the levels through the assessment.
ELSEWHERE: Mapping[str, str] = {
    "decisionRecorded": "Een besluit legt u vast op de beoordelingspagina, met de gronden en de evenredigheid.",
    "ownInvestigationConcluded": "De conclusie van het eigen onderzoek legt de Bibob-coördinator vast, met de mate "
    "van gevaar per grond.",
    "lbbAdviceReceived": "Het advies van het Landelijk Bureau Bibob legt de Bibob-coördinator vast, met de mate van "
    "gevaar per grond.",
}
#: Steps whose form has no sensible default for what the officer types (the trigger, the subjects and the hit, the
#: recipient): whether they can be taken now is asked with a stand-in; their own fields are checked when posted.
TYPED = frozenset({"screeningTriggered", "registerConsulted", "tipSent"})
REPAIR_TERM = dt.timedelta(weeks=2)  # the usual Awb 4:5 term the form proposes; the officer may change it
DEFAULT_TERM = {"amount": 2, "unit": "weeks"}
SECRECY_WARNING = (  # art. 28 Wet Bibob: the written warning that goes with the copy of the advice
    "U ontvangt een afschrift van het advies van het Landelijk Bureau Bibob. Op grond van artikel 28 van de Wet Bibob "
    "bent u verplicht tot geheimhouding van de inhoud; schending is strafbaar (artikel 272 Wetboek van Strafrecht). "
    "U mag het advies alleen aan de rechter overleggen als u opkomt tegen het besluit."
)


@attrs.frozen
class Step:
    """One lifecycle event as the overview offers it: its type, Dutch label, and the lifecycle's verdict on a draft
    dated today (`verdict` None: recorded elsewhere, see `elsewhere`)."""

    type: str
    label: str
    verdict: Verdict | None
    elsewhere: str = ""

    @property
    def allowed(self) -> bool:
        """Whether the step can be taken now, from this page."""
        return self.verdict is not None and self.verdict.allowed

    @property
    def reasons(self) -> tuple[str, ...]:
        """Every Dutch reason the step is refused now."""
        return self.verdict.reasons if self.verdict is not None else ()


@attrs.frozen
class Overview:
    """What the overview page shows of one application."""

    timeline: Timeline
    entry: Entry
    completeness: Completeness | None  # None: the questionnaire is unknown to this catalogue
    steps: tuple[Step, ...]  # the steps the table allows in this state, each with its verdict
    other_steps: tuple[Step, ...]  # every other step, refused with the reason the table gives
    form_warning: str = ""  # the questionnaire's official form was not in force on the received date


def application_overview(
    session: Session, catalogue: Catalogue, policy: Policy, calendar: AtwCalendar, application_id: str
) -> Overview:
    """The application (one audited read), its terms today, its completeness and every step's verdict."""
    found = timeline(session, policy, calendar, application_id, None)
    stored = found.application
    entry = entry_of(stored, catalogue, policy, calendar, found.on)
    questionnaire = catalogue.get(stored.questionnaire_id or "")
    completeness = check_completeness(questionnaire, dict(stored.answers), today=found.on) if questionnaire else None
    application = stored.application
    table = {kind.TYPE for kind in allowed_events(application.state)}
    steps = [_step(application, kind, session, in_table=True) for kind in EVENTS_BY_TYPE if kind in table]
    others = [_step(application, kind, session, in_table=False) for kind in EVENTS_BY_TYPE if kind not in table]
    warning = form_in_force(questionnaire, stored.received).warning if questionnaire else ""
    return Overview(found, entry, completeness, tuple(steps), tuple(others), warning)


def draft(kind: str, application: Application, today: dt.date, user: str) -> dict[str, Any]:
    """The event a form proposes for `kind`: dated today, with the defaults its fields start from."""
    body: dict[str, Any] = {"type": kind, "on": today.isoformat()}
    extra: dict[str, dict[str, Any]] = {
        "screeningDetermined": {"screening": "mandatory"},
        "repairRequested": {"termEnd": (today + REPAIR_TERM).isoformat()},
        "notProcessedDecided": {"decidedBy": user},
        "lbbRequested": {"applicantInformedOn": today.isoformat()},
        "lbbExtended": {"term": {"amount": 4, "unit": "weeks"}},
        "decisionExtended": {"term": dict(DEFAULT_TERM)},
        "intentionSent": {"kind": "negative", "zienswijzeTerm": dict(DEFAULT_TERM)},
        "investigationClosed": {"decidedBy": user, "motivation": "-"},
        "objectionDecided": {"decidedBy": user},
        "lbbAdviceCopySent": {"sentBy": user, "secrecyWarning": SECRECY_WARNING},
        "dangerConclusionRegistered": {"registeredBy": user},
        "withdrawalRegistered": {"registeredBy": user},
        "fileClosed": {"closedBy": user},
        "registerConsulted": {"consultedBy": user},
        "tipSent": {"sentBy": user},
        "objectionDecisionExtended": {"term": {"amount": 6, "unit": "weeks"}},
    }
    return body | extra.get(kind, {})


def _step(application: Application, kind: str, session: Session, *, in_table: bool) -> Step:
    label = EVENTS_BY_TYPE[kind].LABEL
    if kind in ELSEWHERE:  # its own page checks its preconditions; here only whether the table allows it now
        verdict = None if in_table else check_event(application, event_from_json(_placeholder(kind, session.today)))
        return Step(kind, label, verdict, ELSEWHERE[kind])
    proposed = (
        _placeholder(kind, session.today)
        if kind in TYPED
        else draft(kind, application, session.today, session.principal.user)
    )
    return Step(kind, label, check_event(application, event_from_json(proposed)))


def _placeholder(kind: str, today: dt.date) -> dict[str, Any]:
    """A stand-in for a step recorded elsewhere or typed in full, only to ask whether the table allows it now."""
    levels = {"aBenefit": "none", "bOffences": "none"}
    bodies: dict[str, dict[str, Any]] = {
        "decisionRecorded": {"outcome": "granted", "decidedBy": "-", "levels": levels},
        "ownInvestigationConcluded": {"levels": levels, "motivation": "-"},
        "lbbAdviceReceived": {"levels": levels},
        "screeningTriggered": {"trigger": "policy"},
        "registerConsulted": {"consultedBy": "-", "subjects": ["-"], "hit": False},
        "tipSent": {"sentBy": "-", "recipient": "-"},
    }
    return {"type": kind, "on": today.isoformat(), **bodies[kind]}
