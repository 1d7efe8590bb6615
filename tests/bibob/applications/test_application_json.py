"""Application files as JSON: the examples load and round-trip; bad files list every problem with its pointer."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from bibob.applications import (
    ApplicationState,
    Event,
    application_deadlines,
    application_from_json,
    application_to_json,
)
from bibob.applications.events import EVENT_TYPES
from bibob.exceptions import InvalidInputError, Problem
from bibob.legal import DecisionOutcome, Track
from bibob.schemas import data_dir
from bibob.terms import load_calendar
from tests.conftest import DATA

EXAMPLES = sorted((DATA / "applications").glob("*.json"))


def _example(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((DATA / "applications" / name).read_text("utf-8"))
    return document


def _problems(document: object) -> tuple[Problem, ...]:
    with pytest.raises(InvalidInputError) as caught:
        application_from_json(document)
    return caught.value.problems


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_every_example_file_loads_reaches_its_stated_state_and_round_trips(path: Path) -> None:
    document = json.loads(path.read_text("utf-8"))
    application = application_from_json(document)
    assert application.state.value == document["state"]
    written = application_to_json(application)
    assert application_from_json(written) == application
    assert {key: value for key, value in document.items() if not key.startswith(("$", "description"))} == written


def test_there_are_examples_for_refusal_conditions_art4_and_not_processed() -> None:
    outcomes = set()
    for path in EXAMPLES:
        decision = application_from_json(json.loads(path.read_text("utf-8"))).decision
        assert decision is not None
        outcomes.add(decision.outcome)
    assert outcomes == {
        DecisionOutcome.REFUSED_BIBOB, DecisionOutcome.GRANTED_WITH_CONDITIONS, DecisionOutcome.WITHDRAWN_ART4,
        DecisionOutcome.NOT_PROCESSED,
    }  # fmt: skip


def test_the_deadlines_of_an_example_file_are_computed_from_its_events() -> None:
    application = application_from_json(_example("horeca-refused-after-lbb-advice.json"))
    deadlines = {d.code: d for d in application_deadlines(application, dt.date(2026, 7, 14), load_calendar())}
    assert deadlines["decision"].due == dt.date(2026, 7, 6)
    assert deadlines["objection"].due == dt.date(2026, 8, 24)


def test_an_existing_permit_file_keeps_its_track() -> None:
    application = application_from_json(_example("existing-permit-withdrawn-art4.json"))
    assert application.track is Track.EXISTING_PERMIT
    assert application.state is ApplicationState.DECIDED


def test_a_bad_file_lists_every_problem_with_its_pointer() -> None:
    document = _example("horeca-refused-after-lbb-advice.json")
    del document["id"]
    document["permitType"] = "casino"
    document["events"][0]["on"] = "2026-13-01"
    document["events"][1]["type"] = "screeningGuessed"
    document["events"][4]["levels"] = "ernstig"
    document["events"][4]["extra"] = True
    document["events"][13]["decidedBy"] = 7
    document["events"][13]["grounds"] = ["aBenefit", "cGround"]
    pointers = {(problem.pointer, problem.code) for problem in _problems(document)}
    assert pointers == {
        ("/id", "schema.required"),
        ("/permitType", "schema.enum"),
        ("/events/0/on", "schema.format"),
        ("/events/1/type", "schema.enum"),
        ("/events/4/levels", "schema.type"),
        ("/events/4/extra", "schema.unknownField"),
        ("/events/13/decidedBy", "schema.type"),
        ("/events/13/grounds/1", "schema.enum"),
    }


def test_schema_problems_carry_dutch_messages() -> None:
    document = _example("horeca-not-processed.json")
    document["events"][3]["termEnd"] = 20260323
    (problem,) = _problems(document)
    assert (problem.pointer, problem.message) == ("/events/3/termEnd", "verwacht: tekst")


def test_an_event_missing_a_required_field_is_named() -> None:
    document = _example("horeca-not-processed.json")
    del document["events"][3]["termEnd"]
    assert [(p.pointer, p.message) for p in _problems(document)] == [("/events/3/termEnd", "verplicht veld ontbreekt")]


def test_every_event_dated_out_of_order_is_listed() -> None:
    document = _example("horeca-refused-after-lbb-advice.json")
    document["events"][0]["on"] = "2026-03-01"
    document["events"][6]["on"] = "2026-04-01"
    problems = _problems(document)
    assert [(p.pointer, p.code) for p in problems] == [
        ("/events/0/on", "event.outOfOrder"),
        ("/events/6/on", "event.outOfOrder"),
    ]
    assert "ligt vóór de ontvangst (2026-03-02)" in problems[0].message


def test_a_refused_event_becomes_a_problem_at_its_index_with_the_dutch_reason() -> None:
    document = _example("horeca-refused-after-lbb-advice.json")
    document["events"][13]["proportionality"] = None
    (problem,) = _problems(document)
    assert (problem.pointer, problem.code) == ("/events/13", "transition.refused")
    assert "vereist een evenredigheidstoets (art. 3 lid 5)" in problem.message


def test_an_event_in_the_wrong_place_names_where_it_may_follow() -> None:
    document = _example("horeca-not-processed.json")
    document["events"].insert(1, {"type": "lbbRequested", "on": "2026-03-03", "applicantInformedOn": "2026-03-03"})
    (problem,) = _problems(document)
    assert problem.pointer == "/events/1"
    assert "kan alleen volgen op: conclusie eigen onderzoek" in problem.message


def test_a_stated_state_that_differs_from_the_replayed_one_is_a_problem() -> None:
    document = _example("horeca-not-processed.json")
    document["state"] = "decided"
    (problem,) = _problems(document)
    assert (problem.pointer, problem.code) == ("/state", "state.mismatch")


def test_the_track_defaults_to_an_application_and_the_state_is_optional() -> None:
    document = copy.deepcopy(_example("horeca-not-processed.json"))
    del document["track"], document["state"]
    assert application_from_json(document).track is Track.APPLICATION


def test_a_document_that_is_not_an_object_is_refused() -> None:
    assert [p.code for p in _problems(["not", "an", "application"])] == ["schema.type"]


def test_an_lbb_request_without_the_date_the_applicant_was_informed_is_refused_by_art_32() -> None:
    document = _example("horeca-refused-after-lbb-advice.json")
    del document["events"][5]["applicantInformedOn"]
    (problem,) = _problems(document)
    assert problem.pointer == "/events/5"
    assert "art. 32" in problem.message


@pytest.mark.parametrize("event_type", EVENT_TYPES, ids=lambda event_type: event_type.TYPE)
def test_the_schema_of_each_event_requires_exactly_the_fields_without_a_default(event_type: type[Event]) -> None:
    schema = json.loads((data_dir("schemas") / "application.schema.json").read_text("utf-8"))
    definition = schema["$defs"][event_type.TYPE]
    fields = attrs.fields(event_type)
    camel = {_camel(field.name) for field in fields}
    assert set(definition["properties"]) == {"type", *camel}
    assert set(definition["required"]) == {"type", *(_camel(f.name) for f in fields if f.default is attrs.NOTHING)}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
