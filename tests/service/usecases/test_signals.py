"""The signal use cases called directly: intake and weighing, dated by the session's clock."""

from __future__ import annotations

import datetime as dt

import pytest

from bibob.exceptions import InvalidInputError, NotFoundError
from service.store.errors import StaleVersionError
from service.store.signals import InboxFilter
from service.usecases.signals import inbox, read_signal, take_in, weigh
from service.views.signals import intake
from tests.service.api.flow import police_signal
from tests.service.store.conftest import ADVISOR, PARTNER
from tests.service.usecases.conftest import NOW, Sessions

UNDERMINING = {"decision": "undermining", "reason": "lokale verankering: pand"}


def test_a_weighing_is_the_principals_and_dated_by_the_session(session_of: Sessions) -> None:
    stored = take_in(session_of(PARTNER), intake(police_signal(), NOW))
    weighed = weigh(session_of(ADVISOR), stored.id, stored.version, UNDERMINING)

    assert weighed.version == 2 and weighed.registered_by == PARTNER.user
    (event,) = weighed.signal.history
    assert (event.by, event.at) == (ADVISOR.user, NOW)
    assert inbox(session_of(ADVISOR), InboxFilter(), limit=10, offset=0) == ((weighed,), 1)


def test_a_weighing_later_than_the_sessions_clock_is_refused(session_of: Sessions) -> None:
    stored = take_in(session_of(ADVISOR), intake(police_signal(), NOW))
    later = (NOW + dt.timedelta(hours=1)).isoformat()
    with pytest.raises(InvalidInputError) as refused:
        weigh(session_of(ADVISOR), stored.id, stored.version, UNDERMINING | {"at": later})

    assert [(p.pointer, p.code) for p in refused.value.problems] == [("/at", "dateInFuture")]


def test_the_intake_partner_neither_reads_nor_weighs(session_of: Sessions) -> None:
    stored = take_in(session_of(PARTNER), intake(police_signal(), NOW))
    with pytest.raises(NotFoundError):
        read_signal(session_of(PARTNER), stored.id)
    with pytest.raises(NotFoundError):
        weigh(session_of(PARTNER), stored.id, stored.version, UNDERMINING)


def test_a_weighing_at_an_old_version_is_stale(session_of: Sessions) -> None:
    stored = take_in(session_of(ADVISOR), intake(police_signal(), NOW))
    weigh(session_of(ADVISOR), stored.id, stored.version, UNDERMINING)
    with pytest.raises(StaleVersionError):
        weigh(session_of(ADVISOR), stored.id, stored.version, {"decision": "municipalTask", "reason": "later"})
