"""The Bibob register and tips on the overview page (issue 14 item 9): the screening trigger, a consultation of the
register and an outbound tip are recorded through the step forms, every problem is named at its field at once, and
bad input changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from service.store.engine import create_engine_for
from service.store.tables import applications, disclosures
from tests.service.web.conftest import Client, form_token, sign_in


@pytest.fixture
def officer(client: Client) -> str:
    """The client signed in as permit officer vv-1; gives the session's form token."""
    client.cookies.clear()
    sign_in(client, "vv-1")
    return form_token(client.get("/").text)


def _register(client: Client, csrf: str, identifier: str) -> None:
    form = {"_csrf": csrf, "kenmerk": identifier, "soort": "exploitatieHoreca", "spoor": "application",
            "ontvangen": "01-10-2026", "rechtshandeling": "vergunning", "vragenformulier": ""}  # fmt: skip
    assert client.post("/aanvragen/nieuw", data=form, follow_redirects=False).status_code == 303


def _step(client: Client, csrf: str, identifier: str, version: int, kind: str, **fields: str) -> Any:
    form = {"_csrf": csrf, "versie": str(version), "type": kind, "on": "02-10-2026"} | fields
    return client.post(f"/aanvragen/{identifier}/stappen", data=form, follow_redirects=False)


def _stored(database_url: str, identifier: str) -> tuple[int, list[Any], int]:
    """The version and history of the application, and how many disclosures its dossier has."""
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(applications.c.version, applications.c.history).where(applications.c.id == identifier)
        ).one()
        count = conn.execute(
            sa.select(sa.func.count()).select_from(disclosures).where(disclosures.c.dossier_id == identifier)
        ).scalar_one()
    engine.dispose()
    return int(row.version), list(row.history or []), int(count)


def test_the_overview_offers_the_three_register_steps_as_forms_not_as_the_api(client: Client, officer: str) -> None:
    _register(client, officer, "REG-FORMS")
    page = client.get("/aanvragen/REG-FORMS").text
    for kind in ("screeningTriggered", "registerConsulted", "tipSent"):
        assert f'id="stap-{kind}-formulier"' in page
    assert "via de API" not in page
    assert '<option value="">Kies de aanleiding</option>' in page
    assert '<option value="omTip">Tip van het Openbaar Ministerie (art. 26 Wet Bibob)</option>' in page
    assert '<textarea class="utrecht-textarea' in page and 'id="registerConsulted-subjects"' in page
    assert 'id="registerConsulted-hit-ja"' in page and 'id="registerConsulted-hit-nee"' in page
    assert 'id="tipSent-recipient"' in page
    assert "Hij wordt vastgelegd als verstrekking (art. 28 Wet Bibob)." in page  # said before the click


def test_a_trigger_a_consultation_with_a_hit_and_a_tip_are_recorded_and_the_tip_is_a_disclosure(
    client: Client, officer: str, database_url: str
) -> None:
    _register(client, officer, "REG-WALK")
    consulted = _step(client, officer, "REG-WALK", 1, "registerConsulted", consultedBy="J. de Vries, coördinator",
                      subjects="Johanna Verbeek\n\n  Eetcafé Het Hoekje B.V. (KvK 12345678)  \n", hit="ja")  # fmt: skip
    assert consulted.status_code == 303, consulted.text
    assert consulted.headers["location"] == "/aanvragen/REG-WALK?melding=registerConsulted"
    triggered = _step(client, officer, "REG-WALK", 2, "screeningTriggered", trigger="registerHit")
    assert triggered.status_code == 303, triggered.text
    tipped = _step(client, officer, "REG-WALK", 3, "tipSent", sentBy="J. de Vries", recipient="Gemeente Amersfoort")
    assert tipped.status_code == 303, tipped.text

    version, history, disclosed = _stored(database_url, "REG-WALK")
    assert version == 4 and disclosed == 1
    assert history[0] | {"on": ""} == {"type": "registerConsulted", "on": "", "consultedBy": "J. de Vries, coördinator",
                                        "subjects": ["Johanna Verbeek", "Eetcafé Het Hoekje B.V. (KvK 12345678)"],
                                        "hit": True}  # fmt: skip
    assert history[1]["trigger"] == "registerHit" and history[2]["recipient"] == "Gemeente Amersfoort"
    page = client.get("/aanvragen/REG-WALK").text
    assert "Bibob-register geraadpleegd (met treffer)" in page
    assert "aanleiding voor de Bibob-toets vastgelegd (treffer in het Bibob-register)" in page
    assert "tip verstuurd aan een ander bestuursorgaan (aan Gemeente Amersfoort)" in page


def test_an_empty_consultation_names_every_missing_field_at_once_and_changes_nothing(
    client: Client, officer: str, database_url: str
) -> None:
    _register(client, officer, "REG-EMPTY")
    response = _step(client, officer, "REG-EMPTY", 1, "registerConsulted", on="gisteren", consultedBy="",
                     subjects=" \n ", hit="misschien")  # fmt: skip
    assert response.status_code == 400
    page = response.text
    for field in ("on", "consultedBy", "subjects", "hit"):
        assert f'href="#registerConsulted-{field}"' in page  # in the summary, linked to the field
        assert f'id="registerConsulted-{field}-fout"' in page  # and at the field
    assert "noem ten minste één betrokkene" in page and "kies ja of nee" in page
    assert _stored(database_url, "REG-EMPTY") == (1, [], 0)


def test_a_tip_as_trigger_without_its_source_and_a_tip_without_recipient_are_named_and_change_nothing(
    client: Client, officer: str, database_url: str
) -> None:
    _register(client, officer, "REG-SOURCE")
    trigger = _step(client, officer, "REG-SOURCE", 1, "screeningTriggered", trigger="omTip", source="  ")
    assert trigger.status_code == 400
    assert 'id="screeningTriggered-source-fout"' in trigger.text
    assert "Noem van wie de aanleiding kwam (tip van het Openbaar Ministerie (art. 26 Wet Bibob))." in trigger.text
    assert '<option value="omTip" selected>' in trigger.text  # the choice is kept to correct the rest
    unknown = _step(client, officer, "REG-SOURCE", 1, "screeningTriggered", trigger="gerucht")
    assert unknown.status_code == 400 and 'id="screeningTriggered-trigger-fout"' in unknown.text
    tip = _step(client, officer, "REG-SOURCE", 1, "tipSent", sentBy="", recipient="")
    assert tip.status_code == 400
    assert 'id="tipSent-sentBy-fout"' in tip.text and 'id="tipSent-recipient-fout"' in tip.text
    assert _stored(database_url, "REG-SOURCE") == (1, [], 0)


def test_a_register_hit_as_trigger_without_a_recorded_hit_is_refused_with_the_reason(
    client: Client, officer: str, database_url: str
) -> None:
    _register(client, officer, "REG-NOHIT")
    assert _step(client, officer, "REG-NOHIT", 1, "registerConsulted", consultedBy="J. de Vries",
                 subjects="Johanna Verbeek", hit="nee").status_code == 303  # fmt: skip
    response = _step(client, officer, "REG-NOHIT", 2, "screeningTriggered", trigger="registerHit")
    assert response.status_code == 409
    assert "vereist een vastgelegde raadpleging met treffer" in response.text
    assert _stored(database_url, "REG-NOHIT")[0] == 2


def test_a_tip_at_a_stale_version_changes_nothing_and_records_no_disclosure(
    client: Client, officer: str, database_url: str
) -> None:
    _register(client, officer, "REG-STALE")
    assert _step(client, officer, "REG-STALE", 1, "screeningTriggered", trigger="policy").status_code == 303
    response = _step(client, officer, "REG-STALE", 1, "tipSent", sentBy="J. de Vries", recipient="Gemeente Baarn")
    assert response.status_code == 409 and "Iemand anders heeft deze aanvraag intussen gewijzigd" in response.text
    assert _stored(database_url, "REG-STALE")[0::2] == (2, 0)


def test_a_consultation_posted_without_the_form_token_changes_nothing(
    client: Client, officer: str, database_url: str
) -> None:
    _register(client, officer, "REG-CSRF")
    form = {"versie": "1", "type": "registerConsulted", "on": "02-10-2026", "consultedBy": "x", "subjects": "y",
            "hit": "ja"}  # fmt: skip
    assert client.post("/aanvragen/REG-CSRF/stappen", data=form, follow_redirects=False).status_code == 403
    assert _stored(database_url, "REG-CSRF") == (1, [], 0)
