"""The applications list and `POST /applications/_search`: applicant, establishment, next deadline, overdue mark;
search by name, KvK number or address in a body (never in the URL); the timeline's decision term."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.service.api.test_applications import BASE, COMPLETE, SOLE_TRADER, create, is_problem, put_answers
from tests.service.conftest import Client, bearer

SEARCH = f"{BASE}/_search"


@pytest.fixture(scope="module")
def made(client: Client, tokens: dict[str, str]) -> dict[str, str]:
    """A BV received long ago (overdue today), a sole trader and an unanswered application, all just registered."""
    officer = tokens["permitOfficer"]
    late = create(client, officer, received="2025-01-06")
    put_answers(client, officer, late["id"], late["version"], COMPLETE)
    trader = create(client, officer)
    put_answers(client, officer, trader["id"], trader["version"], SOLE_TRADER)
    blank = create(client, officer, received=dt.date.today().isoformat())  # the service runs on the real clock
    return {"late": late["id"], "trader": trader["id"], "blank": blank["id"]}


def _search(client: Client, token: str, body: Any, query: str = "") -> Any:
    return client.post(f"{SEARCH}{query}", json=body, headers=bearer(token))


def test_list_entries_name_the_applicant_establishment_next_deadline_and_overdue(
    client: Client, tokens: dict[str, str], made: dict[str, str]
) -> None:
    results = client.get(BASE, headers=bearer(tokens["permitOfficer"])).json()["results"]
    by_id = {entry["id"]: entry for entry in results}

    late, trader, blank = by_id[made["late"]], by_id[made["trader"]], by_id[made["blank"]]
    assert late["applicant"] == "Eetcafé Het Hoekje B.V." and late["overdue"] is True
    assert late["markLabel"] == "termijn verstreken" and late["decisionTerm"]["label"] == "beslistermijn overschreden"
    assert late["nextDeadline"]["code"] == "decision" and late["nextDeadline"]["status"] == "passed"
    assert trader["applicant"] == "Johanna Maria Verbeek" and trader["establishment"].startswith("De Gouden Leeuw")
    assert blank["applicant"] is None and blank["overdue"] is False


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"name": "Gouden Leeuw"}, {"trader"}),
        ({"kvkNumber": "23456789"}, {"late"}),
        ({"address": "3833 GP"}, {"late", "trader"}),
        ({"name": "nobody of that name"}, set()),
    ],
)
def test_search_by_name_kvk_number_or_address(
    client: Client, tokens: dict[str, str], made: dict[str, str], body: dict[str, str], expected: set[str]
) -> None:
    response = _search(client, tokens["permitOfficer"], body)
    assert response.status_code == 200, response.text
    assert {entry["id"] for entry in response.json()["results"]} == {made[key] for key in expected}


def test_search_sorts_and_pages_with_links(client: Client, tokens: dict[str, str], made: dict[str, str]) -> None:
    first = _search(client, tokens["permitOfficer"], {"sort": "deadline"}, "?pageSize=1")
    body = first.json()
    assert body["count"] == 3 and [entry["id"] for entry in body["results"]] == [made["late"]]
    assert body["next"].startswith(f"{SEARCH}?") and 'rel="next"' in first.headers["link"]


def test_another_officer_finds_nothing_of_these(client: Client, tokens: dict[str, str], made: dict[str, str]) -> None:
    assert _search(client, tokens["permitOfficer-2"], {"name": "Verbeek"}).json()["count"] == 0


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ({"name": 5}, ["/name"]),
        ({"sort": "alphabet", "state": "nowhere"}, ["/sort", "/state"]),
        ({"kvkNumber": "1" * 201, "colour": "red"}, ["/colour"]),
        ([], [""]),
    ],
)
def test_a_bad_search_names_every_problem(client: Client, tokens: dict[str, str], body: Any, names: list[str]) -> None:
    response = _search(client, tokens["permitOfficer"], body)
    assert is_problem(response, 400)
    assert [problem["name"] for problem in response.json()["invalidParams"]] == names


def test_the_timeline_says_the_decision_term_was_exceeded(
    client: Client, tokens: dict[str, str], made: dict[str, str]
) -> None:
    late = client.get(f"{BASE}/{made['late']}/timeline", headers=bearer(tokens["permitOfficer"])).json()
    early = client.get(
        f"{BASE}/{made['late']}/timeline?referenceDate=2025-01-07", headers=bearer(tokens["permitOfficer"])
    ).json()
    assert late["decisionTerm"]["overdue"] is True and "Awb 4:17" in late["decisionTerm"]["explanation"]
    assert early["decisionTerm"] is None
