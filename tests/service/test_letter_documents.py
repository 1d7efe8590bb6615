"""Letters into the zaaksysteem from the job table: documents of the permit zaak, once, never of a case's zaak."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
from collections.abc import Iterator
from typing import Any

import attrs
import httpx
import pytest
import sqlalchemy as sa
from litestar.testing import TestClient
from sqlalchemy.engine import Engine

from bibob.exceptions import InvalidInputError
from service.app import create_app
from service.auth import Principal, Role
from service.demo import REFUSAL, load_demo
from service.integrations import Integrations
from service.letter_documents import send_due_letters
from service.settings import Settings
from service.store import jobs, permit_zaken
from service.store.engine import create_engine_for
from service.store.letters import file_content
from service.store.migrate import migrate
from service.store.tables import letters
from service.usecases.permit_zaak import record_permit_zaak
from service.usecases.session import Session
from tests.bibob.clients.test_zgw import PERMIT_ZAAK
from tests.bibob.clients.test_zgw_documents import INFORMATIEOBJECTTYPE
from tests.bibob.clients.zgw_fake import DOCUMENTEN, ZAKEN, FakeZgw
from tests.service.conftest import Client, bearer
from tests.service.test_integrations import configured
from tests.service.test_operations import ZGW, problems_of

API = "/api/v1/applications"
CASE_ZAAK = f"{ZAKEN}/zaken/zaak-van-een-casus"
DOCUMENTS = "enkelvoudiginformatieobjecten"


def with_documents() -> Integrations:
    return attrs.evolve(configured(), documenten_url=DOCUMENTEN, informatieobjecttype=INFORMATIEOBJECTTYPE)


@attrs.frozen
class Demo:
    client: Client
    engine: Engine
    tokens: dict[str, str]


@pytest.fixture
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    url = f"sqlite:///{tmp_path_factory.mktemp('letterdocs') / 'bibob.sqlite3'}"
    migrate(url)
    engine = create_engine_for(url)
    tokens = {principal.role.value: token for principal, token in load_demo(engine).tokens}
    with TestClient(create_app(Settings(database_url=url))) as client:  # no mirror loop: the tests run the rounds
        yield Demo(client, engine, tokens)
    engine.dispose()


def make(demo: Demo, body: dict[str, Any]) -> str:
    response = demo.client.post(f"{API}/{REFUSAL}/letters", json=body,
                                headers=bearer(demo.tokens["bibobCoordinator"], "brief maken"))  # fmt: skip
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def put_zaak(demo: Demo, body: object, role: str = "bibobCoordinator") -> httpx.Response:
    return demo.client.put(f"{API}/{REFUSAL}/permit-zaak", json=body, headers=bearer(demo.tokens[role], "zaak"))


def round_of(demo: Demo, fake: FakeZgw, integrations: Integrations | None = None) -> int:
    async def go() -> int:
        async with fake.client() as client:
            return await send_due_letters(demo.engine, client, integrations or with_documents())

    return asyncio.run(go())


def job(demo: Demo, letter_id: str) -> jobs.Job:
    with demo.engine.connect() as conn:
        return jobs.job(conn, jobs.ZGW_LETTER, letter_id)


def pdf_of(demo: Demo, letter_id: str) -> bytes:
    with demo.engine.connect() as conn:
        return file_content(conn.execute(sa.select(letters.c.pdf).where(letters.c.id == letter_id)).scalar_one())


def test_a_letter_to_the_applicant_becomes_a_document_of_the_permit_zaak_and_the_lbb_request_stays_here(
    demo: Demo,
) -> None:
    refusal = make(demo, {"kind": "decisionRefusal"})
    request = make(demo, {"kind": "lbbRequest", "questions": ["Is er een zakelijk samenwerkingsverband?"]})
    assert put_zaak(demo, {"url": PERMIT_ZAAK}).json()["url"] == PERMIT_ZAAK
    fake = FakeZgw()
    assert round_of(demo, fake) == 1
    (document,) = fake.of_kind(DOCUMENTS)
    assert base64.b64decode(document["inhoud"]) == pdf_of(demo, refusal)
    assert document["vertrouwelijkheidaanduiding"] == "vertrouwelijk" and document["auteur"] == "demo-bibob-coordinator"
    (relation,) = fake.of_kind("zaakinformatieobjecten")
    assert (relation["zaak"], relation["informatieobject"]) == (PERMIT_ZAAK, document["url"])
    assert job(demo, refusal).status == "done"
    with pytest.raises(LookupError):
        job(demo, request)  # the package names closed sources: no job, nothing sent (art. 28)


def test_a_second_round_sends_nothing_again(demo: Demo) -> None:
    make(demo, {"kind": "decisionRefusal"})
    fake = FakeZgw()
    round_of(demo, fake)
    sent = len(fake.log)
    assert round_of(demo, fake) == 0 and len(fake.log) == sent


def test_a_letter_made_before_its_permit_zaak_was_known_is_related_once_the_zaak_is_recorded(demo: Demo) -> None:
    letter = make(demo, {"kind": "decisionRefusal"})
    fake = FakeZgw()
    round_of(demo, fake)
    assert fake.of_kind(DOCUMENTS) and not fake.of_kind("zaakinformatieobjecten")
    coordinator = Principal("demo-bibob-coordinator", Role.BIBOB_COORDINATOR)
    with demo.engine.begin() as conn:
        session = Session(conn, coordinator, "zaak bekend", dt.datetime.now(dt.UTC))
        record_permit_zaak(session, with_documents(), REFUSAL, {"url": PERMIT_ZAAK})
    assert job(demo, letter).status == "pending"
    round_of(demo, fake)
    assert len(fake.of_kind(DOCUMENTS)) == 1
    assert [r["zaak"] for r in fake.of_kind("zaakinformatieobjecten")] == [PERMIT_ZAAK]


def test_the_zaak_of_an_undermining_case_is_refused_as_the_permit_zaak_and_never_gets_a_letter(demo: Demo) -> None:
    with demo.engine.begin() as conn:
        jobs.request_job(conn, jobs.ZGW_MIRROR, "LEU-C-99")
        jobs.finish_job(conn, jobs.ZGW_MIRROR, "LEU-C-99", {"zaak": CASE_ZAAK})
    response = put_zaak(demo, {"url": CASE_ZAAK})
    assert response.status_code == 400
    assert [(p["name"], p["code"]) for p in response.json()["invalidParams"]] == [("/url", "caseZaak")]
    with demo.engine.connect() as conn:
        assert permit_zaken.url_of(conn, REFUSAL) == ""
    letter = make(demo, {"kind": "decisionRefusal"})
    with demo.engine.begin() as conn:  # recorded before the case mirror made that zaak: the round still refuses
        conn.execute(permit_zaken.permit_zaken.insert().values(application_id=REFUSAL, url=CASE_ZAAK,
                                                               recorded_by="x", recorded_at=sa.func.now()))  # fmt: skip
    fake = FakeZgw()
    round_of(demo, fake)
    assert fake.log == []
    assert job(demo, letter).status == "failed" and "ondermijningscasus" in job(demo, letter).last_error


def test_a_refused_letter_stops_as_failed_and_a_passing_outage_stays_pending(demo: Demo) -> None:
    letter = make(demo, {"kind": "decisionRefusal"})
    round_of(demo, FakeZgw(fail={1: 400}))
    assert job(demo, letter).status == "failed" and "verzoek afgewezen" in job(demo, letter).last_error
    put_zaak(demo, {"url": PERMIT_ZAAK})
    with demo.engine.begin() as conn:
        jobs.request_job(conn, jobs.ZGW_LETTER, letter)  # someone asks again
    round_of(demo, FakeZgw(fail={1: 502, 2: 502, 3: 502}))
    assert job(demo, letter).status == "pending" and job(demo, letter).attempts == 2


def test_without_the_documenten_settings_no_letter_leaves(demo: Demo) -> None:
    make(demo, {"kind": "decisionRefusal"})
    fake = FakeZgw()
    assert round_of(demo, fake, configured()) == 0 and fake.log == []


def test_bad_permit_zaak_bodies_name_every_problem_and_change_nothing(demo: Demo) -> None:
    cases: list[tuple[object, set[str]]] = [
        ({"url": "ftp://zaken/1"}, {"/url"}), ({"url": 3}, {"/url"}), ({}, {"/url"}),
        ({"url": PERMIT_ZAAK, "zaak": 1}, {"/zaak"}), ({"url": "https://x/" + "z" * 1000}, {"/url"}),
        ({"url": "https://zaken/ 1"}, {"/url"}), ({"url": "https://zaken/\x001"}, {"/url"}), ([PERMIT_ZAAK], {""}),
    ]  # fmt: skip
    for body, names in cases:
        response = put_zaak(demo, body)
        assert response.status_code == 400, body
        assert {p["name"] for p in response.json()["invalidParams"]} == names, body
    with demo.engine.connect() as conn:
        assert permit_zaken.url_of(conn, REFUSAL) == ""


def test_who_may_not_change_the_application_gets_404_and_nothing_is_recorded(demo: Demo) -> None:
    response = put_zaak(demo, {"url": PERMIT_ZAAK}, role="safetyAdvisor")
    assert response.status_code == 404
    assert demo.client.put(f"{API}/onbekend/permit-zaak", json={"url": PERMIT_ZAAK},
                           headers=bearer(demo.tokens["bibobCoordinator"])).status_code == 404  # fmt: skip
    with demo.engine.connect() as conn:
        assert permit_zaken.url_of(conn, REFUSAL) == ""


def test_the_documenten_settings_come_together_with_the_zaken_api_and_are_named_when_missing_or_malformed() -> None:
    assert problems_of({"BIBOB_ZGW_DOCUMENTEN_URL": DOCUMENTEN}) == {
        "BIBOB_ZGW_ZAKEN_URL": "missingSetting", "BIBOB_ZGW_INFORMATIEOBJECTTYPE": "missingSetting",
    }  # fmt: skip
    assert problems_of(ZGW | {"BIBOB_ZGW_INFORMATIEOBJECTTYPE": "brief"}) == {
        "BIBOB_ZGW_INFORMATIEOBJECTTYPE": "invalidSetting", "BIBOB_ZGW_DOCUMENTEN_URL": "missingSetting",
    }  # fmt: skip
    complete = Settings.from_env(
        ZGW | {"BIBOB_ZGW_DOCUMENTEN_URL": DOCUMENTEN, "BIBOB_ZGW_INFORMATIEOBJECTTYPE": INFORMATIEOBJECTTYPE}
    ).integrations
    assert (complete.documenten_url, complete.informatieobjecttype) == (DOCUMENTEN, INFORMATIEOBJECTTYPE)
    with pytest.raises(InvalidInputError):
        Settings.from_env(ZGW | {"BIBOB_ZGW_DOCUMENTEN_URL": "documenten"})
