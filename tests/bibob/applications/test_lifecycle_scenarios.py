"""Worked lifecycle scenarios (tests/scenarios/lifecycle/): the register, art. 28, the other tracks, objection, terms.

Each file is an application as `schemas/application.schema.json` describes it, with the state its events
reach, the deadlines on its reference date (on the policy's terms and the calendar of `calendars/`), the
steps the lifecycle must refuse with a fragment of the Dutch reason, and the steps it must allow — each
scenario naming the articles it follows.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from bibob.applications import application_deadlines, application_from_json, check_event, event_from_json
from bibob.policy import Policy, load_policy
from bibob.terms import AtwCalendar, load_calendar
from tests.conftest import SCENARIOS

FILES = sorted((SCENARIOS / "lifecycle").glob("*.json"))


@pytest.fixture(name="calendar", scope="module")
def _calendar() -> AtwCalendar:
    return load_calendar()


@pytest.fixture(name="policy", scope="module")
def _policy() -> Policy:
    return load_policy()


def _scenario(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return document


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_each_lifecycle_scenario_reaches_its_state_deadlines_and_refuses_and_allows_the_named_steps(
    path: Path, calendar: AtwCalendar, policy: Policy
) -> None:
    scenario = _scenario(path)
    application = application_from_json(scenario["application"], path.name, calendar)
    expected = scenario["expected"]
    assert application.state.value == expected["state"]
    rule = policy.decision_term(application.permit_type)
    terms = {"decision_term": rule.term, "decision_term_basis": rule.legal_basis} if rule else {}
    today = dt.date.fromisoformat(scenario["referenceDate"])
    found = application_deadlines(
        application, today, calendar, register_working_days=policy.register_working_days, **terms
    )
    deadlines = {d.code: d for d in found}
    for code, want in expected.get("deadlines", {}).items():
        assert (deadlines[code].due.isoformat(), deadlines[code].status.value) == (want["due"], want["status"]), code
    assert not set(expected.get("absent", ())) & set(deadlines)
    for refused in expected.get("refused", ()):
        verdict = check_event(application, event_from_json(refused["event"]))
        assert not verdict.allowed and refused["reason"] in "; ".join(verdict.reasons), verdict.reasons
    for allowed in expected.get("allowed", ()):
        verdict = check_event(application, event_from_json(allowed))
        assert verdict.allowed, verdict.reasons


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_each_lifecycle_scenario_names_the_articles_it_follows_and_says_what_happens_in_dutch(path: Path) -> None:
    scenario = _scenario(path)
    assert any(word in scenario["basis"]["law"] for word in ("art.", "Awb", "Bibob-register"))
    assert len(scenario["description"]) > 80


def test_the_lifecycle_scenarios_cover_the_register_art28_every_new_track_and_the_objection_phase() -> None:
    kinds = {event["type"] for path in FILES for event in _scenario(path)["application"]["events"]}
    tracks = {_scenario(path)["application"]["track"] for path in FILES}
    assert {"registerConsulted", "screeningTriggered", "withdrawalRegistered", "fileClosed"} <= kinds
    assert {"objectionHearingHeld", "supplementaryAdviceReceived", "objectionDecided", "lbbAdviceCopySent"} <= kinds
    assert {"realEstate", "publicContract", "subsidy", "application"} <= tracks
    assert len(FILES) >= 11
