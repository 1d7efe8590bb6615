"""The app resolves a handler's dependencies one after another, without a task group per request (CPU per read)."""

from __future__ import annotations

from typing import Any

import pytest
from litestar._kwargs import kwargs_model

from tests.service.conftest import Client, bearer


def test_a_handler_with_the_principal_and_a_resource_gets_both_without_a_task_group(
    client: Client, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_task_group(*_: Any) -> None:
        raise AssertionError("a task group was made to resolve dependencies")

    monkeypatch.setattr(kwargs_model, "create_task_group", no_task_group)
    # creating an application needs the principal, the
    # catalogue and the policy: three dependencies of one batch
    created = client.post(
        "/api/v1/applications",
        json={"permitType": "exploitatieHoreca", "legalAct": "vergunning", "received": "2026-10-01"},
        headers=bearer(tokens["permitOfficer"]),
    )
    assert created.status_code == 201, created.text
    shown = client.get(f"/api/v1/applications/{created.json()['id']}", headers=bearer(tokens["permitOfficer"]))
    assert shown.status_code == 200 and shown.json()["questionnaireId"]


def test_without_a_token_the_dependency_in_turn_still_answers_401(client: Client) -> None:
    assert client.get("/api/v1/applications/LEU-1").status_code == 401
