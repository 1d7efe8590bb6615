"""Signing in with a second factor and meeting the lockout, in a real browser: keyboard only, axe-core clean."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyotp

from service.auth import Role
from service.store import accounts
from service.store.engine import create_engine_for
from tests.browser.conftest import PASSWORD
from tests.browser.test_pages import accessible, shot, sign_in_with_keyboard, tab_to


def test_an_account_with_a_second_factor_types_the_code_from_its_app(
    page: Any, service: str, service_database: str
) -> None:
    engine = create_engine_for(service_database)
    with engine.begin() as conn:
        accounts.create_user(conn, "tweestaps-1", Role.MAYOR, PASSWORD)
        factor = accounts.start_totp(conn, "tweestaps-1")
        assert factor is not None
        earlier = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=30)
        assert accounts.check_totp(conn, "tweestaps-1", pyotp.TOTP(factor.secret).at(earlier), earlier)  # enrolled
    engine.dispose()
    page.goto("/aanmelden")
    sign_in_with_keyboard(page, "tweestaps-1")
    assert page.url == f"{service}/aanmelden/code"
    assert page.get_by_role("heading", level=1).inner_text() == "Code invoeren"
    accessible(page, "aanmelden-code")
    shot(page, "aanmelden-code")
    tab_to(page, lambda f: f["id"] == "code")
    page.keyboard.type("000000" if pyotp.TOTP(factor.secret).now() != "000000" else "111111")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "De code klopt niet" in page.inner_text("main")
    accessible(page, "aanmelden-code-fout")
    tab_to(page, lambda f: f["id"] == "code")
    page.keyboard.type(pyotp.TOTP(factor.secret).now())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{service}/"
    assert "burgemeester" in page.inner_text("main")


def test_repeated_wrong_passwords_lock_signing_in_with_a_dutch_message(page: Any, service: str) -> None:
    for _ in range(11):
        page.goto("/aanmelden")
        sign_in_with_keyboard(page, "slot-proef-1", "een-verkeerd-wachtwoord")
    text = page.inner_text("main")
    assert "Te veel mislukte aanmeldpogingen voor deze gebruikersnaam" in text and "Probeer het over" in text
    accessible(page, "aanmelden-geblokkeerd")
    shot(page, "aanmelden-geblokkeerd")
