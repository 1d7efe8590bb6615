"""Subject search (identifiers only in the body), match review, and the audit log for the privacy officer."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from service.store.engine import create_engine_for
from service.store.tables import audit_log
from tests.service.api.flow import idempotency_key, open_case, police_signal, register
from tests.service.conftest import Client, bearer
from tests.service.store.helpers import allow_tampering

SEARCH = "/api/v1/subjects/_search"
REVIEWS = "/api/v1/match-reviews"
AUDIT = "/api/v1/audit-log"
JANSEN = {"surname": "Jansen", "firstNames": "Pieter", "dateOfBirth": "1980-02-03", "bsn": "111222333"}


@pytest.fixture(scope="module")
def dossiers(client: Client, tokens: dict[str, str]) -> dict[str, str]:
    """A police signal about Pieter Jansen (with BSN) and a case made from it."""
    advisor = tokens["safetyAdvisor"]
    signal = police_signal()
    signal["subjects"]["persons"] = [JANSEN]
    signal_id = register(client, tokens["signalIntakePartner"], signal)["id"]
    case_id = open_case(client, advisor, [signal_id], members=["bibobCoordinator-1"])["id"]
    return {"signal": signal_id, "case": case_id}


def _search(client: Client, token: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post(SEARCH, json=body, headers=bearer(token, "toets"))
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def test_a_person_is_found_by_bsn_in_the_body_with_score_level_and_dutch_explanation(
    client: Client, tokens: dict[str, str], dossiers: dict[str, str]
) -> None:
    results = _search(client, tokens["safetyAdvisor"], {"person": {"surname": "Jansen", "bsn": "111222333"}})
    owners = {(r["ownerType"], r["ownerId"]) for r in results}
    assert {("signal", dossiers["signal"]), ("case", dossiers["case"])} <= owners
    best = results[0]
    assert (best["level"], best["levelLabel"], best["score"]) == ("certain", "zeker", 1.0)
    assert "BSN gelijk" in best["explanation"]
    assert all("111222333" not in r["explanation"] for r in results)


def test_search_results_are_limited_to_what_the_principal_may_see(
    client: Client, tokens: dict[str, str], dossiers: dict[str, str]
) -> None:
    body = {"person": {"surname": "Jansen", "firstNames": "Pieter", "dateOfBirth": "1980-02-03"}}
    coordinator = {(r["ownerType"], r["ownerId"]) for r in _search(client, tokens["bibobCoordinator"], body)}
    assert ("case", dossiers["case"]) in coordinator
    assert all(owner_type == "case" for owner_type, _ in coordinator)  # the coordinator weighs no signals
    own = {(r["ownerType"], r["ownerId"]) for r in _search(client, tokens["safetyAdvisor"], body)}
    assert {("signal", dossiers["signal"]), ("case", dossiers["case"])} <= own  # the lead sees both
    other = {(r["ownerType"], r["ownerId"]) for r in _search(client, tokens["safetyAdvisor-2"], body)}
    assert ("signal", dossiers["signal"]) not in other  # linked to a case they are not a member of
    assert ("case", dossiers["case"]) not in other  # not a member
    assert _search(client, tokens["mayor"], body) == []  # no case in the driehoek step
    for role in ("permitOfficer", "signalIntakePartner", "privacyOfficer", "functionalAdmin"):
        assert client.post(SEARCH, json=body, headers=bearer(tokens[role])).status_code == 404


def test_a_dismissed_match_drops_out_and_a_confirmed_one_becomes_certain_in_searches_for_the_case(
    client: Client, tokens: dict[str, str], dossiers: dict[str, str]
) -> None:
    advisor, case_id = tokens["safetyAdvisor"], dossiers["case"]
    body = {"person": {"surname": "Janssen", "firstNames": "P.", "dateOfBirth": "1980-02-03"}}
    in_case = body | {"caseId": case_id}
    proposed = [r for r in _search(client, advisor, in_case) if r["ownerId"] == dossiers["signal"]]
    assert proposed
    assert proposed[0]["needsReview"] is True
    pair = {"caseId": case_id, "leftKey": proposed[0]["leftKey"], "rightKey": proposed[0]["rightKey"]}
    review = {**pair, "decision": "dismiss", "reason": "andere persoon volgens BRP"}
    created = client.post(REVIEWS, json=review, headers=bearer(advisor))
    assert created.status_code == 201
    assert (created.json()["decision"], created.json()["reviewer"]) == ("dismiss", "safetyAdvisor-1")
    assert created.json()["caseId"] == case_id
    assert all(r["ownerId"] != dossiers["signal"] for r in _search(client, advisor, in_case))
    assert any(r["ownerId"] == dossiers["signal"] for r in _search(client, advisor, body))  # a search for no case
    confirm = {**pair, "decision": "confirm", "reason": "zelfde persoon volgens BRP"}
    assert client.post(REVIEWS, json=confirm, headers=bearer(advisor)).status_code == 201
    again = [r for r in _search(client, advisor, in_case) if r["ownerId"] == dossiers["signal"]]
    assert (again[0]["level"], again[0]["needsReview"]) == ("certain", False)
    assert "bevestigd bij beoordeling" in again[0]["explanation"]


def test_a_review_replayed_with_its_key_is_remembered_once(
    client: Client, tokens: dict[str, str], dossiers: dict[str, str]
) -> None:
    headers = bearer(tokens["safetyAdvisor"]) | {"Idempotency-Key": idempotency_key()}
    review = {
        "caseId": dossiers["case"],
        "leftKey": "person:a",
        "rightKey": "known:person:b",
        "decision": "confirm",
        "reason": "zelfde",
    }
    first = client.post(REVIEWS, json=review, headers=headers)
    again = client.post(REVIEWS, json=review, headers=headers)
    assert (first.status_code, again.status_code, first.json()) == (201, 201, again.json())
    assert client.post(REVIEWS, json=review | {"decision": "dismiss"}, headers=headers).status_code == 422


def test_a_dismissal_in_one_case_counts_for_its_members_but_never_in_a_search_for_another_case(
    client: Client, tokens: dict[str, str], dossiers: dict[str, str]
) -> None:
    advisor, coordinator = tokens["safetyAdvisor"], tokens["bibobCoordinator"]
    other_case = open_case(client, advisor, [dossiers["signal"]])["id"]  # the coordinator is no member of this one
    body = {"person": {"surname": "Janse", "firstNames": "Piet", "dateOfBirth": "1980-02-03"}}
    in_case, in_other = body | {"caseId": dossiers["case"]}, body | {"caseId": other_case}
    before = [r for r in _search(client, coordinator, in_case) if r["ownerId"] == dossiers["case"]]
    assert before and before[0]["needsReview"] is True
    pair = {"caseId": dossiers["case"], "leftKey": before[0]["leftKey"], "rightKey": before[0]["rightKey"]}
    dismissal = {**pair, "decision": "dismiss", "reason": "andere persoon"}
    assert client.post(REVIEWS, json=dismissal, headers=bearer(coordinator)).status_code == 201
    assert all(r["ownerId"] != dossiers["case"] for r in _search(client, coordinator, in_case))
    assert all(r["ownerId"] != dossiers["case"] for r in _search(client, advisor, in_case))  # a member of the case
    others = [r for r in _search(client, advisor, in_other) if r["ownerId"] == dossiers["case"]]
    assert others and others[0]["needsReview"] is True  # the verdict of one case never hides a match in another


def test_reviewing_or_searching_for_a_case_one_is_no_member_of_is_404_and_records_nothing(
    client: Client, tokens: dict[str, str], dossiers: dict[str, str]
) -> None:
    outsider, coordinator = tokens["safetyAdvisor-2"], tokens["bibobCoordinator"]
    lone_case = open_case(client, tokens["safetyAdvisor"], [])["id"]
    review = {"leftKey": "person:a", "rightKey": "known:person:b", "decision": "dismiss", "reason": "andere"}
    unknown = "00000000-0000-4000-8000-000000000000"
    for token, case_id in ((outsider, dossiers["case"]), (coordinator, lone_case), (outsider, unknown)):
        refused = client.post(REVIEWS, json=review | {"caseId": case_id}, headers=bearer(token))
        assert refused.status_code == 404, refused.text
        search = {"person": {"surname": "Jansen"}, "caseId": case_id}
        assert client.post(SEARCH, json=search, headers=bearer(token)).status_code == 404
    assert client.post(REVIEWS, json=review | {"caseId": lone_case}, headers=bearer(outsider)).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"person": {"surname": "A"}, "address": {"postcode": "3833GP"}},
        {"person": {"firstNames": "Piet"}},
        {"person": {"surname": "A", "bsn": "1234"}},
        {"organisation": {"name": "X", "kvkNumber": "12"}},
        {"address": {"houseNumber": "twaalf"}},
        {"person": {"surname": "A", "dateOfBirth": "1980-02-30"}},
        {"person": {"surname": "A"}, "minimumLevel": "none"},
        {"person": {"surname": "A"}, "colour": "red"},
        {"person": {"surname": "A"}, "caseId": 12},
        ["person"],
    ],
)
def test_bad_search_bodies_are_400(client: Client, tokens: dict[str, str], body: Any) -> None:
    response = client.post(SEARCH, json=body, headers=bearer(tokens["safetyAdvisor"]))
    assert response.status_code == 400, response.text
    assert response.json()["invalidParams"]


def test_malformed_json_is_400_and_the_search_has_no_get(client: Client, tokens: dict[str, str]) -> None:
    headers = bearer(tokens["safetyAdvisor"]) | {"Content-Type": "application/json"}
    assert client.post(SEARCH, content=b'{"person": ', headers=headers).status_code == 400
    assert client.get(SEARCH, params={"bsn": "111222333"}, headers=headers).status_code == 405


@pytest.mark.parametrize(
    "body",
    [
        {"leftKey": "a", "rightKey": "b", "decision": "confirm"},
        {"leftKey": "a", "rightKey": "b", "decision": "maybe", "reason": "r"},
        {"leftKey": "a", "rightKey": "b", "decision": [], "reason": "r"},  # found by schemathesis: was a 500
        {"leftKey": "a", "rightKey": "b", "decision": {"confirm": True}, "reason": "r"},
        {"leftKey": "a", "rightKey": 2, "decision": "confirm", "reason": "r"},
        {"leftKey": "a", "rightKey": "b", "decision": "confirm", "reason": " "},
        {"leftKey": "a" * 300, "rightKey": "b", "decision": "confirm", "reason": "r"},
        {"leftKey": "a", "rightKey": "b", "decision": "confirm", "reason": "r", "extra": 1},
        {"caseId": 7, "leftKey": "a", "rightKey": "b", "decision": "confirm", "reason": "r"},
        {"caseId": "x" * 40, "leftKey": "a", "rightKey": "b", "decision": "confirm", "reason": "r"},
    ],
)
def test_bad_reviews_are_400(client: Client, tokens: dict[str, str], dossiers: dict[str, str], body: Any) -> None:
    in_case = body if "caseId" in body else {"caseId": dossiers["case"], **body}
    response = client.post(REVIEWS, json=in_case, headers=bearer(tokens["safetyAdvisor"]))
    assert response.status_code == 400, response.text


def test_a_review_without_its_case_is_400_at_the_case_field(client: Client, tokens: dict[str, str]) -> None:
    review = {"leftKey": "a", "rightKey": "b", "decision": "confirm", "reason": "r"}
    missing = client.post(REVIEWS, json=review, headers=bearer(tokens["safetyAdvisor"]))
    assert missing.status_code == 400
    assert [p["name"] for p in missing.json()["invalidParams"]] == ["/caseId"]


@pytest.mark.parametrize("role", ["permitOfficer", "mayor", "signalIntakePartner", "privacyOfficer", "functionalAdmin"])
def test_roles_that_review_no_matches_get_404(client: Client, tokens: dict[str, str], role: str) -> None:
    review = {"caseId": "c", "leftKey": "a", "rightKey": "b", "decision": "confirm", "reason": "r"}
    assert client.post(REVIEWS, json=review, headers=bearer(tokens[role])).status_code == 404
    assert client.post(REVIEWS, content=b"{", headers=bearer(tokens[role])).status_code == 404


def test_the_privacy_officer_reads_ids_and_actions_page_by_page(
    client: Client, tokens: dict[str, str], dossiers: dict[str, str]
) -> None:
    privacy = tokens["privacyOfficer"]
    response = client.get(AUDIT, params={"objectId": dossiers["signal"], "pageSize": 2}, headers=bearer(privacy))
    body = response.json()
    assert body["count"] >= 3
    assert len(body["results"]) == 2
    assert 'rel="next"' in response.headers["link"]
    assert set(body["results"][0]) == {"seq", "at", "user", "role", "action", "objectType", "objectId", "reason"}
    assert body["results"][0]["action"] == "signal.create"
    everything = client.get(AUDIT, params={"objectId": dossiers["signal"], "pageSize": 500}, headers=bearer(privacy))
    rows = everything.json()["results"]
    assert any(r["action"] == "subject.search" and r["reason"] == "toets" for r in rows)
    assert "Jansen" not in everything.text
    assert "111222333" not in everything.text
    by_user = client.get(AUDIT, params={"user": "safetyAdvisor-1", "objectType": "case"}, headers=bearer(privacy))
    assert {r["user"] for r in by_user.json()["results"]} == {"safetyAdvisor-1"}


@pytest.mark.parametrize("role", ["permitOfficer", "bibobCoordinator", "safetyAdvisor", "mayor", "functionalAdmin"])
def test_only_the_privacy_officer_reads_and_verifies_the_audit_log(
    client: Client, tokens: dict[str, str], role: str
) -> None:
    headers = bearer(tokens[role])
    assert client.get(AUDIT, headers=headers).status_code == 404
    assert client.get(AUDIT, params={"pageSize": 9999}, headers=headers).status_code == 404
    assert client.post(f"{AUDIT}/_verify", json={}, headers=headers).status_code == 404


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ({"pageSize": "0"}, None),
        ({"page": "x"}, None),
        ({"objectId": "x" * 40}, None),
        (None, {"anchor": {"seq": -1, "hash": "0" * 64}}),
        (None, {"anchor": {"seq": 10**30, "hash": "0" * 64}}),  # beyond any database integer
        (None, {"anchor": {"seq": 1, "hash": "kort"}}),
        (None, {"anchor": {"seq": 1}}),
        (None, {"colour": "red"}),
        (None, []),
    ],
)
def test_bad_audit_requests_are_400(
    client: Client, tokens: dict[str, str], query: dict[str, str] | None, body: Any
) -> None:
    headers = bearer(tokens["privacyOfficer"])
    if query is not None:
        assert client.get(AUDIT, params=query, headers=headers).status_code == 400
    else:
        assert client.post(f"{AUDIT}/_verify", json=body, headers=headers).status_code == 400


def test_the_chain_check_passes_and_then_reports_the_first_changed_row(
    client: Client, tokens: dict[str, str], database_url: str, dossiers: dict[str, str]
) -> None:
    privacy = bearer(tokens["privacyOfficer"])
    intact = client.post(f"{AUDIT}/_verify", json={}, headers=privacy).json()
    assert (intact["ok"], intact["firstBrokenSeq"]) == (True, None)
    assert intact["checked"] > 10
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        allow_tampering(conn)
        conn.execute(sa.update(audit_log).where(audit_log.c.seq == 5).values(reason="verborgen"))
    engine.dispose()
    broken = client.post(f"{AUDIT}/_verify", json={}, headers=privacy).json()
    assert (broken["ok"], broken["firstBrokenSeq"], broken["code"]) == (False, 5, "hashMismatch")
    assert "Auditregel 5" in broken["message"]


def _denials(database_url: str) -> list[tuple[str, str, str, str, str]]:
    engine = create_engine_for(database_url)
    columns = (audit_log.c.user, audit_log.c.role, audit_log.c.object_type, audit_log.c.object_id, audit_log.c.reason)
    with engine.connect() as conn:
        query = sa.select(*columns).where(audit_log.c.action == "access.denied").order_by(audit_log.c.seq)
        rows = [tuple(row) for row in conn.execute(query)]
    engine.dispose()
    return rows  # type: ignore[return-value]


def test_a_refused_access_is_in_the_audit_log_alike_for_a_hidden_and_an_unknown_dossier(
    client: Client, tokens: dict[str, str], database_url: str, dossiers: dict[str, str]
) -> None:
    before = _denials(database_url)
    officer = bearer(tokens["permitOfficer"], "even kijken")
    hidden = client.get(f"/api/v1/signals/{dossiers['signal']}", headers=officer)
    unknown = client.get("/api/v1/signals/00000000-0000-4000-8000-000000000000", headers=officer)
    odd = client.get("/api/v1/cases/Jan%20Jansen%2C%20Dorpsstraat%201", headers=officer)  # not an id of ours
    not_a_dossier = client.get("/api/v1/questionnaires/bestaat-niet", headers=officer)
    no_token = client.get(f"/api/v1/signals/{dossiers['signal']}")
    assert [r.status_code for r in (hidden, unknown, odd, not_a_dossier, no_token)] == [404, 404, 404, 404, 401]
    assert _denials(database_url)[len(before) :] == [
        ("permitOfficer-1", "permitOfficer", "signal", dossiers["signal"], "even kijken"),
        ("permitOfficer-1", "permitOfficer", "signal", "00000000-0000-4000-8000-000000000000", "even kijken"),
        ("permitOfficer-1", "permitOfficer", "case", "", "even kijken"),  # a name typed into a URL is not kept
    ]
