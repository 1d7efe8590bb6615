"""Frozen attrs values (events, plan items, evidence) to camelCase JSON and back, driven by their field types."""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Mapping
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
    for field in attrs.fields(type(value)):
        item = getattr(value, field.name)
        if field.default is attrs.NOTHING or item not in ((), "", None):
            document[camel(field.name)] = to_json_value(item)
    return document


def object_from_json(kind: type[T], raw: Mapping[str, Any]) -> T:
    """The attrs value of `kind` a schema-valid object describes (absent fields take their default)."""
    cls: Any = kind
    attrs.resolve_types(cls)
    fields = attrs.fields(cls)
    values = {f.name: from_json_value(f.type, raw[camel(f.name)]) for f in fields if camel(f.name) in raw}
    return kind(**values)


def from_json_value(kind: Any, raw: Any) -> Any:
    """A schema-valid JSON value as the domain value of type `kind`."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (types.UnionType, typing.Union):
        if raw is None:
            return None
        return from_json_value(next(arg for arg in args if arg is not type(None)), raw)
    if origin is tuple:
        return tuple(from_json_value(args[0], item) for item in raw)
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(raw)
    if kind is dt.date:
        return dt.date.fromisoformat(raw)
    if isinstance(kind, type) and issubclass(kind, LabelledEnum):
        member = kind.parse(raw)
        assert member is not None  # the schema allows only wire values
        return member
    if isinstance(kind, type) and attrs.has(kind):
        return object_from_json(kind, raw)
    return raw
