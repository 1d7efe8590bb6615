"""Identity tests: an app with small limits on a clock the test moves, a few accounts and tokens."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from argon2 import PasswordHasher
from litestar.testing import TestClient

from service.app import create_app
from service.auth import Role
from service.settings import Settings
from service.store import accounts
from service.store.engine import create_engine_for
from service.store.limits import Limit, RateLimits
from service.store.migrate import migrate
from service.store.tokens import create_token
from tests.conftest import ROOT

Client = TestClient  # type: ignore[type-arg]
PASSWORD = "een-lang-genoeg-wachtwoord"
START = dt.datetime(2026, 12, 3, 9, 0, 7, tzinfo=dt.UTC)
LOCKOUT = dt.timedelta(minutes=15)
SMALL = RateLimits(
    sign_in_account=Limit(5, LOCKOUT),
    sign_in_address=Limit(12, LOCKOUT),
    write_user=Limit(4, dt.timedelta(minutes=1)),
    write_address=Limit(1000, dt.timedelta(minutes=1)),
    assessment=Limit(2, dt.timedelta(minutes=1)),
    signal_intake=Limit(3, dt.timedelta(days=1)),
)


class Clock:
    """What "now" means to the app; the test moves it."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id at a test's pace (the shipped cost is pinned in tests/service/store/test_accounts.py)."""
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def database_url(tmp_path: object) -> str:
    url = f"sqlite:///{tmp_path}/bibob.sqlite3"
    migrate(url)
    engine = create_engine_for(url)
    with engine.begin() as conn:
        for name, role in (
            ("vv-1", Role.PERMIT_OFFICER),
            ("vv-2", Role.PERMIT_OFFICER),
            ("adv-1", Role.SAFETY_ADVISOR),
        ):
            accounts.create_user(conn, name, role, PASSWORD)
    engine.dispose()
    return url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(database_url: str, clock: Clock) -> Iterator[Client]:
    settings = Settings(database_url=database_url, rate_limits=SMALL)
    with TestClient(create_app(settings, clock=clock)) as test_client:
        yield test_client


@pytest.fixture
def tokens(database_url: str) -> dict[str, str]:
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        made = {role.value: create_token(conn, f"{role.value}-1", role, now=START) for role in Role}
    engine.dispose()
    return made


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def live_service(database_url: str, extra_env: dict[str, str] | None = None, port: int = 0) -> Iterator[str]:
    """The real service (uvicorn in a subprocess) on `port` (or a free one) of 127.0.0.1; yields its base URL."""
    port = port or free_port()
    env = {**os.environ, "BIBOB_DATABASE_URL": database_url, **(extra_env or {})}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    command = [sys.executable, "-m", "uvicorn", "--factory", "service.app:create_app", "--port", str(port)]
    process = subprocess.Popen([*command, "--host", "127.0.0.1", "--log-level", "warning"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the service stopped at start-up (exit status {process.returncode})")
            try:
                if httpx.get(f"{base}/api/v1/ready", timeout=1.0).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the service did not become ready in time")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
