"""The questionnaire form in a real browser: a permit officer enters answers with mistakes, sees each problem at its
question and in the summary (whose links move the focus to the field), repairs them and sees the completeness; a
routing condition shows and hides questions with and without JavaScript; an answer file is uploaded."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from bibob.policy import load_policy
from bibob.questionnaires import load_catalogue
from service.auth import Principal, Role
from service.store.engine import create_engine_for
from service.usecases import Session
from service.usecases.applications import register_application, store_answers
from service.views.application_requests import new_application
from tests.browser import axe
from tests.browser.conftest import PASSWORD, SCREENSHOTS
from tests.conftest import DATA, ROOT

OFFICER = Principal("permitOfficer-1", Role.PERMIT_OFFICER)
SOLE_TRADER = json.loads((DATA / "answers" / "valid-eenmanszaak-horeca.json").read_text("utf-8"))
NEW = {"permitType": "exploitatieHoreca", "legalAct": "vergunning", "received": "2026-10-01",
       "questionnaireId": "bibob-overige-beschikkingen"}  # fmt: skip
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture(scope="module")
def database(service: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The service's own SQLite file (the fixture makes it under the session's temporary folder 'browser…')."""
    found = sorted({path.resolve() for path in tmp_path_factory.getbasetemp().glob("browser*/bibob.sqlite3")})
    assert len(found) == 1, found
    return f"sqlite:///{found[0]}"


NUMBERS = iter(range(1, 100))


def application(database: str, answers: Any = None) -> str:
    """A new application of permitOfficer-1 (LEU-2026-Fnn), registered (and answered) through the use cases."""
    catalogue = load_catalogue()
    engine = create_engine_for(database)
    with engine.begin() as conn:
        session = Session(conn, OFFICER, "browsertoets", dt.datetime.now(dt.UTC))
        fields = NEW | {"id": f"LEU-2026-F{next(NUMBERS):02d}"}
        created, questionnaire = new_application(fields, catalogue, load_policy())
        stored = register_application(session, created, questionnaire)
        if answers is not None:
            store_answers(session, catalogue, stored.id, 1, answers)
    engine.dispose()
    return stored.id


def sign_in(page: Any) -> None:
    page.goto("/aanmelden")
    page.fill("#gebruikersnaam", OFFICER.user)
    page.fill("#wachtwoord", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit] >> text=Aanmelden")


def by_id(page: Any, element_id: str) -> Any:
    return page.locator(f'[id="{element_id}"]')


def shot(page: Any, name: str, *, docs: bool = False, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    if docs:
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_SCREENSHOTS / f"{name}.png")


MONEY = "v-answers-2C.bezittingen-0-waardeNu"
BORN = "v-answers-1B.persoon-dateOfBirth"
DESCRIPTION = "v-answers-1A-omschrijving"


def test_an_officer_enters_answers_with_mistakes_repairs_them_and_sees_the_completeness(
    page: Any, database: str
) -> None:
    identifier = application(database, SOLE_TRADER)
    sign_in(page)
    page.goto(f"/aanvragen/{identifier}/vragenformulier")
    assert page.title() == f"Vragenformulier {identifier} — Bibob-screening"
    assert "Compleet" in page.inner_text(".bibob-completeness")
    assert axe.check(page, "vragenformulier") == []

    by_id(page, BORN).fill("31-02-1979")  # a date that does not exist
    by_id(page, MONEY).fill("48.000,00 euro")  # an amount with letters
    by_id(page, DESCRIPTION).fill("")  # a required answer left out
    with page.expect_navigation():
        page.locator("button[value=opslaan]").first.click()

    assert page.title().startswith("Fout: Vragenformulier")
    summary = page.locator(".bibob-error-summary")
    assert "Niet opgeslagen: verbeter eerst deze 3 punten" in summary.inner_text()
    links = summary.locator("a")
    assert links.count() == 3
    texts = [links.nth(index).inner_text() for index in range(3)]
    assert texts[0].startswith("Vraag 1A (‘Voor welke vergunning")
    assert "Deze datum bestaat niet" in texts[1] and "Vul een bedrag in euro's in" in texts[2]
    for field in (DESCRIPTION, BORN, MONEY):
        assert by_id(page, field).get_attribute("aria-invalid") == "true"
        assert f"{field}-fout" in (by_id(page, field).get_attribute("aria-describedby") or "")
    assert by_id(page, MONEY).input_value() == "48.000,00 euro"  # what was typed stays
    assert axe.check(page, "vragenformulier met problemen") == []
    shot(page, "vragenformulier-met-problemen-volledig")
    by_id(page, "v-answers-2C.bezittingen").screenshot(path=str(SCREENSHOTS / "vragenformulier-bedrag-fout.png"))
    page.set_viewport_size({"width": 1280, "height": 1450})
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "vragenformulier-met-problemen", docs=True, full_page=False)

    assert page.evaluate("document.activeElement.classList.contains('bibob-error-summary')")  # focus on the summary
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == f"#{DESCRIPTION}"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the third link: to the amount
    assert page.evaluate("document.activeElement.id") == MONEY

    page.keyboard.press("Control+A")
    page.keyboard.type("48.000,00")
    by_id(page, BORN).fill("14-03-1979")
    by_id(page, DESCRIPTION).fill(SOLE_TRADER["answers"]["1A"]["omschrijving"])
    with page.expect_navigation():
        page.locator("button[value=opslaan]").first.click()
    assert "De antwoorden zijn opgeslagen." in page.inner_text("main")
    assert "Compleet" in page.inner_text(".bibob-completeness")
    assert page.locator(".bibob-error-summary").count() == 0


def test_a_routing_condition_shows_and_hides_questions_as_an_earlier_answer_changes(page: Any, database: str) -> None:
    identifier = application(database, SOLE_TRADER)
    sign_in(page)
    page.goto(f"/aanvragen/{identifier}/vragenformulier")
    assert by_id(page, "v-answers-1B.persoon-surname").count() == 1
    assert by_id(page, "v-answers-1C-0").count() == 0
    by_id(page, "v-answers-1B-1").check()  # 1B: no (htmx shows the form again)
    by_id(page, "v-answers-1C-0").wait_for()
    assert by_id(page, "v-answers-1B.persoon-surname").count() == 0
    assert page.evaluate("document.activeElement.id") == "v-answers-1B-1"  # the focus stays where it was
    assert "Nog niet opgeslagen" in page.inner_text("main")
    assert axe.check(page, "vragenformulier na een routeringswijziging") == []
    by_id(page, "v-answers-1B-0").check()  # yes again
    by_id(page, "v-answers-1B.persoon-surname").wait_for()
    assert by_id(page, "v-answers-1C-0").count() == 0
    # an answer to a question that no longer applied was left out (the form does not keep what it may not store)
    assert by_id(page, "v-answers-1B.persoon-surname").input_value() == ""


def test_routing_and_entries_work_without_javascript(page_without_javascript: Any, database: str) -> None:
    page = page_without_javascript
    identifier = application(database, SOLE_TRADER)
    sign_in(page)
    page.goto(f"/aanvragen/{identifier}/vragenformulier")
    by_id(page, "v-answers-1B-1").check()
    with page.expect_navigation():
        page.locator("#sectie-1 button[value=bijwerken]").click()
    assert by_id(page, "v-answers-1C-0").count() == 1 and by_id(page, "v-answers-1B.persoon-surname").count() == 0
    by_id(page, "v-answers-1B-0").check()
    with page.expect_navigation():
        page.locator("#sectie-1 button[value=bijwerken]").click()
    with page.expect_navigation():
        page.locator('button[value="toevoegen|/answers/7.ondertekening"]').click()
    assert by_id(page, "v-answers-7.ondertekening-1-ondertekenaar").count() == 1
    with page.expect_navigation():
        page.locator('button[value="verwijderen|/answers/7.ondertekening/0"]').click()
    assert by_id(page, "v-answers-7.ondertekening-1-ondertekenaar").count() == 0
    assert by_id(page, "v-answers-7.ondertekening-0-ondertekenaar").input_value() == ""


def test_an_answer_file_is_uploaded_and_stored(page: Any, database: str, tmp_path: Path) -> None:
    identifier = application(database)
    sign_in(page)
    page.goto(f"/aanvragen/{identifier}/vragenformulier")
    assert "Onvolledig" in page.inner_text(".bibob-completeness")
    broken = tmp_path / "kapot.json"
    broken.write_text("{kapot", "utf-8")
    page.click("text=Antwoorden uploaden (JSON-bestand)")
    page.set_input_files("#antwoordbestand", str(broken))
    with page.expect_navigation():
        page.click("text=Bestand inlezen en opslaan")
    assert "Het bestand is geen geldige JSON" in page.inner_text(".bibob-error-summary")
    assert axe.check(page, "vragenformulier upload geweigerd") == []
    good = tmp_path / "antwoorden.json"
    good.write_text(json.dumps(SOLE_TRADER), "utf-8")
    page.set_input_files("#antwoordbestand", str(good))
    with page.expect_navigation():
        page.click("text=Bestand inlezen en opslaan")
    assert "Het antwoordbestand is ingelezen en opgeslagen." in page.inner_text("main")
    assert "Compleet" in page.inner_text(".bibob-completeness")
