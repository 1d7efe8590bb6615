"""Open Formulieren intake: a Generic JSON registration submission becomes an application, once per reference."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from tests.service.conftest import Client, bearer

URL = "/api/v1/intake/open-formulieren/horeca-leusden"
PDF = b"%PDF-1.4 uittreksel (synthetisch)"


def submission(reference: str = "OF-7YK3ZA", **values: Any) -> dict[str, Any]:
    """A submission as Open Formulieren's Generic JSON registration plugin sends it (synthetic data)."""
    filled = {
        "omschrijving": "Exploitatievergunning horeca voor eetcafé De Brink",
        "locatie": {"straat": "De Brink", "huisnummer": 4, "postcode": "3831 AB", "plaats": "Leusden"},
        "eerderAangevraagd": False,
        "eerderGeweigerd": "nee",
        "bedrijf": {"naam": "Eetcafé De Brink B.V.", "rechtsvorm": "bv", "kvkNummer": "23456789", "rsin": "",
                    "straat": "De Brink", "huisnummer": 4, "postcode": "3831 AB", "plaats": "Leusden"},
        "uittrekselKvk": {"file_name": "uittreksel.pdf", "content": base64.b64encode(PDF).decode()},
        "huurovereenkomst": None,
    } | values  # fmt: skip
    return {
        "values": filled,
        "values_schema": {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"},
        "metadata": {
            "public_reference": reference,
            "form_name": "Bibob horeca",
            "registration_timestamp": "2026-11-02T10:15:00+01:00",
        },
        "metadata_schema": {"type": "object"},
    }


def test_a_submission_registers_an_application_with_the_mapped_answers_and_its_files(
    client: Client, tokens: dict[str, str]
) -> None:
    headers = bearer(tokens["permitOfficer"])
    response = client.post(URL, json=submission(), headers=headers)
    assert response.status_code == 201, response.text
    assert response.json() == {"applicationId": "of-OF-7YK3ZA", "version": 3, "created": True,
                               "completeness": "incomplete"}  # fmt: skip
    assert response.headers["Location"] == "/api/v1/applications/of-OF-7YK3ZA"
    application = client.get("/api/v1/applications/of-OF-7YK3ZA", headers=headers).json()
    assert (application["permitType"], application["legalAct"], application["received"]) == (
        "exploitatieHoreca", "vergunning", "2026-11-02"
    )  # fmt: skip
    assert application["attachments"] == [{
        "fileName": "uittreksel.pdf", "mediaType": "application/pdf", "size": len(PDF),
        "sha256": hashlib.sha256(PDF).hexdigest(), "kind": "uittrekselHandelsregister",
    }]  # fmt: skip
    answers = client.get("/api/v1/applications/of-OF-7YK3ZA/answers", headers=headers).json()["document"]
    assert answers["questionnaire"]["id"] == "bibob-overige-beschikkingen" and answers["answeredOn"] == "2026-11-02"
    assert answers["answers"]["1A"] == {
        "omschrijving": "Exploitatievergunning horeca voor eetcafé De Brink",
        "locatie": {"street": "De Brink", "houseNumber": 4, "postcode": "3831 AB", "city": "Leusden"},
    }
    company = answers["answers"]["1F.rechtspersoon"]
    assert company["kvkNumber"] == "23456789" and company["kind"] == "organisation" and "rsin" not in company
    assert (answers["answers"]["1B"], answers["answers"]["1C"]) == (False, "nee")
    assert "1F.bestuurders" not in answers["answers"]  # the form had no such field filled in: left out


def test_a_second_delivery_of_the_same_submission_changes_nothing(client: Client, tokens: dict[str, str]) -> None:
    headers = bearer(tokens["permitOfficer"])
    first = client.post(URL, json=submission("OF-TWICE1"), headers=headers)
    before = client.get("/api/v1/applications/of-OF-TWICE1/answers", headers=headers).json()
    changed = submission("OF-TWICE1", omschrijving="Iets anders")  # a redelivery never overwrites
    again = client.post(URL, json=changed, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json() | {"created": False}
    assert "Location" not in again.headers
    assert client.get("/api/v1/applications/of-OF-TWICE1/answers", headers=headers).json() == before


def test_a_broken_submission_names_every_problem_and_registers_nothing(client: Client, tokens: dict[str, str]) -> None:
    headers = bearer(tokens["permitOfficer"])
    broken = submission("OF-BROKEN") | {"metadata": {"form_name": "Bibob horeca"}}
    broken["values"]["uittrekselKvk"] = {"file_name": "x.pdf", "content": "geen base64!"}
    response = client.post(URL, json=broken, headers=headers)
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["/metadata/public_reference"]
    fixed_reference = submission("OF-BROKEN")
    fixed_reference["values"]["uittrekselKvk"] = {"file_name": "x.pdf", "content": "geen base64!"}
    response = client.post(URL, json=fixed_reference, headers=headers)
    assert [p["name"] for p in response.json()["invalidParams"]] == ["/values/uittrekselKvk"]
    assert client.get("/api/v1/applications/of-OF-BROKEN", headers=headers).status_code == 404
    not_json = client.post(URL, content=b"[1, 2]", headers=headers | {"Content-Type": "application/json"})
    assert not_json.status_code == 400


def test_an_unknown_mapping_or_a_role_that_cannot_register_is_not_found(client: Client, tokens: dict[str, str]) -> None:
    body = json.dumps(submission("OF-NOMAP1")).encode()
    headers = {"Content-Type": "application/json"}
    unknown = client.post("/api/v1/intake/open-formulieren/bestaat-niet", content=body,
                          headers=bearer(tokens["permitOfficer"]) | headers)  # fmt: skip
    assert unknown.status_code == 404
    advisor = client.post(URL, content=body, headers=bearer(tokens["safetyAdvisor"]) | headers)
    assert advisor.status_code == 404


def test_a_submission_that_fills_in_nothing_the_mapping_reads_registers_an_empty_answer_document(
    client: Client, tokens: dict[str, str]
) -> None:
    headers = bearer(tokens["permitOfficer"])
    empty = submission("OF-EMPTY1")
    empty["values"] = {"iets": "anders"}
    assert client.post(URL, json=empty, headers=headers).status_code == 201
    document = client.get("/api/v1/applications/of-OF-EMPTY1/answers", headers=headers).json()["document"]
    assert document["answers"] == {} and document["questionnaire"]["id"] == "bibob-overige-beschikkingen"
