"""Frozen attrs values (events, plan items, evidence) to camelCase JSON and back, driven by their field types."""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs

from bibob.labels import LabelledEnum

T = TypeVar("T")


def camel(name: str) -> str:
    """snake_case → camelCase."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def to_json_value(value: object) -> Any:
    """A domain value as JSON: enums by wire value, dates ISO 8601, tuples as lists, attrs values as objects."""
    if isinstance(value, LabelledEnum):
        return value.value
    if isinstance(value, dt.date):  # datetime is a date too
        return value.isoformat()
    if isinstance(value, tuple):
        return [to_json_value(item) for item in value]
    if attrs.has(type(value)):
        return object_to_json(value)
    return value


def object_to_json(value: Any) -> dict[str, Any]:
    """An attrs value as a camelCase object; optional fields left empty are left out."""
    document: dict[str, Any] = {}
    for name, wire, required in _writers(type(value)):
        item = getattr(value, name)
        if required or item not in ((), "", None):
            document[wire] = to_json_value(item)
    return document


def object_from_json(kind: type[T], raw: Mapping[str, Any]) -> T:
    """The attrs value of `kind` a schema-valid object describes (absent fields take their default)."""
    return kind(**{name: read(raw[wire]) for name, wire, read in _readers(kind) if wire in raw})


def from_json_value(kind: Any, raw: Any) -> Any:
    """A schema-valid JSON value as the domain value of type `kind`."""
    return _reader(kind)(raw)


# The field types are looked at once per class and type; reading and writing then only follow the plan.


_WRITERS: dict[type, tuple[tuple[str, str, bool], ...]] = {}
_READERS: dict[type, tuple[tuple[str, str, Callable[[Any], Any]], ...]] = {}


def _writers(cls: type) -> tuple[tuple[str, str, bool], ...]:
    """(field name, wire name, always written) per field of an attrs class."""
    plan = _WRITERS.get(cls)
    if plan is None:
        plan = _WRITERS[cls] = tuple((f.name, camel(f.name), f.default is attrs.NOTHING) for f in attrs.fields(cls))
    return plan


def _readers(cls: type) -> tuple[tuple[str, str, Callable[[Any], Any]], ...]:
    """(field name, wire name, reader) per field of an attrs class."""
    plan = _READERS.get(cls)
    if plan is None:
        attrs.resolve_types(cls)
        plan = _READERS[cls] = tuple((f.name, camel(f.name), _reader(f.type)) for f in attrs.fields(cls))
    return plan


@functools.cache
def _reader(kind: Any) -> Callable[[Any], Any]:
    """The function turning a schema-valid JSON value into the domain value of type `kind`."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (types.UnionType, typing.Union):
        inner = _reader(next(arg for arg in args if arg is not type(None)))
        return lambda raw: None if raw is None else inner(raw)
    if origin is tuple:
        item = _reader(args[0])
        return lambda raw: tuple(item(value) for value in raw)
    if kind is dt.datetime:
        return dt.datetime.fromisoformat
    if kind is dt.date:
        return dt.date.fromisoformat
    if isinstance(kind, type) and issubclass(kind, LabelledEnum):
        return functools.partial(_member, kind)
    if isinstance(kind, type) and attrs.has(kind):
        return functools.partial(object_from_json, kind)
    return _as_is


def _member(kind: type[LabelledEnum], raw: Any) -> LabelledEnum:
    member = kind.parse(raw)
    assert member is not None  # the schema allows only wire values
    return member


def _as_is(raw: Any) -> Any:
    return raw
