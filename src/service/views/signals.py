"""Signals on the wire: intake and weighing bodies into domain values, the inbox filter, and the signal as JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from bibob._json import object_from_json
from bibob.exceptions import InvalidInputError, Problem
from bibob.identifiers import normalise_bsn
from bibob.labels import LabelledEnum
from bibob.undermining import (
    SIGNAL_EVENT_TYPES,
    Signal,
    SignalEvent,
    SignalSource,
    SignalState,
    Theme,
    signal_from_json,
)
from service.auth import Principal, Role
from service.store.common import new_id
from service.store.signals import InboxFilter, StoredSignal
from service.views.inputs import converted, happened, json_object, moment, validated

SCHEMA = "signal.schema.json"
INTAKE_FIELDS = ("source", "channel", "received", "text", "theme", "subjects", "reporter")
WEIGHING_FIELDS = (
    "type",
    "at",
    "decision",
    "reason",
    "partner",
    "department",
    "reference",
    "source",
    "hit",
    "approvedBy",
    "assignee",
)


def signal_view(stored: StoredSignal) -> dict[str, Any]:
    """A signal for the advisor: its JSON document (signal.schema.json), its version and who registered it."""
    return {**stored.document, "version": stored.version, "registeredBy": stored.registered_by}


def intake_view(stored: StoredSignal, principal: Principal) -> dict[str, Any]:
    """What the one who registered the signal hears back: the intake partner only an acknowledgement id."""
    if principal.role is Role.SIGNAL_INTAKE_PARTNER:
        return {"id": stored.id}  # the partner reads nothing back
    return signal_view(stored)


def intake(body: object, now: dt.datetime) -> Signal:
    """The signal a submitted body describes; the id is ours, `received` defaults to now."""
    fields = json_object(body, INTAKE_FIELDS, ("source", "channel", "text"))
    document = {**fields, "id": new_id(), "received": fields.get("received", now.isoformat())}
    bsns = bsn_problems(fields.get("subjects"))
    try:
        signal = converted(lambda: signal_from_json(document), "/received")
    except InvalidInputError as error:
        raise InvalidInputError((*error.problems, *bsns)) from None
    if bsns:
        raise InvalidInputError(bsns)
    happened(signal.received, now, "/received")
    if not signal.text.strip() and not signal.subjects:
        raise InvalidInputError([
            Problem("/text", "signal.empty", "beschrijf wat er gemeld is, of noem ten minste één betrokkene"),
            Problem("/subjects", "signal.empty", "noem ten minste één betrokkene, of beschrijf wat er gemeld is"),
        ])  # fmt: skip
    return signal


def bsn_problems(subjects: object) -> list[Problem]:
    """A BSN of a person on a signal is checked as everywhere else (nine digits, the elfproef)."""
    persons = subjects.get("persons") if isinstance(subjects, Mapping) else None
    return [
        Problem(f"/subjects/persons/{index}/bsn", "invalidBsn", "Dit is geen geldig burgerservicenummer (elfproef).")
        for index, person in enumerate(persons if isinstance(persons, list) else [])
        if isinstance(person, Mapping) and isinstance(person.get("bsn"), str) and normalise_bsn(person["bsn"]) is None
    ]


def weighing(body: object, document: Mapping[str, Any], principal: Principal, now: dt.datetime) -> SignalEvent:
    """The weighing event a body describes, validated by the signal schema; `by` is the principal."""
    fields = json_object(body, WEIGHING_FIELDS)
    event = {"type": "weighed", **fields, "by": principal.user, "at": fields.get("at", now.isoformat())}
    wrapper = {name: value for name, value in document.items() if name not in ("events", "state", "destroyOn")}
    validated(SCHEMA, {**wrapper, "events": [event]}, {"/events/0": ""})
    kind = SIGNAL_EVENT_TYPES[event["type"]]
    weighed: SignalEvent = converted(lambda: object_from_json(kind, event), "/at")
    happened(weighed.at, now, "/at")
    return weighed


def inbox_filter(
    state: str | None, source: str | None, theme: str | None, received_from: str | None, received_to: str | None
) -> InboxFilter:
    """What the advisor narrows the inbox to, from the query (dates are whole days in Dutch time)."""
    return InboxFilter(
        states=(_wire(SignalState, state, "state"),) if state is not None else None,
        source=_wire(SignalSource, source, "source") if source is not None else None,
        theme=_wire(Theme, theme, "theme") if theme is not None else None,
        received_from=moment(received_from, "receivedFrom"),
        received_to=moment(received_to, "receivedTo", end=True),
    )


def _wire(kind: type[LabelledEnum], value: str, name: str) -> str:
    member = kind.parse(value)
    if member is None:
        allowed = ", ".join(m.value for m in kind)
        raise InvalidInputError([Problem(name, "schema.enum", f"onbekende waarde, toegestaan: {allowed}")])
    return str(member.value)
