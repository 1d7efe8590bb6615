"""The safety advisor's pages through the test client: the inbox, registering a signal, weighing it."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa

from service.store.engine import create_engine_for
from service.store.tables import signals
from tests.service.web.conftest import Client, form_token, sign_in

GOOD = {"bron": "resident", "kanaal": "phone", "ontvangen-datum": "02-03-2026", "ontvangen-tijd": "09:30",
        "thema": "drugs", "tekst": "Veel bezoek 's nachts, ramen afgeplakt", "straat": "Hamersveldseweg",
        "huisnummer": "12", "postcode": "3833GP", "plaats": "Leusden"}  # fmt: skip


@pytest.fixture
def advisor(client: Client) -> str:
    client.cookies.clear()
    sign_in(client, "adviseur-1")
    return form_token(client.get("/").text)


def _count(database_url: str) -> int:
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        found = conn.execute(sa.select(sa.func.count()).select_from(signals)).scalar_one()
    engine.dispose()
    return int(found)


def _register(client: Client, csrf: str, **fields: str) -> Any:
    return client.post("/meldingen/nieuw", data={"_csrf": csrf, **GOOD, **fields}, follow_redirects=False)


def _registered(client: Client, csrf: str, **fields: str) -> str:
    response = _register(client, csrf, **fields)
    assert response.status_code == 303, response.text
    found = re.fullmatch(r"/meldingen/([^?]+)\?melding=geregistreerd", response.headers["location"])
    assert found
    return found.group(1)


def _weigh(client: Client, csrf: str, signal_id: str, version: int, **fields: str) -> Any:
    form = {"_csrf": csrf, "versie": str(version), "stap": "undermining", "reason": "past in het patroon"} | fields
    return client.post(f"/meldingen/{signal_id}/weging", data=form, follow_redirects=False)


def test_registering_with_mistakes_names_each_at_its_field_and_stores_nothing(
    client: Client, advisor: str, database_url: str
) -> None:
    before = _count(database_url)
    response = _register(client, advisor, bron="", **{"ontvangen-datum": "31-12-2099", "ontvangen-tijd": "25:00"},
                         tekst="", straat="", huisnummer="twaalf", postcode="", plaats="")  # fmt: skip
    assert response.status_code == 400
    for field in ("bron", "ontvangen-tijd", "tekst", "huisnummer"):
        assert f'href="#{field}"' in response.text and f'id="{field}-fout"' in response.text
    assert _count(database_url) == before


def test_a_received_moment_in_the_future_and_no_subject_are_refused(
    client: Client, advisor: str, database_url: str
) -> None:
    before = _count(database_url)
    future = _register(client, advisor, **{"ontvangen-datum": "31-12-2099"})
    assert future.status_code == 400 and 'id="ontvangen-datum-fout"' in future.text
    nobody = _register(client, advisor, straat="", huisnummer="", postcode="", plaats="")
    assert nobody.status_code == 400 and "ten minste een adres of een persoon" in nobody.text
    anonymous = _register(client, advisor, bron="anonymous", **{"melder-naam": "J. Jansen"})
    assert anonymous.status_code == 400 and 'id="melder-naam-fout"' in anonymous.text
    assert _count(database_url) == before


def test_a_registered_phone_signal_is_new_in_the_inbox_and_anonymous_without_reporter(
    client: Client, advisor: str
) -> None:
    signal_id = _registered(client, advisor)
    page = client.get(f"/meldingen/{signal_id}?melding=geregistreerd").text
    assert "De melding is geregistreerd" in page and "anoniem (geen gegevens bewaard)" in page
    assert 'name="versie" value="1"' in page
    assert "Nu niet mogelijk" in page and "Doorverwijzen naar een partner" not in page.split("Nu niet mogelijk")[0]
    inbox = client.get("/meldingen?stand=received&thema=drugs&bron=resident")
    assert inbox.status_code == 200 and "<caption" in inbox.text
    row = inbox.text.split(f'href="/meldingen/{signal_id}"')[1].split("</tr>")[0]
    assert "nieuw" in row and "Bewoner" in row and "Drugs" in row


def test_a_bad_filter_is_refused_and_names_travel_in_no_url(client: Client, advisor: str) -> None:
    assert client.get("/meldingen?stand=Jansen").status_code == 400
    assert client.get("/meldingen?pagina=0").status_code == 400
    links = re.findall(r'href="(/meldingen[^"]*)"', client.get("/meldingen?thema=drugs").text)
    assert links and not any("Hamersveld" in link for link in links)


def test_weighing_moves_the_signal_and_a_missing_reason_changes_nothing(client: Client, advisor: str) -> None:
    signal_id = _registered(client, advisor)
    empty = _weigh(client, advisor, signal_id, 1, reason=" ")
    assert empty.status_code == 400 and 'id="undermining-reason-fout"' in empty.text
    refer = _weigh(client, advisor, signal_id, 1, stap="referToPartner", partner="politie")
    assert refer.status_code == 400 and 'href="#referToPartner-partner"' in refer.text  # and not allowed in any case
    done = _weigh(client, advisor, signal_id, 1)
    assert done.status_code == 303
    page = client.get(done.headers["location"]).text
    assert "De stap ‘ondermijning’ is vastgelegd" in page and "past in het patroon" in page
    assert 'name="versie" value="2"' in page and 'name="stap" value="municipalTask"' in page
    inbox = client.get("/meldingen").text
    assert "nieuw" not in inbox.split(f'href="/meldingen/{signal_id}"')[1].split("</tr>")[0]


def test_a_step_the_state_refuses_answers_with_its_dutch_reason(client: Client, advisor: str) -> None:
    signal_id = _registered(client, advisor)
    response = _weigh(client, advisor, signal_id, 1, stap="municipalTask")
    assert response.status_code == 409 and "Deze stap is nu niet mogelijk" in response.text


def test_a_weighing_at_a_stale_version_says_so_and_changes_nothing(client: Client, advisor: str) -> None:
    signal_id = _registered(client, advisor)
    assert _weigh(client, advisor, signal_id, 1).status_code == 303
    stale = _weigh(client, advisor, signal_id, 1, stap="notUndermining", reason="toch niet")
    assert stale.status_code == 409 and "intussen gewogen" in stale.text
    assert "toch niet" not in client.get(f"/meldingen/{signal_id}").text.split("Wat u nu kunt doen")[0]


def test_a_permit_officer_gets_not_found_for_the_inbox_and_a_signal(client: Client, advisor: str) -> None:
    signal_id = _registered(client, advisor)
    client.cookies.clear()
    sign_in(client, "vv-1")
    csrf = form_token(client.get("/").text)
    for path in (f"/meldingen/{signal_id}", "/meldingen", "/meldingen/nieuw"):
        response = client.get(path)
        assert response.status_code == 404 and "niet gevonden" in response.text, path
    assert _weigh(client, csrf, signal_id, 1).status_code == 404


def test_a_signal_weighed_no_action_tells_its_destruction_day_as_true_as_the_retention_job_makes_it(
    client: Client, advisor: str
) -> None:
    signal_id = _registered(client, advisor)
    assert _weigh(client, advisor, signal_id, 1, stap="undermining").status_code == 303
    assert _weigh(client, advisor, signal_id, 2, stap="municipalTask").status_code == 303
    done = _weigh(client, advisor, signal_id, 3, stap="noAction", reason="niets te doen")
    assert done.status_code == 303, done.text
    page = client.get(f"/meldingen/{signal_id}").text  # the job runs (BIBOB_RETENTION_EVERY, default hourly)
    assert "wordt vernietigd op" in page and "bewaartermijntaak" in page
    client.app.state.retention_active = False  # BIBOB_RETENTION_EVERY=0: cron must run it
    page = client.get(f"/meldingen/{signal_id}").text
    assert "te vernietigen vanaf" in page and "bibob retention run" in page and "wordt vernietigd op" not in page
    client.app.state.retention_active = True


def test_the_meeting_paper_lists_a_new_signal_and_refuses_a_bad_day(client: Client, advisor: str) -> None:
    signal_id = _registered(client, advisor)
    page = client.get("/overleg")
    assert page.status_code == 200 and "Lokaal ondermijningsoverleg: agenda voor" in page.text
    new = page.text.split('id="nieuw"')[1].split("</section>")[0]
    assert f'href="/meldingen/{signal_id}"' in new
    assert "Hamersveld" not in page.text  # ids and labels, no address or name
    bad = client.get("/overleg?datum=31-02-2026")
    assert bad.status_code == 400 and 'id="datum-fout"' in bad.text and 'href="#datum"' in bad.text
    assert client.get("/overleg?datum=01-03-2026").status_code == 200


def test_a_permit_officer_gets_not_found_for_the_meeting_paper(client: Client) -> None:
    sign_in(client, "vv-1")
    assert client.get("/overleg").status_code == 404
