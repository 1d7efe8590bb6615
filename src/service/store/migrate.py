"""Bring a database to the latest schema with the Alembic migrations shipped inside this package."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, Connection

from service.store.engine import create_engine_for, gather_statistics, private_files
from service.store.keys import ensure_key_file, has_recorded_keys

MIGRATIONS = Path(__file__).parent / "migrations"


def migrate(url: str | URL, revision: str = "head") -> Path | None:
    """Upgrade the database at `url` to `revision` (default: the latest) in one transaction; then gather statistics.

    A new database gets its key file first (`service.store.keys`, mode 0600): returned when it was made now.
    One already written with keys never gets a new file: its keys must be put back instead.
    """
    engine = create_engine_for(url)
    try:
        with engine.connect() as conn:
            recorded = has_recorded_keys(conn)
            conn.rollback()
        made = None if recorded else ensure_key_file(engine.url)
        with engine.begin() as conn:
            upgrade(conn, revision)
        with engine.begin() as conn:
            gather_statistics(conn)
    finally:
        engine.dispose()
    private_files(url)  # also a file made before this release, with the umask's mode
    return made


def upgrade(conn: Connection, revision: str = "head") -> None:
    """Upgrade on an open connection (inside the caller's transaction)."""
    command.upgrade(alembic_config(conn), revision)


def current_revision(conn: Connection) -> str | None:
    """The revision the database is at, None when it was never migrated."""
    return MigrationContext.configure(conn).get_current_revision()


def alembic_config(conn: Connection | None = None) -> Config:
    """An Alembic configuration pointing at the shipped migrations (and at `conn`, when given)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if conn is not None:
        config.attributes["connection"] = conn
    return config


def head_revision() -> str:
    """The latest revision the shipped migrations define: where a ready database stands."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise RuntimeError("geen migraties gevonden")
    return head
