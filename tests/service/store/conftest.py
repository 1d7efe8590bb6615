"""The storage suite runs on SQLite (a temporary file) and on PostgreSQL (each test in its own schema)."""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url

from service.auth import Principal, Role
from service.store.engine import create_engine_for
from service.store.migrate import migrate

POSTGRES_ENV = "BIBOB_TEST_POSTGRES_URL"

OFFICER = Principal("u-officer-1", Role.PERMIT_OFFICER)
OTHER_OFFICER = Principal("u-officer-2", Role.PERMIT_OFFICER)
COORDINATOR = Principal("u-coordinator", Role.BIBOB_COORDINATOR)
ADVISOR = Principal("u-advisor-1", Role.SAFETY_ADVISOR)
OTHER_ADVISOR = Principal("u-advisor-2", Role.SAFETY_ADVISOR)
MAYOR = Principal("u-mayor", Role.MAYOR)
PARTNER = Principal("u-police", Role.SIGNAL_INTAKE_PARTNER)
PRIVACY = Principal("u-fg", Role.PRIVACY_OFFICER)
ADMIN = Principal("u-admin", Role.FUNCTIONAL_ADMIN)
EVERYONE = (OFFICER, OTHER_OFFICER, COORDINATOR, ADVISOR, OTHER_ADVISOR, MAYOR, PARTNER, PRIVACY, ADMIN)


@functools.cache
def postgres_unavailable() -> str | None:
    """Why the PostgreSQL variant cannot run here, or None when it can."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        return f"{POSTGRES_ENV} is not set; set it to e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test"
    engine = create_engine_for(make_url(url).update_query_dict({"connect_timeout": "3"}))
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as error:
        return f"PostgreSQL at {POSTGRES_ENV} is unreachable: {type(error.orig).__name__}"
    finally:
        engine.dispose()
    return None


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty database: a new SQLite file (its keys beside it), or a new PostgreSQL schema dropped afterwards
    (its keys in a temporary key file, as `BIBOB_KEY_FILE` names it)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bibob.db'}"
        return
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    monkeypatch.setenv("BIBOB_KEY_FILE", str(tmp_path / "bibob-keys.json"))
    yield from _postgres_schema(os.environ[POSTGRES_ENV])


def _postgres_schema(base_url: str) -> Iterator[str]:
    schema = f"bibob_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine_for(base_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated database."""
    migrate(db_url)
    engine = create_engine_for(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def conn(engine: Engine) -> Iterator[Connection]:
    """One transaction, committed at the end of the test (so a failing test leaves no open lock)."""
    with engine.begin() as connection:
        yield connection
