"""The decision desks in a real browser: the Bibob coordinator builds the investigation file (a fact, the
proportionality record with a missing field first, the proposal) and runs the assessment; the mayor sees what the
law still asks, then signs the refusal once it holds; the permit officer sees the redacted assessment and not the
investigation. axe-core on every page visited. The history before the investigation is prepared through the use
cases, as the API would record it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from bibob.policy import load_policy
from bibob.questionnaires import load_catalogue
from bibob.terms import dutch_date
from service.auth import Principal, Role
from service.settings import Settings
from service.store.engine import create_engine_for
from service.usecases.applications import read_application, record_event, register_application, store_answers
from service.usecases.investigations import add_fact
from service.usecases.session import Session
from service.views.application_requests import new_application
from tests.browser.conftest import SCREENSHOTS, TABLET
from tests.browser.test_pages import accessible, focus, shot, sign_in_with_keyboard

ROOT = Path(__file__).parents[2]
SCENARIO = json.loads((ROOT / "tests" / "scenarios" / "s05-serious-refusal-possible.json").read_text())
DOCS = ROOT / "docs" / "screenshots"
IDENTIFIER = "LEU-B-DEC1"
OFFICER = Principal("permitOfficer-1", Role.PERMIT_OFFICER)
COORDINATOR = Principal("bibobCoordinator-1", Role.BIBOB_COORDINATOR)
LEVELS = {"aBenefit": "serious", "bOffences": "serious"}
TO_CONCLUDED = [
    {"type": "regularReviewStarted", "on": "2026-10-02"},
    {"type": "screeningDetermined", "on": "2026-10-03", "screening": "mandatory"},
    {"type": "questionnaireSent", "on": "2026-10-05"},
    {"type": "ownInvestigationStarted", "on": "2026-10-16"},
    {"type": "ownInvestigationConcluded", "on": "2026-10-22", "levels": LEVELS, "motivation": "twee veroordelingen"},
]
TO_EXPIRED = [
    {"type": "intentionSent", "on": "2026-10-23", "kind": "negative", "zienswijzeTerm": {"amount": 14, "unit": "days"}},
    {"type": "zienswijzeTermExpired", "on": "2026-11-09"},
]
RECORD = {
    "ev-seriousness": "Veroordelingen voor witwassen en drugshandel zijn ernstige misdrijven.",
    "ev-numberAndRecency": "Twee feiten in de afgelopen twee jaar.",
    "ev-linkToActivity": "Horeca is gevoelig voor witwassen; er is samenhang met de exploitatie.",
    "ev-relationCurrent": "De betrokkene is nu bestuurder en meerderheidsaandeelhouder.",
    "ev-applicantInterests": "Zonder vergunning kan het eetcafé niet open; de aanvrager heeft geïnvesteerd.",
    "ev-lesserMeansConsidered": "Voorschriften nemen het gevaar van witwassen niet weg.",
}


def _run(database_url: str, principal: Principal, steps: Any) -> Any:
    engine = create_engine_for(database_url)
    try:
        with engine.begin() as conn:
            return steps(Session(conn, principal, "browsertest", dt.datetime.now(dt.UTC)))
    finally:
        engine.dispose()


def prepare(database_url: str) -> None:
    """The s05 horeca application, in own investigation concluded, with the prosecutor's conviction as fact F1."""
    settings = Settings(database_url=database_url)
    catalogue = load_catalogue(settings.questionnaires_dir, settings.selections_dir)
    body = {"id": IDENTIFIER, "permitType": "exploitatieHoreca", "legalAct": "vergunning", "received": "2026-10-01"}
    application, questionnaire = new_application(body, catalogue, load_policy())

    def officer(session: Session) -> None:
        register_application(session, application, questionnaire)
        version = store_answers(session, catalogue, IDENTIFIER, 1, SCENARIO["answers"]).application.version
        for event in TO_CONCLUDED:
            version = record_event(session, catalogue, IDENTIFIER, version, event).version

    _run(database_url, OFFICER, officer)
    cocaine = {key: value for key, value in SCENARIO["facts"][1].items() if key != "id"}
    _run(database_url, COORDINATOR, lambda s: add_fact(s, catalogue, IDENTIFIER, cocaine))


def advance(database_url: str, events: list[dict[str, Any]]) -> None:
    catalogue = load_catalogue()

    def officer(session: Session) -> None:
        version = read_application(session, IDENTIFIER).version
        for event in events:
            version = record_event(session, catalogue, IDENTIFIER, version, event).version

    _run(database_url, OFFICER, officer)


def sign_in_as(page: Any, name: str) -> None:
    page.context.clear_cookies()
    page.goto("/aanmelden")
    sign_in_with_keyboard(page, name)


def snap(page: Any, name: str) -> None:
    """A full-page screenshot from the top (a page opened at a #fragment is scrolled; fixed parts would move)."""
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, name)


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_coordinator_builds_the_file_the_mayor_signs_the_refusal_the_officer_sees_it_redacted(
    page: Any, service: str, service_database: str
) -> None:
    prepare(service_database)
    today = dutch_date(dt.datetime.now(dt.UTC).date())
    investigation = f"/aanvragen/{IDENTIFIER}/onderzoek"

    # the coordinator: start page → worklist → the investigation file
    sign_in_as(page, "bibobCoordinator-1")
    assert page.get_by_role("link", name="Bibob-onderzoeken").get_attribute("href") == "/onderzoeken"
    accessible(page, "start (Bibob-coördinator)")
    with page.expect_navigation():
        page.get_by_role("link", name="Bibob-onderzoeken").click()
    assert page.title() == "Bibob-onderzoeken — Bibob-screening"
    row = page.get_by_role("row").filter(has_text=IDENTIFIER)
    assert "exploitatievergunning horecabedrijf" in row.inner_text()
    assert "exploitatieHoreca" not in page.inner_text("main") and "1 oktober 2026" in row.inner_text()
    accessible(page, "onderzoeken")
    snap(page, "decide-01-onderzoeken")
    with page.expect_navigation():
        row.get_by_role("link", name=IDENTIFIER, exact=True).click()
    assert page.url == f"{service}{investigation}"
    first = page.get_by_role("row").filter(has_text="handel in cocaïne (Opiumwet)").inner_text()
    assert "Pieter Jan Bakker" in first and "Openbaar Ministerie, 20 oktober 2026" in first
    accessible(page, "onderzoek")

    # a fact of the own investigation, with its source and date
    page.get_by_text("Feit toevoegen", exact=True).click()
    page.select_option("#feit-soort", "antecedent")
    page.select_option("#feit-bron", "justid")
    page.fill("#feit-datum", "2026-10-20")
    page.select_option("#feit-betrokkene", "/answers/1F.bestuurders/0")
    page.fill("#feit-omschrijving", "witwassen")
    page.fill("#feit-jaar", "2025")
    page.select_option("#feit-status", "conviction")
    page.check("#feit-samenhang")
    page.check("#feit-financieel")
    accessible(page, "onderzoek, feit toevoegen")
    with page.expect_navigation():
        page.get_by_role("button", name="Feit vastleggen").click()
    facts = page.inner_text("section[aria-labelledby=feiten]")
    assert "witwassen" in facts and "Justid" in facts and "20 oktober 2026" in facts and "Pieter Jan Bakker" in facts

    # the proportionality record: a consideration left out is named in the summary and at the field
    for field, value in RECORD.items():
        if field != "ev-applicantInterests":
            page.fill(f"#{field}", value)
    with page.expect_navigation():
        page.get_by_role("button", name="Evenredigheidsverslag vastleggen").click()
    assert page.title() == f"Fout: Bibob-onderzoek {IDENTIFIER} — Bibob-screening"
    summary = focus(page)
    assert summary["tag"] == "section" and summary["text"].startswith("Er is een probleem")
    link = page.locator(".bibob-error-summary a")
    assert link.count() == 1 and link.get_attribute("href") == "#ev-applicantInterests"
    assert link.inner_text() == "Vul in: de belangen van de aanvrager."
    assert page.get_attribute("#ev-applicantInterests", "aria-invalid") == "true"
    assert "de belangen van de aanvrager" in page.inner_text("#ev-applicantInterests-fout")
    assert page.input_value("#ev-seriousness") == RECORD["ev-seriousness"]  # what was typed is kept
    accessible(page, "onderzoek, verslag met fout")
    snap(page, "decide-02-evenredigheid-fout")
    link.click()
    assert page.evaluate("document.activeElement.id") == "ev-applicantInterests"
    page.keyboard.type(RECORD["ev-applicantInterests"])
    with page.expect_navigation():
        page.get_by_role("button", name="Evenredigheidsverslag vastleggen").click()
    assert f"Vastgelegd door bibobCoordinator-1 op {today}." in page.inner_text("#inhoud")

    # the decision proposal for the mayor
    page.select_option("#voorstel-uitkomst", "refusedBibob")
    page.check("#voorstel-grond-aBenefit")
    page.select_option("#voorstel-niveau-aBenefit", "serious")
    page.select_option("#voorstel-niveau-bOffences", "serious")
    page.fill("#voorstel-motivering", "Ernstig gevaar dat de vergunning wordt gebruikt om crimineel geld te benutten.")
    page.select_option("#voorstel-thema", "hospitality")
    with page.expect_navigation():
        page.get_by_role("button", name="Voorstel vastleggen").click()
    proposal = page.inner_text("section[aria-labelledby=voorstel]")
    assert "Het voorstel ligt bij de burgemeester" in proposal and "zienswijze" in proposal.lower()
    accessible(page, "onderzoek met verslag en voorstel")
    snap(page, "decide-03-onderzoek")

    # the assessment with the file's facts and record
    with page.expect_navigation():
        page.locator(".bibob-breadcrumb").get_by_role("link", name="Beoordeling").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Beoordeling maken").click()
    main = page.inner_text("main")
    assert "Feit F2 uit het eigen onderzoek — bron: Justid (justitiële documentatie), 20 oktober 2026" in main
    assert "ernstig gevaar" in page.inner_text(".bibob-level--serious >> nth=0")
    assert "/answers/" not in main.lower() and "/modules/" not in main.lower()
    for wire in ("aBenefit", "serious", "refusedBibob", "exploitatieHoreca", "justid"):
        assert wire not in main, wire
    accessible(page, "beoordeling (coördinator)")
    snap(page, "decide-04-beoordeling")
    DOCS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(DOCS / "beoordeling.png"), full_page=True)
    page.emulate_media(media="print")
    assert not page.is_visible("nav") and not page.is_visible("#beoordelen") and page.is_visible("h1")
    page.emulate_media(media="screen")
    page.set_viewport_size(TABLET)
    assert fits(page)
    accessible(page, "beoordeling op een tablet")
    snap(page, "decide-05-beoordeling-tablet")

    # the mayor: what the law still asks, then the signature once it holds
    sign_in_as(page, "mayor-1")
    assert page.get_by_role("link", name="Besluiten").last.get_attribute("href") == "/besluiten"
    with page.expect_navigation():
        page.locator(".bibob-desk").get_by_role("link", name="Besluiten").click()
    row = page.get_by_role("row").filter(has_text=IDENTIFIER)
    assert "weigeren (Wet Bibob)" in row.inner_text().lower() or "weiger" in row.inner_text().lower()
    assert "Nog niet" in row.inner_text()
    accessible(page, "besluiten")
    snap(page, "decide-06-besluiten")
    with page.expect_navigation():
        row.get_by_role("link", name=IDENTIFIER, exact=True).click()
    warning = page.inner_text("section[aria-labelledby=ondertekenen-titel]")
    assert "kan nu nog niet worden vastgelegd" in warning and "zienswijze" in warning.lower()
    assert "Twee feiten in de afgelopen twee jaar." in page.inner_text("main")
    accessible(page, "besluit, voorwaarden niet vervuld")
    snap(page, "decide-07-besluit-nog-niet")
    advance(service_database, TO_EXPIRED)
    page.reload()
    assert "Aan de wettelijke voorwaarden is voldaan" in page.inner_text("main")
    with page.expect_navigation():
        page.get_by_role("button", name="Besluit ondertekenen").click()
    done = page.inner_text("[role=status]")
    assert f"Het besluit is vastgelegd op naam van mayor-1 op {today}" in done and "geweigerd" in done.lower()
    assert page.get_by_role("button", name="Besluit ondertekenen").count() == 0
    accessible(page, "besluit ondertekend")
    snap(page, "decide-08-besluit-ondertekend")
    page.emulate_media(media="print")
    assert not page.is_visible("nav") and not page.is_visible("text=Afmelden") and page.is_visible("h1")
    snap(page, "decide-09-besluit-afdruk")
    page.emulate_media(media="screen")
    page.goto("/besluiten")
    assert IDENTIFIER not in page.inner_text("main")
    accessible(page, "besluiten leeg")

    # the permit officer: the assessment without closed sources, and no investigation file
    sign_in_as(page, "permitOfficer-1")
    page.goto(f"/aanvragen/{IDENTIFIER}/beoordeling")
    main = page.inner_text("main")
    assert "Er is informatie uit gesloten bronnen" in main
    assert "witwassen" not in main and "Justid" not in main and "cocaïne" not in main
    assert "Gesloten bron: niet zichtbaar voor uw rol" in main and "[bron: ]" not in main
    accessible(page, "beoordeling (vergunningverlener)")
    snap(page, "decide-10-beoordeling-vergunningverlener")
    response = page.goto(investigation)
    assert response is not None and response.status == 404
    assert page.title() == "Pagina niet gevonden — Bibob-screening" and "niet gevonden" in page.inner_text("main")
    assert "Pieter Jan Bakker" not in page.content()
    accessible(page, "onderzoek niet gevonden (vergunningverlener)")
    assert (SCREENSHOTS / "decide-04-beoordeling.png").exists()
