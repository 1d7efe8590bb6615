"""Completeness: which modules apply, which answers and attachments are missing, and the Awb 4:5 status."""

from __future__ import annotations

from bibob import CompletenessStatus, Questionnaire, check_completeness, validate_answers
from tests.conftest import DATA, TODAY, answers


def test_a_complete_application_is_complete_and_lists_its_attachments_as_present(horeca: Questionnaire) -> None:
    completeness = check_completeness(horeca, answers("valid-eenmanszaak-horeca.json"), today=TODAY)
    assert completeness.status is CompletenessStatus.COMPLETE
    assert completeness.missing == completeness.invalid == ()
    assert all(a.present for a in completeness.attachments)
    assert [(a.kind, a.year) for a in completeness.attachments] == [
        ("idCopy", None),
        ("annualAccounts", 2024),
        ("annualAccounts", 2025),
        ("proofOfAssets", None),
        ("proofOfIncome", None),
        ("openingBalance", None),
        ("investmentBudget", None),
        ("proofOfOwnCapital", None),
        ("leaseAgreement", None),
        ("signature", None),
    ]


def test_an_eenmanszaak_applies_sections_2_and_6_and_no_person_modules(horeca: Questionnaire) -> None:
    completeness = check_completeness(horeca, answers("valid-eenmanszaak-horeca.json"), today=TODAY)
    assert completeness.applicable_sections == ("1", "2", "6", "7")
    assert completeness.modules == ()


def test_a_bv_applies_modules_4_and_5_with_one_module_4_per_ubo(horeca: Questionnaire) -> None:
    completeness = check_completeness(horeca, answers("valid-bv-two-ubos.json"), today=TODAY)
    assert completeness.applicable_sections == ("1", "4", "5", "6", "7")
    assert [(m.section_id, m.expected, m.given) for m in completeness.modules] == [("4", 2, 2), ("5", 0, 0)]


def test_an_ultimate_manager_who_is_no_ubo_needs_module_5(horeca: Questionnaire) -> None:
    completeness = check_completeness(horeca, answers("valid-bv-holding-private-loan.json"), today=TODAY)
    assert [(m.section_id, m.expected, m.given) for m in completeness.modules] == [("4", 1, 1), ("5", 1, 1)]


def test_an_incomplete_application_gets_the_repair_status_and_separates_missing_from_invalid(
    horeca: Questionnaire,
) -> None:
    document = answers("broken-missing-attachments.json")
    document["answers"]["1F.rechtspersoon"]["kvkNumber"] = "12"
    completeness = check_completeness(horeca, document, today=TODAY)
    assert completeness.status is CompletenessStatus.INCOMPLETE
    assert completeness.status.label.startswith("onvolledig")
    assert [(p.pointer, p.code) for p in completeness.missing] == [
        ("/answers/6F.huur", "attachmentMissing"),
        ("/modules/4/0/4I.leningen/0", "attachmentMissing"),
    ]
    assert [(p.pointer, p.code) for p in completeness.invalid] == [
        ("/answers/1F.rechtspersoon/kvkNumber", "invalidKvk")
    ]
    absent = [(a.kind, a.pointer) for a in completeness.attachments if not a.present]
    assert absent == [("leaseAgreement", "/answers/6F.huur"), ("proofOfReceipt", "/modules/4/0/4I.leningen/0")]


def test_completeness_of_something_that_is_no_answer_document_is_incomplete_not_an_error(
    horeca: Questionnaire,
) -> None:
    completeness = check_completeness(horeca, ["geen", "document"], today=TODAY)
    assert completeness.status is CompletenessStatus.INCOMPLETE
    assert completeness.applicable_sections == ("1", "6", "7")


def test_completeness_lists_exactly_the_problems_validate_answers_lists(horeca: Questionnaire) -> None:
    for path in sorted((DATA / "answers").glob("*.json")):
        document = answers(path.name)
        completeness = check_completeness(horeca, document, today=TODAY)  # walks once, shares the walk
        shared = sorted((*completeness.missing, *completeness.invalid), key=lambda p: (p.pointer, p.code, p.message))
        assert tuple(shared) == validate_answers(horeca, document, today=TODAY), path.name


def test_attachments_registered_apart_from_the_document_count_for_completeness(horeca: Questionnaire) -> None:
    document = answers("broken-missing-attachments.json")
    registered = [
        {"kind": "leaseAgreement", "pointer": "/answers/6F.huur", "fileName": "huurcontract.pdf", "size": 10},
        {"kind": "proofOfReceipt", "pointer": "/modules/4/0/4I.leningen/0", "fileName": "ontvangst.pdf"},
    ]
    before = check_completeness(horeca, document, today=TODAY)
    after = check_completeness(horeca, document, today=TODAY, registered=registered)
    assert before.status is CompletenessStatus.INCOMPLETE
    assert after.status is CompletenessStatus.COMPLETE
    assert after.missing == () and all(a.present for a in after.attachments)


def test_a_registered_attachment_counts_only_for_its_own_kind_pointer_and_year(horeca: Questionnaire) -> None:
    document = answers("valid-bv-two-ubos.json")
    document["attachments"] = [a for a in document["attachments"] if a.get("year") != 2024]
    elsewhere = [
        {"kind": "annualAccounts", "pointer": "/answers/1F.rechtspersoon", "fileName": "jr.pdf", "year": 2023},
        {"kind": "annualAccounts", "pointer": "/answers/1F.bestuurders/0", "fileName": "jr.pdf", "year": 2024},
        {"kind": "leaseAgreement", "pointer": "/answers/1F.rechtspersoon", "fileName": "jr.pdf", "year": 2024},
        {"kind": "annualAccounts", "pointer": "/answers/1F.rechtspersoon", "year": 2024},  # no file, no reference
    ]
    missing = check_completeness(horeca, document, today=TODAY, registered=elsewhere).missing
    assert [(p.pointer, p.code) for p in missing] == [("/answers/1F.rechtspersoon", "attachmentMissing")]
    right = [{"kind": "annualAccounts", "pointer": "/answers/1F.rechtspersoon", "reference": "zaak-7", "year": 2024}]
    assert check_completeness(horeca, document, today=TODAY, registered=right).missing == ()


def test_completeness_from_a_walk_made_once_in_full_equals_its_own_walk(horeca: Questionnaire) -> None:
    from bibob.questionnaires import relevant_part, walk

    for path in sorted((DATA / "answers").glob("*.json")):
        document = answers(path.name)
        full = walk(horeca, document)

        assert relevant_part(full) == walk(horeca, document, relevant_only=True), path.name
        assert check_completeness(horeca, document, today=TODAY, walked=relevant_part(full)) == check_completeness(
            horeca, document, today=TODAY
        ), path.name
