"""Composing the letters: required parts by name, art. 28 discipline, the secrecy warning, terms, templates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest

from bibob.applications import ApplicationState, LbbAdviceReceived, application_from_json
from bibob.exceptions import DefinitionError, InvalidInputError
from bibob.legal import ProportionalityRecord
from bibob.letters import (
    FORBIDDEN_WORDS,
    LbbRequestInput,
    LetterKind,
    Municipality,
    applicable_kinds,
    compose,
    dutch_amount,
    lbb_package,
    load_municipality,
)
from bibob.policy import Policy, load_policy
from bibob.questionnaires import Catalogue
from bibob.screening import Fact, FactSource, KnownInCase
from bibob.terms import AtwCalendar, load_calendar
from tests.bibob.letters.worked import REQUIRED, WORKED, declaration_of, demo_application, demo_document, worked_input
from tests.conftest import SCENARIOS

K = LetterKind
REFUSAL = SCENARIOS / "s05-serious-refusal-possible.json"


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


@pytest.fixture(scope="module")
def calendar() -> AtwCalendar:
    return load_calendar()


@pytest.fixture(scope="module")
def leusden() -> Municipality:
    return load_municipality()


@pytest.mark.parametrize("kind", list(REQUIRED), ids=lambda k: k.value)
@pytest.mark.parametrize("path", WORKED, ids=lambda p: p.stem[:3])
def test_every_letter_of_every_worked_scenario_has_its_required_parts_and_keeps_art28_back(
    path: Path, kind: LetterKind, leusden: Municipality, calendar: AtwCalendar, catalogue: Catalogue, policy: Policy
) -> None:
    source = worked_input(path, kind, leusden, calendar, catalogue, policy)
    try:
        letter = compose(kind, source)
    except InvalidInputError as refused:  # a refusal without facts or advice to rest on is not written (Awb 3:46)
        assert [p.code for p in refused.problems] == ["letters.noFacts"]  # noqa: PT017
        assert source.application.last(LbbAdviceReceived) is None
        assert kind in (K.DECISION_REFUSAL, K.DECISION_WITHDRAWAL, K.INTENTION, K.OBJECTION_DECISION)
        return
    names = [section.name for section in letter.sections]
    assert [name for name in REQUIRED[kind] if name not in names] == []
    assert [word for word in FORBIDDEN_WORDS if word in letter.text.lower()] == []
    assert letter.signature[-2:] == (leusden.signatory.name, leusden.signatory.function)


@pytest.mark.parametrize("kind", [K.INTENTION, K.DECISION_REFUSAL], ids=lambda k: k.value)
@pytest.mark.parametrize("enclosed", [True, False])
def test_the_secrecy_warning_appears_exactly_when_an_advice_copy_is_enclosed(
    kind: LetterKind, enclosed: bool, leusden: Municipality, calendar: AtwCalendar, catalogue: Catalogue,
    policy: Policy,
) -> None:  # fmt: skip
    source = worked_input(REFUSAL, kind, leusden, calendar, catalogue, policy, advice_enclosed=enclosed)
    letter = compose(kind, source)
    assert (letter.section("secrecy") is not None) is enclosed
    assert ("artikel 28 lid 3" in letter.text) is enclosed
    assert any("advies van het Landelijk Bureau Bibob" in e for e in letter.enclosures) is enclosed
    assert letter.confidential is enclosed


def test_enclosing_an_advice_copy_when_no_advice_was_received_is_refused(
    leusden: Municipality, calendar: AtwCalendar, catalogue: Catalogue, policy: Policy
) -> None:
    source = worked_input(REFUSAL, K.LBB_NOTICE, leusden, calendar, catalogue, policy, advice_enclosed=True)
    with pytest.raises(InvalidInputError) as raised:
        compose(K.LBB_NOTICE, source)
    assert [p.code for p in raised.value.problems] == ["letters.noAdvice"]


def test_a_refusal_names_its_ground_the_facts_with_their_source_and_each_weighed_consideration(
    leusden: Municipality, calendar: AtwCalendar, catalogue: Catalogue, policy: Policy
) -> None:
    letter = compose(K.DECISION_REFUSAL, worked_input(REFUSAL, K.DECISION_REFUSAL, leusden, calendar, catalogue,
                                                       policy))  # fmt: skip
    grounds, facts = letter.section("grounds"), letter.section("facts")
    weighing = letter.section("proportionality")
    assert grounds and facts and weighing
    assert any("ernstig gevaar" in p and "artikel 3 lid 1 sub a" in p for p in grounds.paragraphs)
    assert any("witwassen" in p and "Bron: Justid" in p for p in facts.paragraphs)
    assert not any("/answers" in p or "/modules" in p for p in facts.paragraphs)  # no JSON pointers in a letter
    assert any("advies van het Landelijk Bureau Bibob van 15 juni 2026" in p and "3:9" in p for p in facts.paragraphs)
    view = letter.section("zienswijze")  # D15's view term lapsed without a view
    assert view is not None and "geen zienswijze gegeven" in view.paragraphs[0]
    decision = demo_application("LEU-2026-D15").decision
    assert decision is not None and decision.proportionality is not None
    for consideration in (decision.proportionality.seriousness, decision.proportionality.lesser_means_considered):
        assert any(consideration in p for p in weighing.paragraphs)
    assert "€ 80.000" in letter.text  # the recorded '€ 80.000' kept; 'EUR 12.500' from a finding becomes '€ 12.500'
    assert "€ 12.500" in letter.text and "EUR " not in letter.text


def test_a_case_match_and_facts_from_a_case_file_never_reach_a_letter_to_the_applicant(
    leusden: Municipality, calendar: AtwCalendar, catalogue: Catalogue, policy: Policy
) -> None:
    source = worked_input(REFUSAL, K.DECISION_REFUSAL, leusden, calendar, catalogue, policy)
    assert source.assessment is not None
    told = source.assessment.findings[1]  # a conviction from Justid: told, with its source
    evidence = told.evidence[0]
    match = attrs.evolve(told, code="knownInUnderminingCase", title="Bekend in een casus ondermijning",
                         explanation="Match met casus LEU-C-01.", evidence=(attrs.evolve(evidence, kind="case",
                         ref="LEU-C-01"),))  # fmt: skip
    via_case = attrs.evolve(told, explanation="Aangetroffen hennepkwekerij (uit casus LEU-C-02).",
                            evidence=(attrs.evolve(evidence, ref="C1"),))  # fmt: skip
    case_fact = Fact("C1", FactSource.CASE_FILE, dt.date(2026, 5, 1), KnownInCase("LEU-C-02"))
    findings = (*source.assessment.findings, match, via_case)
    assessment = attrs.evolve(source.assessment, findings=findings)
    letter = compose(K.DECISION_REFUSAL, attrs.evolve(source, assessment=assessment, facts=(*source.facts, case_fact)))
    text = letter.text.lower()
    assert "leu-c-01" not in text and "leu-c-02" not in text and "hennepkwekerij" not in text
    assert [word for word in FORBIDDEN_WORDS if word in text] == []
    assert "witwassen" in text  # what the applicant may be told still is


def test_a_letter_to_the_applicant_that_would_name_an_undermining_case_is_refused(
    leusden: Municipality, calendar: AtwCalendar, catalogue: Catalogue, policy: Policy
) -> None:
    record = ProportionalityRecord("Bekend in de casus ondermijning van de gemeente.", "x", "x", "x", "x", "x", "c",
                                   dt.date(2026, 7, 1))  # fmt: skip
    source = worked_input(REFUSAL, K.INTENTION, leusden, calendar, catalogue, policy, proportionality=record)
    with pytest.raises(InvalidInputError) as raised:
        compose(K.INTENTION, source)
    assert raised.value.problems[0].code == "letters.art28"
    assert "ondermijning" in raised.value.problems[0].message


def test_the_objection_clause_ends_six_weeks_after_sending_moved_to_the_next_business_day_by_the_atw(
    leusden: Municipality, calendar: AtwCalendar, catalogue: Catalogue, policy: Policy
) -> None:
    document = demo_document("LEU-2026-D15")
    document["events"][-1]["on"] = "2026-11-14"  # announced on a Saturday: six weeks end on Saturday 26 December
    announced = application_from_json(document)
    source = worked_input(REFUSAL, K.DECISION_REFUSAL, leusden, calendar, catalogue, policy)
    letter = compose(K.DECISION_REFUSAL, attrs.evolve(source, application=announced))
    objection = letter.section("objection")
    assert objection is not None
    assert "uiterlijk op 28 december 2026" in objection.paragraphs[0]  # Tweede Kerstdag and Sunday: Monday 28
    assert "6:7" in objection.paragraphs[0] and "zes weken" in objection.paragraphs[0]


def test_the_decision_on_objection_carries_an_appeal_clause_to_the_court(
    leusden: Municipality, calendar: AtwCalendar, catalogue: Catalogue, policy: Policy
) -> None:
    source = worked_input(
        REFUSAL, K.OBJECTION_DECISION, leusden, calendar, catalogue, policy, date=dt.date(2026, 7, 21)
    )
    letter = compose(K.OBJECTION_DECISION, source)
    appeal = letter.section("objection")
    assert appeal is not None and appeal.heading == "Beroep"
    assert "rechtbank Midden-Nederland" in appeal.paragraphs[0]
    assert "uiterlijk op 1 september 2026" in appeal.paragraphs[0]  # sent 21 July 2026 + six weeks, a Tuesday


def test_a_second_municipality_template_changes_letterhead_signatory_and_text_without_code(
    tmp_path: Path, leusden: Municipality, calendar: AtwCalendar, catalogue: Catalogue, policy: Policy
) -> None:
    folder = tmp_path / "utrecht-oost"
    folder.mkdir()
    template = {
        "name": "Gemeente Voorbeeldstad", "body": "het college van Voorbeeldstad",
        "letterhead": ["Gemeente Voorbeeldstad", "Afdeling Veiligheid en Vergunningen"],
        "address": ["Postbus 1", "9999 ZZ Voorbeeldstad"], "contact": "het Bibob-team, telefoon 14 099",
        "signatory": {"name": "P. Jansen (synthetisch)", "function": "teamleider Vergunningen"},
        "objectionTo": "het college van Voorbeeldstad, Postbus 1, 9999 ZZ Voorbeeldstad",
        "court": "rechtbank Noord-Nederland",
        "texts": {"salutation": "Beste aanvrager,", "closing": "Hoogachtend,"},
    }  # fmt: skip
    (folder / "municipality.json").write_text(json.dumps(template), "utf-8")
    other = load_municipality(folder)
    source = worked_input(REFUSAL, K.DECISION_REFUSAL, other, calendar, catalogue, policy)
    letter = compose(K.DECISION_REFUSAL, source)
    before = compose(K.DECISION_REFUSAL, attrs.evolve(source, municipality=leusden))
    assert letter.municipality.letterhead[0] == "Gemeente Voorbeeldstad" != before.municipality.letterhead[0]
    assert letter.signature == ("Hoogachtend,", "namens het college van Voorbeeldstad,", "P. Jansen (synthetisch)",
                                "teamleider Vergunningen")  # fmt: skip
    assert letter.salutation == "Beste aanvrager,"
    assert "rechtbank Noord-Nederland" in letter.text and "rechtbank Midden-Nederland" in before.text


def test_a_template_with_bad_fields_unknown_texts_or_placeholders_is_refused_with_every_problem(tmp_path: Path) -> None:
    folder = tmp_path / "stuk"
    folder.mkdir()
    bad = {"name": "", "body": "b", "letterhead": [], "address": ["a"], "contact": "c",
           "signatory": {"name": "n"}, "objectionTo": "o", "court": "r"}  # fmt: skip
    (folder / "municipality.json").write_text(json.dumps(bad), "utf-8")
    with pytest.raises(DefinitionError) as raised:
        load_municipality(folder)
    assert {p.pointer for p in raised.value.problems} == {"/name", "/letterhead", "/signatory/function"}
    good = {**bad, "name": "n", "letterhead": ["l"], "signatory": {"name": "n", "function": "f"},
            "texts": {"nietBestaand": "x", "salutation": "Beste $voornaam,", "closing": "100$"}}  # fmt: skip
    (folder / "municipality.json").write_text(json.dumps(good), "utf-8")
    with pytest.raises(DefinitionError) as raised:
        load_municipality(folder)
    assert {(p.pointer, p.code) for p in raised.value.problems} == {
        ("/texts/nietBestaand", "letters.unknownText"),
        ("/texts/salutation", "letters.unknownPlaceholder"),
        ("/texts/closing", "letters.badPlaceholder"),
    }


def test_the_letters_that_apply_follow_the_state_and_the_decision() -> None:
    assert applicable_kinds(demo_application("LEU-2026-D21")) == (K.REPAIR_REQUEST,)
    assert K.LBB_INFORMATION_REQUEST in applicable_kinds(demo_application("LEU-2026-D08"))
    assert applicable_kinds(demo_application("LEU-2026-D15"))[0] is K.DECISION_REFUSAL
    assert applicable_kinds(demo_application("LEU-2026-D23")) == (K.DECISION_NOT_PROCESSED,)
    assert applicable_kinds(demo_application("LEU-2026-D17"))[:2] == (K.DECISION_REFUSAL, K.OBJECTION_DECISION) or (
        K.OBJECTION_DECISION in applicable_kinds(demo_application("LEU-2026-D17"))
    )
    assert applicable_kinds(demo_application("LEU-2026-D01")) == ()
    assert demo_application("LEU-2026-D15").state is ApplicationState.ANNOUNCED


def test_an_information_request_without_the_lbbs_questions_is_refused(
    leusden: Municipality, calendar: AtwCalendar, catalogue: Catalogue, policy: Policy
) -> None:
    source = worked_input(REFUSAL, K.LBB_INFORMATION_REQUEST, leusden, calendar, catalogue, policy, lbb_questions=())
    with pytest.raises(InvalidInputError) as raised:
        compose(K.LBB_INFORMATION_REQUEST, source)
    assert raised.value.problems[0].pointer == "/lbbQuestions"


@pytest.mark.parametrize(
    ("cents", "text"), [(123456, "€ 1.234,56"), (8000000, "€ 80.000,00"), (5, "€ 0,05"), (-500, "-€ 5,00")]
)
def test_amounts_are_written_the_dutch_way(cents: int, text: str) -> None:
    assert dutch_amount(cents) == text


def test_the_lbb_request_follows_the_form_of_the_own_investigation_with_sources_roles_and_numbered_enclosures(
    leusden: Municipality, calendar: AtwCalendar, catalogue: Catalogue, policy: Policy
) -> None:
    request = LbbRequestInput(("Is de bestuurder nog betrokken bij witwassen?",), "eigen onderzoek", riec_advice=True)
    source = worked_input(REFUSAL, K.LBB_REQUEST, leusden, calendar, catalogue, policy, lbb_request=request)
    source = attrs.evolve(source, declaration=declaration_of(REFUSAL, catalogue))
    package = lbb_package(source)
    assert list(package) == ["requestedOn", "reference", "subject", "decision", "reason", "otherFiles", "findings",
                             "questions", "persons", "organisations", "enclosures"]  # fmt: skip
    assert package["subject"]["name"] == "Eetcafé Het Hoekje B.V."
    conviction = next(f for f in package["findings"] if "witwassen" in f["finding"])
    assert conviction["sources"] == ["Justid (justitiële documentatie)"] and conviction["dates"]
    assert {p["role"] for p in package["persons"]} and all(p["role"] for p in package["persons"])
    assert [e["number"] for e in package["enclosures"]] == list(range(1, len(package["enclosures"]) + 1))
    assert package["enclosures"][0]["title"] == "Advies van het RIEC"
    letter = compose(K.LBB_REQUEST, source)
    assert [s.heading[:2] for s in letter.sections if s.heading] == ["1.", "2.", "3.", "4.", "5.", "6.", "7."]
    assert letter.addressee[0] == "Landelijk Bureau Bibob" and letter.confidential
    with pytest.raises(InvalidInputError):
        compose(K.LBB_REQUEST, attrs.evolve(source, lbb_request=LbbRequestInput(())))
