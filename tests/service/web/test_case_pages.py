"""The case pages through the test client: opening a case from a weighed signal, the steps of the seed process as
forms (with bad input, a stale version and a refused step), the evidence buttons, and who gets not-found."""

from __future__ import annotations

import re
from typing import Any

import pytest

from service.auth import Role
from service.store import accounts
from service.store.engine import create_engine_for
from tests.service.web.conftest import PASSWORD, Client, form_token, sign_in
from tests.service.web.test_inbox_pages import GOOD
from tests.service.web.test_pages import INLINE

MORE = {"adviseur-2": Role.SAFETY_ADVISOR, "burgemeester-1": Role.MAYOR, "melder-1": Role.SIGNAL_INTAKE_PARTNER}
STEPS = (
    ("undermining", {"reason": "past in het patroon"}),
    ("municipalTask", {"reason": "vergunningplichtig pand"}),
    ("furtherAnalysis", {"reason": "bronnen raadplegen"}),
    ("sourceChecked", {"source": "BRP", "hit": "ja", "approvedBy": "privacyfunctionaris"}),
)


@pytest.fixture(scope="module", autouse=True)
def more_accounts(database_url: str) -> None:
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        for name, role in MORE.items():
            accounts.create_user(conn, name, role, PASSWORD)
    engine.dispose()


def _as(client: Client, user: str) -> str:
    client.cookies.clear()
    sign_in(client, user, PASSWORD)
    return form_token(client.get("/").text)


def _version(html: str) -> str:
    found = re.search(r'name="versie" value="(\d+)"', html)
    assert found, "the page has no version"
    return found.group(1)


def _weighed_signal(client: Client, csrf: str) -> str:
    response = client.post("/meldingen/nieuw", data={"_csrf": csrf, **GOOD}, follow_redirects=False)
    assert response.status_code == 303, response.text
    signal_id = response.headers["location"].split("/meldingen/")[1].split("?")[0]
    for step, fields in STEPS:
        version = _version(client.get(f"/meldingen/{signal_id}").text)
        form = {"_csrf": csrf, "versie": version, "stap": step, **fields}
        done = client.post(f"/meldingen/{signal_id}/weging", data=form, follow_redirects=False)
        assert done.status_code == 303, (step, done.text)
    return signal_id


def _open(client: Client, csrf: str, signal_id: str, version: str = "", **fields: Any) -> Any:
    version = version or _version(client.get(f"/casussen/nieuw?melding={signal_id}").text)
    form = {"_csrf": csrf, "melding": signal_id, "versie": version, "titel": "Pand Hamersveldseweg 12",
            "thema": "drugs", "vertrouwelijkheid": "confidential", "partners": ["police"],
            "leden": "burgemeester-1", "reden": "bronnen bevestigen het beeld"} | fields  # fmt: skip
    return client.post("/casussen/nieuw", data=form, follow_redirects=False)


@pytest.fixture
def opened(client: Client) -> tuple[str, str, str]:
    """(csrf, signal id, case id): a case the advisor opened from a weighed signal, with the mayor as member."""
    csrf = _as(client, "adviseur-1")
    signal_id = _weighed_signal(client, csrf)
    response = _open(client, csrf, signal_id)
    assert response.status_code == 303, response.text
    case_id = response.headers["location"].split("/casussen/")[1].split("?")[0]
    return csrf, signal_id, case_id


def _step(client: Client, csrf: str, case_id: str, step: str, version: str | None = None, **fields: Any) -> Any:
    version = version or _version(client.get(f"/casussen/{case_id}").text)
    form = {"_csrf": csrf, "versie": version, "stap": step, **fields}
    return client.post(f"/casussen/{case_id}/stap", data=form, follow_redirects=False)


def test_a_case_opened_from_a_weighed_signal_links_it_and_the_signal_names_the_case(
    client: Client, opened: tuple[str, str, str]
) -> None:
    _, signal_id, case_id = opened
    page = client.get(f"/casussen/{case_id}?melding=geopend")
    assert page.status_code == 200
    assert "De casus is aangemaakt" in page.text and "Pand Hamersveldseweg 12" in page.text
    assert f'href="/meldingen/{signal_id}"' in page.text and "Hamersveldseweg" in page.text
    signal = client.get(f"/meldingen/{signal_id}").text
    assert case_id in signal and "Casus aanmaken" not in signal.split("Wat u nu kunt doen")[1]
    listed = client.get("/casussen").text
    assert f'href="/casussen/{case_id}"' in listed


def test_opening_a_case_with_mistakes_names_each_at_its_field_and_opens_nothing(client: Client) -> None:
    csrf = _as(client, "adviseur-1")
    signal_id = _weighed_signal(client, csrf)
    before = client.get("/casussen").text.count('href="/casussen/')
    response = _open(client, csrf, signal_id, titel="", thema="onbekend", partners=["marsmannetjes"], reden="")
    assert response.status_code == 400
    for field in ("titel", "thema", "partners", "reden"):
        assert f'href="#{field}"' in response.text and f'id="{field}-fout"' in response.text
    assert client.get("/casussen").text.count('href="/casussen/') == before


def test_a_signal_not_yet_at_the_case_step_cannot_become_a_case(client: Client) -> None:
    csrf = _as(client, "adviseur-1")
    response = client.post("/meldingen/nieuw", data={"_csrf": csrf, **GOOD}, follow_redirects=False)
    signal_id = response.headers["location"].split("/meldingen/")[1].split("?")[0]
    assert "kan nu geen casus worden gemaakt" in client.get(f"/casussen/nieuw?melding={signal_id}").text
    refused = _open(client, csrf, signal_id, version="1")
    assert refused.status_code == 400 and "kan nu geen casus worden" in refused.text


def test_the_seed_process_runs_on_the_case_page_up_to_the_mayors_approval_who_keeps_sight_after(
    client: Client, opened: tuple[str, str, str]
) -> None:
    csrf, _, case_id = opened
    steps: list[tuple[str, dict[str, Any]]] = [
        ("investigationStarted", {}),
        ("informationRequested", {"requestId": "IV-1", "partner": "police", "question": "Is het pand bekend?"}),
        ("informationAnswered", {"requestId": "IV-1", "answerSummary": "Bekend van overlast."}),
        ("meetingScheduled", {"agenda": "informatiebeeld"}),
        ("meetingHeld", {"attendees": ["police"], "decisions": "plan opstellen"}),
        ("planDrafted", {"goals": "hennepteelt beëindigen", "partner": "police", "kind": "criminal",
                         "description": "doorzoeking", "owner": "wijkagent", "due": "31-01-2030"}),
        ("triangleAlignmentRequested", {}),
    ]  # fmt: skip
    for step, fields in steps:
        response = _step(client, csrf, case_id, step, **fields)
        assert response.status_code == 303, (step, response.text)
    page = client.get(f"/casussen/{case_id}").text
    assert "Bekend van overlast." in page and "doorzoeking" in page and "Afstemming in de driehoek" in page
    assert 'id="stap-triangleApproved-formulier"' not in page  # the approval is the mayor's own act

    mayor = _as(client, "burgemeester-1")
    page = client.get(f"/casussen/{case_id}").text
    assert 'id="stap-triangleApproved-formulier"' in page and 'id="stap-caseClosed-formulier"' not in page
    assert "Bevestigen" not in page  # the evidence is the case team's
    approved = _step(client, mayor, case_id, "triangleApproved", notes="akkoord")
    assert approved.status_code == 303, approved.text
    after = client.get(f"/casussen/{case_id}")
    assert after.status_code == 200 and "Goedgekeurd door burgemeester burgemeester-1" in after.text
    assert f'href="/casussen/{case_id}"' in client.get("/casussen").text


def test_a_step_with_mistakes_names_each_field_and_a_stale_or_refused_step_changes_nothing(
    client: Client, opened: tuple[str, str, str]
) -> None:
    csrf, _, case_id = opened
    assert _step(client, csrf, case_id, "investigationStarted").status_code == 303
    version = _version(client.get(f"/casussen/{case_id}").text)
    empty = _step(client, csrf, case_id, "informationRequested", requestId="", partner="nobody", question="")
    assert empty.status_code == 400
    for field in ("informationRequested-requestId", "informationRequested-partner", "informationRequested-question"):
        assert f'href="#{field}"' in empty.text and f'id="{field}-fout"' in empty.text
    refused = _step(client, csrf, case_id, "meetingScheduled", agenda="te vroeg")
    assert refused.status_code == 409 and "Deze stap is nu niet mogelijk" in refused.text
    asked = {"requestId": "IV-1", "partner": "police", "question": "Bekend?"}
    assert _step(client, csrf, case_id, "informationRequested", **asked).status_code == 303
    stale = _step(client, csrf, case_id, "caseClosed", version=version, result="klaar")
    assert stale.status_code == 409 and "intussen gewijzigd" in stale.text
    assert _version(client.get(f"/casussen/{case_id}").text) == str(int(version) + 1)
    unknown = _step(client, csrf, case_id, "evidenceLinked")
    assert unknown.status_code == 400


@pytest.mark.parametrize("user", ["vv-1", "melder-1", "adviseur-2"])
def test_who_is_no_member_gets_not_found_for_the_case_and_its_forms(
    client: Client, opened: tuple[str, str, str], user: str
) -> None:
    _, _, case_id = opened
    csrf = _as(client, user)
    assert client.get(f"/casussen/{case_id}").status_code == 404
    assert client.get(f"/casussen/{case_id}/netwerk").status_code == 404
    assert client.get(f"/casussen/{case_id}/netwerk/gegevens").status_code == 404
    assert _step(client, csrf, case_id, "investigationStarted", version="1").status_code == 404
    assert f"/casussen/{case_id}" not in client.get("/casussen").text


def test_an_organisation_added_on_the_page_joins_the_subjects_and_a_bad_kvk_number_is_named(
    client: Client, opened: tuple[str, str, str]
) -> None:
    csrf, _, case_id = opened
    bad = _step(client, csrf, case_id, "subjectsAdded", name="", kvkNumber="12ab", houseNumber="twaalf")
    assert bad.status_code == 400
    for field in ("subjectsAdded-name", "subjectsAdded-kvkNumber", "subjectsAdded-houseNumber"):
        assert f'href="#{field}"' in bad.text
    added = _step(client, csrf, case_id, "subjectsAdded", name="Eetcafé Het Hoekje B.V.", kvkNumber="23456789",
                  street="Hamersveldseweg", houseNumber="12", postcode="3833 GP", city="Leusden")  # fmt: skip
    assert added.status_code == 303, added.text
    page = client.get(f"/casussen/{case_id}").text
    assert "Organisatie: Eetcafé Het Hoekje B.V., Hamersveldseweg 12" in page


def test_the_network_page_lists_the_same_edges_as_a_table_without_scripts(
    client: Client, opened: tuple[str, str, str]
) -> None:
    csrf, _, case_id = opened
    seat = {"name": "Hoekje Vastgoed B.V.", "street": "Arnhemseweg", "houseNumber": "5", "city": "Leusden"}
    assert _step(client, csrf, case_id, "subjectsAdded", **seat).status_code == 303
    page = client.get(f"/casussen/{case_id}/netwerk")
    assert page.status_code == 200
    assert page.text.count('<tr class="utrecht-table__row" data-edge=') == 1
    row = page.text.split("data-edge=")[1].split("</tr>")[0]
    assert "Hoekje Vastgoed B.V." in row and "gevestigd op" in row and "Arnhemseweg 5, Leusden" in row
    assert not INLINE.search(page.text)  # the script fetches its data: no inline code under the CSP
    data = client.get(f"/casussen/{case_id}/netwerk/gegevens").json()
    assert [edge["id"] for edge in data["edges"]] == [page.text.split('data-edge="')[1].split('"')[0]]
    assert "/static/vendor/cytoscape/cytoscape.min.js" in page.text


def test_cytoscape_is_served_from_our_own_static_files_with_its_licence(client: Client) -> None:
    script = client.get("/static/vendor/cytoscape/cytoscape.min.js")
    assert script.status_code == 200 and "cytoscape" in script.text[:2000].lower()
    licence = client.get("/static/vendor/cytoscape/LICENSE")
    assert licence.status_code == 200 and "Permission is hereby granted" in licence.text
    for path in ("/static/netwerk.js", "/static/netwerk.css", "/static/casussen.css"):
        assert client.get(path).status_code == 200, path
