"""Application files as JSON (`schemas/application.schema.json`): validate, replay the events, and write back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import attrs

from bibob.applications.events import (
    EVENTS_BY_TYPE,
    Event,
    IntentionKind,
    Levels,
    ObjectionOutcome,
    Screening,
    ScreeningTrigger,
)
from bibob.applications.lifecycle import apply_event
from bibob.applications.model import Application
from bibob.exceptions import InvalidInputError, Problem, TransitionError
from bibob.labels import LabelledEnum
from bibob.legal import DangerLevel, DecisionOutcome, Ground, LegalAct, PermitType, ProportionalityRecord, Track
from bibob.schemas import schema_problems
from bibob.terms import AtwCalendar, Term, TermUnit

SCHEMA = "application.schema.json"
L = TypeVar("L", bound=LabelledEnum)


def application_from_json(data: object, source: str = "", calendar: AtwCalendar | None = None) -> Application:
    """The application a JSON document describes, after replaying its events through the lifecycle.

    `calendar` is the Atw calendar the lifecycle's terms use (default: the one in `calendars/`).

    Raises `InvalidInputError` listing every schema problem; or else every event dated out of order;
    or else the first event the lifecycle refuses, as a problem at `/events/<index>` with the Dutch
    reason; or a `/state` problem when the stated state differs from the replayed one.
    """
    problems = schema_problems(SCHEMA, data, source)
    if problems:
        raise InvalidInputError(problems)
    assert isinstance(data, Mapping)  # the schema demands an object
    problems = tuple(_order_problems(data, source))
    if problems:
        raise InvalidInputError(problems)
    application = _replayed(_start(data, calendar), data["events"], source)
    stated = data.get("state")
    if stated is not None and stated != application.state.value:
        message = f"de status na de gebeurtenissen is '{application.state.value}', niet '{stated}'"
        raise InvalidInputError((Problem("/state", "state.mismatch", message, source),))
    return application


def application_to_json(application: Application) -> dict[str, Any]:
    """The JSON document of `application` (camelCase), which `application_from_json` reads back."""
    return {
        "id": application.id,
        "permitType": application.permit_type.value,
        "legalAct": application.legal_act.value,
        "track": application.track.value,
        "received": application.received.isoformat(),
        "state": application.state.value,
        "events": [event_to_json(event) for event in application.history],
    }


def event_to_json(event: Event) -> dict[str, Any]:
    """One event as `{"type": ..., "on": ..., ...}`; empty optional fields are left out."""
    document: dict[str, Any] = {"type": event.TYPE}
    for field in attrs.fields(type(event)):
        value = getattr(event, field.name)
        empty = value in ((), "", None) or (value is False and field.default is False)
        if not empty or field.default is attrs.NOTHING:
            document[_camel(field.name)] = _encode(field.name, value)
    return document


def event_from_json(document: Mapping[str, Any]) -> Event:
    """One schema-valid event document as its event value."""
    event_type = EVENTS_BY_TYPE[document["type"]]
    values = {field.name: _decode(field.name, document[_camel(field.name)]) for field in attrs.fields(event_type)
              if _camel(field.name) in document}  # fmt: skip
    return event_type(**values)


def _start(data: Mapping[str, Any], calendar: AtwCalendar | None) -> Application:
    permit_type, legal_act = _member(PermitType, data["permitType"]), _member(LegalAct, data["legalAct"])
    track = _member(Track, data.get("track", Track.APPLICATION.value))
    application = Application(data["id"], permit_type, legal_act, _day(data["received"]), track)
    return application if calendar is None else attrs.evolve(application, calendar=calendar)


def _order_problems(data: Mapping[str, Any], source: str) -> Iterator[Problem]:
    """Every event dated before the one it follows (or before the application was received)."""
    previous, what = data["received"], "de ontvangst"
    for index, event in enumerate(data["events"]):
        if event["on"] < previous:
            message = f"datum {event['on']} ligt vóór {what} ({previous}); gebeurtenissen staan in volgorde"
            yield Problem(f"/events/{index}/on", "event.outOfOrder", message, source)
        previous, what = max(previous, event["on"]), "de vorige gebeurtenis"


def _replayed(application: Application, events: list[Mapping[str, Any]], source: str) -> Application:
    for index, document in enumerate(events):
        try:
            application = apply_event(application, event_from_json(document))
        except TransitionError as error:
            message = f"{error.event} niet mogelijk in status '{error.state}': {error.reason}"
            raise InvalidInputError((Problem(f"/events/{index}", "transition.refused", message, source),)) from None
    return application


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _member(kind: type[L], value: str) -> L:
    member = kind.parse(value)
    assert member is not None  # the schema allows only wire values
    return member


def _term(value: Mapping[str, Any]) -> Term:
    return Term(value["amount"], _member(TermUnit, value["unit"]))


def _levels(value: Mapping[str, str]) -> Levels:
    return tuple((_member(Ground, ground), _member(DangerLevel, level)) for ground, level in value.items())


def _proportionality(value: Mapping[str, Any] | None) -> ProportionalityRecord | None:
    if value is None:
        return None
    fields = {field.name: value.get(_camel(field.name), "") for field in attrs.fields(ProportionalityRecord)}
    return ProportionalityRecord(**{**fields, "recorded_on": _day(value["recordedOn"])})


_DECODERS: Mapping[str, Callable[[Any], Any]] = {
    "on": _day,
    "term_end": _day,
    "applicant_informed_on": lambda value: None if value is None else _day(value),
    "term": _term,
    "zienswijze_term": _term,
    "levels": _levels,
    "screening": lambda value: _member(Screening, value),
    "kind": lambda value: _member(IntentionKind, value),
    "outcome": lambda value: _member(DecisionOutcome, value),
    "grounds": lambda values: tuple(_member(Ground, value) for value in values),
    "conditions": tuple,
    "subjects": tuple,
    "trigger": lambda value: _member(ScreeningTrigger, value),
    "result": lambda value: _member(ObjectionOutcome, value),
    "proportionality": _proportionality,
}


def _decode(name: str, value: Any) -> Any:
    decoder = _DECODERS.get(name)
    return decoder(value) if decoder else value


def _encode(name: str, value: object) -> Any:
    if name == "levels":
        return {ground.value: level.value for ground, level in value}  # type: ignore[attr-defined]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Term):
        return {"amount": value.amount, "unit": value.unit.value}
    if isinstance(value, ProportionalityRecord):
        return {
            _camel(field.name): _encode(field.name, getattr(value, field.name)) for field in attrs.fields(type(value))
        }
    if isinstance(value, tuple):
        return [_encode(name, item) for item in value]
    return value.value if isinstance(value, LabelledEnum) else value
