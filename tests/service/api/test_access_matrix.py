"""The access matrix: every role × every operation of the API × an own and a foreign object (issue 5, part 4).

The operations come from the app's own OpenAPI document, so a new endpoint without a row below fails the test.
The expectations are written here from the issue and the need-to-know table of `service.store.access` (not
computed from it): per (operation, role) whether the own and the foreign object may be reached.

An allowed cell answers 2xx, or a 4xx other than 401/403/404 (the request reached the dossier: 400, 409, 412, …).
A hidden cell answers 404 (never 403: the existence of a screening is itself confidential). For a list or a
search the cell is about the object: allowed when the object is among the results, hidden when it is not (or
the whole list answers 404).

Writes are probed so that the matrix changes nothing later cells rely on: updates carry a stale If-Match (an
allowed role gets 412 from the versioned update, a hidden one 404), creates make new objects that nobody else
uses, and the one write that needs the current version (membersChanged, lead only) keeps the members as they are.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import attrs
import httpx
import pytest
import sqlalchemy as sa
from litestar.testing import TestClient

from bibob.clients import ZgwSettings
from service.app import create_app
from service.auth import Role
from service.integrations import Integrations
from service.settings import Settings
from service.store.engine import create_engine_for
from service.store.tables import case_members, cases
from service.store.tokens import create_token
from service.zgw_notifications import NotificationSettings, PermitZaaktype
from tests.conftest import answers
from tests.figures import report
from tests.service.api.flow import police_signal, resident_signal
from tests.service.conftest import Client, bearer

API = "/api/v1"
ROLES = (
    "permitOfficer",
    "bibobCoordinator",
    "safetyAdvisor",
    "mayor",
    "signalIntakePartner",
    "privacyOfficer",
    "functionalAdmin",
)
QUESTIONNAIRE = "bibob-overige-beschikkingen"
ADDRESS = {"street": "Hamersveldseweg", "houseNumber": 12, "postcode": "3833GP", "city": "Leusden"}
NEW_APPLICATION = {
    "permitType": "exploitatieHoreca",
    "legalAct": "vergunning",
    "received": "2026-10-01",
    "questionnaireId": QUESTIONNAIRE,
}
ZAAK = "https://zgw.test/zaken/api/v1/zaken/5d9e1f3a-0000-4000-8000-00000000000a"
STALE = '"0"'  # versions start at 1: an allowed update answers 412 and changes nothing

# --- the expectation table ---------------------------------------------------------------------------------------
# Columns as in service.store.access: PO BC SA MY SIP PRV ADM.
#   +   allowed (an operation on no particular dossier)      -   hidden (404), or not in the results
#   of  own and foreign object allowed                       o   own object allowed, foreign hidden
#   x   refused (401/403) for every user token: the operation takes the Notificaties API's secret, not a token
# "Own" per role: the permit officer's own application (the coordinator's own for the coordinator, permit officer
# 1's for the others); the signal the advisor (the intake partner) registered; the case the advisor leads with the
# coordinator as member, and for the mayor a case in the driehoek step they are a member of. "Foreign": permit
# officer 2's application, safety advisor 2's signal, and safety advisor 2's case without other members (not in the
# driehoek step); for the mayor, safety advisor 2's case in the driehoek step without them (readable, not theirs to
# change). The foreign signal is one safety advisor 2 opened a case from: out of the shared inbox, seen only through
# that case (an advisor's signal still in the inbox is every advisor's: tests/service/api/test_mayor_and_signals.py).
# Consultations: permit officer 1's application at the cases' address was assessed and every consultation asked;
# "own" is the one about the case the advisor leads, "foreign" the one about safety advisor 2's case.
# A `#variant` after a path is a second probe of the same operation (the body decides which rule applies).
# Non-members (issue 16): the "foreign" column is where they are checked. For a safety advisor it is safety advisor
# 2's case, of which they are no member, and the signal seen only through it; for the mayor safety advisor 2's case
# in the driehoek step without them: they read it (the driehoek step is theirs to weigh) but change nothing of it.
# Match-review scope (issue 16): a review names its case (caseId in the body); "own" is the case the reviewer is a
# member of, "foreign" a case they are not in (404). `subjects/_search#forCase` is a search made for a case, whose
# reviews then count: the same membership decides. The audit log is read per dossier (`#of…`: objectId of the
# role's own and foreign application, signal and case): every row answers the privacy officer and 404 to the rest.
EXPECTED_TABLE = """
GET  /api/v1/health                                                     +   +   +   +   +   +   +
GET  /api/v1/ready                                                      +   +   +   +   +   +   +
GET  /api/v1/openapi.json                                               +   +   +   +   +   +   +
GET  /api/v1/me                                                         +   +   +   +   +   +   +
POST /api/v1/me/token/_rotate                                           +   +   +   +   +   +   +
GET  /api/v1/questionnaires                                             +   +   +   +   +   +   +
GET  /api/v1/questionnaires/{questionnaire_id}                          +   +   +   +   +   +   +
GET  /api/v1/questionnaires/{questionnaire_id}/answer-schema            +   +   +   +   +   +   +
POST /api/v1/questionnaires/{questionnaire_id}/completeness-checks      +   +   +   +   +   +   +
GET  /api/v1/applications                                               o   of  -   of  -   -   -
POST /api/v1/applications                                               +   +   -   -   -   -   -
POST /api/v1/applications/_search                                       o   of  -   of  -   -   -
GET  /api/v1/applications/{application_id}                              o   of  -   of  -   -   -
GET  /api/v1/applications/{application_id}/answers                      o   of  -   of  -   -   -
PUT  /api/v1/applications/{application_id}/answers                      o   of  -   -   -   -   -
PUT  /api/v1/applications/{application_id}/attachments                  o   of  -   -   -   -   -
GET  /api/v1/applications/{application_id}/assessments                  o   of  -   of  -   -   -
POST /api/v1/applications/{application_id}/assessments                  o   of  -   -   -   -   -
POST /api/v1/applications/{application_id}/events                       o   of  -   -   -   -   -
POST /api/v1/applications/{application_id}/decisions                    o   of  -   of  -   -   -
GET  /api/v1/applications/{application_id}/timeline                     o   of  -   of  -   -   -
GET  /api/v1/signals                                                    -   -   o   -   -   -   -
POST /api/v1/signals                                                    -   -   +   -   +   -   -
GET  /api/v1/signals/{signal_id}                                        -   -   o   -   -   -   -
POST /api/v1/signals/{signal_id}/weighings                              -   -   o   -   -   -   -
GET  /api/v1/cases                                                      -   o   o   of  -   -   -
POST /api/v1/cases                                                      -   -   +   -   -   -   -
GET  /api/v1/cases/{case_id}                                            -   o   o   of  -   -   -
POST /api/v1/cases/{case_id}/events                                     -   o   o   o   -   -   -
POST /api/v1/cases/{case_id}/events#membersChanged                      -   -   o   -   -   -   -
GET  /api/v1/cases/{case_id}/journal                                    -   o   o   of  -   -   -
GET  /api/v1/cases/{case_id}/network                                    -   o   o   of  -   -   -
GET  /api/v1/cases/{case_id}/evidence                                   -   o   o   of  -   -   -
POST /api/v1/cases/{case_id}/evidence                                   -   o   o   o   -   -   -
POST /api/v1/cases/{case_id}/evidence/{evidence_id}/confirmations       -   o   o   o   -   -   -
POST /api/v1/cases/{case_id}/evidence/{evidence_id}/detachments         -   o   o   o   -   -   -
GET  /api/v1/cases/{case_id}/zgw-mirrors                                -   o   o   of  -   -   -
POST /api/v1/cases/{case_id}/zgw-mirrors                                -   o   o   o   -   -   -
GET  /api/v1/meeting-agenda                                             -   -   +   -   -   -   -
POST /api/v1/subjects/_search                                           -   o   o   of  -   -   -
POST /api/v1/subjects/_search#forCase                                   -   o   o   -   -   -   -
POST /api/v1/match-reviews                                              -   o   o   -   -   -   -
GET  /api/v1/audit-log                                                  -   -   -   -   -   +   -
GET  /api/v1/audit-log#ofApplication                                    -   -   -   -   -   of  -
GET  /api/v1/audit-log#ofSignal                                         -   -   -   -   -   of  -
GET  /api/v1/audit-log#ofCase                                           -   -   -   -   -   of  -
GET  /api/v1/audit-log/export                                           -   -   -   -   -   +   -
GET  /api/v1/audit-log/export#ofCase                                    -   -   -   -   -   of  -
GET  /api/v1/disclosures                                                -   -   -   -   -   +   -
GET  /api/v1/applications/{application_id}/consultation-status          o   of  -   of  -   -   -
GET  /api/v1/consultations                                              -   of  o   -   -   -   -
GET  /api/v1/consultations/{consultation_id}                            -   of  o   -   -   -   -
POST /api/v1/consultations/{consultation_id}/questions                  -   of  -   -   -   -   -
POST /api/v1/consultations/{consultation_id}/answers                    -   -   o   -   -   -   -
POST /api/v1/audit-log/_verify                                          -   -   -   -   -   +   -
GET  /api/v1/notifications                                              +   +   +   +   +   +   +
POST /api/v1/notifications/_acknowledge                                   +   +   +   +   +   +   +
GET  /api/v1/applications/{application_id}/letters                      o   of  -   of  -   -   -
POST /api/v1/applications/{application_id}/letters                      o   of  -   -   -   -   -
GET  /api/v1/applications/{application_id}/letters/{letter_id}/{file_format}  o   of  -   of  -   -   -
POST /api/v1/applications/{application_id}/dossier-exports              -   of  -   of  -   -   -
PUT  /api/v1/applications/{application_id}/permit-zaak                   o   of  -   -   -   -   -
POST /api/v1/intake/open-formulieren/{mapping_id}                       +   +   -   -   -   -   -
GET  /api/v1/permit-watch                                               -   +   -   -   -   -   -
GET  /api/v1/applications/{application_id}/conditions                   -   of  -   -   -   -   -
POST /api/v1/applications/{application_id}/conditions                   -   of  -   -   -   -   -
POST /api/v1/applications/{application_id}/condition-checks             -   of  -   -   -   -   -
POST /api/v1/privacy/subject-access                                     -   -   -   -   -   +   -
POST /api/v1/zgw-notifications                                          x   x   x   x   x   x   x
"""
#: Operations that are served but left out of the OpenAPI document on purpose (the document itself).
NOT_IN_DOCUMENT = frozenset({"GET /api/v1/openapi.json"})

#: Cells where the service answers otherwise than the table, for the lead to decide: (role, operation, object) →
#: what happens. Printed in the figures and skipped; a listed cell that starts to match fails (remove it then).
KNOWN_BUGS: dict[tuple[str, str, str], str] = {}


@attrs.frozen
class Row:
    operation: str  # "METHOD /path", with an optional "#variant"
    cells: dict[str, str]  # role → "+", "-", "of", "o"

    @property
    def method(self) -> str:
        return self.operation.split(" ", 1)[0]

    @property
    def path(self) -> str:
        return self.operation.split(" ", 1)[1].split("#", 1)[0]

    @property
    def variant(self) -> str:
        return self.operation.partition("#")[2]


def expected_rows() -> list[Row]:
    rows = []
    for line in EXPECTED_TABLE.strip().splitlines():
        method, path, *marks = line.split()
        assert len(marks) == len(ROLES), f"a mark per role: {line}"
        assert set(marks) <= {"+", "-", "o", "of", "x"}, line
        rows.append(Row(f"{method} {path}", dict(zip(ROLES, marks, strict=True))))
    return rows


# --- the app, with a zaaksysteem configured so that asking for a mirror reaches the access check -----------------


def _zaaksysteem_down(request: httpx.Request) -> httpx.Response:
    return httpx.Response(503)


def zaaksysteem_settings(database_url: str, *, secret: str, notification_secret: str, **more: Any) -> Settings:
    """Settings of a test app with a zaaksysteem configured (and down) and a permit zaaktype for notifications;
    `more` are further `Settings` fields."""
    base = "https://zgw.test"
    zgw = ZgwSettings(
        zaken_url=f"{base}/zaken/api/v1",
        besluiten_url=f"{base}/besluiten/api/v1",
        client_id="bibob",
        secret=secret,
        rsin="002220647",
        zaaktype=f"{base}/catalogi/api/v1/zaaktypen/ondermijning",
        statustypen={},
        roltypen={},
    )
    notifications = NotificationSettings(
        notification_secret,
        {f"{base}/catalogi/api/v1/zaaktypen/horeca": PermitZaaktype("exploitatieHoreca", "vergunning")},
    )
    return Settings(
        database_url=database_url, integrations=Integrations(zgw=zgw), zgw_notifications=notifications, **more
    )


@pytest.fixture(scope="module")
def client(database_url: str) -> Iterator[Client]:
    settings = zaaksysteem_settings(
        database_url, secret="matrix-test-secret", notification_secret="Token matrix-notificatiegeheim"
    )
    with TestClient(create_app(settings, transport=httpx.MockTransport(_zaaksysteem_down))) as test_client:
        yield test_client


# --- the objects, made once through the API ----------------------------------------------------------------------


@attrs.frozen
class World:
    applications: dict[str, str]  # "permitOfficer-1", "bibobCoordinator-1", "permitOfficer-2" → id
    signals: dict[str, str]  # "safetyAdvisor-1", "signalIntakePartner-1", "safetyAdvisor-2" → id
    cases: dict[str, str]  # "lead", "driehoek", "foreign", "foreignDriehoek" → id
    evidence: dict[str, str]  # case id → an evidence item id
    consultations: dict[str, str] = attrs.field(factory=dict)  # "own", "foreign" → id (see the table's note)
    letters: dict[str, str] = attrs.field(factory=dict)  # application id → the id of a letter stored with it

    def object_id(self, resource: str, role: str, which: str) -> str:
        if resource == "consultation":
            return self.consultations[which]
        if resource == "application":
            own = {"permitOfficer": "permitOfficer-1", "bibobCoordinator": "bibobCoordinator-1"}
            return self.applications[own.get(role, "permitOfficer-1") if which == "own" else "permitOfficer-2"]
        if resource == "signal":
            own = {"signalIntakePartner": "signalIntakePartner-1"}
            return self.signals[own.get(role, "safetyAdvisor-1") if which == "own" else "safetyAdvisor-2-case"]
        if which == "foreign":
            return self.cases["foreignDriehoek" if role == "mayor" else "foreign"]
        return self.cases["driehoek" if role == "mayor" else "lead"]


def _created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _case_steps(client: Client, token: str, case: dict[str, Any], bodies: list[dict[str, Any]]) -> dict[str, Any]:
    for body in bodies:
        headers = bearer(token) | {"If-Match": f'"{case["version"]}"'}
        case = _created(client.post(f"{API}/cases/{case['id']}/events", json=body, headers=headers))
    return case


def _with_evidence(client: Client, token: str, case: dict[str, Any]) -> tuple[dict[str, Any], str]:
    link = {
        "applicationId": "2026-0042",
        "reason": "zelfde pand",
        "finding": {"code": "F-01", "title": "t", "explanation": "e"},
    }
    headers = bearer(token) | {"If-Match": f'"{case["version"]}"'}
    case = _created(client.post(f"{API}/cases/{case['id']}/evidence", json=link, headers=headers))
    listed = client.get(f"{API}/cases/{case['id']}/evidence", headers=bearer(token)).json()["results"]
    return case, str(listed[-1]["id"])


TO_DRIEHOEK: list[dict[str, Any]] = [
    {"type": "investigationStarted"},
    {"type": "informationRequested", "requestId": "V1", "partner": "police", "question": "Bekend pand?"},
    {"type": "informationAnswered", "requestId": "V1", "answerSummary": "ja"},
    {"type": "meetingScheduled", "agenda": ["pand"]},
    {"type": "meetingHeld", "attendees": ["police", "municipality"], "decisions": ["plan opstellen"]},
    {
        "type": "planDrafted",
        "goals": ["pand sluiten"],
        "interventions": [
            {
                "id": "I1",
                "partner": "municipality",
                "kind": "closure13b",
                "description": "sluiting",
                "owner": "safetyAdvisor-1",
                "due": "2030-02-28",
            }
        ],
    },
    {"type": "triangleAlignmentRequested"},
]


@pytest.fixture(scope="module")
def world(client: Client, tokens: dict[str, str]) -> World:
    applications = {
        user: _created(client.post(f"{API}/applications", json=NEW_APPLICATION, headers=bearer(tokens[token])))["id"]
        for user, token in (
            ("permitOfficer-1", "permitOfficer"),
            ("bibobCoordinator-1", "bibobCoordinator"),
            ("permitOfficer-2", "permitOfficer-2"),
        )
    }
    signals = {
        user: _created(client.post(f"{API}/signals", json=body, headers=bearer(tokens[token])))["id"]
        for user, token, body in (
            ("safetyAdvisor-1", "safetyAdvisor", resident_signal()),
            ("signalIntakePartner-1", "signalIntakePartner", police_signal()),
            ("safetyAdvisor-2", "safetyAdvisor-2", resident_signal()),
        )
    }
    advisor, other = tokens["safetyAdvisor"], tokens["safetyAdvisor-2"]
    subjects = {"addresses": [ADDRESS]}
    in_case = _created(client.post(f"{API}/signals", json=resident_signal(), headers=bearer(other)))["id"]
    opened = {"title": "Uit een melding", "theme": "drugs", "signalIds": [in_case], "partners": ["police"]}
    _created(client.post(f"{API}/cases", json=opened, headers=bearer(other)))
    signals["safetyAdvisor-2-case"] = in_case

    def new_case(token: str, title: str, members: list[str]) -> dict[str, Any]:
        body = {"title": title, "theme": "drugs", "subjects": subjects, "members": members, "partners": ["police"]}
        return _created(client.post(f"{API}/cases", json=body, headers=bearer(token)))

    evidence = {}
    lead, evidence_id = _with_evidence(client, advisor, new_case(advisor, "Eigen casus", ["bibobCoordinator-1"]))
    evidence[lead["id"]] = evidence_id
    driehoek, evidence_id = _with_evidence(client, advisor, new_case(advisor, "Driehoekcasus", ["mayor-1"]))
    evidence[driehoek["id"]] = evidence_id
    driehoek = _case_steps(client, advisor, driehoek, TO_DRIEHOEK)
    assert driehoek["state"] == "triangleAlignment"
    foreign, evidence_id = _with_evidence(client, other, new_case(other, "Andermans casus", []))
    evidence[foreign["id"]] = evidence_id
    elsewhere, evidence_id = _with_evidence(client, other, new_case(other, "Andermans driehoekcasus", []))
    evidence[elsewhere["id"]] = evidence_id
    elsewhere = _case_steps(client, other, elsewhere, TO_DRIEHOEK)
    cases = {
        "lead": lead["id"],
        "driehoek": driehoek["id"],
        "foreign": foreign["id"],
        "foreignDriehoek": elsewhere["id"],
    }
    consultations = _asked_consultations(client, tokens, applications["permitOfficer-1"], cases)
    letters = {
        application_id: _created(
            client.post(f"{API}/applications/{application_id}/letters", json={"kind": "lbbNotice"},
                        headers=bearer(tokens["bibobCoordinator"]))
        )["id"]
        for application_id in applications.values()
    }  # fmt: skip
    return World(applications, signals, cases, evidence, consultations, letters)


def _asked_consultations(
    client: Client, tokens: dict[str, str], application_id: str, cases: dict[str, str]
) -> dict[str, str]:
    """Answers at the cases' address, an assessment, every consultation asked: the own and the foreign one."""
    document = answers("valid-bv-two-ubos.json")
    headers = bearer(tokens["permitOfficer"]) | {"If-Match": '"1"'}
    assert client.put(f"{API}/applications/{application_id}/answers", json=document, headers=headers).status_code == 200
    _created(
        client.post(
            f"{API}/applications/{application_id}/assessments", json={}, headers=bearer(tokens["permitOfficer"])
        )
    )
    coordinator = bearer(tokens["bibobCoordinator"])
    listed = client.get(f"{API}/consultations", params={"applicationId": application_id}, headers=coordinator).json()
    for item in listed["results"]:
        url = f"{API}/consultations/{item['id']}/questions"
        _created(client.post(url, json={}, headers=coordinator | {"If-Match": f'"{item["version"]}"'}))
    found = {}
    for which, token in (("own", "safetyAdvisor"), ("foreign", "safetyAdvisor-2")):
        seen = client.get(f"{API}/consultations", params=PAGE, headers=bearer(tokens[token])).json()["results"]
        (found[which],) = [c["id"] for c in seen if c.get("ownerId") == cases["lead" if which == "own" else "foreign"]]
    return found


# --- how each operation is called --------------------------------------------------------------------------------

#: The resource whose own/foreign object a cell is about, for operations without an id in the path.
LIST_RESOURCES = {
    "GET /api/v1/applications": "application",
    "POST /api/v1/applications/_search": "application",
    "GET /api/v1/signals": "signal",
    "GET /api/v1/cases": "case",
    "POST /api/v1/subjects/_search": "case",
    "GET /api/v1/consultations": "consultation",
}
PATH_RESOURCES = {
    "application_id": "application", "signal_id": "signal", "case_id": "case", "consultation_id": "consultation",
}  # fmt: skip


@attrs.frozen
class Target:
    """Where an operation without the id in its path names its object: a body field or a query parameter."""

    resource: str
    where: str  # "body" or "params"
    field: str
    listed: str = ""  # for a list: the field of each result that names the object (else a 2xx/4xx is the cell)


TARGETS: dict[str, Target] = {
    "POST /api/v1/match-reviews": Target("case", "body", "caseId"),
    "POST /api/v1/subjects/_search#forCase": Target("case", "body", "caseId", listed="ownerId"),
    "GET /api/v1/audit-log#ofApplication": Target("application", "params", "objectId", listed="objectId"),
    "GET /api/v1/audit-log#ofSignal": Target("signal", "params", "objectId", listed="objectId"),
    "GET /api/v1/audit-log#ofCase": Target("case", "params", "objectId", listed="objectId"),
    "GET /api/v1/audit-log/export#ofCase": Target("case", "params", "objectId"),
}


@attrs.frozen
class Probe:
    """A request: JSON body (or none), If-Match ("stale", "current" or none), query parameters.

    "current" is the membersChanged probe: the case's stored version, and its members as they are (an allowed lead
    changes nothing but the version; the body is made per cell).
    """

    body: Any = None
    if_match: str = ""
    params: dict[str, str] = attrs.field(factory=dict)
    fresh_token: bool = False  # a new token of the role for this probe (rotation revokes the one that asks)


PAGE = {"pageSize": "500"}
PROBES: dict[str, Probe] = {
    "POST /api/v1/questionnaires/{questionnaire_id}/completeness-checks": Probe(body={}),
    "GET /api/v1/applications": Probe(params=PAGE),
    "POST /api/v1/applications/_search": Probe(body={}, params=PAGE),
    "POST /api/v1/applications": Probe(body=NEW_APPLICATION),
    "PUT /api/v1/applications/{application_id}/answers": Probe(
        body={"questionnaire": {"id": QUESTIONNAIRE}}, if_match="stale"
    ),
    "PUT /api/v1/applications/{application_id}/attachments": Probe(body={"attachments": []}, if_match="stale"),
    "POST /api/v1/applications/{application_id}/assessments": Probe(body={}),
    "POST /api/v1/applications/{application_id}/events": Probe(
        body={"type": "regularReviewStarted", "on": "2026-10-02"}, if_match="stale"
    ),
    "POST /api/v1/applications/{application_id}/decisions": Probe(
        body={"on": "2026-11-10", "outcome": "granted"}, if_match="stale"
    ),
    "GET /api/v1/signals": Probe(params=PAGE),
    "POST /api/v1/me/token/_rotate": Probe(fresh_token=True),
    "POST /api/v1/signals": Probe(body=police_signal()),
    "POST /api/v1/signals/{signal_id}/weighings": Probe(
        body={"decision": "undermining", "reason": "lokale verankering"}, if_match="stale"
    ),
    "GET /api/v1/cases": Probe(params=PAGE),
    "POST /api/v1/cases": Probe(body={"title": "Casus uit de matrix"}),
    "POST /api/v1/cases/{case_id}/events": Probe(body={"type": "investigationStarted"}, if_match="stale"),
    "POST /api/v1/cases/{case_id}/events#membersChanged": Probe(if_match="current"),
    "POST /api/v1/cases/{case_id}/evidence": Probe(
        body={"applicationId": "2026-0042", "reason": "r", "finding": {"code": "F", "title": "t", "explanation": "e"}},
        if_match="stale",
    ),
    "POST /api/v1/cases/{case_id}/evidence/{evidence_id}/confirmations": Probe(body={}, if_match="stale"),
    "POST /api/v1/cases/{case_id}/evidence/{evidence_id}/detachments": Probe(body={"reason": "r"}, if_match="stale"),
    "POST /api/v1/subjects/_search": Probe(body={"address": ADDRESS}),
    "POST /api/v1/subjects/_search#forCase": Probe(body={"address": ADDRESS}),
    "POST /api/v1/match-reviews": Probe(
        body={"leftKey": "address:matrix", "rightKey": "known:address:matrix", "decision": "dismiss", "reason": "r"}
    ),
    "GET /api/v1/audit-log#ofApplication": Probe(params=PAGE),
    "GET /api/v1/audit-log#ofSignal": Probe(params=PAGE),
    "GET /api/v1/audit-log#ofCase": Probe(params=PAGE),
    "GET /api/v1/audit-log/export#ofCase": Probe(params={"format": "jsonl"}),
    "POST /api/v1/audit-log/_verify": Probe(body={}),
    "POST /api/v1/notifications/_acknowledge": Probe(body={"all": True}),
    "POST /api/v1/zgw-notifications": Probe(
        body={
            "kanaal": "zaken",
            "hoofdObject": f"{ZAAK}",
            "resource": "zaak",
            "resourceUrl": f"{ZAAK}",
            "actie": "create",
            "aanmaakdatum": "2026-11-02T09:15:00Z",
            "kenmerken": {"zaaktype": "https://zgw.test/catalogi/api/v1/zaaktypen/horeca"},
        }
    ),  # a valid new permit zaak: a user token must not get it queued
    "POST /api/v1/applications/{application_id}/letters": Probe(body={"kind": "lbbNotice"}),
    "POST /api/v1/applications/{application_id}/dossier-exports": Probe(body={"recipient": "court"}),
    "POST /api/v1/privacy/subject-access": Probe(body={"address": ADDRESS}),
    "PUT /api/v1/applications/{application_id}/permit-zaak": Probe(
        body={"url": "https://zgw.test/zaken/api/v1/zaken/1"}
    ),
    "GET /api/v1/consultations": Probe(params=PAGE),
    "POST /api/v1/consultations/{consultation_id}/questions": Probe(body={}, if_match="stale"),
    "POST /api/v1/consultations/{consultation_id}/answers": Probe(body={"nothingToShare": True}, if_match="stale"),
    "POST /api/v1/applications/{application_id}/conditions": Probe(
        body={"text": "Sluitingstijd 01.00 uur naleven", "dueOn": "2027-03-01", "owner": "toezichthouder-1"}
    ),
    "POST /api/v1/applications/{application_id}/condition-checks": Probe(body={}),
}


def _case_now(engine: sa.Engine, case_id: str) -> tuple[int, list[str]]:
    """The stored version and members of a case (read past the API: the cell's role may not see them)."""
    with engine.connect() as conn:
        version = conn.execute(sa.select(cases.c.version).where(cases.c.id == case_id)).scalar_one()
        members = conn.execute(sa.select(case_members.c.user).where(case_members.c.case_id == case_id)).scalars()
        return int(version), sorted(members)


@attrs.frozen
class Cell:
    role: str
    row: Row
    which: str  # "own", "foreign", or "-" (no particular dossier)

    @property
    def expected(self) -> str:
        mark = self.row.cells[self.role]
        if mark == "x":
            return "refused"
        if self.which == "-":
            return "allowed" if mark == "+" else "hidden"
        return "allowed" if (mark == "of" or (mark == "o" and self.which == "own")) else "hidden"

    @property
    def key(self) -> tuple[str, str, str]:
        return self.role, self.row.operation, self.which


def _resource(row: Row) -> str | None:
    if row.operation in TARGETS:
        return TARGETS[row.operation].resource
    params = [name for name in PATH_RESOURCES if "{" + name + "}" in row.path]
    return PATH_RESOURCES[params[0]] if params else LIST_RESOURCES.get(f"{row.method} {row.path}")


def _cells(rows: list[Row]) -> list[Cell]:
    return [
        Cell(role, row, which)
        for row in rows
        for role in ROLES
        for which in (("own", "foreign") if _resource(row) else ("-",))
    ]


def _fresh_token(engine: sa.Engine, role: str) -> str:
    with engine.begin() as conn:
        return create_token(conn, f"{role}-1", Role(role))


def _run(client: Client, engine: sa.Engine, tokens: dict[str, str], world: World, cell: Cell) -> str:
    """One request with the role's token; its outcome: allowed, hidden, or the unexpected status."""
    resource = _resource(cell.row)
    target = world.object_id(resource, cell.role, cell.which) if resource else ""
    path = cell.row.path.replace("{questionnaire_id}", QUESTIONNAIRE).replace("{mapping_id}", "horeca-leusden")
    if "{" in path and resource:
        path = path.replace(f"{{{resource}_id}}", target)
        path = path.replace("{evidence_id}", world.evidence.get(target, "unknown"))
        path = path.replace("{letter_id}", world.letters.get(target, "unknown")).replace("{file_format}", "pdf")
    probe = PROBES.get(cell.row.operation, Probe())
    headers = bearer(_fresh_token(engine, cell.role) if probe.fresh_token else tokens[cell.role], "toegangsmatrix")
    body, params = probe.body, probe.params
    named = TARGETS.get(cell.row.operation)
    if named is not None and named.where == "body":
        body = {**body, named.field: target}
    elif named is not None:
        params = {**params, named.field: target}
    if probe.if_match == "stale":
        headers["If-Match"] = STALE
    elif probe.if_match == "current":
        version, members = _case_now(engine, target)
        headers["If-Match"] = f'"{version}"'
        body = {"type": "membersChanged", "members": members}
    response = client.request(
        cell.row.method, path, headers=headers, params=params, json=body if body is not None else None
    )
    status = response.status_code
    if status == 404:
        return "hidden"
    if status in (401, 403) and response.headers.get("content-type", "").startswith("application/problem+json"):
        return "refused"
    if not 200 <= status < 500:
        return f"status {status}"
    listed_by = named.listed if named is not None else ""
    if status >= 400 or not (listed_by or f"{cell.row.method} {cell.row.path}" in LIST_RESOURCES):
        return "allowed"
    field = listed_by or ("ownerId" if cell.row.path.endswith("/subjects/_search") else "id")
    listed = [item.get(field) for item in response.json()["results"]]
    return "allowed" if target in listed else "hidden"


def test_every_role_reaches_exactly_the_dossiers_the_access_table_allows(
    client: Client, tokens: dict[str, str], world: World, database_url: str
) -> None:
    started = time.perf_counter()
    rows = expected_rows()
    document = client.get(f"{API}/openapi.json").json()
    base = document["servers"][0]["url"]  # the paths are relative to the server URL, which carries /api/v1
    served = {
        f"{method.upper()} {base}{path}"
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and method in ("get", "post", "put", "patch", "delete")
    }
    tabled = {f"{row.method} {row.path}" for row in rows}
    assert not served - tabled, f"operations without a row in the access matrix: {sorted(served - tabled)}"
    stale = sorted(tabled - served - NOT_IN_DOCUMENT)
    assert not stale, f"rows for operations the API lacks: {stale}"
    assert set(PROBES) <= {row.operation for row in rows}, "a probe for an operation the table does not name"

    engine = create_engine_for(database_url)
    try:
        cells = _cells(rows)
        outcomes = {cell.key: (cell, _run(client, engine, tokens, world, cell)) for cell in cells}
    finally:
        engine.dispose()
    mismatches = {key: (cell.expected, got) for key, (cell, got) in outcomes.items() if got != cell.expected}
    known = {key: value for key, value in mismatches.items() if key in KNOWN_BUGS}
    unexpected = {key: value for key, value in mismatches.items() if key not in KNOWN_BUGS}
    fixed = sorted(set(KNOWN_BUGS) - set(known))
    elapsed = time.perf_counter() - started
    summary = (
        f"{len(cells)} cells checked ({len(rows)} operations × {len(ROLES)} roles × own/foreign), "
        f"{len(unexpected)} mismatched, {len(known)} known bugs skipped ({elapsed:.1f} s)"
    )
    lines = [summary, *(f"  known bug {r} {o} [{w}]: {KNOWN_BUGS[(r, o, w)]}" for r, o, w in sorted(known))]
    report("access matrix", "\n".join(lines))
    print("\n".join(lines))
    readable = [
        f"{role:20} {operation:72} {which:8} expected {want}, got {got}"
        for (role, operation, which), (want, got) in sorted(unexpected.items())
    ]
    assert not unexpected, "access matrix mismatches:\n" + "\n".join(readable)
    assert not fixed, f"KNOWN_BUGS cells that now match the table (remove them): {fixed}"
