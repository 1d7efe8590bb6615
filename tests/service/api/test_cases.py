"""Cases over HTTP: from two signals to a plan approved in the driehoek, evidence, journal, agenda, need-to-know."""

from __future__ import annotations

from typing import Any

import pytest

from tests.service.api.flow import (
    idempotency_key,
    open_case,
    police_signal,
    register,
    resident_signal,
    step,
    to_source_research,
    weigh,
)
from tests.service.conftest import Client, bearer

CASES = "/api/v1/cases"
PLAN = {
    "type": "planDrafted",
    "goals": ["hennepteelt beëindigen", "pand sluiten"],
    "interventions": [
        {
            "id": "I1",
            "partner": "police",
            "kind": "criminal",
            "description": "doorzoeking",
            "owner": "wijkagent",
            "due": "2030-01-31",
        },
        {
            "id": "I2",
            "partner": "municipality",
            "kind": "closure13b",
            "description": "sluiting",
            "owner": "safetyAdvisor-1",
            "due": "2030-02-28",
        },
    ],
}
FINDING = {
    "applicationId": "2026-0042",
    "reason": "zelfde pand",
    "finding": {"code": "F-01", "title": "t", "explanation": "e"},
}


@pytest.fixture(scope="module")
def signal_ids(client: Client, tokens: dict[str, str]) -> list[str]:
    """A resident's and a police signal about the same address, weighed up to the source research."""
    advisor = tokens["safetyAdvisor"]
    resident = register(client, advisor, resident_signal())["id"]
    police = register(client, tokens["signalIntakePartner"], police_signal())["id"]
    for signal_id in (resident, police):
        to_source_research(client, advisor, signal_id)
    return [resident, police]


def _case(client: Client, tokens: dict[str, str], signal_ids: list[str]) -> dict[str, Any]:
    return open_case(
        client,
        tokens["safetyAdvisor"],
        signal_ids,
        members=["bibobCoordinator-1"],
        partners=["police", "housingCorporation"],
    )


def _to_meeting(client: Client, advisor: str, case: dict[str, Any]) -> dict[str, Any]:
    case = step(client, advisor, case, {"type": "investigationStarted"})
    question = {"type": "informationRequested", "requestId": "V1", "partner": "police", "question": "Bekend pand?"}
    case = step(client, advisor, case, question)
    case = step(client, advisor, case, {"type": "informationAnswered", "requestId": "V1", "answerSummary": "ja"})
    return step(client, advisor, case, {"type": "meetingScheduled", "agenda": ["pand"]})


def test_the_seed_process_from_two_signals_to_an_approved_plan_and_a_closed_case(
    client: Client, tokens: dict[str, str], signal_ids: list[str]
) -> None:
    advisor, mayor = tokens["safetyAdvisor"], tokens["mayor"]
    case = _case(client, tokens, signal_ids)
    assert (case["state"], case["lead"], case["members"], case["signalIds"]) == (
        "registered",
        "safetyAdvisor-1",
        ["bibobCoordinator-1"],
        signal_ids,
    )
    assert case["subjects"]["persons"][0]["surname"] == "Jansen"
    assert len(case["subjects"]["addresses"]) == 1  # the same address from both signals, once
    for signal_id in signal_ids:
        opened = weigh(client, advisor, signal_id, {"decision": "openCase", "reason": "casus", "reference": case["id"]})
        assert opened["state"] == "case"
    case = _to_meeting(client, advisor, case)
    assert case["informationRequests"][0]["answerSummary"] == "ja"
    held = {"type": "meetingHeld", "attendees": ["police", "municipality"], "decisions": ["plan opstellen"]}
    case = step(client, tokens["bibobCoordinator"], case, held)
    case = step(client, advisor, case, PLAN)
    assert (case["state"], case["actionPlan"]["needsTriangle"]) == ("actionPlan", True)
    adopt = client.post(
        f"{CASES}/{case['id']}/events", json={"type": "planAdopted"}, headers=bearer(advisor) | _if(case)
    )
    assert adopt.status_code == 409
    assert "driehoek" in adopt.json()["detail"]
    assert client.get(f"{CASES}/{case['id']}", headers=bearer(mayor)).status_code == 404
    case = step(client, advisor, case, {"type": "triangleAlignmentRequested"})
    assert client.get(f"{CASES}/{case['id']}", headers=bearer(mayor)).status_code == 200
    approval = {"type": "triangleApproved", "notes": "akkoord"}
    not_yet = client.post(f"{CASES}/{case['id']}/events", json=approval, headers=bearer(mayor) | _if(case))
    assert not_yet.status_code == 404  # readable in the driehoek step, changed only by a member
    members = {"type": "membersChanged", "members": ["bibobCoordinator-1", "mayor-1"]}
    case = step(client, advisor, case, members)
    case = step(client, mayor, case, approval)
    assert (case["state"], case["triangleApproval"]["mayor"]) == ("execution", "mayor-1")
    members = {"type": "membersChanged", "members": ["bibobCoordinator-1"]}
    case = step(client, advisor, case, members)
    assert client.get(f"{CASES}/{case['id']}", headers=bearer(mayor)).status_code == 404
    for intervention in ("I1", "I2"):
        case = step(
            client, advisor, case, {"type": "interventionUpdated", "interventionId": intervention, "status": "done"}
        )
    case = step(client, advisor, case, {"type": "caseClosed", "result": "pand gesloten"})
    assert (case["state"], case["result"]) == ("closed", "pand gesloten")
    journal = client.get(f"{CASES}/{case['id']}/journal", params={"pageSize": 5}, headers=bearer(advisor))
    assert journal.json()["count"] == len(case["events"])
    assert len(journal.json()["results"]) == 5
    assert 'rel="next"' in journal.headers["link"]


def _if(case: dict[str, Any]) -> dict[str, str]:
    return {"If-Match": f'"{case["version"]}"'}


def test_refused_steps_answer_409_with_every_unmet_condition_in_dutch(
    client: Client, tokens: dict[str, str], signal_ids: list[str]
) -> None:
    advisor = tokens["safetyAdvisor"]
    case = step(client, advisor, _case(client, tokens, signal_ids), {"type": "investigationStarted"})
    early = client.post(
        f"{CASES}/{case['id']}/events", json={"type": "meetingScheduled"}, headers=bearer(advisor) | _if(case)
    )
    assert early.status_code == 409
    assert "informatieverzoek" in early.json()["detail"]
    again = client.post(
        f"{CASES}/{case['id']}/events", json={"type": "caseRegistered"}, headers=bearer(advisor) | _if(case)
    )
    assert again.status_code == 400  # the schema wants the registration's fields first


def test_updates_need_if_match_428_and_a_current_etag_412(
    client: Client, tokens: dict[str, str], signal_ids: list[str]
) -> None:
    advisor = tokens["safetyAdvisor"]
    case = _case(client, tokens, signal_ids)
    url = f"{CASES}/{case['id']}/events"
    assert client.post(url, json={"type": "investigationStarted"}, headers=bearer(advisor)).status_code == 428
    step(client, advisor, case, {"type": "investigationStarted"})
    stale = client.post(url, json={"type": "investigationStarted"}, headers=bearer(advisor) | _if(case))
    assert stale.status_code == 412
    bad = client.post(url, json={"type": "investigationStarted"}, headers=bearer(advisor) | {"If-Match": "*"})
    assert bad.status_code == 400
    shown = client.get(f"{CASES}/{case['id']}", headers=bearer(advisor))
    assert shown.headers["etag"] == '"2"'


def test_an_event_replayed_with_its_idempotency_key_is_recorded_once(
    client: Client, tokens: dict[str, str], signal_ids: list[str]
) -> None:
    advisor = tokens["safetyAdvisor"]
    case = _case(client, tokens, signal_ids)
    headers = bearer(advisor) | _if(case) | {"Idempotency-Key": idempotency_key()}
    url = f"{CASES}/{case['id']}/events"
    first = client.post(url, json={"type": "investigationStarted"}, headers=headers)
    again = client.post(url, json={"type": "investigationStarted"}, headers=headers)
    assert (first.status_code, again.status_code, again.json()) == (201, 201, first.json())
    assert again.headers["etag"] == '"2"'
    assert client.post(url, json={"type": "caseClosed", "result": "x"}, headers=headers).status_code == 422
    created = client.post(CASES, json={"title": "T"}, headers=bearer(advisor) | {"Idempotency-Key": "create-once-1"})
    replayed = client.post(CASES, json={"title": "T"}, headers=bearer(advisor) | {"Idempotency-Key": "create-once-1"})
    assert created.json()["id"] == replayed.json()["id"]


def test_evidence_is_linked_by_hand_confirmed_and_detached_with_a_reason(
    client: Client, tokens: dict[str, str], signal_ids: list[str]
) -> None:
    advisor = tokens["safetyAdvisor"]
    case = _case(client, tokens, signal_ids)
    case = step(client, advisor, case, FINDING, "evidence")
    listed = client.get(f"{CASES}/{case['id']}/evidence", headers=bearer(advisor))
    item = listed.json()["results"][0]
    assert (item["id"], item["kind"], item["status"], item["reason"]) == (
        "bevinding-2026-0042-F-01",
        "finding",
        "linked",
        "zelfde pand",
    )
    assert listed.headers["etag"] == f'"{case["version"]}"'
    evidence = f"evidence/{item['id']}"
    case = step(client, advisor, case, {}, f"{evidence}/confirmations")
    assert case["evidence"][0]["status"] == "confirmed"
    refused = client.post(
        f"{CASES}/{case['id']}/{evidence}/confirmations", json={}, headers=bearer(advisor) | _if(case)
    )
    assert refused.status_code == 409
    no_reason = client.post(
        f"{CASES}/{case['id']}/{evidence}/detachments", json={}, headers=bearer(advisor) | _if(case)
    )
    assert no_reason.status_code == 400
    case = step(client, advisor, case, {"reason": "ander pand"}, f"{evidence}/detachments")
    assert (case["evidence"][0]["status"], case["evidence"][0]["detachReason"]) == ("detached", "ander pand")
    unknown = client.post(
        f"{CASES}/{case['id']}/evidence/nope/confirmations", json={}, headers=bearer(advisor) | _if(case)
    )
    assert unknown.status_code == 404
    twice = client.post(f"{CASES}/{case['id']}/evidence", json=FINDING, headers=bearer(advisor) | _if(case))
    assert twice.status_code == 409
    texts = [e["text"] for e in client.get(f"{CASES}/{case['id']}/journal", headers=bearer(advisor)).json()["results"]]
    assert any("met de hand gekoppeld" in t for t in texts)


@pytest.mark.parametrize(
    "body",
    [
        {"reason": "x", "finding": {"code": "F", "title": "t", "explanation": "e"}},
        {**FINDING, "reason": "  "},
        {**FINDING, "finding": {"code": "F"}},
        {**FINDING, "finding": "F-01"},
        {**FINDING, "confidentiality": "geheim"},
        {**FINDING, "extra": 1},
    ],
)
def test_bad_links_by_hand_are_400(client: Client, tokens: dict[str, str], signal_ids: list[str], body: Any) -> None:
    case = _case(client, tokens, signal_ids)
    response = client.post(
        f"{CASES}/{case['id']}/evidence", json=body, headers=bearer(tokens["safetyAdvisor"]) | _if(case)
    )
    assert response.status_code == 400, response.text


def test_members_see_the_case_and_a_non_member_advisor_gets_404(
    client: Client, tokens: dict[str, str], signal_ids: list[str]
) -> None:
    advisor, other = tokens["safetyAdvisor"], tokens["safetyAdvisor-2"]
    case = _case(client, tokens, signal_ids)
    url = f"{CASES}/{case['id']}"
    assert client.get(url, headers=bearer(tokens["bibobCoordinator"])).status_code == 200
    for path in ("", "/journal", "/evidence"):
        assert client.get(url + path, headers=bearer(other)).status_code == 404
    assert case["id"] not in [c["id"] for c in client.get(CASES, headers=bearer(other)).json()["results"]]
    events = client.post(url + "/events", json={"type": "investigationStarted"}, headers=bearer(other) | _if(case))
    assert events.status_code == 404
    members = {"type": "membersChanged", "members": ["bibobCoordinator-1", "safetyAdvisor-2"]}
    by_member = client.post(url + "/events", json=members, headers=bearer(tokens["bibobCoordinator"]) | _if(case))
    assert by_member.status_code == 404  # only the lead changes who has need-to-know
    case = step(client, advisor, case, members)
    assert client.get(url, headers=bearer(other)).status_code == 200
    case = step(client, advisor, case, {"type": "membersChanged", "members": []})
    assert client.get(url, headers=bearer(other)).status_code == 404
    assert client.get(url, headers=bearer(tokens["bibobCoordinator"])).status_code == 404


def test_the_case_list_holds_only_the_principals_cases_and_pages(
    client: Client, tokens: dict[str, str], signal_ids: list[str]
) -> None:
    coordinator = tokens["bibobCoordinator"]
    _case(client, tokens, signal_ids)
    _case(client, tokens, signal_ids)
    first = client.get(CASES, params={"pageSize": 1}, headers=bearer(coordinator))
    body = first.json()
    assert body["count"] >= 2
    assert len(body["results"]) == 1
    assert set(body["results"][0]) >= {"id", "title", "state", "stateLabel", "version"}
    assert "subjects" not in body["results"][0]
    assert 'rel="next"' in first.headers["link"]


@pytest.mark.parametrize("role", ["permitOfficer", "mayor", "signalIntakePartner", "privacyOfficer", "functionalAdmin"])
def test_roles_without_a_case_rule_get_404(
    client: Client, tokens: dict[str, str], signal_ids: list[str], role: str
) -> None:
    case = _case(client, tokens, signal_ids)
    headers = bearer(tokens[role]) | _if(case)
    url = f"{CASES}/{case['id']}"
    assert client.post(CASES, json={"title": "x"}, headers=headers).status_code == 404
    assert client.post(CASES, content=b"{", headers=headers).status_code == 404
    for path in ("", "/journal", "/evidence"):
        assert client.get(url + path, headers=headers).status_code == 404
    assert client.post(url + "/events", json={"type": "investigationStarted"}, headers=headers).status_code == 404
    assert client.post(url + "/evidence", json=FINDING, headers=headers).status_code == 404


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ({}, ["/title"]),
        ({"title": "  "}, ["/title"]),
        ({"title": "T", "theme": "cars", "confidentiality": 3}, ["/confidentiality", "/theme"]),
        ({"title": "T", "lead": "me"}, ["/lead"]),
        ({"title": "T", "signalIds": ["00000000-0000-4000-8000-000000000000"]}, ["/signalIds/0"]),
        ({"title": "T", "members": ["safetyAdvisor-1"]}, ["/members"]),
        ([], [""]),
    ],
)
def test_bad_case_bodies_are_400_with_every_problem(
    client: Client, tokens: dict[str, str], body: Any, names: list[str]
) -> None:
    response = client.post(CASES, json=body, headers=bearer(tokens["safetyAdvisor"]))
    assert response.status_code == 400, response.text
    assert [p["name"] for p in response.json()["invalidParams"]] == names


@pytest.mark.parametrize(
    "body",
    [
        {"type": "meetingHeld"},
        {"type": "warp"},
        {"type": "investigationStarted", "by": "someone"},
        {"type": "investigationStarted", "at": "2026-02-30T10:00:00+01:00"},
        {"type": "evidenceConfirmed", "evidenceId": "x"},
        {"type": "investigationStarted", "colour": "red"},
        {"type": ["evidenceLinked"]},
        "investigationStarted",
    ],
)
def test_bad_events_are_400(client: Client, tokens: dict[str, str], signal_ids: list[str], body: Any) -> None:
    case = _case(client, tokens, signal_ids)
    response = client.post(
        f"{CASES}/{case['id']}/events", json=body, headers=bearer(tokens["safetyAdvisor"]) | _if(case)
    )
    assert response.status_code == 400, response.text


@pytest.mark.parametrize("at", ["9999-12-31T23:59:59-12:00", "2100-01-01T00:00:00+01:00", "0001-01-01T00:00:00+14:00"])
def test_an_event_dated_in_the_future_or_before_1950_is_refused_and_the_case_goes_on(
    client: Client, tokens: dict[str, str], signal_ids: list[str], at: str
) -> None:
    advisor = tokens["safetyAdvisor"]
    case = _case(client, tokens, signal_ids)
    url = f"{CASES}/{case['id']}/events"
    response = client.post(url, json={"type": "investigationStarted", "at": at}, headers=bearer(advisor) | _if(case))
    assert response.status_code == 400, response.text
    assert response.json()["invalidParams"][0]["name"] == "/at"
    assert client.get(f"{CASES}/{case['id']}", headers=bearer(advisor)).headers["etag"] == f'"{case["version"]}"'
    assert step(client, advisor, case, {"type": "investigationStarted"})["state"] == "investigation"


def test_only_the_mayor_records_the_driehoek_approval_and_only_in_their_own_name(
    client: Client, tokens: dict[str, str], signal_ids: list[str]
) -> None:
    advisor, mayor = tokens["safetyAdvisor"], tokens["mayor"]
    case = _to_meeting(client, advisor, _case(client, tokens, signal_ids))
    held = {"type": "meetingHeld", "attendees": ["police", "municipality"], "decisions": ["plan opstellen"]}
    case = step(client, tokens["bibobCoordinator"], case, held)
    for body in (PLAN, {"type": "triangleAlignmentRequested"}):
        case = step(client, advisor, case, body)
    case = step(client, advisor, case, {"type": "membersChanged", "members": ["bibobCoordinator-1", "mayor-1"]})
    url = f"{CASES}/{case['id']}/events"
    forged = client.post(
        url, json={"type": "triangleApproved", "mayor": "mayor-1"}, headers=bearer(advisor) | _if(case)
    )
    assert forged.status_code == 400 and forged.json()["invalidParams"][0]["code"] == "event.mayorOnly"
    other = client.post(url, json={"type": "triangleApproved", "mayor": "mayor-2"}, headers=bearer(mayor) | _if(case))
    assert other.status_code == 400 and other.json()["invalidParams"][0]["name"] == "/mayor"
    approved = step(client, mayor, case, {"type": "triangleApproved", "notes": "akkoord"})
    assert (approved["state"], approved["triangleApproval"]["mayor"]) == ("execution", "mayor-1")


def test_a_created_case_says_where_it_lives(client: Client, tokens: dict[str, str], signal_ids: list[str]) -> None:
    body = {"title": "Pand Hamersveldseweg", "theme": "drugs", "signalIds": signal_ids}
    response = client.post(CASES, json=body, headers=bearer(tokens["safetyAdvisor"]))
    assert response.status_code == 201 and response.headers["location"] == f"{CASES}/{response.json()['id']}"


def test_unknown_cases_are_404(client: Client, tokens: dict[str, str]) -> None:
    headers = bearer(tokens["safetyAdvisor"]) | {"If-Match": '"1"'}
    for path in ("/nope", "/nope/journal", "/nope/evidence"):
        assert client.get(CASES + path, headers=headers).status_code == 404
    assert (
        client.post(CASES + "/nope/events", json={"type": "investigationStarted"}, headers=headers).status_code == 404
    )


def test_the_agenda_of_the_undermining_meeting_lists_signals_and_cases_due(
    client: Client, tokens: dict[str, str], signal_ids: list[str]
) -> None:
    advisor = tokens["safetyAdvisor"]
    waiting = register(client, advisor, resident_signal())["id"]
    case = _to_meeting(client, advisor, _case(client, tokens, signal_ids))
    response = client.get("/api/v1/meeting-agenda", params={"on": "2026-12-01"}, headers=bearer(advisor))
    agenda = response.json()
    assert agenda["date"] == "2026-12-01"
    references = {(item["kind"], item["reference"]) for item in agenda["items"]}
    assert ("signalToWeigh", waiting) in references
    assert ("caseToDiscuss", case["id"]) in references
    assert all(item["text"] and item["kindLabel"] for item in agenda["items"])
    assert client.get("/api/v1/meeting-agenda", params={"on": "morgen"}, headers=bearer(advisor)).status_code == 400
    assert client.get("/api/v1/meeting-agenda", headers=bearer(tokens["bibobCoordinator"])).status_code == 404
