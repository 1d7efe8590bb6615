"""The Bibob register and tips in a real browser (issue 14 item 9): the Bibob coordinator records a consultation of
the register with a hit (first with mistakes, each named at its field), the hit as the screening's trigger, and a tip
to another body, all on the application's overview; axe-core finds nothing on every state. The overview's
screenshot goes to docs/screenshots/bibob-register.png."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bibob.policy import load_policy
from bibob.questionnaires import load_catalogue
from service.auth import Principal, Role
from service.store.engine import create_engine_for
from service.usecases import Session
from service.usecases.applications import register_application
from service.views.application_requests import new_application
from tests.browser.test_pages import accessible, focus, shot, sign_in_with_keyboard
from tests.conftest import ROOT

DOCS = ROOT / "docs" / "screenshots"
OFFICER = Principal("permitOfficer-1", Role.PERMIT_OFFICER)
IDENTIFIER = "LEU-2026-R01"


@pytest.fixture(scope="module")
def received(service_database: str) -> str:
    """An application of permit officer 1, received three weeks ago (through the use case, as the API stores it)."""
    catalogue, policy = load_catalogue(), load_policy()
    day = dt.date.today() - dt.timedelta(days=21)
    fields = {"id": IDENTIFIER, "permitType": "exploitatieHoreca", "legalAct": "vergunning", "track": "application",
              "received": day.isoformat()}  # fmt: skip
    engine = create_engine_for(service_database)
    with engine.begin() as conn:
        application, questionnaire = new_application(fields, catalogue, policy)
        register_application(Session(conn, OFFICER, "demo", dt.datetime.now(dt.UTC)), application, questionnaire)
    engine.dispose()
    return IDENTIFIER


def _record(page: Any, kind: str) -> None:
    with page.expect_navigation():
        page.locator(f"#stap-{kind}-formulier").get_by_role("button", name="Vastleggen").click()


def test_the_coordinator_records_a_register_hit_the_trigger_and_a_tip_on_the_overview(
    page: Any, service: str, received: str
) -> None:
    page.goto("/")
    sign_in_with_keyboard(page, "bibobCoordinator-1")
    page.goto(f"/aanvragen/{received}")
    assert "via de API" not in page.inner_text("main")
    consult = page.locator("#stap-registerConsulted-formulier")
    assert consult.get_by_role("heading", name="Bibob-register geraadpleegd").is_visible()
    accessible(page, "aanvraag: stappen voor het Bibob-register")

    # a consultation with its mistakes: no subjects, no answer on the hit, the name wiped
    page.fill("#registerConsulted-consultedBy", "")
    _record(page, "registerConsulted")
    assert page.title().startswith("Fout: Aanvraag")
    summary = page.locator(".bibob-error-summary")
    for field in ("consultedBy", "subjects", "hit"):
        assert page.locator(f"#registerConsulted-{field}-fout").is_visible()
        assert summary.locator(f'a[href="#registerConsulted-{field}"]').count() == 1
    assert page.locator("#registerConsulted-subjects").get_attribute("aria-invalid") == "true"
    accessible(page, "raadpleging Bibob-register met fouten")
    shot(page, "register-01-raadpleging-met-fouten")

    # the summary's link takes the keyboard to the field; fix every problem with the keyboard
    summary.locator('a[href="#registerConsulted-subjects"]').focus()
    page.keyboard.press("Enter")
    assert focus(page)["id"] == "registerConsulted-subjects"
    page.keyboard.type("Johanna Maria Verbeek")
    page.keyboard.press("Enter")
    page.keyboard.type("Eetcafé De Gouden Leeuw (KvK 23456789)")
    page.fill("#registerConsulted-consultedBy", "A. Jansen, Bibob-coördinator")
    page.locator("#registerConsulted-hit-ja").focus()
    page.keyboard.press("Space")
    assert page.locator("#registerConsulted-hit-ja").is_checked()
    _record(page, "registerConsulted")
    assert "De stap ‘Bibob-register geraadpleegd’ is vastgelegd." in page.inner_text("main")
    history = page.locator(".bibob-history")
    assert "Bibob-register geraadpleegd (met treffer)" in history.inner_text()

    # the hit as the screening's trigger, chosen from the nine types in Dutch
    options = page.locator("#screeningTriggered-trigger option").all_inner_texts()
    assert options[0] == "Kies de aanleiding" and len(options) == 10
    assert "Treffer in het Bibob-register" in options and "Tip van het Landelijk Bureau Bibob" in options
    page.select_option("#screeningTriggered-trigger", "registerHit")
    _record(page, "screeningTriggered")
    assert "aanleiding voor de Bibob-toets vastgelegd (treffer in het Bibob-register)" in history.inner_text()

    # a tip to another body: its recipient, and it is on record
    page.fill("#tipSent-recipient", "Gemeente Amersfoort")
    page.fill("#tipSent-purpose", "aanleiding voor een eigen Bibob-onderzoek naar de exploitant")
    _record(page, "tipSent")
    assert "De stap ‘tip verstuurd aan een ander bestuursorgaan’ is vastgelegd." in page.inner_text("main")
    assert "tip verstuurd aan een ander bestuursorgaan (aan Gemeente Amersfoort)" in history.inner_text()
    accessible(page, "aanvraag na raadpleging, aanleiding en tip")
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / "bibob-register.png"), full_page=True)
    shot(page, "register-02-vastgelegd")
