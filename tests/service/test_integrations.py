"""External registers in the service: the ZGW mirror runs from the job table and never loses local work."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import attrs
import httpx
import pytest

from bibob import AssessmentRequest, Questionnaire, assess
from bibob.clients import KvkSettings
from bibob.clients._http import Retry
from bibob.legal import DecisionOutcome, PermitType
from bibob.matching import ReviewLedger
from bibob.policy import load_policy
from bibob.screening import declaration_from_answers
from bibob.undermining import Case, Confidentiality, Subjects, case_to_json, link_decision
from service.auth import Principal, Role
from service.integrations import MIRROR, Integrations, mirror_due_cases, register_profiles, snapshot_of
from service.store import jobs
from service.store.cases import create_case
from service.store.engine import create_engine_for
from service.store.migrate import migrate
from service.store.tables import disclosures
from tests.bibob.clients.test_zgw import settings as zgw_settings
from tests.bibob.clients.zgw_fake import FakeZgw
from tests.bibob.undermining.test_evidence import BV, DIRECTOR, NOW, case, decision
from tests.conftest import answers

ADVISOR = Principal("safetyAdvisor-1", Role.SAFETY_ADVISOR)


def refused_case(horeca: Questionnaire) -> Case:
    links = link_decision(decision(horeca), [case("C-9", Subjects(persons=(DIRECTOR,)))], [], ReviewLedger(), NOW)
    (changed,) = links.cases
    return changed


@pytest.fixture
def engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'bibob.sqlite3'}"
    migrate(url)
    engine = create_engine_for(url)
    yield engine
    engine.dispose()


def _store(engine, domain_case: Case) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        create_case(conn, ADVISOR, case_id=domain_case.id, status=domain_case.state.value,
                    confidentiality=domain_case.confidentiality.value, document=case_to_json(domain_case))  # fmt: skip
        jobs.request_job(conn, MIRROR, domain_case.id)


def configured() -> Integrations:
    statustypen = {"investigation": "https://zgw.test/catalogi/api/v1/statustypen/onderzoek"}
    zgw = attrs.evolve(zgw_settings(), statustypen=statustypen)
    return Integrations(zgw=zgw, besluittype="https://zgw.test/catalogi/api/v1/besluittypen/w")


async def _mirror(engine, fake: FakeZgw, integrations: Integrations) -> int:  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(transport=httpx.MockTransport(fake)) as client:
        return await mirror_due_cases(engine, client, integrations)


def test_the_snapshot_carries_the_linked_refusal_and_the_zgw_confidentiality(horeca: Questionnaire) -> None:
    snapshot = snapshot_of(refused_case(horeca), "https://catalogi/besluittypen/weigering")
    assert snapshot.confidentiality == Confidentiality.CONFIDENTIAL.zgw
    ((decided),) = snapshot.decisions
    assert decided.outcome is DecisionOutcome.REFUSED_BIBOB
    assert snapshot.roles[0].generic_role == "behandelaar"


def test_a_due_mirror_job_mirrors_the_case_and_finishes(horeca: Questionnaire, engine) -> None:  # type: ignore[no-untyped-def]
    fake = FakeZgw()
    _store(engine, refused_case(horeca))
    integrations = configured()
    finished = asyncio.run(_mirror(engine, fake, integrations))
    assert finished == 1
    with engine.connect() as conn:
        done = jobs.job(conn, MIRROR, "C-9")
    assert done.status == "done"
    assert done.state["zaak"].startswith("https://zgw.test/zaken/api/v1/zaken/")


def test_a_failing_zaaksysteem_leaves_the_job_pending_with_its_reason(horeca: Questionnaire, engine) -> None:  # type: ignore[no-untyped-def]
    fake = FakeZgw(fail={1: 503, 2: 503, 3: 503})
    _store(engine, refused_case(horeca))
    finished = asyncio.run(_mirror(engine, fake, configured()))
    assert finished == 0
    with engine.connect() as conn:
        pending = jobs.job(conn, MIRROR, "C-9")
    assert (pending.status, pending.attempts) == ("pending", 1)
    assert pending.last_error == "de dienst is tijdelijk niet beschikbaar (error)"


def test_without_kvk_settings_the_assessment_goes_on_without_register_checks(horeca: Questionnaire) -> None:
    declaration = declaration_from_answers(horeca, answers(BV))
    profiles, status = asyncio.run(register_profiles(httpx.AsyncClient(), None, declaration))
    assert (profiles, status) == ({}, "KvK-controle niet ingesteld")


def test_an_unreachable_kvk_never_blocks_the_assessment(horeca: Questionnaire) -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("geen verbinding", request=request)

    declaration = declaration_from_answers(horeca, answers(BV))
    kvk = KvkSettings("sleutel-die-geheim-blijft", retry=Retry(retries=0))

    async def run() -> tuple[dict[str, object], str]:
        async with httpx.AsyncClient(transport=httpx.MockTransport(down)) as client:
            return await register_profiles(client, kvk, declaration)  # type: ignore[return-value]

    profiles, status = asyncio.run(run())
    assert profiles == {}
    assert status.startswith("KvK niet bereikbaar")
    assert "sleutel" not in status


def test_a_misconfigured_mirror_stops_shows_why_and_resumes_only_when_asked_again(
    horeca: Questionnaire, engine
) -> None:  # type: ignore[no-untyped-def]
    _store(engine, refused_case(horeca))  # the settings map no statustype for 'investigation'
    assert asyncio.run(_mirror(engine, FakeZgw(), Integrations(zgw=zgw_settings()))) == 0
    with engine.connect() as conn:
        stopped = jobs.job(conn, MIRROR, "C-9")
        assert jobs.due_jobs(conn, MIRROR, now=NOW + dt.timedelta(days=30)) == ()  # no retry: it would fail alike
    assert stopped.status == "failed"
    assert "geen statustype voor status 'investigation'" in stopped.last_error
    with engine.begin() as conn:
        assert jobs.request_job(conn, MIRROR, "C-9").status == "pending"  # after the settings are fixed


def test_a_request_the_zaaksysteem_refuses_stops_retrying_and_a_passing_outage_does_not(
    horeca: Questionnaire, engine
) -> None:  # type: ignore[no-untyped-def]
    _store(engine, refused_case(horeca))
    assert asyncio.run(_mirror(engine, FakeZgw(fail={1: 400}), configured())) == 0
    with engine.connect() as conn:
        refused = jobs.job(conn, MIRROR, "C-9")
    assert (refused.status, refused.attempts) == ("failed", 1)
    with engine.begin() as conn:
        jobs.request_job(conn, MIRROR, "C-9")
    assert asyncio.run(_mirror(engine, FakeZgw(fail={1: 503, 2: 503, 3: 503}), configured())) == 0
    with engine.connect() as conn:
        assert jobs.job(conn, MIRROR, "C-9").status == "pending"


def test_the_zaaksysteem_is_told_which_official_made_the_change(horeca: Questionnaire, engine) -> None:  # type: ignore[no-untyped-def]
    fake = FakeZgw()
    case = refused_case(horeca)
    _store(engine, case)
    assert asyncio.run(_mirror(engine, fake, configured())) == 1
    assert {(claims["user_id"], claims["user_representation"]) for claims in fake.tokens} == {
        (case.history[-1].by, case.history[-1].by)
    }


def test_nothing_of_the_findings_reaches_the_zgw_mirror_and_each_besluit_sent_is_a_disclosure_art_28(
    horeca: Questionnaire, engine
) -> None:  # type: ignore[no-untyped-def]
    """Art. 28 Wet Bibob: the zaaksysteem gets the decision (outcome, date, grounds), never what the screening found."""
    document = answers(BV)
    request = AssessmentRequest(horeca, document, NOW.date(), PermitType.EXPLOITATIE_HORECA)
    findings = assess(request, load_policy()).findings
    assert findings  # the BV's answers give findings the decision rests on
    fake = FakeZgw()
    _store(engine, refused_case(horeca))
    assert asyncio.run(_mirror(engine, fake, configured())) == 1
    sent = json.dumps(fake.bodies, ensure_ascii=False)
    for finding in findings:
        assert finding.explanation not in sent and finding.code not in sent
    assert "Besluit van " in sent and "Referentie: aanvraag A-7" in sent
    with engine.connect() as conn:
        rows = conn.execute(disclosures.select()).mappings().all()
    assert [(r["dossier_id"], r["direction"], r["legal_basis"]) for r in rows] == [
        ("A-7", "out", "art28Lid1DecisionForZaaksysteem")
    ]
    assert rows[0]["recipient"].startswith("zaaksysteem (ZGW), zaak https://zgw.test/") and rows[0]["by"]
    assert asyncio.run(_mirror(engine, fake, configured())) == 0  # nothing due: no second record
