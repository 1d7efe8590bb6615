"""Signals in the store: intake by partners, weighing by the advisor, destruction when due."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Connection

from bibob.exceptions import NotFoundError
from service.auth import Principal
from service.store.errors import StaleVersionError
from service.store.signals import create_signal, destroy_due_signals, get_signal, list_signals, update_signal
from service.store.subjects import SubjectKey, set_subject_keys
from tests.service.store.conftest import ADMIN, ADVISOR, COORDINATOR, MAYOR, OFFICER, OTHER_ADVISOR, PARTNER, PRIVACY
from tests.service.store.helpers import RECEIVED, audit_rows

DOCUMENT = {"theme": "drugs", "text": "Veel verkeer bij pand, ramen afgeplakt."}


def _signal(conn: Connection, principal: Principal = PARTNER, **changes: object) -> str:
    values: dict[str, object] = {"source": "police", "status": "awaitingWeighing", "received": RECEIVED}
    values |= {"document": DOCUMENT} | changes
    return create_signal(conn, principal, **values).id  # type: ignore[arg-type]


def test_a_registered_signal_reads_back_for_the_advisor(conn: Connection) -> None:
    identifier = _signal(conn)
    signal = get_signal(conn, ADVISOR, identifier)
    assert (signal.source, signal.status, signal.version, signal.registered_by) == (
        "police",
        "awaitingWeighing",
        1,
        PARTNER.user,
    )
    assert (signal.received, signal.document, signal.destroy_on) == (RECEIVED, DOCUMENT, None)
    assert len(identifier) == 36


def test_the_signal_create_returns_is_the_signal_a_read_returns(conn: Connection) -> None:
    amsterdam = dt.timezone(dt.timedelta(hours=1))
    created = create_signal(
        conn, ADVISOR, source="police", status="awaitingWeighing", received=RECEIVED.astimezone(amsterdam),
        document=DOCUMENT, destroy_on=dt.date(2027, 12, 1),
    )  # fmt: skip
    assert get_signal(conn, ADVISOR, created.id) == created
    assert created.received.utcoffset() == dt.timedelta(0)


def test_a_partner_submits_signals_but_reads_none_back(conn: Connection) -> None:
    own, advisors = _signal(conn), _signal(conn, ADVISOR, source="resident")
    for identifier in (own, advisors):
        with pytest.raises(NotFoundError):
            get_signal(conn, PARTNER, identifier)
    with pytest.raises(NotFoundError):
        list_signals(conn, PARTNER)
    assert {s.id for s in list_signals(conn, OTHER_ADVISOR)} == {own, advisors}


@pytest.mark.parametrize("principal", [OFFICER, COORDINATOR, MAYOR, PRIVACY, ADMIN], ids=lambda p: p.role.value)
def test_roles_outside_the_signal_process_get_not_found(conn: Connection, principal: Principal) -> None:
    identifier = _signal(conn)
    with pytest.raises(NotFoundError):
        get_signal(conn, principal, identifier)
    with pytest.raises(NotFoundError):
        update_signal(conn, principal, identifier, 1, status="noAction")
    with pytest.raises(NotFoundError):
        _signal(conn, principal)


def test_weighing_a_signal_needs_the_current_version(conn: Connection) -> None:
    identifier = _signal(conn)
    weighed = update_signal(conn, ADVISOR, identifier, 1, status="noAction", destroy_on=dt.date(2027, 10, 1))
    assert (weighed.status, weighed.destroy_on, weighed.version, weighed.document) == (
        "noAction",
        dt.date(2027, 10, 1),
        2,
        DOCUMENT,
    )
    with pytest.raises(StaleVersionError):
        update_signal(conn, ADVISOR, identifier, 1, status="toCase")
    with pytest.raises(NotFoundError):
        update_signal(conn, PARTNER, identifier, 2, status="toCase")
    with pytest.raises(NotFoundError):
        update_signal(conn, ADVISOR, "00000000-0000-4000-8000-000000000000", 1, status="toCase")
    assert update_signal(conn, ADVISOR, identifier, 2, destroy_on=None).destroy_on is None


def test_signals_past_their_destruction_date_are_destroyed_but_their_audit_rows_remain(conn: Connection) -> None:
    due = _signal(conn, destroy_on=dt.date(2026, 11, 1))
    kept = _signal(conn, destroy_on=dt.date(2026, 11, 2))
    set_subject_keys(conn, ADVISOR, "signal", due, [SubjectKey("address", "3831AB|12|")])
    assert destroy_due_signals(conn, ADVISOR, dt.date(2026, 11, 1)) == (due,)
    with pytest.raises(NotFoundError):
        get_signal(conn, ADVISOR, due)
    assert get_signal(conn, ADVISOR, kept).id == kept
    assert (ADVISOR.user, "signal.destroy", "signal", due) in audit_rows(conn)
    assert (PARTNER.user, "signal.create", "signal", due) in audit_rows(conn)
