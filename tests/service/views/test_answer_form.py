"""The questionnaire as a form model: document → form → document, euros and Dutch dates, routing, problems at their
question and in the summary, entries and modules added and removed."""

from __future__ import annotations

from typing import Any

import pytest

from bibob import Questionnaire, check_completeness, validate_answers
from service.views.answer_form import (
    FORM_START,
    AnswerForm,
    Node,
    add_entry,
    add_module,
    build_form,
    cents,
    euros,
    iso_day,
    posted_values,
    read_form,
    remove_entry,
)
from tests.conftest import DATA, TODAY, answers

FILES = sorted(path.name for path in (DATA / "answers").glob("*.json"))


def round_trip(questionnaire: Questionnaire, document: Any, *, shown_only: bool) -> Any:
    completeness = check_completeness(questionnaire, document, today=TODAY)
    form = build_form(questionnaire, document, completeness=completeness, today=TODAY)
    reading = read_form(questionnaire, posted_values(form, shown_only=shown_only))
    assert reading.problems == {}
    return reading.document


@pytest.mark.parametrize("name", [name for name in FILES if name != "broken-wrong-types.json"])
def test_every_synthetic_answer_file_comes_back_unchanged_through_the_form(horeca: Questionnaire, name: str) -> None:
    document = answers(name)
    assert round_trip(horeca, document, shown_only=False) == document


@pytest.mark.parametrize("name", [name for name in FILES if name.startswith("valid-")])
def test_a_valid_file_comes_back_unchanged_from_what_a_browser_posts(horeca: Questionnaire, name: str) -> None:
    document = answers(name)
    assert round_trip(horeca, document, shown_only=True) == document


def test_a_wrong_type_is_read_as_the_form_shows_it_and_an_unknown_question_is_left_out(
    horeca: Questionnaire,
) -> None:
    document = answers("broken-wrong-types.json")
    back = round_trip(horeca, document, shown_only=False)
    assert document["answers"]["2C.bezittingen"][0]["waardeNu"] == "48000,00"
    assert back["answers"]["2C.bezittingen"][0]["waardeNu"] == 4_800_000
    assert "2Z" in document["answers"] and "2Z" not in back["answers"]
    document["answers"]["2C.bezittingen"][0]["waardeNu"] = 4_800_000
    del document["answers"]["2Z"]
    assert back == document


def test_answers_to_questions_that_do_not_apply_are_not_shown_so_a_browser_does_not_post_them(
    horeca: Questionnaire,
) -> None:
    document = answers("broken-two-legal-form-branches.json")
    back = round_trip(horeca, document, shown_only=True)
    assert {"1C", "1F.rechtspersoon"} <= set(document["answers"])
    assert not {"1C", "1F.rechtspersoon"} & set(back["answers"])
    assert validate_answers(horeca, back, today=TODAY) == ()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1.234,56", 123456), ("1234,5", 123450), ("€ 45.000", 4_500_000), ("12.50", 1250), ("0,05", 5), ("7", 700)],
)
def test_euros_as_typed_become_exact_eurocents(typed: str, expected: int) -> None:
    assert cents(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12a", "alleen cijfers"),
        ("1,234", "twee cijfers achter de komma"),
        ("-5", "niet negatief"),
        ("1.23.4", "alleen cijfers"),
        ("99999999999999", "te groot"),
    ],
)
def test_a_bad_amount_is_refused_in_dutch(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cents(typed)


def test_eurocents_are_shown_as_euros_and_read_back_exactly() -> None:
    assert euros(123456) == "1.234,56" and euros(5) == "0,05" and euros(4_500_000) == "45.000,00"
    for amount in (0, 1, 99, 100, 101, 123_456_789, 10**15):
        assert cents(euros(amount)) == amount


def test_dates_are_typed_day_month_year_and_a_date_that_does_not_exist_is_refused() -> None:
    assert iso_day("15-03-2024") == "2024-03-15" == iso_day("2024-03-15") == iso_day("15/3/2024")
    with pytest.raises(ValueError, match="bestaat niet"):
        iso_day("31-02-2024")
    with pytest.raises(ValueError, match="dag-maand-jaar"):
        iso_day("morgen")


def test_a_value_that_cannot_be_read_is_a_dutch_problem_at_its_input_and_kept_as_typed(horeca: Questionnaire) -> None:
    document = answers("valid-eenmanszaak-horeca.json")
    posted = posted_values(build_form(horeca, document, today=TODAY))
    money = "/answers/2C.bezittingen/0/waardeNu"
    posted[money] = ["12a"]
    posted["/answers/1B.persoon/dateOfBirth"] = ["31-02-1979"]
    reading = read_form(horeca, posted)
    assert reading.typed == {money: "12a", "/answers/1B.persoon/dateOfBirth": "31-02-1979"}
    assert reading.problems[money].startswith("Vraag 2C.bezittingen, regel 1, ‘")
    assert "bedrag in euro's" in reading.problems[money]
    assert "bestaat niet" in reading.problems["/answers/1B.persoon/dateOfBirth"]
    assert "waardeNu" not in reading.document["answers"]["2C.bezittingen"][0]
    form = build_form(horeca, reading.document, typed=reading.typed, today=TODAY)
    assert field(form, money).value == "12a"


def field(form: AnswerForm, name: str) -> Any:
    for node in nodes(form):
        if node.input is not None and node.input.name == name:
            return node.input
        for slot in node.attachments:
            for item in slot.inputs:
                if item.name == name:
                    return item
    for item in form.head:
        if item.name == name:
            return item
    raise AssertionError(name)


def nodes(form: AnswerForm) -> list[Node]:
    found: list[Node] = []

    def visit(node: Node) -> None:
        found.append(node)
        for inner in (*node.parts, *node.entries):
            visit(inner)

    for section in form.sections:
        for node in (*section.questions, *section.instances):
            visit(node)
    return found


def test_routing_shows_the_questions_that_apply_as_an_earlier_answer_changes(horeca: Questionnaire) -> None:
    document = answers("valid-eenmanszaak-horeca.json")
    form = build_form(horeca, document, today=TODAY)
    sections = {section.id: section.visible for section in form.sections}
    assert sections == {"1": True, "2": True, "3": False, "4": False, "5": False, "6": True, "7": True}
    assert field(form, "/answers/1B").routes and field(form, "/answers/1B").value == "ja"
    assert not field(form, "/answers/1C").visible and field(form, "/answers/1B.persoon/surname").visible
    document["answers"]["1B"] = False
    changed = build_form(horeca, document, today=TODAY)
    assert field(changed, "/answers/1C").visible and not field(changed, "/answers/1B.persoon/surname").visible
    assert not next(section for section in changed.sections if section.id == "2").visible


@pytest.mark.parametrize("name", [name for name in FILES if name.startswith("broken-")])
def test_every_problem_is_at_its_question_and_in_the_summary_linked_to_a_field(
    horeca: Questionnaire, name: str
) -> None:
    document = answers(name)
    completeness = check_completeness(horeca, document, today=TODAY)
    problems = (*completeness.missing, *completeness.invalid)
    form = build_form(horeca, document, completeness=completeness, problems=problems, today=TODAY)
    assert len(form.summary) == len(problems) > 0
    assert sorted(item.message for item in form.summary) == sorted(problem.message for problem in problems)
    ids = {node.id for node in nodes(form)} | {node.input.id for node in nodes(form) if node.input}
    ids |= {f"{node.input.id}-0" for node in nodes(form) if node.input}
    slots = [*form.loose, *(slot for node in nodes(form) for slot in node.attachments)]
    ids |= {item.id for slot in slots for item in slot.inputs} | {f"sectie-{s.id}" for s in form.sections}
    ids.add(FORM_START)
    assert all(item.target in ids for item in form.summary)
    shown = {message for node in nodes(form) for message in (*node.errors, *(node.input.errors if node.input else ()))}
    shown |= {message for slot in slots for message in slot.errors} | set(form.errors)
    shown |= {message for section in form.sections for message in section.errors}
    assert shown == {problem.message for problem in problems}


def test_a_problem_is_shown_next_to_the_field_it_is_about(horeca: Questionnaire) -> None:
    document = answers("broken-dates-and-periods.json")
    problems = validate_answers(horeca, document, today=TODAY)
    form = build_form(horeca, document, problems=problems, today=TODAY)
    period = next(p for p in problems if p.code == "periodReversed")
    assert period.message in next(n for n in nodes(form) if n.pointer == period.pointer).errors
    future = next(p for p in problems if p.code == "futureDate")
    assert field(form, future.pointer).errors == (future.message,)


def test_a_missing_attachment_has_its_own_place_at_the_answer_with_a_file_name_or_reference(
    horeca: Questionnaire,
) -> None:
    document = answers("broken-missing-attachments.json")
    completeness = check_completeness(horeca, document, today=TODAY)
    form = build_form(horeca, document, completeness=completeness, problems=completeness.missing, today=TODAY)
    lease = next(node for node in nodes(form) if node.pointer == "/answers/6F.huur")
    missing = [slot for slot in lease.attachments if not slot.present]
    assert [slot.errors for slot in missing] == [
        ("Bijlage ontbreekt: Kopie van de huur-, pacht- of gebruiksovereenkomst.",)
    ]
    posted = posted_values(form)
    name = next(item.name for item in missing[0].inputs if item.name.endswith("/reference"))
    posted[name] = ["zaak 2026-118, document 4"]
    back = read_form(horeca, posted).document
    assert back["attachments"][-1] == {
        "kind": "leaseAgreement",
        "pointer": "/answers/6F.huur",
        "reference": "zaak 2026-118, document 4",
    }
    assert [p.pointer for p in check_completeness(horeca, back, today=TODAY).missing] == ["/modules/4/0/4I.leningen/0"]


def test_look_back_periods_are_told_with_their_years(horeca: Questionnaire) -> None:
    form = build_form(horeca, answers("valid-eenmanszaak-horeca.json"), today=TODAY)
    hints = {node.number: node.hint for node in nodes(form) if node.number}
    assert "afgelopen 5 jaar (sinds 2021)" in hints["2A"]
    assert "Peildata: nu, 31-12-2025 en 31-12-2024." in hints["2C"]


def test_removing_an_entry_takes_its_attachments_and_moves_those_of_later_entries(horeca: Questionnaire) -> None:
    document = answers("valid-bv-two-ubos.json")
    fewer = remove_entry(document, "/answers/1F.aandeelhouders/0")
    assert [p["surname"] for p in fewer["answers"]["1F.aandeelhouders"]] == ["Wit"]
    pointers = [a["pointer"] for a in fewer["attachments"] if a["pointer"].startswith("/answers/1F.aandeelhouders")]
    assert pointers == ["/answers/1F.aandeelhouders/0"]
    assert len(document["answers"]["1F.aandeelhouders"]) == 2  # the original is left as it was
    more = add_entry(fewer, "/answers/1F.aandeelhouders/0/owners")
    assert more["answers"]["1F.aandeelhouders"][0]["owners"] == [{}]
    form = build_form(horeca, more, today=TODAY)
    assert field(form, "/answers/1F.aandeelhouders/0/owners/0/kind").routes


def test_a_module_is_added_for_the_person_section_1_names(horeca: Questionnaire) -> None:
    document = answers("broken-missing-ubo-module.json")
    form = build_form(horeca, document, today=TODAY)
    persons = next(section for section in form.sections if section.id == "4").persons
    assert [(row.named_at, row.module) for row in persons] == [
        ("/answers/1F.aandeelhouders/0", "/modules/4/0"),
        ("/answers/1F.aandeelhouders/1", None),
    ]
    added = add_module(document, horeca, "4", "/answers/1F.aandeelhouders/1")
    subject = added["modules"]["4"][-1]["4A"]
    named = document["answers"]["1F.aandeelhouders"][1]
    assert subject["surname"] == named["surname"] and subject["dateOfBirth"] == named["dateOfBirth"]
    assert "kind" not in subject and "sharePercentage" not in subject
    assert all(row.module for row in build_form(horeca, added, today=TODAY).sections[3].persons)
