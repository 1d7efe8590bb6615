"""Signals as JSON (`schemas/signal.schema.json`): validate, replay the weighing, and write back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from bibob._json import from_json_value, object_from_json, object_to_json, to_json_value
from bibob.exceptions import InvalidInputError, Problem, TransitionError
from bibob.schemas import schema_problems
from bibob.undermining.signals import (
    SIGNAL_EVENT_TYPES,
    Channel,
    ReporterContact,
    Signal,
    SignalEvent,
    SignalSource,
    apply_signal_event,
)
from bibob.undermining.subjects import Subjects
from bibob.undermining.vocabulary import Theme

SCHEMA = "signal.schema.json"


def signal_from_json(data: object, source: str = "") -> Signal:
    """The signal a JSON document describes, after replaying its events through the weighing table.

    Raises `InvalidInputError` listing every schema problem; or a problem at `/reporter` for an
    anonymous signal with a reporter; or at `/events/<index>` for the first event the table refuses;
    or at `/state` (`/destroyOn`) when the stated value differs from the replayed one.
    """
    problems = schema_problems(SCHEMA, data, source)
    if problems:
        raise InvalidInputError(problems)
    assert isinstance(data, Mapping)  # the schema demands an object
    try:
        signal = _start(data)
    except InvalidInputError as error:
        raise InvalidInputError(tuple(_with_source(p, source) for p in error.problems)) from None
    signal = _replayed(signal, data.get("events", ()), source)
    if "state" in data or "destroyOn" in data:  # an intake states neither: skip writing the document back
        check_stated(data, signal_to_json(signal), ("state", "destroyOn"), source)
    return signal


def signal_to_json(signal: Signal) -> dict[str, Any]:
    """The JSON document of `signal` (camelCase), which `signal_from_json` reads back."""
    document: dict[str, Any] = {
        "id": signal.id,
        "source": signal.source.value,
        "channel": signal.channel.value,
        "received": signal.received.isoformat(),
        "text": signal.text,
        "theme": signal.theme.value,
        "subjects": object_to_json(signal.subjects),
        "state": signal.state.value,
        "events": [{"type": event.TYPE, **object_to_json(event)} for event in signal.history],
    }
    if signal.reporter is not None:
        document["reporter"] = object_to_json(signal.reporter)
    if signal.destroy_on is not None:
        document["destroyOn"] = to_json_value(signal.destroy_on)
    return document


def check_stated(data: Mapping[str, Any], derived: Mapping[str, Any], names: tuple[str, ...], source: str) -> None:
    """Raise `InvalidInputError` for each of `names` the document states otherwise than derived."""
    problems = tuple(
        Problem(f"/{name}", f"{name}.mismatch", f"volgens de gebeurtenissen is '{name}' {derived.get(name)!r}", source)
        for name in names
        if name in data and data[name] != derived.get(name)
    )
    if problems:
        raise InvalidInputError(problems)


def _start(data: Mapping[str, Any]) -> Signal:
    reporter = data.get("reporter")
    return Signal(
        id=data["id"],
        source=from_json_value(SignalSource, data["source"]),
        channel=from_json_value(Channel, data["channel"]),
        received=from_json_value(dt.datetime, data["received"]),
        text=data["text"],
        subjects=object_from_json(Subjects, data.get("subjects", {})),
        theme=from_json_value(Theme, data.get("theme", Theme.OTHER.value)),
        reporter=object_from_json(ReporterContact, reporter) if reporter is not None else None,
    )


def _replayed(signal: Signal, events: Any, source: str) -> Signal:
    for index, document in enumerate(events):
        event: SignalEvent = object_from_json(SIGNAL_EVENT_TYPES[document["type"]], document)
        try:
            signal = apply_signal_event(signal, event)
        except TransitionError as error:
            message = f"{error.event} niet mogelijk in status '{error.state}': {error.reason}"
            raise InvalidInputError((Problem(f"/events/{index}", "transition.refused", message, source),)) from None
    return signal


def _with_source(problem: Problem, source: str) -> Problem:
    return Problem(problem.pointer, problem.code, problem.message, source)
