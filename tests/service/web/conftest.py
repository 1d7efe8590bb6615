"""A migrated database with accounts and a running app for the page tests; helpers to sign in and read forms."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from litestar.testing import TestClient

from service.app import create_app
from service.auth import Role
from service.settings import Settings
from service.store import accounts
from service.store.engine import create_engine_for
from service.store.migrate import migrate

Client = TestClient  # type: ignore[type-arg]
PASSWORD = "een-lang-genoeg-wachtwoord"
ACCOUNTS = {"vv-1": Role.PERMIT_OFFICER, "vv-2": Role.PERMIT_OFFICER, "adviseur-1": Role.SAFETY_ADVISOR}
_TOKEN = re.compile(r'name="_csrf" value="([^"]+)"')


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id at a test's pace (the shipped cost is pinned in tests/service/store/test_accounts.py)."""
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'bibob.sqlite3'}"
    migrate(url)
    engine = create_engine_for(url)
    with engine.begin() as conn:
        for name, role in ACCOUNTS.items():
            accounts.create_user(conn, name, role, PASSWORD)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def app_client(database_url: str) -> Iterator[Client]:
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        yield client


@pytest.fixture
def client(app_client: Client) -> Iterator[Client]:
    """The app, with no cookies from an earlier test."""
    app_client.cookies.clear()
    yield app_client
    app_client.cookies.clear()


def form_token(html: str) -> str:
    """The hidden CSRF field of the (first) form on a page."""
    found = _TOKEN.search(html)
    assert found, "the page has no form token"
    return found.group(1)


def sign_in(client: Client, name: str = "vv-1", password: str = PASSWORD) -> str:
    """Sign in through the form; returns the session cookie's token."""
    token = form_token(client.get("/aanmelden").text)
    response = client.post(
        "/aanmelden", data={"_csrf": token, "gebruikersnaam": name, "wachtwoord": password}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return str(client.cookies["bibob_sessie"])
