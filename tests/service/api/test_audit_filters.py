"""The privacy officer's filters on the audit log and the export of a filtered view (CSV, JSON Lines, NEN 7513)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from tests.service.api.flow import open_case, police_signal, register
from tests.service.conftest import Client, bearer

AUDIT = "/api/v1/audit-log"
EXPORT = "/api/v1/audit-log/export"


@pytest.fixture(scope="module")
def dossiers(client: Client, tokens: dict[str, str]) -> dict[str, str]:
    """A police signal, a case made from it, and two refused reads of the case by a permit officer."""
    signal_id = register(client, tokens["signalIntakePartner"], police_signal())["id"]
    case_id = open_case(client, tokens["safetyAdvisor"], [signal_id], members=["bibobCoordinator-1"])["id"]
    for _ in range(2):
        assert client.get(f"/api/v1/cases/{case_id}", headers=bearer(tokens["permitOfficer"])).status_code == 404
    return {"signal": signal_id, "case": case_id}


def _view(client: Client, token: str, **query: Any) -> tuple[list[dict[str, Any]], int]:
    """Every row of a filtered view, page by page (3 a page, so that paging is exercised), and its upToSeq."""
    rows: list[dict[str, Any]] = []
    first = client.get(AUDIT, params={**query, "pageSize": 3}, headers=bearer(token))
    assert first.status_code == 200, first.text
    body = first.json()
    rows += body["results"]
    while body["next"]:
        body = client.get(body["next"], headers=bearer(token)).json()
        rows += body["results"]
    assert len(rows) == first.json()["count"]
    if first.json()["next"]:
        assert f"upToSeq={first.json()['upToSeq']}" in first.headers["link"]
    return rows, int(first.json()["upToSeq"])


def test_the_filters_narrow_the_view_by_role_action_dossier_and_refused_access(
    client: Client, tokens: dict[str, str], dossiers: dict[str, str]
) -> None:
    privacy = tokens["privacyOfficer"]
    denied, _ = _view(client, privacy, denied="true")
    assert denied and {row["action"] for row in denied} == {"access.denied"}
    assert [row["objectId"] for row in denied if row["user"] == "permitOfficer-1"][-2:] == [dossiers["case"]] * 2
    by_role, _ = _view(client, privacy, role="signalIntakePartner")
    assert by_role and {row["role"] for row in by_role} == {"signalIntakePartner"}
    created, _ = _view(client, privacy, action="case.create", objectType="case", objectId=dossiers["case"])
    assert [row["action"] for row in created] == ["case.create"]
    everything, _ = _view(client, privacy)
    assert len(everything) > len(denied) + len(by_role)


def test_a_period_keeps_the_rows_of_its_days_in_dutch_time(client: Client, tokens: dict[str, str]) -> None:
    privacy = tokens["privacyOfficer"]
    everything, up_to = _view(client, privacy)
    inside, _ = _view(client, privacy, upToSeq=str(up_to), **{"from": "2020-01-01", "to": "2200-12-31"})
    assert inside == everything
    before, _ = _view(client, privacy, **{"from": "2020-01-01", "to": "2020-01-02"})
    assert before == []


@pytest.mark.parametrize("export_format", ["csv", "jsonl", "nen7513"])
def test_the_export_of_a_filtered_view_holds_exactly_the_rows_the_view_shows(
    client: Client, tokens: dict[str, str], dossiers: dict[str, str], export_format: str
) -> None:
    privacy = tokens["privacyOfficer"]
    query = {"objectType": "case", "role": "safetyAdvisor"}
    client.get(
        f"/api/v1/cases/{dossiers['case']}", headers=bearer(tokens["safetyAdvisor"])
    )  # a row besides the creation
    shown, up_to = _view(client, privacy, **query)
    assert len(shown) >= 2
    client.get(f"/api/v1/cases/{dossiers['case']}", headers=bearer(tokens["safetyAdvisor"]))  # a new matching row
    response = client.get(
        EXPORT, params={**query, "upToSeq": str(up_to), "format": export_format}, headers=bearer(privacy)
    )
    assert response.status_code == 200, response.text
    name = "auditlogboek.nen7513.jsonl" if export_format == "nen7513" else f"auditlogboek.{export_format}"
    assert f'filename="{name}"' in response.headers["content-disposition"]
    if export_format == "csv":
        assert response.headers["content-type"].startswith("text/csv")
        exported = list(csv.DictReader(io.StringIO(response.text)))
        assert [(int(r["seq"]), r["action"], r["objectId"], r["user"]) for r in exported] == [
            (r["seq"], r["action"], r["objectId"], r["user"]) for r in shown
        ]
    elif export_format == "jsonl":
        assert response.headers["content-type"].startswith("application/jsonl")
        assert [json.loads(line) for line in response.text.splitlines()] == shown
    else:
        assert response.headers["content-type"].startswith("application/jsonl")
        records = [json.loads(line) for line in response.text.splitlines()]
        assert [(r["seq"], r["what"]["action"], r["dossier"]["id"], r["who"]["user"], r["why"]) for r in records] == [
            (r["seq"], r["action"], r["objectId"], r["user"], r["reason"] or None) for r in shown
        ]
    later, _ = _view(client, privacy, **query)
    assert len(later) == len(shown) + 1  # the new row is there, only not in the fixed view


def test_reading_and_exporting_the_log_are_themselves_audited(client: Client, tokens: dict[str, str]) -> None:
    privacy = tokens["privacyOfficer"]
    before, _ = _view(client, privacy, user="privacyOfficer-1")
    assert (
        client.get(EXPORT, params={"format": "jsonl", "action": "case.create"}, headers=bearer(privacy)).status_code
        == 200
    )
    after, _ = _view(client, privacy, user="privacyOfficer-1")
    new = [row["action"] for row in after[len(before) :]]
    # each page of the first view was a reading, then came the export
    assert new[-1] == "auditLog.export" and set(new[:-1]) == {"auditLog.read"} and len(new) > 1


def test_a_nen7513_export_names_who_what_when_which_dossier_and_why_and_its_last_record_anchors_the_chain(
    client: Client, tokens: dict[str, str], dossiers: dict[str, str]
) -> None:
    privacy = bearer(tokens["privacyOfficer"])
    advisor = bearer(tokens["safetyAdvisor"], "toezicht op de casus")
    assert client.get(f"/api/v1/cases/{dossiers['case']}", headers=advisor).status_code == 200
    query = {"format": "nen7513", "objectId": dossiers["case"]}
    response = client.get(EXPORT, params=query, headers=privacy)
    assert response.status_code == 200, response.text
    records = [json.loads(line) for line in response.text.splitlines()]
    read = next(r for r in reversed(records) if r["what"]["action"] == "case.read")
    assert read["who"] == {"user": "safetyAdvisor-1", "role": "safetyAdvisor", "roleLabel": read["who"]["roleLabel"],
                           "authenticatedBy": None}  # fmt: skip
    assert read["who"]["roleLabel"] and read["what"] == {"action": "case.read", "event": "read",
                                                          "description": "casus gelezen"}  # fmt: skip
    assert read["dossier"] == {"type": "case", "typeLabel": "casus", "id": dossiers["case"]}
    assert read["onBehalfOf"] == f"case/{dossiers['case']}" and read["why"] == "toezicht op de casus"
    assert read["when"][-6:] in ("+01:00", "+02:00") and read["schema"] == "bibob-nen7513/1"
    refused = [r for r in records if r["what"]["action"] == "access.denied"]
    assert refused and {r["what"]["event"] for r in refused} == {"denied"}
    assert {r["what"]["event"] for r in records} >= {"create", "read", "denied"}
    # no name, no BSN, no content: only ids, codes and reasons
    for personal in ("Jansen", "Pieter", "1980-02-03", "Hamersveldseweg", "3833GP", "stroomdiefstal"):
        assert personal not in response.text
    last = records[-1]
    assert len(last["hash"]) == 64 and len(last["prevHash"]) == 64
    check = client.post("/api/v1/audit-log/_verify", json={"anchor": {"seq": last["seq"], "hash": last["hash"]}},
                        headers=privacy)  # fmt: skip
    assert check.status_code == 200 and check.json()["ok"] is True, check.text
    forged = {"seq": last["seq"], "hash": "0" * 64}
    assert client.post("/api/v1/audit-log/_verify", json={"anchor": forged}, headers=privacy).json()["ok"] is False


def test_a_nen7513_export_is_itself_audited(client: Client, tokens: dict[str, str]) -> None:
    privacy = tokens["privacyOfficer"]
    query = {"format": "nen7513", "action": "case.create"}
    assert client.get(EXPORT, params=query, headers=bearer(privacy, "SIEM-koppeling testen")).status_code == 200
    mine, _ = _view(client, privacy, user="privacyOfficer-1", action="auditLog.export")
    assert mine[-1]["reason"] == "SIEM-koppeling testen"


def test_a_csv_cell_a_spreadsheet_would_run_is_defused(client: Client, tokens: dict[str, str]) -> None:
    signal = police_signal()
    signal_id = register(client, tokens["signalIntakePartner"], signal)["id"]
    client.get(f"/api/v1/signals/{signal_id}", headers=bearer(tokens["permitOfficer"], "=HYPERLINK(1)"))
    response = client.get(
        EXPORT, params={"denied": "true", "objectId": signal_id}, headers=bearer(tokens["privacyOfficer"])
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["reason"] for row in rows] == ["'=HYPERLINK(1)"]


def test_bad_filters_are_400_naming_every_problem_at_once(client: Client, tokens: dict[str, str]) -> None:
    privacy = bearer(tokens["privacyOfficer"])
    query = {"role": "hacker", "from": "gisteren", "action": "a b", "upToSeq": "-1", "objectType": "x;y"}
    for path, extra in ((AUDIT, {"pageSize": "0"}), (EXPORT, {"format": "xml"})):
        response = client.get(path, params={**query, **extra}, headers=privacy)
        assert response.status_code == 400, response.text
        names = {problem["name"] for problem in response.json()["invalidParams"]}
        assert names == {"role", "from", "action", "upToSeq", "objectType", *extra}
    reversed_period = client.get(AUDIT, params={"from": "2026-03-02", "to": "2026-03-01"}, headers=privacy)
    assert reversed_period.status_code == 400 and reversed_period.json()["invalidParams"][0]["name"] == "to"
    assert client.get(AUDIT, params={"denied": "misschien"}, headers=privacy).status_code == 400


@pytest.mark.parametrize("role", ["permitOfficer", "safetyAdvisor", "mayor", "functionalAdmin"])
def test_only_the_privacy_officer_exports_the_log(client: Client, tokens: dict[str, str], role: str) -> None:
    assert client.get(EXPORT, headers=bearer(tokens[role])).status_code == 404
