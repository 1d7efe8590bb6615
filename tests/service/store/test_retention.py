"""Retention that runs: with the clock moved (never the data), exactly what is due is destroyed, a held dossier is
kept, and each destroyed thing gets one destruction record (kind, id, time, legal basis; no content)."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bibob.exceptions import InvalidInputError
from bibob.policy import Policy, load_policy
from bibob.terms import Term, add_term
from service.auth import Role
from service.store import audit, retention, tables
from service.store.accounts import create_session, create_user
from service.store.applications import create_application
from service.store.cases import create_case, update_case
from service.store.common import utcnow
from service.store.idempotency import StoredResponse, remember
from service.store.signals import create_signal, update_signal
from service.store.subjects import SubjectKey, add_keys_of_new_owner
from service.store.tables import applications, audit_log, cases, signals, subjects, web_sessions
from tests.service.store.conftest import ADVISOR, OFFICER, PARTNER
from tests.service.store.helpers import RECEIVED, decided_application, new_application

TEXT = {"theme": "drugs", "text": "Synthetische melding: veel verkeer bij een pand."}


@pytest.fixture
def policy() -> Policy:
    return load_policy()


def _signal(conn: Connection, *, no_action_on: dt.date | None = None) -> str:
    stored = create_signal(conn, PARTNER, source="police", status="awaitingWeighing", received=RECEIVED, document=TEXT)
    add_keys_of_new_owner(conn, "signal", stored.id, [SubjectKey("P:bsn", "999990019")])
    if no_action_on is not None:  # weighed 'no action' today: destroyed 12 months later, as the weighing sets it
        update_signal(
            conn, ADVISOR, stored.id, 1, status="noAction", destroy_on=add_term(no_action_on, Term.months(12))
        )
    return stored.id


def _application(conn: Connection, identifier: str, *, decided: bool) -> str:
    application = decided_application() if decided else new_application(identifier)
    if decided:
        application = attrs.evolve(application, id=identifier)
    create_application(conn, OFFICER, application)
    return identifier


def _closed_case(conn: Connection, signal_ids: tuple[str, ...]) -> str:
    stored = create_case(
        conn, ADVISOR, status="registered", confidentiality="confidential", document=TEXT, signal_ids=signal_ids
    )
    update_case(conn, ADVISOR, stored.id, 1, status="closed")
    return stored.id


def _destruction_records(conn: Connection) -> list[tuple[str, str, str, str]]:
    query = sa.select(audit_log.c.user, audit_log.c.object_type, audit_log.c.object_id, audit_log.c.reason).where(
        audit_log.c.action == retention.DESTROYED
    )
    return [tuple(row) for row in conn.execute(query.order_by(audit_log.c.seq))]  # type: ignore[misc]


def _ids(conn: Connection, table: sa.Table) -> set[str]:
    return set(conn.execute(sa.select(table.c.id)).scalars())


def test_a_no_action_signal_is_destroyed_on_its_day_and_not_a_day_before(engine: Engine, policy: Policy) -> None:
    today = utcnow()
    with engine.begin() as conn:
        due = _signal(conn, no_action_on=today.date())
        awaiting = _signal(conn)
        conn.execute(tables.notifications.insert().values(
            id="N-9", user=ADVISOR.user, kind="newSignal", object_type="signal", object_id=due, text="Nieuwe melding",
            created_at=today))  # fmt: skip
    destroy_on = add_term(today.date(), Term.months(12))
    the_day_before = dt.datetime.combine(destroy_on - dt.timedelta(days=1), dt.time(23, 59), dt.UTC)
    with engine.begin() as conn:
        assert retention.run(conn, policy, the_day_before).signals == ()
        assert _ids(conn, signals) == {due, awaiting}
        destroyed = retention.run(conn, policy, dt.datetime.combine(destroy_on, dt.time(0, 1), dt.UTC))
        assert destroyed.signals == (due,)
        assert _ids(conn, signals) == {awaiting}
        assert _ids(conn, tables.notifications) == set()  # the notice about it went with it
        assert conn.execute(sa.select(subjects.c.owner_id).where(subjects.c.owner_id == due)).first() is None
        records = _destruction_records(conn)
        assert [(user, kind, identifier) for user, kind, identifier, _ in records] == [("bibob", "signal", due)]
        assert "12 maanden" in records[0][3] and "AVG art. 5" in records[0][3]
        assert "verkeer" not in records[0][3]  # the basis, never the content
        assert audit.verify_chain(conn).ok


def test_dossiers_and_cases_go_after_the_policy_terms_and_a_held_dossier_stays(engine: Engine, policy: Policy) -> None:
    today = utcnow()
    with engine.begin() as conn:
        decided = _application(conn, "2026-R01", decided=True)
        held = _application(conn, "2026-R02", decided=True)
        still_open = _application(conn, "2026-R03", decided=False)
        in_case = _signal(conn)
        shared = _signal(conn)
        closed = _closed_case(conn, (in_case, shared))
        other = create_case(
            conn, ADVISOR, status="registered", confidentiality="internal", document=TEXT, signal_ids=(shared,)
        ).id
        retention.place_hold(conn, "application", held, "beroep ingesteld bij de rechtbank", today)
    years = policy.retention.questionnaire_data.amount
    assert policy.retention.case.amount == years == 5  # the default policy's terms
    term_end = add_term(today.date(), Term.years(years))
    with engine.begin() as conn:
        before = retention.run(conn, policy, dt.datetime.combine(term_end - dt.timedelta(days=1), dt.time(12), dt.UTC))
        assert (before.applications, before.cases, before.held) == ((), (), ())
        after = retention.run(conn, policy, dt.datetime.combine(term_end, dt.time(12), dt.UTC))
        assert after.applications == (decided,)
        assert after.held == (f"application:{held}",)
        assert after.cases == (closed,)
        assert after.signals == (in_case,)  # the shared signal stays with the other, open case
        assert _ids(conn, applications) == {held, still_open}
        assert _ids(conn, cases) == {other}
        assert _ids(conn, signals) == {shared}
        records = _destruction_records(conn)
        assert sorted((kind, identifier) for _, kind, identifier, _ in records) == sorted(
            [("application", decided), ("case", closed), ("signal", in_case)]
        )
        assert all(policy.retention.dossier_category in reason or "afsluiten" in reason for *_, reason in records)
        assert retention.run(conn, policy, dt.datetime.combine(term_end, dt.time(13), dt.UTC)).total == 0
        assert len(_destruction_records(conn)) == 3  # a second run destroys nothing and records nothing
        assert retention.release_hold(conn, "application", held, "uitspraak onherroepelijk")
        assert retention.run(conn, policy, dt.datetime.combine(term_end, dt.time(14), dt.UTC)).applications == (held,)
        assert audit.verify_chain(conn).ok


def test_expired_sessions_and_idempotency_records_go_with_one_record_per_kind(engine: Engine, policy: Policy) -> None:
    now = utcnow()
    with engine.begin() as conn:
        principal = create_user(conn, "fa-retentie", Role.FUNCTIONAL_ADMIN, "een lang genoeg wachtwoord 123")
        create_session(conn, principal, now=now)
        remember(conn, OFFICER, "application.create", "key-retention-1", "f" * 64, StoredResponse(201, {"id": "x"}))
    with engine.begin() as conn:
        assert retention.run(conn, policy, now + dt.timedelta(hours=1)).total == 0
        later = retention.run(conn, policy, now + dt.timedelta(days=2))
        assert (later.sessions, later.idempotency_records) == (1, 1)
        assert conn.execute(sa.select(web_sessions)).first() is None
        kinds = [(kind, identifier) for _, kind, identifier, _ in _destruction_records(conn)]
        assert kinds == [("idempotencyRecord", "1"), ("webSession", "1")]


@pytest.mark.parametrize(
    ("kind", "reason", "pointer"),
    [("signal", "reden", "/dossierType"), ("application", "", "/reason"), ("application", "x" * 501, "/reason")],
)
def test_a_hold_with_bad_input_is_refused_naming_the_field(
    conn: Connection, kind: str, reason: str, pointer: str
) -> None:
    with pytest.raises(InvalidInputError) as raised:
        retention.place_hold(conn, kind, "2026-R09", reason, utcnow())
    assert [p.pointer for p in raised.value.problems] == [pointer]


def test_a_hold_on_an_unknown_dossier_is_refused(conn: Connection) -> None:
    with pytest.raises(InvalidInputError, match="geen dossier"):
        retention.place_hold(conn, "case", "bestaat-niet", "beroep", utcnow())


def test_a_dossier_goes_with_its_letters_watch_conditions_lbb_advice_and_notices(
    engine: Engine, policy: Policy
) -> None:
    """Everything that hangs on an application is destroyed with it (a foreign key would otherwise stop the job)."""
    today = utcnow()
    with engine.begin() as conn:
        decided = _application(conn, "2026-R09", decided=True)
        at = {"created_at": today}
        conn.execute(tables.letters.insert().values(
            id="L-1", application_id=decided, kind="decisionRefusal", name="weigering", docx=b"x", pdf=b"y",
            docx_sha256="0", pdf_sha256="0", document={}, created_by=OFFICER.user, **at))  # fmt: skip
        conn.execute(tables.permit_zaken.insert().values(
            application_id=decided, url="https://zaken.example/1", recorded_by=OFFICER.user,
            recorded_at=today))  # fmt: skip
        conn.execute(tables.watched_permits.insert().values(
            application_id=decided, subjects=[], granted_on=today.date(), **at))  # fmt: skip
        conn.execute(tables.permit_conditions.insert().values(
            id="V-1", application_id=decided, text="sluitingstijd 01.00 uur", due_on=today.date(), owner=OFFICER.user,
            **at))  # fmt: skip
        conn.execute(
            tables.lbb_advices.insert().values(id="A-1", application_id=decided, advised_on=today.date(), **at)
        )
        add_keys_of_new_owner(conn, "lbbAdvice", "A-1", [SubjectKey("P:bsn", "123456782")])
        add_keys_of_new_owner(conn, "permit", decided, [SubjectKey("P:bsn", "123456782")])
        conn.execute(tables.notifications.insert().values(
            id="N-1", user=OFFICER.user, kind="decisionWaiting", object_type="application", object_id=decided,
            text="Besluit wacht", **at))  # fmt: skip
    term_end = add_term(today.date(), Term.years(policy.retention.questionnaire_data.amount))
    with engine.begin() as conn:
        done = retention.run(conn, policy, dt.datetime.combine(term_end, dt.time(12), dt.UTC))
        assert done.applications == (decided,)
        for table in (tables.letters, tables.permit_zaken, tables.watched_permits, tables.permit_conditions,
                      tables.lbb_advices, tables.notifications):  # fmt: skip
            assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() == 0, table.name
        assert conn.execute(sa.select(sa.func.count()).select_from(subjects)).scalar_one() == 0
