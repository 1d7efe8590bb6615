"""Every operation that reads a JSON body documents it, and refuses a malformed or oversize one before anything."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlalchemy as sa

from service.openapi import DESCRIPTIONS, STRING, field_shapes
from service.store.engine import create_engine_for
from service.store.tables import metadata
from tests.service.conftest import Client, bearer

#: Not configured in the shared test app (no Notificaties API): it answers 404 before reading a body; its own bad
#: bodies are tested in tests/service/api/test_zgw_notifications.py.
NOT_CONFIGURED = {("post", "/zgw-notifications")}
NO_BODY = {  # the mirror is asked for, and a token rotated, with nothing sent
    ("post", "/cases/{case_id}/zgw-mirrors"),
    ("post", "/me/token/_rotate"),
}


def _operations(client: Client) -> list[tuple[str, str, dict[str, Any]]]:
    document = client.get("/api/v1/openapi.json").json()
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in ("post", "put", "patch")
    ]


def _role(path: str) -> str:
    if path.startswith(("/audit-log", "/privacy")):
        return "privacyOfficer"
    if path.startswith(("/signals", "/cases", "/subjects", "/match-reviews")):
        return "safetyAdvisor"
    if path.startswith("/consultations") and path.endswith("/answers"):
        return "safetyAdvisor"
    return "bibobCoordinator"


def test_every_write_but_the_mirror_documents_a_json_object_body(client: Client) -> None:
    operations = _operations(client)
    undocumented = {(method, path) for method, path, operation in operations if "requestBody" not in operation}
    assert undocumented == NO_BODY
    for _, _, operation in operations:
        if "requestBody" in operation:
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            assert schema["type"] == "object" and schema["description"]


def test_a_shape_for_a_field_the_handler_does_not_accept_is_refused() -> None:
    assert field_shapes(("title", "theme")) == {"title": STRING, "theme": STRING}
    with pytest.raises(ValueError, match="titel"):
        field_shapes(("title",), titel=STRING)


def rows_per_table(database_url: str) -> dict[str, int]:
    engine = create_engine_for(database_url)
    try:
        with engine.connect() as conn:
            return {
                t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in metadata.sorted_tables
            }
    finally:
        engine.dispose()


def sent_to_every_body(client: Client, tokens: dict[str, str], payload: bytes) -> list[tuple[str, str, Any]]:
    """`payload` sent to every operation that documents a body, by a role that may call it, for unknown ids."""
    answers = []
    for method, path, operation in _operations(client):
        if (method, path) in NOT_CONFIGURED:
            response = client.request(method.upper(), "/api/v1" + path, content=payload,
                                      headers={"Content-Type": "application/json"})  # fmt: skip
            assert response.status_code == 404, (method, path, response.text)
        elif "requestBody" in operation:
            ids = ("application_id", "signal_id", "case_id", "evidence_id", "consultation_id")
            url = "/api/v1" + path.format(
                **dict.fromkeys(ids, "onbekend"),
                questionnaire_id="bibob-overige-beschikkingen",
                mapping_id="horeca-leusden",
            )
            headers = bearer(tokens[_role(path)]) | {"Content-Type": "application/json", "If-Match": '"1"'}
            answers.append((method, path, client.request(method.upper(), url, content=payload, headers=headers)))
    return answers


@pytest.mark.parametrize("payload", [b"{kapot", b"\xff\xfe", b'{"a": NaN}'], ids=["broken", "not-utf8", "nan"])
def test_every_documented_body_refuses_malformed_json_before_anything_else(
    client: Client, tokens: dict[str, str], database_url: str, payload: bytes
) -> None:
    before = rows_per_table(database_url)
    answers = sent_to_every_body(client, tokens, payload)
    assert len(answers) == 28  # every documented body: _search, consultation answers, letters, intake, subject access
    for method, path, response in answers:
        assert (response.status_code, response.json().get("invalidParams")) == (
            400,
            [{"name": "", "code": "malformedJson", "reason": "De body is geen geldige JSON."}],
        ), (method, path, response.text)
    assert rows_per_table(database_url) == before  # not even an audit row: nothing was read or changed


def test_every_documented_body_refuses_an_oversize_one(
    client: Client, tokens: dict[str, str], database_url: str
) -> None:
    before = rows_per_table(database_url)
    oversize = b'{"text": "' + b"x" * 300_000 + b'"}'  # the test app allows 262,144 bytes
    for method, path, response in sent_to_every_body(client, tokens, oversize):
        assert response.status_code == 413, (method, path, response.text)
    assert rows_per_table(database_url) == before


def test_every_documented_problem_is_described_in_dutch_and_every_operation_may_answer_503(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    checked = 0
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert "503" in responses or path == "/openapi.json", (method, path)  # the document needs no storage
            for status, response in responses.items():
                if status in DESCRIPTIONS:
                    assert response["description"] == DESCRIPTIONS[status], (method, path, status)
                    checked += 1
    assert checked > 200


def test_the_token_and_the_headers_a_handler_reads_are_documented(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": "Een API-token (bibob token create)",
    }  # fmt: skip
    paths = document["paths"]

    def headers(path: str, method: str) -> list[str]:
        return [p["name"] for p in paths[path][method].get("parameters", []) if p["in"] == "header"]

    assert "security" not in paths["/health"]["get"] and headers("/questionnaires", "get") == []
    assert paths["/signals"]["post"]["security"] == [{"bearer": []}]
    assert headers("/signals", "post") == ["X-Audit-Reason", "Idempotency-Key"]
    assert headers("/signals/{signal_id}/weighings", "post") == ["X-Audit-Reason", "If-Match", "Idempotency-Key"]
    assert headers("/applications/{application_id}/answers", "put") == ["X-Audit-Reason", "If-Match"]
    assert headers("/subjects/_search", "post") == ["X-Audit-Reason"]  # a search has no effect to repeat


def test_operations_that_read_no_if_match_do_not_ask_for_it(client: Client) -> None:
    """The hostile-input suite sent them a CR/LF If-Match and got 200: the document promised a check never made."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, method in (
        ("/applications/{application_id}/permit-zaak", "put"),
        ("/applications/{application_id}/conditions", "post"),
        ("/applications/{application_id}/condition-checks", "post"),
    ):
        operation = paths[path][method]
        assert "If-Match" not in [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"], path
        assert not {"412", "428"} & set(operation["responses"]), path


def test_every_operation_declares_a_typed_answer_and_the_api_version_header(client: Client) -> None:
    """A new operation needs its answer in src/service/api/responses.json (the schema of its view, or the media
    types of the file it answers with)."""
    document = client.get("/api/v1/openapi.json").json()
    untyped = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                if not status.startswith("2"):
                    continue
                assert "API-Version" in response["headers"], (method, path, status)
                content = response.get("content", {})
                schema = content.get("application/json", {}).get("schema", {})
                binary = bool(content) and all(
                    c["schema"] == {"type": "string", "format": "binary"} for c in content.values()
                )
                if path != "/openapi.json" and "$ref" not in json.dumps(schema) and not binary:
                    untyped.append(f"{method.upper()} {path} {status}")
    assert untyped == []
