"""The statement memo of `service.store.rows`: one statement per combination of parts, told apart correctly."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from service.store import rows
from service.store.tables import applications


def test_the_same_parts_give_the_same_statement_and_other_parts_another() -> None:
    own, other = applications.c.owner == "u-1", applications.c.owner == "u-2"
    built: list[object] = []

    def build(condition: sa.ColumnElement[bool]) -> sa.Select[tuple[str]]:
        statement = sa.select(applications.c.id).where(condition)
        built.append(statement)
        return statement

    first = rows.kept((applications, "id", own), lambda: build(own))
    assert rows.kept((applications, "id", own), lambda: build(own)) is first
    assert rows.kept((applications, "id", other), lambda: build(other)) is not first
    assert rows.kept((applications, "state", own), lambda: build(own)) is not first
    assert rows.kept((applications, "i" + "d", own), lambda: build(own)) is first  # strings compare by value
    assert len(built) == 3


def test_a_full_memo_starts_over_and_still_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rows, "KEPT_STATEMENTS", 2)
    monkeypatch.setattr(rows, "_KEPT", {})
    made = [rows.kept(("x", str(number)), lambda number=number: number) for number in range(5)]
    assert made == [0, 1, 2, 3, 4]
    assert rows.kept(("x", "4"), lambda: 999) == 4  # the latest is still kept
    assert rows.kept(("x", "0"), lambda: 100) == 100  # the first was forgotten and is built anew
    assert len(rows._KEPT) <= 2
