"""The service fuzzed from its own OpenAPI document: no server errors, documented statuses, conforming bodies."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from service.app import create_app
from service.auth import Role
from service.settings import Settings
from service.store.engine import create_engine_for
from service.store.limits import Limit, RateLimits
from service.store.migrate import migrate
from service.store.tokens import create_token
from tests.figures import report

_FOLDER = Path(tempfile.mkdtemp(prefix="bibob-schemathesis-"))
_URL = f"sqlite:///{_FOLDER / 'bibob.sqlite3'}"
migrate(_URL)
_engine = create_engine_for(_URL)
with _engine.begin() as _conn:
    TOKENS = {role: create_token(_conn, f"fuzz-{role.value}", role) for role in Role}
_engine.dispose()

# limits are counted but set beyond what the fuzzing sends: it calls each write many times within a minute
_ROOMY = RateLimits(
    write_user=Limit(1_000_000, dt.timedelta(minutes=1)), assessment=Limit(1_000_000, dt.timedelta(minutes=1))
)
APP = create_app(Settings(database_url=_URL, max_body_bytes=262_144, rate_limits=_ROOMY))
SCHEMA = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.response_schema_conformance]
SEEN: dict[str, int] = {}
FAILED: set[str] = set()


def _role_for(path: str) -> Role:
    """The role that may call `path` (relative to the server URL /api/v1, as the document names it)."""
    if path.startswith(("/signals", "/cases", "/meeting-agenda", "/subjects")):
        return Role.SAFETY_ADVISOR
    if path.startswith("/audit-log"):
        return Role.PRIVACY_OFFICER
    return Role.BIBOB_COORDINATOR


@SCHEMA.parametrize()
# derandomized: CI runs the same cases every time; BIBOB_FUZZ_EXAMPLES=500 BIBOB_FUZZ_RANDOM=1 explores further
@settings(
    max_examples=int(os.environ.get("BIBOB_FUZZ_EXAMPLES", "25")),
    derandomize=not os.environ.get("BIBOB_FUZZ_RANDOM"),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_no_input_makes_the_service_fail_or_break_its_own_contract(case: Any) -> None:
    label = case.operation.label
    SEEN[label] = SEEN.get(label, 0) + 1
    token = TOKENS[_role_for(case.path)]
    if case.path == "/me/token/_rotate":  # rotation revokes the token that asks: give it one of its own
        with _engine.begin() as conn:
            token = create_token(conn, "fuzz-rotate", Role.BIBOB_COORDINATOR)
    headers = {"Authorization": f"Bearer {token}"}
    try:
        case.call_and_validate(headers=headers, checks=CHECKS)
    except Exception:
        FAILED.add(label)
        raise
    finally:
        report("schemathesis", f"{len(SEEN)} operations, {sum(SEEN.values())} cases generated, "
               f"{len(FAILED)} operations with failures")  # fmt: skip
