"""The applications resource: registration to decision over HTTP, concurrency, idempotency, need-to-know, the link."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from bibob.parties import Person
from bibob.undermining import (
    CaseRegistered,
    Confidentiality,
    InvestigationStarted,
    Partner,
    Subjects,
    Theme,
    apply_case_event,
    case_to_json,
    register_case,
)
from service.auth import Principal, Role
from service.store.cases import create_case, get_case
from service.store.engine import create_engine_for
from service.store.evidence import list_evidence
from service.store.signals import list_signals
from service.store.subjects import keys_of
from service.store.tables import audit_log
from tests.service.conftest import DATA, Client, bearer

BASE = "/api/v1/applications"
SCENARIO = json.loads((DATA.parent / "scenarios" / "s05-serious-refusal-possible.json").read_text("utf-8"))
COMPLETE = SCENARIO["answers"]  # the BV of director Pieter Jan Bakker, born 2 September 1975
INCOMPLETE = json.loads((DATA / "answers" / "broken-missing-answers.json").read_text("utf-8"))
SOLE_TRADER = json.loads((DATA / "answers" / "valid-eenmanszaak-horeca.json").read_text("utf-8"))
NEW = {
    "permitType": "exploitatieHoreca",
    "legalAct": "vergunning",
    "received": "2026-10-01",
    "questionnaireId": "bibob-overige-beschikkingen",
}
LEVELS = {"aBenefit": "serious", "bOffences": "serious"}
TO_INTENTION = [
    {"type": "regularReviewStarted", "on": "2026-10-02"},
    {"type": "screeningDetermined", "on": "2026-10-03", "screening": "mandatory"},
    {"type": "questionnaireSent", "on": "2026-10-05"},
    {"type": "ownInvestigationStarted", "on": "2026-10-16"},
    {"type": "ownInvestigationConcluded", "on": "2026-10-22", "levels": LEVELS, "motivation": "twee veroordelingen"},
    {"type": "intentionSent", "on": "2026-10-23", "kind": "negative", "zienswijzeTerm": {"amount": 14, "unit": "days"}},
    {"type": "zienswijzeTermExpired", "on": "2026-11-09"},
]
REFUSAL = {
    "on": "2026-11-10",
    "outcome": "refusedBibob",
    "grounds": ["aBenefit"],
    "levels": LEVELS,
    "proportionality": SCENARIO["proportionality"],
    "theme": "hospitality",
}
ADVISOR = Principal("safetyAdvisor-1", Role.SAFETY_ADVISOR)


def headers(token: str, *, version: int | None = None, key: str | None = None) -> dict[str, str]:
    extra = {"If-Match": f'"{version}"'} if version is not None else {}
    return bearer(token) | extra | ({"Idempotency-Key": key} if key else {})


def create(client: Client, token: str, **fields: Any) -> dict[str, Any]:
    response = client.post(BASE, json=NEW | fields, headers=bearer(token))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def put_answers(client: Client, token: str, identifier: str, version: int, document: Any) -> Any:
    return client.put(f"{BASE}/{identifier}/answers", json=document, headers=headers(token, version=version))


def to_intention(client: Client, token: str, identifier: str, version: int) -> int:
    """Post the events up to an expired zienswijze term; returns the last version."""
    for event in TO_INTENTION:
        response = client.post(f"{BASE}/{identifier}/events", json=event, headers=headers(token, version=version))
        assert response.status_code == 201, response.text
        version = response.json()["version"]
    return version


def decided(client: Client, token: str, answers: Any, decision: dict[str, Any] = REFUSAL) -> dict[str, Any]:
    """A new application with `answers`, taken through the lifecycle to `decision`; the decision response."""
    identifier = create(client, token)["id"]
    version = put_answers(client, token, identifier, 1, answers).json()["version"]
    version = to_intention(client, token, identifier, version)
    response = client.post(f"{BASE}/{identifier}/decisions", json=decision, headers=headers(token, version=version))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def is_problem(response: Any, status: int) -> bool:
    return bool(
        response.status_code == status and response.headers["content-type"].startswith("application/problem+json")
    )


# --- the happy path ---------------------------------------------------------------------------------------------


def test_an_application_goes_from_registration_through_answers_and_assessment_to_a_decision_and_timeline(
    client: Client, tokens: dict[str, str]
) -> None:
    officer = tokens["permitOfficer"]
    response = client.post(BASE, json=NEW, headers=bearer(officer, "nieuwe aanvraag"))
    assert response.status_code == 201
    created = response.json()
    identifier = created["id"]
    assert response.headers["location"] == f"{BASE}/{identifier}"
    assert response.headers["etag"] == '"1"'
    assert (created["state"], created["questionnaireId"], created["owner"]) == (
        "received",
        "bibob-overige-beschikkingen",
        "permitOfficer-1",
    )
    assert "regularReviewStarted" in created["allowedEvents"]

    incomplete = put_answers(client, officer, identifier, 1, INCOMPLETE)
    assert incomplete.status_code == 200 and incomplete.headers["etag"] == '"2"'
    body = incomplete.json()
    assert [p["name"] for p in body["problems"]] == ["/answers/1B.persoon/dateOfBirth", "/answers/2H", "/answers/6A"]
    assert body["completeness"]["status"] == "incomplete" and len(body["completeness"]["missing"]) == 3

    complete = put_answers(client, officer, identifier, 2, COMPLETE).json()
    assert complete["problems"] == [] and complete["completeness"]["status"] == "complete"
    assert client.get(f"{BASE}/{identifier}/answers", headers=bearer(officer)).json()["document"] == COMPLETE

    assessment = {key: SCENARIO[key] for key in ("facts", "proportionality", "referenceDate")}
    assessed = client.post(f"{BASE}/{identifier}/assessments", json=assessment, headers=bearer(officer))
    assert assessed.status_code == 201
    assert assessed.json()["recommendation"]["kind"] == "refusalPossible"
    assert {level["ground"]: level["effective"] for level in assessed.json()["levels"]}["aBenefit"] == "serious"

    version = to_intention(client, officer, identifier, 3)
    decision = client.post(f"{BASE}/{identifier}/decisions", json=REFUSAL, headers=headers(officer, version=version))
    assert decision.status_code == 201
    recorded = decision.json()
    assert (recorded["state"], recorded["decision"]["outcome"]) == ("decided", "refusedBibob")
    assert recorded["evidenceLink"]["advisorInformed"] is True
    assert recorded["evidenceLink"]["message"] == "De adviseur veiligheid is geïnformeerd."

    timeline = client.get(f"{BASE}/{identifier}/timeline?referenceDate=2026-11-12", headers=bearer(officer)).json()
    assert [event["type"] for event in timeline["events"]][-1] == "decisionRecorded"
    assert timeline["events"][-1]["label"] == "besluit vastgelegd"
    codes = {deadline["code"]: deadline for deadline in timeline["deadlines"]}
    assert "decision" in codes and codes["decision"]["status"] == "met"
    assert codes["decision"]["earliest"] is None  # no suspension runs once decided
    assert "8 weken" in timeline["decisionTermBasis"]


def test_the_id_may_be_given_and_the_questionnaire_defaults_to_the_policys(
    client: Client, tokens: dict[str, str]
) -> None:
    identifier = f"LEU-{uuid.uuid4().hex[:8]}"
    fields = {key: value for key, value in NEW.items() if key != "questionnaireId"}
    response = client.post(BASE, json=fields | {"id": identifier}, headers=bearer(tokens["bibobCoordinator"]))
    assert response.status_code == 201 and response.json()["id"] == identifier
    assert response.json()["questionnaireId"] == "bibob-overige-beschikkingen"
    again = client.post(BASE, json=fields | {"id": identifier}, headers=bearer(tokens["bibobCoordinator"]))
    assert is_problem(again, 400) and again.json()["invalidParams"][0]["code"] == "id.taken"


def test_an_application_received_after_its_form_went_out_of_force_carries_a_form_warning(
    client: Client, tokens: dict[str, str]
) -> None:
    officer = tokens["permitOfficer"]
    late = client.post(BASE, json=NEW, headers=bearer(officer)).json()  # received 1-10-2026 on a 2013 form
    assert "gold tot en met 31-1-2024" in late["formWarning"] and "ontvangen op 1-10-2026" in late["formWarning"]
    shown = client.get(f"{BASE}/{late['id']}", headers=bearer(officer)).json()
    assert shown["formWarning"] == late["formWarning"]
    in_time = client.post(BASE, json=NEW | {"received": "2024-01-31"}, headers=bearer(officer)).json()
    assert in_time["formWarning"] is None
    assert client.get(f"{BASE}/{in_time['id']}", headers=bearer(officer)).json()["formWarning"] is None


# --- concurrency and idempotency --------------------------------------------------------------------------------


def test_updates_without_if_match_are_428_and_with_a_stale_etag_412(client: Client, tokens: dict[str, str]) -> None:
    officer = tokens["permitOfficer"]
    identifier = create(client, officer)["id"]
    answers_url, events_url = f"{BASE}/{identifier}/answers", f"{BASE}/{identifier}/events"
    event = TO_INTENTION[0]
    assert is_problem(client.put(answers_url, json=COMPLETE, headers=bearer(officer)), 428)
    assert is_problem(client.post(events_url, json=event, headers=bearer(officer)), 428)
    assert is_problem(client.post(f"{BASE}/{identifier}/decisions", json=REFUSAL, headers=bearer(officer)), 428)
    attachments = {"attachments": []}
    assert is_problem(client.put(f"{BASE}/{identifier}/attachments", json=attachments, headers=bearer(officer)), 428)
    assert put_answers(client, officer, identifier, 1, COMPLETE).status_code == 200
    stale = put_answers(client, officer, identifier, 1, INCOMPLETE)
    assert is_problem(stale, 412) and stale.json()["code"] == "stale"
    assert is_problem(client.post(events_url, json=event, headers=headers(officer, version=1)), 412)
    not_an_etag = client.put(answers_url, json=COMPLETE, headers=bearer(officer) | {"If-Match": "*"})
    assert is_problem(not_an_etag, 400)
    assert client.get(answers_url, headers=bearer(officer)).json()["document"] == COMPLETE


def test_a_retried_post_with_the_same_idempotency_key_has_one_effect(client: Client, tokens: dict[str, str]) -> None:
    coordinator = tokens["bibobCoordinator"]
    key = f"create-{uuid.uuid4().hex}"
    fields = NEW | {"permitType": "seksinrichting"}
    first = client.post(BASE, json=fields, headers=headers(coordinator, key=key))
    second = client.post(BASE, json=fields, headers=headers(coordinator, key=key))
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json() and second.headers["idempotent-replayed"] == "true"
    assert second.headers["location"] == first.headers["location"] and second.headers["etag"] == '"1"'
    listed = client.get(f"{BASE}?permitType=seksinrichting", headers=bearer(coordinator)).json()
    assert listed["count"] == 1
    other = client.post(BASE, json=fields | {"received": "2026-10-02"}, headers=headers(coordinator, key=key))
    assert is_problem(other, 422) and other.json()["code"] == "idempotencyKeyReused"


def test_a_retried_event_is_replayed_not_applied_twice(client: Client, tokens: dict[str, str]) -> None:
    officer = tokens["permitOfficer"]
    identifier = create(client, officer)["id"]
    url, key = f"{BASE}/{identifier}/events", f"event-{uuid.uuid4().hex}"
    first = client.post(url, json=TO_INTENTION[0], headers=headers(officer, version=1, key=key))
    again = client.post(url, json=TO_INTENTION[0], headers=headers(officer, version=1, key=key))
    assert (first.status_code, again.status_code) == (201, 201) and again.json() == first.json()
    shown = client.get(f"{BASE}/{identifier}", headers=bearer(officer))
    assert len(shown.json()["events"]) == 1 and shown.headers["etag"] == '"2"'


# --- lists ------------------------------------------------------------------------------------------------------


def test_lists_paginate_with_a_link_header_and_filter_on_state_and_permit_type(
    client: Client, tokens: dict[str, str]
) -> None:
    officer = tokens["permitOfficer-2"]
    made = [create(client, officer, permitType="speelautomatenhal")["id"] for _ in range(3)]
    url = f"{BASE}?permitType=speelautomatenhal&pageSize=2"
    first = client.get(url, headers=bearer(officer))
    assert first.status_code == 200
    body = first.json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["previous"] is None
    assert body["next"] is not None and 'rel="next"' in first.headers["link"]
    second = client.get(body["next"], headers=bearer(officer)).json()
    assert second["next"] is None and second["previous"] is not None
    assert sorted(r["id"] for r in body["results"] + second["results"]) == sorted(made)
    assert [r["id"] for r in body["results"]] == made[::-1][:2]  # newest first
    received = client.get(f"{url}&state=received", headers=bearer(officer)).json()
    assert received["count"] == 3
    assert client.get(f"{url}&state=decided", headers=bearer(officer)).json()["count"] == 0
    assert client.get(url, headers=bearer(tokens["permitOfficer"])).json()["count"] == 0  # not theirs


@pytest.mark.parametrize(
    "query", ["pageSize=501", "pageSize=0", "page=0", "pageSize=abc", "state=somewhere", "permitType=kapsalon"]
)
def test_bad_list_parameters_are_400(client: Client, tokens: dict[str, str], query: str) -> None:
    assert is_problem(client.get(f"{BASE}?{query}", headers=bearer(tokens["permitOfficer"])), 400)


# --- bad input --------------------------------------------------------------------------------------------------


def test_a_bad_registration_lists_every_problem_at_once(client: Client, tokens: dict[str, str]) -> None:
    body = {"id": "a/b", "permitType": 5, "legalAct": "vergunning", "received": "gisteren", "colour": "red"}
    response = client.post(BASE, json=body, headers=bearer(tokens["permitOfficer"]))
    assert is_problem(response, 400)
    assert [p["name"] for p in response.json()["invalidParams"]] == ["/colour"]
    del body["colour"]
    names = {
        p["name"] for p in client.post(BASE, json=body, headers=bearer(tokens["permitOfficer"])).json()["invalidParams"]
    }
    assert names == {"/id", "/permitType", "/received", "/questionnaireId"}


@pytest.mark.parametrize(
    ("suffix", "verb"),
    [("", "post"), ("/answers", "put"), ("/attachments", "put"), ("/assessments", "post"), ("/events", "post"),
     ("/decisions", "post")],
)  # fmt: skip
def test_malformed_json_is_400_on_every_endpoint_that_takes_a_body(
    client: Client, tokens: dict[str, str], suffix: str, verb: str
) -> None:
    officer = tokens["permitOfficer"]
    identifier = create(client, officer)["id"]
    url = BASE if not suffix else f"{BASE}/{identifier}{suffix}"
    not_json = (b'{"a": NaN}', b'{"a": Infinity}', b'{"a": 1e400}')  # Python's json module would take these
    for content in (b"{", b"\xff\xfe", b'{"a": [1, 2', *not_json):
        sent = headers(officer, version=1) | {"Content-Type": "application/json"}
        response = client.request(verb, url, content=content, headers=sent)
        assert is_problem(response, 400), (url, content)
        assert response.json()["invalidParams"][0]["code"] == "malformedJson"


def test_wrong_types_and_unknown_fields_are_400_per_endpoint(client: Client, tokens: dict[str, str]) -> None:
    officer = tokens["permitOfficer"]
    identifier = create(client, officer)["id"]
    url = f"{BASE}/{identifier}"
    cases = [
        ("put", "/answers", [1, 2], "type"),
        ("put", "/answers", {"questionnaire": {"id": "bibob-subsidie"}}, "questionnaire.mismatch"),
        ("put", "/attachments", {"attachments": [{"fileName": 3, "size": -1, "extra": True}]}, None),
        ("put", "/attachments", {"attachments": "x"}, "type"),
        ("post", "/assessments", {"facts": "none", "lbbAdvice": {"aBenefit": "huge"}}, None),
        ("post", "/assessments", {"answers": {}}, "schema.unknownField"),
        ("post", "/events", {"type": "regularReviewStarted", "on": 20261002}, None),
        ("post", "/events", {"type": "teleported", "on": "2026-10-02"}, None),
        ("post", "/events", {"type": "regularReviewStarted", "on": "2026-10-02", "by": "x"}, None),
        ("post", "/events", "regularReviewStarted", None),
        ("post", "/decisions", {"outcome": "maybe", "theme": "weather"}, None),
        ("post", "/decisions", {**REFUSAL, "type": "decisionRecorded"}, "schema.unknownField"),
    ]
    for verb, suffix, body, code in cases:
        response = client.request(verb, url + suffix, json=body, headers=headers(officer, version=1))
        assert is_problem(response, 400), (suffix, body, response.text)
        if code is not None:
            assert code in {p["code"] for p in response.json()["invalidParams"]}, (suffix, response.json())
    attachments = client.put(
        f"{url}/attachments",
        json={"attachments": [{"fileName": 3, "size": -1, "extra": True}]},
        headers=headers(officer, version=1),
    )
    names = {p["name"] for p in attachments.json()["invalidParams"]}
    assert names == {
        "/attachments/0/fileName",
        "/attachments/0/size",
        "/attachments/0/mediaType",
        "/attachments/0/extra",
    }
    decision = client.post(
        f"{url}/decisions", json={"outcome": "maybe", "theme": "weather"}, headers=headers(officer, version=1)
    )
    names = {p["name"] for p in decision.json()["invalidParams"]}
    assert {"/outcome", "/theme", "/on"} <= names and "/decidedBy" not in names  # decidedBy: the token's user


def test_attachments_metadata_is_stored_and_returned(client: Client, tokens: dict[str, str]) -> None:
    officer = tokens["permitOfficer"]
    identifier = create(client, officer)["id"]
    items = [{"fileName": "kvk.pdf", "mediaType": "application/pdf", "size": 1234, "sha256": "ab" * 32, "kind": "x"}]
    response = client.put(
        f"{BASE}/{identifier}/attachments", json={"attachments": items}, headers=headers(officer, version=1)
    )
    assert response.status_code == 200 and response.json()["attachments"] == items
    assert response.headers["etag"] == '"2"'


def test_attachments_registered_with_put_count_for_the_completeness_of_the_answers(
    client: Client, tokens: dict[str, str]
) -> None:
    officer = tokens["permitOfficer"]
    identifier = create(client, officer)["id"]
    document = json.loads(json.dumps(SOLE_TRADER))
    lease = next(a for a in document["attachments"] if a["kind"] == "leaseAgreement")
    document["attachments"].remove(lease)
    stored = put_answers(client, officer, identifier, 1, document).json()
    assert stored["completeness"]["status"] == "incomplete"
    assert [p["name"] for p in stored["problems"]] == [lease["pointer"]]
    registered = {"fileName": "huur.pdf", "mediaType": "application/pdf", "size": 9, "kind": "leaseAgreement",
                  "pointer": lease["pointer"]}  # fmt: skip
    put = client.put(
        f"{BASE}/{identifier}/attachments", json={"attachments": [registered]}, headers=headers(officer, version=2)
    )
    assert put.status_code == 200, put.text
    shown = client.get(f"{BASE}/{identifier}/answers", headers=bearer(officer)).json()
    assert shown["completeness"]["status"] == "complete" and shown["problems"] == []
    bad_year = {"attachments": [registered | {"year": 1200}]}
    refused = client.put(f"{BASE}/{identifier}/attachments", json=bad_year, headers=headers(officer, version=3))
    assert refused.status_code == 400 and [p["name"] for p in refused.json()["invalidParams"]] == [
        "/attachments/0/year"
    ]


def test_a_lifecycle_step_out_of_turn_is_409_naming_the_unmet_precondition(
    client: Client, tokens: dict[str, str]
) -> None:
    officer = tokens["permitOfficer"]
    identifier = create(client, officer)["id"]
    events = f"{BASE}/{identifier}/events"
    early = client.post(
        events, json={"type": "questionnaireSent", "on": "2026-10-02"}, headers=headers(officer, version=1)
    )
    assert is_problem(early, 409) and early.json()["code"] == "transitionRefused"
    assert "kan alleen volgen op" in early.json()["detail"]
    before = client.post(
        events, json={"type": "regularReviewStarted", "on": "2026-09-01"}, headers=headers(officer, version=1)
    )
    assert is_problem(before, 409) and "ligt vóór de ontvangst" in before.json()["detail"]
    decision = client.post(events, json={"type": "decisionRecorded"}, headers=headers(officer, version=1))
    assert is_problem(decision, 400) and decision.json()["invalidParams"][0]["code"] == "useDecisions"
    assert client.post(events, json=TO_INTENTION[0], headers=headers(officer, version=1)).status_code == 201
    too_late = client.post(
        f"{BASE}/{identifier}/decisions",
        json={"on": "2026-10-10", "outcome": "refusedBibob", "grounds": ["aBenefit"]},
        headers=headers(officer, version=2),
    )
    assert is_problem(too_late, 409) and too_late.json()["title"] == "Niet mogelijk in de huidige toestand"
    assert "ernstig gevaar" in too_late.json()["detail"]
    assert client.get(f"{BASE}/{identifier}", headers=bearer(officer)).json()["version"] == 2


def test_an_oversized_body_is_413(client: Client, tokens: dict[str, str]) -> None:
    officer = tokens["permitOfficer"]
    identifier = create(client, officer)["id"]
    big = {"questionnaire": {"id": "bibob-overige-beschikkingen"}, "padding": "x" * 300_000}
    assert is_problem(put_answers(client, officer, identifier, 1, big), 413)


# --- need-to-know -----------------------------------------------------------------------------------------------


def _every_operation(identifier: str) -> list[tuple[str, str, Any]]:
    url = f"{BASE}/{identifier}"
    return [
        ("get", url, None),
        ("get", f"{url}/answers", None),
        ("put", f"{url}/answers", COMPLETE),
        ("put", f"{url}/attachments", {"attachments": []}),
        ("post", f"{url}/assessments", {}),
        ("get", f"{url}/assessments", None),
        ("post", f"{url}/events", TO_INTENTION[0]),
        ("post", f"{url}/decisions", REFUSAL),
        ("get", f"{url}/timeline", None),
    ]


@pytest.mark.parametrize(
    "who", ["permitOfficer-2", "signalIntakePartner", "safetyAdvisor", "privacyOfficer", "functionalAdmin"]
)
def test_who_may_not_see_an_application_gets_404_as_for_an_unknown_one(
    client: Client, tokens: dict[str, str], who: str
) -> None:
    identifier = create(client, tokens["permitOfficer"])["id"]
    for (verb, url, body), (_, unknown_url, _) in zip(
        _every_operation(identifier), _every_operation("2099-onbekend"), strict=True
    ):
        response = client.request(verb, url, json=body, headers=headers(tokens[who], version=1))
        unknown = client.request(verb, unknown_url, json=body, headers=headers(tokens[who], version=1))
        assert is_problem(response, 404), (who, verb, url, response.status_code)
        assert response.json()["detail"] == unknown.json()["detail"] and unknown.status_code == 404
    if who != "permitOfficer-2":
        assert is_problem(client.post(BASE, json=NEW, headers=bearer(tokens[who])), 404)
        assert is_problem(client.get(BASE, headers=bearer(tokens[who])), 404)


def test_the_mayor_reads_but_does_not_change_an_application(client: Client, tokens: dict[str, str]) -> None:
    identifier = create(client, tokens["permitOfficer"])["id"]
    mayor = tokens["mayor"]
    assert client.get(f"{BASE}/{identifier}", headers=bearer(mayor)).status_code == 200
    assert is_problem(put_answers(client, mayor, identifier, 1, COMPLETE), 404)
    assert client.get(f"{BASE}/{identifier}", headers=bearer(mayor)).json()["version"] == 1


def test_the_mayor_records_a_decision_in_the_mayors_own_name_and_nobody_in_anothers(
    client: Client, tokens: dict[str, str]
) -> None:
    officer, mayor = tokens["permitOfficer"], tokens["mayor"]
    identifier = create(client, officer)["id"]
    version = put_answers(client, officer, identifier, 1, COMPLETE).json()["version"]
    version = to_intention(client, officer, identifier, version)
    url = f"{BASE}/{identifier}/decisions"
    for who, named in ((officer, "burgemeester"), (mayor, "permitOfficer-1"), (mayor, " ")):
        other = client.post(url, json={**REFUSAL, "decidedBy": named}, headers=headers(who, version=version))
        assert is_problem(other, 400) and [p["name"] for p in other.json()["invalidParams"]] == ["/decidedBy"]
    assert client.get(f"{BASE}/{identifier}", headers=bearer(officer)).json()["version"] == version
    signed = client.post(url, json=REFUSAL, headers=headers(mayor, version=version))
    assert signed.status_code == 201, signed.text
    assert signed.json()["decision"]["decidedBy"] == "mayor-1"
    events = client.get(f"{BASE}/{identifier}", headers=bearer(officer)).json()["events"]
    assert events[-1]["type"] == "decisionRecorded" and events[-1]["decidedBy"] == "mayor-1"


def test_without_a_token_every_operation_is_401(client: Client) -> None:
    for verb, url, body in _every_operation("whatever"):
        assert is_problem(client.request(verb, url, json=body), 401)


def test_a_permit_officer_sees_the_assessment_without_antecedent_details_and_a_coordinator_in_full(
    client: Client, tokens: dict[str, str]
) -> None:
    officer, coordinator = tokens["permitOfficer"], tokens["bibobCoordinator"]
    identifier = create(client, officer)["id"]
    put_answers(client, officer, identifier, 1, COMPLETE)
    known = {"id": "K1", "source": "caseFile", "on": "2026-10-20", "kind": "knownInCase", "reference": "CASUS-77"}
    body = {"facts": [*SCENARIO["facts"], known], "proportionality": SCENARIO["proportionality"]}
    posted = client.post(f"{BASE}/{identifier}/assessments", json=body, headers=bearer(officer))
    assert posted.status_code == 201 and posted.json()["redacted"] is True
    seen = client.get(f"{BASE}/{identifier}/assessments", headers=bearer(officer)).json()["results"][0]
    full = client.get(f"{BASE}/{identifier}/assessments", headers=bearer(coordinator)).json()["results"][0]
    officer_text, full_text = json.dumps(seen, ensure_ascii=False), json.dumps(full, ensure_ascii=False)
    for secret in ("witwassen", "Opiumwet", "F1"):
        assert secret in full_text and secret not in officer_text, secret
    assert "CASUS-77" not in full_text and "CASUS-77" not in officer_text  # a case match is no finding (art. 3)
    assert "adviseur veiligheid" in officer_text or "Bibob-coördinator" in officer_text
    assert seen["levels"] == full["levels"] and seen["recommendation"]["kind"] == full["recommendation"]["kind"]
    assert "input" not in seen and full["redacted"] is False


def test_a_permit_officer_reads_that_the_investigation_has_closed_source_words_not_the_words(
    client: Client, tokens: dict[str, str]
) -> None:
    officer, coordinator = tokens["permitOfficer"], tokens["bibobCoordinator"]
    identifier = create(client, officer)["id"]
    version = 1
    secret = "veroordeeld voor witwassen (Justitiële Documentatie, synthetisch)"
    for event in [*TO_INTENTION[:4], {**TO_INTENTION[4], "motivation": secret}]:
        response = client.post(f"{BASE}/{identifier}/events", json=event, headers=headers(coordinator, version=version))
        assert response.status_code == 201, response.text
        version = response.json()["version"]
    for path in ("", "/timeline"):
        seen = client.get(f"{BASE}/{identifier}{path}", headers=bearer(officer))
        full = client.get(f"{BASE}/{identifier}{path}", headers=bearer(coordinator))
        assert secret not in seen.text and secret in full.text, path
        (concluded,) = [e for e in seen.json()["events"] if e["type"] == "ownInvestigationConcluded"]
        assert (
            concluded["motivation"]
            == "Er is informatie uit gesloten bronnen; de Bibob-coördinator kan deze toelichten."
        )
        assert concluded["levels"] == LEVELS  # the levels are the officer's to see, as in the assessment


def test_a_permit_officer_reads_back_the_own_investigation_conclusion_they_wrote_and_others_do_not_see_it(
    client: Client, tokens: dict[str, str]
) -> None:
    officer, other, coordinator = tokens["permitOfficer"], tokens["permitOfficer-2"], tokens["bibobCoordinator"]
    identifier = create(client, officer)["id"]
    version = 1
    own_words = "geen bijzonderheden in de eigen bronnen (synthetisch)"
    for event in [*TO_INTENTION[:4], {**TO_INTENTION[4], "motivation": own_words}]:
        response = client.post(f"{BASE}/{identifier}/events", json=event, headers=headers(officer, version=version))
        assert response.status_code == 201, response.text
        version = response.json()["version"]
        (last,) = [e for e in response.json()["events"] if e["type"] == event["type"]]
        assert last.get("motivation", own_words) == own_words  # the answer to the write shows it too
    for path in ("", "/timeline"):
        seen = client.get(f"{BASE}/{identifier}{path}", headers=bearer(officer))
        assert (
            own_words in seen.text
            and own_words in client.get(f"{BASE}/{identifier}{path}", headers=bearer(coordinator)).text
        ), path
    assert client.get(f"{BASE}/{identifier}", headers=bearer(other)).status_code == 404


# --- the evidence link ------------------------------------------------------------------------------------------


def _case_about_the_director(database_url: str) -> str:
    """A case led by safetyAdvisor-1 about 'P.J. Backer' (the director as the police wrote him), stored directly."""
    at = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)
    subjects = Subjects(persons=(Person("Backer", "P.J.", date_of_birth=dt.date(1975, 9, 2)),))
    registered = CaseRegistered(
        at, ADVISOR.user, "Horeca Hamersveld", Theme.HOSPITALITY, ADVISOR.user, Confidentiality.CONFIDENTIAL,
        partners=(Partner.POLICE,), subjects=subjects,
    )  # fmt: skip
    identifier = str(uuid.uuid4())
    case = apply_case_event(register_case(identifier, registered), InvestigationStarted(at, ADVISOR.user))
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        create_case(
            conn, ADVISOR, status=case.state.value, confidentiality="confidential", document=case_to_json(case),
            case_id=identifier, keys=keys_of(case.subjects.matchable),
        )  # fmt: skip
    engine.dispose()
    return identifier


def test_a_refusal_lands_as_evidence_in_the_case_about_the_director_and_the_officer_learns_no_case_id(
    client: Client, tokens: dict[str, str], database_url: str
) -> None:
    case_id = _case_about_the_director(database_url)
    response = decided(client, tokens["permitOfficer"], COMPLETE)
    assert response["evidenceLink"] == {"advisorInformed": True, "message": "De adviseur veiligheid is geïnformeerd."}
    assert case_id not in json.dumps(response) and "Backer" not in json.dumps(response)
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        items = list_evidence(conn, ADVISOR, case_id)
        case = get_case(conn, ADVISOR, case_id)
        actions = list(conn.execute(sa.select(audit_log.c.action).where(audit_log.c.object_id == case_id)).scalars())
        compared = list(
            conn.execute(
                sa.select(audit_log.c.object_type, audit_log.c.object_id).where(
                    audit_log.c.action.like("%comparedForDecision"),
                    audit_log.c.seq
                    > sa.select(sa.func.min(audit_log.c.seq)).where(audit_log.c.object_id == case_id).scalar_subquery(),
                )
            )
        )
    engine.dispose()
    (item,) = [item for item in items if item.document["reference"] == response["applicationId"]]
    assert (item.kind, item.status, item.source_ref) == ("permitDecision", "linked", f"decision:{response['id']}")
    assert "geweigerd" in item.document["summary"] and "geboortedatum gelijk" in item.document["matchExplanation"]
    assert case.version == 2 and case.document["evidence"][-1]["reference"] == response["applicationId"]
    assert "case.evidence.linkedFromDecision" in actions
    # the comparison is one audit row on the application, not one per case or signal read
    assert [tuple(row) for row in compared] == [("application", response["applicationId"])]


def test_a_refusal_about_nobody_in_a_case_becomes_a_signal_for_the_advisor(
    client: Client, tokens: dict[str, str], database_url: str
) -> None:
    response = decided(client, tokens["bibobCoordinator"], SOLE_TRADER)
    # the same answer as when the decision reached a case: whether anyone is known stays with the advisor
    assert response["evidenceLink"] == {"advisorInformed": True, "message": "De adviseur veiligheid is geïnformeerd."}
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        signals = list_signals(conn, ADVISOR, limit=500)
    engine.dispose()
    made = [s for s in signals if response["applicationId"] in s.document["text"]]
    assert len(made) == 1 and made[0].source == "bibobScreening" and made[0].status == "received"


def test_a_grant_links_nothing_and_says_so(client: Client, tokens: dict[str, str]) -> None:
    officer = tokens["permitOfficer"]
    identifier = create(client, officer)["id"]
    version = put_answers(client, officer, identifier, 1, SOLE_TRADER).json()["version"]
    no_screening = {"type": "screeningDetermined", "on": "2026-10-03", "screening": "none", "motivation": "geen"}
    for event in (TO_INTENTION[0], no_screening):
        version = client.post(
            f"{BASE}/{identifier}/events", json=event, headers=headers(officer, version=version)
        ).json()["version"]
    grant = {"on": "2026-10-10", "outcome": "granted", "decidedBy": "permitOfficer-1"}  # the token's own name
    response = client.post(f"{BASE}/{identifier}/decisions", json=grant, headers=headers(officer, version=version))
    assert response.status_code == 201, response.text
    assert response.json()["evidenceLink"]["advisorInformed"] is False
    assert response.json()["state"] == "decided"


def test_a_retried_decision_is_recorded_and_linked_once(
    client: Client, tokens: dict[str, str], database_url: str
) -> None:
    coordinator = tokens["bibobCoordinator"]
    identifier = create(client, coordinator)["id"]
    version = put_answers(client, coordinator, identifier, 1, SOLE_TRADER).json()["version"]
    version = to_intention(client, coordinator, identifier, version)
    url, key = f"{BASE}/{identifier}/decisions", f"decision-{uuid.uuid4().hex}"
    first = client.post(url, json=REFUSAL, headers=headers(coordinator, version=version, key=key))
    again = client.post(url, json=REFUSAL, headers=headers(coordinator, version=version, key=key))
    assert (first.status_code, again.status_code) == (201, 201) and again.json() == first.json()
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        signals = [s for s in list_signals(conn, ADVISOR, limit=500) if identifier in s.document["text"]]
    engine.dispose()
    assert len(signals) == 1


def test_days_outside_1950_to_2200_are_refused_before_any_deadline_is_computed(
    client: Client, tokens: dict[str, str]
) -> None:
    officer = tokens["permitOfficer"]
    late = client.post(BASE, json=NEW | {"received": "9999-12-31"}, headers=bearer(officer))
    assert is_problem(late, 400) and late.json()["invalidParams"][0] == {
        "name": "/received",
        "code": "dateOutOfRange",
        "reason": "een datum ligt tussen 1950 en 2200",
    }
    identifier = create(client, officer)["id"]
    repair = {"type": "repairRequested", "on": "2026-10-02", "termEnd": "9999-12-31"}
    response = client.post(f"{BASE}/{identifier}/events", json=repair, headers=headers(officer, version=1))
    assert is_problem(response, 400) and response.json()["invalidParams"][0]["name"] == "/termEnd"
    assert client.get(f"{BASE}/{identifier}/timeline", headers=bearer(officer)).status_code == 200


def test_the_audit_reason_is_stored_with_every_row_of_the_request(
    client: Client, tokens: dict[str, str], database_url: str
) -> None:
    response = client.post(BASE, json=NEW, headers=bearer(tokens["permitOfficer"], "aanvraag Hamersveldseweg 12"))
    identifier = response.json()["id"]
    client.get(f"{BASE}/{identifier}/timeline", headers=bearer(tokens["permitOfficer"], "termijnen bewaken"))
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        query = sa.select(audit_log.c.action, audit_log.c.reason).where(audit_log.c.object_id == identifier)
        rows = [tuple(row) for row in conn.execute(query.order_by(audit_log.c.seq))]
    engine.dispose()
    assert rows == [("application.create", "aanvraag Hamersveldseweg 12"), ("application.read", "termijnen bewaken")]


@pytest.mark.parametrize("reference_date", ["0001-01-01", "1000-01-01", "9999-12-31"])
def test_an_assessment_reference_date_outside_1950_to_2200_is_refused_and_nothing_is_stored(
    client: Client, tokens: dict[str, str], reference_date: str
) -> None:
    coordinator = tokens["bibobCoordinator"]
    identifier = create(client, coordinator)["id"]
    version = put_answers(client, coordinator, identifier, 1, COMPLETE).json()["version"]
    url = f"{BASE}/{identifier}/assessments"
    response = client.post(url, json={"referenceDate": reference_date}, headers=headers(coordinator, version=version))
    assert is_problem(response, 400), response.text
    assert [(p["name"], p["code"]) for p in response.json()["invalidParams"]] == [("/referenceDate", "dateOutOfRange")]
    assert client.get(url, headers=bearer(coordinator)).json()["count"] == 0


@pytest.mark.parametrize(("reference_date", "code"), [("morgen", "invalidParameter"), ("0001-01-01", "dateOutOfRange")])
def test_a_bad_timeline_reference_date_is_named_in_invalid_params(
    client: Client, tokens: dict[str, str], reference_date: str, code: str
) -> None:
    officer = tokens["permitOfficer"]
    identifier = create(client, officer)["id"]
    response = client.get(
        f"{BASE}/{identifier}/timeline", params={"referenceDate": reference_date}, headers=bearer(officer)
    )
    assert is_problem(response, 400), response.text
    assert [(p["name"], p["code"]) for p in response.json()["invalidParams"]] == [("referenceDate", code)]


@pytest.mark.parametrize("if_match", ['"' + "9" * 30 + '"', '"' + "1" * 5000 + '"', '"2147483648"'])
def test_an_if_match_beyond_any_version_is_stale_not_an_error(
    client: Client, tokens: dict[str, str], if_match: str
) -> None:
    officer = tokens["permitOfficer"]
    identifier = create(client, officer)["id"]
    for method, path, body in (("PUT", "answers", COMPLETE), ("PUT", "attachments", {"attachments": []})):
        url = f"{BASE}/{identifier}/{path}"
        response = client.request(method, url, json=body, headers=bearer(officer) | {"If-Match": if_match})
        assert is_problem(response, 412) and response.json()["code"] == "stale", response.text
    assert client.get(f"{BASE}/{identifier}", headers=bearer(officer)).headers["etag"] == '"1"'


def test_a_digit_that_is_no_ascii_digit_in_if_match_is_400(client: Client, tokens: dict[str, str]) -> None:
    officer = tokens["permitOfficer"]
    identifier = create(client, officer)["id"]
    superscript_two = '"\u00b2"'.encode("latin-1")  # str.isdigit() says yes, int() says no
    headers = bearer(officer) | {"If-Match": superscript_two}
    response = client.put(f"{BASE}/{identifier}/answers", json=COMPLETE, headers=headers)
    assert is_problem(response, 400) and response.json()["invalidParams"][0]["code"] == "invalidEtag"


@pytest.mark.parametrize("body", [b"{bad", b'{"colour": "red"}', b"[]"])
def test_a_role_that_may_not_register_applications_gets_404_whatever_the_body(
    client: Client, tokens: dict[str, str], body: bytes
) -> None:
    for role in ("safetyAdvisor", "signalIntakePartner", "privacyOfficer", "functionalAdmin", "mayor"):
        response = client.post(BASE, content=body, headers=bearer(tokens[role]) | {"Content-Type": "application/json"})
        assert is_problem(response, 404), (role, response.text)


def test_when_the_audit_row_cannot_be_written_a_read_and_a_write_are_503_without_data_or_change(
    client: Client, tokens: dict[str, str]
) -> None:
    officer = tokens["permitOfficer"]
    identifier = create(client, officer)["id"]
    engine = client.app.state.engine

    def disk_full(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT_LOG"):
            raise sa.exc.OperationalError(statement, {}, Exception("database or disk is full"))

    sa.event.listen(engine, "before_cursor_execute", disk_full)
    try:
        read = client.get(f"{BASE}/{identifier}", headers=bearer(officer))
        write = put_answers(client, officer, identifier, 1, COMPLETE)
    finally:
        sa.event.remove(engine, "before_cursor_execute", disk_full)
    for response in (read, write):
        assert is_problem(response, 503) and response.headers["retry-after"] == "1", response.text
        assert set(response.json()) == {"type", "title", "status", "detail", "instance", "code"}
        assert "disk" not in response.text and "exploitatieHoreca" not in response.text
    after = client.get(f"{BASE}/{identifier}/answers", headers=bearer(officer))
    assert after.headers["etag"] == '"1"' and after.json()["document"] != COMPLETE
