"""The mayor in the driehoek and the signals behind cases (issue identity and access, items 5 and 6).

The mayor changes only what the driehoek step allows (the approval, their own act), and only on cases they are a
member of; a signal linked to a case is visible to an advisor only through that case.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.service.api.flow import resident_signal
from tests.service.api.test_access_matrix import TO_DRIEHOEK, _case_steps, _created
from tests.service.conftest import Client, bearer

API = "/api/v1"


def _driehoek_case(client: Client, token: str, members: list[str]) -> dict[str, Any]:
    body = {"title": "Driehoek", "theme": "drugs", "members": members, "partners": ["police"]}
    case = _created(client.post(f"{API}/cases", json=body, headers=bearer(token)))
    case = _case_steps(client, token, case, TO_DRIEHOEK)
    assert case["state"] == "triangleAlignment"
    return case


@pytest.mark.parametrize(
    "step",
    [
        {"type": "confidentialityChanged", "confidentiality": "public", "reason": "openbaar"},
        {"type": "partnersSelected", "partners": ["police", "municipality"]},
        {"type": "investigationStarted"},
    ],
    ids=lambda step: step["type"],
)
def test_the_mayor_records_only_the_approval_on_a_driehoek_case_they_are_a_member_of(
    client: Client, tokens: dict[str, str], step: dict[str, Any]
) -> None:
    mayor = bearer(tokens["mayor"])
    case = _driehoek_case(client, tokens["safetyAdvisor"], ["mayor-1"])
    url = f"{API}/cases/{case['id']}"
    refused = client.post(f"{url}/events", json=step, headers=mayor | {"If-Match": f'"{case["version"]}"'})
    assert refused.status_code == 400, refused.text
    assert refused.json()["invalidParams"][0]["code"] == "event.notForMayor"
    after = client.get(url, headers=mayor).json()
    assert (after["version"], after["confidentiality"]) == (case["version"], case["confidentiality"])
    link = {"applicationId": "2026-0042", "reason": "r", "finding": {"code": "F", "title": "t", "explanation": "e"}}
    evidence = client.post(f"{url}/evidence", json=link, headers=mayor | {"If-Match": f'"{case["version"]}"'})
    assert evidence.status_code == 400 and evidence.json()["invalidParams"][0]["code"] == "event.notForMayor"
    approval = {"type": "triangleApproved", "notes": "akkoord"}
    approved = client.post(f"{url}/events", json=approval, headers=mayor | {"If-Match": f'"{case["version"]}"'})
    assert approved.status_code == 201, approved.text
    assert approved.json()["state"] == "execution"


def test_the_mayor_changes_nothing_on_a_driehoek_case_they_are_not_a_member_of(
    client: Client, tokens: dict[str, str]
) -> None:
    mayor = bearer(tokens["mayor"])
    case = _driehoek_case(client, tokens["safetyAdvisor"], [])
    url = f"{API}/cases/{case['id']}"
    assert client.get(url, headers=mayor).status_code == 200  # reading in the driehoek step stays
    lowered = {"type": "confidentialityChanged", "confidentiality": "public", "reason": "openbaar"}
    for body in (lowered, {"type": "triangleApproved"}):
        response = client.post(f"{url}/events", json=body, headers=mayor | {"If-Match": f'"{case["version"]}"'})
        assert response.status_code == 404, response.text
    assert client.get(url, headers=mayor).json()["version"] == case["version"]


def test_a_signal_linked_to_a_case_is_visible_to_an_advisor_only_through_the_case(
    client: Client, tokens: dict[str, str]
) -> None:
    lead, outsider = bearer(tokens["safetyAdvisor"]), bearer(tokens["safetyAdvisor-2"])
    in_case = _created(client.post(f"{API}/signals", json=resident_signal(), headers=lead))["id"]
    in_inbox = _created(client.post(f"{API}/signals", json=resident_signal(), headers=lead))["id"]
    body = {"title": "Uit een melding", "theme": "drugs", "signalIds": [in_case], "partners": ["police"]}
    _created(client.post(f"{API}/cases", json=body, headers=lead))
    for signal_id, lead_sees, outsider_sees in ((in_case, True, False), (in_inbox, True, True)):
        for headers, sees in ((lead, lead_sees), (outsider, outsider_sees)):
            response = client.get(f"{API}/signals/{signal_id}", headers=headers)
            assert response.status_code == (200 if sees else 404), (signal_id, response.text)
            listed = client.get(f"{API}/signals", params={"pageSize": "500"}, headers=headers).json()["results"]
            assert (signal_id in [item["id"] for item in listed]) is sees
