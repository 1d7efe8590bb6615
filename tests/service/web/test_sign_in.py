"""Signing in and out through the pages: one generic message, error summaries, a new session every time."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from service.store.engine import create_engine_for
from service.store.tables import users, web_sessions
from tests.service.web.conftest import PASSWORD, Client, form_token, sign_in


def _sessions(database_url: str) -> int:
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(web_sessions)).scalar_one()
    engine.dispose()
    return int(count)


def _post(client: Client, name: str, password: str) -> tuple[int, str]:
    token = form_token(client.get("/aanmelden").text)
    data = {"_csrf": token, "gebruikersnaam": name, "wachtwoord": password}
    response = client.post("/aanmelden", data=data, follow_redirects=False)
    return response.status_code, response.text


def test_pages_behind_sign_in_send_a_visitor_to_the_sign_in_page(client: Client) -> None:
    response = client.get("/", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/aanmelden")


def test_signing_in_opens_the_start_page_that_greets_the_role(client: Client) -> None:
    sign_in(client)
    page = client.get("/")
    assert page.status_code == 200
    assert "<title>Start — Bibob-screening</title>" in page.text
    assert "U bent aangemeld als vergunningverlener." in page.text
    assert '<a class="utrecht-link" href="/aanvragen">Aanvragen</a>' in page.text  # the desk is served


def test_the_start_page_shows_each_role_its_own_desks(client: Client) -> None:
    sign_in(client, "adviseur-1")
    page = client.get("/").text
    assert "U bent aangemeld als adviseur veiligheid." in page
    assert all(desk in page for desk in ("Meldingen", "Casussen", "Ondermijningsoverleg"))
    assert "Aanvragen" not in page


def test_the_session_cookie_is_httponly_samesite_lax_for_the_whole_site(client: Client) -> None:
    token = form_token(client.get("/aanmelden").text)
    data = {"_csrf": token, "gebruikersnaam": "vv-1", "wachtwoord": PASSWORD}
    response = client.post("/aanmelden", data=data, follow_redirects=False)
    (cookie,) = [c for c in response.headers.get_list("set-cookie") if c.startswith("bibob_sessie=")]
    assert {"HttpOnly", "Path=/", "SameSite=lax"} <= set(cookie.split("; "))
    assert "Secure" not in cookie and "Max-Age" not in cookie  # plain HTTP here; gone when the browser closes


def test_over_https_the_session_cookie_is_secure(app_client: Client) -> None:
    app_client.cookies.clear()
    page = app_client.get("https://testserver/aanmelden")
    assert "Secure" in page.headers["set-cookie"]
    data = {"_csrf": form_token(page.text), "gebruikersnaam": "vv-1", "wachtwoord": PASSWORD}
    response = app_client.post("https://testserver/aanmelden", data=data, follow_redirects=False)
    assert all("Secure" in cookie for cookie in response.headers.get_list("set-cookie"))
    app_client.cookies.clear()


def test_a_wrong_password_and_an_unknown_name_get_the_same_generic_answer(client: Client, database_url: str) -> None:
    wrong_password = _post(client, "vv-1", PASSWORD + "!")
    unknown_name = _post(client, "bestaat-niet", PASSWORD)
    assert wrong_password[0] == unknown_name[0] == 400
    assert "De gebruikersnaam of het wachtwoord klopt niet." in wrong_password[1]

    def without_names(html: str) -> str:
        return re.sub(r'value="[^"]*"', "", html)

    assert without_names(wrong_password[1]) == without_names(unknown_name[1])
    assert "bibob_sessie" not in client.cookies


def test_empty_fields_are_listed_in_an_error_summary_linked_to_each_field(client: Client) -> None:
    status, html = _post(client, "", "")
    assert status == 400
    assert "<title>Fout: Aanmelden — Bibob-screening</title>" in html
    assert '<a class="utrecht-link" href="#gebruikersnaam">Vul uw gebruikersnaam in.</a>' in html
    assert '<a class="utrecht-link" href="#wachtwoord">Vul uw wachtwoord in.</a>' in html
    assert html.count('aria-invalid="true"') == 2
    assert 'aria-describedby="gebruikersnaam-fout"' in html and 'id="gebruikersnaam-fout"' in html


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("x" * 129, PASSWORD, "Uw gebruikersnaam is te lang: hoogstens 128 tekens."),
        ("vv-1", "x" * 1025, "Uw wachtwoord is te lang: hoogstens 1024 tekens."),
        ("   ", PASSWORD, "Vul uw gebruikersnaam in."),
    ],
)
def test_overlong_and_blank_fields_are_refused_before_any_password_check(
    client: Client, name: str, password: str, message: str
) -> None:
    status, html = _post(client, name, password)
    assert status == 400 and message in html
    assert "x" * 129 not in html  # an overlong name is not echoed


def test_the_typed_name_is_kept_and_the_password_never_echoed(client: Client) -> None:
    status, html = _post(client, "vv-1", "fout-wachtwoord-123")
    assert status == 400
    assert 'value="vv-1"' in html and "fout-wachtwoord-123" not in html


def test_signing_in_again_ends_the_earlier_session(client: Client, database_url: str) -> None:
    first = sign_in(client)
    client.cookies.clear()  # a sign-in form opened before, or in another tab
    token = form_token(client.get("/aanmelden").text)
    client.cookies.set("bibob_sessie", first)
    data = {"_csrf": token, "gebruikersnaam": "vv-1", "wachtwoord": PASSWORD}
    response = client.post("/aanmelden", data=data, follow_redirects=False)
    assert response.status_code == 303 and response.cookies["bibob_sessie"] != first
    client.cookies.clear()
    client.cookies.set("bibob_sessie", first)
    assert client.get("/", follow_redirects=False).status_code == 303


def test_someone_signed_in_who_opens_the_sign_in_page_goes_to_the_start_page(client: Client) -> None:
    sign_in(client)
    response = client.get("/aanmelden", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/")


def test_signing_out_ends_the_session_and_says_so(client: Client, database_url: str) -> None:
    token = sign_in(client)
    before = _sessions(database_url)
    response = client.post("/afmelden", data={"_csrf": form_token(client.get("/").text)}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/aanmelden?melding=afgemeld")
    assert "bibob_sessie" not in client.cookies
    assert _sessions(database_url) == before - 1
    assert "U bent afgemeld." in client.get("/aanmelden?melding=afgemeld").text
    client.cookies.set("bibob_sessie", token)
    assert client.get("/", follow_redirects=False).headers["location"] == "/aanmelden?melding=verlopen"


def test_a_disabled_account_cannot_sign_in(client: Client, database_url: str) -> None:
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        conn.execute(users.update().where(users.c.name == "vv-2").values(disabled_at=sa.func.current_timestamp()))
    engine.dispose()
    status, html = _post(client, "vv-2", PASSWORD)
    assert status == 400 and "De gebruikersnaam of het wachtwoord klopt niet." in html
