"""Subject lookups read the subject-key index, on SQLite and on PostgreSQL, once statistics are gathered.

The statements are the ones `candidate_owners` really runs (caught as they go to the driver), each explained
by the database itself: `EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN` on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.engine import Connection, Engine

from bibob.parties import Address, Organisation, Person
from service.store.cases import in_states
from service.store.engine import gather_statistics
from service.store.signals import awaiting
from service.store.subjects import Lookup, SubjectKey, candidate_owners, keys_of, lookups_of, sealed_key
from service.store.tables import case_members, cases, signals, subjects
from tests.service.store.conftest import ADVISOR
from tests.service.store.helpers import statements_run

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
            for key in (sealed_key(conn, k) for k in keys_of([_person(number)])):  # as the store holds them
                rows.append({"kind": key.kind, "key": key.key, "owner_type": owner_type, "owner_id": owner_id})
    conn.execute(subjects.insert(), rows)
    gather_statistics(conn)


@pytest.fixture
def statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    with statements_run(engine, "subjects") as caught:
        yield caught


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


def _signals_and_cases(conn: Connection) -> None:
    now = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
    common = {"document": {}, "version": 1, "created_at": now, "updated_at": now}
    signal_rows = [
        {"id": f"s{number:05d}", "source": "police", "status": "received" if number % 300 == 0 else "notUndermining",
         "received": now, "registered_by": ADVISOR.user} | common
        for number in range(REGISTER)
    ]  # fmt: skip
    case_rows = [
        {"id": f"c{number:05d}", "status": "investigation" if number % 300 == 0 else "closed", "lead": ADVISOR.user,
         "confidentiality": "confidential"} | common
        for number in range(REGISTER)
    ]  # fmt: skip
    conn.execute(signals.insert(), signal_rows)
    conn.execute(cases.insert(), case_rows)
    conn.execute(
        case_members.insert(), [{"case_id": row["id"], "user": ADVISOR.user, "added_at": now} for row in case_rows]
    )
    gather_statistics(conn)


def test_the_agenda_lists_signals_and_cases_through_their_status_index_and_never_scans_them(engine: Engine) -> None:
    with engine.begin() as conn:
        _signals_and_cases(conn)
    with engine.begin() as conn:
        with statements_run(engine, ".status, ") as listed:
            waiting = awaiting(conn, ADVISOR, ("received",))
            open_cases = in_states(conn, ADVISOR, ("investigation",))
        plans = [_plan(conn, statement, parameters) for statement, parameters in listed]
    assert len(waiting) == len(open_cases) == REGISTER // 300 and len(plans) == 2
    for plan, table in zip(plans, ("signals", "cases"), strict=True):
        if engine.dialect.name == "sqlite":
            assert f"SCAN {table}" not in plan and f"ix_{table}_status" in plan, plan
        else:
            assert f"Seq Scan on {table}" not in plan and "Index" in plan, plan


def _holders(conn: Connection, key: SubjectKey, owners: int, prefix: str) -> None:
    sealed = sealed_key(conn, key)
    rows = [{"kind": sealed.kind, "key": sealed.key, "owner_type": "case", "owner_id": f"{prefix}-{n:03d}"}
            for n in range(owners)]  # fmt: skip
    conn.execute(subjects.insert(), rows)


@pytest.mark.parametrize(
    ("limit", "expected"), [(10, 3), (11, 3), (13, 3), (14, 14), (40, 14)], ids=["under", "at", "sum", "both", "far"]
)
def test_the_smallest_blocks_are_read_up_to_the_limit_and_a_larger_block_whatever_its_size_is_not(
    engine: Engine, limit: int, expected: int
) -> None:
    small, large = SubjectKey("P:dob", "1980-02-03"), SubjectKey("P:sn", "jansen:p")
    with engine.begin() as conn:
        _holders(conn, small, 3, "small")
        _holders(conn, large, 11, "large")
        found = candidate_owners(conn, ("case",), [Lookup((), (large, small))], limit=limit)
    assert len(found["case"]) == expected
    assert all(owner.startswith("small") for owner in found["case"]) or expected == 14
