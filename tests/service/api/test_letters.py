"""Letters through the API on the demo municipality: made, listed, downloaded, hidden from who may not read the file."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from litestar.testing import TestClient
from sqlalchemy.engine import Engine

from service.app import create_app
from service.auth import Role
from service.demo import REFUSAL, load_demo
from service.settings import Settings
from service.store.engine import create_engine_for
from service.store.migrate import migrate
from service.store.tables import letters
from service.store.tokens import create_token
from tests.service.conftest import Client, bearer
from tests.service.letters.readback import docx_text, flat, needs_pdftotext, pdf_text

API = "/api/v1/applications"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Client, dict[str, str]]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('letters') / 'bibob.sqlite3'}"
    migrate(url)
    engine: Engine = create_engine_for(url)
    result = load_demo(engine)
    tokens = {principal.role.value: token for principal, token in result.tokens}
    with engine.begin() as conn:
        tokens["otherOfficer"] = create_token(conn, "andere-vergunningverlener", Role.PERMIT_OFFICER)
    engine.dispose()
    with TestClient(create_app(Settings(database_url=url))) as client:
        client.app.state.test_url = url
        yield client, tokens


def _made(client: Client, token: str, application_id: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(f"{API}/{application_id}/letters", json=body, headers=bearer(token, "brief maken"))
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


@needs_pdftotext
def test_a_refusal_letter_is_stored_with_its_hashes_and_downloads_as_the_same_letter_in_both_formats(
    demo: tuple[Client, dict[str, str]],
) -> None:
    client, tokens = demo
    made = _made(client, tokens["bibobCoordinator"], REFUSAL, {"kind": "decisionRefusal", "adviceEnclosed": True})
    assert made["kind"] == "decisionRefusal" and made["createdBy"] == "demo-bibob-coordinator"
    texts = {}
    for file_format, url in made["files"].items():
        response = client.get(url, headers=bearer(tokens["permitOfficer"]))
        assert response.status_code == 200
        assert hashlib.sha256(response.content).hexdigest() == made["sha256"][file_format]
        assert made["name"] in response.headers["content-disposition"]
        texts[file_format] = flat(docx_text(response.content)) if file_format == "docx" else pdf_text(response.content)
    for text in texts.values():
        assert "Evenredigheid" in text and "artikel 28 lid 3" in text and "uiterlijk op 24 augustus 2026" in text
    listed = client.get(f"{API}/{REFUSAL}/letters", headers=bearer(tokens["mayor"])).json()
    assert made["id"] in [letter["id"] for letter in listed["results"]]
    assert listed["applicable"][0] == "decisionRefusal"


def test_letters_of_an_application_are_hidden_from_who_may_not_read_it(demo: tuple[Client, dict[str, str]]) -> None:
    client, tokens = demo
    made = _made(client, tokens["bibobCoordinator"], REFUSAL, {"kind": "lbbNotice"})
    for role in ("otherOfficer", "safetyAdvisor", "privacyOfficer"):
        headers = bearer(tokens[role])
        assert client.get(f"{API}/{REFUSAL}/letters", headers=headers).status_code == 404
        assert client.get(made["files"]["pdf"], headers=headers).status_code == 404
        assert client.post(f"{API}/{REFUSAL}/letters", json={"kind": "x"}, headers=headers).status_code == 404
    assert client.get(f"{API}/{REFUSAL}/letters/{made['id']}/odt", headers=bearer(tokens["mayor"])).status_code == 404


def test_a_bad_letter_request_names_every_problem_and_stores_nothing(demo: tuple[Client, dict[str, str]]) -> None:
    client, tokens = demo
    headers = bearer(tokens["bibobCoordinator"])
    before = client.get(f"{API}/{REFUSAL}/letters", headers=headers).json()["count"]
    body = {"kind": "brief", "date": "3-12-2026", "adviceEnclosed": "ja", "lbbQuestions": [""], "extra": 1}
    response = client.post(f"{API}/{REFUSAL}/letters", json=body, headers=headers)
    assert response.status_code == 400
    assert {p["name"] for p in response.json()["invalidParams"]} == {"/extra"}  # unknown fields first, alone
    del body["extra"]
    response = client.post(f"{API}/{REFUSAL}/letters", json=body, headers=headers)
    assert response.status_code == 400
    names = {p["name"] for p in response.json()["invalidParams"]}
    assert names == {"/kind", "/date", "/adviceEnclosed", "/lbbQuestions"}
    assert client.get(f"{API}/{REFUSAL}/letters", headers=headers).json()["count"] == before


def test_an_advice_copy_cannot_be_enclosed_before_an_advice_was_received(demo: tuple[Client, dict[str, str]]) -> None:
    client, tokens = demo
    response = client.post(
        f"{API}/LEU-2026-D07/letters", json={"kind": "lbbNotice", "adviceEnclosed": True},
        headers=bearer(tokens["bibobCoordinator"]),
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "/adviceEnclosed"


def test_the_lbb_request_is_the_coordinators_with_its_json_package_and_stays_hidden_from_the_permit_officer(
    demo: tuple[Client, dict[str, str]],
) -> None:
    client, tokens = demo
    body = {"kind": "lbbRequest", "questions": ["Is de bestuurder nog betrokken bij witwassen?"], "riecAdvice": False}
    officer = bearer(tokens["permitOfficer"])
    assert client.post(f"{API}/{REFUSAL}/letters", json=body, headers=officer).status_code == 404
    made = _made(client, tokens["bibobCoordinator"], REFUSAL, body)
    package = made["document"]["package"]
    assert package["questions"] == body["questions"] and package["findings"] and package["persons"]
    assert made["id"] not in [
        letter["id"] for letter in client.get(f"{API}/{REFUSAL}/letters", headers=officer).json()["results"]
    ]
    assert client.get(made["files"]["pdf"], headers=officer).status_code == 404
    assert client.get(made["files"]["pdf"], headers=bearer(tokens["bibobCoordinator"])).status_code == 200
    misplaced = client.post(f"{API}/{REFUSAL}/letters", json={"kind": "lbbNotice", "questions": ["x"]},
                            headers=bearer(tokens["bibobCoordinator"]))  # fmt: skip
    assert [p["name"] for p in misplaced.json()["invalidParams"]] == ["/questions"]


def _archive(content: bytes) -> tuple[set[str], dict[str, Any], dict[str, Any]]:
    with zipfile.ZipFile(io.BytesIO(content)) as zipped:
        names = set(zipped.namelist())
        return names, json.loads(zipped.read("00-inventarislijst.json")), json.loads(zipped.read("00-weggelaten.json"))


def test_the_dossier_of_the_refused_demo_application_matches_its_index_and_omits_exactly_what_was_chosen(
    demo: tuple[Client, dict[str, str]],
) -> None:
    client, tokens = demo
    coordinator = bearer(tokens["bibobCoordinator"], "beroep ingesteld")
    _made(client, tokens["bibobCoordinator"], REFUSAL, {"kind": "decisionRefusal", "adviceEnclosed": True})
    omit = {"answers": "antwoorden van derden (art. 28 Wet Bibob, Awb 8:29)", "assessment-permit-officer": "dubbel"}
    response = client.post(f"{API}/{REFUSAL}/dossier-exports", json={"recipient": "court", "omit": omit},
                           headers=coordinator)  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    names, index, record = _archive(response.content)
    listed = {d["file"] for d in index["documents"] if d["file"]}
    assert names == listed | {"00-inventarislijst.txt", "00-inventarislijst.json", "00-weggelaten.json"}
    assert [d["number"] for d in index["documents"]] == list(range(1, len(index["documents"]) + 1))
    assert all(d["date"] for d in index["documents"])
    assert {d["code"] for d in index["documents"] if d["omittedBecause"]} == set(omit)
    assert {item["code"]: item["reason"] for item in record["omitted"]} == omit
    codes = {d["code"] for d in index["documents"]}
    assert {"assessment-coordinator", "decision", "timeline", "audit"} <= codes
    assert any(code.startswith("letter-") for code in codes)
    with zipfile.ZipFile(io.BytesIO(response.content)) as zipped:
        reads = json.loads(zipped.read(next(d["file"] for d in index["documents"] if d["code"] == "audit")))
    assert any(row["action"].startswith("letter.") for row in reads)


def test_a_bad_dossier_export_names_every_problem_and_the_permit_officer_cannot_export(
    demo: tuple[Client, dict[str, str]],
) -> None:
    client, tokens = demo
    body = {"recipient": "court", "omit": {"geheim": "x", "answers": " "}}
    response = client.post(f"{API}/{REFUSAL}/dossier-exports", json=body, headers=bearer(tokens["bibobCoordinator"]))
    assert response.status_code == 400
    assert {p["name"] for p in response.json()["invalidParams"]} == {"/omit/geheim", "/omit/answers"}
    response = client.post(f"{API}/{REFUSAL}/dossier-exports", json={"recipient": "krant"},
                           headers=bearer(tokens["bibobCoordinator"]))  # fmt: skip
    assert [p["name"] for p in response.json()["invalidParams"]] == ["/recipient"]
    response = client.post(f"{API}/{REFUSAL}/dossier-exports", json={"recipient": "court"},
                           headers=bearer(tokens["permitOfficer"]))  # fmt: skip
    assert response.status_code == 404


def test_the_permit_officer_makes_procedural_letters_but_not_those_whose_motivation_draws_on_closed_sources(
    demo: tuple[Client, dict[str, str]],
) -> None:
    client, tokens = demo
    officer = bearer(tokens["permitOfficer"])  # the demo officer owns the demo applications
    for kind in ("decisionRefusal", "intention", "objectionDecision"):
        assert client.post(f"{API}/{REFUSAL}/letters", json={"kind": kind}, headers=officer).status_code == 404
    assert client.post(f"{API}/{REFUSAL}/letters", json={"kind": "lbbNotice"}, headers=officer).status_code == 201
    offered = client.get(f"{API}/{REFUSAL}/letters", headers=officer).json()["applicable"]
    assert "decisionRefusal" not in offered and "objectionDecision" not in offered


def test_a_letters_files_are_sealed_at_rest_and_download_as_made(demo: tuple[Client, dict[str, str]]) -> None:
    client, tokens = demo
    made = _made(client, tokens["bibobCoordinator"], REFUSAL, {"kind": "decisionRefusal"})
    engine = create_engine_for(client.app.state.test_url)
    with engine.connect() as conn:
        row = conn.execute(sa.select(letters.c.docx, letters.c.pdf).where(letters.c.id == made["id"])).one()
    engine.dispose()
    for stored in row:  # AES-GCM envelopes, never the document itself (a PDF starts with %PDF, a .docx with PK)
        assert bytes(stored).startswith(b"bibob:enc:1:") and b"%PDF" not in bytes(stored)[:64]
    pdf = client.get(made["files"]["pdf"], headers=bearer(tokens["permitOfficer"]))
    assert pdf.content.startswith(b"%PDF") and hashlib.sha256(pdf.content).hexdigest() == made["sha256"]["pdf"]
