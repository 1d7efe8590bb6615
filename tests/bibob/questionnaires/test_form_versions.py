"""Form versions: every questionnaire carries its legal basis and validity period; a form out of force warns."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from bibob import load_catalogue
from bibob.exceptions import DefinitionError
from bibob.questionnaires import FormValidity, form_in_force, parse_questionnaire
from tests.conftest import ROOT

CATALOGUE = load_catalogue()
SHIPPED = ROOT / "questionnaires" / "bibob-overige-beschikkingen.json"


def test_every_shipped_2013_form_has_its_legal_basis_and_was_in_force_until_31_january_2024() -> None:
    for key in CATALOGUE:
        form = CATALOGUE[key].official_form
        assert form.form_version.startswith("2013-")
        assert "art. 30, vijfde lid" in form.legal_basis and "7a, vijfde lid" in form.legal_basis
        assert (form.valid_from, form.valid_until) == (dt.date(2013, 7, 1), dt.date(2024, 1, 31))


def test_an_application_received_after_the_form_went_out_of_force_warns() -> None:
    validity = form_in_force(CATALOGUE["bibob-overige-beschikkingen"], dt.date(2024, 2, 1))
    assert isinstance(validity, FormValidity)
    assert not validity.in_force
    assert "gold tot en met 31-1-2024" in validity.warning
    assert "ontvangen op 1-2-2024" in validity.warning
    assert "Regeling Bibob-formulieren 2024, bijlage 1" in validity.warning


def test_an_application_received_while_the_form_is_in_force_does_not_warn() -> None:
    for day in (dt.date(2013, 7, 1), dt.date(2020, 5, 5), dt.date(2024, 1, 31)):
        validity = form_in_force(CATALOGUE["bibob-subsidie"], day)
        assert validity.in_force and validity.warning == ""


def test_an_application_received_before_the_form_came_into_force_warns() -> None:
    validity = form_in_force(CATALOGUE["bibob-subsidie"], dt.date(2013, 6, 30))
    assert not validity.in_force and "pas geldt vanaf 1-7-2013" in validity.warning


def _document(**official: str) -> dict[str, object]:
    document = copy.deepcopy(json.loads(SHIPPED.read_text("utf-8")))
    for key in ("validFrom", "validUntil", "legalBasis"):
        document["officialForm"].pop(key)
    document["officialForm"].update(official)
    return document


def test_a_form_without_a_recorded_period_is_taken_as_in_force() -> None:
    questionnaire = parse_questionnaire(_document(), "gemeente.json")
    assert form_in_force(questionnaire, dt.date(2030, 1, 1)).in_force


def test_a_form_in_force_added_as_data_does_not_warn_and_has_no_end() -> None:
    questionnaire = parse_questionnaire(
        _document(validFrom="2024-02-01", legalBasis="art. 7a, vijfde lid, Wet Bibob"), "gemeente.json"
    )
    assert form_in_force(questionnaire, dt.date(2026, 12, 3)).in_force
    assert not form_in_force(questionnaire, dt.date(2024, 1, 31)).in_force


def test_a_validity_period_ending_before_it_starts_is_a_definition_error_naming_the_pointer() -> None:
    with pytest.raises(DefinitionError) as error:
        parse_questionnaire(_document(validFrom="2024-02-01", validUntil="2024-01-31"), "gemeente.json")
    assert [(p.source, p.pointer, p.code) for p in error.value.problems] == [
        ("gemeente.json", "/officialForm/validUntil", "invalidPeriod")
    ]


def test_a_validity_date_that_is_not_a_date_is_a_schema_problem() -> None:
    with pytest.raises(DefinitionError) as error:
        parse_questionnaire(_document(validUntil="31-01-2024"), "gemeente.json")
    assert [(p.pointer, p.code) for p in error.value.problems] == [("/officialForm/validUntil", "schema.format")]
