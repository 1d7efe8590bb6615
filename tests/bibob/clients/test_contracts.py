"""Contract tests: the clients against cassettes of the KvK test environment and a ZGW installation.

The KvK cassettes are responses recorded from the KvK test environment (by Open Formulieren, see
cassettes/README.md); the ZGW cassette was written by hand. Re-record with `--vcr-record=all` and the
environment variables below where the registers can be reached.
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
from bibob.legal import DecisionOutcome
from bibob.parties import Address, LegalForm
from tests.bibob.clients.fakes import run

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
def test_kvk_zoeken_by_kvk_number_finds_the_main_and_a_secondary_branch() -> None:
    page = run(_with_client(lambda c: kvk.search(c, KVK, kvk_number="69599084")))
    assert (page.page, page.per_page, page.total) == (1, 10, 2)
    found = {(r.type, r.branch_number, r.name) for r in page.results}
    assert found == {("nevenvestiging", "000038509520", "Test EMZ Nevenvestiging Govert"),
                     ("hoofdvestiging", "000038509504", "Test EMZ Dagobert")}  # fmt: skip
    cities = {r.branch_number: (r.address.street, r.address.city) for r in page.results if r.address}
    assert cities == {"000038509520": ("Geneinde", "Maastricht"), "000038509504": ("Abebe Bikilalaan", "Amsterdam")}


@pytest.mark.vcr
def test_kvk_zoeken_without_results_is_an_empty_page() -> None:
    page = run(_with_client(lambda c: kvk.search(c, KVK, kvk_number="12345678")))
    assert (page.total, page.results) == (0, ())


@pytest.mark.vcr
def test_kvk_zoeken_by_branch_number() -> None:
    page = run(_with_client(lambda c: kvk.search(c, KVK, branch_number="990000541921")))
    ((hit),) = page.results
    assert (hit.kvk_number, hit.branch_number, hit.name, hit.type) == (
        "90001354", "990000541921", "Grand Joyflex B.V.", "hoofdvestiging"
    )  # fmt: skip
    assert hit.address is not None and (hit.address.city, hit.address.street) == ("Sterksel", "")
    assert run(_with_client(lambda c: kvk.search(c, KVK, branch_number="665544332211"))).results == ()


@pytest.mark.vcr
def test_kvk_zoeken_by_rsin() -> None:
    page = run(_with_client(lambda c: kvk.search(c, KVK, rsin="992760562")))
    assert [(r.kvk_number, r.rsin) for r in page.results] == [("90001354", "992760562")]
    assert run(_with_client(lambda c: kvk.search(c, KVK, rsin="123456782"))).total == 0


@pytest.mark.vcr
def test_kvk_basisprofiel_of_the_test_eenmanszaak() -> None:
    profile = run(_with_client(lambda c: kvk.basic_profile(c, KVK, "69599084")))
    assert profile is not None and profile.legal_form is LegalForm.EENMANSZAAK
    assert (profile.name, profile.statutory_name, profile.non_mailing) == ("Test EMZ Dagobert", "", True)
    assert profile.owner is not None and profile.owner.rsin == ""  # an eenmanszaak has no RSIN
    assert profile.trade_names[:2] == ("Test EMZ Dagobert", "Tweede handelsnaam 1MZ") and len(profile.trade_names) == 8
    assert [a.code for a in profile.sbi_activities] == ["10110", "10120", "10130"] and profile.sbi_activities[0].main
    assert (profile.registration.registered_on, profile.registration.started_on) == (
        dt.date(2017, 7, 10), dt.date(2017, 1, 8)
    )  # fmt: skip
    visiting = profile.business_address
    assert visiting is not None and (visiting.house_letter, visiting.addition, visiting.po_box) == ("M", "", None)
    assert (visiting.address.street, visiting.address.house_number, visiting.address.house_number_addition) == (
        "Abebe Bikilalaan", 17, "M"
    )  # fmt: skip
    assert (visiting.address.postcode, visiting.address.city, visiting.shielded) == ("1034WL", "Amsterdam", False)
    assert profile.main_branch is not None and profile.main_branch.branch_number == "000038509504"


@pytest.mark.vcr
def test_kvk_basisprofiel_of_the_test_vve() -> None:
    profile = run(_with_client(lambda c: kvk.basic_profile(c, KVK, "90000749")))
    assert profile is not None and (profile.name, profile.statutory_name) == ("Global Conron", "Global Conron")
    assert profile.owner is not None and profile.owner.rsin == "992340597"
    assert profile.owner.extended_legal_form_text == "Vereniging van Eigenaars" and profile.legal_form is None
    assert profile.main_branch is None  # a VvE has no hoofdvestiging: the owner's address is the business address
    address = profile.business_address
    assert address is not None and (address.address.street, address.address.house_number) == ("Blaauwweg", 163)


@pytest.mark.vcr
def test_kvk_basisprofiel_of_an_unknown_number_is_none() -> None:
    assert run(_with_client(lambda c: kvk.basic_profile(c, KVK, "12345678"))) is None


@pytest.mark.vcr
def test_kvk_vestigingsprofiel_of_the_eenmanszaak_main_branch() -> None:
    branch = run(_with_client(lambda c: kvk.branch_profile(c, KVK, "000038509504")))
    assert branch is not None and (branch.kvk_number, branch.is_main, branch.is_commercial) == ("69599084", True, True)
    assert (branch.rsin, branch.statutory_name, branch.non_mailing) == ("", "", True)  # an eenmanszaak has neither
    assert branch.first_trade_name == "Test EMZ Dagobert" and len(branch.trade_names) == 4 and branch.employees == 1
    visiting = branch.visiting_address
    assert visiting is not None and (visiting.house_letter, visiting.address.house_number) == ("M", 17)


@pytest.mark.vcr(match_on=("method", "scheme", "host", "port", "path", "query", "json_body"))
def test_zgw_mirror_of_a_case_with_a_refusal() -> None:
    """Every request body must be the recorded one: a change to what the mirror sends fails until re-recorded."""
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
