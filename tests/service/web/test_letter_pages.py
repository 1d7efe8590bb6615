"""The 'Brieven' page on the demo refusal: what applies, a preview, making a letter, downloading it, bad input."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from service.app import create_app
from service.auth import Role
from service.demo import REFUSAL, load_demo
from service.settings import Settings
from service.store import accounts
from service.store.engine import create_engine_for
from service.store.migrate import migrate
from tests.service.web.conftest import PASSWORD, Client, form_token, sign_in

PAGE = f"/aanvragen/{REFUSAL}/brieven"


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('brieven') / 'bibob.sqlite3'}"
    migrate(url)
    engine = create_engine_for(url)
    load_demo(engine)
    hasher = accounts._HASHER
    accounts._HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    try:
        with engine.begin() as conn:
            accounts.create_user(conn, "coordinator-1", Role.BIBOB_COORDINATOR, PASSWORD)
            accounts.create_user(conn, "vv-1", Role.PERMIT_OFFICER, PASSWORD)
    finally:
        accounts._HASHER = hasher
    engine.dispose()
    return url


@pytest.fixture
def web(demo_url: str) -> Iterator[Client]:
    with Client(create_app(Settings(database_url=demo_url))) as client:
        yield client


def test_the_letters_page_offers_the_refusal_previews_it_and_makes_it_for_download(web: Client) -> None:
    sign_in(web, "coordinator-1")
    page = web.get(PAGE)
    assert page.status_code == 200
    assert "Besluit: weigering" in page.text and "Er zijn nog geen brieven gemaakt." in page.text
    shown = web.get(f"{PAGE}?voorbeeld=decisionRefusal")
    assert "Voorbeeld van de brief" in shown.text and "uiterlijk op 24 augustus 2026" in shown.text
    assert "Evenredigheid" in shown.text
    made = web.post(PAGE, data={"_csrf": form_token(page.text), "soort": "decisionRefusal", "advies": "ja"},
                    follow_redirects=False)  # fmt: skip
    assert made.status_code == 303
    listed = web.get(made.headers["location"])
    assert "is gemaakt en bij de aanvraag bewaard" in listed.text
    assert "/brieven/" in listed.text and "door coordinator-1" in listed.text
    link = listed.text.split(f'href="{PAGE}/')[1].split('"')[0]
    pdf = web.get(f"{PAGE}/{link}".replace("/docx", "/pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_an_unknown_letter_is_named_on_the_page_and_nothing_is_made(web: Client) -> None:
    sign_in(web, "coordinator-1")
    page = web.get(PAGE)
    before = page.text.count("door coordinator-1")
    response = web.post(PAGE, data={"_csrf": form_token(page.text), "soort": "brief"})
    assert response.status_code == 400
    assert "Er is een probleem" in response.text and "Onbekende brief" in response.text
    assert web.get(PAGE).text.count("door coordinator-1") == before


def test_a_permit_officer_who_does_not_own_the_file_gets_not_found(web: Client) -> None:
    sign_in(web, "vv-1")
    assert web.get(PAGE).status_code == 404
    assert web.get(f"{PAGE}?voorbeeld=decisionRefusal").status_code == 404


def test_the_coordinator_downloads_the_dossier_leaving_out_what_was_chosen_with_its_reason(web: Client) -> None:
    sign_in(web, "coordinator-1")
    page = web.get(PAGE)
    assert "Dossier voor bezwaar of beroep" in page.text
    token = form_token(page.text)
    refused = web.post(f"/aanvragen/{REFUSAL}/dossier", data={"_csrf": token, "ontvanger": "court",
                                                              "weglaten-answers": "ja"})  # fmt: skip
    assert refused.status_code == 400 and "Geef de reden om stukken weg te laten" in refused.text
    data = {"_csrf": token, "ontvanger": "court", "weglaten-assessment-coordinator": "ja", "reden": "art. 28"}
    response = web.post(f"/aanvragen/{REFUSAL}/dossier", data=data)
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as zipped:
        index = json.loads(zipped.read("00-inventarislijst.json"))
    left_out = {d["code"] for d in index["documents"] if d["omittedBecause"]}
    assert left_out and all(code.startswith("assessment-coordinator") for code in left_out)


def test_a_permit_officer_outside_the_file_cannot_export_its_dossier(web: Client) -> None:
    sign_in(web, "vv-1")
    token = form_token(web.get("/aanvragen").text)
    response = web.post(f"/aanvragen/{REFUSAL}/dossier", data={"_csrf": token, "ontvanger": "court"})
    assert response.status_code == 404
