"""The seed process over HTTP only, with the tokens of the different roles (issue 5's end-to-end test).

A resident and the police report the same address → the advisor weighs both and opens a case → a partner
answers → case meeting → plan of action → the mayor approves it in the driehoek → a permit for a company at
that address is refused on Bibob grounds → the refusal is evidence in the case → a second application by the
police signal's person, name written differently, opens a consultation (no finding, art. 3 lid 2/3): the
coordinator asks, the advisor of the case is notified and shares a fact with its source, which enters the next
assessment.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from tests.conftest import answers
from tests.service.api.flow import open_case, police_signal, register, resident_signal, step, to_source_research, weigh
from tests.service.api.test_applications import BASE, create, decided, headers, put_answers
from tests.service.api.test_cases import PLAN
from tests.service.conftest import Client, bearer

ELSEWHERE = ("Dorpsstraat", "3831 AB")
SHARED = {"kind": "fine", "source": "municipality", "on": "2026-06-01", "description": "last onder dwangsom "
          "wegens overlast", "year": 2025}  # fmt: skip


def _second_application_by_the_police_signals_person() -> dict[str, Any]:
    """A sole trader 'P. jansen', born 3 February 1980, at another address: only the person can match."""
    text = json.dumps(answers("valid-eenmanszaak-horeca.json"))
    document: dict[str, Any] = json.loads(
        text.replace("Hamersveldseweg", ELSEWHERE[0]).replace("3833 GP", ELSEWHERE[1])
    )
    owner = document["answers"]["1B.persoon"]
    owner.update(surname="jansen", firstNames="P.", dateOfBirth="1980-02-03", bsn="123456782")
    return copy.deepcopy(document)


def test_the_seed_process_runs_end_to_end_over_http(client: Client, tokens: dict[str, str]) -> None:
    advisor, mayor, officer = tokens["safetyAdvisor"], tokens["mayor"], tokens["permitOfficer"]
    resident = register(client, advisor, resident_signal())["id"]
    police = register(client, tokens["signalIntakePartner"], police_signal())
    assert set(police) == {"id"}  # the intake partner reads nothing back
    signals = [resident, police["id"]]
    for signal_id in signals:
        to_source_research(client, advisor, signal_id)
    case = open_case(client, advisor, signals, partners=["police", "housingCorporation"])
    for signal_id in signals:
        weigh(client, advisor, signal_id, {"decision": "openCase", "reason": "casus", "reference": case["id"]})
    case = step(client, advisor, case, {"type": "investigationStarted"})
    case = step(client, advisor, case, {"type": "informationRequested", "requestId": "V1", "partner": "police",
                                        "question": "Is het pand bekend?"})  # fmt: skip
    case = step(client, advisor, case, {"type": "informationAnswered", "requestId": "V1", "answerSummary": "ja"})
    case = step(client, advisor, case, {"type": "meetingScheduled", "agenda": ["pand Hamersveldseweg"]})
    case = step(client, advisor, case, {"type": "meetingHeld", "attendees": ["police", "municipality"],
                                        "decisions": ["plan van aanpak opstellen"]})  # fmt: skip
    case = step(client, advisor, case, PLAN)
    case = step(client, advisor, case, {"type": "triangleAlignmentRequested"})
    members = {"type": "membersChanged", "members": [*case["members"], "mayor-1"]}  # the mayor changes as a member
    case = step(client, advisor, case, members)
    case = step(client, mayor, case, {"type": "triangleApproved", "notes": "akkoord in de driehoek"})
    assert case["state"] == "execution"

    refusal = decided(client, officer, answers("valid-bv-two-ubos.json"))  # the BV at Hamersveldseweg 12
    assert refusal["evidenceLink"] == {"advisorInformed": True, "message": "De adviseur veiligheid is geïnformeerd."}
    assert case["id"] not in json.dumps(refusal)  # the permit officer learns no case id, nor how many

    evidence = client.get(f"/api/v1/cases/{case['id']}/evidence", headers=bearer(advisor)).json()["results"]
    (decision,) = [item for item in evidence if item["kind"] == "permitDecision"]
    assert decision["reference"] == refusal["applicationId"]
    assert "postcode gelijk" in decision["matchExplanation"]
    journal = client.get(f"/api/v1/cases/{case['id']}/journal", headers=bearer(advisor)).json()["results"]
    assert any("automatisch" in entry["text"] for entry in journal)
    told = client.get("/api/v1/notifications", headers=bearer(advisor)).json()["results"]
    assert any(n["kind"] == "newEvidence" and n["objectId"] == case["id"] for n in told)  # the lead's bell rang
    officer_told = client.get("/api/v1/notifications", headers=bearer(officer)).json()["results"]
    assert all(case["id"] not in n["text"] for n in officer_told)  # the permit officer still learns no case id

    second = create(client, officer)["id"]
    second_answers = _second_application_by_the_police_signals_person()
    assert put_answers(client, officer, second, 1, second_answers).status_code == 200
    assessment = client.post(f"{BASE}/{second}/assessments", json={}, headers=headers(officer))
    assert assessment.status_code == 201, assessment.text
    assert not [f for f in assessment.json()["findings"] if f["code"] == "knownInUnderminingCase"]
    assert case["id"] not in assessment.text
    coordinator = tokens["bibobCoordinator"]
    status = client.get(f"{BASE}/{second}/consultation-status", headers=bearer(officer)).json()
    assert status == {"pending": False, "message": ""}  # nothing until the coordinator asks

    listed = client.get(f"/api/v1/consultations?applicationId={second}", headers=bearer(coordinator)).json()
    (consultation,) = [c for c in listed["results"] if c["status"] == "open"][:1]
    assert case["id"] not in json.dumps(listed)  # the coordinator asks the advisor, not the case
    asked = client.post(f"/api/v1/consultations/{consultation['id']}/questions", json={"question": "Iets te delen?"},
                        headers=bearer(coordinator) | {"If-Match": '"1"'})  # fmt: skip
    assert asked.status_code == 201, asked.text
    status = client.get(f"{BASE}/{second}/consultation-status", headers=bearer(officer)).json()
    assert status == {"pending": True, "message": "consultatie loopt"}

    notices = client.get("/api/v1/consultations?status=asked", headers=bearer(advisor)).json()["results"]
    (notice,) = [n for n in notices if n["id"] == consultation["id"]]
    assert notice["notice"].startswith("Bibob-screening raakt betrokkenen van ")
    answered = client.post(f"/api/v1/consultations/{consultation['id']}/answers", json={"fact": SHARED},
                           headers=bearer(advisor) | {"If-Match": asked.headers["ETag"]})  # fmt: skip
    assert answered.status_code == 201, answered.text
    again = client.post(f"{BASE}/{second}/assessments", json={}, headers=headers(coordinator))
    assert again.status_code == 201, again.text
    again = again.json()
    shared = [e for f in again["findings"] for e in f["evidence"] if e["ref"] == f"s-{consultation['id']}"]
    assert shared  # the shared fact entered the assessment as an ordinary fact with its source
