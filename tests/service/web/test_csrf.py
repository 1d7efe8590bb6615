"""CSRF: every form post to the pages carries its token; without it, or with another, it is refused and changes
nothing."""

from __future__ import annotations

import sqlalchemy as sa

from service.store.engine import create_engine_for
from service.store.tables import web_sessions
from tests.service.web.conftest import PASSWORD, Client, form_token, sign_in


def _session_count(database_url: str) -> int:
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        count = int(conn.execute(sa.select(sa.func.count()).select_from(web_sessions)).scalar_one())
    engine.dispose()
    return count


def test_a_form_post_without_the_token_is_refused_and_the_session_lives_on(client: Client) -> None:
    sign_in(client)
    response = client.post("/afmelden", data={}, follow_redirects=False)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "Formulier niet geaccepteerd" in response.text and "Er is niets gewijzigd." in response.text
    assert client.get("/", follow_redirects=False).status_code == 200  # not signed out


def test_a_form_post_with_a_wrong_token_is_refused(client: Client) -> None:
    sign_in(client)
    response = client.post("/afmelden", data={"_csrf": "geraden"}, follow_redirects=False)
    assert response.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200


def test_another_sessions_token_does_not_work_with_this_cookie(client: Client, app_client: Client) -> None:
    sign_in(client, "adviseur-1")
    others = form_token(client.get("/").text)
    client.cookies.clear()
    sign_in(client, "vv-1")
    assert client.post("/afmelden", data={"_csrf": others}, follow_redirects=False).status_code == 403


def test_the_token_in_a_header_is_accepted_as_htmx_sends_it(client: Client) -> None:
    sign_in(client)
    token = form_token(client.get("/").text)
    response = client.post("/afmelden", headers={"X-CSRF-Token": token, "HX-Request": "true"}, follow_redirects=False)
    assert response.status_code == 303


def test_the_sign_in_form_is_refused_without_its_token_and_no_session_starts(client: Client, database_url: str) -> None:
    before = _session_count(database_url)
    client.get("/aanmelden")  # the form's cookie is set, but the field is left out
    response = client.post(
        "/aanmelden", data={"gebruikersnaam": "vv-1", "wachtwoord": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403 and "bibob_sessie" not in client.cookies
    assert _session_count(database_url) == before


def test_the_sign_in_form_is_refused_when_its_cookie_is_missing(client: Client) -> None:
    token = form_token(client.get("/aanmelden").text)
    client.cookies.clear()  # a form posted from another site cannot send our cookie along with its own token
    data = {"_csrf": token, "gebruikersnaam": "vv-1", "wachtwoord": PASSWORD}
    assert client.post("/aanmelden", data=data, follow_redirects=False).status_code == 403


def test_a_post_without_a_session_is_sent_to_sign_in_not_processed(client: Client) -> None:
    response = client.post("/afmelden", data={"_csrf": "x"}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/aanmelden")


def test_every_form_on_the_pages_carries_the_token(client: Client) -> None:
    pages = [client.get("/aanmelden").text]
    sign_in(client)
    pages += [client.get("/").text]
    for html in pages:
        assert html.count("<form") == html.count('name="_csrf"') >= 1
    error_page = client.get("/bestaat-niet").text  # rendered without a session lookup: no account, no form
    assert error_page.count("<form") == error_page.count('name="_csrf"')
