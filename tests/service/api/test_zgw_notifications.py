"""Notifications of new zaken from the Notificaties API: the callback, its secret, and the application it leads to.

The zaaksysteem is an httpx.MockTransport serving one zaak; the notification bodies are checked against the official
`Message` schema of the Notificaties API 1.0 (tests/zgw/specs/notificaties-1.0.0.json).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from bibob import load_catalogue
from bibob.clients import ZgwSettings
from bibob.policy import load_policy
from service.app import create_app
from service.integrations import Integrations
from service.settings import Settings
from service.store import jobs
from service.store.engine import create_engine_for
from service.zgw_notifications import NotificationSettings, PermitZaaktype, register_notified_zaken
from tests.service.conftest import Client, bearer
from tests.service.test_openapi_bodies import rows_per_table
from tests.zgw import official

BASE = "https://zaken.test"
ZAKEN = f"{BASE}/zaken/api/v1"
PERMIT = f"{BASE}/catalogi/api/v1/zaaktypen/horeca-exploitatie"
OTHER = f"{BASE}/catalogi/api/v1/zaaktypen/evenement"
SECRET = "Token notificaties-test-geheim-0123"
ZGW = ZgwSettings(
    zaken_url=ZAKEN, besluiten_url=f"{BASE}/besluiten/api/v1", client_id="bibob",
    secret="zgw-test-secret-of-32-characters", rsin="002220647",
    zaaktype=f"{BASE}/catalogi/api/v1/zaaktypen/ondermijning", statustypen={}, roltypen={},
)  # fmt: skip
NOTIFICATIONS = NotificationSettings(SECRET, {PERMIT: PermitZaaktype("exploitatieHoreca", "vergunning")})
URL = "/api/v1/zgw-notifications"
ZAAK_ID = "6c2f1b8e-3a7d-4e59-9a41-0b7c5d2e8f13"
SECOND_ID = "0f4b6a2c-8d1e-4c3b-a5f7-9e2d1c0b3a48"


def _zaak(zaak_id: str, zaaktype: str = PERMIT) -> dict[str, Any]:
    return {
        "url": f"{ZAKEN}/zaken/{zaak_id}", "zaaktype": zaaktype, "identificatie": "ZAAK-2026-0000001",
        "registratiedatum": "2026-11-02", "startdatum": "2026-11-02", "omschrijving": "Exploitatievergunning",
    }  # fmt: skip


ZAKEN_SERVED = {ZAAK_ID: _zaak(ZAAK_ID), SECOND_ID: _zaak(SECOND_ID, OTHER)}  # the second is no permit zaak after all


def _zaaksysteem(request: httpx.Request) -> httpx.Response:
    zaak_id = request.url.path.rsplit("/", 1)[-1]
    if request.method == "GET" and zaak_id in ZAKEN_SERVED and request.headers.get("Accept-Crs") == "EPSG:4326":
        assert request.headers["Authorization"].startswith("Bearer ")  # our JWT, only to the configured Zaken API
        return httpx.Response(200, json=ZAKEN_SERVED[zaak_id])
    return httpx.Response(503)


def notification(zaak_id: str = ZAAK_ID, **changes: Any) -> dict[str, Any]:
    body = {
        "kanaal": "zaken", "hoofdObject": f"{ZAKEN}/zaken/{zaak_id}", "resource": "zaak",
        "resourceUrl": f"{ZAKEN}/zaken/{zaak_id}", "actie": "create", "aanmaakdatum": "2026-11-02T09:15:00Z",
        "kenmerken": {"bronorganisatie": "002220647", "zaaktype": PERMIT, "vertrouwelijkheidaanduiding": "openbaar"},
    }  # fmt: skip
    return body | changes


@pytest.fixture(scope="module")
def client(database_url: str) -> Iterator[Client]:
    settings = Settings(database_url=database_url, integrations=Integrations(zgw=ZGW), zgw_notifications=NOTIFICATIONS)
    with TestClient(create_app(settings, transport=httpx.MockTransport(_zaaksysteem))) as test_client:
        yield test_client


def _run_jobs(database_url: str) -> int:
    engine = create_engine_for(database_url)

    async def run() -> int:
        async with httpx.AsyncClient(transport=httpx.MockTransport(_zaaksysteem)) as http:
            return await register_notified_zaken(engine, http, ZGW, NOTIFICATIONS, load_catalogue(), load_policy())

    try:
        return asyncio.run(run())
    finally:
        engine.dispose()


def _job(database_url: str, zaak_id: str) -> jobs.Job:
    engine = create_engine_for(database_url)
    try:
        with engine.connect() as conn:
            return jobs.job(conn, jobs.ZGW_INTAKE, zaak_id)
    finally:
        engine.dispose()


def test_the_notifications_sent_here_are_valid_notificaties_api_messages() -> None:
    bodies = [notification(), notification(SECOND_ID), notification(actie="update"), notification(kanaal="besluiten")]
    invalid = [problem for body in bodies for problem in official.problems("notificaties", "Message", body)]
    version = official.version("notificaties")
    print(f"Notificaties API {version}: {len(bodies)} notifications checked, {len(invalid)} invalid")
    assert invalid == []


def test_a_new_permit_zaak_is_registered_once_as_an_application_for_screening(
    client: Client, tokens: dict[str, str], database_url: str
) -> None:
    first = client.post(URL, json=notification(), headers={"Authorization": SECRET})
    assert (first.status_code, first.json()) == (200, {"outcome": "queued"})
    _run_jobs(database_url)  # what the app's background does every 30 seconds (it may have beaten us to it)
    coordinator = bearer(tokens["bibobCoordinator"], "notificatietest")
    application = client.get(f"/api/v1/applications/{ZAAK_ID}", headers=coordinator)
    assert application.status_code == 200
    assert (application.json()["permitType"], application.json()["received"]) == ("exploitatieHoreca", "2026-11-02")
    assert _job(database_url, ZAAK_ID).state["outcome"] == "registered"

    before = rows_per_table(database_url)
    again = client.post(URL, json=notification(aanmaakdatum="2026-11-02T09:15:01Z"), headers={"Authorization": SECRET})
    assert (again.status_code, again.json()) == (200, {"outcome": "repeated"})
    assert _run_jobs(database_url) == 0
    assert rows_per_table(database_url) == before


def test_a_zaak_that_is_no_permit_zaak_when_read_registers_nothing(
    client: Client, tokens: dict[str, str], database_url: str
) -> None:
    assert (
        client.post(URL, json=notification(SECOND_ID), headers={"Authorization": SECRET}).json()["outcome"] == "queued"
    )
    _run_jobs(database_url)
    assert _job(database_url, SECOND_ID).state["outcome"] == "otherZaaktype"
    coordinator = bearer(tokens["bibobCoordinator"], "notificatietest")
    assert client.get(f"/api/v1/applications/{SECOND_ID}", headers=coordinator).status_code == 404


@pytest.mark.parametrize(
    "changes",
    [{"kanaal": "besluiten"}, {"resource": "status"}, {"actie": "update"},
     {"kenmerken": {"zaaktype": OTHER}}, {"kenmerken": {}}],
    ids=["other-kanaal", "other-resource", "other-actie", "other-zaaktype", "no-zaaktype"],
)  # fmt: skip
def test_other_notifications_are_acknowledged_and_ignored(
    client: Client, database_url: str, changes: dict[str, Any]
) -> None:
    before = rows_per_table(database_url)
    response = client.post(URL, json=notification("1d5e7c9a-0000-4000-8000-000000000001", **changes),
                           headers={"Authorization": SECRET})  # fmt: skip
    assert (response.status_code, response.json()) == (200, {"outcome": "ignored"})
    assert rows_per_table(database_url) == before


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({"Authorization": "Token iets-anders-dan-het-geheim"}, 403), ({"Authorization": SECRET + "x"}, 403),
     ({"Authorization": f"Bearer {SECRET}"}, 403)],
    ids=["missing", "wrong", "longer", "as-bearer"],
)  # fmt: skip
def test_without_the_secret_the_callback_is_refused_and_nothing_changes(
    client: Client, database_url: str, headers: dict[str, str], status: int
) -> None:
    before = rows_per_table(database_url)
    response = client.post(URL, json=notification("2e6f8d0b-0000-4000-8000-000000000002"), headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    assert rows_per_table(database_url) == before


def test_a_malformed_notification_names_every_problem_and_changes_nothing(client: Client, database_url: str) -> None:
    before = rows_per_table(database_url)
    body = {"kanaal": "z" * 51, "hoofdObject": "geen-url", "resource": "", "resourceUrl": 12, "actie": "create",
            "aanmaakdatum": "gisteren", "kenmerken": {"zaaktype": 3}}  # fmt: skip
    response = client.post(URL, json=body, headers={"Authorization": SECRET})
    assert response.status_code == 400
    names = sorted(p["name"] for p in response.json()["invalidParams"])
    assert names == ["aanmaakdatum", "hoofdObject", "kanaal", "kenmerken", "resource", "resourceUrl"]
    for payload in (b"{kapot", b"[]"):
        broken = client.post(
            URL, content=payload, headers={"Authorization": SECRET, "Content-Type": "application/json"}
        )
        assert broken.status_code == 400
    assert rows_per_table(database_url) == before


def test_a_zaak_outside_the_configured_zaken_api_is_refused_and_our_token_goes_nowhere(
    client: Client, database_url: str
) -> None:
    before = rows_per_table(database_url)
    elsewhere = "https://elders.test/zaken/api/v1/zaken/3a7b9c1d-0000-4000-8000-000000000003"
    response = client.post(URL, json=notification(resourceUrl=elsewhere), headers={"Authorization": SECRET})
    assert response.status_code == 400
    assert [p["code"] for p in response.json()["invalidParams"]] == ["foreignUrl"]
    assert rows_per_table(database_url) == before


def test_an_unreachable_zaaksysteem_leaves_the_job_pending_for_a_later_attempt(
    client: Client, database_url: str
) -> None:
    missing = "4b8c0e2f-0000-4000-8000-000000000004"  # the stand-in answers 503 for it
    assert client.post(URL, json=notification(missing), headers={"Authorization": SECRET}).json()["outcome"] == "queued"
    _run_jobs(database_url)
    job = _job(database_url, missing)
    assert (job.status, job.attempts) == ("pending", 1)


def test_without_notification_settings_the_callback_does_not_exist(database_url: str) -> None:
    with TestClient(create_app(Settings(database_url=database_url))) as bare:
        headers = {"Authorization": SECRET, "Content-Type": "application/json"}
        response = bare.post(URL, content=json.dumps(notification()), headers=headers)
    assert response.status_code == 404
