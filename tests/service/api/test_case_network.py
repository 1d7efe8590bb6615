"""The network picture of a case over HTTP: typed nodes and edges with their origin, need-to-know as for the case,
an entry in the OpenAPI document; and a signal with neither text nor subjects is refused (issue 13, item 7)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.service.api.flow import open_case, police_signal, register, resident_signal, to_source_research
from tests.service.conftest import Client, bearer

API = "/api/v1"


@pytest.fixture(scope="module")
def case(client: Client, tokens: dict[str, str]) -> dict[str, Any]:
    advisor = tokens["safetyAdvisor"]
    ids = [register(client, advisor, resident_signal())["id"], register(client, advisor, police_signal())["id"]]
    for signal_id in ids:
        to_source_research(client, advisor, signal_id)
    return open_case(client, advisor, ids, members=["mayor-1"], partners=["police"])


def test_the_network_names_each_node_with_its_kind_and_origin_and_each_edge_joins_two_nodes(
    client: Client, tokens: dict[str, str], case: dict[str, Any]
) -> None:
    response = client.get(f"{API}/cases/{case['id']}/network", headers=bearer(tokens["safetyAdvisor"]))
    assert response.status_code == 200, response.text
    network = response.json()
    assert network["caseId"] == case["id"]
    by_label = {node["label"]: node for node in network["nodes"]}
    jansen = next(node for label, node in by_label.items() if label.startswith("Pieter Jansen"))
    assert (jansen["kind"], jansen["origins"]) == ("person", ["signal", "case"])
    assert jansen["originLabels"] == ["melding", "casus"]
    ids = {node["id"] for node in network["nodes"]}
    assert all(edge["source"] in ids and edge["target"] in ids for edge in network["edges"])
    roles = {(edge["source"], edge["role"], edge["target"]) for edge in network["edges"]}
    assert (jansen["id"], "livesAt", by_label["Hamersveldseweg 12, Leusden"]["id"]) in roles
    assert {edge["roleLabel"] for edge in network["edges"]} >= {"woont op"}


def test_the_mayor_as_member_sees_the_picture_without_the_signals_behind_it(
    client: Client, tokens: dict[str, str], case: dict[str, Any]
) -> None:
    response = client.get(f"{API}/cases/{case['id']}/network", headers=bearer(tokens["mayor"]))
    assert response.status_code == 200, response.text
    assert all(node["origins"] == ["case"] for node in response.json()["nodes"])


@pytest.mark.parametrize("role", ["permitOfficer", "signalIntakePartner", "privacyOfficer", "functionalAdmin"])
def test_who_may_not_read_the_case_gets_not_found_for_its_network(
    client: Client, tokens: dict[str, str], case: dict[str, Any], role: str
) -> None:
    response = client.get(f"{API}/cases/{case['id']}/network", headers=bearer(tokens[role]))
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_an_unknown_case_has_no_network(client: Client, tokens: dict[str, str]) -> None:
    response = client.get(f"{API}/cases/bestaat-niet/network", headers=bearer(tokens["safetyAdvisor"]))
    assert response.status_code == 404


def test_the_openapi_document_describes_the_network_response(client: Client) -> None:
    document = client.get("/schema/openapi.json").json()
    operation = document["paths"]["/cases/{case_id}/network"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    name = schema["$ref"].rsplit("/", 1)[1]
    properties = document["components"]["schemas"][name]["properties"]
    assert set(properties) == {"caseId", "nodes", "edges"}


@pytest.mark.parametrize("text", ["", "   "])
def test_a_signal_with_neither_text_nor_subjects_is_refused_naming_both_fields(
    client: Client, tokens: dict[str, str], text: str
) -> None:
    body = {"source": "resident", "channel": "phone", "text": text}
    response = client.post(f"{API}/signals", json=body, headers=bearer(tokens["safetyAdvisor"], "intake"))
    assert response.status_code == 400, response.text
    assert {p["name"] for p in response.json()["invalidParams"]} == {"/text", "/subjects"}
    with_subject = body | {"subjects": {"addresses": [{"street": "Dorpsstraat", "houseNumber": 1}]}}
    accepted = client.post(f"{API}/signals", json=with_subject, headers=bearer(tokens["safetyAdvisor"], "intake"))
    assert accepted.status_code == 201, accepted.text
