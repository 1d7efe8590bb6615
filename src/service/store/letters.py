"""Letters stored with their application: name, kind, both files with their SHA-256, who made them and when.

A letter follows its application's access: made by those who may change it, read by those who may read it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bibob.exceptions import NotFoundError
from service.auth import Principal
from service.store import audit
from service.store.access import Action, Resource, condition, sees_closed_sources
from service.store.common import new_id, utcnow
from service.store.crypto import PREFIX, open_envelope, seal
from service.store.keys import keyring_for
from service.store.rows import require_visible
from service.store.tables import applications, audit_log, letters

KIND = Resource.APPLICATION.value
META = [c for c in letters.c if c.name not in ("docx", "pdf")]


@attrs.frozen
class StoredLetter:
    """A stored letter's metadata; the files are read apart (`letter_file`)."""

    id: str
    application_id: str
    kind: str
    name: str
    docx_sha256: str
    pdf_sha256: str
    document: Mapping[str, Any]
    created_by: str
    created_at: dt.datetime


def sha256(content: bytes) -> str:
    """The hex SHA-256 of `content`."""
    return hashlib.sha256(content).hexdigest()


def add_letter(
    conn: Connection, principal: Principal, application_id: str, kind: str, name: str,
    files: tuple[bytes, bytes], document: Mapping[str, Any], reason: str = "",
) -> StoredLetter:  # fmt: skip
    """Store a letter (`files`: .docx, PDF) of an application the principal may change."""
    visible = condition(principal, Resource.APPLICATION, Action.UPDATE, application_id)
    audit.lock_chain(conn)
    require_visible(conn, applications, KIND, application_id, visible)
    docx, pdf = files
    values = {"id": new_id(), "application_id": application_id, "kind": kind, "name": name,
              "docx": _sealed(conn, docx), "pdf": _sealed(conn, pdf), "docx_sha256": sha256(docx),
              "pdf_sha256": sha256(pdf), "document": dict(document), "created_by": principal.user,
              "created_at": utcnow()}  # fmt: skip
    row = conn.execute(letters.insert().values(**values).returning(*META)).mappings().one()
    audit.append(conn, principal, "letter.create", "application", application_id, reason)
    return _stored(row)


def require_changeable(conn: Connection, principal: Principal, application_id: str) -> None:
    """`NotFoundError` unless the principal may change the application (checked before a body is read)."""
    visible = condition(principal, Resource.APPLICATION, Action.UPDATE, application_id)
    require_visible(conn, applications, KIND, application_id, visible)


def list_letters(
    conn: Connection, principal: Principal, application_id: str, reason: str = ""
) -> tuple[StoredLetter, ...]:
    """The letters of an application the principal may read, oldest first."""
    _readable(conn, principal, application_id)
    query = sa.select(*META).where(letters.c.application_id == application_id, _kinds_seen(principal))
    rows = conn.execute(query.order_by(letters.c.created_at, letters.c.id)).mappings().all()
    audit.append(conn, principal, "letter.list", "application", application_id, reason)
    return tuple(_stored(row) for row in rows)


def letter_file(
    conn: Connection, principal: Principal, application_id: str, letter_id: str, file_format: str, reason: str = ""
) -> tuple[StoredLetter, bytes]:
    """One letter with its file in `file_format` ('docx' or 'pdf'); `NotFoundError` when not visible or absent."""
    _readable(conn, principal, application_id)
    column = letters.c.pdf if file_format == "pdf" else letters.c.docx
    query = sa.select(*META, column.label("content")).where(
        letters.c.application_id == application_id, letters.c.id == letter_id, _kinds_seen(principal)
    )
    row = conn.execute(query).mappings().first()
    if row is None:
        raise NotFoundError("letter", letter_id)
    audit.append(conn, principal, f"letter.read.{file_format}", "application", application_id, reason)
    return _stored(row), file_content(row["content"])


#: Letters that name closed sources (the LBB request package): only for who reads the full assessment.
CLOSED_KINDS = ("lbbRequest",)


def _kinds_seen(principal: Principal) -> sa.ColumnElement[bool]:
    return sa.true() if sees_closed_sources(principal) else letters.c.kind.not_in(CLOSED_KINDS)


def _readable(conn: Connection, principal: Principal, application_id: str) -> None:
    visible = condition(principal, Resource.APPLICATION, Action.READ, application_id)
    audit.lock_chain(conn)
    require_visible(conn, applications, KIND, application_id, visible)


def _sealed(conn: Connection, content: bytes) -> bytes:
    """A letter's file as stored: sealed (AES-GCM) with the current data key, like every JSON document."""
    keyring = keyring_for(conn)
    return seal(content, keyring.current, keyring.data[keyring.current]).encode("ascii")


def file_content(stored: bytes) -> bytes:
    """A stored file's plain bytes (one stored before files were sealed is read as it is)."""
    content = bytes(stored)
    return open_envelope(content.decode("ascii")) if content.startswith(PREFIX.encode("ascii")) else content


def _stored(row: Mapping[str, Any] | sa.RowMapping) -> StoredLetter:
    return StoredLetter(
        row["id"], row["application_id"], row["kind"], row["name"], row["docx_sha256"], row["pdf_sha256"],
        row["document"], row["created_by"], row["created_at"],
    )  # fmt: skip


def all_files(
    conn: Connection, principal: Principal, application_id: str, reason: str = ""
) -> tuple[tuple[StoredLetter, bytes], ...]:
    """Every letter of the application the principal may read, with its PDF, oldest first (one audit row)."""
    _readable(conn, principal, application_id)
    query = sa.select(*META, letters.c.pdf.label("content")).where(
        letters.c.application_id == application_id, _kinds_seen(principal)
    )
    rows = conn.execute(query.order_by(letters.c.created_at, letters.c.id)).mappings().all()
    audit.append(conn, principal, "letter.read.all", "application", application_id, reason)
    return tuple((_stored(row), file_content(row["content"])) for row in rows)


def file_audit(conn: Connection, principal: Principal, application_id: str) -> tuple[audit.AuditEntry, ...]:
    """Who read or changed the application's file, in chain order: for the dossier of objection and court.

    Only for who reads the investigation (the coordinator, the mayor); `NotFoundError` for anyone else.
    """
    condition(principal, Resource.INVESTIGATION, Action.READ, application_id)
    audit.flush(conn)
    columns = [audit_log.c[field.name] for field in attrs.fields(audit.AuditEntry)]
    query = sa.select(*columns).where(audit_log.c.object_type == "application", audit_log.c.object_id == application_id)
    return tuple(audit.AuditEntry(**row) for row in conn.execute(query.order_by(audit_log.c.seq)).mappings())
