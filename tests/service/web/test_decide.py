"""The assessment page, the coordinator's investigation desk and the mayor's signature, through the test client.

The application's history is prepared through the use cases (as the API would); the pages are then driven as each
role: the coordinator adds a fact and a proportionality record (a missing field first), writes the proposal; the
mayor sees what is unmet before the click and the lifecycle's reason after it, then signs once it holds.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bibob.policy import load_policy
from bibob.questionnaires import load_catalogue
from service.app import create_app
from service.auth import Principal, Role
from service.settings import Settings
from service.store import accounts
from service.store.engine import create_engine_for
from service.store.tables import applications, investigations
from service.usecases.applications import record_event, register_application, store_answers
from service.usecases.session import Session
from service.views.application_requests import new_application
from tests.service.web.conftest import PASSWORD, Client, form_token, sign_in

SCENARIO = json.loads((Path(__file__).parents[2] / "scenarios" / "s05-serious-refusal-possible.json").read_text())
NOW = dt.datetime(2026, 11, 12, 9, 0, tzinfo=dt.UTC)
OFFICER = Principal("vv-1", Role.PERMIT_OFFICER)
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
    "ev-linkToActivity": "Horeca is gevoelig voor witwassen; er is samenhang.",
    "ev-relationCurrent": "De betrokkene is nu bestuurder.",
    "ev-applicantInterests": "Zonder vergunning kan de zaak niet open.",
    "ev-lesserMeansConsidered": "Voorschriften nemen het gevaar niet weg.",
}


@pytest.fixture(scope="module")
def people(database_url: str) -> None:
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        accounts.create_user(conn, "coordinator-1", Role.BIBOB_COORDINATOR, PASSWORD)
        accounts.create_user(conn, "burgemeester-1", Role.MAYOR, PASSWORD)
    engine.dispose()


@pytest.fixture(scope="module")
def decide_client(database_url: str, people: None) -> Iterator[Client]:
    with Client(create_app(Settings(database_url=database_url), clock=lambda: NOW)) as client:
        yield client


@pytest.fixture
def web(decide_client: Client) -> Iterator[Client]:
    decide_client.cookies.clear()
    yield decide_client
    decide_client.cookies.clear()


def prepared(database_url: str, identifier: str, events: list[dict[str, Any]]) -> None:
    """A horeca application with the scenario's answers, taken through `events` by the permit officer."""
    settings = Settings(database_url=database_url)
    catalogue = load_catalogue(settings.questionnaires_dir, settings.selections_dir)
    body = {"id": identifier, "permitType": "exploitatieHoreca", "legalAct": "vergunning", "received": "2026-10-01"}
    application, questionnaire = new_application(body, catalogue, load_policy())
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        session = Session(conn, OFFICER, "test", NOW)
        register_application(session, application, questionnaire)
        version = store_answers(session, catalogue, identifier, 1, SCENARIO["answers"]).application.version
        for event in events:
            version = record_event(session, catalogue, identifier, version, event).version
    engine.dispose()


def advance(database_url: str, identifier: str, events: list[dict[str, Any]]) -> None:
    catalogue = load_catalogue()
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        session = Session(conn, OFFICER, "test", NOW)
        version = conn.execute(sa.select(applications.c.version).where(applications.c.id == identifier)).scalar_one()
        for event in events:
            version = record_event(session, catalogue, identifier, version, event).version
    engine.dispose()


def files(database_url: str, identifier: str) -> int:
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        count = conn.execute(
            sa.select(sa.func.count()).select_from(investigations).where(investigations.c.application_id == identifier)
        ).scalar_one()
    engine.dispose()
    return int(count)


def post(client: Client, url: str, data: dict[str, Any], page: str) -> Any:
    token = form_token(client.get(page).text)
    return client.post(url, data={"_csrf": token, **data}, follow_redirects=False)


def test_the_coordinator_builds_the_file_and_the_mayor_signs_a_refusal_once_the_law_allows_it(
    web: Client, database_url: str
) -> None:
    identifier = "LEU-T-DEC1"
    prepared(database_url, identifier, TO_CONCLUDED)
    sign_in(web, "coordinator-1")
    page = f"/aanvragen/{identifier}/onderzoek"
    assert web.get(page).status_code == 200
    worklist = web.get("/onderzoeken").text
    assert identifier in worklist and "exploitatievergunning horecabedrijf" in worklist and "1 oktober 2026" in worklist
    assert "exploitatieHoreca" not in worklist

    bad = post(
        web, f"{page}/feiten", {"feit-soort": "antecedent", "feit-bron": "justid", "feit-datum": "2026-10-20"}, page
    )
    assert bad.status_code == 400 and "Er is een probleem" in bad.text
    assert (
        'href="#feit-omschrijving"' in bad.text
        and 'href="#feit-jaar"' in bad.text
        and 'href="#feit-status"' in bad.text
    )
    future = {"feit-soort": "note", "feit-bron": "openSources", "feit-datum": "2026-12-01", "feit-omschrijving": "x"}
    assert post(web, f"{page}/feiten", future, page).status_code == 400
    assert files(database_url, identifier) == 0
    fact = {
        "feit-soort": "antecedent", "feit-bron": "justid", "feit-datum": "2026-10-20", "feit-omschrijving": "witwassen",
        "feit-jaar": "2025", "feit-status": "conviction", "feit-samenhang": "ja", "feit-financieel": "ja",
        "feit-betrokkene": "/answers/1F.bestuurders/0",
    }  # fmt: skip
    assert post(web, f"{page}/feiten", fact, page).status_code == 303
    shown = web.get(page).text
    assert "witwassen" in shown and "Justid" in shown and "20 oktober 2026" in shown and "Pieter Jan Bakker" in shown

    partial = {**RECORD, "ev-applicantInterests": "  "}
    missing = post(web, f"{page}/evenredigheid", partial, page)
    assert missing.status_code == 400 and 'href="#ev-applicantInterests"' in missing.text
    assert "de belangen van de aanvrager" in missing.text.lower()
    assert files(database_url, identifier) == 1
    assert post(web, f"{page}/evenredigheid", RECORD, page).status_code == 303
    assert "Vastgelegd door coordinator-1 op 12 november 2026" in web.get(page).text

    bad_proposal = post(web, f"{page}/voorstel", {"voorstel-uitkomst": "maybe"}, page)
    assert bad_proposal.status_code == 400 and files(database_url, identifier) == 2
    proposal = {
        "voorstel-uitkomst": "refusedBibob", "voorstel-grond-aBenefit": "ja", "voorstel-niveau-aBenefit": "serious",
        "voorstel-niveau-bOffences": "serious", "voorstel-motivering": "Ernstig gevaar op grond a.",
        "voorstel-thema": "hospitality",
    }  # fmt: skip
    assert post(web, f"{page}/voorstel", proposal, page).status_code == 303

    assessed = post(web, f"/aanvragen/{identifier}/beoordeling", {}, f"/aanvragen/{identifier}/beoordeling")
    assert assessed.status_code == 303
    full = web.get(f"/aanvragen/{identifier}/beoordeling").text
    assert "Strafrechtelijke antecedenten" in full and "Feit F1 uit het eigen onderzoek — bron: Justid" in full
    assert "Vraag 4E.schulden" in full or "vraag 4E.schulden" in full  # an answer's pointer read as its question
    assert "/answers/" not in full.lower() and "(Pieter Jan Bakker)" in full  # a person by name, not by pointer
    assert 'class="bibob-level bibob-level--serious"' in full and "ernstig gevaar" in full
    assert ("ernstig gevaar" in full and "Weigering" in full) or "weigering" in full

    web.cookies.clear()
    sign_in(web, "burgemeester-1")
    assert identifier in web.get("/besluiten").text
    told = web.get("/notificaties").text  # the proposal rang the mayor's bell, naming only the application
    assert f"Besluitvoorstel voor aanvraag {identifier} wacht op uw ondertekening" in told
    assert f'href="/besluiten/{identifier}"' in told and "Bakker" not in told
    before = web.get(f"/besluiten/{identifier}").text
    assert "kan nu nog niet worden vastgelegd" in before and "zienswijze" in before.lower()
    assert "Ernstig gevaar op grond a." in before and "Twee feiten in de afgelopen twee jaar." in before
    version = conn_version(database_url, identifier)
    refused = post(web, f"/besluiten/{identifier}", {"versie": str(version)}, f"/besluiten/{identifier}")
    assert refused.status_code == 409 and "Het besluit is niet vastgelegd" in refused.text
    assert "zienswijze" in refused.text.lower() and conn_version(database_url, identifier) == version

    advance(database_url, identifier, TO_EXPIRED)
    ready = web.get(f"/besluiten/{identifier}").text
    assert "Aan de wettelijke voorwaarden is voldaan" in ready
    signed = post(web, f"/besluiten/{identifier}", {"versie": str(version + 2)}, f"/besluiten/{identifier}")
    assert signed.status_code == 303, signed.text
    after = web.get(signed.headers["location"]).text
    assert "op naam van burgemeester-1" in after
    assert identifier not in web.get("/besluiten").text
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        history = conn.execute(sa.select(applications.c.history).where(applications.c.id == identifier)).scalar_one()
    engine.dispose()
    assert history[-1]["type"] == "decisionRecorded" and history[-1]["decidedBy"] == "burgemeester-1"
    assert history[-1]["proportionality"]["recordedBy"] == "coordinator-1"

    web.cookies.clear()
    sign_in(web, "vv-1")
    redacted = web.get(f"/aanvragen/{identifier}/beoordeling")
    assert redacted.status_code == 200 and "Er is informatie uit gesloten bronnen" in redacted.text
    assert "witwassen" not in redacted.text and "Justid" not in redacted.text
    assert "[bron: ]" not in redacted.text and "Gesloten bron: niet zichtbaar voor uw rol" in redacted.text
    for hidden in (f"/aanvragen/{identifier}/onderzoek", "/onderzoeken", f"/besluiten/{identifier}"):
        response = web.get(hidden)
        assert response.status_code == 404 and "niet gevonden" in response.text.lower(), hidden
    token = form_token(web.get(f"/aanvragen/{identifier}/beoordeling").text)
    sneaky = web.post(
        f"/aanvragen/{identifier}/onderzoek/feiten", data={"_csrf": token, **fact}, follow_redirects=False
    )
    assert sneaky.status_code == 404 and files(database_url, identifier) == 3  # fact, record, proposal


def conn_version(database_url: str, identifier: str) -> int:
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        version = conn.execute(sa.select(applications.c.version).where(applications.c.id == identifier)).scalar_one()
    engine.dispose()
    return int(version)
