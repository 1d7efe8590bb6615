"""The append-only, hash-chained audit log: who read or changed which dossier, when and why (ids only)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from bibob.exceptions import InvalidInputError, Problem
from service.auth import Principal
from service.store.access import Action, Resource, condition
from service.store.common import utcnow
from service.store.errors import CorruptAuditRowError
from service.store.keys import keyring_for
from service.store.tables import audit_log

GENESIS = "0" * 64
#: The row that starts the keyed epoch of a log begun before rows were keyed: rows before it are plain sha256.
KEYED = "auditLog.keyed"
SYSTEM_ROLE = "system"  # the role of rows the service writes itself (retention, the keyed epoch)
MAX_REASON = 500
_PG_LOCK = 0x6269626F62  # "bibob": the one advisory lock that serialises writers of the chain
_HEAD_KEY = "bibob.audit.head"  # in conn.info: (the transaction, the chain head it holds)
_PENDING_KEY = "bibob.audit.pending"  # in conn.info while appends are deferred: the rows not yet inserted


@attrs.frozen
class ChainHead:
    """The last link of the chain; exported regularly, it is the anchor a later verification checks."""

    seq: int
    hash: str


@attrs.frozen
class VerifyResult:
    """The outcome of `verify_chain`: ok, or the first broken link (its seq) with a code and a Dutch message."""

    ok: bool
    checked: int
    first_broken_seq: int | None = None
    code: str = ""
    message: str = ""


def append(
    conn: Connection, principal: Principal, action: str, object_type: str, object_id: str, reason: str = ""
) -> None:
    """Add one row to the chain inside the caller's transaction; concurrent writers wait for the chain lock."""
    append_many(conn, principal, action, object_type, (object_id,), reason)


def append_many(
    conn: Connection, principal: Principal, action: str, object_type: str, object_ids: Iterable[str], reason: str = ""
) -> None:
    """One row per object (a list or search result is logged per dossier, never sampled)."""
    _append_rows(conn, principal.user, principal.role.value, action, object_type, object_ids, reason)


SYSTEM_USER = "bibob"  # rows the service writes on its own behalf (retention, the keyed epoch)


def append_system(conn: Connection, action: str, object_type: str, object_ids: Iterable[str], reason: str) -> None:
    """Rows the service writes itself, as user `bibob` in role `system` (e.g. a destruction record)."""
    _append_rows(conn, SYSTEM_USER, SYSTEM_ROLE, action, object_type, object_ids, reason)


def _append_rows(
    conn: Connection, user: str, role: str, action: str, object_type: str, object_ids: Iterable[str], reason: str
) -> None:
    """The rows, linked now; or, while appends are deferred (group commit), linked when `flush` inserts them."""
    _check_reason(reason)
    fields = {"user": user, "role": role, "action": action, "object_type": object_type, "reason": reason}
    rows = [fields | {"object_id": object_id} for object_id in object_ids]
    pending = conn.info.get(_PENDING_KEY)
    if pending is not None:
        pending.extend(rows)
    elif rows:
        conn.execute(audit_log.insert(), _linked(conn, rows))  # one cached statement with parameters


def _linked(conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` as the next links of the chain (seq, time, previous hash, hash), under the chain lock."""
    head = _hold_chain(conn)
    key = chain_key(conn)
    at = utcnow()
    linked = []
    for row in rows:
        link = row | {"seq": head.seq + 1, "at": at, "prev_hash": head.hash}
        head = ChainHead(head.seq + 1, row_hash(link, key))
        linked.append(link | {"hash": head.hash})
    conn.info[_HEAD_KEY] = (conn.get_transaction(), head)
    return linked


@contextmanager
def deferred(conn: Connection) -> Iterator[None]:
    """Within the block, appended rows wait in memory and `flush` links and inserts them together (group commit).

    The chain lock is taken by that flush, not by the units: on PostgreSQL the group's own statements run
    without it, and the lock is held only from the flush to the commit. The caller flushes before committing;
    anything reading the log in the meantime flushes first.
    """
    conn.info[_PENDING_KEY] = []
    try:
        yield
    finally:
        conn.info.pop(_PENDING_KEY, None)


def flush(conn: Connection) -> None:
    """Link and insert the rows deferred so far (one statement for all of them); later rows go to a new list."""
    pending = conn.info.get(_PENDING_KEY)
    if pending:
        conn.execute(audit_log.insert(), _linked(conn, pending))
        conn.info[_PENDING_KEY] = []  # not cleared in place: a `Mark` may still hold this list


@attrs.frozen
class Mark:
    """Where the chain stood before a unit of work: its head, and the deferred rows (list and length) then."""

    head: Any
    pending: list[dict[str, Any]] | None
    length: int


def mark(conn: Connection) -> Mark:
    """Remember where the chain stands, to `rewind` to after the unit's savepoint is rolled back."""
    pending = conn.info.get(_PENDING_KEY)
    return Mark(conn.info.get(_HEAD_KEY), pending, len(pending or ()))


def rewind(conn: Connection, to: Mark) -> None:
    """Forget the links a rolled-back unit added, in memory (the savepoint undid the inserted ones).

    Deferred rows of earlier units that the unit flushed were undone with it, so they are pending again: the
    marked list still holds them (`flush` starts a new list rather than clearing it).
    """
    if to.head is None:
        conn.info.pop(_HEAD_KEY, None)
    else:
        conn.info[_HEAD_KEY] = to.head
    if to.pending is not None:
        conn.info[_PENDING_KEY] = to.pending[: to.length]


def lock_chain(conn: Connection) -> None:
    """Say that this unit will append to the chain, before it changes anything (a lock order for every writer).

    Outside a group commit this takes the single-writer lock (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE
    holds it already) and reads the head. Inside one (`deferred`), the lock is taken later, when the group's rows
    are flushed just before the commit, so that it is held as briefly as possible.
    (A savepoint with appends that is rolled back on its own must be followed by `rewind`.)
    """
    if conn.info.get(_PENDING_KEY) is None:
        _hold_chain(conn)


def _hold_chain(conn: Connection) -> ChainHead:
    """Take the single-writer lock and read the head; within one transaction the second call costs nothing."""
    known = conn.info.get(_HEAD_KEY)
    if known is not None and known[0] is not None and known[0] is conn.get_transaction():
        head: ChainHead = known[1]
        return head
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK)))
    current = _stored_head(conn)
    conn.info[_HEAD_KEY] = (conn.get_transaction(), current)
    return current


def chain_head(conn: Connection) -> ChainHead:
    """The last link, or the genesis link (seq 0) of an empty log."""
    flush(conn)
    return _stored_head(conn)


def _stored_head(conn: Connection) -> ChainHead:
    query = sa.select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
    row = conn.execute(query).first()
    return ChainHead(0, GENESIS) if row is None else ChainHead(row.seq, row.hash)


def chain_key(conn_or_audit_key: Connection | bytes) -> bytes:
    """The key of the rows' HMAC, derived from the audit key kept outside the database (`service.store.keys`)."""
    audit_key = conn_or_audit_key if isinstance(conn_or_audit_key, bytes) else keyring_for(conn_or_audit_key).audit
    return _derived(audit_key, b"bibob audit row")


def checkpoint_key(conn_or_audit_key: Connection | bytes) -> bytes:
    """The key that signs checkpoints (another derivation of the same audit key)."""
    audit_key = conn_or_audit_key if isinstance(conn_or_audit_key, bytes) else keyring_for(conn_or_audit_key).audit
    return _derived(audit_key, b"bibob audit checkpoint")


def _derived(key: bytes, purpose: bytes) -> bytes:
    return hmac.new(key, purpose, hashlib.sha256).digest()


def row_hash(row: Mapping[Any, Any], key: bytes | None) -> str:
    """HMAC-SHA256 (with `chain_key`) over the previous hash and the canonical JSON of the row's other fields.

    Without a key: the plain sha256 of the rows written before the keyed epoch (see `KEYED`).
    A rewritten history or a forged row cannot get a valid hash without the key, which the database does not hold.
    """
    fields = {name: _canonical(row[name]) for name in _HASHED}
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    message = (row["prev_hash"] + canonical).encode("utf-8")
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def keyed_from(conn: Connection) -> int:
    """The first seq whose hash is keyed: the `KEYED` row of a log that had plain rows before, else 1.

    A forged `KEYED` row cannot move it: that row itself must carry a valid keyed hash.
    """
    found = conn.execute(sa.select(sa.func.min(audit_log.c.seq)).where(audit_log.c.action == KEYED)).scalar()
    return int(found) if found is not None else 1


#: How many rows one batch of a verification reads (one short read each; see `verify_batch`).
BATCH = 5000


@attrs.frozen
class Progress:
    """Where a verification stands after a batch: the last good link, and the failure if one was found."""

    head: ChainHead
    failure: VerifyResult | None
    done: bool


def verify_batch(conn: Connection, previous: ChainHead, key: bytes, first_keyed: int, limit: int = BATCH) -> Progress:
    """Check up to `limit` rows after `previous`; a row that cannot be read (a corrupt timestamp) is reported as such.

    Reads the timestamp as stored and parses it here, so one corrupt value names its row instead of failing the batch.
    """
    columns: list[sa.ColumnElement[Any]] = [audit_log.c[name] for name in _ROW_COLUMNS if name != "at"]
    columns.append(sa.type_coerce(audit_log.c.at, sa.String()).label("at"))
    query = sa.select(*columns).where(audit_log.c.seq > previous.seq).order_by(audit_log.c.seq).limit(limit)
    count = 0
    for raw in conn.execute(query).mappings():
        count += 1
        row = dict(raw)
        seq = row["seq"]
        try:
            row["at"] = _stored_time(row["at"])
            broken = _broken_link(previous, row, key if seq >= first_keyed else None)
        except (TypeError, ValueError, AttributeError):  # a value of the wrong kind: the row is damaged, not the check
            what = "is beschadigd (tijdstip of veld onleesbaar)"
            return Progress(previous, _broken(previous.seq, seq, "corruptRow", what), True)
        if broken is not None:
            return Progress(previous, broken, True)
        previous = ChainHead(seq, row["hash"])
    return Progress(previous, None, count < limit)


def verify_chain(conn: Connection, anchor: ChainHead | None = None, *, batch: int = BATCH) -> VerifyResult:
    """Recompute the whole chain and report the first changed, deleted, inserted, reordered or unreadable row.

    With an `anchor` (an exported head or a checkpoint) it also detects a truncated tail or a chain rebuilt before it.
    """
    flush(conn)
    key, first_keyed = chain_key(conn), keyed_from(conn)
    progress = Progress(ChainHead(0, GENESIS), None, False)
    while not progress.done:
        progress = verify_batch(conn, progress.head, key, first_keyed, batch)
    if progress.failure is not None:
        return progress.failure
    return against_anchor(conn, progress.head, anchor)


def against_anchor(conn: Connection, head: ChainHead, anchor: ChainHead | None) -> VerifyResult:
    """The verified chain (up to `head`) held against an anchor: shortened, or different at the anchor's row."""
    if anchor is None or anchor.seq == 0:
        return VerifyResult(ok=True, checked=head.seq)
    if anchor.seq > head.seq:
        return _broken(head.seq, head.seq + 1, "truncated", "ontbreekt; het logboek is ingekort")
    stored = conn.execute(sa.select(audit_log.c.hash).where(audit_log.c.seq == anchor.seq)).scalar()
    if stored != anchor.hash:
        return _broken(anchor.seq - 1, anchor.seq, "anchorMismatch", "wijkt af van het vastgelegde ankerpunt")
    return VerifyResult(ok=True, checked=head.seq)


def _stored_time(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


@attrs.frozen
class AuditEntry:
    """One audit row as the privacy officer reads it: who, in which role, did what to which dossier id, and why."""

    seq: int
    at: dt.datetime
    user: str
    role: str
    action: str
    object_type: str
    object_id: str
    reason: str
    hash: str = ""  # the row's link in the chain (an export names it so it can be held against the chain)
    prev_hash: str = ""


@attrs.frozen
class AuditFilter:
    """Which rows of the log the privacy officer wants: each field set narrows the view (all of them together).

    `since` is inclusive and `until` exclusive; `up_to_seq` fixes a view at the chain head it was read at, so that
    an export made later holds exactly the rows the view showed (reading the log adds rows of its own).
    """

    user: str | None = None
    role: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    action: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    denied: bool = False
    up_to_seq: int | None = None

    def where(self) -> list[ColumnElement[bool]]:
        """The conditions on `audit_log` this filter stands for."""
        c = audit_log.c
        equal = ((c.user, self.user), (c.role, self.role), (c.object_type, self.object_type),
                 (c.object_id, self.object_id), (c.action, self.action))  # fmt: skip
        wanted = [column == value for column, value in equal if value is not None]
        wanted += [c.at >= self.since] if self.since is not None else []
        wanted += [c.at < self.until] if self.until is not None else []
        wanted += [c.action == DENIED] if self.denied else []
        wanted += [c.seq <= self.up_to_seq] if self.up_to_seq is not None else []
        return wanted


READ = "auditLog.read"
EXPORT = "auditLog.export"
MAX_EXPORT = 100_000  # rows in one export; a larger view is narrowed first (a filter or a period)


def read_log(
    conn: Connection,
    principal: Principal,
    wanted: AuditFilter | None = None,
    *,
    limit: int = 100,
    offset: int = 0,
    reason: str = "",
) -> tuple[tuple[AuditEntry, ...], int, int]:
    """One page of the log in chain order, the total, and the chain head the view was read at (its `up_to_seq`).

    Only the privacy officer reads it, else `NotFoundError`; the reading is itself audited (after the view was
    taken, so a view never shows its own row).
    """
    condition(principal, Resource.AUDIT_LOG, Action.READ)
    entries, count, up_to = _view(conn, wanted, limit, offset)
    append(conn, principal, READ, "auditLog", "log", reason)
    return entries, count, up_to


def export_log(
    conn: Connection, principal: Principal, wanted: AuditFilter, reason: str = ""
) -> tuple[AuditEntry, ...] | None:
    """Every row of the view in chain order, or None when there are more than `MAX_EXPORT` (narrow it first).

    Only the privacy officer exports, else `NotFoundError`; the export is itself audited.
    """
    condition(principal, Resource.AUDIT_LOG, Action.READ)
    entries, count, _ = _view(conn, wanted, MAX_EXPORT, 0)
    if count > MAX_EXPORT:
        return None
    append(conn, principal, EXPORT, "auditLog", "log", reason)
    return entries


def _view(
    conn: Connection, wanted: AuditFilter | None, limit: int, offset: int
) -> tuple[tuple[AuditEntry, ...], int, int]:
    flush(conn)
    head = _hold_chain(conn)  # the chain stands still meanwhile: the count, the rows and the head agree
    wanted = attrs.evolve(wanted or AuditFilter(), up_to_seq=_up_to(wanted, head))
    where = wanted.where()
    count = conn.execute(sa.select(sa.func.count()).select_from(audit_log).where(*where)).scalar_one()
    columns: list[sa.ColumnElement[Any]] = [audit_log.c[field.name] for field in attrs.fields(AuditEntry)]
    columns[1] = sa.type_coerce(audit_log.c.at, sa.String()).label("at")  # parsed here: a corrupt one names its row
    query = sa.select(*columns).where(*where).order_by(audit_log.c.seq).limit(limit).offset(offset)
    entries = tuple(_entry(row) for row in conn.execute(query).mappings())
    return entries, int(count), head.seq if wanted.up_to_seq is None else wanted.up_to_seq


def entries_after(conn: Connection, after: int, limit: int = BATCH) -> tuple[AuditEntry, ...]:
    """Up to `limit` rows after seq `after`, in chain order: what a SIEM pulls (`bibob audit export --since`).

    For the operator's command line (who holds the database); it keeps no position and writes no row, so that
    a SIEM polling it does not grow the log by a row per poll.
    """
    flush(conn)
    columns: list[sa.ColumnElement[Any]] = [audit_log.c[field.name] for field in attrs.fields(AuditEntry)]
    columns[1] = sa.type_coerce(audit_log.c.at, sa.String()).label("at")  # a corrupt one names its row
    query = sa.select(*columns).where(audit_log.c.seq > after).order_by(audit_log.c.seq).limit(limit)
    return tuple(_entry(row) for row in conn.execute(query).mappings())


def logged_actions(conn: Connection, principal: Principal) -> tuple[str, ...]:
    """The actions the log holds, sorted: the choices of the privacy officer's action filter."""
    condition(principal, Resource.AUDIT_LOG, Action.READ)
    flush(conn)
    query = sa.select(audit_log.c.action).distinct().order_by(audit_log.c.action)
    return tuple(conn.execute(query).scalars())


def _up_to(wanted: AuditFilter | None, head: ChainHead) -> int:
    if wanted is None or wanted.up_to_seq is None:
        return head.seq
    return min(wanted.up_to_seq, head.seq)


def _entry(row: Mapping[Any, Any]) -> AuditEntry:
    try:
        at = _stored_time(row["at"])
    except (TypeError, ValueError):
        raise CorruptAuditRowError(int(row["seq"])) from None
    return AuditEntry(**{**row, "at": at})


def verify_for(conn: Connection, principal: Principal, anchor: ChainHead | None = None) -> VerifyResult:
    """`verify_chain` for the privacy officer (anyone else: `NotFoundError`); the check itself is audited."""
    condition(principal, Resource.AUDIT_LOG, Action.READ)
    flush(conn)
    _hold_chain(conn)  # the chain stands still while it is checked
    result = verify_chain(conn, anchor)
    append(conn, principal, "auditLog.verify", "auditLog", "chain")
    return result


def record_check(conn: Connection, principal: Principal) -> None:
    """The audit row of a check of the chain by the privacy officer (anyone else: `NotFoundError`)."""
    condition(principal, Resource.AUDIT_LOG, Action.READ)
    append(conn, principal, "auditLog.verify", "auditLog", "chain")


_HASHED = ("seq", "at", "user", "role", "action", "object_type", "object_id", "reason")
_ROW_COLUMNS = (*_HASHED, "prev_hash", "hash")


def _broken_link(previous: ChainHead, row: Mapping[Any, Any], key: bytes | None) -> VerifyResult | None:
    seq = row["seq"]
    if seq != previous.seq + 1:
        return _broken(previous.seq, previous.seq + 1, "missingRow", "ontbreekt of is verplaatst")
    if row["prev_hash"] != previous.hash:
        return _broken(previous.seq, seq, "prevHashMismatch", "verwijst niet naar de vorige regel")
    if not hmac.compare_digest(row_hash(row, key), str(row["hash"])):
        return _broken(previous.seq, seq, "hashMismatch", "is gewijzigd (hash klopt niet)")
    return None


def _broken(checked: int, seq: int, code: str, what: str) -> VerifyResult:
    return VerifyResult(False, checked, seq, code, f"Auditregel {seq} {what}.")


def _canonical(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


DENIED = "access.denied"
_DOSSIER_ID = re.compile(r"[A-Za-z0-9._-]{1,36}")
# the kinds a refusal names (`NotFoundError.kind`) as the object types the log uses elsewhere; other kinds
# (a questionnaire, a policy ground) are public things that do not exist, not refused access
DENIABLE = {
    Resource.APPLICATION.value: "application",
    Resource.KNOWN_SUBJECT.value: "application",
    Resource.SIGNAL.value: "signal",
    Resource.CASE.value: "case",
    Resource.CASE_MEMBERSHIP.value: "case",
    "bewijsstuk": "evidence",
    "betrokkene": "subject",
    Resource.MATCH_REVIEW.value: "matchReview",
    Resource.AUDIT_LOG.value: "auditLog",
}


def append_denial(conn: Connection, principal: Principal, kind: str, object_id: str, reason: str = "") -> None:
    """A refused access (the caller got 404): who tried which dossier, for the privacy officer's review (R-LOG-1).

    `kind` is the refusal's (`NotFoundError.kind`); kinds that are no dossier (see `DENIABLE`) write nothing.

    A hidden dossier and an unknown id are logged alike. An id that cannot be one of ours is not kept (a caller
    may type anything into a URL, a name too), nor is a reason that `append` would refuse.
    """
    if kind not in DENIABLE:
        return
    kept_id = object_id if _DOSSIER_ID.fullmatch(object_id) else ""
    kept_reason = "" if reason_problems(reason) else reason
    append(conn, principal, DENIED, DENIABLE[kind], kept_id, kept_reason)


def _check_reason(reason: str) -> None:
    """Refused here, inside the unit, so that a bad reason fails its own request and not the group's INSERT."""
    problems = reason_problems(reason)
    if problems:
        raise InvalidInputError(problems)


def reason_problems(reason: str) -> list[Problem]:
    """Why `reason` cannot be stored as an audit reason: too long, or control characters (empty when it can)."""
    problems = []
    if len(reason) > MAX_REASON:
        message = f"de reden (X-Audit-Reason) is langer dan {MAX_REASON} tekens"
        problems.append(Problem("X-Audit-Reason", "reason.tooLong", message))
    if _CONTROL.search(reason):
        problems.append(
            Problem("X-Audit-Reason", "reason.controlCharacter", "de reden (X-Audit-Reason) bevat stuurtekens")
        )
    return problems


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # Unicode's control characters (category Cc)


CREATE_REFUSED = "application.createRefused"


def append_refused_create(conn: Connection, principal: Principal, application_id: str, reason: str = "") -> None:
    """A new application named a taken id (the caller got 400 `id.taken`, whoever's dossier has it): who tried
    which id, for the privacy officer's review, as a refused access is (R-LOG-1)."""
    kept_id = application_id if _DOSSIER_ID.fullmatch(application_id) else ""
    kept_reason = "" if reason_problems(reason) else reason
    append(conn, principal, CREATE_REFUSED, "application", kept_id, kept_reason)


# Identity events, in the same chain: who signed in or failed to, lockouts, second factors, tokens, accounts.
SIGNED_IN = "identity.signedIn"
SIGN_IN_FAILED = "identity.signInFailed"
LOCKED_OUT = "identity.lockedOut"
SIGNED_OUT = "identity.signedOut"
MFA_ENROLLED = "identity.mfaEnrolled"
MFA_CONFIRMED = "identity.mfaConfirmed"
MFA_REMOVED = "identity.mfaRemoved"
TOKEN_CREATED = "identity.tokenCreated"
TOKEN_ROTATED = "identity.tokenRotated"
TOKEN_REVOKED = "identity.tokenRevoked"
USER_CREATED = "identity.userCreated"
USER_DISABLED = "identity.userDisabled"
ROLE_CHANGED = "identity.roleChanged"
PASSWORD_CHANGED = "identity.passwordChanged"
IDENTITY_ACTIONS = frozenset(
    {
        SIGNED_IN,
        SIGN_IN_FAILED,
        LOCKED_OUT,
        SIGNED_OUT,
        MFA_ENROLLED,
        MFA_CONFIRMED,
        MFA_REMOVED,
        TOKEN_CREATED,
        TOKEN_ROTATED,
        TOKEN_REVOKED,
        USER_CREATED,
        USER_DISABLED,
        ROLE_CHANGED,
        PASSWORD_CHANGED,
    }
)
UNKNOWN_ACTOR = "-"  # a failure for a name no account has, or an address: the typed name is never kept
_ACCOUNT_ID = re.compile(r"[\w.@-]{1,36}")


def account_id(name: str) -> str:
    """How an account is named as the object of a row: its name when it fits the column, else a short hash."""
    return name if _ACCOUNT_ID.fullmatch(name) else "#" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:35]


def append_identity(
    conn: Connection,
    actor: Principal | None,
    action: str,
    account: str | None,
    *,
    object_type: str = "account",
    object_id: str | None = None,
    reason: str = "",
) -> None:
    """One identity event in the chain: `actor` did `action` to `account` (None: a name no account has).

    `actor` None is an unknown actor (a failed sign-in for a name that does not exist, a locked address): the row
    names no one, since a typed name may be a mistyped password. The admin pages call this for user, role and
    token changes; the sign-in calls it for sign-ins, failures and lockouts.
    """
    if action not in IDENTITY_ACTIONS:
        raise ValueError(f"geen identiteitsgebeurtenis: {action}")
    user, role = (actor.user, actor.role.value) if actor else (UNKNOWN_ACTOR, "")
    target = object_id if object_id is not None else (account_id(account) if account else "")
    _append_rows(conn, user, role, action, object_type, (target,), reason)


def identity_events(conn: Connection, principal: Principal, limit: int = 100) -> tuple[AuditEntry, ...]:
    """The newest identity events, newest first, for the privacy officer (anyone else: `NotFoundError`); the read
    itself is audited."""
    condition(principal, Resource.AUDIT_LOG, Action.READ)
    flush(conn)
    columns: list[sa.ColumnElement[Any]] = [audit_log.c[field.name] for field in attrs.fields(AuditEntry)]
    columns[1] = sa.type_coerce(audit_log.c.at, sa.String()).label("at")  # a corrupt one names its row
    query = (
        sa.select(*columns)
        .where(audit_log.c.action.in_(sorted(IDENTITY_ACTIONS)))
        .order_by(audit_log.c.seq.desc())
        .limit(limit)
    )
    entries = tuple(_entry(row) for row in conn.execute(query).mappings())
    append(conn, principal, READ, "auditLog", "identity")
    return entries
