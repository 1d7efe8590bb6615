"""validate_answers: every problem at once, each with its JSON pointer, stable code and Dutch message."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from bibob import Questionnaire, validate_answers
from tests.conftest import TODAY, answers

VALID = ["valid-eenmanszaak-horeca.json", "valid-bv-two-ubos.json", "valid-bv-holding-private-loan.json"]

BROKEN = {
    "broken-missing-answers.json": [
        ("/answers/1B.persoon/dateOfBirth", "required"),
        ("/answers/2H", "required"),
        ("/answers/6A", "required"),
    ],
    "broken-invalid-identifiers.json": [
        ("/answers/1A/locatie/postcode", "invalidPostcode"),
        ("/answers/1B.onderneming/kvkNumber", "invalidKvk"),
        ("/answers/1B.persoon/bsn", "invalidBsn"),
    ],
    "broken-dates-and-periods.json": [
        ("/modules/4/0/4B.rollen/0/periode", "periodReversed"),
        ("/modules/4/0/4I.leningen/0/overeengekomenOp", "futureDate"),
    ],
    "broken-two-legal-form-branches.json": [
        ("/answers/1C", "notApplicable"),
        ("/answers/1F.rechtspersoon", "notApplicable"),
    ],
    "broken-missing-ubo-module.json": [("/modules/4", "moduleMissing")],
    "broken-open-control-chain.json": [
        ("/answers/1F.aandeelhouders/0", "chainOpen"),
        ("/modules/4/0/4A", "moduleUnexpected"),
    ],
    "broken-missing-attachments.json": [
        ("/answers/6F.huur", "attachmentMissing"),
        ("/modules/4/0/4I.leningen/0", "attachmentMissing"),
    ],
    "broken-small-cash-as-asset.json": [("/answers/2C.bezittingen/1", "notAnAsset")],
    "broken-wrong-types.json": [
        ("/answers/2C.bezittingen/0/waardeNu", "wrongType"),
        ("/answers/2Z", "unknownField"),
        ("/answers/6A", "invalidChoice"),
    ],
    "broken-bv-without-owners.json": [
        ("/answers/1F.rechtspersoon", "noUltimateOwner"),
        ("/modules/5", "moduleMissing"),
    ],
}


def _found(questionnaire: Questionnaire, document: object) -> list[tuple[str, str]]:
    return [(p.pointer, p.code) for p in validate_answers(questionnaire, document, today=TODAY)]


@pytest.mark.parametrize("name", VALID)
def test_complete_synthetic_applications_have_no_problems(horeca: Questionnaire, name: str) -> None:
    assert validate_answers(horeca, answers(name), today=TODAY) == ()


@pytest.mark.parametrize(("name", "expected"), BROKEN.items(), ids=list(BROKEN))
def test_each_broken_application_lists_exactly_the_expected_problems(
    horeca: Questionnaire, name: str, expected: list[tuple[str, str]]
) -> None:
    assert _found(horeca, answers(name)) == expected


def test_problems_are_listed_all_at_once_not_only_the_first(horeca: Questionnaire) -> None:
    document = answers("valid-eenmanszaak-horeca.json")
    for question in ("2A", "2B", "2D", "6C", "6D"):
        del document["answers"][question]
    assert [p for p, code in _found(horeca, document) if code == "required"] == [
        "/answers/2A",
        "/answers/2B",
        "/answers/2D",
        "/answers/6C",
        "/answers/6D",
    ]


def test_every_problem_message_is_dutch_and_names_the_question(horeca: Questionnaire) -> None:
    problems = validate_answers(horeca, answers("broken-missing-answers.json"), today=TODAY)
    assert [p.message for p in problems] == [
        "Vraag 1B.persoon (‘Gegevens van de aanvrager: achternaam, voornamen …’), veld ‘geboortedatum’ is "
        "niet beantwoord.",
        "Vraag 2H (‘Heeft u leningen afgesloten, ook leningen genoemd in andere …’) is niet beantwoord.",
        "Vraag 6A (‘Gaat het om een bestaande onderneming van de aanvrager, een …’) is niet beantwoord.",
    ]


def test_a_wrong_type_says_what_is_expected_and_a_wrong_choice_lists_the_choices(horeca: Questionnaire) -> None:
    problems = {p.code: p.message for p in validate_answers(horeca, answers("broken-wrong-types.json"), today=TODAY)}
    assert problems["wrongType"].endswith("verwacht: een bedrag in eurocenten (een geheel getal).")
    assert problems["invalidChoice"].endswith(
        "kies een van de mogelijke antwoorden: ‘bestaande onderneming van de aanvrager’ (bestaand), "
        "‘overname van een onderneming’ (overname), ‘nieuwe onderneming’ (nieuw)."
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("ja", "verwacht: ja of nee (true of false)."), ({"regel": 1}, "verwacht: een lijst van regels.")],
)
def test_a_wrong_type_names_the_shape_of_the_question(horeca: Questionnaire, value: object, expected: str) -> None:
    question = "2H" if isinstance(value, str) else "2C.bezittingen"
    document = answers("valid-eenmanszaak-horeca.json")
    document["answers"][question] = value
    (problem,) = [p for p in validate_answers(horeca, document, today=TODAY) if p.code == "wrongType"]
    assert problem.pointer == f"/answers/{question}"
    assert problem.message.endswith(expected)


def test_messages_never_repeat_a_bsn_or_a_name_from_the_answers(horeca: Questionnaire) -> None:
    document = answers("broken-invalid-identifiers.json")
    text = " ".join(p.message for p in validate_answers(horeca, document, today=TODAY))
    assert "111222334" not in text
    assert "Verbeek" not in text


@pytest.mark.parametrize("document", [None, 1, "x", [], {}, {"answers": []}, {"answers": {"1B": None}}])
def test_documents_of_the_wrong_shape_give_problems_not_exceptions(horeca: Questionnaire, document: object) -> None:
    problems = validate_answers(horeca, document, today=TODAY)
    assert problems
    assert all(p.code and p.message for p in problems)


def test_an_eenmanszaak_answers_module_2_and_6_and_no_other_module(horeca: Questionnaire) -> None:
    document = answers("valid-eenmanszaak-horeca.json")
    document["modules"] = {"4": [{"4A": document["answers"]["1B.persoon"]}]}
    assert ("/modules/4", "notApplicable") in _found(horeca, document)


def test_a_natural_person_partnership_needs_module_3_per_partner(horeca: Questionnaire) -> None:
    document = answers("valid-eenmanszaak-horeca.json")
    owner = document["answers"].pop("1B.persoon")
    business = document["answers"].pop("1B.onderneming")
    for question in [q for q in document["answers"] if q.startswith("2")]:
        del document["answers"][question]
    partner = {**owner, "surname": "Dekker", "firstNames": "Sanne", "bsn": "123456782"}
    document["answers"].update(
        {
            "1B": False,
            "1C": "natuurlijkePersonen",
            "1D.samenwerkingsverband": {**business, "legalForm": "vof"},
            "1D.vennoten": [owner, partner],
        }
    )
    found = _found(horeca, document)
    assert found.count(("/modules/3", "moduleMissing")) == 2
    assert ("/answers/1G", "required") not in found  # 1G only for legal persons


def test_a_person_named_both_as_shareholder_and_director_needs_one_module_4_and_no_module_5(
    horeca: Questionnaire,
) -> None:
    found = _found(horeca, answers("valid-bv-two-ubos.json"))
    assert not any(pointer.startswith("/modules/5") for pointer, _ in found)


def test_a_foreign_shareholder_needs_a_register_extract(horeca: Questionnaire) -> None:
    document = answers("valid-bv-holding-private-loan.json")
    document["answers"]["1F.aandeelhouders"][0]["country"] = "CY"
    assert ("/answers/1F.aandeelhouders/0", "attachmentMissing") in _found(horeca, document)


def test_a_dutch_kvk_number_is_checked_but_a_foreign_registration_number_is_not(horeca: Questionnaire) -> None:
    document = answers("valid-bv-holding-private-loan.json")
    holding = document["answers"]["1F.aandeelhouders"][0]
    holding["kvkNumber"] = "HE 123456"
    assert ("/answers/1F.aandeelhouders/0/kvkNumber", "invalidKvk") in _found(horeca, document)
    holding["country"] = "CY"
    assert ("/answers/1F.aandeelhouders/0/kvkNumber", "invalidKvk") not in _found(horeca, document)


def test_no_financial_statements_are_asked_for_years_before_the_founding_date(horeca: Questionnaire) -> None:
    document = answers("valid-eenmanszaak-horeca.json")  # founded 2024-06-01, answered 2026-10-15
    document["attachments"] = [a for a in document["attachments"] if a["kind"] != "annualAccounts"]
    missing = [p for p in validate_answers(horeca, document, today=TODAY) if p.code == "attachmentMissing"]
    assert [p.message for p in missing] == [
        "Bijlage ontbreekt: Winst- en verliesrekening en balans met toelichting over de laatste drie boekjaren "
        f"(niet voor jaren waarin de onderneming nog niet bestond) (boekjaar {year})."
        for year in (2024, 2025)
    ]


def test_a_loan_needs_its_agreement_and_proof_that_the_money_was_received(horeca: Questionnaire) -> None:
    document = answers("valid-bv-holding-private-loan.json")
    document["attachments"] = [a for a in document["attachments"] if "4I.leningen" not in a["pointer"]]
    kinds = {p.message for p in validate_answers(horeca, document, today=TODAY) if p.code == "attachmentMissing"}
    assert kinds == {
        "Bijlage ontbreekt: Ondertekende leningsovereenkomst.",
        "Bijlage ontbreekt: Bewijs dat het geld daadwerkelijk is ontvangen (bankafschriften).",
    }


def test_a_secured_loan_also_needs_proof_of_the_security(horeca: Questionnaire) -> None:
    document = answers("valid-bv-holding-private-loan.json")
    loan = document["modules"]["4"][0]["4I.leningen"][0]
    loan.update({"zekerheid": "pand", "zekerheidBedrag": 5_000_000})
    assert ("/modules/4/0/4I.leningen/0", "attachmentMissing") in _found(horeca, document)


def test_a_reference_to_an_earlier_document_counts_as_the_attachment(horeca: Questionnaire) -> None:
    document = answers("valid-eenmanszaak-horeca.json")
    lease = next(a for a in document["attachments"] if a["kind"] == "leaseAgreement")
    del lease["fileName"]
    lease["reference"] = "Ingediend bij de aanvraag omgevingsvergunning van 2025"
    assert validate_answers(horeca, document, today=TODAY) == ()


def test_an_attachment_with_neither_file_nor_reference_is_refused(horeca: Questionnaire) -> None:
    document = answers("valid-eenmanszaak-horeca.json")
    del document["attachments"][0]["fileName"]
    assert ("/attachments/0", "attachmentWithoutFile") in _found(horeca, document)


def test_a_date_is_only_in_the_future_relative_to_the_day_of_checking(horeca: Questionnaire) -> None:
    document = answers("broken-dates-and-periods.json")
    later = [(p.pointer, p.code) for p in validate_answers(horeca, document, today=dt.date(2027, 2, 1))]
    assert later == [("/modules/4/0/4B.rollen/0/periode", "periodReversed")]


def test_validation_does_not_change_the_document(horeca: Questionnaire) -> None:
    document = answers("broken-open-control-chain.json")
    before = copy.deepcopy(document)
    validate_answers(horeca, document, today=TODAY)
    assert document == before
