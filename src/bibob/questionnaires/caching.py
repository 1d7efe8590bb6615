"""Caches for values derived from large frozen objects (questionnaires): found by identity before equality."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def identity_first(size: int) -> Callable[[Callable[[K], V]], Callable[[K], V]]:
    """Put an identity lookup in front of `derive` (itself usually an `lru_cache`).

    An lru_cache keyed by a frozen attrs value compares keys by value: a questionnaire equal to the cached one
    but loaded separately costs a deep comparison of every question on every call. Here the object seen
    before is found by `is`; only a new object reaches `derive`. At most `size` objects are remembered.
    """

    def decorate(derive: Callable[[K], V]) -> Callable[[K], V]:
        seen: dict[int, tuple[K, V]] = {}

        @functools.wraps(derive)
        def lookup(key: K) -> V:
            hit = seen.get(id(key))
            if hit is not None and hit[0] is key:
                return hit[1]
            value = derive(key)
            if len(seen) >= size:
                seen.clear()
            seen[id(key)] = (key, value)  # holding the key keeps its id from being reused
            return value

        return lookup

    return decorate
