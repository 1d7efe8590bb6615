"""Migrations and engine configuration on both databases."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine

from bibob.exceptions import InvalidInputError
from service.store.engine import (
    checkpoint,
    create_engine_for,
    integrity_problems,
    is_sqlite,
    json_text,
    json_value,
)
from service.store.migrate import MIGRATIONS, current_revision, migrate
from service.store.tables import metadata

HEAD = "0016"  # the newest migration


def test_migrations_create_every_table_from_an_empty_database(db_url: str) -> None:
    migrate(db_url)
    engine = create_engine_for(db_url)
    with engine.connect() as conn:
        assert current_revision(conn) == HEAD
        assert set(metadata.tables) <= set(sa.inspect(conn).get_table_names())
    engine.dispose()


def test_migrating_twice_changes_nothing(db_url: str) -> None:
    migrate(db_url)
    migrate(db_url)
    engine = create_engine_for(db_url)
    with engine.connect() as conn:
        assert current_revision(conn) == HEAD
    engine.dispose()


def test_the_migrated_schema_matches_the_table_definitions(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_sqlite_connections_are_configured_for_durability(tmp_path: object) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path}/pragmas.db")
    with engine.connect() as conn:
        read = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in ("journal_mode", "synchronous")}
        read |= {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in ("foreign_keys", "busy_timeout")}
        read |= {"temp_store": conn.exec_driver_sql("PRAGMA temp_store").scalar()}
        assert integrity_problems(conn) == ()
    engine.dispose()
    assert read == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 10_000, "temp_store": 2}


def test_sqlite_refuses_rows_that_break_a_foreign_key(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL always enforces foreign keys")
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO case_members (case_id, user, added_at) VALUES ('nope', 'u', '2026-01-01')"))


def test_plain_postgresql_urls_use_the_psycopg_driver() -> None:
    engine = create_engine_for("postgresql://postgres@127.0.0.1:5432/test")
    assert engine.dialect.driver == "psycopg"
    engine.dispose()


def test_other_databases_are_refused_in_dutch() -> None:
    with pytest.raises(InvalidInputError, match="alleen SQLite en PostgreSQL"):
        create_engine_for("mysql://user@localhost/db")


def test_the_migrations_live_inside_the_package_so_the_wheel_ships_them() -> None:
    assert (MIGRATIONS / "env.py").is_file()
    assert (MIGRATIONS / "versions" / "0001_initial.py").is_file()
    assert "src/service/store" in MIGRATIONS.as_posix()


def test_migration_0005_fills_in_the_questionnaire_of_stored_answers(db_url: str) -> None:
    migrate(db_url, "0004")
    engine = create_engine_for(db_url)
    columns = "id, permit_type, legal_act, track, received, state, version, owner, answers, attachments, history"
    insert = sa.text(
        f"INSERT INTO applications ({columns}, created_at, updated_at) VALUES (:id, 'exploitatievergunningHoreca', "
        "'vergunning', 'regular', '2026-10-01', 'received', 1, 'u-1', :answers, '[]', '[]', :at, :at)"
    )
    named = '{"questionnaire": {"id": "bibob-overige-beschikkingen", "version": "1.0.0"}, "answers": {}}'
    with engine.begin() as conn:
        for identifier, answers in (("A-1", named), ("A-2", "{}"), ("A-3", '{"questionnaire": {"id": 7}}')):
            conn.execute(insert, {"id": identifier, "answers": answers, "at": "2026-10-01 09:00:00"})
    engine.dispose()
    migrate(db_url)
    engine = create_engine_for(db_url)
    with engine.connect() as conn:
        found = dict(conn.execute(sa.text("SELECT id, questionnaire_id FROM applications ORDER BY id")).all())
    engine.dispose()
    assert found == {"A-1": "bibob-overige-beschikkingen", "A-2": None, "A-3": None}


def test_with_background_checkpoints_commits_leave_the_log_to_checkpoint(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/wal.db"
    migrate(url)
    engine = create_engine_for(url, background_checkpoints=True)
    insert = sa.text("INSERT INTO api_tokens (token_hash, user, role, created_at) VALUES (:h, 'u', 'mayor', :at)")
    with engine.begin() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 20_000
        for number in range(2000):
            conn.execute(insert, {"h": f"{number:064d}", "at": "2026-11-28 12:00:00"})
    before = (tmp_path / "wal.db").stat().st_size  # the rows are in the write-ahead log only
    checkpoint(engine)
    engine.dispose()
    assert (tmp_path / "wal.db").stat().st_size > before  # now copied into the database file


def test_checkpoints_are_for_sqlite_only(engine: Engine) -> None:
    checkpoint(engine)  # on PostgreSQL it does nothing and raises nothing
    assert is_sqlite(engine) == (engine.dialect.name == "sqlite")


def test_json_columns_read_strict_json_and_still_load_documents_stored_with_nan() -> None:
    assert json_value('{"a": [1, "é"]}') == {"a": [1, "é"]}
    assert math.isnan(json_value('{"a": NaN}')["a"])  # type: ignore[index]  # written before bodies were strict
    assert json_text({"a": "é"}) == '{"a":"é"}'
    with pytest.raises(json.JSONDecodeError):  # neither reader takes it: the error is the json module's
        json_value("{kapot")


def test_migration_0009_links_the_signals_existing_cases_were_opened_from(db_url: str) -> None:
    migrate(db_url, "0008")
    engine = create_engine_for(db_url)
    at = "2026-11-02 09:00:00+00:00"
    signal = {"source": "resident", "status": "case", "received": at, "registered_by": "a", "document": "{}"}
    events = [{"type": "caseRegistered", "signalIds": ["S1", "gone"]}, {"type": "subjectsAdded", "signalIds": ["S2"]}]
    try:
        with engine.begin() as conn:
            for signal_id in ("S1", "S2", "S3"):
                conn.execute(
                    sa.text(
                        "INSERT INTO signals (id, source, status, received, registered_by, document, version, "
                        "created_at, updated_at) VALUES (:id, :source, :status, :received, :registered_by, "
                        ":document, 1, :received, :received)"
                    ),
                    signal | {"id": signal_id},
                )
            conn.execute(
                sa.text(
                    "INSERT INTO cases (id, status, lead, confidentiality, document, version, created_at, updated_at) "
                    "VALUES ('C1', 'registered', 'a', 'confidential', :document, 1, :at, :at)"
                ),
                {"document": json.dumps({"events": events}), "at": at},
            )
        migrate(db_url)
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT case_id, signal_id FROM case_signals ORDER BY signal_id")).all()
        assert [tuple(row) for row in rows] == [("C1", "S1"), ("C1", "S2")]  # S3 stays in the inbox
    finally:
        engine.dispose()
