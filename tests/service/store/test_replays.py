"""Stored documents are replayed once per version: a lookup reads only the versions not replayed before, and keeps
what it replayed only once its transaction commits."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
import sqlalchemy as sa

from service.store import replays


class Reader:
    """Documents by id, counting which ids were read."""

    def __init__(self, documents: Mapping[str, Any]) -> None:
        self.documents = dict(documents)
        self.read: list[list[str]] = []

    def __call__(self, ids: list[str]) -> dict[str, Any]:
        self.read.append(list(ids))
        return {i: self.documents[i] for i in ids if i in self.documents}


@pytest.fixture
def engine() -> Iterator[sa.Engine]:
    engine = sa.create_engine("sqlite://")
    yield engine
    engine.dispose()


def test_a_version_replayed_before_is_not_read_again(engine: sa.Engine) -> None:
    reader = Reader({"r-1": {"n": 1}, "r-2": {"n": 2}})
    with engine.begin() as conn:
        first = replays.at_versions(conn, "test.kept", [("r-1", 1), ("r-2", 1)], reader, lambda d: d["n"] * 10)
        within = replays.at_versions(conn, "test.kept", [("r-1", 1), ("r-2", 1)], reader, lambda d: d["n"] * 10)
    with engine.begin() as conn:
        again = replays.at_versions(conn, "test.kept", [("r-1", 1), ("r-2", 1)], reader, lambda d: d["n"] * 10)
    assert first == within == again == {"r-1": 10, "r-2": 20}
    assert reader.read == [["r-1", "r-2"]]


def test_a_new_version_is_read_and_replayed_and_the_order_given_is_kept(engine: sa.Engine) -> None:
    reader = Reader({"n-1": {"n": 1}, "n-2": {"n": 2}})
    with engine.begin() as conn:
        replays.at_versions(conn, "test.new", [("n-1", 1), ("n-2", 1)], reader, lambda d: d["n"])
    reader.documents["n-2"] = {"n": 5}
    with engine.begin() as conn:
        found = replays.at_versions(conn, "test.new", [("n-2", 2), ("n-1", 1)], reader, lambda d: d["n"])
    assert list(found.items()) == [("n-2", 5), ("n-1", 1)]
    assert reader.read[-1] == ["n-2"]


def test_an_id_the_reader_does_not_return_is_left_out_and_kinds_are_kept_apart(engine: sa.Engine) -> None:
    reader = Reader({"k-1": {"n": 1}})
    with engine.begin() as conn:
        assert replays.at_versions(conn, "test.one", [("k-1", 1), ("gone", 3)], reader, lambda d: d["n"]) == {"k-1": 1}
        assert replays.at_versions(conn, "test.other", [("k-1", 1)], reader, lambda d: -d["n"]) == {"k-1": -1}
    assert reader.read == [["k-1", "gone"], ["k-1"]]


def test_a_version_read_in_a_rolled_back_transaction_is_not_kept(engine: sa.Engine) -> None:
    """A transaction may read its own uncommitted version 2; rolled back, version 2 may later hold other contents."""
    reader = Reader({"u-1": {"n": "undone"}})
    with engine.connect() as conn:
        conn.begin()
        assert replays.at_versions(conn, "test.undone", [("u-1", 2)], reader, lambda d: d["n"]) == {"u-1": "undone"}
        conn.rollback()
    reader.documents["u-1"] = {"n": "committed"}
    with engine.begin() as conn:
        found = replays.at_versions(conn, "test.undone", [("u-1", 2)], reader, lambda d: d["n"])
    assert found == {"u-1": "committed"}
    assert reader.read == [["u-1"], ["u-1"]]


def test_a_rolled_back_savepoint_drops_what_was_replayed_in_the_transaction(engine: sa.Engine) -> None:
    reader = Reader({"s-1": {"n": 1}})
    with engine.begin() as conn:
        savepoint = conn.begin_nested()
        replays.at_versions(conn, "test.savepoint", [("s-1", 1)], reader, lambda d: d["n"])
        savepoint.rollback()
    with engine.begin() as conn:
        replays.at_versions(conn, "test.savepoint", [("s-1", 1)], reader, lambda d: d["n"])
    assert reader.read == [["s-1"], ["s-1"]]


def test_an_unknown_version_and_an_empty_list_read_nothing(engine: sa.Engine) -> None:
    reader = Reader({})
    with engine.begin() as conn:
        assert replays.at_versions(conn, "test.bad", [], reader, lambda d: d) == {}
        assert replays.at_versions(conn, "test.bad", [("nobody", 1)], reader, lambda d: d) == {}
    assert reader.read == [["nobody"]]
