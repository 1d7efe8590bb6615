"""The jsonschema-rs fast path of `schema_problems` agrees with python-jsonschema on which documents are valid."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest

from bibob.schemas import _fast_validator, _validator, schema_problems
from tests.conftest import DATA, ROOT
from tests.figures import report

DOCUMENTS = {
    "questionnaire.schema.json": [ROOT / "questionnaires" / "bibob-overheidsopdracht.json", DATA / "definitions"],
    "selection.schema.json": [DATA / "selections"],
    "policy.schema.json": [ROOT / "policies" / "default.json", DATA / "policies" / "broken-schema.json"],
    "calendar.schema.json": [ROOT / "calendars"],
    "application.schema.json": [DATA / "applications"],
    "signal.schema.json": [DATA / "signals"],
    "timeline.schema.json": [DATA / "timelines"],
}
REPLACEMENTS: tuple[Any, ...] = (None, 0, -1, 1.5, "", "x", "2026-13-45", "2026-02-03", [], {}, True)
PATHS_PER_DOCUMENT = 15  # spread over the document; python-jsonschema takes tens of ms on a questionnaire


def documents(schema: str) -> Iterator[tuple[str, Any]]:
    for place in DOCUMENTS[schema]:
        for path in sorted(place.glob("*.json")) if place.is_dir() else [place]:
            yield path.name, json.loads(path.read_text("utf-8"))


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield from paths(child, (*prefix, key))


def mutants(document: Any) -> Iterator[Any]:
    """The document with one place replaced by a value of another kind, deleted, or given an unknown field."""
    every = list(paths(document))[1:]
    for path in every[:: max(1, len(every) // PATHS_PER_DOCUMENT)]:
        for replacement in (*REPLACEMENTS, "delete", "unknown"):
            mutant = copy.deepcopy(document)
            parent = mutant
            for key in path[:-1]:
                parent = parent[key]
            if replacement == "delete":
                del parent[path[-1]]
            elif replacement == "unknown":
                if not isinstance(parent[path[-1]], dict):
                    continue
                parent[path[-1]]["zzOnbekend"] = 1
            else:
                parent[path[-1]] = replacement
            yield mutant


@pytest.mark.parametrize("schema", sorted(DOCUMENTS))
def test_fast_and_full_validation_agree_on_validity(schema: str) -> None:
    compared, disagreements, invalid = 0, [], 0
    for name, document in documents(schema):
        for candidate in (document, *mutants(document)):
            full = not any(True for _ in _validator(schema).iter_errors(candidate))
            fast = _fast_validator(schema).is_valid(candidate)
            compared, invalid = compared + 1, invalid + (not full)
            if full != fast:
                disagreements.append((name, json.dumps(candidate)[:200]))
    report(f"schema fast path ({schema})", f"{compared} documents, {invalid} invalid, {len(disagreements)} disagree")
    assert not disagreements, disagreements[:3]
    assert compared > 20 and invalid > 0


def test_a_document_jsonschema_rs_cannot_read_still_gets_its_problems() -> None:
    problems = schema_problems("signal.schema.json", {1: "x"})
    assert problems and all(problem.code.startswith("schema.") for problem in problems)


def test_the_fast_path_returns_no_problems_for_a_valid_document() -> None:
    document = json.loads((DATA / "signals" / "resident-drug-house.json").read_text("utf-8"))
    assert schema_problems("signal.schema.json", document) == ()
