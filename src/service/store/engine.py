"""Engines for the two supported databases: an SQLite file (embedded default) and PostgreSQL."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, make_url

from bibob.exceptions import InvalidInputError, Problem
from service.store import crypto
from service.store.crypto import sealing_serializer
from service.store.errors import UnreadableDocumentError

BUSY_TIMEOUT_MS = 10_000
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA temp_store=MEMORY",  # savepoint journals in memory: every request is a savepoint (group commit)
    "PRAGMA secure_delete=ON",  # destroyed rows are overwritten in the file, not left in its free pages
)


#: With background checkpoints (the service), a commit checkpoints the write-ahead log itself only past this size.
FALLBACK_CHECKPOINT_PAGES = 20_000


def create_engine_for(url: str | URL, *, background_checkpoints: bool = False, reader: bool = False) -> Engine:
    """An engine for `url` (`sqlite:///file` or `postgresql+psycopg://…`), configured for durability.

    `background_checkpoints` (SQLite): the caller runs `checkpoint` regularly off the commit path, so commits
    stop copying the write-ahead log into the database file themselves (they still do past a safety size).
    `reader` (SQLite): transactions do not take the write lock (for long checks that only read, e.g. the audit chain).
    A new SQLite file is made with mode 0600 (its write-ahead log and shared memory take the same mode).
    """
    parsed = _normalised(make_url(url) if isinstance(url, str) else url)
    codec = {"json_serializer": sealing_serializer(parsed, json_text), "json_deserializer": json_value}
    if parsed.get_backend_name() == "sqlite":
        _private_file(parsed)
        return _sqlite_engine(parsed, background_checkpoints, codec, immediate=not reader)
    return sa.create_engine(parsed, pool_pre_ping=True, **codec)


def is_sqlite(engine: Engine) -> bool:
    """Whether `engine` is the embedded SQLite kind (write-ahead log, checkpoints)."""
    return engine.dialect.name == "sqlite"


def checkpoint(engine: Engine) -> None:
    """Copy what the write-ahead log holds into the database file, without waiting for or blocking writers."""
    if not is_sqlite(engine):
        return
    connection = engine.raw_connection()  # outside any transaction: a checkpoint cannot run inside one
    try:
        connection.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()  # type: ignore[union-attr]
    finally:
        connection.close()


#: Rows SQLite's ANALYZE samples per index: statistics in milliseconds whatever the register's size.
ANALYSIS_LIMIT = 1000


def gather_statistics(conn: Connection) -> None:
    """Refresh the planner's statistics, so lookups use the subject-key index (SQLite keeps none by itself).

    SQLite: a sampled `ANALYZE` (`analysis_limit`), then `PRAGMA optimize`; PostgreSQL: `ANALYZE` (autovacuum does
    this too, but not right after a migration or a bulk intake). Run after migrating and periodically.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        conn.exec_driver_sql("ANALYZE")
        conn.exec_driver_sql("PRAGMA optimize")
    else:
        conn.exec_driver_sql("ANALYZE")


def json_text(value: object) -> str:
    """A JSON column's value as stored (msgspec: several times faster than the json module)."""
    return msgspec.json.encode(value).decode("utf-8")


def json_value(text: str | bytes) -> object:
    """A stored JSON document; one written before request bodies were read strictly (NaN) still loads.

    One nested too deep to read back (stored before bodies had a depth limit) raises `UnreadableDocumentError`.
    A sealed one (`service.store.crypto`) is opened first, with the data key its envelope names.
    """
    try:
        try:
            value = msgspec.json.decode(text)
        except msgspec.DecodeError:
            value = json.loads(text)
        if isinstance(value, str) and value.startswith(crypto.PREFIX):
            return json_value(crypto.open_envelope(value))
        return value
    except RecursionError:
        raise UnreadableDocumentError("opgeslagen document te diep genest om te lezen") from None


JSON_CODEC: dict[str, Any] = {"json_serializer": json_text, "json_deserializer": json_value}  # unsealed (tests)


def integrity_problems(conn: Connection, *, full: bool = True) -> tuple[str, ...]:
    """What `PRAGMA integrity_check` (or `quick_check`) reports on SQLite; empty when the file is sound."""
    if conn.dialect.name != "sqlite":
        return ()
    pragma = "integrity_check" if full else "quick_check"
    lines = tuple(str(row[0]) for row in conn.exec_driver_sql(f"PRAGMA {pragma}"))
    return () if lines == ("ok",) else lines


def _normalised(url: URL) -> URL:
    backend = url.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and url.drivername in ("sqlite", "sqlite+pysqlite"):
        return url
    problem = Problem("BIBOB_DATABASE_URL", "invalidSetting", "alleen SQLite en PostgreSQL worden ondersteund")
    raise InvalidInputError([problem])


def _private_file(url: URL) -> None:
    """Make the SQLite file readable by its owner only, before SQLite makes it with the umask's mode."""
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        return
    path = Path(url.database)
    if not path.exists() and path.parent.is_dir():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def private_files(url: str | URL) -> tuple[Path, ...]:
    """Set mode 0600 on an SQLite file and its write-ahead log and shared memory (those that exist); the paths."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return ()
    found = tuple(p for p in (Path(parsed.database + s) for s in ("", "-wal", "-shm")) if p.exists())
    for path in found:
        path.chmod(0o600)
    return found


def _sqlite_engine(url: URL, background_checkpoints: bool, codec: dict[str, Any], *, immediate: bool = True) -> Engine:
    # A group's commit runs on a worker thread (service.store.group_commit), one thread at a time per connection.
    engine = sa.create_engine(url, connect_args={"check_same_thread": False}, **codec)
    sa.event.listen(engine, "connect", _configure_sqlite)
    if background_checkpoints:
        sa.event.listen(engine, "connect", _checkpoint_later)
    if immediate:
        sa.event.listen(engine, "begin", _begin_immediate)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """Pragmas on every new connection; transactions are begun by us (see `_begin_immediate`)."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def _checkpoint_later(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute(f"PRAGMA wal_autocheckpoint={FALLBACK_CHECKPOINT_PAGES}")


def _begin_immediate(conn: Connection) -> None:
    """Every transaction takes the write lock at once: reads write audit rows, and the chain has one writer."""
    conn.exec_driver_sql("BEGIN IMMEDIATE")
