"""Encryption at rest of the JSON documents: answers, findings, facts, LBB advice, signal texts and reporters, the
case journal, information requests, letters — every JSON column, at the one place documents are serialised.

A stored value is the JSON string `"bibob:enc:1:<key id>:<base64 of nonce + AES-256-GCM ciphertext>"`; the key id
names the data key (`service.store.keys`) and is also the additional authenticated data. A value written before
encryption (plain JSON) still reads; `rewrap` encrypts it, and re-encrypts values under an older key after a
rotation, in small batches that each compare-and-swap one row, so the service can keep running meanwhile.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.engine import URL, Connection, Engine

from service.store.errors import UnreadableDocumentError
from service.store.keys import KeyringError, data_key, keyring_for_url

PREFIX = "bibob:enc:1:"
NONCE = 12


def seal(plain: bytes, key_id: str, key: bytes) -> str:
    """The envelope of `plain` under the data key `key_id`."""
    nonce = os.urandom(NONCE)
    sealed = AESGCM(key).encrypt(nonce, plain, (PREFIX + key_id).encode("ascii"))
    return f"{PREFIX}{key_id}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def key_id_of(envelope: str) -> str:
    """The data key id an envelope was sealed with."""
    return envelope[len(PREFIX) :].split(":", 1)[0]


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def open_envelope(envelope: str) -> bytes:
    """The plain bytes; an unknown key or a changed ciphertext raises `UnreadableDocumentError` (409, never 500)."""
    key_id, _, payload = envelope[len(PREFIX) :].partition(":")
    try:
        key = data_key(key_id)
    except KeyringError:
        raise UnreadableDocumentError(f"versleuteld document met onbekende sleutel '{key_id}'") from None
    try:
        raw = base64.b64decode(payload, validate=True)
        return AESGCM(key).decrypt(raw[:NONCE], raw[NONCE:], (PREFIX + key_id).encode("ascii"))
    except (InvalidTag, ValueError):
        raise UnreadableDocumentError("versleuteld document is beschadigd of gewijzigd") from None


def sealing_serializer(url: URL, encode: Callable[[object], str]) -> Callable[[object], str]:
    """The engine's JSON serializer: the document's JSON, sealed with the current data key of the database's keys."""

    def serialize(value: object) -> str:
        keyring = keyring_for_url(url)
        return '"' + seal(encode(value).encode("utf-8"), keyring.current, keyring.data[keyring.current]) + '"'

    return serialize


def json_columns() -> Iterator[tuple[sa.Table, sa.Column[Any]]]:
    """Every JSON column of the schema (all of them are sealed)."""
    from service.store.tables import metadata

    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, sa.JSON):
                yield table, column


def rewrap(engine: Engine, *, batch: int = 500, on_batch: Callable[[int], None] | None = None) -> int:
    """Seal every JSON value not yet under the current data key (plain, or under an older key); how many.

    Each batch is a short transaction of its own; a row changed meanwhile by the service is left for the next pass
    (compare-and-swap on its stored text), and passes repeat until one finds nothing left.
    """
    total = 0
    while True:
        keyring = keyring_for_url(engine.url)
        done = 0
        for table, column in json_columns():
            while True:
                with engine.begin() as conn:
                    changed = _rewrap_batch(conn, table, column, keyring.current, keyring.data[keyring.current], batch)
                done += changed
                if on_batch is not None and changed:
                    on_batch(changed)
                if changed < batch:
                    break
        total += done
        if done == 0:
            return total


def seal_all(conn: Connection, *, batch: int = 500) -> int:
    """`rewrap` inside one transaction (the migration that starts encryption at rest); how many values."""
    keyring = keyring_for_url(conn.engine.url)
    total = 0
    for table, column in json_columns():
        while True:
            changed = _rewrap_batch(conn, table, column, keyring.current, keyring.data[keyring.current], batch)
            total += changed
            if changed < batch:
                break
    return total


def _rewrap_batch(
    conn: Connection, table: sa.Table, column: sa.Column[Any], key_id: str, key: bytes, batch: int
) -> int:
    text = sa.cast(column, sa.Text)
    current = f'"{PREFIX}{key_id}:%'
    primary = list(table.primary_key.columns)
    wanted = (column.is_not(None), text != "null", text.not_like(current))
    query = sa.select(*primary, text.label("stored")).where(*wanted).limit(batch)
    rows = conn.execute(query).all()
    changed = 0
    for row in rows:
        stored = str(row.stored)
        plain = _plain(stored)
        if plain is None:
            continue  # JSON null
        sealed = '"' + seal(plain, key_id, key) + '"'
        where = [c == row._mapping[c.name] for c in primary] + [text == stored]
        value = sa.bindparam("sealed", sealed, type_=sa.Text)
        new = value if conn.dialect.name == "sqlite" else sa.cast(value, column.type)
        result = conn.execute(table.update().where(*where).values({column.name: new}))
        changed += result.rowcount
    return changed if rows else 0


def _plain(stored: str) -> bytes | None:
    """The document's JSON bytes from a stored value (sealed or plain); None for JSON null."""
    if stored.strip() == "null":
        return None
    if stored.startswith('"' + PREFIX):
        return open_envelope(stored[1:-1])
    return stored.encode("utf-8")


def rotate(engine: Engine, *, batch: int = 500, on_batch: Callable[[int], None] | None = None) -> tuple[str, int]:
    """Add a new data key to the key file, make it current, and re-seal every value under it (`rewrap`); the new
    key's id and how many values were re-sealed. Older keys stay in the file: backups still need them."""
    from service.store.keys import (
        KEYS_ENV,
        forget_cached,
        key_file_for,
        load_keyring,
        record_probes,
        with_new_data_key,
        write_key_file,
    )

    if os.environ.get(KEYS_ENV):
        raise KeyringError(f"Sleutels uit {KEYS_ENV} roteren kan hier niet: zet een nieuwe sleutel in die variabele.")
    path = key_file_for(engine.url)
    if path is None:
        raise KeyringError("Geen sleutelbestand om te roteren; zet BIBOB_KEY_FILE.")
    rotated = with_new_data_key(load_keyring(engine.url))
    write_key_file(path, rotated)
    forget_cached(engine.url)
    with engine.begin() as conn:
        record_probes(conn, rotated)
    return rotated.current, rewrap(engine, batch=batch, on_batch=on_batch)
