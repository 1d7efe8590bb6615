"""The watch on granted permits: prompts for exactly the permits whose subjects match; conditions as tasks."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bibob.exceptions import InvalidInputError, NotFoundError, TransitionError
from bibob.policy import Policy
from bibob.questionnaires import Catalogue
from service.integrations import Integrations
from service.store.applications import StoredApplication
from service.store.tables import lbb_advices
from service.usecases import Session
from service.usecases.applications import read_application, record_event, store_answers
from service.usecases.assessments import RegisterCheck, assess_application
from service.usecases.decisions import decide
from service.usecases.permit_watch import add_condition, check_condition, conditions, watch_list
from service.usecases.signals import take_in, weigh
from service.views.signals import intake
from tests.service.api.flow import police_signal
from tests.service.api.test_applications import COMPLETE, SOLE_TRADER, TO_INTENTION
from tests.service.store.conftest import ADVISOR, COORDINATOR, OFFICER
from tests.service.usecases.conftest import NOW, Sessions, registered

NO_ZGW = Integrations()
NO_SCREENING = {"type": "screeningDetermined", "on": "2026-10-03", "screening": "none", "motivation": "geen"}
GRANT = {"on": "2026-10-10", "outcome": "granted", "decidedBy": OFFICER.user}
#: The director of the BV in COMPLETE, as the police wrote him down.
DIRECTOR = {"surname": "Backer", "firstNames": "P.J.", "dateOfBirth": "1975-09-02"}
UNDERMINING = {"decision": "undermining", "reason": "lokale verankering: pand"}


def _granted(session_of: Sessions, catalogue: Catalogue, policy: Policy, answers: object) -> StoredApplication:
    stored = registered(session_of(OFFICER), catalogue, policy)
    stored = store_answers(session_of(OFFICER), catalogue, stored.id, stored.version, answers).application
    for event in (TO_INTENTION[0], NO_SCREENING):
        stored = record_event(session_of(OFFICER), catalogue, stored.id, stored.version, event)
    return decide(session_of(OFFICER), catalogue, NO_ZGW, stored.id, stored.version, GRANT).application


def _signal_about(session_of: Sessions, person: dict[str, str]) -> tuple[str, int]:
    body = police_signal()
    body["subjects"] = {"persons": [person]}
    stored = take_in(session_of(ADVISOR), intake(body, NOW))
    return stored.id, stored.version


def test_a_weighed_signal_about_a_director_prompts_the_coordinator_for_exactly_that_permit_and_explains_why(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    bv = _granted(session_of, catalogue, policy, COMPLETE)
    _granted(session_of, catalogue, policy, SOLE_TRADER)
    signal_id, version = _signal_about(session_of, DIRECTOR)
    assert watch_list(session_of(COORDINATOR)).prompts == ()  # taken in, not yet weighed

    weigh(session_of(ADVISOR), signal_id, version, UNDERMINING)
    (prompt,) = watch_list(session_of(COORDINATOR)).prompts

    assert prompt.application_id == bv.id and prompt.trigger == "signalWeighed"
    assert "geboortedatum gelijk" in prompt.match_explanation and "Backer" not in prompt.match_explanation
    assert signal_id not in repr(prompt)  # the signal itself is never named to the coordinator


def test_the_same_signal_weighed_again_prompts_no_second_time(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    _granted(session_of, catalogue, policy, COMPLETE)
    signal_id, version = _signal_about(session_of, DIRECTOR)
    weighed = weigh(session_of(ADVISOR), signal_id, version, UNDERMINING)
    weigh(session_of(ADVISOR), signal_id, weighed.version, {"decision": "municipalTask", "reason": "art. 13b"})

    assert len(watch_list(session_of(COORDINATOR)).prompts) == 1


def test_a_signal_about_someone_else_prompts_nothing(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    _granted(session_of, catalogue, policy, COMPLETE)
    signal_id, version = _signal_about(
        session_of, {"surname": "Visser", "firstNames": "Anna", "dateOfBirth": "1990-01-01"}
    )
    weigh(session_of(ADVISOR), signal_id, version, UNDERMINING)

    assert watch_list(session_of(COORDINATOR)).prompts == ()


def test_a_permit_officer_and_an_advisor_are_told_nothing_of_the_watch(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    bv = _granted(session_of, catalogue, policy, COMPLETE)
    signal_id, version = _signal_about(session_of, DIRECTOR)
    weighed = weigh(session_of(ADVISOR), signal_id, version, UNDERMINING)

    assert bv.id not in repr(weighed)  # the advisor's answer does not name the permit
    for principal in (OFFICER, ADVISOR):
        with pytest.raises(NotFoundError):
            watch_list(session_of(principal))
        with pytest.raises(NotFoundError):
            conditions(session_of(principal), bv.id)


def test_a_condition_past_its_due_date_is_on_the_coordinators_list_until_checked_as_met(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    bv = _granted(session_of, catalogue, policy, COMPLETE)
    body = {"text": "Sluitingstijd 01.00 uur naleven", "owner": "toezichthouder-1"}
    late = add_condition(session_of(COORDINATOR), bv.id, body | {"dueOn": "2026-11-01"})
    add_condition(session_of(COORDINATOR), bv.id, body | {"dueOn": "2027-06-01"})

    assert [c.id for c in watch_list(session_of(COORDINATOR)).overdue] == [late.id]
    check_condition(session_of(COORDINATOR), bv.id, {"conditionId": late.id, "result": "notMet"})
    assert [c.id for c in watch_list(session_of(COORDINATOR)).overdue] == [late.id]  # checked, not met: still due
    checked = check_condition(session_of(COORDINATOR), bv.id, {"conditionId": late.id, "result": "met"})

    assert (checked.check_result, checked.checked_on, checked.checked_by) == ("met", NOW.date(), COORDINATOR.user)
    assert watch_list(session_of(COORDINATOR)).overdue == ()
    assert [c.due_on.isoformat() for c in conditions(session_of(COORDINATOR), bv.id)] == ["2026-11-01", "2027-06-01"]


def test_a_condition_with_bad_input_names_every_problem_and_stores_nothing(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    bv = _granted(session_of, catalogue, policy, COMPLETE)
    with pytest.raises(InvalidInputError) as refused:
        add_condition(session_of(COORDINATOR), bv.id, {"text": " ", "dueOn": "1 maart", "owner": 7})
    with pytest.raises(InvalidInputError) as unknown:
        add_condition(session_of(COORDINATOR), bv.id, {"text": "x", "dueOn": "2027-01-01", "owner": "o", "extra": 1})
    with pytest.raises(InvalidInputError) as bad_check:
        check_condition(session_of(COORDINATOR), bv.id, {"conditionId": "", "result": "ok", "on": "2027-02-30"})

    assert sorted(p.pointer for p in refused.value.problems) == ["/dueOn", "/owner", "/text"]
    assert [p.pointer for p in unknown.value.problems] == ["/extra"]
    assert sorted(p.pointer for p in bad_check.value.problems) == ["/conditionId", "/on", "/result"]
    assert conditions(session_of(COORDINATOR), bv.id) == ()


def test_a_check_of_a_condition_of_another_permit_is_not_found(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    bv = _granted(session_of, catalogue, policy, COMPLETE)
    other = _granted(session_of, catalogue, policy, copy.deepcopy(SOLE_TRADER))
    body = {"text": "Cameratoezicht bij de ingang", "dueOn": "2027-01-01", "owner": "toezichthouder-1"}
    condition = add_condition(session_of(COORDINATOR), bv.id, body)

    with pytest.raises(NotFoundError):
        check_condition(session_of(COORDINATOR), other.id, {"conditionId": condition.id, "result": "met"})


LBB_STEPS = (
    *TO_INTENTION[:5],
    {"type": "lbbRequested", "on": "2026-10-23", "applicantInformedOn": "2026-10-23"},
    {"type": "lbbAdviceReceived", "on": "2026-11-02", "levels": {"aBenefit": "serious", "bOffences": "none"}},
)


def _advised(session_of: Sessions, catalogue: Catalogue, policy: Policy) -> StoredApplication:
    """An application of the BV (KvK 23456789) on which the LBB advised."""
    stored = registered(session_of(COORDINATOR), catalogue, policy)
    stored = store_answers(session_of(COORDINATOR), catalogue, stored.id, stored.version, COMPLETE).application
    for event in LBB_STEPS:
        stored = record_event(session_of(COORDINATOR), catalogue, stored.id, stored.version, event)
    return stored


def _assessed(session: Session, catalogue: Catalogue, policy: Policy) -> str:
    stored = registered(session, catalogue, policy)
    stored = store_answers(session, catalogue, stored.id, stored.version, COMPLETE).application
    assess_application(session, catalogue, policy, stored.id, {}, RegisterCheck())
    return stored.id


def test_an_lbb_advice_of_the_last_five_years_is_offered_when_a_new_application_names_the_same_company(
    conn: Connection, session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    advised = _advised(session_of, catalogue, policy)
    new = _assessed(session_of(OFFICER), catalogue, policy)
    (prompt,) = [p for p in watch_list(session_of(COORDINATOR)).prompts if p.trigger == "lbbAdviceReuse"]

    assert prompt.application_id == new and prompt.application_id != advised.id
    assert "2 november 2026" in prompt.match_explanation and "KvK-nummer" in prompt.match_explanation
    later = Session(conn, OFFICER, "toets", NOW + dt.timedelta(days=6 * 366))
    too_old = _assessed(later, catalogue, policy)
    assert too_old not in {p.application_id for p in watch_list(session_of(COORDINATOR)).prompts}


#: Another café with nothing in common with COMPLETE or SOLE_TRADER: its owner, business, landlord and premises.
ELSEWHERE_PREMISES = {"street": "Stationsweg", "houseNumber": 40, "postcode": "3832 AA", "city": "Leusden"}


def _elsewhere() -> dict[str, object]:
    document = copy.deepcopy(SOLE_TRADER)
    answers = document["answers"]
    answers["1A"]["locatie"] = dict(ELSEWHERE_PREMISES)
    answers["1B.persoon"] |= {"surname": "Hendriks", "firstNames": "Karel", "dateOfBirth": "1968-07-30", "bsn": ""}
    answers["1B.onderneming"] |= {"name": "Lunchroom De Vlinder", "tradeNames": ["De Vlinder"], "kvkNumber": "55443322"}
    answers["1B.onderneming"]["address"] = dict(ELSEWHERE_PREMISES)
    answers["6E.locaties"] = [{"adres": dict(ELSEWHERE_PREMISES)}]
    answers["6F.huur"]["verhuurder"] |= {"name": "Stationsweg Beheer B.V.", "kvkNumber": "66778899"}
    return document


def _screened(
    session: Session, catalogue: Catalogue, policy: Policy, answers: object, *steps: object
) -> StoredApplication:
    """An application with `answers`, taken through `steps` by who holds `session`: the last step's answer."""
    stored = registered(session, catalogue, policy)
    stored = store_answers(session, catalogue, stored.id, stored.version, answers).application
    for step in (TO_INTENTION[0], *steps):
        stored = record_event(session, catalogue, stored.id, stored.version, step)
    return stored


def _prompted(session_of: Sessions, trigger: str) -> dict[str, set[str]]:
    """Per permit, the roles the coordinator is prompted about for `trigger`."""
    found: dict[str, set[str]] = {}
    for prompt in watch_list(session_of(COORDINATOR)).prompts:
        if prompt.trigger == trigger:
            found.setdefault(prompt.application_id, set()).add(prompt.role)
    return found


def _consulted(subjects: list[str], *, hit: bool = True) -> dict[str, object]:
    """A consultation of the Bibob register for `subjects`."""
    return {
        "type": "registerConsulted",
        "on": "2026-10-03",
        "consultedBy": "A. Jansen",
        "subjects": subjects,
        "hit": hit,
    }


def test_a_register_hit_prompts_the_permits_of_exactly_the_subjects_it_names_and_explains_why(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    bv = _granted(session_of, catalogue, policy, COMPLETE)  # director Bakker; landlord and premises as below
    cafe = _granted(session_of, catalogue, policy, SOLE_TRADER)  # the same landlord and premises, no Bakker
    _granted(session_of, catalogue, policy, _elsewhere())
    new = _screened(session_of(COORDINATOR), catalogue, policy, COMPLETE, _consulted(["P.J. Bakker"])).id

    (prompt,) = watch_list(session_of(COORDINATOR)).prompts
    assert (prompt.application_id, prompt.trigger, prompt.role) == (bv.id, "registerHit", "bestuurder")
    assert "geboortedatum gelijk" in prompt.match_explanation and "Bakker" not in prompt.match_explanation
    assert new not in repr(prompt)  # the application with the hit is never named

    stored = read_application(session_of(COORDINATOR), new)
    record_event(session_of(COORDINATOR), catalogue, new, stored.version, _consulted(["Vastgoed Heiligenbergerbeek"]))
    assert _prompted(session_of, "registerHit") == {
        bv.id: {"bestuurder", "verhuurder pand"},
        cafe.id: {"verhuurder pand"},
    }


def test_a_register_consultation_without_a_hit_or_naming_no_declared_subject_prompts_nothing(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    _granted(session_of, catalogue, policy, COMPLETE)
    _screened(session_of(COORDINATOR), catalogue, policy, COMPLETE, _consulted(["P.J. Bakker"], hit=False))
    _screened(session_of(COORDINATOR), catalogue, policy, COMPLETE, _consulted(["K. Hendriks", "Hamersveldseweg 12"]))

    assert watch_list(session_of(COORDINATOR)).prompts == ()


def test_an_lbb_advice_prompts_the_other_granted_permits_of_every_subject_of_the_application(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    bv = _granted(session_of, catalogue, policy, COMPLETE)
    cafe = _granted(session_of, catalogue, policy, SOLE_TRADER)
    _granted(session_of, catalogue, policy, _elsewhere())
    stored = registered(session_of(COORDINATOR), catalogue, policy)
    stored = store_answers(session_of(COORDINATOR), catalogue, stored.id, stored.version, COMPLETE).application
    for event in LBB_STEPS[:-1]:
        stored = record_event(session_of(COORDINATOR), catalogue, stored.id, stored.version, event)
    assert watch_list(session_of(COORDINATOR)).prompts == ()  # requested, not yet arrived

    record_event(session_of(COORDINATOR), catalogue, stored.id, stored.version, LBB_STEPS[-1])

    everyone = {"betrokkene", "bestuurder", "aandeelhouder", "verhuurder pand", "adres van de inrichting"}
    assert _prompted(session_of, "lbbAdvice") == {
        bv.id: everyone,
        cafe.id: {"verhuurder pand", "adres van de inrichting"},
    }
    assert all("serious" not in p.match_explanation for p in watch_list(session_of(COORDINATOR)).prompts)


def test_a_danger_conclusion_registered_prompts_the_other_permits_never_the_applications_own(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    bv = _granted(session_of, catalogue, policy, COMPLETE)
    stored = registered(session_of(OFFICER), catalogue, policy)
    stored = store_answers(session_of(OFFICER), catalogue, stored.id, stored.version, COMPLETE).application
    for event in (TO_INTENTION[0], NO_SCREENING):
        stored = record_event(session_of(OFFICER), catalogue, stored.id, stored.version, event)
    lesser = GRANT | {"levels": {"aBenefit": "lesser", "bOffences": "none"}}  # granted, a lesser danger concluded
    own = decide(session_of(OFFICER), catalogue, NO_ZGW, stored.id, stored.version, lesser).application
    assert watch_list(session_of(COORDINATOR)).prompts == ()  # a grant is no Bibob measure: its decision prompts none

    registered_step = {"type": "dangerConclusionRegistered", "on": "2026-10-11", "registeredBy": "A. Jansen"}
    record_event(session_of(OFFICER), catalogue, own.id, own.version, registered_step)

    assert set(_prompted(session_of, "dangerConclusion")) == {bv.id}  # both are granted permits of the same BV


def test_a_withdrawal_registered_prompts_the_permits_of_the_applications_subjects(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    cafe = _granted(session_of, catalogue, policy, SOLE_TRADER)
    _granted(session_of, catalogue, policy, _elsewhere())
    screening = (*TO_INTENTION[1:4], {"type": "applicationWithdrawn", "on": "2026-10-20"})
    withdrawn = _screened(session_of(COORDINATOR), catalogue, policy, copy.deepcopy(SOLE_TRADER), *screening).id
    assert watch_list(session_of(COORDINATOR)).prompts == ()  # withdrawn, not yet registered

    stored = read_application(session_of(COORDINATOR), withdrawn)
    step = {"type": "withdrawalRegistered", "on": "2026-10-21", "registeredBy": "A. Jansen"}
    record_event(session_of(COORDINATOR), catalogue, withdrawn, stored.version, step)

    assert set(_prompted(session_of, "withdrawalRegistered")) == {cafe.id}


def test_a_permit_officer_who_records_a_register_hit_is_told_nothing_of_the_watch(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    bv = _granted(session_of, catalogue, policy, COMPLETE)
    hit = _consulted(["Eetcafé Het Hoekje B.V. (KvK 23456789)", "K. Hendriks"])
    matching = _screened(session_of(OFFICER), catalogue, policy, COMPLETE, hit)
    elsewhere = _screened(session_of(OFFICER), catalogue, policy, _elsewhere(), hit)

    assert set(_prompted(session_of, "registerHit")) == {bv.id}  # only the first one's subjects hold a permit
    told = [(s.state, s.version, s.history, s.event_authors, s.attachments) for s in (matching, elsewhere)]
    assert told[0] == told[1]  # the same answer whether a permit matched or not
    assert bv.id not in repr(matching)
    with pytest.raises(NotFoundError):
        watch_list(session_of(OFFICER))


def test_a_register_step_with_bad_input_is_refused_and_prompts_nothing(
    conn: Connection, session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    _granted(session_of, catalogue, policy, COMPLETE)
    screened = _screened(session_of(COORDINATOR), catalogue, policy, COMPLETE)
    new, version = screened.id, screened.version
    refusals = (
        (
            {"type": "registerConsulted", "on": "2026-10-03", "consultedBy": "A. Jansen", "subjects": []},
            InvalidInputError,
        ),
        (_consulted(["P.J. Bakker"]) | {"hit": "ja"}, InvalidInputError),
        (_consulted(["  "]), TransitionError),  # the consultation names no one
        ({"type": "dangerConclusionRegistered", "on": "2026-10-11", "registeredBy": "A. Jansen"}, TransitionError),
        ({"type": "withdrawalRegistered", "on": "2026-10-11", "registeredBy": "A. Jansen"}, TransitionError),
        ({"type": "lbbAdviceReceived", "on": "2026-11-02", "levels": {"aBenefit": "huge"}}, InvalidInputError),
    )
    for body, refused in refusals:
        with pytest.raises(refused):
            record_event(session_of(COORDINATOR), catalogue, new, version, body)

    assert watch_list(session_of(COORDINATOR)).prompts == ()
    assert read_application(session_of(COORDINATOR), new).version == version
    assert conn.execute(sa.select(sa.func.count()).select_from(lbb_advices)).scalar_one() == 0


def test_a_register_hit_recorded_before_the_answers_prompts_once_they_name_the_subject(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    bv = _granted(session_of, catalogue, policy, COMPLETE)
    stored = registered(session_of(COORDINATOR), catalogue, policy)
    for step in (TO_INTENTION[0], _consulted(["P.J. Bakker"])):  # consulted at intake: no one declared yet
        stored = record_event(session_of(COORDINATOR), catalogue, stored.id, stored.version, step)
    assert watch_list(session_of(COORDINATOR)).prompts == ()

    stored = store_answers(session_of(COORDINATOR), catalogue, stored.id, stored.version, COMPLETE).application
    assert _prompted(session_of, "registerHit") == {bv.id: {"bestuurder"}}
    store_answers(session_of(COORDINATOR), catalogue, stored.id, stored.version, COMPLETE)  # stored again
    assert len(watch_list(session_of(COORDINATOR)).prompts) == 1
