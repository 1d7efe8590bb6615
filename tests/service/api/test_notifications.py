"""Notifications through the API: who is told what, each reads and marks only their own, bad bodies are 400."""

from __future__ import annotations

from typing import Any

import pytest

from tests.service.api.flow import open_case, police_signal, register, step, weigh
from tests.service.api.test_cases import FINDING
from tests.service.conftest import Client, bearer

NOTIFICATIONS = "/api/v1/notifications"
MARK = "/api/v1/notifications/_acknowledge"


def _mine(client: Client, token: str, **query: Any) -> dict[str, Any]:
    response = client.get(NOTIFICATIONS, params=query, headers=bearer(token))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_partners_signal_tells_every_advisor_and_not_the_partner(client: Client, tokens: dict[str, str]) -> None:
    signal_id = register(client, tokens["signalIntakePartner"], police_signal())["id"]
    for advisor in ("safetyAdvisor", "safetyAdvisor-2"):
        found = [n for n in _mine(client, tokens[advisor])["results"] if n["objectId"] == signal_id]
        assert [(n["kind"], n["objectType"], n["read"]) for n in found] == [("newSignal", "signal", False)]
        assert "Hamersveld" not in found[0]["text"] and "Jansen" not in found[0]["text"]
    assert _mine(client, tokens["signalIntakePartner"])["count"] == 0


def test_evidence_in_a_case_tells_its_members_but_not_who_linked_it_nor_outsiders(
    client: Client, tokens: dict[str, str]
) -> None:
    case = open_case(client, tokens["safetyAdvisor"], [], members=["bibobCoordinator-1"])
    step(client, tokens["safetyAdvisor"], case, FINDING, "evidence")
    member = [n for n in _mine(client, tokens["bibobCoordinator"])["results"] if n["objectId"] == case["id"]]
    assert [n["kind"] for n in member] == ["newEvidence"] and case["title"] not in member[0]["text"]
    for outsider in ("safetyAdvisor", "safetyAdvisor-2", "permitOfficer", "mayor"):
        assert all(n["objectId"] != case["id"] for n in _mine(client, tokens[outsider])["results"]), outsider


def test_marking_read_changes_only_ones_own(client: Client, tokens: dict[str, str]) -> None:
    register(client, tokens["signalIntakePartner"], police_signal())
    own = _mine(client, tokens["safetyAdvisor"], unreadOnly="true")
    other = _mine(client, tokens["safetyAdvisor-2"], unreadOnly="true")
    assert own["unread"] >= 1 and other["unread"] >= 1
    stolen = client.post(MARK, json={"ids": [other["results"][0]["id"]]}, headers=bearer(tokens["safetyAdvisor"]))
    assert stolen.json() == {"marked": 0}
    assert _mine(client, tokens["safetyAdvisor-2"])["unread"] == other["unread"]
    first = client.post(MARK, json={"ids": [own["results"][0]["id"]]}, headers=bearer(tokens["safetyAdvisor"]))
    assert first.json() == {"marked": 1}
    assert _mine(client, tokens["safetyAdvisor"])["unread"] == own["unread"] - 1
    everything = client.post(MARK, json={"all": True}, headers=bearer(tokens["safetyAdvisor"]))
    assert everything.json() == {"marked": own["unread"] - 1}
    assert _mine(client, tokens["safetyAdvisor"], unreadOnly="true")["count"] == 0


def test_a_signal_assigned_to_an_advisor_tells_that_advisor_only(client: Client, tokens: dict[str, str]) -> None:
    signal_id = register(client, tokens["signalIntakePartner"], police_signal())["id"]
    before = {user: _mine(client, tokens[user])["unread"] for user in ("safetyAdvisor", "safetyAdvisor-2")}
    assigned = weigh(client, tokens["safetyAdvisor"], signal_id, {"type": "assigned", "assignee": "safetyAdvisor-2"})
    assert (assigned["state"], assigned["events"][-1]) == (
        "received", {"type": "assigned", "at": assigned["events"][-1]["at"], "by": "safetyAdvisor-1",
                     "assignee": "safetyAdvisor-2"},
    )  # fmt: skip
    told = [n for n in _mine(client, tokens["safetyAdvisor-2"])["results"] if n["kind"] == "signalAssigned"]
    assert [(n["objectType"], n["objectId"], n["text"]) for n in told] == [
        ("signal", signal_id, f"Melding {signal_id} is aan u toegewezen: nog te wegen.")
    ]
    assert _mine(client, tokens["safetyAdvisor-2"])["unread"] == before["safetyAdvisor-2"] + 1
    assert _mine(client, tokens["safetyAdvisor"])["unread"] == before["safetyAdvisor"]  # who assigned is not told


@pytest.mark.parametrize(
    ("assignee", "why"),
    [("nobody-9", "'nobody-9' is geen veiligheidsadviseur"), ("permitOfficer-1", "geen veiligheidsadviseur"),
     ("", "")],
)  # fmt: skip
def test_assigning_a_signal_to_someone_not_an_advisor_is_refused_at_assignee_and_changes_nothing(
    client: Client, tokens: dict[str, str], assignee: str, why: str
) -> None:
    advisor = tokens["safetyAdvisor"]
    signal_id = register(client, tokens["signalIntakePartner"], police_signal())["id"]
    unread = {user: _mine(client, tokens[user])["unread"] for user in ("safetyAdvisor-2", "permitOfficer")}
    url = f"/api/v1/signals/{signal_id}/weighings"
    body = {"type": "assigned", "assignee": assignee}
    response = client.post(url, json=body, headers=bearer(advisor, "toewijzen") | {"If-Match": '"1"'})
    assert response.status_code == 400, response.text
    problems = response.json()["invalidParams"]
    assert [p["name"] for p in problems] == ["/assignee"] and why in problems[0]["reason"]
    shown = client.get(f"/api/v1/signals/{signal_id}", headers=bearer(advisor))
    assert shown.headers["etag"] == '"1"' and shown.json()["events"] == []
    assert {user: _mine(client, tokens[user])["unread"] for user in unread} == unread


def test_a_weighed_out_signal_cannot_be_assigned(client: Client, tokens: dict[str, str]) -> None:
    advisor = tokens["safetyAdvisor"]
    signal_id = register(client, advisor, police_signal())["id"]
    weigh(client, advisor, signal_id, {"decision": "notUndermining", "reason": "buurtruzie"})
    body = {"type": "assigned", "assignee": "safetyAdvisor-2"}
    refused = client.post(f"/api/v1/signals/{signal_id}/weighings", json=body,
                          headers=bearer(advisor) | {"If-Match": '"2"'})  # fmt: skip
    assert refused.status_code == 409 and "de weging is afgerond" in refused.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [{}, {"ids": []}, {"ids": "abc"}, {"ids": [1]}, {"all": False}, {"ids": ["a"], "all": True}, {"colour": 1}, []],
)
def test_a_bad_mark_read_body_is_400_and_changes_nothing(client: Client, tokens: dict[str, str], body: Any) -> None:
    before = _mine(client, tokens["bibobCoordinator"])["unread"]
    response = client.post(MARK, json=body, headers=bearer(tokens["bibobCoordinator"]))
    assert response.status_code == 400 and response.json()["invalidParams"]
    assert _mine(client, tokens["bibobCoordinator"])["unread"] == before


def test_bad_list_queries_are_400(client: Client, tokens: dict[str, str]) -> None:
    for query in ({"pageSize": "0"}, {"page": "0"}, {"unreadOnly": "misschien"}):
        assert client.get(NOTIFICATIONS, params=query, headers=bearer(tokens["mayor"])).status_code == 400
    assert client.get(NOTIFICATIONS).status_code == 401
