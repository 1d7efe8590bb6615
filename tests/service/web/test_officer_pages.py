"""The permit officer's pages through the test client: the worklist, registering, the overview and its steps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from service.auth import Role
from service.store import accounts
from service.store.engine import create_engine_for
from service.store.tables import applications
from tests.service.conftest import Client

PASSWORD = "een lang genoeg wachtwoord"


@pytest.fixture(scope="module")
def sessions(database_url: str) -> dict[str, tuple[str, str]]:
    """A web session (cookie token, form token) per user: two permit officers and a safety advisor."""
    engine = create_engine_for(database_url)
    made = {}
    with engine.begin() as conn:
        for name, role in (("ambtenaar-1", Role.PERMIT_OFFICER), ("ambtenaar-2", Role.PERMIT_OFFICER),
                           ("adviseur-1", Role.SAFETY_ADVISOR)):  # fmt: skip
            principal = accounts.create_user(conn, name, role, PASSWORD)
            token, session = accounts.create_session(conn, principal)
            made[name] = (token, session.csrf_token)
    engine.dispose()
    return made


@pytest.fixture
def officer(client: Client, sessions: dict[str, tuple[str, str]]) -> Iterator[str]:
    """The client signed in as permit officer 1; gives the form token."""
    yield from _as(client, sessions["ambtenaar-1"])


def _as(client: Client, session: tuple[str, str]) -> Iterator[str]:
    client.cookies.clear()
    client.cookies.set("bibob_sessie", session[0])
    yield session[1]
    client.cookies.clear()


def _register(client: Client, csrf: str, **fields: str) -> Any:
    form = {"_csrf": csrf, "kenmerk": "", "soort": "exploitatieHoreca", "spoor": "application",
            "ontvangen": "01-10-2026", "rechtshandeling": "vergunning", "vragenformulier": ""} | fields  # fmt: skip
    return client.post("/aanvragen/nieuw", data=form, follow_redirects=False)


def test_the_worklist_is_served_with_its_table_and_caption(client: Client, officer: str) -> None:
    response = client.get("/aanvragen")
    assert response.status_code == 200, response.text
    assert "<caption" in response.text and "Volgende termijn" in response.text
    assert response.headers["cache-control"] == "no-store"


def test_registering_with_mistakes_names_each_problem_at_its_field_and_stores_nothing(
    client: Client, officer: str, database_url: str
) -> None:
    response = _register(client, officer, kenmerk="a/b", soort="", ontvangen="gisteren", rechtshandeling="")
    assert response.status_code == 400
    page = response.text
    for field in ("kenmerk", "soort", "ontvangen", "rechtshandeling"):
        assert f'href="#{field}"' in page  # in the summary, linked to the field
        assert f'id="{field}-fout"' in page  # and next to the field
    assert "<title>Fout: Aanvraag registreren" in page
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(applications)).scalar_one() == 0
    engine.dispose()


def test_a_registered_application_opens_on_its_overview_and_appears_in_the_worklist(
    client: Client, officer: str
) -> None:
    response = _register(client, officer, kenmerk="PAGE-0001")
    assert response.status_code == 303 and response.headers["location"] == "/aanvragen/PAGE-0001?melding=geregistreerd"
    overview = client.get("/aanvragen/PAGE-0001?melding=geregistreerd")
    assert overview.status_code == 200
    assert "De aanvraag is geregistreerd." in overview.text and "Beslistermijn" in overview.text
    assert 'href="/aanvragen/PAGE-0001/vragenformulier"' in overview.text
    assert "Reguliere toets gestart" in overview.text  # a step allowed now, as a form
    worklist = client.get("/aanvragen").text
    assert 'href="/aanvragen/PAGE-0001"' in worklist
