"""The pages in a real browser: keyboard only, focus always visible, axe-core clean, readable on a laptop and a
tablet, printable, and usable without JavaScript. Screenshots land in tests/browser/screenshots/ (not in git)."""

from __future__ import annotations

import re
from typing import Any

from service.auth import Role
from tests.browser import axe
from tests.browser.conftest import PASSWORD, SCREENSHOTS, TABLET

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el), box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), id: el.id, text: (el.textContent || '').trim().slice(0, 60),
    outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadowed: style.boxShadow !== 'none',
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < window.innerHeight,
  };
}"""


def shot(page: Any, name: str, *, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def accessible(page: Any, name: str) -> None:
    assert axe.check(page, name) == [], name


def focus(page: Any) -> dict[str, Any]:
    """What has the keyboard focus, asserting that a sighted keyboard user can see it."""
    found = page.evaluate(FOCUSED)
    assert found is not None, "the focus is lost"
    assert found["outlined"] or found["shadowed"], f"focus is not visible on {found}"
    assert found["onScreen"], f"the focused element is off screen: {found}"
    return dict(found)


def tab_to(page: Any, matches: Any, limit: int = 25) -> dict[str, Any]:
    """Press Tab until the focused element satisfies `matches`; every stop on the way has a visible focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        found = focus(page)
        if matches(found):
            return found
    raise AssertionError("not reached with the Tab key")


def sign_in_with_keyboard(page: Any, name: str, password: str = PASSWORD) -> None:
    tab_to(page, lambda f: f["id"] == "gebruikersnaam")
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    assert focus(page)["id"] == "wachtwoord"
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_signing_in_and_out_with_the_keyboard_only(page: Any, service: str) -> None:
    page.goto("/")
    assert page.url == f"{service}/aanmelden"
    assert page.title() == "Aanmelden — Bibob-screening"
    accessible(page, "aanmelden")
    shot(page, "01-aanmelden")

    page.keyboard.press("Tab")
    skip = focus(page)
    assert (skip["tag"], skip["text"]) == ("a", "Naar de inhoud")
    shot(page, "02-aanmelden-skiplink-in-focus", full_page=False)

    sign_in_with_keyboard(page, "permitOfficer-1")
    assert page.url == f"{service}/"
    assert page.title() == "Start — Bibob-screening"
    assert page.get_by_role("heading", level=1).inner_text() == "Welkom"
    assert "U bent aangemeld als vergunningverlener." in page.inner_text("main")
    accessible(page, "start (vergunningverlener)")
    shot(page, "03-start-vergunningverlener")

    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Afmelden")
    shot(page, "04-afmelden-in-focus", full_page=False)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/aanmelden?melding=afgemeld")
    assert "U bent afgemeld." in page.inner_text("main")
    accessible(page, "afgemeld")
    page.goto("/")
    assert page.url == f"{service}/aanmelden"  # the session is over


def test_an_empty_form_gets_an_error_summary_whose_links_lead_to_the_fields(page: Any) -> None:
    page.goto("/aanmelden")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Aanmelden")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title() == "Fout: Aanmelden — Bibob-screening"
    summary = focus(page)
    assert summary["tag"] == "section" and summary["text"].startswith("Er is een probleem")
    accessible(page, "aanmelden met fouten")
    shot(page, "05-aanmelden-fouten")
    link = tab_to(page, lambda f: f["tag"] == "a")
    assert link["text"] == "Vul uw gebruikersnaam in."
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the link moved the starting point to the field: the next Tab lands in it
    assert focus(page)["id"] in ("gebruikersnaam", "wachtwoord")


def test_a_wrong_password_says_only_that_name_or_password_is_wrong(page: Any) -> None:
    page.goto("/aanmelden")
    sign_in_with_keyboard(page, "permitOfficer-1", "niet-het-wachtwoord")
    assert "De gebruikersnaam of het wachtwoord klopt niet." in page.inner_text("main")
    assert page.input_value("#wachtwoord") == ""
    accessible(page, "aanmelden mislukt")


def test_every_role_gets_an_accessible_start_page_with_its_desks(page: Any) -> None:
    for role in Role:
        page.context.clear_cookies()
        page.goto("/aanmelden")
        page.fill("#gebruikersnaam", f"{role.value}-1")
        page.fill("#wachtwoord", PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")
        assert f"U bent aangemeld als {role.label}." in page.inner_text("main"), role
        assert page.locator(".bibob-desk").count() >= 1, role
        accessible(page, f"start ({role.label})")
        if role is Role.SAFETY_ADVISOR:
            shot(page, "06-start-adviseur-veiligheid")


def test_the_start_page_fits_a_tablet_and_prints_without_navigation(page: Any) -> None:
    page.set_viewport_size(TABLET)
    page.goto("/aanmelden")
    sign_in_with_keyboard(page, "mayor-1")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    accessible(page, "start op een tablet")
    shot(page, "07-start-tablet")
    page.emulate_media(media="print")
    assert not page.is_visible("nav") and not page.is_visible("text=Afmelden")
    assert page.is_visible("h1")
    shot(page, "08-start-afdruk")


def test_error_pages_are_dutch_and_accessible(page: Any) -> None:
    page.goto("/bestaat-niet")
    assert page.title() == "Pagina niet gevonden — Bibob-screening"
    accessible(page, "404")
    shot(page, "09-niet-gevonden")
    page.goto("/aanmelden")
    page.evaluate("document.querySelector('input[name=_csrf]').remove()")  # a form from elsewhere has no token
    page.fill("#gebruikersnaam", "permitOfficer-1")
    page.fill("#wachtwoord", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.title() == "Formulier niet geaccepteerd — Bibob-screening"
    accessible(page, "403 formulier niet geaccepteerd")
    shot(page, "10-formulier-niet-geaccepteerd")


def test_htmx_loads_under_the_content_security_policy(page: Any) -> None:
    page.goto("/aanmelden")
    assert page.evaluate("typeof htmx") == "object"  # and the page fixture saw no CSP violation in the console


def test_signing_in_and_reading_work_without_javascript(page_without_javascript: Any, service: str) -> None:
    page = page_without_javascript
    page.goto("/")
    page.fill("#gebruikersnaam", "safetyAdvisor-1")
    page.fill("#wachtwoord", PASSWORD)
    page.press("#wachtwoord", "Enter")
    page.wait_for_url(f"{service}/")
    assert "U bent aangemeld als adviseur veiligheid." in page.inner_text("main")
    page.click("text=Afmelden")
    page.wait_for_url(re.compile(r"melding=afgemeld$"))
