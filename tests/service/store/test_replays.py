"""Stored documents are replayed once per version: a lookup reads only the versions not replayed before."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.store import replays


class Reader:
    """Documents by id, counting which ids were read."""

    def __init__(self, documents: Mapping[str, Any]) -> None:
        self.documents = dict(documents)
        self.read: list[list[str]] = []

    def __call__(self, ids: list[str]) -> dict[str, Any]:
        self.read.append(list(ids))
        return {i: self.documents[i] for i in ids if i in self.documents}


def test_a_version_replayed_before_is_not_read_again() -> None:
    reader = Reader({"r-1": {"n": 1}, "r-2": {"n": 2}})
    first = replays.at_versions("test.kept", [("r-1", 1), ("r-2", 1)], reader, lambda d: d["n"] * 10)
    again = replays.at_versions("test.kept", [("r-1", 1), ("r-2", 1)], reader, lambda d: d["n"] * 10)
    assert first == again == {"r-1": 10, "r-2": 20}
    assert reader.read == [["r-1", "r-2"]]


def test_a_new_version_is_read_and_replayed_and_the_order_given_is_kept() -> None:
    reader = Reader({"n-1": {"n": 1}, "n-2": {"n": 2}})
    replays.at_versions("test.new", [("n-1", 1), ("n-2", 1)], reader, lambda d: d["n"])
    reader.documents["n-2"] = {"n": 5}
    found = replays.at_versions("test.new", [("n-2", 2), ("n-1", 1)], reader, lambda d: d["n"])
    assert list(found.items()) == [("n-2", 5), ("n-1", 1)]
    assert reader.read[-1] == ["n-2"]


def test_an_id_the_reader_does_not_return_is_left_out_and_kinds_are_kept_apart() -> None:
    reader = Reader({"k-1": {"n": 1}})
    assert replays.at_versions("test.one", [("k-1", 1), ("gone", 3)], reader, lambda d: d["n"]) == {"k-1": 1}
    assert replays.at_versions("test.other", [("k-1", 1)], reader, lambda d: -d["n"]) == {"k-1": -1}
    assert reader.read == [["k-1", "gone"], ["k-1"]]
