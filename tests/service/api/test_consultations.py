"""Known in a case is a consultation, not a finding (art. 3 lid 2/3 Wet Bibob); art. 28 on what reaches a case.

One module database: the probe test assesses before any case exists, then the case is opened and the rest run.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import answers
from tests.service.api.flow import open_case, register, resident_signal, to_source_research
from tests.service.api.test_applications import BASE, REFUSAL, create, headers, is_problem, put_answers, to_intention
from tests.service.conftest import Client, bearer

CONSULTATIONS = "/api/v1/consultations"
SHARED = {"kind": "fine", "source": "municipality", "on": "2026-06-01", "description": "last onder dwangsom",
          "year": 2025}  # fmt: skip
OTHERS = ("permitOfficer", "mayor", "signalIntakePartner", "privacyOfficer", "functionalAdmin")


def _assess(client: Client, token: str, application_id: str) -> Any:
    response = client.post(f"{BASE}/{application_id}/assessments", json={}, headers=headers(token))
    assert response.status_code == 201, response.text
    return response


def _application(client: Client, token: str, name: str) -> str:
    identifier: str = create(client, token)["id"]
    assert put_answers(client, token, identifier, 1, answers(name)).status_code == 200
    return identifier


def _without_record_fields(response: Any) -> bytes:
    """The body with the assessment's own id and moment blanked: what differs between any two assessments."""
    body = response.json()
    content: bytes = response.content
    return content.replace(body["id"].encode(), b"ID").replace(body["createdAt"].encode(), b"AT")


@pytest.fixture(scope="module")
def probe(client: Client, tokens: dict[str, str]) -> dict[str, Any]:
    """An invented application assessed by a permit officer and a coordinator before its address is known in a case."""
    officer, coordinator = tokens["permitOfficer"], tokens["bibobCoordinator"]
    invented = _application(client, officer, "valid-bv-two-ubos.json")  # a BV at Hamersveldseweg 12
    before = {token: _assess(client, token, invented) for token in (officer, coordinator)}
    return {"id": invented, "before": before}


@pytest.fixture(scope="module")
def case(client: Client, tokens: dict[str, str], probe: dict[str, Any]) -> dict[str, Any]:
    """The advisor's case about Hamersveldseweg 12, opened from a resident's signal (after the probe's first look)."""
    advisor = tokens["safetyAdvisor"]
    signal = register(client, advisor, resident_signal())["id"]
    to_source_research(client, advisor, signal)
    return open_case(client, advisor, [signal])


def test_an_invented_application_answers_a_permit_officer_identically_whether_or_not_known_in_a_case(
    client: Client, tokens: dict[str, str], probe: dict[str, Any], case: dict[str, Any]
) -> None:
    """Identity issue / art. 28: assessing reveals nothing of cases to any role (byte-equal bodies)."""
    for token, before in probe["before"].items():
        after = _assess(client, token, probe["id"])
        assert _without_record_fields(after) == _without_record_fields(before)
        assert case["id"] not in after.text
    status = client.get(f"{BASE}/{probe['id']}/consultation-status", headers=bearer(tokens["permitOfficer"]))
    assert status.json() == {"pending": False, "message": ""}


def test_a_case_match_opens_one_consultation_per_subject_and_case_however_often_assessed_and_each_probe_is_audited(
    client: Client, tokens: dict[str, str], probe: dict[str, Any], case: dict[str, Any]
) -> None:
    coordinator = tokens["bibobCoordinator"]

    def listed() -> dict[str, Any]:
        found: dict[str, Any] = client.get(
            f"{CONSULTATIONS}?applicationId={probe['id']}", headers=bearer(coordinator)
        ).json()
        return found

    first = listed()
    for _ in range(2):
        _assess(client, tokens["permitOfficer"], probe["id"])
    again = listed()
    assert again["count"] == first["count"] == 2  # the address is in the case and in the resident's signal
    assert [c["id"] for c in again["results"]] == [c["id"] for c in first["results"]]
    assert case["id"] not in json.dumps(again)  # the coordinator asks the advisor, not the case
    log = client.get("/api/v1/audit-log?objectType=consultation", headers=bearer(tokens["privacyOfficer"])).json()
    probes = [e for e in log["results"] if e["action"] == "subject.probedForAssessment"]
    assert {e["user"] for e in probes} >= {"permitOfficer-1"}


def _open_consultation(client: Client, tokens: dict[str, str], application_id: str) -> dict[str, Any]:
    listed = client.get(
        f"{CONSULTATIONS}?applicationId={application_id}&status=open", headers=bearer(tokens["bibobCoordinator"])
    ).json()
    first: dict[str, Any] = listed["results"][0]
    return first


def _ask(client: Client, tokens: dict[str, str], consultation: dict[str, Any]) -> Any:
    if_match = {"If-Match": f'"{consultation["version"]}"'}
    url = f"{CONSULTATIONS}/{consultation['id']}/questions"
    return client.post(url, json={"question": "Iets te delen?"}, headers=bearer(tokens["bibobCoordinator"]) | if_match)


def _asked_case_consultation(client: Client, tokens: dict[str, str], application_id: str) -> dict[str, Any]:
    """Ask every open consultation of the application; the advisor's view of the one about the case."""
    coordinator = tokens["bibobCoordinator"]
    listed = client.get(f"{CONSULTATIONS}?applicationId={application_id}&status=open", headers=bearer(coordinator))
    for consultation in listed.json()["results"]:
        assert _ask(client, tokens, consultation).status_code == 201
    mine = client.get(f"{CONSULTATIONS}?applicationId={application_id}", headers=bearer(tokens["safetyAdvisor"]))
    (about_case,) = [c for c in mine.json()["results"] if c["ownerType"] == "case"]
    return about_case


def test_the_coordinator_asks_the_advisor_of_the_case_is_notified_and_the_officer_only_sees_it_pending(
    client: Client, tokens: dict[str, str], probe: dict[str, Any], case: dict[str, Any]
) -> None:
    consultation = _open_consultation(client, tokens, probe["id"])
    advisor, other_advisor = tokens["safetyAdvisor"], tokens["safetyAdvisor-2"]
    assert client.get(f"{CONSULTATIONS}/{consultation['id']}", headers=bearer(advisor)).status_code == 404  # not asked
    asked = _ask(client, tokens, consultation)
    assert asked.status_code == 201 and asked.json()["status"] == "asked"
    assert is_problem(_ask(client, tokens, asked.json()), 409)  # asked once
    notice = client.get(f"{CONSULTATIONS}/{consultation['id']}", headers=bearer(advisor)).json()
    assert (
        notice["notice"] in (f"Bibob-screening raakt betrokkenen van casus {case['id']}",)
        or notice["ownerType"] == "signal"
    )
    assert "applicationId" not in notice
    rest = _asked_case_consultation(client, tokens, probe["id"])
    assert rest["notice"] == f"Bibob-screening raakt betrokkenen van casus {case['id']}"
    assert client.get(f"{CONSULTATIONS}/{rest['id']}", headers=bearer(other_advisor)).status_code == 404  # no member
    status = client.get(f"{BASE}/{probe['id']}/consultation-status", headers=bearer(tokens["permitOfficer"])).json()
    assert status == {"pending": True, "message": "consultatie loopt"}  # no case id, no count


def test_nothing_to_share_closes_the_consultation_and_adds_nothing(
    client: Client, tokens: dict[str, str], probe: dict[str, Any], case: dict[str, Any]
) -> None:
    coordinator, advisor = tokens["bibobCoordinator"], tokens["safetyAdvisor"]
    asked = client.get(f"{CONSULTATIONS}?applicationId={probe['id']}&status=asked", headers=bearer(coordinator))
    consultation = asked.json()["results"][0]
    before = _without_record_fields(_assess(client, coordinator, probe["id"]))
    answered = client.post(f"{CONSULTATIONS}/{consultation['id']}/answers", json={"nothingToShare": True},
                           headers=bearer(advisor) | {"If-Match": f'"{consultation["version"]}"'})  # fmt: skip
    assert answered.status_code == 201 and answered.json()["answer"] == {"nothingToShare": True}
    assert _without_record_fields(_assess(client, coordinator, probe["id"])) == before


# --- bad input and forbidden roles ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*OTHERS, "safetyAdvisor"])
def test_only_the_coordinator_asks_every_other_role_gets_404(
    client: Client, tokens: dict[str, str], probe: dict[str, Any], case: dict[str, Any], role: str
) -> None:
    response = client.post(
        f"{CONSULTATIONS}/any-id/questions", json={}, headers=bearer(tokens[role]) | {"If-Match": '"1"'}
    )
    assert is_problem(response, 404)


@pytest.mark.parametrize("role", [*OTHERS, "bibobCoordinator"])
def test_only_an_advisor_answers_every_other_role_gets_404(client: Client, tokens: dict[str, str], role: str) -> None:
    body = {"nothingToShare": True}
    response = client.post(
        f"{CONSULTATIONS}/any-id/answers", json=body, headers=bearer(tokens[role]) | {"If-Match": '"1"'}
    )
    assert is_problem(response, 404)


@pytest.mark.parametrize("role", OTHERS)
def test_consultations_are_not_listed_or_shown_to_other_roles(
    client: Client, tokens: dict[str, str], role: str
) -> None:
    assert is_problem(client.get(CONSULTATIONS, headers=bearer(tokens[role])), 404)
    assert is_problem(client.get(f"{CONSULTATIONS}/any-id", headers=bearer(tokens[role])), 404)


@pytest.mark.parametrize("role", [r for r in (*OTHERS, "bibobCoordinator", "safetyAdvisor") if r != "privacyOfficer"])
def test_disclosures_are_for_the_privacy_officer_only(client: Client, tokens: dict[str, str], role: str) -> None:
    assert is_problem(client.get("/api/v1/disclosures", headers=bearer(tokens[role])), 404)


def test_consultation_status_is_404_for_who_may_not_read_the_application(
    client: Client, tokens: dict[str, str], probe: dict[str, Any]
) -> None:
    for role in ("permitOfficer-2", "safetyAdvisor", "privacyOfficer", "signalIntakePartner"):
        response = client.get(f"{BASE}/{probe['id']}/consultation-status", headers=bearer(tokens[role]))
        assert is_problem(response, 404), role


def test_bad_consultation_input_names_every_problem(
    client: Client, tokens: dict[str, str], probe: dict[str, Any], case: dict[str, Any]
) -> None:
    coordinator, advisor = tokens["bibobCoordinator"], tokens["safetyAdvisor"]
    assert is_problem(client.get(f"{CONSULTATIONS}?status=maybe", headers=bearer(coordinator)), 400)
    consultation = _open_consultation(client, tokens, _fresh_consultation_application(client, tokens))
    url = f"{CONSULTATIONS}/{consultation['id']}"
    assert is_problem(client.post(f"{url}/questions", json={}, headers=bearer(coordinator)), 428)
    stale = client.post(f"{url}/questions", json={}, headers=bearer(coordinator) | {"If-Match": '"9"'})
    assert is_problem(stale, 412)
    unknown = client.post(f"{url}/questions", json={"x": 1}, headers=bearer(coordinator) | {"If-Match": '"1"'})
    assert is_problem(unknown, 400) and unknown.json()["invalidParams"][0]["name"] == "/x"
    asked = _ask(client, tokens, consultation).json()
    if_match = {"If-Match": f'"{asked["version"]}"'}
    for body, name in (
        ({}, ""),
        ({"nothingToShare": True, "fact": SHARED}, ""),
        ({"fact": {"kind": "fine", "source": "gossip"}}, "/fact/description"),
        ({"fact": {"kind": "knownInCase", "source": "caseFile", "on": "2026-01-01", "reference": "C"}}, "/fact/kind"),
    ):
        response = client.post(f"{url}/answers", json=body, headers=bearer(advisor) | if_match)
        assert is_problem(response, 400), body
        assert name in {p["name"] for p in response.json()["invalidParams"]}


def _fresh_consultation_application(client: Client, tokens: dict[str, str]) -> str:
    identifier = _application(client, tokens["bibobCoordinator"], "valid-eenmanszaak-horeca.json")
    _assess(client, tokens["bibobCoordinator"], identifier)
    return identifier


# --- art. 28: what reaches the case; no echo; the disclosures record ---------------------------------------------


def _decide(client: Client, token: str, application_id: str) -> dict[str, Any]:
    current = client.get(f"{BASE}/{application_id}", headers=bearer(token)).json()["version"]
    version = to_intention(client, token, application_id, current)
    response = client.post(f"{BASE}/{application_id}/decisions", json=REFUSAL, headers=headers(token, version=version))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _decision_items(client: Client, tokens: dict[str, str], case_id: str, application_id: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/cases/{case_id}/evidence", headers=bearer(tokens["safetyAdvisor"]))
    assert response.status_code == 200, response.text
    listed = response.json()
    return [item for item in listed["results"] if item["reference"] == application_id]


def test_nothing_of_the_findings_reaches_the_case_only_outcome_date_grounds_permit_type_subject_and_reference(
    client: Client, tokens: dict[str, str], probe: dict[str, Any], case: dict[str, Any]
) -> None:
    """Art. 28 Wet Bibob: the taxDebts finding of the assessment stays in the Bibob dossier."""
    coordinator = tokens["bibobCoordinator"]
    findings = _assess(client, coordinator, probe["id"]).json()["findings"]
    assert findings  # the BV's answers give a finding
    _decide(client, tokens["permitOfficer"], probe["id"])
    (item,) = _decision_items(client, tokens, case["id"], probe["id"])
    stored = json.dumps(item, ensure_ascii=False)
    for finding in findings:
        assert finding["explanation"] not in stored and finding["code"] not in stored
    assert item["summary"].startswith("Besluit van ") and "Referentie: aanvraag" in item["summary"]
    assert "Soort beschikking: exploitatievergunning horecabedrijf" in item["summary"]
    assert item["status"] != "derivedFromThisCase"  # the answers are a basis of their own


def test_a_refusal_resting_only_on_a_fact_the_case_shared_is_derived_from_it_and_cannot_be_confirmed_no_echo(
    client: Client, tokens: dict[str, str], case: dict[str, Any]
) -> None:
    coordinator, advisor, privacy = tokens["bibobCoordinator"], tokens["safetyAdvisor"], tokens["privacyOfficer"]
    application_id = _fresh_consultation_application(client, tokens)  # a sole trader at the case's address
    consultation = _asked_case_consultation(client, tokens, application_id)
    answered = client.post(f"{CONSULTATIONS}/{consultation['id']}/answers", json={"fact": SHARED},
                           headers=bearer(advisor) | {"If-Match": f'"{consultation["version"]}"'})  # fmt: skip
    assert answered.status_code == 201, answered.text
    assessment = _assess(client, coordinator, application_id).json()
    assert {e["ref"] for f in assessment["findings"] for e in f["evidence"]} == {f"s-{consultation['id']}"}
    _decide(client, coordinator, application_id)
    (item,) = _decision_items(client, tokens, case["id"], application_id)
    assert item["status"] == "derivedFromThisCase"
    etag = client.get(f"/api/v1/cases/{case['id']}/evidence", headers=bearer(advisor)).headers["etag"]
    confirmed = client.post(f"/api/v1/cases/{case['id']}/evidence/{item['id']}/confirmations", json={},
                            headers=bearer(advisor) | {"If-Match": etag})  # fmt: skip
    assert is_problem(confirmed, 409)

    record = client.get(f"/api/v1/disclosures?dossierId={application_id}", headers=bearer(privacy)).json()
    kinds = {(d["direction"], d["legalBasis"], d["recipient"]) for d in record["results"]}
    assert ("out", "art28Lid1DecisionForCase", f"casus {case['id']}") in kinds
    assert any(d[0] == "in" and d[1] == "sharedForOwnInvestigation" for d in kinds)
    assert all(d["by"] and d["at"] and d["purpose"] and d["content"] for d in record["results"])
    assert is_problem(client.get("/api/v1/disclosures?page=0", headers=bearer(privacy)), 400)


def _disclosures(client: Client, privacy: str, application_id: str) -> list[dict[str, Any]]:
    record = client.get(f"/api/v1/disclosures?dossierId={application_id}", headers=bearer(privacy))
    assert record.status_code == 200, record.text
    results: list[dict[str, Any]] = record.json()["results"]
    return results


def test_art28_a_finding_linked_into_a_case_by_hand_is_a_disclosure_on_record_with_its_reason(
    client: Client, tokens: dict[str, str], probe: dict[str, Any], case: dict[str, Any]
) -> None:
    advisor, privacy = tokens["safetyAdvisor"], tokens["privacyOfficer"]
    link = {"applicationId": probe["id"], "reason": "zelfde pand als de casus",
            "finding": {"code": "HAND-01", "title": "t", "explanation": "e"}}  # fmt: skip
    etag = client.get(f"/api/v1/cases/{case['id']}", headers=bearer(advisor)).headers["etag"]
    linked = client.post(
        f"/api/v1/cases/{case['id']}/evidence", json=link, headers=bearer(advisor) | {"If-Match": etag}
    )
    assert linked.status_code == 201, linked.text
    (made,) = [d for d in _disclosures(client, privacy, probe["id"]) if d["legalBasis"] == "art28FindingForCase"]
    assert (made["direction"], made["recipient"]) == ("out", f"casus {case['id']}")
    assert "zelfde pand als de casus" in made["purpose"] and "HAND-01" in made["content"] and made["by"]


def test_an_outbound_tip_is_an_event_of_the_application_and_a_disclosure_on_record(
    client: Client, tokens: dict[str, str]
) -> None:
    coordinator, privacy = tokens["bibobCoordinator"], tokens["privacyOfficer"]
    application_id = _application(client, coordinator, "valid-eenmanszaak-horeca.json")
    tip = {"type": "tipSent", "on": "2026-10-02", "sentBy": "Bibob-coördinator", "recipient": "burgemeester van Baarn",
           "purpose": "dezelfde exploitant vraagt daar een vergunning"}  # fmt: skip
    empty = client.post(f"{BASE}/{application_id}/events", json={**tip, "recipient": ""},
                        headers=headers(coordinator, version=2))  # fmt: skip
    assert is_problem(empty, 400) and not _disclosures(client, privacy, application_id)
    sent = client.post(f"{BASE}/{application_id}/events", json=tip, headers=headers(coordinator, version=2))
    assert sent.status_code == 201, sent.text
    assert sent.json()["events"][-1]["type"] == "tipSent" and sent.json()["state"] == "received"
    (made,) = _disclosures(client, privacy, application_id)
    assert (made["direction"], made["legalBasis"], made["recipient"]) == (
        "out",
        "tipToOtherBody",
        "burgemeester van Baarn",
    )
