"""A letter into a fake zaaksysteem: one document, related to the permit zaak only, once, and clean refusals."""

from __future__ import annotations

import base64
import datetime as dt

import attrs
import pytest

from bibob.clients import DocumentInterrupted, DocumentState, LetterDocument, mirror_letter
from bibob.exceptions import InvalidInputError
from tests.bibob.clients.fakes import run
from tests.bibob.clients.test_zgw import CATALOGUE, PERMIT_ZAAK, settings
from tests.bibob.clients.zgw_fake import DOCUMENTEN, FakeZgw

INFORMATIEOBJECTTYPE = f"{CATALOGUE}/informatieobjecttypen/brief-aan-aanvrager"
PDF_BYTES = b"%PDF-1.7\n% a synthetic letter for the tests\n%%EOF\n"
LETTER = LetterDocument(
    letter_id="0b7f8e1c-1111-4222-8333-944455556666", title="Voornemen tot weigering exploitatievergunning",
    file_name="voornemen-weigering.pdf", created_on=dt.date(2026, 11, 2), author="coordinator-1", pdf=PDF_BYTES,
    permit_zaak=PERMIT_ZAAK,
)  # fmt: skip
DOCUMENT, RELATION = ("POST", "/documenten/api/v1/enkelvoudiginformatieobjecten"), (
    "POST", "/zaken/api/v1/zaakinformatieobjecten",
)  # fmt: skip


NOTHING_SENT = DocumentState()


def send(fake: FakeZgw, state: DocumentState = NOTHING_SENT, letter: LetterDocument = LETTER,
         informatieobjecttype: str = INFORMATIEOBJECTTYPE) -> DocumentState:  # fmt: skip
    async def go() -> DocumentState:
        async with fake.client() as client:
            return await mirror_letter(client, settings(), DOCUMENTEN, informatieobjecttype, letter, state)

    return run(go())


def test_a_letter_becomes_one_confidential_dutch_pdf_document_related_to_the_permit_zaak() -> None:
    fake = FakeZgw()
    state = send(fake)
    assert fake.log == [DOCUMENT, RELATION]
    (document,) = fake.of_kind("enkelvoudiginformatieobjecten")
    assert base64.b64decode(document["inhoud"]) == PDF_BYTES
    assert (document["taal"], document["formaat"], document["vertrouwelijkheidaanduiding"]) == (
        "dut", "application/pdf", "vertrouwelijk",
    )  # fmt: skip
    assert document["informatieobjecttype"] == INFORMATIEOBJECTTYPE
    assert (document["titel"], document["creatiedatum"], document["bronorganisatie"]) == (
        LETTER.title, "2026-11-02", settings().rsin,
    )  # fmt: skip
    (relation,) = fake.of_kind("zaakinformatieobjecten")
    assert (relation["zaak"], relation["informatieobject"]) == (PERMIT_ZAAK, state.document)
    assert state.relations == {PERMIT_ZAAK: relation["url"]}


def test_the_zaaksysteem_is_told_which_official_made_the_letter() -> None:
    fake = FakeZgw()
    send(fake)
    assert {claims["user_id"] for claims in fake.tokens} == {"coordinator-1"}


def test_sending_again_with_the_state_it_returned_makes_no_request() -> None:
    fake = FakeZgw()
    state = send(fake)
    fake.log.clear()
    assert send(fake, DocumentState.from_json(state.to_json())) == state
    assert fake.log == []


def test_a_lost_answer_to_the_document_adopts_the_first_document_instead_of_making_a_second() -> None:
    fake = FakeZgw(lose={1: 504})
    with pytest.raises(DocumentInterrupted) as lost:
        send(fake)
    assert lost.value.state == DocumentState()
    state = send(fake, lost.value.state)
    assert len(fake.of_kind("enkelvoudiginformatieobjecten")) == 1
    assert state.document == fake.of_kind("enkelvoudiginformatieobjecten")[0]["url"]
    assert len(fake.of_kind("zaakinformatieobjecten")) == 1


def test_a_lost_answer_to_the_relation_adopts_the_first_relation_instead_of_making_a_second() -> None:
    fake = FakeZgw(lose={2: 504})
    with pytest.raises(DocumentInterrupted) as lost:
        send(fake)
    assert lost.value.state.document and not lost.value.state.relations
    state = send(fake, lost.value.state)
    (relation,) = fake.of_kind("zaakinformatieobjecten")
    assert state.relations == {PERMIT_ZAAK: relation["url"]}
    assert len(fake.of_kind("enkelvoudiginformatieobjecten")) == 1


def test_without_a_permit_zaak_the_document_is_made_and_related_once_the_zaak_is_known() -> None:
    fake = FakeZgw()
    state = send(fake, letter=attrs.evolve(LETTER, permit_zaak=""))
    assert fake.log == [DOCUMENT] and state.relations == {}
    later = send(fake, state)
    assert fake.log == [DOCUMENT, RELATION] and later.document == state.document


def test_a_refused_document_stops_with_the_status_and_what_was_made() -> None:
    fake = FakeZgw(fail={1: 403})
    with pytest.raises(DocumentInterrupted) as refused:
        send(fake)
    assert refused.value.status == 403 and refused.value.state == DocumentState()
    assert fake.of_kind("enkelvoudiginformatieobjecten") == []


def test_a_letter_that_cannot_go_names_every_problem_and_sends_nothing() -> None:
    fake = FakeZgw()
    bad = attrs.evolve(LETTER, title=" ", author="", pdf=b"PK\x03\x04docx", confidentiality="heel geheim",
                       permit_zaak="zaak-1")  # fmt: skip
    with pytest.raises(InvalidInputError) as refused:
        send(fake, letter=bad, informatieobjecttype="brief")
    pointers = {problem.pointer for problem in refused.value.problems}
    assert pointers == {"/informatieobjecttype", "/title", "/author", "/pdf", "/confidentiality", "/permitZaak"}
    assert fake.log == []
