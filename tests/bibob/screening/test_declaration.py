"""Valid answers become domain values for the risk assessment, each keeping its pointer as evidence."""

from __future__ import annotations

import datetime as dt

from bibob import Questionnaire
from bibob.parties import LegalForm, Organisation, Person, Role
from bibob.screening import declaration_from_answers
from bibob.screening.declaration import AntecedentKind
from tests.conftest import answers


def test_an_eenmanszaak_declares_its_owner_as_subject_and_its_business(horeca: Questionnaire) -> None:
    declaration = declaration_from_answers(horeca, answers("valid-eenmanszaak-horeca.json"))
    assert isinstance(declaration.subject, Person)
    assert declaration.subject.display_name == "Johanna Maria Verbeek"
    assert declaration.subject.bsn == "111222333"
    assert declaration.business is not None and declaration.business.kvk_number == "12345678"
    assert declaration.business_status == "nieuw"
    assert declaration.answered_on == dt.date(2026, 10, 15)


def test_a_holding_chain_yields_the_natural_person_at_its_end_as_shareholder(horeca: Questionnaire) -> None:
    declaration = declaration_from_answers(horeca, answers("valid-bv-holding-private-loan.json"))
    assert isinstance(declaration.subject, Organisation)
    assert declaration.subject.legal_form is LegalForm.BV
    shareholders = [(i.pointer, i.relation.value) for i in declaration.involvements if i.role is Role.SHAREHOLDER]
    assert ("/answers/1F.aandeelhouders/0/owners/0", "controller") in shareholders
    assert ("/modules/4/0", "controller") in [(i.pointer, i.relation.value) for i in declaration.involvements]


def test_a_private_loan_keeps_borrower_creditor_amounts_and_dates(horeca: Questionnaire) -> None:
    declaration = declaration_from_answers(horeca, answers("valid-bv-holding-private-loan.json"))
    (loan,) = declaration.loans
    assert loan.pointer == "/modules/4/0/4I.leningen/0"
    assert isinstance(loan.borrower, Person) and loan.borrower.surname == "Yılmaz"
    assert isinstance(loan.creditor, Person) and loan.creditor.address is not None
    assert loan.creditor.address.country == "BE"
    assert (loan.principal, loan.interest_rate, loan.security) == (15_000_000, 0.0, "geen")
    assert loan.disbursed_on == dt.date(2026, 2, 15)
    assert ("proofOfReceipt", loan.pointer) in declaration.attachments
    financier_roles = [i for i in declaration.involvements if i.role is Role.FINANCIER]
    assert financier_roles[0].relation.value == "financier"


def test_financing_premises_and_lease_are_declared(horeca: Questionnaire) -> None:
    declaration = declaration_from_answers(horeca, answers("valid-eenmanszaak-horeca.json"))
    assert [(f.own, f.amount) for f in declaration.financing] == [(True, 4_500_000)]
    premises = declaration.premises
    assert premises.leased and premises.monthly_rent == 325_000 and not premises.rent_arrears
    assert premises.addresses[0].postcode == "3833GP"
    assert isinstance(premises.lessor, Organisation) and premises.lessor.kvk_number == "87654321"


def test_antecedents_debts_and_roles_are_attributed_to_the_person_whose_module_declares_them(
    horeca: Questionnaire,
) -> None:
    document = answers("valid-bv-two-ubos.json")
    module = document["modules"]["4"][1]
    module["4J"] = True
    module["4J.zaken"] = [
        {"betrokkene": "ikzelf", "jaar": 2023, "land": "Nederland", "feiten": "heling", "afdoening": "veroordeling"}
    ]
    declaration = declaration_from_answers(horeca, document)
    (antecedent,) = declaration.antecedents
    assert antecedent.kind is AntecedentKind.CRIMINAL
    assert (antecedent.year, antecedent.description, antecedent.outcome) == (2023, "heling", "veroordeling")
    assert isinstance(antecedent.declared_by, Person) and antecedent.declared_by.surname == "Wit"
    (debt,) = declaration.debts
    assert debt.tax_authority and debt.amounts == (1_250_000, 800_000, 0)
    (role,) = declaration.other_roles
    assert role.kind == "management" and role.period.end is None


def test_a_declaration_from_garbage_is_empty_not_an_error(horeca: Questionnaire) -> None:
    declaration = declaration_from_answers(horeca, {"answers": {"1B": "ja", "1B.persoon": 5}, "modules": []})
    assert declaration.subject is None
    assert declaration.involvements == () and declaration.loans == ()
