"""Mirroring a case into a fake ZGW zaaksysteem: the calls, no duplicates, resuming, and clean errors."""

from __future__ import annotations

import datetime as dt

import attrs
import httpx
import pytest

from bibob.clients import (
    CaseSnapshot,
    LinkedDecision,
    MirrorInterrupted,
    MirrorState,
    ZgwSettings,
    address_object,
    employee_role,
    mirror_case,
)
from bibob.clients.zgw import jwt_token
from bibob.clients.zgw_values import organisation_role
from bibob.exceptions import InvalidInputError
from bibob.legal import DecisionOutcome
from bibob.parties import Address
from tests.bibob.clients.fakes import Sleeps, assert_nothing_leaks, run
from tests.bibob.clients.zgw_fake import BESLUITEN, CLIENT_ID, ROOT, SECRET, ZAKEN, FakeZgw, verify_jwt

PERMIT_ZAAK = f"{ZAKEN}/zaken/permit-zaak-1"
CATALOGUE = f"{ROOT}/catalogi/api/v1"
BSN, KVK = "123456782", "23456789"


def settings(sleeps: Sleeps | None = None) -> ZgwSettings:
    return ZgwSettings(
        zaken_url=ZAKEN, besluiten_url=BESLUITEN, client_id=CLIENT_ID, secret=SECRET, rsin="002220647",
        zaaktype=f"{CATALOGUE}/zaaktypen/ondermijning",
        statustypen={"open": f"{CATALOGUE}/statustypen/open", "inProgress": f"{CATALOGUE}/statustypen/onderzoek"},
        roltypen={"behandelaar": f"{CATALOGUE}/roltypen/behandelaar",
                  "belanghebbende": f"{CATALOGUE}/roltypen/belanghebbende"},
        retry=(sleeps or Sleeps()).retry(2),
    )  # fmt: skip


REFUSAL = LinkedDecision(
    decision_id="D-2026-7", outcome=DecisionOutcome.REFUSED_BIBOB, decided_on=dt.date(2026, 10, 20),
    besluittype=f"{CATALOGUE}/besluittypen/weigering-exploitatievergunning", permit_zaak=PERMIT_ZAAK,
    explanation="Ernstig gevaar op grond van art. 3 lid 1 sub a en b Wet Bibob.",
)  # fmt: skip
SNAPSHOT = CaseSnapshot(
    case_id="C-2026-12", title="Casus Hamersveldseweg", status="open",
    status_changed_at=dt.datetime(2026, 10, 1, 9, 30, tzinfo=dt.UTC), confidentiality="vertrouwelijk",
    started_on=dt.date(2026, 10, 1),
    roles=(employee_role("advisor", "behandelaar", "avv01", "Adviseur Veiligheid"),
           organisation_role("subject:O1", "belanghebbende", "Eetcafé Het Hoekje B.V.", kvk_number=KVK)),
    objects=(address_object("address:1", Address("Hamersveldseweg", 12, "", "3833GP", "Leusden")),),
    decisions=(REFUSAL,),
)  # fmt: skip
SEQUENCE = [
    ("POST", "/zaken/api/v1/zaken"),
    ("POST", "/zaken/api/v1/statussen"),
    ("POST", "/zaken/api/v1/rollen"),
    ("POST", "/zaken/api/v1/rollen"),
    ("POST", "/zaken/api/v1/zaakobjecten"),
    ("POST", "/besluiten/api/v1/besluiten"),
    ("POST", "/zaken/api/v1/zaakobjecten"),
    ("GET", "/zaken/api/v1/zaken/zaken-1"),
    ("PATCH", "/zaken/api/v1/zaken/zaken-1"),
]
SECRETS = (SECRET, BSN, KVK)


def mirror(
    fake: FakeZgw, state: MirrorState, snapshot: CaseSnapshot = SNAPSHOT, sleeps: Sleeps | None = None
) -> MirrorState:
    async def go() -> MirrorState:
        async with fake.client() as client:
            return await mirror_case(client, settings(sleeps), snapshot, state)

    return run(go())


def interrupted(fake: FakeZgw, state: MirrorState, sleeps: Sleeps | None = None) -> MirrorInterrupted:
    with pytest.raises(MirrorInterrupted) as caught:
        mirror(fake, state, sleeps=sleeps)
    return caught.value


def test_the_jwt_is_hs256_with_the_zgw_claims() -> None:
    token = jwt_token(CLIENT_ID, SECRET, "avv01", "Adviseur Veiligheid", 1_790_000_000)
    assert verify_jwt(token) == {"iss": CLIENT_ID, "iat": 1_790_000_000, "client_id": CLIENT_ID,
                                 "user_id": "avv01", "user_representation": "Adviseur Veiligheid"}  # fmt: skip
    with pytest.raises(AssertionError):
        verify_jwt(token, "another secret")


def test_a_case_with_a_linked_refusal_mirrors_in_the_expected_sequence(capture: pytest.LogCaptureFixture) -> None:
    fake = FakeZgw()
    state = mirror(fake, MirrorState())
    assert fake.log == SEQUENCE
    zaak, status, rol, _, address, besluit, besluit_object, _, patch = fake.bodies
    assert zaak["identificatie"] == "BIBOB-C-2026-12" and zaak["vertrouwelijkheidaanduiding"] == "vertrouwelijk"
    assert zaak["zaaktype"].endswith("/zaaktypen/ondermijning") and zaak["kenmerken"] == [
        {"kenmerk": "C-2026-12", "bron": "bibob"}
    ]
    assert status["datumStatusGezet"] == "2026-10-01T09:30:00+00:00" and status["statustype"].endswith("/open")
    assert (rol["betrokkeneType"], rol["betrokkeneIdentificatie"]["identificatie"]) == ("medewerker", "avv01")
    assert address["objectType"] == "adres" and address["objectIdentificatie"]["postcode"] == "3833GP"
    assert besluit["zaak"] == PERMIT_ZAAK and besluit["datum"] == "2026-10-20"
    assert besluit["toelichting"].startswith("geweigerd op grond van de Wet Bibob.")
    assert (besluit_object["objectType"], besluit_object["object"]) == ("besluit", state.besluiten["D-2026-7"])
    assert patch == {"relevanteAndereZaken": [{"url": PERMIT_ZAAK, "aardRelatie": "onderwerp"}]}
    assert state.zaak == f"{ZAKEN}/zaken/zaken-1" and state.related == (PERMIT_ZAAK,)
    assert set(state.roles) == {"advisor", "subject:O1"} and set(state.besluit_objects) == {"D-2026-7"}
    assert_nothing_leaks(SECRETS, capture)


def test_mirroring_twice_makes_no_call_and_no_duplicate() -> None:
    fake = FakeZgw()
    first = mirror(fake, MirrorState())
    second = mirror(fake, MirrorState.from_json(first.to_json()))
    assert second == first
    assert len(fake.log) == len(SEQUENCE)


def test_a_new_status_adds_one_status_only() -> None:
    fake = FakeZgw()
    first = mirror(fake, MirrorState())
    later = attrs.evolve(SNAPSHOT, status="inProgress", status_changed_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    state = mirror(fake, first, later)
    assert fake.log[len(SEQUENCE) :] == [("POST", "/zaken/api/v1/statussen")]
    assert [s for s, _ in state.statuses] == ["open", "inProgress"]


def test_a_failure_halfway_resumes_without_duplicates(capture: pytest.LogCaptureFixture) -> None:
    fake = FakeZgw(fail={6: 500})  # the besluit
    error = interrupted(fake, MirrorState())
    assert error.status == 500 and error.state.zaak and len(error.state.roles) == 2 and not error.state.besluiten
    assert len(fake.log) == 6  # a POST answered 500 is not repeated: it may have been done
    state = mirror(fake, error.state)
    assert fake.log[6:] == SEQUENCE[5:]
    assert len(fake.of_kind("zaken")) == 1 and len(fake.of_kind("rollen")) == 2
    assert len(fake.of_kind("besluiten")) == 1 and state.related == (PERMIT_ZAAK,)
    assert_nothing_leaks(SECRETS, capture, error)


def test_a_zaak_created_but_whose_answer_was_lost_is_adopted_not_duplicated() -> None:
    fake = FakeZgw(lose={1: 504})
    error = interrupted(fake, MirrorState())
    assert error.state == MirrorState()
    state = mirror(fake, error.state)
    assert fake.log[1:4] == [("POST", "/zaken/api/v1/zaken"), ("GET", "/zaken/api/v1/zaken"),
                             ("POST", "/zaken/api/v1/statussen")]  # fmt: skip
    assert len(fake.of_kind("zaken")) == 1 and state.zaak == f"{ZAKEN}/zaken/zaken-1"


@pytest.mark.parametrize("status", [401, 403])
def test_a_refusal_of_the_zaaksysteem_is_a_clear_error_without_secrets(
    status: int, capture: pytest.LogCaptureFixture
) -> None:
    error = interrupted(FakeZgw(fail={3: status}), MirrorState())
    assert (error.service, error.status) == ("zgw", status) and "toegang geweigerd" in error.reason
    assert set(error.state.roles) == set()
    assert_nothing_leaks(SECRETS, capture, error)


def test_a_wrong_secret_is_refused_by_the_zaaksysteem() -> None:
    error = interrupted(FakeZgw(secret="the real secret"), MirrorState())
    assert error.status == 403 and error.reason.endswith("(permission_denied)")


def test_429_on_a_post_is_retried_after_the_advised_delay() -> None:
    sleeps = Sleeps()
    fake = FakeZgw(fail={1: 429})
    mirror(fake, MirrorState(), sleeps=sleeps)
    assert fake.log[:2] == [("POST", "/zaken/api/v1/zaken")] * 2 and sleeps.seconds == [0.5]
    assert len(fake.of_kind("zaken")) == 1


def test_a_5xx_on_a_read_is_retried() -> None:
    sleeps = Sleeps()
    fake = FakeZgw(fail={8: 502})
    state = mirror(fake, MirrorState(), sleeps=sleeps)
    assert fake.log[7:9] == [("GET", "/zaken/api/v1/zaken/zaken-1")] * 2 and state.related == (PERMIT_ZAAK,)


def test_a_timeout_on_a_post_interrupts_and_on_a_read_is_retried(capture: pytest.LogCaptureFixture) -> None:
    error = interrupted(FakeZgw(fail={2: httpx.ReadTimeout("timed out")}), MirrorState())
    assert error.reason == "geen antwoord binnen 15 s" and error.state.zaak and not error.state.statuses
    assert mirror(FakeZgw(fail={8: httpx.ReadTimeout("timed out")}), MirrorState()).related == (PERMIT_ZAAK,)
    assert_nothing_leaks(SECRETS, capture, error)


def test_a_malformed_answer_interrupts(capture: pytest.LogCaptureFixture) -> None:
    error = interrupted(FakeZgw(garble={3}), MirrorState())
    assert "onleesbaar antwoord" in error.reason and error.state.statuses and not error.state.roles
    assert_nothing_leaks(SECRETS, capture, error)


def test_a_snapshot_the_settings_cannot_mirror_lists_every_problem_and_calls_nobody() -> None:
    fake = FakeZgw()
    wrong = attrs.evolve(SNAPSHOT, status="archived", confidentiality="topgeheim",
                         roles=(employee_role("x", "beslisser", "u1"),))  # fmt: skip
    with pytest.raises(InvalidInputError) as caught:
        mirror(fake, MirrorState(), wrong)
    assert [p.code for p in caught.value.problems] == ["unknownStatustype", "unknownConfidentiality", "unknownRoltype"]
    assert fake.log == []


def test_a_besluit_already_in_the_zaaksysteem_is_only_referred_to() -> None:
    fake = FakeZgw()
    known = attrs.evolve(REFUSAL, besluit_url=f"{BESLUITEN}/besluiten/existing")
    state = mirror(fake, MirrorState(), attrs.evolve(SNAPSHOT, decisions=(known,)))
    assert ("POST", "/besluiten/api/v1/besluiten") not in fake.log
    assert fake.bodies[5]["object"] == f"{BESLUITEN}/besluiten/existing" and state.besluiten == {}


def test_the_settings_never_show_the_secret() -> None:
    assert SECRET not in repr(settings())
