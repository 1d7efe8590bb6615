"""check_event: the lifecycle's answer before an event is applied — allowed and where to, or every Dutch reason."""

from __future__ import annotations

import datetime as dt

from bibob.applications import ApplicationState, apply_event, check_event
from bibob.applications.events import NotProcessedDecided, QuestionnaireSent, RegularReviewStarted
from tests.bibob.applications.test_application import FORM, REPAIR, REVIEW, SCREEN, run


def test_an_allowed_event_names_its_target_and_the_application_after_it() -> None:
    application = run()
    verdict = check_event(application, RegularReviewStarted(dt.date(2026, 3, 3)))
    assert verdict.allowed
    assert verdict.target is ApplicationState.REGULAR_REVIEW
    assert verdict.after == apply_event(application, RegularReviewStarted(dt.date(2026, 3, 3)))


def test_an_event_the_table_has_no_edge_for_is_refused_with_the_states_it_may_follow() -> None:
    verdict = check_event(run(), QuestionnaireSent(dt.date(2026, 3, 5)))
    assert not verdict.allowed and verdict.target is None
    assert "kan alleen volgen op" in verdict.reasons[0]


def test_every_unmet_precondition_is_given_at_once_and_nothing_is_raised() -> None:
    application = run(REVIEW, SCREEN, FORM, REPAIR)
    verdict = check_event(application, NotProcessedDecided(REPAIR.on, " "))
    assert not verdict.allowed
    assert len(verdict.reasons) == 2
    assert any("vermeld wie het besluit nam" in reason for reason in verdict.reasons)
    assert any("aanvultermijn (Awb 4:5) loopt nog" in reason for reason in verdict.reasons)
