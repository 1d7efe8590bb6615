"""Signals over HTTP: intake (the partner reads nothing back), the advisor's inbox, weighing with If-Match."""

from __future__ import annotations

from typing import Any

import pytest

from tests.service.api.flow import idempotency_key, police_signal, register, resident_signal, weigh
from tests.service.conftest import Client, bearer

SIGNALS = "/api/v1/signals"


def test_the_intake_partner_gets_an_acknowledgement_id_and_reads_nothing_back(
    client: Client, tokens: dict[str, str]
) -> None:
    partner = tokens["signalIntakePartner"]
    acknowledgement = register(client, partner, police_signal())
    assert list(acknowledgement) == ["id"]
    signal_id = acknowledgement["id"]
    headers = bearer(partner) | {"If-Match": '"1"'}
    assert client.get(f"{SIGNALS}/{signal_id}", headers=headers).status_code == 404
    assert client.get(SIGNALS, headers=headers).status_code == 404
    assert client.get("/api/v1/meeting-agenda", headers=headers).status_code == 404
    weighing = {"decision": "undermining", "reason": "x"}
    assert client.post(f"{SIGNALS}/{signal_id}/weighings", json=weighing, headers=headers).status_code == 404
    search = {"address": {"postcode": "3833GP", "houseNumber": 12}}
    assert client.post("/api/v1/subjects/_search", json=search, headers=headers).status_code == 404
    advisor = client.get(f"{SIGNALS}/{signal_id}", headers=bearer(tokens["safetyAdvisor"]))
    assert advisor.status_code == 200
    assert (advisor.json()["source"], advisor.json()["registeredBy"]) == ("police", "signalIntakePartner-1")


def test_the_advisor_enters_a_resident_signal_and_sees_it_with_an_etag(client: Client, tokens: dict[str, str]) -> None:
    created = register(client, tokens["safetyAdvisor"], resident_signal())
    assert (created["state"], created["version"], created["reporter"]["name"]) == ("received", 1, "M. de Vries")
    shown = client.get(f"{SIGNALS}/{created['id']}", headers=bearer(tokens["safetyAdvisor"]))
    assert shown.headers["etag"] == '"1"'
    assert shown.json()["subjects"]["vehicles"] == [{"licencePlate": "12ABC3", "description": "donkere bestelbus"}]


def test_an_anonymous_signal_stores_no_reporter(client: Client, tokens: dict[str, str]) -> None:
    advisor = tokens["safetyAdvisor"]
    body = resident_signal() | {"source": "meldMisdaadAnoniem", "channel": "webForm"}
    refused = client.post(SIGNALS, json=body, headers=bearer(advisor))
    assert refused.status_code == 400
    assert [p["name"] for p in refused.json()["invalidParams"]] == ["/reporter"]
    body.pop("reporter")
    created = register(client, advisor, body)
    assert "reporter" not in created
    assert created["registeredBy"] == "safetyAdvisor-1"


def test_weighing_steps_need_the_current_etag_and_refused_steps_say_why_in_dutch(
    client: Client, tokens: dict[str, str]
) -> None:
    advisor = tokens["safetyAdvisor"]
    signal_id = register(client, advisor, resident_signal())["id"]
    url = f"{SIGNALS}/{signal_id}/weighings"
    step = {"decision": "undermining", "reason": "lokale verankering"}
    assert client.post(url, json=step, headers=bearer(advisor)).status_code == 428
    weighed = weigh(client, advisor, signal_id, step)
    assert (weighed["state"], weighed["version"], weighed["events"][0]["by"]) == ("undermining", 2, "safetyAdvisor-1")
    stale = client.post(url, json=step, headers=bearer(advisor) | {"If-Match": '"1"'})
    assert stale.status_code == 412
    refused = client.post(
        url, json={"decision": "openCase", "reason": "x"}, headers=bearer(advisor) | {"If-Match": '"2"'}
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "transitionRefused"
    assert "mogelijk in deze status" in refused.json()["detail"]
    assert client.get(f"{SIGNALS}/{signal_id}", headers=bearer(advisor)).headers["etag"] == '"2"'


def test_a_signal_weighed_as_no_action_gets_its_destruction_date(client: Client, tokens: dict[str, str]) -> None:
    advisor = tokens["safetyAdvisor"]
    signal_id = register(client, advisor, resident_signal())["id"]
    weigh(client, advisor, signal_id, {"decision": "undermining", "reason": "r", "at": "2026-03-03T10:00:00+01:00"})
    weigh(client, advisor, signal_id, {"decision": "municipalTask", "reason": "r", "at": "2026-03-03T11:00:00+01:00"})
    done = weigh(client, advisor, signal_id, {"decision": "noAction", "reason": "r", "at": "2026-03-04T10:00:00+01:00"})
    assert (done["state"], done["destroyOn"]) == ("noAction", "2027-03-04")


def test_the_inbox_pages_with_a_link_header_and_filters(client: Client, tokens: dict[str, str]) -> None:
    advisor = tokens["safetyAdvisor"]
    for day in ("01", "02", "03"):
        register(client, advisor, police_signal() | {"received": f"2011-05-{day}T10:00:00+02:00", "theme": "careFraud"})
    query = {"receivedFrom": "2011-05-01", "receivedTo": "2011-05-03", "pageSize": "2", "theme": "careFraud"}
    first = client.get(SIGNALS, params=query, headers=bearer(advisor))
    body = first.json()
    assert (body["count"], len(body["results"]), body["previous"]) == (3, 2, None)
    assert [s["received"][:10] for s in body["results"]] == ["2011-05-03", "2011-05-02"]
    assert 'rel="next"' in first.headers["link"]
    second = client.get(body["next"], headers=bearer(advisor)).json()
    assert [s["received"][:10] for s in second["results"]] == ["2011-05-01"]
    assert second["next"] is None
    narrowed = {"receivedFrom": "2011-05-02T00:00:00+02:00", "state": "received", "source": "police"}
    assert client.get(SIGNALS, params=query | narrowed, headers=bearer(advisor)).json()["count"] == 2
    assert client.get(SIGNALS, params=query | {"source": "resident"}, headers=bearer(advisor)).json()["count"] == 0


@pytest.mark.parametrize(
    "query",
    [
        {"state": "weighed"},
        {"source": "neighbour"},
        {"theme": "cars"},
        {"receivedFrom": "2031-13-01"},
        {"receivedTo": "2031-05-01T10:00:00"},
        {"pageSize": "501"},
        {"page": "0"},
        {"page": "first"},
    ],
)
def test_an_invalid_inbox_filter_is_a_400(client: Client, tokens: dict[str, str], query: dict[str, str]) -> None:
    response = client.get(SIGNALS, params=query, headers=bearer(tokens["safetyAdvisor"]))
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


def test_an_idempotency_key_replays_the_intake_and_refuses_another_body(client: Client, tokens: dict[str, str]) -> None:
    partner = tokens["signalIntakePartner"]
    headers = bearer(partner) | {"Idempotency-Key": idempotency_key()}
    first = client.post(SIGNALS, json=police_signal(), headers=headers)
    again = client.post(SIGNALS, json=police_signal(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    other = client.post(SIGNALS, json=police_signal() | {"text": "anders"}, headers=headers)
    assert other.status_code == 422


def test_a_weighing_replayed_with_its_key_is_recorded_once(client: Client, tokens: dict[str, str]) -> None:
    advisor = tokens["safetyAdvisor"]
    signal_id = register(client, advisor, resident_signal())["id"]
    headers = bearer(advisor) | {"If-Match": '"1"', "Idempotency-Key": idempotency_key()}
    step = {"decision": "undermining", "reason": "lokale verankering"}
    first = client.post(f"{SIGNALS}/{signal_id}/weighings", json=step, headers=headers)
    again = client.post(f"{SIGNALS}/{signal_id}/weighings", json=step, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["etag"] == '"2"'
    assert len(client.get(f"{SIGNALS}/{signal_id}", headers=bearer(advisor)).json()["events"]) == 1


@pytest.mark.parametrize(
    ("body", "names"),
    [
        (b"{not json", [""]),
        ([1, 2], [""]),
        ({"source": "police", "channel": "phone"}, ["/text"]),
        ({**police_signal(), "state": "case"}, ["/state"]),
        ({**police_signal(), "id": "mine"}, ["/id"]),
        ({**police_signal(), "source": 7, "theme": "cars"}, ["/source", "/theme"]),
        ({**police_signal(), "received": "2026-13-45T25:00:00+01:00"}, ["/received"]),
        ({**police_signal(), "subjects": {"persons": [{"surname": "X", "bsn": "12"}]}}, ["/subjects/persons/0/bsn"]),
    ],
)
def test_bad_intake_bodies_get_every_problem_and_never_a_500(
    client: Client, tokens: dict[str, str], body: Any, names: list[str]
) -> None:
    headers = bearer(tokens["safetyAdvisor"])
    if isinstance(body, bytes):
        response = client.post(SIGNALS, content=body, headers=headers | {"Content-Type": "application/json"})
    else:
        response = client.post(SIGNALS, json=body, headers=headers)
    assert response.status_code == 400, response.text
    assert [p["name"] for p in response.json()["invalidParams"]] == names


@pytest.mark.parametrize(
    "body",
    [
        {"decision": "maybe", "reason": "x"},
        {"decision": "undermining"},
        {"decision": "undermining", "reason": "x", "by": "someone-else"},
        {"decision": "undermining", "reason": "x", "at": "gisteren"},
        {"decision": "undermining", "reason": "x", "at": "2026-02-30T10:00:00+01:00"},
        {"type": "sourceChecked", "source": "BRP"},
        "undermining",
    ],
)
def test_bad_weighings_are_400(client: Client, tokens: dict[str, str], body: Any) -> None:
    advisor = tokens["safetyAdvisor"]
    signal_id = register(client, advisor, resident_signal())["id"]
    headers = bearer(advisor) | {"If-Match": '"1"'}
    response = client.post(f"{SIGNALS}/{signal_id}/weighings", json=body, headers=headers)
    assert response.status_code == 400, response.text


@pytest.mark.parametrize("role", ["permitOfficer", "bibobCoordinator", "mayor", "privacyOfficer", "functionalAdmin"])
def test_roles_without_a_signal_rule_get_404_for_everything(client: Client, tokens: dict[str, str], role: str) -> None:
    signal_id = register(client, tokens["safetyAdvisor"], resident_signal())["id"]
    headers = bearer(tokens[role]) | {"If-Match": '"1"'}
    assert client.post(SIGNALS, json=police_signal(), headers=headers).status_code == 404
    assert client.post(SIGNALS, content=b"{bad", headers=headers).status_code == 404
    assert client.get(SIGNALS, headers=headers).status_code == 404
    assert client.get(f"{SIGNALS}/{signal_id}", headers=headers).status_code == 404
    weighing = {"decision": "undermining", "reason": "x"}
    assert client.post(f"{SIGNALS}/{signal_id}/weighings", json=weighing, headers=headers).status_code == 404


def test_an_unknown_signal_is_404(client: Client, tokens: dict[str, str]) -> None:
    headers = bearer(tokens["safetyAdvisor"]) | {"If-Match": '"1"'}
    for unknown in ("00000000-0000-4000-8000-000000000000", "x" * 300, "%20"):
        assert client.get(f"{SIGNALS}/{unknown}", headers=headers).status_code == 404
    weighing = {"decision": "undermining", "reason": "x"}
    assert client.post(f"{SIGNALS}/nope/weighings", json=weighing, headers=headers).status_code == 404


@pytest.mark.parametrize(
    ("received", "code"),
    [
        ("9999-12-31T23:59:59-12:00", "dateInFuture"),  # the end of the calendar: converting it to UTC overflows
        ("2100-01-01T00:00:00+01:00", "dateInFuture"),
        ("0001-01-01T00:00:00+14:00", "dateOutOfRange"),  # before the calendar starts, in UTC
        ("1949-12-31T23:00:00+01:00", "dateOutOfRange"),
    ],
)
def test_a_signal_received_in_the_future_or_before_1950_is_refused_and_not_stored(
    client: Client, tokens: dict[str, str], received: str, code: str
) -> None:
    advisor = tokens["safetyAdvisor"]
    before = client.get(SIGNALS, headers=bearer(advisor)).json()["count"]
    response = client.post(SIGNALS, json=police_signal() | {"received": received}, headers=bearer(advisor))
    assert response.status_code == 400, response.text
    assert [(p["name"], p["code"]) for p in response.json()["invalidParams"]] == [("/received", code)]
    assert client.get(SIGNALS, headers=bearer(advisor)).json()["count"] == before


@pytest.mark.parametrize("at", ["9999-12-31T10:00:00+01:00", "2100-01-01T00:00:00+01:00", "1900-01-01T00:00:00Z"])
def test_a_weighing_dated_in_the_future_or_before_1950_is_refused_and_changes_nothing(
    client: Client, tokens: dict[str, str], at: str
) -> None:
    advisor = tokens["safetyAdvisor"]
    signal_id = register(client, advisor, resident_signal())["id"]
    headers = bearer(advisor) | {"If-Match": '"1"'}
    for body in ({"decision": "noAction", "reason": "x", "at": at}, {"type": "sourceChecked", "source": "BRP",
                 "hit": False, "approvedBy": "privacyOfficer-1", "at": at}):  # fmt: skip
        response = client.post(f"{SIGNALS}/{signal_id}/weighings", json=body, headers=headers)
        assert response.status_code == 400, response.text
        assert response.json()["invalidParams"][0]["name"] == "/at"
    stored = client.get(f"{SIGNALS}/{signal_id}", headers=bearer(advisor))
    assert (stored.headers["etag"], stored.json()["events"]) == ('"1"', [])


@pytest.mark.parametrize(
    ("query", "name", "code"),
    [
        ({"receivedFrom": "0001-01-01T00:00:00+14:00"}, "receivedFrom", "dateOutOfRange"),
        ({"receivedTo": "9999-12-31"}, "receivedTo", "dateOutOfRange"),
        ({"pageSize": "abc"}, "pageSize", "invalidParameter"),
        ({"page": "first"}, "page", "invalidParameter"),
    ],
)
def test_a_refused_inbox_parameter_is_named_in_invalid_params(
    client: Client, tokens: dict[str, str], query: dict[str, str], name: str, code: str
) -> None:
    response = client.get(SIGNALS, params=query, headers=bearer(tokens["safetyAdvisor"]))
    assert response.status_code == 400, response.text
    assert [(p["name"], p["code"]) for p in response.json()["invalidParams"]] == [(name, code)]


def test_a_created_signal_says_where_it_lives_except_to_the_intake_partner(
    client: Client, tokens: dict[str, str]
) -> None:
    by_advisor = client.post(SIGNALS, json=resident_signal(), headers=bearer(tokens["safetyAdvisor"]))
    assert by_advisor.headers["location"] == f"{SIGNALS}/{by_advisor.json()['id']}"
    by_partner = client.post(SIGNALS, json=police_signal(), headers=bearer(tokens["signalIntakePartner"]))
    assert by_partner.status_code == 201 and "location" not in by_partner.headers  # a place it may not read
