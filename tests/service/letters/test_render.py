"""Every letter as .docx and PDF: the same required parts read back out of both files."""

from __future__ import annotations

import attrs
import pytest

from bibob.exceptions import InvalidInputError
from bibob.letters import FORBIDDEN_WORDS, LetterKind, Municipality, compose, load_municipality
from bibob.policy import Policy, load_policy
from bibob.questionnaires import Catalogue
from bibob.terms import AtwCalendar, dutch_date, load_calendar
from service.letters import to_docx, to_pdf
from service.letters.render import font_files
from tests.bibob.letters.worked import REQUIRED, WORKED, worked_input
from tests.conftest import SCENARIOS
from tests.service.letters.readback import docx_text, flat, needs_pdftotext, pdf_text

K = LetterKind
REFUSAL = SCENARIOS / "s05-serious-refusal-possible.json"
#: The heading each named section shows in the letter.
HEADINGS = {"grounds": "Onze conclusie", "facts": "De feiten en omstandigheden", "proportionality": "Evenredigheid",
            "conditions": "Voorschriften", "missing": "Wat ontbreekt", "questions": "De vragen",
            "view": "Uw zienswijze", "secrecy": "Geheimhouding"}  # fmt: skip
#: The refusal scenario and every worked scenario: each letter of each, written to both files and read back.
SCENARIOS_RENDERED = [REFUSAL, *WORKED]


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


@pytest.fixture(scope="module")
def calendar() -> AtwCalendar:
    return load_calendar()


@pytest.fixture(scope="module")
def leusden() -> Municipality:
    return load_municipality()


def _expected_phrases(kind: LetterKind, letter_text: str) -> list[str]:
    """The headings of the kind's required parts, and the objection term's date for a decision."""
    phrases = [HEADINGS[name] for name in REQUIRED[kind] if name in HEADINGS]
    if kind.is_decision:
        phrases.append("Beroep" if kind is K.OBJECTION_DECISION else "Bezwaar")
        phrases.append("uiterlijk op")
    return phrases


@needs_pdftotext
@pytest.mark.parametrize("kind", list(REQUIRED), ids=lambda k: k.value)
@pytest.mark.parametrize("path", SCENARIOS_RENDERED, ids=lambda p: p.stem[:3])
def test_each_letter_reads_back_with_its_required_parts_from_both_the_docx_and_the_pdf(
    path: object, kind: LetterKind, leusden: Municipality, calendar: AtwCalendar, catalogue: Catalogue,
    policy: Policy,
) -> None:  # fmt: skip
    try:
        letter = compose(kind, worked_input(path, kind, leusden, calendar, catalogue, policy))  # type: ignore[arg-type]
    except InvalidInputError as refused:  # nothing to rest a negative decision on: not written (Awb 3:46)
        assert [p.code for p in refused.problems] == ["letters.noFacts"]  # noqa: PT017
        return
    from_docx, from_pdf = flat(docx_text(to_docx(letter))), pdf_text(to_pdf(letter))
    objection = letter.section("objection")
    for text in (from_docx, from_pdf):
        assert [p for p in _expected_phrases(kind, letter.text) if p not in text] == []
        assert letter.subject in text and dutch_date(letter.date) in text and letter.reference in text
        assert leusden.signatory.name in text and leusden.letterhead[0] in text
        assert [word for word in FORBIDDEN_WORDS if word in text.lower()] == []
        if objection is not None:
            assert flat(objection.paragraphs[0]) in text  # the clause with its computed date, word for word


@needs_pdftotext
@pytest.mark.parametrize("enclosed", [True, False])
def test_the_secrecy_warning_is_in_both_files_exactly_when_the_advice_copy_is_enclosed(
    enclosed: bool, leusden: Municipality, calendar: AtwCalendar, catalogue: Catalogue, policy: Policy
) -> None:
    source = worked_input(REFUSAL, K.INTENTION, leusden, calendar, catalogue, policy, advice_enclosed=enclosed)
    letter = compose(K.INTENTION, source)
    for text in (flat(docx_text(to_docx(letter))), pdf_text(to_pdf(letter))):
        assert ("geheim te houden (artikel 28 lid 3 Wet Bibob)" in text) is enclosed
        assert ("VERTROUWELIJK" in text) is enclosed


@needs_pdftotext
def test_amounts_and_the_letterhead_of_another_template_come_through_in_the_pdf(
    leusden: Municipality, calendar: AtwCalendar, catalogue: Catalogue, policy: Policy
) -> None:
    other = attrs.evolve(leusden, letterhead=("Gemeente Elders", "Postbus 2"), name="Gemeente Elders")
    letter = compose(K.DECISION_REFUSAL, worked_input(REFUSAL, K.DECISION_REFUSAL, other, calendar, catalogue, policy))
    text = pdf_text(to_pdf(letter))
    assert "Gemeente Elders" in text and "Gemeente Leusden" not in text
    assert "€ 12.500" in text and "€ 80.000" in text


def test_the_pdf_is_archival_pdf_a_2b_with_its_font_embedded_when_the_system_has_one(
    leusden: Municipality, calendar: AtwCalendar, catalogue: Catalogue, policy: Policy
) -> None:
    if font_files() is None:
        pytest.skip("no TrueType font (fonts-liberation or fonts-dejavu): the PDF falls back to core Helvetica")
    letter = compose(K.LBB_NOTICE, worked_input(REFUSAL, K.LBB_NOTICE, leusden, calendar, catalogue, policy))
    content = to_pdf(letter)
    assert b"<pdfaid:part>2</pdfaid:part>" in content and b"<pdfaid:conformance>B</pdfaid:conformance>" in content
    assert b"/GTS_PDFA1" in content and b"/FontFile2" in content  # an output intent, and the font embedded
