"""The shipped data: every schema is a valid 2020-12 schema, every questionnaire loads and covers its form."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from bibob import load_questionnaire
from tests.conftest import ROOT

SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.json"))
QUESTIONNAIRES = sorted((ROOT / "questionnaires").glob("*.json"))


def _ids(prefix: str, last: str, skip: frozenset[str] = frozenset()) -> set[str]:
    return {f"{prefix}{chr(c)}" for c in range(ord("A"), ord(last) + 1)} - skip


_PERSON_MODULES = _ids("1", "G") | _ids("2", "L") | _ids("3", "M") | _ids("4", "M") | _ids("5", "G")
_CONTRACT_SKIP = frozenset({"2I", "2J", "2L", "3J", "3K", "3M", "4J", "4K", "4M", "5D", "5E"})

# official question ids per variant, as reference/domain.md §3 lists them
EXPECTED_IDS = {
    "bibob-overige-beschikkingen": _ids("1", "G")
    | _ids("2", "M")
    | _ids("3", "N")
    | _ids("4", "N")
    | _ids("5", "G")
    | _ids("6", "K")
    | {"7"},
    "bibob-omgevingsvergunning-bouw": _PERSON_MODULES | _ids("6", "G") | {"7"},
    "bibob-subsidie": _PERSON_MODULES | {"6G", "6H", "7"},
    "bibob-vastgoedtransactie": _PERSON_MODULES | {"6.3", "6.4", "6.5", "6.6", "6.7", "6.8", "7"},
    "bibob-overheidsopdracht": (_PERSON_MODULES - _CONTRACT_SKIP) | {"7"},
}


def test_there_is_a_schema_for_questionnaires_selections_calendars_and_timelines() -> None:
    names = {p.name for p in SCHEMAS}
    assert {"questionnaire.schema.json", "selection.schema.json", "calendar.schema.json"} <= names


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_schema_is_a_valid_2020_12_schema_whose_id_is_its_file_name(path: Path) -> None:
    schema = json.loads(path.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == path.name


@pytest.mark.parametrize("path", QUESTIONNAIRES, ids=lambda p: p.stem)
def test_every_questionnaire_matches_the_meta_schema_and_loads(path: Path) -> None:
    schema = json.loads((ROOT / "schemas" / "questionnaire.schema.json").read_text("utf-8"))
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.loads(path.read_text("utf-8"))))
    assert errors == []
    assert load_questionnaire(path).id == path.stem


def test_every_form_variant_named_in_the_domain_is_shipped() -> None:
    assert {p.stem for p in QUESTIONNAIRES} == set(EXPECTED_IDS)


@pytest.mark.parametrize("variant", sorted(EXPECTED_IDS))
def test_each_variant_asks_every_official_question_id_the_domain_lists_for_it(variant: str) -> None:
    questionnaire = load_questionnaire(ROOT / "questionnaires" / f"{variant}.json")
    missing = EXPECTED_IDS[variant] - questionnaire.used_official_ids
    assert missing == set()
    assert questionnaire.used_official_ids <= set(questionnaire.official_form.official_ids)


def test_the_contract_variant_leaves_out_what_the_tender_declaration_covers() -> None:
    questionnaire = load_questionnaire(ROOT / "questionnaires" / "bibob-overheidsopdracht.json")
    assert questionnaire.used_official_ids.isdisjoint(_CONTRACT_SKIP | _ids("6", "K"))
