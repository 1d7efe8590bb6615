"""Contract tests: the clients against cassettes of the KvK test environment and a ZGW installation.

The cassettes were written by hand from the published documentation (see cassettes/README.md); re-record
them with `--vcr-record=all` and the environment variables below where the registers can be reached.
"""

from __future__ import annotations

import datetime as dt
import os

import httpx
import pytest

from bibob.clients import (
    CaseSnapshot,
    KvkSettings,
    LinkedDecision,
    MirrorState,
    ZgwSettings,
    address_object,
    employee_role,
    kvk,
    mirror_case,
)
from bibob.clients._http import Retry
from bibob.clients.zgw_values import organisation_role
from bibob.exceptions import UpstreamError
from bibob.legal import DecisionOutcome
from bibob.parties import Address, LegalForm
from tests.bibob.clients.fakes import assert_nothing_leaks, run

KVK = KvkSettings(api_key=os.environ.get("KVK_API_KEY", "not-needed-for-replay"), retry=Retry(retries=0))


def env(name: str, default: str) -> str:
    return os.environ.get(name, default)


ZGW_ROOT = env("ZGW_ROOT", "http://localhost:8000")
CATALOGUE = f"{ZGW_ROOT}/catalogi/api/v1"
ZGW = ZgwSettings(
    zaken_url=f"{ZGW_ROOT}/zaken/api/v1", besluiten_url=f"{ZGW_ROOT}/besluiten/api/v1",
    client_id=env("ZGW_CLIENT_ID", "bibob-test"), secret=env("ZGW_SECRET", "not-needed-for-replay"),
    rsin=env("ZGW_RSIN", "002220647"),
    zaaktype=env("ZGW_ZAAKTYPE", f"{CATALOGUE}/zaaktypen/1b2c3d4e-0000-4000-8000-000000000001"),
    statustypen={"open": env("ZGW_STATUSTYPE", f"{CATALOGUE}/statustypen/1b2c3d4e-0000-4000-8000-000000000002")},
    roltypen={
        "behandelaar": env("ZGW_ROLTYPE_BEHANDELAAR", f"{CATALOGUE}/roltypen/1b2c3d4e-0000-4000-8000-000000000003"),
        "belanghebbende": env(
            "ZGW_ROLTYPE_BELANGHEBBENDE", f"{CATALOGUE}/roltypen/1b2c3d4e-0000-4000-8000-000000000004"
        ),
    },
    retry=Retry(retries=0),
)  # fmt: skip
PERMIT_ZAAK = env("ZGW_PERMIT_ZAAK", f"{ZGW_ROOT}/zaken/api/v1/zaken/0c6f2d1a-7b7e-4d0b-9a3c-5e2f1d0a9b81")


async def _with_client(operation):  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient() as client:
        return await operation(client)


@pytest.mark.vcr
def test_kvk_zoeken_finds_the_test_bv_by_kvk_number() -> None:
    page = run(_with_client(lambda c: kvk.search(c, KVK, kvk_number="68750110")))
    assert page.total >= 1
    assert {r.kvk_number for r in page.results} == {"68750110"}
    assert {r.type for r in page.results} <= kvk.SEARCH_TYPES


@pytest.mark.vcr
def test_kvk_zoeken_without_results_is_an_empty_page() -> None:
    page = run(_with_client(lambda c: kvk.search(c, KVK, name="Bestaat Niet Testbedrijf")))
    assert (page.total, page.results) == (0, ())


@pytest.mark.vcr
def test_kvk_basisprofiel_of_the_test_bv() -> None:
    profile = run(_with_client(lambda c: kvk.basic_profile(c, KVK, "68750110")))
    assert profile is not None and profile.kvk_number == "68750110"
    assert profile.legal_form is LegalForm.BV
    assert profile.registration.founded_on is not None and profile.sbi_activities
    assert profile.main_branch is not None and profile.main_branch.is_main is True
    assert profile.business_address is not None and profile.business_address.address.postcode


@pytest.mark.vcr
def test_kvk_basisprofiel_of_the_test_eenmanszaak() -> None:
    profile = run(_with_client(lambda c: kvk.basic_profile(c, KVK, "69599084")))
    assert profile is not None and profile.legal_form is LegalForm.EENMANSZAAK


@pytest.mark.vcr
def test_kvk_vestigingsprofiel_of_the_test_bv_main_branch() -> None:
    branch = run(_with_client(lambda c: kvk.branch_profile(c, KVK, "000037178598")))
    assert branch is not None and branch.kvk_number == "68750110" and branch.is_main is True
    assert branch.sbi_activities and branch.visiting_address is not None


@pytest.mark.vcr
def test_kvk_error_test_number_90004973_is_an_upstream_error(capture: pytest.LogCaptureFixture) -> None:
    with pytest.raises(UpstreamError) as caught:
        run(_with_client(lambda c: kvk.basic_profile(c, KVK, "90004973")))
    assert caught.value.service == "kvk"
    assert_nothing_leaks(("90004973", KVK.api_key), capture, caught.value)


@pytest.mark.vcr
def test_kvk_error_test_number_90002903_is_not_found() -> None:
    assert run(_with_client(lambda c: kvk.basic_profile(c, KVK, "90002903"))) is None


@pytest.mark.vcr
def test_zgw_mirror_of_a_case_with_a_refusal() -> None:
    refusal = LinkedDecision(
        decision_id="D-2026-7", outcome=DecisionOutcome.REFUSED_BIBOB, decided_on=dt.date(2026, 10, 20),
        besluittype=env("ZGW_BESLUITTYPE", f"{CATALOGUE}/besluittypen/1b2c3d4e-0000-4000-8000-000000000006"),
        permit_zaak=PERMIT_ZAAK, explanation="Ernstig gevaar op grond van art. 3 lid 1 sub a en b Wet Bibob.",
    )  # fmt: skip
    snapshot = CaseSnapshot(
        case_id=env("ZGW_CASE_ID", "C-2026-12"), title="Casus Hamersveldseweg", status="open",
        status_changed_at=dt.datetime(2026, 10, 1, 9, 30, tzinfo=dt.UTC), confidentiality="vertrouwelijk",
        started_on=dt.date(2026, 10, 1),
        roles=(employee_role("advisor", "behandelaar", "avv01", "Adviseur Veiligheid"),
               organisation_role("subject:O1", "belanghebbende", "Test BV Donald", kvk_number="68750110")),
        objects=(address_object("address:1", Address("Hamersveldseweg", 12, "", "3833GP", "Leusden")),),
        decisions=(refusal,),
    )  # fmt: skip
    state = run(_with_client(lambda c: mirror_case(c, ZGW, snapshot, MirrorState())))
    assert state.zaak.startswith(ZGW.zaken_url) and [s for s, _ in state.statuses] == ["open"]
    assert set(state.roles) == {"advisor", "subject:O1"} and set(state.objects) == {"address:1"}
    assert state.besluiten["D-2026-7"].startswith(ZGW.besluiten_url) and set(state.besluit_objects) == {"D-2026-7"}
    assert state.related == (PERMIT_ZAAK,)
