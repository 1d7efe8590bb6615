"""Every request the ZGW mirror sends in its scenarios is valid under Open Zaak's Zaken/Besluiten/Documenten schemas."""

from __future__ import annotations

import collections
import datetime as dt
import json
from typing import Any

import attrs
import pytest

from bibob.clients import CaseSnapshot, DocumentInterrupted, DocumentState, MirrorState, address_object, mirror_case
from bibob.clients.zgw_values import house_letter_and_addition
from bibob.parties import Address
from tests.bibob.clients.fakes import run
from tests.bibob.clients.test_zgw import CATALOGUE, SNAPSHOT, settings
from tests.bibob.clients.test_zgw_documents import LETTER
from tests.bibob.clients.test_zgw_documents import send as send_letter
from tests.bibob.clients.zgw_fake import FakeZgw
from tests.figures import report
from tests.zgw import official

CLOSED = {"closed": f"{CATALOGUE}/statustypen/afgesloten"}
SEEN: collections.Counter[str] = collections.Counter()
INVALID: list[str] = []


def closing_settings() -> Any:
    base = settings()
    return attrs.evolve(base, statustypen={**base.statustypen, **CLOSED}, end_status="closed",
                        resultaattype=f"{CATALOGUE}/resultaattypen/afgerond")  # fmt: skip


def sent(fake: FakeZgw, snapshot: CaseSnapshot, state: MirrorState | None = None) -> MirrorState:
    async def go() -> MirrorState:
        async with fake.client() as client:
            return await mirror_case(client, closing_settings(), snapshot, state or MirrorState())

    return run(go())


def checked(fake: FakeZgw) -> list[tuple[str, str]]:
    """Each request body of the fake's log against its official schema; returns (operation, problem) pairs."""
    found = []
    for (method, path), body in zip(fake.log, fake.bodies, strict=True):
        target = official.schema_for(method, path)
        if target is None:
            assert body is None, (method, path)
            continue
        SEEN[target[1]] += 1
        for problem in official.problems(*target, body):
            found.append((f"{method} {path}", problem))
            INVALID.append(f"{method} {path} {problem}")
    versions = (f"Zaken {official.version('zaken')} / Besluiten {official.version('besluiten')} / "
                f"Documenten {official.version('documenten')}")  # fmt: skip
    counts = dict(sorted(SEEN.items()))
    report(
        "zgw schemas", f"{sum(SEEN.values())} requests validated against {versions} ({counts}), {len(INVALID)} invalid"
    )
    return found


ADDRESSES = {
    "plain": Address("Hamersveldseweg", 12, "", "3833GP", "Leusden"),
    "bis": Address("Dorpsstraat", 12, "bis", "3831AB", "Leusden"),
    "letter and addition": Address("Dorpsstraat", 7, "A-2", "3831AB", "Leusden"),
    "no street": Address("", 3, "", "3831AB", "Leusden"),
    "no city": Address("Dorpsstraat", 3, "", "3831AB", ""),
}


def test_mirroring_a_case_with_a_refusal_sends_only_valid_requests() -> None:
    fake = FakeZgw()
    sent(fake, SNAPSHOT)
    assert ("POST", "/besluiten/api/v1/besluiten") in fake.log
    assert checked(fake) == []


def test_closing_a_case_sends_the_resultaat_before_the_end_status_and_all_are_valid() -> None:
    fake = FakeZgw()
    state = sent(fake, SNAPSHOT)
    closed = attrs.evolve(SNAPSHOT, status="closed", result="Exploitatie beëindigd; casus afgerond.",
                          status_changed_at=dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC))  # fmt: skip
    before = len(fake.log)
    state = sent(fake, closed, state)
    assert fake.log[before:] == [("POST", "/zaken/api/v1/resultaten"), ("POST", "/zaken/api/v1/statussen")]
    assert fake.bodies[before]["toelichting"] == "Exploitatie beëindigd; casus afgerond."
    assert state.current_status == "closed" and state.resultaat
    assert checked(fake) == []


def test_nothing_is_written_to_a_closed_zaak_until_a_status_reopens_it() -> None:
    fake = FakeZgw()
    closed = attrs.evolve(SNAPSHOT, status="closed", result="afgerond")
    state = sent(fake, closed)
    assert fake.log[-1] == ("POST", "/zaken/api/v1/statussen")  # closing comes last
    more = attrs.evolve(closed, objects=(*closed.objects, address_object("address:2", ADDRESSES["bis"])))
    before = len(fake.log)
    assert sent(fake, more, state) == state and len(fake.log) == before
    reopened = attrs.evolve(more, status="inProgress")
    sent(fake, reopened, state)
    assert fake.log[before:] == [("POST", "/zaken/api/v1/statussen"), ("POST", "/zaken/api/v1/zaakobjecten")]
    assert checked(fake) == []


@pytest.mark.parametrize("name", sorted(ADDRESSES))
def test_every_address_becomes_a_valid_zaakobject(name: str) -> None:
    fake = FakeZgw()
    sent(fake, attrs.evolve(SNAPSHOT, objects=(address_object("a", ADDRESSES[name], bag_id="0327200000012345"),)))
    assert checked(fake) == []


def test_house_letters_and_additions_are_kept_apart_field_by_field() -> None:
    assert house_letter_and_addition("bis") == ("", "bis")
    assert house_letter_and_addition("A-2") == ("A", "2")
    assert house_letter_and_addition("a") == ("A", "")
    assert house_letter_and_addition(" 3 ") == ("", "3")
    assert house_letter_and_addition("toevoeging") == ("", "")  # too long for BAG: left out, not truncated
    adres = address_object("a", ADDRESSES["letter and addition"], bag_id="0327200000012345").identification
    assert (adres["huisletter"], adres["huisnummertoevoeging"], adres["identificatie"]) == (
        "A",
        "2",
        "0327200000012345",
    )
    incomplete = address_object("a", ADDRESSES["no street"])
    assert (incomplete.object_type, incomplete.other_type) == ("overige", "adres")
    assert incomplete.identification["overigeData"] == {
        "wplWoonplaatsNaam": "Leusden",
        "huisnummer": 3,
        "postcode": "3831AB",
    }


def test_the_validator_catches_what_open_zaak_refuses() -> None:
    """The five refusals of the issue, as the official schemas see them (and so as this test would)."""
    identification = {"identificatie": "", "wplWoonplaatsNaam": "", "huisnummer": 1, "huisletter": "bi"}
    adres = {"zaak": "https://zgw.test/z/1", "objectType": "adres", "relatieomschrijving": "",
             "objectIdentificatie": identification}  # fmt: skip
    assert any("gorOpenbareRuimteNaam" in p for p in official.problems("zaken", "ZaakObjectRequest", adres))
    assert any("too long" in p for p in official.problems("zaken", "ZaakObjectRequest", adres))
    besluit = {"verantwoordelijkeOrganisatie": "002220647", "besluittype": "", "datum": "2026-10-20",
               "ingangsdatum": "2026-10-20"}  # fmt: skip
    assert official.problems("besluiten", "BesluitRequest", besluit)
    assert official.problems("zaken", "RolRequest", {"zaak": "https://x/1", "betrokkeneType": "koning"})
    assert json.dumps(official.problems("zaken", "StatusRequest", {"zaak": "https://x/1"}))  # statustype missing


def test_a_letter_and_its_relation_to_the_permit_zaak_are_valid_documenten_and_zaken_requests() -> None:
    fake = FakeZgw(lose={1: 504, 4: 504})  # both creations lose their answer once: the retries adopt them
    state = None
    for _ in range(3):
        try:
            state = send_letter(fake, state or DocumentState())
        except DocumentInterrupted as lost:
            state = lost.state
    assert len(fake.of_kind("zaakinformatieobjecten")) == len(fake.of_kind("enkelvoudiginformatieobjecten")) == 1
    assert state is not None and state.relations
    assert fake.log.count(("POST", "/zaken/api/v1/zaakinformatieobjecten")) == 2  # the second one adopted the first
    assert ("POST", "/documenten/api/v1/enkelvoudiginformatieobjecten") in fake.log
    assert checked(fake) == []


def test_a_letter_without_a_permit_zaak_is_a_valid_document_alone() -> None:
    fake = FakeZgw()
    send_letter(fake, letter=attrs.evolve(LETTER, permit_zaak=""))
    assert fake.log == [("POST", "/documenten/api/v1/enkelvoudiginformatieobjecten")]
    assert checked(fake) == []


def test_the_validator_catches_a_document_open_zaak_refuses() -> None:
    document = {"bronorganisatie": "002220647", "creatiedatum": "2026-11-02", "titel": "", "auteur": "x",
                "taal": "dutch", "vertrouwelijkheidaanduiding": "heel geheim"}  # fmt: skip
    found = "\n".join(official.problems("documenten", "EnkelvoudigInformatieObjectCreateLockRequest", document))
    assert "informatieobjecttype" in found and "too long" in found and "/titel" in found
    assert "/vertrouwelijkheidaanduiding" in found
    relation = {"zaak": "https://zgw.test/z/1"}
    assert official.problems("zaken", "ZaakInformatieObjectRequest", relation)  # informatieobject missing
