"""Sessions through the pages: expired (idle or absolute), signed out, made up, and another user's cookie."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from service.store.engine import create_engine_for
from service.store.tables import web_sessions
from tests.service.web.conftest import Client, sign_in


def _age_sessions(database_url: str, **values: dt.datetime) -> None:
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        conn.execute(web_sessions.update().values(**values))
    engine.dispose()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def test_a_session_idle_longer_than_its_limit_sends_the_visitor_to_sign_in_again(
    client: Client, database_url: str
) -> None:
    sign_in(client)
    _age_sessions(database_url, last_seen_at=_now() - dt.timedelta(minutes=31))
    response = client.get("/", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/aanmelden?melding=verlopen")
    assert "Max-Age=0" in response.headers["set-cookie"]  # the dead cookie is cleared
    assert "Uw sessie is verlopen of beëindigd." in client.get("/aanmelden?melding=verlopen").text


def test_a_session_past_its_absolute_end_is_over_however_active(client: Client, database_url: str) -> None:
    sign_in(client)
    _age_sessions(database_url, expires_at=_now() - dt.timedelta(seconds=1))
    assert client.get("/", follow_redirects=False).headers["location"] == "/aanmelden?melding=verlopen"


def test_each_request_restarts_the_idle_clock(client: Client, database_url: str) -> None:
    sign_in(client)
    _age_sessions(database_url, last_seen_at=_now() - dt.timedelta(minutes=29))
    assert client.get("/").status_code == 200
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        seen = conn.execute(sa.select(sa.func.max(web_sessions.c.last_seen_at))).scalar_one()
    engine.dispose()
    assert seen is not None


def test_a_signed_out_cookie_opens_nothing(client: Client) -> None:
    token = sign_in(client)
    page = client.get("/").text
    csrf = page.split('name="_csrf" value="')[1].split('"')[0]
    client.post("/afmelden", data={"_csrf": csrf})
    client.cookies.clear()
    client.cookies.set("bibob_sessie", token)
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_made_up_cookie_opens_nothing(client: Client) -> None:
    client.cookies.set("bibob_sessie", "bedacht-of-geraden")
    assert client.get("/", follow_redirects=False).status_code == 303


def test_each_cookie_stands_for_its_own_user_only(client: Client) -> None:
    officer = sign_in(client, "vv-1")
    client.cookies.clear()
    advisor = sign_in(client, "adviseur-1")
    client.cookies.clear()
    client.cookies.set("bibob_sessie", officer)
    assert "vergunningverlener" in client.get("/").text and "adviseur veiligheid" not in client.get("/").text
    client.cookies.clear()
    client.cookies.set("bibob_sessie", advisor)
    page = client.get("/").text
    assert "adviseur-1" in page and "vv-1" not in page


def test_the_page_principal_is_the_one_a_token_of_the_same_user_gives_the_api(
    client: Client, database_url: str
) -> None:
    from service.auth import Role
    from service.store.tokens import create_token

    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        token = create_token(conn, "vv-1", Role.PERMIT_OFFICER)
    engine.dispose()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
    sign_in(client, "vv-1")
    page = client.get("/").text
    assert me == {"user": "vv-1", "role": "permitOfficer", "roleLabel": "vergunningverlener"}
    assert f'<span class="bibob-account__name">{me["user"]}</span>' in page
    assert f"U bent aangemeld als {me['roleLabel']}." in page


def test_a_session_cookie_does_not_open_the_api(client: Client) -> None:
    sign_in(client)
    assert client.get("/api/v1/me").status_code == 401  # the API keeps its bearer tokens
