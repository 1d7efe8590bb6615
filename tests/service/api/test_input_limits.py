"""Input refused before it is parsed or written (issue identity and access, items 5 and 6).

Nesting depth, media type, weak ETags and attachment names are refused with a Dutch problem+json and nothing
stored; a document stored before the limit that cannot be read back answers no 500; creating an application with
a taken id answers alike whoever's dossier holds it, and the attempt is audited.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from service.store.engine import create_engine_for
from service.store.tables import audit_log
from tests.service.conftest import Client, bearer

BASE = "/api/v1/applications"
NEW = {
    "permitType": "exploitatieHoreca",
    "legalAct": "vergunning",
    "received": "2026-10-01",
    "questionnaireId": "bibob-overige-beschikkingen",
}


def _new(client: Client, token: str, **extra: Any) -> dict[str, Any]:
    response = client.post(BASE, json=NEW | extra, headers=bearer(token))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _nested(levels: int) -> str:
    deep = "[" * levels + '"x"' + "]" * levels  # written out: json.dumps itself recurses
    return '{"questionnaire": {"id": "bibob-overige-beschikkingen"}, "deep": ' + deep + "}"


@pytest.mark.parametrize("levels", [40, 400, 950, 5000])
def test_deeply_nested_answers_are_refused_before_anything_is_written(
    client: Client, tokens: dict[str, str], levels: int
) -> None:
    officer = tokens["permitOfficer"]
    created = _new(client, officer)
    url = f"{BASE}/{created['id']}/answers"
    body = _nested(levels)
    headers = bearer(officer) | {"If-Match": '"1"', "Content-Type": "application/json"}
    response = client.put(url, content=body, headers=headers)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "invalid" and problem["invalidParams"][0]["code"] == "json.tooDeep"
    assert "32" in problem["invalidParams"][0]["reason"]  # the limit is named
    after = client.get(f"{BASE}/{created['id']}", headers=bearer(officer))
    assert after.status_code == 200 and after.json()["version"] == 1  # nothing written
    assert client.get(url, headers=bearer(officer)).status_code == 200


def test_a_stored_document_that_cannot_be_read_back_answers_no_500(
    client: Client, tokens: dict[str, str], database_url: str
) -> None:
    officer = tokens["permitOfficer"]
    created = _new(client, officer)
    deep = "[" * 5000 + "]" * 5000  # written before the limit existed, past any reader's recursion
    engine = create_engine_for(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE applications SET answers = :deep WHERE id = :id"), {"deep": deep, "id": created["id"]}
            )
    finally:
        engine.dispose()
    for path in ("", "/answers", "/timeline"):
        response = client.get(f"{BASE}/{created['id']}{path}", headers=bearer(officer))
        assert response.status_code < 500, (path, response.status_code, response.text)


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("text/plain", 415),
        ("application/x-www-form-urlencoded", 415),
        ("application/xml", 415),
        ("application/json; charset=utf-8", 201),
        ("application/merge-patch+json", 415),
    ],
)
def test_the_content_type_of_a_json_body_is_checked(
    client: Client, tokens: dict[str, str], content_type: str, status: int
) -> None:
    headers = bearer(tokens["permitOfficer"]) | {"Content-Type": content_type}
    response = client.post(BASE, content=json.dumps(NEW), headers=headers)
    assert response.status_code == status, response.text
    if status == 415:
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "unsupportedMediaType"


def test_a_body_without_content_type_is_refused(client: Client, tokens: dict[str, str]) -> None:
    headers = bearer(tokens["permitOfficer"])
    response = client.post(BASE, content=json.dumps(NEW).encode(), headers=headers)
    assert response.status_code == 415


def test_a_weak_etag_on_if_match_never_matches(client: Client, tokens: dict[str, str]) -> None:
    officer = tokens["permitOfficer"]
    created = _new(client, officer)
    url = f"{BASE}/{created['id']}/attachments"
    body = {"attachments": []}
    weak = client.put(url, json=body, headers=bearer(officer) | {"If-Match": 'W/"1"'})
    assert weak.status_code == 412  # If-Match compares strongly (RFC 9110 13.1.1)
    strong = client.put(url, json=body, headers=bearer(officer) | {"If-Match": '"1"'})
    assert strong.status_code == 200


def test_nul_in_any_string_or_key_is_refused_before_anything_is_written(client: Client, tokens: dict[str, str]) -> None:
    officer = tokens["permitOfficer"]
    created = _new(client, officer)
    url = f"{BASE}/{created['id']}/answers"
    body = {"questionnaire": {"id": "bibob-overige-beschikkingen"}, "a": {"b\u0000": ["x", "y\u0000z"]}}
    response = client.put(url, json=body, headers=bearer(officer) | {"If-Match": '"1"'})
    assert response.status_code == 400, response.text  # PostgreSQL keeps no NUL in text: a 503 after the checks
    problems = response.json()["invalidParams"]
    assert [(p["name"], p["code"]) for p in problems] == [("/a/b\u0000", "json.nul"), ("/a/b\u0000/1", "json.nul")]
    assert client.get(f"{BASE}/{created['id']}", headers=bearer(officer)).json()["version"] == 1
    escaped = client.post(BASE, json=NEW | {"note": "a\\u0000 is no NUL"}, headers=bearer(officer))
    assert escaped.status_code != 400 or "json.nul" not in escaped.text  # an escaped backslash is text


@pytest.mark.parametrize("if_match", ["1", '"1', '1"', '"', '" 1"'])
def test_an_if_match_that_is_not_a_quoted_etag_is_400_and_changes_nothing(
    client: Client, tokens: dict[str, str], if_match: str
) -> None:
    officer = tokens["permitOfficer"]
    created = _new(client, officer)
    url = f"{BASE}/{created['id']}/attachments"
    response = client.put(url, json={"attachments": []}, headers=bearer(officer) | {"If-Match": if_match})
    assert response.status_code == 400, response.text  # an entity tag is quoted (RFC 9110 8.8.3)
    assert response.json()["invalidParams"][0]["code"] == "invalidEtag"
    assert client.get(f"{BASE}/{created['id']}", headers=bearer(officer)).json()["version"] == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("fileName", "../../etc/passwd"),
        ("fileName", "map\\jaarrekening.pdf"),
        ("fileName", "jaarrekening.pdf\r\nX-Injected: 1"),
        ("fileName", "jaar\x00rekening.pdf"),
        ("fileName", ".."),
        ("mediaType", "application/pdf\r\nX-Injected: 1"),
        ("mediaType", "pdf"),
        ("mediaType", "application/../pdf"),
        ("mediaType", "text/html; charset=utf-8\n"),
    ],
)
def test_attachment_names_and_media_types_are_validated(
    client: Client, tokens: dict[str, str], field: str, value: str
) -> None:
    officer = tokens["permitOfficer"]
    created = _new(client, officer)
    attachment = {"fileName": "jaarrekening-2025.pdf", "mediaType": "application/pdf", "size": 1000} | {field: value}
    url = f"{BASE}/{created['id']}/attachments"
    response = client.put(url, json={"attachments": [attachment]}, headers=bearer(officer) | {"If-Match": '"1"'})
    assert response.status_code == 400, response.text
    assert [p["name"] for p in response.json()["invalidParams"]] == [f"/attachments/0/{field}"]


def test_a_good_attachment_is_accepted(client: Client, tokens: dict[str, str]) -> None:
    officer = tokens["permitOfficer"]
    created = _new(client, officer)
    attachment = {"fileName": "Jaarrekening 2025 (definitief).pdf", "mediaType": "application/vnd.ms-excel", "size": 1}
    url = f"{BASE}/{created['id']}/attachments"
    response = client.put(url, json={"attachments": [attachment]}, headers=bearer(officer) | {"If-Match": '"1"'})
    assert response.status_code == 200, response.text


def _audit_rows(database_url: str, action: str, object_id: str) -> list[Any]:
    engine = create_engine_for(database_url)
    try:
        with engine.connect() as conn:
            query = sa.select(audit_log).where(audit_log.c.action == action, audit_log.c.object_id == object_id)
            return list(conn.execute(query).mappings())
    finally:
        engine.dispose()


def test_a_taken_id_answers_alike_for_a_visible_and_a_hidden_dossier_and_the_attempt_is_audited(
    client: Client, tokens: dict[str, str], database_url: str
) -> None:
    mine, theirs = f"LEU-{uuid.uuid4().hex[:8]}", f"LEU-{uuid.uuid4().hex[:8]}"
    _new(client, tokens["permitOfficer"], id=mine)
    _new(client, tokens["permitOfficer-2"], id=theirs)
    answers = []
    for identifier in (mine, theirs):
        response = client.post(BASE, json=NEW | {"id": identifier}, headers=bearer(tokens["permitOfficer"], "test"))
        answers.append((response.status_code, {k: v for k, v in response.json().items() if k != "instance"}))
    assert answers[0] == answers[1]
    assert answers[0][0] == 400 and answers[0][1]["invalidParams"][0]["code"] == "id.taken"
    for identifier in (mine, theirs):
        rows = _audit_rows(database_url, "application.createRefused", identifier)
        assert [(row["user"], row["object_type"]) for row in rows] == [("permitOfficer-1", "application")]
