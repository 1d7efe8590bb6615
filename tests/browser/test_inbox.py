"""The safety advisor's desk in a real browser: sign in with the keyboard, register a phone signal with a mistake
then fixed, find it marked new in the inbox, weigh it. axe-core on every page visited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.test_pages import accessible, shot, sign_in_with_keyboard, tab_to

DOCS = Path(__file__).parents[2] / "docs" / "screenshots"


def test_the_advisor_registers_a_phone_signal_finds_it_new_and_weighs_it(page: Any, service: str) -> None:
    page.goto("/")
    sign_in_with_keyboard(page, "safetyAdvisor-1")
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Meldingen")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title() == "Meldingen — Bibob-screening"
    accessible(page, "meldingen")

    page.goto("/meldingen/nieuw")
    accessible(page, "melding registreren")
    page.select_option("#bron", "resident")
    page.select_option("#thema", "drugs")
    page.fill("#tekst", "Veel bezoek 's nachts, ramen afgeplakt, sterke geur.")
    page.fill("#straat", "Hamersveldseweg")
    page.fill("#huisnummer", "twaalf")  # the mistake
    with page.expect_navigation():
        page.get_by_role("button", name="Melding registreren").click()
    assert page.title().startswith("Fout: Melding registreren")
    assert page.locator("#huisnummer-fout").is_visible()
    assert page.locator('.bibob-error-summary a[href="#huisnummer"]').count() == 1
    accessible(page, "melding registreren met een fout")
    page.fill("#huisnummer", "12")
    with page.expect_navigation():
        page.get_by_role("button", name="Melding registreren").click()
    assert page.title().startswith("Melding ")
    signal_id = page.url.split("/meldingen/")[1].split("?")[0]
    accessible(page, "melding")

    page.goto("/meldingen?stand=received")
    row = page.locator("tr", has=page.locator(f'a[href="/meldingen/{signal_id}"]'))
    assert "nieuw" in row.inner_text()
    accessible(page, "meldingen: nieuw")
    page.screenshot(path=str(DOCS / "meldingen.png"), full_page=True)
    shot(page, "advisor-01-meldingen")

    with page.expect_navigation():
        row.locator("a").first.click()
    page.fill("#undermining-reason", "Past in het patroon van hennepteelt in de wijk.")
    with page.expect_navigation():
        page.locator("#stap-undermining-formulier button").click()
    assert "is vastgelegd" in page.locator("[role=status]").inner_text()
    assert page.locator('input[name="versie"]').first.get_attribute("value") == "2"
    accessible(page, "melding gewogen")
    shot(page, "advisor-02-melding-gewogen", full_page=True)
