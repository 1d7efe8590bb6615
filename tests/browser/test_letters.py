"""The 'Brieven' page in a real browser: reached from the application with the keyboard, a preview of the intention
with the secrecy warning, made and listed for download; axe-core finds nothing serious. Screenshot:
docs/screenshots/brieven.png."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from bibob.policy import load_policy
from bibob.questionnaires import load_catalogue
from service.auth import Principal, Role
from service.store.engine import create_engine_for
from service.usecases import Session
from service.usecases.applications import record_event, register_application, store_answers
from service.usecases.assessments import RegisterCheck, assess_application
from service.views.application_requests import ASSESSMENT_FIELDS, new_application
from tests.browser.test_pages import accessible, shot, sign_in_with_keyboard, tab_to
from tests.conftest import ROOT

DEMO = ROOT / "src" / "service" / "demo" / "data"
COORDINATOR = Principal("bibobCoordinator-1", Role.BIBOB_COORDINATOR)
IDENTIFIER = "LEU-2026-B11"


@pytest.fixture(scope="module")
def seeded(service_database: str) -> str:
    """Demo application D11 (intention sent after the LBB advice) with the refusal's answers and assessment."""
    catalogue, policy = load_catalogue(), load_policy()
    document = json.loads((DEMO / "applications" / "LEU-2026-D11.json").read_text("utf-8"))
    request = json.loads((DEMO / "requests" / "s05-serious-refusal-possible.json").read_text("utf-8"))
    engine = create_engine_for(service_database)
    with engine.begin() as conn:
        session = Session(conn, COORDINATOR, "browsertest brieven", dt.datetime(2026, 7, 1, 10, tzinfo=dt.UTC))
        fields = {key: document[key] for key in ("permitType", "legalAct", "track", "received")}
        application, questionnaire = new_application({**fields, "id": IDENTIFIER}, catalogue, policy)
        stored = register_application(session, application, questionnaire)
        stored = store_answers(session, catalogue, stored.id, stored.version, request["answers"]).application
        for event in document["events"]:
            stored = record_event(session, catalogue, stored.id, stored.version, event)
        body = {key: value for key, value in request.items() if key in ASSESSMENT_FIELDS}
        assess_application(session, catalogue, policy, stored.id, body, RegisterCheck())
    engine.dispose()
    return IDENTIFIER


def test_the_coordinator_previews_and_makes_the_intention_with_the_keyboard(page: Any, seeded: str) -> None:
    page.goto("/aanmelden")
    sign_in_with_keyboard(page, "bibobCoordinator-1")
    page.goto(f"/aanvragen/{seeded}")
    tab_to(page, lambda f: f["text"] == "Brieven", limit=40)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/aanvragen/{seeded}/brieven")
    accessible(page, "brieven")
    tab_to(page, lambda f: f["text"] == "Voorbeeld bekijken", limit=40)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    preview = page.locator("article.bibob-letter")
    assert "Uw zienswijze" in preview.inner_text() and "Evenredigheid" in preview.inner_text()
    accessible(page, "brieven-voorbeeld")
    page.check("#advies-intention")
    with page.expect_navigation():
        page.click("#maak-intention")
    assert "is gemaakt en bij de aanvraag bewaard" in page.inner_text("main")
    assert page.locator("a", has_text="PDF").count() == 1
    accessible(page, "brieven-gemaakt")
    shot(page, "brieven")
    page.screenshot(path=str(ROOT / "docs" / "screenshots" / "brieven.png"), full_page=True)
