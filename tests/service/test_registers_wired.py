"""The service with KvK and the zaaksysteem configured: register findings in an assessment, case mirrors."""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import httpx
import pytest
from litestar.testing import TestClient

from bibob.clients import KvkSettings
from bibob.clients._http import Retry
from service.app import create_app
from service.auth import Role
from service.settings import Settings
from service.store import jobs
from service.store.engine import create_engine_for
from service.store.migrate import migrate
from service.store.tokens import create_token
from tests.bibob.clients.kvk_samples import API_KEY
from tests.bibob.clients.test_register_checks import register_entry
from tests.bibob.clients.zgw_fake import FakeZgw
from tests.conftest import answers
from tests.service.api.test_applications import BASE, create, headers, put_answers
from tests.service.conftest import Client, bearer
from tests.service.test_integrations import configured

KVK = KvkSettings(API_KEY, base_url="https://kvk.test/api", retry=Retry(retries=0))


def _kvk(request: httpx.Request) -> httpx.Response:
    if request.url.host == "kvk.test":
        founded_later = register_entry(
            formeleRegistratiedatum="20250901", materieleRegistratie={"datumAanvang": "20250901"}
        )
        return httpx.Response(200, json=founded_later)
    return FakeZgw()(request)


@pytest.fixture(scope="module")
def wired(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Client, dict[str, str], str]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('wired') / 'bibob.sqlite3'}"
    migrate(url)
    engine = create_engine_for(url)
    with engine.begin() as conn:
        tokens = {role.value: create_token(conn, f"{role.value}-1", role) for role in Role}
    engine.dispose()
    integrations = attrs.evolve(configured(), kvk=KVK)
    settings = Settings(database_url=url, integrations=integrations)
    with TestClient(create_app(settings, transport=httpx.MockTransport(_kvk))) as client:
        yield client, tokens, url


def test_an_assessment_compares_the_declared_bv_with_the_register(wired: tuple[Client, dict[str, str], str]) -> None:
    client, tokens, _ = wired
    token = tokens["bibobCoordinator"]
    identifier = create(client, token)["id"]
    assert put_answers(client, token, identifier, 1, answers("valid-bv-two-ubos.json")).status_code == 200
    response = client.post(f"{BASE}/{identifier}/assessments", json={}, headers=headers(token))
    assert response.status_code == 201, response.text
    body = response.json()
    assert "registerMismatch" in [f["code"] for f in body["findings"]]
    assert body["registerCheck"] == "2 KvK-inschrijving(en) gecontroleerd"  # the bv and the lessor of the premises


def test_a_case_mirror_is_accepted_and_waits_in_the_job_table(wired: tuple[Client, dict[str, str], str]) -> None:
    client, tokens, url = wired
    token = tokens["safetyAdvisor"]
    case = client.post("/api/v1/cases", json={"title": "Casus Hamersveld", "theme": "hospitality",
                                              "confidentiality": "confidential", "partners": ["police"]},
                       headers=bearer(token))  # fmt: skip
    assert case.status_code == 201, case.text
    case_id = case.json()["id"]
    response = client.post(f"/api/v1/cases/{case_id}/zgw-mirrors", headers=bearer(token))
    assert response.status_code == 202
    assert response.json()["status"] in ("pending", "done")
    engine = create_engine_for(url)
    with engine.connect() as conn:
        assert jobs.job(conn, jobs.ZGW_MIRROR, case_id).kind == jobs.ZGW_MIRROR
    engine.dispose()


def test_someone_outside_the_case_cannot_ask_for_its_mirror(wired: tuple[Client, dict[str, str], str]) -> None:
    client, tokens, _ = wired
    case = client.post("/api/v1/cases", json={"title": "Casus", "theme": "hospitality", "confidentiality":
                                              "confidential", "partners": ["police"]},
                       headers=bearer(tokens["safetyAdvisor"]))  # fmt: skip
    case_id = case.json()["id"]
    for role in ("permitOfficer", "mayor", "privacyOfficer", "signalIntakePartner"):
        assert client.post(f"/api/v1/cases/{case_id}/zgw-mirrors", headers=bearer(tokens[role])).status_code == 404


def test_without_a_zaaksysteem_a_mirror_request_is_a_clear_400(client: Client, tokens: dict[str, str]) -> None:
    response = client.post("/api/v1/cases/onbekend/zgw-mirrors", headers=bearer(tokens["safetyAdvisor"]))
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["code"] == "notConfigured"
