"""The audit chain's anchor outside the database: signed checkpoints, incremental verification, the start-up check.

A checkpoint is one JSON line `{"seq", "hash", "count", "at", "sig"}` appended to a file (and, when configured, sent
to syslog): the chain head after a successful verification, signed with an HMAC of the audit key. Someone who can
change the database but not the key cannot make a valid checkpoint, so a shortened log (its head below the last
checkpoint) or a history rebuilt before it is caught. Keep the file append-only (`chattr +a`) or ship it to syslog.

Verification reads in batches of `audit.BATCH` rows, each one short read on a connection of its own that takes no
write lock, on a worker thread: requests go on while a million rows are checked (bench/audit_verify.py).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime as dt
import functools
import hashlib
import hmac
import json
import logging
import logging.handlers
import multiprocessing
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, make_url

from service.store import audit
from service.store.audit import GENESIS, ChainHead, Progress, VerifyResult
from service.store.keys import KEY_FILE_ENV, key_file_for, keyring_for_url
from service.store.tables import audit_log

CHECKPOINT_FILE_ENV = "BIBOB_AUDIT_CHECKPOINT_FILE"
SYSLOG_ENV = "BIBOB_AUDIT_SYSLOG"
SQLITE_GUARDS = frozenset({"audit_log_no_update", "audit_log_no_delete"})
POSTGRES_GUARDS = frozenset({"audit_log_no_change", "audit_log_no_truncate"})
log = logging.getLogger(__name__)


class GuardMissingError(Exception):
    """The audit log's blocking triggers are gone: rows could be changed or deleted without the database refusing."""


@attrs.frozen
class Checkpoint:
    """A signed chain head: at `at`, the chain had `count` rows and ended in `hash` at `seq`."""

    seq: int
    hash: str
    count: int
    at: str
    sig: str = ""

    @property
    def head(self) -> ChainHead:
        return ChainHead(self.seq, self.hash)


def sign(checkpoint: Checkpoint, key: bytes) -> Checkpoint:
    """The checkpoint with its signature (HMAC-SHA256 with `audit.checkpoint_key`)."""
    return attrs.evolve(checkpoint, sig=_signature(checkpoint, key))


def is_signed(checkpoint: Checkpoint, key: bytes) -> bool:
    return hmac.compare_digest(_signature(checkpoint, key), checkpoint.sig)


def _signature(checkpoint: Checkpoint, key: bytes) -> str:
    fields = {"seq": checkpoint.seq, "hash": checkpoint.hash, "count": checkpoint.count, "at": checkpoint.at}
    return hmac.new(key, json.dumps(fields, sort_keys=True).encode("utf-8"), hashlib.sha256).hexdigest()


def checkpoint_file_for(url: str | URL, environ: Mapping[str, str] | None = None) -> Path | None:
    """`BIBOB_AUDIT_CHECKPOINT_FILE`, else beside the SQLite file or the key file; None when there is neither."""
    env = os.environ if environ is None else environ
    if env.get(CHECKPOINT_FILE_ENV):
        return Path(env[CHECKPOINT_FILE_ENV])
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        return Path(parsed.database + ".audit-checkpoints.jsonl")
    key_file = key_file_for(parsed, env) if env.get(KEY_FILE_ENV) else None
    return Path(str(key_file) + ".audit-checkpoints.jsonl") if key_file is not None else None


@attrs.frozen
class CheckpointFile:
    """What the checkpoint file holds: the validly signed checkpoints, and the line numbers of forged ones."""

    valid: tuple[Checkpoint, ...]
    forged: tuple[int, ...]


def read_checkpoints(path: Path | None, key: bytes) -> CheckpointFile:
    """The checkpoints in `path` (none when it does not exist); a line that is not a validly signed one is forged."""
    if path is None or not path.exists():
        return CheckpointFile((), ())
    valid: list[Checkpoint] = []
    forged: list[int] = []
    with path.open(encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            try:
                fields = json.loads(line)
                found = Checkpoint(
                    int(fields["seq"]), str(fields["hash"]), int(fields["count"]), str(fields["at"]), str(fields["sig"])
                )
            except (ValueError, KeyError, TypeError):
                forged.append(number)
                continue
            if is_signed(found, key):
                valid.append(found)
            else:
                forged.append(number)
    return CheckpointFile(tuple(valid), tuple(forged))


def append_checkpoint(path: Path, checkpoint: Checkpoint, syslog: logging.Logger | None = None) -> None:
    """Append one line (the file is made with mode 0600, opened for appending only, and synced)."""
    line = json.dumps(attrs.asdict(checkpoint), sort_keys=True) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line.encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if syslog is not None:
        syslog.info("bibob-audit-checkpoint %s", line.strip())


def syslog_logger(target: str | None) -> logging.Logger | None:
    """A logger sending to syslog (`/dev/log`, or `udp://host:port`), or None when not configured."""
    if not target:
        return None
    if target.startswith("udp://"):
        host, _, port = target.removeprefix("udp://").partition(":")
        handler = logging.handlers.SysLogHandler(address=(host, int(port or 514)))
    else:
        handler = logging.handlers.SysLogHandler(address=target)
    logger = logging.getLogger("bibob.audit.syslog")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger


def missing_guards(conn: Connection) -> frozenset[str]:
    """The blocking triggers of the audit log that are not there (empty when all are)."""
    if conn.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"
        expected = SQLITE_GUARDS
    else:
        query = (
            "SELECT tgname FROM pg_trigger "
            "WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal AND tgenabled <> 'D'"
        )
        expected = POSTGRES_GUARDS
    present = {str(row[0]) for row in conn.exec_driver_sql(query)}
    return expected - present


def check_guards(conn: Connection) -> None:
    """Raise `GuardMissingError` (a Dutch message naming the triggers) when a blocking trigger is gone."""
    missing = missing_guards(conn)
    if missing:
        raise GuardMissingError(
            "Het auditlogboek is niet meer beschermd: de blokkerende triggers "
            f"{', '.join(sorted(missing))} ontbreken. Iemand met toegang tot de database heeft ze verwijderd; "
            "controleer het logboek ('bibob audit verify --full') en herstel de triggers ('bibob migrate' na herstel "
            "uit een back-up)."
        )


class Verifier:
    """Verifies the chain of one database in batches off the request path, and writes checkpoints."""

    def __init__(
        self,
        engine: Engine,
        checkpoints: Path | None,
        *,
        syslog: logging.Logger | None = None,
        batch: int = audit.BATCH,
        pause: float = 0.0,
    ) -> None:
        self.engine = engine  # a reader: see `service.store.engine.create_engine_for(reader=True)`
        self.checkpoints = checkpoints
        self.syslog = syslog
        self.batch = batch
        self.pause = pause  # seconds between batches, to leave the database and the interpreter to requests

    def _keys(self) -> tuple[bytes, bytes]:
        audit_key = keyring_for_url(self.engine.url).audit
        return audit.chain_key(audit_key), audit.checkpoint_key(audit_key)

    def verify(self, *, full: bool = False, anchor: ChainHead | None = None) -> VerifyResult:
        """Check the chain: from the last checkpoint (default) or from the first row (`full`), and against
        the last checkpoint and `anchor`. A forged checkpoint line is a failure too."""
        row_key, sign_key = self._keys()
        stored = read_checkpoints(self.checkpoints, sign_key)
        if stored.forged:
            where = f"regel {stored.forged[0]} van {self.checkpoints}"
            message = f"Het controlepunt op {where} is ongeldig (de handtekening klopt niet)."
            return VerifyResult(False, 0, None, "checkpointForged", message)
        last = stored.valid[-1] if stored.valid else None
        with self.engine.connect() as conn:
            first_keyed = audit.keyed_from(conn)
            if last is not None and not full:
                start = audit.against_anchor(conn, self._head(conn), last.head)
                if not start.ok:
                    return start
        progress = Progress(ChainHead(0, GENESIS) if full or last is None else last.head, None, False)
        while not progress.done:
            with self.engine.connect() as conn:
                progress = audit.verify_batch(conn, progress.head, row_key, first_keyed, self.batch)
            if self.pause:
                time.sleep(self.pause)
        if progress.failure is not None:
            return progress.failure
        with self.engine.connect() as conn:
            for held in (last.head if last is not None else None, anchor):
                result = audit.against_anchor(conn, progress.head, held)
                if not result.ok:
                    return result
        return VerifyResult(ok=True, checked=progress.head.seq)

    def _head(self, conn: Connection) -> ChainHead:
        row = conn.execute(
            sa.select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
        ).first()
        return ChainHead(0, GENESIS) if row is None else ChainHead(row.seq, row.hash)

    def checkpoint(self, now: dt.datetime | None = None) -> VerifyResult:
        """Verify from the last checkpoint and, when the chain is sound and grew, append a new checkpoint."""
        result = self.verify()
        if not result.ok or self.checkpoints is None:
            return result
        _, sign_key = self._keys()
        stored = read_checkpoints(self.checkpoints, sign_key)
        last = stored.valid[-1].seq if stored.valid else 0
        with self.engine.connect() as conn:
            head = self._head(conn)
        if head.seq > last and head.seq >= result.checked:
            head_row = ChainHead(result.checked, self._hash_at(result.checked))
            at = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
            made = sign(Checkpoint(head_row.seq, head_row.hash, head_row.seq, at), sign_key)
            append_checkpoint(self.checkpoints, made, self.syslog)
        return result

    def _hash_at(self, seq: int) -> str:
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(audit_log.c.hash).where(audit_log.c.seq == seq)).scalar()
        return str(found)


def verify_database(
    url: str,
    checkpoints: str | None,
    syslog: str | None = None,
    *,
    full: bool = False,
    anchor: ChainHead | None = None,
    write_checkpoint: bool = False,
) -> VerifyResult:
    """One check of the chain of the database at `url` (and a new checkpoint when asked and sound), from scratch:
    for a worker process, so that the hashing does not compete with the requests for the interpreter."""
    from service.store.engine import create_engine_for

    reader = create_engine_for(url, reader=True)
    try:
        verifier = Verifier(reader, Path(checkpoints) if checkpoints else None, syslog=syslog_logger(syslog))
        return verifier.checkpoint() if write_checkpoint else verifier.verify(full=full, anchor=anchor)
    finally:
        reader.dispose()


def _lower_priority() -> None:
    """The checking process yields the CPU to the service's requests (nice 10), where the system allows it."""
    with contextlib.suppress(OSError):
        os.nice(10)


class ChainChecks:
    """The service's checks of the chain, each in a worker process of its own (spawned for the check, at lower
    priority, and ended after it: nothing is left behind when the service stops)."""

    def __init__(self, url: str, checkpoints: Path | None, syslog: str | None = None) -> None:
        self.url, self.checkpoints, self.syslog = url, checkpoints, syslog

    async def verify(self, *, full: bool = True, anchor: ChainHead | None = None) -> VerifyResult:
        """The whole chain (default) or from the last checkpoint, against that checkpoint and `anchor`."""
        return await self._run(full=full, anchor=anchor, write_checkpoint=False)

    async def checkpoint(self) -> VerifyResult:
        """Check from the last checkpoint and append a new one when the chain is sound and grew."""
        return await self._run(full=False, anchor=None, write_checkpoint=True)

    async def _run(self, **options: Any) -> VerifyResult:
        where = str(self.checkpoints) if self.checkpoints else None
        work = functools.partial(verify_database, self.url, where, self.syslog, **options)
        context = multiprocessing.get_context("spawn")  # a clean interpreter: no copy of the app's threads
        pool = concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_lower_priority)
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, work)
        finally:
            await asyncio.to_thread(functools.partial(pool.shutdown, wait=True, cancel_futures=True))

    def close(self) -> None:
        """Nothing to end: each check's process ends with it."""
