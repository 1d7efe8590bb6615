"""The permit officer's desk in a real browser: sign in with the keyboard, register with mistakes and fix them, find
the application in the worklist with its deadline, open it, see its terms and the steps allowed now, record one; an
application of another officer is "niet gevonden". The worklist's screenshot goes to docs/screenshots/werklijst.png."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
import sqlalchemy as sa

from bibob.policy import load_policy
from bibob.questionnaires import load_catalogue
from service.auth import Principal, Role
from service.store import tables
from service.store.engine import create_engine_for
from service.usecases import Session
from service.usecases.applications import record_event, register_application, store_answers
from service.views.application_requests import new_application
from tests.browser.test_pages import accessible, focus, shot, sign_in_with_keyboard, tab_to
from tests.conftest import ROOT

DEMO = ROOT / "src" / "service" / "demo" / "data"
DOCS = ROOT / "docs" / "screenshots"
OFFICER = Principal("permitOfficer-1", Role.PERMIT_OFFICER)
OTHER = Principal("permitOfficer-2", Role.PERMIT_OFFICER)  # another officer: no account needed to own a file
ANSWERS = ("valid-bv-two-ubos", "valid-eenmanszaak-horeca", "valid-bv-holding-private-loan", "not-yet-answered")
# days since receipt per demo file: a spread of running, due-soon and overdue decision terms
AGES = (3, 70, 20, 61, 45, 52, 54, 60, 75, 95, 40)
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _shifted(value: Any, delta: dt.timedelta) -> Any:
    """Every day in `value` moved by `delta`: the demo's history, told as if it happened lately."""
    if isinstance(value, dict):
        return {key: _shifted(inner, delta) for key, inner in value.items()}
    if isinstance(value, list):
        return [_shifted(inner, delta) for inner in value]
    if isinstance(value, str) and DAY.match(value):
        return (dt.date.fromisoformat(value) + delta).isoformat()
    return value


@pytest.fixture(scope="module")
def seeded(service_database: str) -> list[str]:
    """About ten demo-like applications of the officer (through the use cases, as the API would store them), and
    one of another officer."""
    catalogue, policy, today = load_catalogue(), load_policy(), dt.date.today()
    engine = create_engine_for(service_database)
    made = []
    with engine.begin() as conn:
        now = dt.datetime.now(dt.UTC)
        session, other = Session(conn, OFFICER, "demo", now), Session(conn, OTHER, "demo", now)
        for number, age in enumerate(AGES, start=1):
            document = json.loads((DEMO / "applications" / f"LEU-2026-D{number:02d}.json").read_text("utf-8"))
            document = _shifted(document, today - dt.timedelta(days=age) - dt.date.fromisoformat(document["received"]))
            made.append(_store(session, catalogue, policy, document, ANSWERS[number % len(ANSWERS)]))
        _store(other, catalogue, policy, {**document, "id": "LEU-2026-X99", "events": []}, ANSWERS[1])
    engine.dispose()
    return made


def _owned_by(database: str, user: str) -> int:
    engine = create_engine_for(database)
    with engine.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).where(tables.applications.c.owner == user)).scalar_one()
    engine.dispose()
    return int(count)


def _store(session: Session, catalogue: Any, policy: Any, document: dict[str, Any], answers: str) -> str:
    fields = ("id", "permitType", "legalAct", "track", "received")
    application, questionnaire = new_application({key: document[key] for key in fields}, catalogue, policy)
    stored = register_application(session, application, questionnaire)
    answer_document = json.loads((DEMO / "answers" / f"{answers}.json").read_text("utf-8"))
    stored = store_answers(session, catalogue, stored.id, stored.version, answer_document).application
    for event in document["events"]:
        stored = record_event(session, catalogue, stored.id, stored.version, event)
    return stored.id


def test_an_officer_registers_fixes_finds_opens_and_acts_on_an_application(
    page: Any, service: str, seeded: list[str], service_database: str
) -> None:
    page.goto("/")
    sign_in_with_keyboard(page, "permitOfficer-1")
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Aanvragen")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title() == "Aanvragen — Bibob-screening"
    accessible(page, "werklijst")

    # register with mistakes: each problem at its field and in the summary, nothing stored
    page.goto("/aanvragen/nieuw")
    accessible(page, "aanvraag registreren")
    page.fill("#kenmerk", "LEU/2026/0143")
    page.fill("#ontvangen", "gisteren")
    with page.expect_navigation():
        page.get_by_role("button", name="Aanvraag registreren").click()
    assert page.title() == "Fout: Aanvraag registreren — Bibob-screening"
    summary = page.locator(".bibob-error-summary")
    for field in ("kenmerk", "soort", "ontvangen"):
        assert page.locator(f"#{field}-fout").is_visible()
        assert summary.locator(f'a[href="#{field}"]').count() == 1
    assert page.locator("#kenmerk").get_attribute("aria-invalid") == "true"
    accessible(page, "aanvraag registreren met fouten")
    shot(page, "officer-01-registreren-met-fouten")

    # the summary's link takes the keyboard to the field; fix every problem
    summary.locator('a[href="#soort"]').focus()
    page.keyboard.press("Enter")
    assert focus(page)["id"] == "soort"
    page.select_option("#soort", "exploitatieHoreca")
    page.fill("#kenmerk", "LEU-2026-0143")
    received = dt.date.today() - dt.timedelta(days=50)
    page.fill("#ontvangen", received.strftime("%d-%m-%Y"))
    with page.expect_navigation():
        page.get_by_role("button", name="Aanvraag registreren").click()
    assert page.url == f"{service}/aanvragen/LEU-2026-0143?melding=geregistreerd"
    assert "De aanvraag is geregistreerd." in page.inner_text("main")

    # in the worklist, with its next deadline: the decision term, eight weeks after receipt
    page.goto("/aanvragen?sorteer=nieuw")
    row = page.locator("tr", has=page.locator('a[href="/aanvragen/LEU-2026-0143"]'))
    assert "Beslistermijn" in row.inner_text() and "verloopt binnenkort" in row.inner_text()
    owned = _owned_by(service_database, OFFICER.user)  # other browser tests may give this officer applications too
    assert owned >= len(seeded) + 1
    assert page.locator("caption").inner_text().startswith(f"Uw aanvragen: {owned} aanvragen")

    # open it: the terms with their legal basis, the steps allowed now as buttons, the others with their reasons
    with page.expect_navigation():
        row.locator("a").click()
    assert page.title() == "Aanvraag LEU-2026-0143 — Bibob-screening"
    terms = page.locator("table.bibob-deadlines")
    assert "Beslistermijn" in terms.inner_text() and "Awb 4:13" in terms.inner_text()
    assert page.get_by_role("heading", name="Reguliere toets gestart").is_visible()
    assert page.get_by_text("Andere stappen, en waarom ze in deze stand niet kunnen").is_visible()
    accessible(page, "aanvraag: overzicht")
    shot(page, "officer-02-aanvraag")
    step = page.locator("#stap-regularReviewStarted-formulier")
    with page.expect_navigation():
        step.get_by_role("button").click()
    assert "De stap ‘reguliere toets gestart’ is vastgelegd." in page.inner_text("main")
    assert page.locator(".bibob-facts").inner_text().count("reguliere toets") == 1

    # another officer's application answers as the API does: not found
    response = page.goto("/aanvragen/LEU-2026-X99")
    assert response is not None and response.status == 404
    assert "niet gevonden" in page.inner_text("main")
    accessible(page, "aanvraag van een ander: niet gevonden")


def test_the_worklist_marks_overdue_terms_in_text_searches_by_post_and_reads_on_a_tablet(
    page: Any, seeded: list[str]
) -> None:
    page.goto("/")
    sign_in_with_keyboard(page, "permitOfficer-1")
    page.goto("/aanvragen")
    overdue = page.locator(".bibob-mark--overdue")
    assert overdue.count() >= 1 and overdue.first.inner_text().endswith("termijn verstreken")
    assert page.locator(".bibob-mark--dueSoon").first.inner_text().endswith("verloopt binnenkort")
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / "werklijst.png"), full_page=True)
    shot(page, "officer-03-werklijst")

    page.fill("#zoek", "Gouden Leeuw")
    with page.expect_navigation():
        page.get_by_role("button", name="Zoeken").click()
    assert page.url.endswith("/aanvragen/zoeken") and "Leeuw" not in page.url  # no name in the address
    rows = page.locator("tbody tr")
    assert rows.count() >= 1 and all("De Gouden Leeuw" in rows.nth(i).inner_text() for i in range(rows.count()))
    accessible(page, "werklijst: zoeken")

    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto("/aanvragen")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 768, "the page scrolls sideways on a tablet (the table may, in its own region)"
    accessible(page, "werklijst op een tablet")
    shot(page, "officer-04-werklijst-tablet")
    page.emulate_media(media="print")
    assert not page.locator(".bibob-search").is_visible()
    shot(page, "officer-05-werklijst-print")
