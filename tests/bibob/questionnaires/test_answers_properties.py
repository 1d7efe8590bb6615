"""Properties of answer validation over generated documents: it never raises, and both validators agree."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bibob import Questionnaire, answer_schema, load_catalogue, validate_answers
from bibob.questionnaires.messages import pointer_of, reference_locations, rs_locations
from bibob.questionnaires.validation import compiled_validator
from tests.conftest import TODAY, answers

HORECA = load_catalogue()["bibob-overige-beschikkingen"]
REFERENCE = jsonschema.Draft202012Validator(
    answer_schema(HORECA), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)

SCALARS = st.none() | st.booleans() | st.integers(-(10**6), 10**16) | st.floats(allow_nan=False) | st.text(max_size=12)
JSON = st.recursive(
    SCALARS | st.sampled_from(["2026-01-01", "2027-13-01", "nee", "bv", "contant", "person", "organisation"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text(max_size=8) | st.sampled_from(["kind", "surname", "bsn", "1B", "1C", "answers", "modules", "4"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=25,
)
SEEDS = [
    answers(n)
    for n in ("valid-eenmanszaak-horeca.json", "valid-bv-two-ubos.json", "valid-bv-holding-private-loan.json")
]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    """A valid synthetic application with one to three subtrees replaced, removed or added."""
    document = copy.deepcopy(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(document)[1:]))
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["2Z", "extra", "1G", "6F.huur", "bsn"]))] = draw(JSON)
        else:
            parent[path[-1]] = draw(JSON)
        if not _paths(document)[1:]:
            break
    return document


def _locations(document: Any) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    fast = {(pointer_of(p), k) for e in compiled_validator(HORECA).iter_errors(document) for p, k in rs_locations(e)}
    reference = {(pointer_of(p), k) for e in REFERENCE.iter_errors(document) for p, k in reference_locations(e)}
    return fast, reference


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_validate_answers_returns_problems_and_never_raises_on_arbitrary_json(document: Any) -> None:
    problems = validate_answers(HORECA, document, today=TODAY)
    assert isinstance(problems, tuple)
    if not isinstance(document, dict) or "answers" not in document:
        assert problems


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_validate_answers_never_raises_on_damaged_applications(document: Any) -> None:
    problems = validate_answers(HORECA, document, today=TODAY)
    assert all(p.pointer.startswith("/") or p.pointer == "" for p in problems)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated() | JSON)
def test_compiled_and_reference_validators_agree_on_validity_and_error_pointers(document: Any) -> None:
    fast, reference = _locations(document)
    assert compiled_validator(HORECA).is_valid(document) == REFERENCE.is_valid(document)
    assert fast == reference


def test_the_differential_test_sees_real_errors(horeca: Questionnaire) -> None:
    fast, reference = _locations(answers("broken-wrong-types.json"))
    assert (
        fast
        == reference
        == {
            ("/answers/2C.bezittingen/0/waardeNu", "type"),
            ("/answers/2Z", "additionalProperties"),
            ("/answers/6A", "enum"),
        }
    )
