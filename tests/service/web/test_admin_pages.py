"""The functional admin's pages through the test client: accounts, roles, passwords, API tokens; all audited; no
dossier content for the admin."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from service.auth import Principal, Role
from service.store import accounts, audit
from service.store.engine import create_engine_for
from service.store.tables import audit_log, users
from service.store.tokens import principal_for_token
from tests.service.web.conftest import PASSWORD, Client, form_token, sign_in


@pytest.fixture(scope="module", autouse=True)
def admin_account(database_url: str) -> None:
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        accounts.create_user(conn, "beheer-1", Role.FUNCTIONAL_ADMIN, PASSWORD)
    engine.dispose()


@pytest.fixture
def admin(client: Client) -> str:
    sign_in(client, "beheer-1")
    return form_token(client.get("/").text)


def _audit(database_url: str) -> list[tuple[str, str, str]]:
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        query = sa.select(audit_log.c.action, audit_log.c.object_type, audit_log.c.object_id)
        rows = [
            tuple(row) for row in conn.execute(query.where(audit_log.c.user == "beheer-1").order_by(audit_log.c.seq))
        ]
    engine.dispose()
    return rows  # type: ignore[return-value]


def _secret(page: str) -> str:
    found = re.search(r'<code class="bibob-secret__value">([^<]+)</code>', page)
    assert found, "no secret shown"
    return found.group(1)


def test_the_admin_adds_an_account_whose_first_password_is_shown_once_and_works(
    client: Client, admin: str, database_url: str
) -> None:
    response = client.post("/beheer/gebruikers", data={"_csrf": admin, "naam": "nieuw-1", "rol": "safetyAdvisor"})
    assert response.status_code == 200 and "nu één keer zichtbaar" in response.text
    password = _secret(response.text)
    assert password not in client.get("/beheer").text  # not shown again
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        assert accounts.authenticate(conn, "nieuw-1", password) == Principal("nieuw-1", Role.SAFETY_ADVISOR)
    engine.dispose()
    assert (audit.USER_CREATED, "account", audit.account_id("nieuw-1")) in _audit(database_url)


def test_bad_or_taken_names_and_unknown_roles_are_named_at_their_fields_and_change_nothing(
    client: Client, admin: str, database_url: str
) -> None:
    before = _audit(database_url)
    bad = client.post("/beheer/gebruikers", data={"_csrf": admin, "naam": "met spatie", "rol": "koning"})
    assert bad.status_code == 400 and 'href="#naam"' in bad.text and 'href="#rol"' in bad.text
    taken = client.post("/beheer/gebruikers", data={"_csrf": admin, "naam": "vv-1", "rol": "mayor"})
    assert taken.status_code == 400 and "bestaat al" in taken.text
    token = client.post("/beheer/tokens", data={"_csrf": admin, "token-gebruiker": "", "token-rol": "mayor"})
    assert token.status_code == 400 and 'href="#token-gebruiker"' in token.text
    role = client.post("/beheer/gebruikers/vv-2/rol", data={"_csrf": admin, "rol": "koning"})
    assert role.status_code == 400 and 'id="rol-fout"' in role.text
    assert client.get("/beheer/gebruikers/bestaat-niet").status_code == 404
    assert client.post("/beheer/gebruikers/bestaat-niet/wachtwoord", data={"_csrf": admin}).status_code == 404
    assert client.post("/beheer/tokens/xyz/intrekken", data={"_csrf": admin}).status_code == 404
    own = client.post("/beheer/gebruikers/beheer-1/uitschakelen", data={"_csrf": admin})
    assert own.status_code == 400 and "eigen account" in own.text
    assert _audit(database_url) == before


def test_changing_a_role_resetting_a_password_and_disabling_are_audited_and_take_effect(
    client: Client, admin: str, database_url: str
) -> None:
    client.post("/beheer/gebruikers", data={"_csrf": admin, "naam": "wissel-1", "rol": "permitOfficer"})
    role = client.post("/beheer/gebruikers/wissel-1/rol", data={"_csrf": admin, "rol": "mayor"}, follow_redirects=False)
    assert role.status_code == 303 and "melding=rol" in role.headers["location"]
    reset = client.post("/beheer/gebruikers/wissel-1/wachtwoord", data={"_csrf": admin})
    password = _secret(reset.text)
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        assert accounts.authenticate(conn, "wissel-1", password) == Principal("wissel-1", Role.MAYOR)
    gone = client.post("/beheer/gebruikers/wissel-1/uitschakelen", data={"_csrf": admin}, follow_redirects=False)
    assert gone.status_code == 303
    with engine.connect() as conn:
        assert accounts.authenticate(conn, "wissel-1", password) is None
        assert conn.execute(sa.select(users.c.disabled_at).where(users.c.name == "wissel-1")).scalar_one()
    engine.dispose()
    account = audit.account_id("wissel-1")
    assert _audit(database_url)[-3:] == [
        (audit.ROLE_CHANGED, "account", account),
        (audit.PASSWORD_CHANGED, "account", account),
        (audit.USER_DISABLED, "account", account),
    ]


def test_an_api_token_is_shown_once_works_and_stops_working_when_revoked(
    client: Client, admin: str, database_url: str
) -> None:
    made = client.post("/beheer/tokens", data={"_csrf": admin, "token-gebruiker": "koppeling-1", "token-rol": "mayor"})
    token = _secret(made.text)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    overview = client.get("/beheer").text
    assert token not in overview
    key = re.search(r'action="/beheer/tokens/([0-9a-f]{64})/intrekken"', overview)
    assert key
    revoked = client.post(f"/beheer/tokens/{key.group(1)}/intrekken", data={"_csrf": admin}, follow_redirects=False)
    assert revoked.status_code == 303
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        assert principal_for_token(conn, token) is None
    engine.dispose()
    assert [row[0] for row in _audit(database_url)[-2:]] == [audit.TOKEN_CREATED, audit.TOKEN_REVOKED]
    assert token not in str(_audit(database_url))


def test_the_admin_sees_no_dossier_content(client: Client, admin: str) -> None:
    for path in ("/meldingen", "/meldingen/nieuw", "/aanvragen", "/auditlogboek", "/besluiten", "/onderzoeken"):
        assert client.get(path).status_code == 404, path
    api = client.get("/api/v1/signals")
    assert api.status_code in (401, 404)


@pytest.mark.parametrize("name", ["vv-1", "adviseur-1"])
def test_other_roles_get_not_found_for_the_admin_pages(client: Client, name: str) -> None:
    sign_in(client, name)
    csrf = form_token(client.get("/").text)
    assert client.get("/beheer").status_code == 404
    assert client.get("/beheer/gebruikers/vv-1").status_code == 404
    made = client.post("/beheer/gebruikers", data={"_csrf": csrf, "naam": "indringer", "rol": "functionalAdmin"})
    assert made.status_code == 404
    assert client.post("/beheer/gebruikers/vv-2/uitschakelen", data={"_csrf": csrf}).status_code == 404
