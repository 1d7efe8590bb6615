"""A second factor for local accounts: TOTP codes, enforceable per role, enrolled at the first sign-in, used once,
counted towards the lockout, and every change in the audit chain."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
import sqlalchemy as sa

from bibob.exceptions import InvalidInputError
from service.auth import Role
from service.store import accounts, audit
from service.store.engine import create_engine_for
from service.store.tables import audit_log
from service.web.settings import WebSettings
from tests.service.identity.conftest import PASSWORD, START, Client, Clock
from tests.service.web.conftest import form_token

CODE = "/aanmelden/code"


@pytest.fixture
def enforced(client: Client) -> Client:
    client.app.state.web_settings = WebSettings(mfa_roles=frozenset({Role.PERMIT_OFFICER}))
    return client


def _password(client: Client, name: str, password: str = PASSWORD) -> int:
    client.cookies.clear()
    form = {"_csrf": form_token(client.get("/aanmelden").text), "gebruikersnaam": name, "wachtwoord": password}
    response = client.post("/aanmelden", data=form, follow_redirects=False)
    return (
        response.status_code if response.status_code != 303 else (302 if response.headers["location"] == CODE else 303)
    )


def _code(client: Client, code: str) -> tuple[int, str]:
    page = client.get(CODE)
    response = client.post(CODE, data={"_csrf": form_token(page.text), "code": code}, follow_redirects=False)
    return response.status_code, response.text


def _key(client: Client) -> str:
    html = client.get(CODE).text
    return html.split('<code id="sleutel">')[1].split("</code>")[0].replace(" ", "")


def _actions(database_url: str) -> list[str]:
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        actions = list(conn.execute(sa.select(audit_log.c.action).order_by(audit_log.c.seq)).scalars())
        assert audit.verify_chain(conn).ok
    engine.dispose()
    return actions


def test_an_enforced_role_enrols_at_its_first_sign_in_and_then_needs_a_code(
    enforced: Client, database_url: str, clock: Clock
) -> None:
    client = enforced
    assert _password(client, "vv-1") == 302  # to the code step, not yet signed in
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/aanmelden")
    page = client.get(CODE).text
    assert "Voeg deze sleutel eenmalig toe" in page and "otpauth://totp/bibob:vv-1" in page
    key = _key(client)
    status, html = _code(client, "000000" if pyotp.TOTP(key).at(START) != "000000" else "111111")
    assert status == 400 and "De code klopt niet" in html
    assert _code(client, pyotp.TOTP(key).at(START))[0] == 303
    assert client.get("/", follow_redirects=False).status_code == 200
    # the next sign-in asks for a code without showing the key again; the used code is refused
    assert _password(client, "vv-1") == 302
    assert "sleutel" not in client.get(CODE).text
    assert _code(client, pyotp.TOTP(key).at(START))[0] == 400
    clock.now += dt.timedelta(seconds=30)
    assert _code(client, pyotp.TOTP(key).at(clock.now))[0] == 303
    actions = _actions(database_url)
    assert actions.count(audit.MFA_ENROLLED) == 1 and actions.count(audit.MFA_CONFIRMED) == 1
    assert actions.count(audit.SIGNED_IN) == 2 and actions.count(audit.SIGN_IN_FAILED) == 2


def test_a_role_without_the_obligation_signs_in_with_the_password_alone(enforced: Client) -> None:
    assert _password(enforced, "adv-1") == 303
    assert enforced.get("/", follow_redirects=False).status_code == 200


def test_wrong_codes_count_towards_the_lockout(enforced: Client) -> None:
    assert _password(enforced, "vv-2") == 302
    key = _key(enforced)
    wrong = "123456" if pyotp.TOTP(key).at(START) != "123456" else "654321"
    statuses = [_code(enforced, wrong)[0] for _ in range(6)]
    assert statuses == [400] * 5 + [429]
    status, html = _code(enforced, pyotp.TOTP(key).at(START))
    assert status == 429 and "Probeer het over" in html


def test_the_code_step_without_a_password_first_goes_back_to_signing_in(client: Client) -> None:
    client.cookies.clear()
    response = client.get(CODE, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/aanmelden")
    client.cookies.set("bibob_tweede_stap", "verzonnen", path="/aanmelden")
    assert client.get(CODE, follow_redirects=False).status_code == 303


def test_an_empty_code_is_named_at_the_field(enforced: Client) -> None:
    assert _password(enforced, "vv-1") == 302
    status, html = _code(enforced, "")
    assert status == 400 and 'id="code-fout"' in html


def test_an_enrolled_factor_is_asked_for_any_role_and_removing_it_is_audited(client: Client, database_url: str) -> None:
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        factor = accounts.start_totp(conn, "adv-1")
        assert factor is not None and not factor.confirmed
        assert accounts.check_totp(conn, "adv-1", pyotp.TOTP(factor.secret).at(START), START)
        assert accounts.check_totp(conn, "adv-1", "12345", START) is False  # not six digits
    assert _password(client, "adv-1") == 302  # not enforced for advisors, but enrolled: asked
    with engine.begin() as conn:
        assert accounts.remove_totp(conn, "adv-1") and not accounts.remove_totp(conn, "adv-1")
    engine.dispose()
    assert _password(client, "adv-1") == 303
    assert audit.MFA_REMOVED in _actions(database_url)


def test_the_roles_that_need_a_code_are_a_setting() -> None:
    assert WebSettings.from_env({"BIBOB_MFA_ROLES": "mayor, privacyOfficer"}).mfa_roles == {
        Role.MAYOR,
        Role.PRIVACY_OFFICER,
    }
    assert WebSettings.from_env({"BIBOB_MFA_ROLES": "all"}).mfa_roles == set(Role)
    assert WebSettings.from_env({}).mfa_roles == frozenset()
    with pytest.raises(InvalidInputError) as refused:
        WebSettings.from_env({"BIBOB_MFA_ROLES": "mayor,koning"})
    assert [problem.pointer for problem in refused.value.problems] == ["BIBOB_MFA_ROLES"]
