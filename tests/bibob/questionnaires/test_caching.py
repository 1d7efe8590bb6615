"""identity_first: a derived value is found by identity, without comparing large frozen values."""

from __future__ import annotations

import attrs

from bibob.questionnaires import load_catalogue
from bibob.questionnaires.caching import identity_first
from bibob.questionnaires.validation import compiled_validator
from tests.conftest import ROOT


@attrs.frozen
class Big:
    items: tuple[int, ...]


def counting() -> tuple[list[object], object]:
    calls: list[object] = []

    @identity_first(2)
    def derive(key: Big) -> int:
        calls.append(key)
        return sum(key.items)

    return calls, derive


def test_the_same_object_is_derived_once() -> None:
    calls, derive = counting()
    big = Big(tuple(range(1000)))
    assert derive(big) == derive(big) == 499_500  # type: ignore[operator]
    assert calls == [big]


def test_an_equal_but_distinct_object_is_derived_again_not_compared() -> None:
    calls, derive = counting()
    first, second = Big((1, 2)), Big((1, 2))
    assert derive(first) == derive(second) == 3  # type: ignore[operator]
    assert [id(call) for call in calls] == [id(first), id(second)]


def test_beyond_its_size_it_forgets_and_still_answers_correctly() -> None:
    calls, derive = counting()
    values = [Big((number,)) for number in range(5)]
    assert [derive(value) for value in values] == [0, 1, 2, 3, 4]  # type: ignore[operator]
    assert [derive(value) for value in values] == [0, 1, 2, 3, 4]  # type: ignore[operator]
    assert len(calls) == 10  # five objects through a memory of two: every lookup was a miss, none a wrong hit


def test_questionnaires_loaded_twice_share_one_compiled_validator() -> None:
    first = load_catalogue(ROOT / "questionnaires")["bibob-overige-beschikkingen"]
    second = load_catalogue(ROOT / "questionnaires")["bibob-overige-beschikkingen"]
    assert first == second and first is not second
    assert compiled_validator(first) is compiled_validator(second) is compiled_validator(first)
