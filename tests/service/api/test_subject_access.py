"""The subject access report (AVG art. 15) for the privacy officer: every dossier holding a person, what art. 28 or a
restriction withholds, no content; only the privacy officer asks; bad bodies are 400 naming the field."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlalchemy as sa

from service.store.engine import create_engine_for
from service.store.tables import audit_log
from tests.service.conftest import DATA, Client, bearer

URL = "/api/v1/privacy/subject-access"
SOLE_TRADER = json.loads((DATA / "answers" / "valid-eenmanszaak-horeca.json").read_text("utf-8"))
PERSON = {"surname": "Verbeek", "firstNames": "Johanna Maria", "dateOfBirth": "1979-03-14", "bsn": "111222333"}


@pytest.fixture(scope="module")
def dossiers(client: Client, tokens: dict[str, str]) -> dict[str, str]:
    officer, advisor = tokens["permitOfficer"], tokens["safetyAdvisor"]
    body = {"permitType": "exploitatieHoreca", "legalAct": "vergunning", "received": "2026-10-01"}
    application = client.post("/api/v1/applications", json=body, headers=bearer(officer)).json()["id"]
    put = client.put(
        f"/api/v1/applications/{application}/answers", json=SOLE_TRADER, headers=bearer(officer) | {"If-Match": '"1"'}
    )
    assert put.status_code == 200, put.text
    signal: dict[str, Any] = {
        "source": "resident",
        "channel": "phone",
        "received": "2026-03-02T09:00:00+01:00",
        "text": "Synthetisch: veel bezoek 's nachts.",
        "theme": "drugs",
        "subjects": {"persons": [{k: v for k, v in PERSON.items() if k != "bsn"}]},
    }
    created = client.post("/api/v1/signals", json=signal, headers=bearer(advisor))
    assert created.status_code == 201, created.text
    other = signal | {"subjects": {"persons": [{"surname": "Anders", "dateOfBirth": "1990-01-01"}]}}
    client.post("/api/v1/signals", json=other, headers=bearer(advisor))
    return {"application": application, "signal": created.json()["id"]}


def test_the_report_names_every_dossier_holding_the_person_with_what_is_withheld_and_no_content(
    client: Client, tokens: dict[str, str], dossiers: dict[str, str], database_url: str
) -> None:
    response = client.post(URL, json={"person": PERSON}, headers=bearer(tokens["privacyOfficer"], "AVG art. 15"))
    assert response.status_code == 200, response.text
    found = {(d["type"], d["id"]): d for d in response.json()["dossiers"]}
    assert set(found) == {("application", dossiers["application"]), ("signal", dossiers["signal"])}
    assert "art. 28 Wet Bibob" in found["application", dossiers["application"]]["withheld"]
    assert "AVG art. 23" in found["signal", dossiers["signal"]]["withheld"]
    # the application is found by its subject keys (kept when answers are stored) and by its sealed answers
    assert {"P:bsn", "answers"} <= set(found["application", dossiers["application"]]["matchedOn"])
    assert "Verbeek" not in response.text and "111222333" not in response.text  # names dossiers, never content
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(audit_log.c.object_type, audit_log.c.object_id).where(
                audit_log.c.action == "subject.accessReport"
            )
        ).all()
    engine.dispose()
    assert {tuple(row) for row in rows} >= {("application", dossiers["application"]), ("signal", dossiers["signal"])}


def test_a_person_stored_nowhere_gets_an_empty_report(client: Client, tokens: dict[str, str]) -> None:
    body = {"person": {"surname": "Nergens", "dateOfBirth": "1950-05-05", "bsn": "123456782"}}
    response = client.post(URL, json=body, headers=bearer(tokens["privacyOfficer"]))
    assert response.json() == {"count": 0, "dossiers": []}


@pytest.mark.parametrize("role", ["permitOfficer", "bibobCoordinator", "safetyAdvisor", "mayor", "functionalAdmin"])
def test_only_the_privacy_officer_asks_for_a_subject_access_report(
    client: Client, tokens: dict[str, str], role: str
) -> None:
    assert client.post(URL, json={"person": PERSON}, headers=bearer(tokens[role])).status_code == 404


@pytest.mark.parametrize("body", [{}, {"person": {"surname": 3}}, {"person": PERSON, "address": {}}, [], {"x": 1}])
def test_a_bad_subject_access_body_is_a_400_naming_the_problem(
    client: Client, tokens: dict[str, str], body: Any
) -> None:
    response = client.post(URL, json=body, headers=bearer(tokens["privacyOfficer"]))
    assert response.status_code == 400 and response.json()["invalidParams"]
