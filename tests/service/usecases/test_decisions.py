"""Deciding and informing the advisor, called directly: the link, the signal, and what the decider learns."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy.engine import Connection

from bibob.exceptions import InvalidInputError, NotFoundError
from bibob.matching import subject_key
from bibob.parties import Person
from bibob.policy import Policy
from bibob.questionnaires import Catalogue
from bibob.screening import declaration_from_answers
from bibob.undermining import (
    CaseRegistered,
    Confidentiality,
    InvestigationStarted,
    Subjects,
    Theme,
    application_subjects,
    apply_case_event,
    case_to_json,
    known_key,
    register_case,
)
from service.integrations import Integrations
from service.store.cases import create_case, get_case
from service.store.evidence import list_evidence
from service.store.reviews import record_review
from service.store.signals import list_signals
from service.store.subjects import keys_of
from service.usecases.decisions import decide
from service.views.applications import questionnaire_reference
from tests.service.api.test_applications import COMPLETE, REFUSAL, SOLE_TRADER
from tests.service.store.conftest import ADVISOR, COORDINATOR, OFFICER, OTHER_OFFICER
from tests.service.usecases.conftest import NOW, Sessions, to_intention

NO_ZGW = Integrations()


DIRECTOR_AS_THE_POLICE_WROTE_HIM = Person("Backer", "P.J.", date_of_birth=dt.date(1975, 9, 2))


def _case_about_the_director(conn: Connection, case_id: str = "C-1") -> str:
    """An open case of the advisor about 'P.J. Backer', the director of the BV as the police wrote him."""
    at = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)
    subjects = Subjects(persons=(DIRECTOR_AS_THE_POLICE_WROTE_HIM,))
    registered = CaseRegistered(
        at, ADVISOR.user, "Horeca Hamersveld", Theme.HOSPITALITY, ADVISOR.user, Confidentiality.CONFIDENTIAL,
        subjects=subjects,
    )  # fmt: skip
    case = apply_case_event(register_case(case_id, registered), InvestigationStarted(at, ADVISOR.user))
    create_case(conn, ADVISOR, status=case.state.value, confidentiality="confidential", document=case_to_json(case),
                case_id=case_id, keys=keys_of(case.subjects.matchable))  # fmt: skip
    return case_id


def test_a_refusal_lands_in_the_case_about_the_director_dated_by_the_session_and_names_no_case(
    conn: Connection, session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    case_id = _case_about_the_director(conn)
    stored = to_intention(session_of(OFFICER), catalogue, policy, COMPLETE)
    decided = decide(session_of(OFFICER), catalogue, NO_ZGW, stored.id, stored.version, REFUSAL)

    assert decided.link.advisor_informed and decided.link.cases_linked == 1 and not decided.link.signal_created
    assert decided.application.state == "decided" and decided.record.outcome == "refusedBibob"
    (item,) = list_evidence(conn, ADVISOR, case_id)
    assert item.source_ref == f"decision:{decided.record.id}" and case_id not in json.dumps(decided.record.document)
    assert get_case(conn, ADVISOR, case_id).case.history[-1].at == NOW


def test_a_dismissal_made_in_one_case_keeps_the_decision_out_of_that_case_only(
    conn: Connection, session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    reviewed, other = _case_about_the_director(conn, "C-1"), _case_about_the_director(conn, "C-2")
    stored = to_intention(session_of(OFFICER), catalogue, policy, COMPLETE)
    questionnaire = catalogue.get(questionnaire_reference(stored))
    assert questionnaire is not None
    people = application_subjects(declaration_from_answers(questionnaire, stored.answers))
    known = known_key(DIRECTOR_AS_THE_POLICE_WROTE_HIM)
    for item in people:  # the advisor weighed, in C-1 only, that nobody of the application is that man
        record_review(conn, ADVISOR, reviewed, subject_key(item.subject), known, confirmed=False, reason="ander")
    decided = decide(session_of(OFFICER), catalogue, NO_ZGW, stored.id, stored.version, REFUSAL)

    assert decided.link.cases_linked == 1 and not decided.link.signal_created
    assert list_evidence(conn, ADVISOR, reviewed) == ()
    assert len(list_evidence(conn, ADVISOR, other)) == 1


def test_a_refusal_about_nobody_in_a_case_becomes_a_signal_for_the_advisor(
    conn: Connection, session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    stored = to_intention(session_of(COORDINATOR), catalogue, policy, SOLE_TRADER)
    decided = decide(session_of(COORDINATOR), catalogue, NO_ZGW, stored.id, stored.version, REFUSAL)

    assert decided.link.advisor_informed and decided.link.signal_created and decided.link.cases_linked == 0
    (signal,) = list_signals(conn, ADVISOR)
    assert signal.source == "bibobScreening" and stored.id in signal.document["text"]


def test_a_decision_with_an_unknown_theme_is_refused_and_informs_nobody(
    conn: Connection, session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    stored = to_intention(session_of(OFFICER), catalogue, policy, COMPLETE)
    with pytest.raises(InvalidInputError) as refused:
        decide(session_of(OFFICER), catalogue, NO_ZGW, stored.id, stored.version, REFUSAL | {"theme": "gambling"})

    assert [p.pointer for p in refused.value.problems] == ["/theme"]
    assert list_signals(conn, ADVISOR) == ()


def test_another_officer_decides_nothing_on_an_application_that_is_not_theirs(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    stored = to_intention(session_of(OFFICER), catalogue, policy, COMPLETE)
    with pytest.raises(NotFoundError):
        decide(session_of(OTHER_OFFICER), catalogue, NO_ZGW, stored.id, stored.version, REFUSAL)
