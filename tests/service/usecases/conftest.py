"""Use cases called directly, without HTTP: a migrated SQLite database per test, one transaction, a fixed clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Connection

from bibob.policy import Policy, load_policy
from bibob.questionnaires import Catalogue
from bibob.terms import AtwCalendar, load_calendar
from service.auth import Principal
from service.store.applications import StoredApplication
from service.store.engine import create_engine_for
from service.store.migrate import migrate
from service.usecases import Session
from service.usecases.applications import record_event, register_application, store_answers
from service.views.application_requests import new_application
from tests.service.api.test_applications import NEW, TO_INTENTION

#: The moment every session of these tests is in (the clock the lifespan would inject).
NOW = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)

Sessions = Callable[[Principal], Session]


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    """One transaction on a new, migrated SQLite file, committed at the end."""
    url = f"sqlite:///{tmp_path / 'bibob.sqlite3'}"
    migrate(url)
    engine = create_engine_for(url)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


@pytest.fixture
def session_of(conn: Connection) -> Sessions:
    """The session of a principal at `NOW`, as the service would open it for one request."""
    return lambda principal: Session(conn, principal, "toets", NOW)


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy()


@pytest.fixture(scope="session")
def calendar() -> AtwCalendar:
    return load_calendar()


def registered(session: Session, catalogue: Catalogue, policy: Policy, **fields: Any) -> StoredApplication:
    """A new application, as the permit officer's body would register it."""
    application, questionnaire = new_application(NEW | fields, catalogue, policy)
    return register_application(session, application, questionnaire)


def to_intention(session: Session, catalogue: Catalogue, policy: Policy, answers: Any) -> StoredApplication:
    """An application with `answers`, taken through the lifecycle to an expired zienswijze term."""
    stored = registered(session, catalogue, policy)
    stored = store_answers(session, catalogue, stored.id, stored.version, answers).application
    for event in TO_INTENTION:
        stored = record_event(session, catalogue, stored.id, stored.version, event)
    return stored
