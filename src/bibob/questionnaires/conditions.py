"""Routing conditions: when a question applies, as frozen values, evaluated or compiled into predicates."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

from bibob.questionnaires.caching import identity_first


@attrs.frozen(cache_hash=True)
class Equals:
    """The answer to `question` equals `value` (JSON equality: true is not 1)."""

    question: str
    value: str | bool | int


@attrs.frozen(cache_hash=True)
class NotEquals:
    """The answer to `question` is given and differs from `value`."""

    question: str
    value: str | bool | int


@attrs.frozen(cache_hash=True)
class OneOf:
    """The answer to `question` is one of `values`."""

    question: str
    values: tuple[str | int, ...]


@attrs.frozen(cache_hash=True)
class Contains:
    """The multi-choice answer to `question` contains `value`."""

    question: str
    value: str


@attrs.frozen(cache_hash=True)
class All:
    """Every part holds."""

    parts: tuple[Condition, ...]


@attrs.frozen(cache_hash=True)
class AnyOf:
    """At least one part holds."""

    parts: tuple[Condition, ...]


Condition = Equals | NotEquals | OneOf | Contains | All | AnyOf


def same_json(left: object, right: object) -> bool:
    """JSON equality: booleans never equal numbers; 1 equals 1.0."""
    if type(left) is type(right):
        return left == right
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left is right
    return (type(left) in (int, float) and type(right) in (int, float) and left == right) or (
        type(left) is type(right) and left == right
    )


def holds(condition: Condition, scope: Mapping[str, Any]) -> bool:
    """Whether `condition` holds for the answers in `scope` (an unanswered question never matches)."""
    match condition:
        case All(parts):
            return all(holds(part, scope) for part in parts)
        case AnyOf(parts):
            return any(holds(part, scope) for part in parts)
        case Equals(question, value):
            return question in scope and same_json(scope[question], value)
        case NotEquals(question, value):
            return question in scope and not same_json(scope[question], value)
        case OneOf(question, values):
            return question in scope and any(same_json(scope[question], v) for v in values)
        case Contains(question, value):
            answer = scope.get(question)
            return isinstance(answer, list) and value in answer
    raise AssertionError(condition)  # pragma: no cover


Predicate = Callable[[Mapping[str, Any]], bool]
_MISSING = object()


@identity_first(8192)  # a condition of a loaded questionnaire is found by identity, not hashed again per answer
@functools.lru_cache(maxsize=8192)
def predicate(condition: Condition) -> Predicate:
    """`condition` compiled into a function of the scope, equivalent to `holds` but faster."""
    match condition:
        case All(parts):
            return _all(tuple(predicate(p) for p in parts))
        case AnyOf(parts):
            return _any(tuple(predicate(p) for p in parts))
        case Equals(question, value):
            return lambda scope: same_json(scope.get(question, _MISSING), value)
        case NotEquals(question, value):
            return lambda scope: (v := scope.get(question, _MISSING)) is not _MISSING and not same_json(v, value)
        case OneOf(question, values):
            return lambda scope: (
                (v := scope.get(question, _MISSING)) is not _MISSING and any(same_json(v, option) for option in values)
            )
        case Contains(question, value):
            return lambda scope: isinstance(v := scope.get(question), list) and value in v
    raise AssertionError(condition)  # pragma: no cover


def _all(parts: tuple[Predicate, ...]) -> Predicate:
    def every(scope: Mapping[str, Any]) -> bool:
        for part in parts:  # noqa: SIM110 - a plain loop: routing is evaluated for every answer of every document
            if not part(scope):
                return False
        return True

    return every


def _any(parts: tuple[Predicate, ...]) -> Predicate:
    return lambda scope: any(part(scope) for part in parts)


def condition_questions(condition: Condition) -> Iterator[str]:
    """Every question id a condition reads."""
    if isinstance(condition, All | AnyOf):
        for part in condition.parts:
            yield from condition_questions(part)
    else:
        yield condition.question


def both(first: Condition | None, second: Condition | None) -> Condition | None:
    """The conjunction of two optional conditions."""
    if first is None or second is None:
        return first or second
    return All((first, second))
