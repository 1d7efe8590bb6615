"""Requests the signal, case and subject tests share: intake, weighing up to the source research, a case."""

from __future__ import annotations

import itertools
import json
from typing import Any

from tests.service.conftest import DATA, Client, bearer

ADDRESS = {"street": "Hamersveldseweg", "houseNumber": 12, "postcode": "3833 GP", "city": "Leusden"}
_keys = itertools.count(1)


def idempotency_key() -> str:
    return f"test-key-{next(_keys):06d}"


def resident_signal() -> dict[str, Any]:
    """The resident's report, as the advisor enters it (tests/data/service)."""
    document: dict[str, Any] = json.loads((DATA / "service" / "resident-signal.json").read_text("utf-8"))
    return document


def police_signal() -> dict[str, Any]:
    return {
        "source": "police",
        "channel": "partnerMeeting",
        "received": "2026-03-04T14:00:00+01:00",
        "text": "Wijkagent: melding stroomdiefstal en bezoek op alle uren.",
        "theme": "drugs",
        "subjects": {
            "addresses": [{"street": "Hamersveldseweg", "houseNumber": 12, "postcode": "3833GP", "city": "Leusden"}],
            "persons": [{"surname": "Jansen", "firstNames": "Pieter", "dateOfBirth": "1980-02-03", "address": ADDRESS}],
        },
    }


def register(client: Client, token: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/v1/signals", json=body, headers=bearer(token, "intake"))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def weigh(client: Client, token: str, signal_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """A weighing step at the current ETag."""
    current = client.get(f"/api/v1/signals/{signal_id}", headers=bearer(token))
    headers = bearer(token, "weging") | {"If-Match": current.headers["etag"]}
    response = client.post(f"/api/v1/signals/{signal_id}/weighings", json=body, headers=headers)
    assert response.status_code == 201, response.text
    weighed: dict[str, Any] = response.json()
    return weighed


def to_source_research(client: Client, token: str, signal_id: str) -> dict[str, Any]:
    """Weighings 1–3 and one source consulted: the signal can now become a case."""
    for decision, reason in (
        ("undermining", "lokale verankering: pand"),
        ("municipalTask", "openbare orde, art. 13b Opiumwet"),
        ("furtherAnalysis", "concreet en recent"),
    ):
        weigh(client, token, signal_id, {"decision": decision, "reason": reason})
    source = {"type": "sourceChecked", "source": "BRP", "hit": True, "approvedBy": "privacyOfficer-1"}
    return weigh(client, token, signal_id, source)


def open_case(client: Client, token: str, signal_ids: list[str], **extra: Any) -> dict[str, Any]:
    body = {"title": "Pand Hamersveldseweg", "theme": "drugs", "signalIds": signal_ids, **extra}
    response = client.post("/api/v1/cases", json=body, headers=bearer(token, "casus openen"))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def step(
    client: Client, token: str, case: dict[str, Any], body: dict[str, Any], path: str = "events"
) -> dict[str, Any]:
    """One change of the case at the version the caller last saw; returns the new case."""
    headers = bearer(token, "casus bijwerken") | {"If-Match": f'"{case["version"]}"'}
    response = client.post(f"/api/v1/cases/{case['id']}/{path}", json=body, headers=headers)
    assert response.status_code == 201, response.text
    changed: dict[str, Any] = response.json()
    assert response.headers["etag"] == f'"{changed["version"]}"'
    return changed
