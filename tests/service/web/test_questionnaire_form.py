"""The questionnaire page: the form from its definition, storing through the API's use case with the version
check, problems at their question and in the summary, routing without JavaScript, entries, modules, upload."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from service.auth import Role
from service.store import accounts
from service.store.engine import create_engine_for
from tests.service.api.test_applications import NEW, SOLE_TRADER
from tests.service.conftest import DATA, Client, bearer

PASSWORD = "een lang genoeg wachtwoord 123"
API = "/api/v1/applications"


class Visitor:
    """A signed-in browser without JavaScript: its session cookie and the session's form token."""

    def __init__(self, client: Client, cookie: str, csrf: str) -> None:
        self.client, self.cookie, self.csrf = client, cookie, csrf

    def get(self, path: str) -> Any:
        return self.client.get(path, cookies={"bibob_sessie": self.cookie}, follow_redirects=False)

    def post(self, path: str, data: dict[str, Any], files: Any = None, **headers: str) -> Any:
        body = {"_csrf": self.csrf} | data
        return self.client.post(
            path, data=body, files=files, cookies={"bibob_sessie": self.cookie}, headers=headers,
            follow_redirects=False,
        )  # fmt: skip


@pytest.fixture(scope="module")
def visitors(database_url: str, tokens: dict[str, str]) -> dict[str, tuple[str, str]]:
    """A session per role, for the users the API tokens belong to ('permitOfficer-1', …)."""
    engine = create_engine_for(database_url)
    made = {}
    with engine.begin() as conn:
        for name, role in [("permitOfficer-1", Role.PERMIT_OFFICER), ("permitOfficer-2", Role.PERMIT_OFFICER),
                           ("safetyAdvisor-1", Role.SAFETY_ADVISOR)]:  # fmt: skip
            principal = accounts.create_user(conn, name, role, PASSWORD)
            token, session = accounts.create_session(conn, principal)
            made[name] = (token, session.csrf_token)
    engine.dispose()
    return made


@pytest.fixture
def officer(client: Client, visitors: dict[str, tuple[str, str]]) -> Visitor:
    return Visitor(client, *visitors["permitOfficer-1"])


def new_application(client: Client, tokens: dict[str, str], answers: Any = None) -> str:
    token = tokens["permitOfficer"]
    created = client.post(API, json=NEW, headers=bearer(token)).json()
    if answers is not None:
        stored = client.put(f"{API}/{created['id']}/answers", json=answers, headers=bearer(token) | {"If-Match": '"1"'})
        assert stored.status_code == 200
    return str(created["id"])


def form_fields(html: str) -> dict[str, list[str]]:
    """What a browser without JavaScript would post: every named input, checked choice and selected option shown."""
    found: dict[str, list[str]] = {}
    form = html[html.index('id="vragenformulier"') :]
    for tag in re.findall(r"<input [^>]*>", form, flags=re.S):
        name = re.search(r'name="([^"]*)"', tag)
        if name is None or 'type="file"' in tag:
            continue
        kind = re.search(r'type="([^"]*)"', tag)
        if kind and kind.group(1) in ("radio", "checkbox") and " checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        found.setdefault(unescape(name.group(1)), []).append(unescape(value.group(1)) if value else "")
    for name, body in re.findall(r'<select [^>]*name="([^"]*)"[^>]*>(.*?)</select>', form, flags=re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        found[unescape(name)] = [unescape(chosen.group(1)) if chosen else ""]
    for name, body in re.findall(r'<textarea [^>]*name="([^"]*)"[^>]*>(.*?)</textarea>', form, flags=re.S):
        found[unescape(name)] = [unescape(body)]
    return found


def unescape(text: str) -> str:
    return (
        text.replace("&#34;", '"').replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    )


def stored_answers(client: Client, tokens: dict[str, str], identifier: str) -> Any:
    return client.get(f"{API}/{identifier}/answers", headers=bearer(tokens["permitOfficer"])).json()


def test_the_form_shows_the_questionnaire_with_the_stored_answers_and_the_completeness(
    officer: Visitor, client: Client, tokens: dict[str, str]
) -> None:
    identifier = new_application(client, tokens, SOLE_TRADER)
    response = officer.get(f"/aanvragen/{identifier}/vragenformulier")
    html = response.text
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    assert f"<title>Vragenformulier {identifier} — Bibob-screening</title>" in html
    assert "Compleet" in html and 'href="/aanvragen/' + identifier + '"' in html
    assert '<span class="bibob-qid">1B</span>' in html and "Is de aanvrager een natuurlijk persoon" in html
    assert 'value="48.000,00"' in html  # eurocents shown as euros (2C.bezittingen, waarde nu)
    assert 'value="14-03-1979"' in html  # a date the Dutch way
    assert "Niet van toepassing bij de gegeven antwoorden." in html  # sections 3, 4 and 5 for a sole trader
    assert "Verbeek" not in re.search(r"<title>.*</title>", html).group(0)  # type: ignore[union-attr]


def test_the_form_and_the_overview_warn_when_the_form_was_no_longer_in_force_on_the_received_date(
    officer: Visitor, client: Client, tokens: dict[str, str]
) -> None:
    late = new_application(client, tokens)  # received 1-10-2026 on a 2013 form, in force until 31-1-2024
    for path in (f"/aanvragen/{late}/vragenformulier", f"/aanvragen/{late}"):
        html = officer.get(path).text
        assert "Formulier niet van kracht" in html and "gold tot en met 31-1-2024" in html, path
    created = client.post(API, json=NEW | {"received": "2023-12-01"}, headers=bearer(tokens["permitOfficer"])).json()
    for path in (f"/aanvragen/{created['id']}/vragenformulier", f"/aanvragen/{created['id']}"):
        assert "Formulier niet van kracht" not in officer.get(path).text, path


def test_saving_the_form_unchanged_stores_the_same_document_through_the_api_use_case(
    officer: Visitor, client: Client, tokens: dict[str, str]
) -> None:
    identifier = new_application(client, tokens, SOLE_TRADER)
    fields = form_fields(officer.get(f"/aanvragen/{identifier}/vragenformulier").text)
    response = officer.post(f"/aanvragen/{identifier}/vragenformulier", fields | {"_actie": "opslaan"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/aanvragen/{identifier}/vragenformulier?melding=opgeslagen"
    stored = stored_answers(client, tokens, identifier)
    assert stored["version"] == 3 and stored["document"] == SOLE_TRADER
    assert "De antwoorden zijn opgeslagen." in officer.get(response.headers["location"]).text


def test_unreadable_values_store_nothing_and_every_problem_is_at_its_question_and_in_the_summary(
    officer: Visitor, client: Client, tokens: dict[str, str]
) -> None:
    identifier = new_application(client, tokens, SOLE_TRADER)
    url = f"/aanvragen/{identifier}/vragenformulier"
    fields = form_fields(officer.get(url).text)
    fields["/answers/2C.bezittingen/0/waardeNu"] = ["48.000,00 euro"]
    fields["/answers/1B.persoon/dateOfBirth"] = ["31-02-1979"]
    fields["/answers/2H"] = []  # a required answer left out
    response = officer.post(url, fields | {"_actie": "opslaan"})
    html = response.text
    assert response.status_code == 400 and "<title>Fout: Vragenformulier" in html
    assert "Niet opgeslagen: verbeter eerst deze 3 punten" in html
    money = "v-answers-2C.bezittingen-0-waardeNu"
    assert f'<a class="utrecht-link" href="#{money}">Vraag 2C.bezittingen, regel 1, ‘Waarde nu’: Vul een bedrag' in html
    assert re.search(rf'id="{money}" name="[^"]*" value="48.000,00 euro"[^>]*aria-describedby="{money}-uitleg '
                     rf'{money}-fout" aria-invalid="true"', html)  # fmt: skip
    assert 'href="#v-answers-1B.persoon-dateOfBirth">' in html and "Deze datum bestaat niet" in html
    assert 'href="#v-answers-2H-0">Vraag 2H (‘Heeft u leningen afgesloten' in html
    assert stored_answers(client, tokens, identifier)["version"] == 2  # nothing stored


def test_a_document_with_problems_is_stored_as_the_api_stores_it_and_the_problems_are_shown(
    officer: Visitor, client: Client, tokens: dict[str, str]
) -> None:
    identifier = new_application(client, tokens, SOLE_TRADER)
    url = f"/aanvragen/{identifier}/vragenformulier"
    fields = form_fields(officer.get(url).text)
    fields["/answers/2H"] = []
    response = officer.post(url, fields | {"_actie": "opslaan"})
    assert response.status_code == 303
    stored = stored_answers(client, tokens, identifier)
    assert stored["version"] == 3 and [p["name"] for p in stored["problems"]] == ["/answers/2H"]
    html = officer.get(url).text
    assert "Onvolledig" in html and "Nog 1 punt aan te vullen of te verbeteren" in html
    assert "Herstelverzoek op de aanvraagpagina" in html


def test_a_stale_version_is_refused_and_what_was_typed_stays(
    officer: Visitor, client: Client, tokens: dict[str, str]
) -> None:
    identifier = new_application(client, tokens, SOLE_TRADER)
    url = f"/aanvragen/{identifier}/vragenformulier"
    fields = form_fields(officer.get(url).text)
    fields["/answers/1A/omschrijving"] = ["Mijn nieuwe omschrijving"]
    fields["_versie"] = ["1"]
    response = officer.post(url, fields | {"_actie": "opslaan"})
    assert response.status_code == 409 and "Iemand anders heeft de antwoorden intussen opgeslagen" in response.text
    assert 'value="Mijn nieuwe omschrijving"' in response.text and 'name="_versie" value="2"' in response.text
    assert stored_answers(client, tokens, identifier)["version"] == 2


def test_routing_without_javascript_updating_shows_the_questions_that_now_apply_and_stores_nothing(
    officer: Visitor, client: Client, tokens: dict[str, str]
) -> None:
    identifier = new_application(client, tokens, SOLE_TRADER)
    url = f"/aanvragen/{identifier}/vragenformulier"
    html = officer.get(url).text
    assert 'name="/answers/1C"' not in html and 'name="/answers/1B.persoon/surname"' in html
    assert 'hx-post="' + url + '" hx-trigger="change"' in html  # with JavaScript, a change re-renders (htmx)
    fields = form_fields(html) | {"/answers/1B": ["nee"], "_actie": ["bijwerken"]}
    updated = officer.post(url, fields)
    assert updated.status_code == 200 and "Nog niet opgeslagen" in updated.text
    assert 'name="/answers/1C"' in updated.text and 'name="/answers/1B.persoon/surname"' not in updated.text
    assert stored_answers(client, tokens, identifier)["version"] == 2
    htmx = officer.post(url, fields, **{"HX-Request": "true", "X-CSRF-Token": officer.csrf})
    assert htmx.status_code == 200 and 'id="vragenformulier-inhoud"' in htmx.text


def test_entries_are_added_and_removed_without_javascript(
    officer: Visitor, client: Client, tokens: dict[str, str]
) -> None:
    identifier = new_application(client, tokens, SOLE_TRADER)
    url = f"/aanvragen/{identifier}/vragenformulier"
    fields = form_fields(officer.get(url).text)
    added = officer.post(url, fields | {"_actie": "toevoegen|/answers/2C.bezittingen"})
    assert 'name="/answers/2C.bezittingen/1/omschrijving"' in added.text
    assert "Regel 2 verwijderen" in added.text
    fields = form_fields(added.text)
    removed = officer.post(url, fields | {"_actie": "verwijderen|/answers/2C.bezittingen/0"})
    assert 'name="/answers/2C.bezittingen/1/omschrijving"' not in removed.text
    assert 'value="Spaarrekening"' not in removed.text  # the first entry went, the new empty one stays
    assert stored_answers(client, tokens, identifier)["version"] == 2


def test_a_module_is_offered_for_each_person_who_needs_one(
    officer: Visitor, client: Client, tokens: dict[str, str]
) -> None:
    document = json.loads((DATA_ANSWERS / "broken-missing-ubo-module.json").read_text("utf-8"))
    identifier = new_application(client, tokens, document)
    url = f"/aanvragen/{identifier}/vragenformulier"
    html = officer.get(url).text
    assert "Wie een module 4 nodig heeft (volgens vraag 1)" in html
    button = 'value="module|4|/answers/1F.aandeelhouders/1"'
    assert button in html
    added = officer.post(url, form_fields(html) | {"_actie": "module|4|/answers/1F.aandeelhouders/1"})
    assert button not in added.text and 'name="/modules/4/1/4A/surname"' in added.text


def test_an_uploaded_answer_file_is_stored_with_the_same_checks_as_the_api(
    officer: Visitor, client: Client, tokens: dict[str, str]
) -> None:
    identifier = new_application(client, tokens)
    url = f"/aanvragen/{identifier}/vragenformulier"
    upload = {"_actie": "uploaden", "_versie": "1"}
    broken = officer.post(url, upload, files={"antwoordbestand": ("a.json", b"{niet: json", "application/json")})
    assert broken.status_code == 400 and "Het bestand is geen geldige JSON (regel 1, kolom 2)." in broken.text
    assert 'href="#antwoordbestand"' in broken.text
    other = json.dumps({"questionnaire": {"id": "bibob-subsidie", "version": "1.0.0"}}).encode()
    refused = officer.post(url, upload, files={"antwoordbestand": ("b.json", other, "application/json")})
    assert refused.status_code == 400 and "Deze aanvraag gebruikt vragenformulier" in refused.text
    assert stored_answers(client, tokens, identifier)["version"] == 1
    good = json.dumps(SOLE_TRADER).encode()
    stored = officer.post(url, upload, files={"antwoordbestand": ("c.json", good, "application/json")})
    assert stored.status_code == 303 and stored.headers["location"].endswith("melding=bestand")
    assert stored_answers(client, tokens, identifier)["document"] == SOLE_TRADER


def test_a_dossier_the_user_may_not_see_is_not_found_and_a_post_changes_nothing(
    client: Client, tokens: dict[str, str], visitors: dict[str, tuple[str, str]]
) -> None:
    identifier = new_application(client, tokens, SOLE_TRADER)
    url = f"/aanvragen/{identifier}/vragenformulier"
    for name in ("permitOfficer-2", "safetyAdvisor-1"):
        other = Visitor(client, *visitors[name])
        assert other.get(url).status_code == 404 and "niet gevonden" in other.get(url).text.lower()
        posted = other.post(url, {"_actie": "opslaan", "_versie": "2", "/answers/1B": "nee"})
        assert posted.status_code == 404
    assert stored_answers(client, tokens, identifier)["version"] == 2


def test_a_post_without_the_form_token_is_refused(officer: Visitor, client: Client, tokens: dict[str, str]) -> None:
    identifier = new_application(client, tokens, SOLE_TRADER)
    response = client.post(
        f"/aanvragen/{identifier}/vragenformulier", data={"_actie": "opslaan", "_versie": "2"},
        cookies={"bibob_sessie": officer.cookie},
    )  # fmt: skip
    assert response.status_code == 403 and stored_answers(client, tokens, identifier)["version"] == 2


DATA_ANSWERS = DATA / "answers"
