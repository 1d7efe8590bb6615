"""The bell and the notifications page through the test client: a new signal tells the other advisor, the bell counts
what is unread, marking read changes only one's own."""

from __future__ import annotations

import re
from typing import Any

import pytest

from service.auth import Role
from service.store import accounts
from service.store.engine import create_engine_for
from tests.service.web.conftest import PASSWORD, Client, form_token, sign_in
from tests.service.web.test_inbox_pages import _registered


@pytest.fixture(scope="module", autouse=True)
def second_advisor(database_url: str) -> None:
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        accounts.create_user(conn, "adviseur-2", Role.SAFETY_ADVISOR, PASSWORD)
    engine.dispose()


def _bell(page: str) -> int:
    found = re.search(r'class="bibob-bell__count">(\d+)<', page)
    return int(found.group(1)) if found else 0


def test_a_signal_registered_by_one_advisor_rings_the_others_bell_until_read(client: Client) -> None:
    sign_in(client, "adviseur-1")
    signal_id = _registered(client, form_token(client.get("/").text))
    assert _bell(client.get("/").text) == 0  # not for the one who registered it
    client.cookies.clear()
    sign_in(client, "adviseur-2")
    home = client.get("/").text
    assert _bell(home) == 1 and '1<span class="bibob-visually-hidden"> ongelezen</span>' in home
    page = client.get("/notificaties").text
    assert f"Nieuwe melding {signal_id} in de inbox" in page and f'href="/meldingen/{signal_id}"' in page
    assert "Hamersveld" not in page  # ids and labels only
    notification_id = re.search(r'name="id" value="([^"]+)"', page)
    assert notification_id
    csrf = form_token(page)
    read = client.post("/notificaties/gelezen", data={"_csrf": csrf, "id": notification_id.group(1)})
    assert read.status_code == 200 and "als gelezen gemarkeerd" in read.text and _bell(read.text) == 0


def test_one_cannot_mark_another_users_notification_and_a_bad_form_is_refused(client: Client) -> None:
    sign_in(client, "adviseur-1")
    _registered(client, form_token(client.get("/").text))
    client.cookies.clear()
    sign_in(client, "adviseur-2")
    theirs = re.search(r'name="id" value="([^"]+)"', client.get("/notificaties").text)
    assert theirs
    client.cookies.clear()
    sign_in(client, "vv-1")
    csrf = form_token(client.get("/").text)
    assert client.post("/notificaties/gelezen", data={"_csrf": csrf, "id": theirs.group(1)}).status_code == 200
    assert client.post("/notificaties/gelezen", data={"_csrf": csrf}).status_code == 400
    assert client.get("/notificaties?pagina=0").status_code == 400
    assert "U hebt geen notificaties" in client.get("/notificaties").text
    client.cookies.clear()
    sign_in(client, "adviseur-2")
    assert _bell(client.get("/").text) >= 1  # still unread: the permit officer's form changed nothing


def _assign(client: Client, signal_id: str, version: int, assignee: str) -> Any:
    csrf = form_token(client.get(f"/meldingen/{signal_id}").text)
    form = {"_csrf": csrf, "stap": "assigned", "versie": str(version), "assignee": assignee}
    return client.post(f"/meldingen/{signal_id}/weging", data=form, follow_redirects=False)


def test_a_signal_assigned_on_its_page_rings_that_advisors_bell_and_stays_new(client: Client) -> None:
    sign_in(client, "adviseur-1")
    signal_id = _registered(client, form_token(client.get("/").text))
    client.cookies.clear()
    sign_in(client, "adviseur-2")
    before = _bell(client.get("/").text)
    client.cookies.clear()
    sign_in(client, "adviseur-1")
    page = client.get(f"/meldingen/{signal_id}").text
    assert 'id="toegewezen">nog aan niemand<' in page and '<option value="adviseur-2">adviseur-2</option>' in page
    done = _assign(client, signal_id, 1, "adviseur-2")
    assert done.status_code == 303
    page = client.get(done.headers["location"]).text
    assert "De melding is toegewezen" in page and 'id="toegewezen">adviseur-2<' in page
    assert "adviseur-1: Toegewezen aan adviseur-2" in page and 'name="stap" value="undermining"' in page
    row = client.get("/meldingen").text.split(f'href="/meldingen/{signal_id}"')[1].split("</tr>")[0]
    assert "nieuw" in row  # assigned, not yet weighed
    client.cookies.clear()
    sign_in(client, "adviseur-2")
    assert _bell(client.get("/").text) == before + 1
    listed = client.get("/notificaties").text
    assert f"Melding {signal_id} is aan u toegewezen" in listed and f'href="/meldingen/{signal_id}"' in listed


@pytest.mark.parametrize(
    ("assignee", "message"),
    [("vv-1", "vv-1&#39; is geen veiligheidsadviseur"), ("onbekend-7", "onbekend-7&#39; is geen veiligheidsadviseur"),
     ("", "Kies de veiligheidsadviseur aan wie u de melding toewijst")],
)  # fmt: skip
def test_assigning_to_someone_not_an_advisor_is_named_at_the_field_and_changes_nothing(
    client: Client, assignee: str, message: str
) -> None:
    sign_in(client, "adviseur-1")
    signal_id = _registered(client, form_token(client.get("/").text))
    refused = _assign(client, signal_id, 1, assignee)
    assert refused.status_code == 400
    text = refused.text
    assert 'href="#assigned-assignee"' in text and 'id="assigned-assignee-fout"' in text and message in text
    page = client.get(f"/meldingen/{signal_id}").text
    assert 'id="toegewezen">nog aan niemand<' in page and 'name="versie" value="1"' in page


def test_a_weighed_out_signal_offers_no_assignment(client: Client) -> None:
    sign_in(client, "adviseur-1")
    csrf = form_token(client.get("/").text)
    signal_id = _registered(client, csrf)
    form = {"_csrf": csrf, "stap": "notUndermining", "versie": "1", "reason": "buurtruzie"}
    assert client.post(f"/meldingen/{signal_id}/weging", data=form, follow_redirects=False).status_code == 303
    assert 'id="stap-assigned-formulier"' not in client.get(f"/meldingen/{signal_id}").text
    refused = _assign(client, signal_id, 2, "adviseur-1")
    assert refused.status_code == 409 and "de weging is afgerond" in refused.text
