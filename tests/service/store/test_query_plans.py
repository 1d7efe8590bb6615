"""Subject lookups read the subject-key index, on SQLite and on PostgreSQL, once statistics are gathered.

The statements are the ones `candidate_owners` really runs (caught as they go to the driver), each explained
by the database itself: `EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN` on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bibob.parties import Address, Organisation, Person
from service.store.engine import gather_statistics
from service.store.subjects import candidate_owners, keys_of, lookups_of
from service.store.tables import subjects

REGISTER = 3000  # dossiers of each kind in the register: enough that a scan would cost more than the index


def _person(number: int) -> Person:
    return Person(
        surname=f"Achternaam{number}",
        first_names=f"Voornaam{number}",
        date_of_birth=dt.date(1950, 1, 1) + dt.timedelta(days=number),
    )


def _register(conn: Connection) -> None:
    rows: list[dict[str, Any]] = []
    for number in range(REGISTER):
        for owner_type in ("case", "signal"):
            owner_id = f"{owner_type}-{number:05d}"
            for key in keys_of([_person(number)]):
                rows.append({"kind": key.kind, "key": key.key, "owner_type": owner_type, "owner_id": owner_id})
    conn.execute(subjects.insert(), rows)
    gather_statistics(conn)


@pytest.fixture
def statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    caught: list[tuple[str, Any]] = []

    def catch(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if "subjects" in statement:
            caught.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", catch)
    yield caught
    sa.event.remove(engine, "before_cursor_execute", catch)


def _plan(conn: Connection, statement: str, parameters: Any) -> str:
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    prefix = "EXPLAIN QUERY PLAN " if conn.dialect.name == "sqlite" else "EXPLAIN "
    cursor.execute(prefix + statement, parameters)
    return "\n".join(" ".join(str(part) for part in row) for row in cursor.fetchall())


@pytest.mark.parametrize(
    "subject",
    [
        _person(1234),
        Person(surname="Achternaam77", first_names=""),  # no first names: looked up under every initial
        Organisation(name="Bouwbedrijf Voorbeeld", kvk_number="12345678"),
        Address(street="Stationsstraat", house_number=12, postcode="3511AB", city="Utrecht"),
    ],
    ids=["person", "person-without-first-names", "organisation", "address"],
)
def test_a_subject_lookup_reads_the_subject_key_index_and_never_scans_the_table(
    engine: Engine, statements: list[tuple[str, Any]], subject: Person | Organisation | Address
) -> None:
    with engine.begin() as conn:
        _register(conn)
    statements.clear()
    with engine.begin() as conn:
        found = candidate_owners(conn, ("case", "signal"), lookups_of([subject]))
        plans = [_plan(conn, statement, parameters) for statement, parameters in statements]
    assert plans, "the lookup ran no statement on the subject-key table"
    for plan in plans:
        if engine.dialect.name == "sqlite":
            assert "SCAN subjects" not in plan and "USING COVERING INDEX" in plan, plan
        else:
            assert "Seq Scan on subjects" not in plan and "Index" in plan, plan
    if isinstance(subject, Person) and subject.first_names:
        assert found == {"case": ("case-01234",), "signal": ("signal-01234",)}


def test_a_lookup_of_a_subject_nobody_holds_finds_no_candidate(engine: Engine) -> None:
    with engine.begin() as conn:
        _register(conn)
        found = candidate_owners(conn, ("case", "signal"), lookups_of([_person(REGISTER + 10)]))
    assert found == {"case": (), "signal": ()}
