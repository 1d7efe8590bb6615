"""The worklist use case: applicant and establishment from the answers, the next deadline, the overdue mark,
search by name, KvK number or address, ordering, paging, and need-to-know."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
import sqlalchemy as sa

from bibob.applications import application_deadlines
from bibob.policy import Policy
from bibob.questionnaires import Catalogue
from bibob.terms import AtwCalendar, Term
from service.integrations import Integrations
from service.store.tables import audit_log
from service.usecases.applications import store_answers, timeline
from service.usecases.decisions import decide
from service.usecases.overview import application_overview
from service.usecases.worklist import Query, lateness, mark, worklist
from tests.bibob.applications.test_application import CONCLUDE_NONE, GRANT, SCREENED, run
from tests.service.api.test_applications import COMPLETE, REFUSAL, SOLE_TRADER
from tests.service.store.conftest import COORDINATOR, OFFICER, OTHER_OFFICER
from tests.service.usecases.conftest import Sessions, registered, to_intention


@pytest.fixture
def three(session_of: Sessions, catalogue: Catalogue, policy: Policy) -> None:
    """On 20 November 2026: one long overdue (received 1 August), one due soon (1 October), one fresh (15 November)."""
    session = session_of(OFFICER)
    late = registered(session, catalogue, policy, id="W-LATE", received="2026-08-01")
    store_answers(session, catalogue, late.id, late.version, COMPLETE)
    soon = registered(session, catalogue, policy, id="W-SOON", received="2026-10-01")
    store_answers(session, catalogue, soon.id, soon.version, SOLE_TRADER)
    registered(session, catalogue, policy, id="W-FRESH", received="2026-11-15")


def _list(session_of: Sessions, catalogue: Catalogue, policy: Policy, calendar: AtwCalendar, **query: object):  # type: ignore[no-untyped-def]
    return worklist(session_of(OFFICER), catalogue, policy, calendar, Query(**query))  # type: ignore[arg-type]


@pytest.mark.usefixtures("three")
def test_entries_carry_applicant_establishment_next_deadline_and_mark(
    session_of: Sessions, catalogue: Catalogue, policy: Policy, calendar: AtwCalendar
) -> None:
    entries, count = _list(session_of, catalogue, policy, calendar, sort="deadline")
    by_id = {entry.stored.id: entry for entry in entries}

    assert count == 3 and [entry.stored.id for entry in entries] == ["W-LATE", "W-SOON", "W-FRESH"]
    assert by_id["W-LATE"].applicant.name == "Eetcafé Het Hoekje B.V."
    assert by_id["W-SOON"].applicant.name == "Johanna Maria Verbeek"
    assert by_id["W-SOON"].applicant.establishment == "De Gouden Leeuw, Hamersveldseweg 12, Leusden"
    assert by_id["W-FRESH"].applicant.name == ""  # not answered yet
    assert by_id["W-LATE"].mark == "overdue" and by_id["W-LATE"].lateness is not None
    assert by_id["W-LATE"].lateness.overdue and "Awb 4:17" in by_id["W-LATE"].lateness.explanation
    assert by_id["W-SOON"].mark == "dueSoon" and by_id["W-SOON"].next_deadline is not None
    assert by_id["W-SOON"].next_deadline.code == "decision"
    assert by_id["W-FRESH"].mark is None and by_id["W-FRESH"].next_deadline is not None


@pytest.mark.usefixtures("three")
@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"name": "gouden leeuw"}, ["W-SOON"]),  # a trade name, any case
        ({"name": "verbeek"}, ["W-SOON"]),
        ({"kvk_number": "2345 6789"}, ["W-LATE"]),  # spaces ignored
        ({"address": "Hamersveldseweg 12"}, ["W-LATE", "W-SOON"]),
        ({"address": "3831AB"}, ["W-SOON"]),  # the sole trader's home address
        ({"text": "hoekje"}, ["W-LATE"]),
        ({"name": "verbeek", "kvk_number": "23456789"}, []),  # every criterion given must match
        ({"name": "   "}, ["W-FRESH", "W-LATE", "W-SOON"]),  # blank is no criterion
    ],
)
def test_search_matches_names_numbers_and_addresses(
    session_of: Sessions,
    catalogue: Catalogue,
    policy: Policy,
    calendar: AtwCalendar,
    query: dict[str, str],
    found: list[str],
) -> None:
    entries, count = _list(session_of, catalogue, policy, calendar, sort="applicant", **query)
    assert sorted(entry.stored.id for entry in entries) == found and count == len(found)


@pytest.mark.usefixtures("three")
def test_sorting_by_applicant_puts_unanswered_last_and_paging_counts_every_match(
    session_of: Sessions, catalogue: Catalogue, policy: Policy, calendar: AtwCalendar
) -> None:
    first, count = _list(session_of, catalogue, policy, calendar, sort="applicant", limit=2)
    second, _ = _list(session_of, catalogue, policy, calendar, sort="applicant", limit=2, offset=2)
    assert count == 3
    assert [e.stored.id for e in (*first, *second)] == ["W-LATE", "W-SOON", "W-FRESH"]


@pytest.mark.usefixtures("three")
def test_only_the_page_shown_is_audited_and_only_the_principals_own_applications_appear(
    session_of: Sessions, catalogue: Catalogue, policy: Policy, calendar: AtwCalendar
) -> None:
    session = session_of(OFFICER)
    before = session.conn.execute(sa.select(sa.func.count()).select_from(audit_log)).scalar_one()
    _list(session_of, catalogue, policy, calendar, limit=1)
    listed = session.conn.execute(
        sa.select(audit_log.c.object_id).where(audit_log.c.seq > before, audit_log.c.action == "application.list")
    ).all()
    others, count = worklist(session_of(OTHER_OFFICER), catalogue, policy, calendar, Query())
    coordinator, seen = worklist(session_of(COORDINATOR), catalogue, policy, calendar, Query())

    assert len(listed) == 1
    assert (others, count) == ((), 0)
    assert seen == 3 and len(coordinator) == 3


def test_a_decision_taken_after_the_term_is_late_not_overdue(calendar: AtwCalendar) -> None:
    decided = run(*SCREENED, CONCLUDE_NONE, GRANT)  # granted on GRANT.on, received 2 March 2026
    deadlines = application_deadlines(decided, GRANT.on, calendar, Term.weeks(4))
    late = lateness(decided, deadlines)
    in_time = lateness(decided, application_deadlines(decided, GRANT.on, calendar, Term.weeks(26)))

    assert late is not None and not late.overdue and late.text == "besluit na de beslistermijn"
    assert mark(late, None, GRANT.on) is None  # a late decision is no longer overdue work
    assert in_time is None


def test_an_undecided_application_past_its_term_is_overdue_in_the_timeline(
    session_of: Sessions, catalogue: Catalogue, policy: Policy, calendar: AtwCalendar
) -> None:
    session = session_of(OFFICER)
    stored = registered(session, catalogue, policy, id="W-OPEN", received="2026-06-01")
    found = timeline(session, policy, calendar, stored.id, None)
    earlier = timeline(session, policy, calendar, stored.id, dt.date(2026, 6, 2))

    assert found.lateness is not None and found.lateness.overdue
    assert found.lateness.text == "beslistermijn overschreden" and "dwangsom" in found.lateness.explanation
    assert earlier.lateness is None


def test_the_register_term_in_the_worklist_is_the_policys_working_days_not_a_default(
    session_of: Sessions, catalogue: Catalogue, policy: Policy, calendar: AtwCalendar
) -> None:
    """Refused on Tuesday 10 November 2026; on 20 November five working days (17 November) have passed, ten
    (24 November) still run: the worklist's next term follows the policy it is given, also for a list it had read."""
    stored = to_intention(session_of(OFFICER), catalogue, policy, COMPLETE)
    decide(session_of(OFFICER), catalogue, Integrations(), stored.id, stored.version, REFUSAL)
    five = attrs.evolve(policy, register_working_days=5)
    ten = attrs.evolve(policy, register_working_days=10)

    (by_five,), _ = worklist(session_of(OFFICER), catalogue, five, calendar, Query())
    (by_ten,), _ = worklist(session_of(OFFICER), catalogue, ten, calendar, Query())

    assert by_five.next_deadline is None  # the register term passed on 17 November; nothing else runs undecided
    assert by_ten.next_deadline is not None and by_ten.next_deadline.code == "register.dangerConclusion"
    assert by_ten.next_deadline.due == dt.date(2026, 11, 24)
    overview = application_overview(session_of(OFFICER), catalogue, ten, calendar, stored.id)
    assert overview.entry.next_deadline == by_ten.next_deadline  # the overview's entry reads the same policy


@pytest.mark.usefixtures("three")
def test_the_list_is_whole_when_another_thread_empties_the_kept_facts_meanwhile(
    session_of: Sessions,
    catalogue: Catalogue,
    policy: Policy,
    calendar: AtwCalendar,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The group commit runs lists on several threads; one that finds the cache full empties it for all."""
    from service.usecases import worklist as module

    remember = module._remember

    def remember_then_emptied(key: tuple[object, ...], entry: object) -> None:
        remember(key, entry)  # type: ignore[arg-type]
        module._CACHE.clear()  # as another thread would, finding the cache full

    module._CACHE.clear()
    monkeypatch.setattr(module, "_remember", remember_then_emptied)
    entries, count = _list(session_of, catalogue, policy, calendar, sort="deadline")
    assert count == 3 and [entry.stored.id for entry in entries] == ["W-LATE", "W-SOON", "W-FRESH"]
