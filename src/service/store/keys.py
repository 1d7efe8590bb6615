"""The service's secrets, kept outside the database: the audit chain's HMAC key, the subject-key HMAC key and the
data-encryption keys (AES-GCM, one id per key; new values use the current one).

Where they are (first match wins):
- `BIBOB_KEYS`: the key file's JSON itself, in an environment variable (a container's secret);
- `BIBOB_KEY_FILE`: the path of the key file;
- the embedded default: beside the SQLite file, `<database file>.keys.json`, made by `bibob migrate` (mode 0600).
PostgreSQL needs one of the first two (`bibob migrate` makes the file at `BIBOB_KEY_FILE` when it does not exist).

The file (JSON): `{"format": "bibob-keys/1", "audit": "<base64>", "subjects": "<base64>",
"data": {"<key id>": "<base64>", …}, "current": "<key id>"}`; every key is 32 random bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, make_url

FORMAT = "bibob-keys/1"
KEY_BYTES = 32
KEYS_ENV = "BIBOB_KEYS"
KEY_FILE_ENV = "BIBOB_KEY_FILE"
RELOAD_EVERY = 1.0  # seconds between checks whether the key file changed (a rotation adds a key)


class KeyringError(Exception):
    """The keys are missing, unreadable or wrong; the message says in Dutch what to do (no key material)."""


@attrs.frozen
class Keyring:
    """The keys the service holds; `data[current]` encrypts new values, every id in `data` still decrypts."""

    audit: bytes
    subjects: bytes
    data: Mapping[str, bytes]
    current: str
    source: str = ""  # where they came from (a path or the variable's name), for messages

    def data_key(self, key_id: str) -> bytes | None:
        """The data key with this id, or None."""
        return self.data.get(key_id)


def new_key_id() -> str:
    """A new data key id: random, so that ids of different databases' keys never collide in one process."""
    return "k" + secrets.token_hex(4)


def new_keyring(key_id: str | None = None) -> Keyring:
    """Fresh random keys."""
    key_id = key_id or new_key_id()
    return Keyring(
        audit=secrets.token_bytes(KEY_BYTES),
        subjects=secrets.token_bytes(KEY_BYTES),
        data={key_id: secrets.token_bytes(KEY_BYTES)},
        current=key_id,
    )


def with_new_data_key(keyring: Keyring) -> Keyring:
    """The keyring with one more data key, made current."""
    key_id = new_key_id()
    return attrs.evolve(keyring, data={**keyring.data, key_id: secrets.token_bytes(KEY_BYTES)}, current=key_id)


def to_json(keyring: Keyring) -> str:
    """The key file's text."""
    document = {
        "format": FORMAT,
        "audit": _b64(keyring.audit),
        "subjects": _b64(keyring.subjects),
        "data": {key_id: _b64(key) for key_id, key in keyring.data.items()},
        "current": keyring.current,
    }
    return json.dumps(document, indent=2) + "\n"


def from_json(text: str, source: str) -> Keyring:
    """A keyring from the key file's text; anything missing or malformed raises `KeyringError`."""
    try:
        document = json.loads(text)
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ValueError
        data = {str(k): _key(v) for k, v in dict(document["data"]).items()}
        keyring = Keyring(_key(document["audit"]), _key(document["subjects"]), data, str(document["current"]), source)
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise KeyringError(f"De sleutels in {source} zijn onleesbaar (verwacht formaat {FORMAT}).") from None
    if keyring.current not in keyring.data:
        raise KeyringError(f"De huidige datasleutel '{keyring.current}' ontbreekt in {source}.")
    return keyring


def key_file_for(url: str | URL, environ: Mapping[str, str] | None = None) -> Path | None:
    """Where the key file of the database at `url` is: `BIBOB_KEY_FILE`, or beside an SQLite file; else None."""
    env = os.environ if environ is None else environ
    if env.get(KEY_FILE_ENV):
        return Path(env[KEY_FILE_ENV])
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        return Path(parsed.database + ".keys.json")
    return None


def ensure_key_file(url: str | URL, environ: Mapping[str, str] | None = None) -> Path | None:
    """Make the key file (mode 0600) when it does not exist yet; the path when it was made now, else None.

    With `BIBOB_KEYS` set, or for an in-memory database, there is no file to make.
    """
    env = os.environ if environ is None else environ
    path = key_file_for(url, env)
    if env.get(KEYS_ENV) or path is None:
        if path is None and not env.get(KEYS_ENV) and not _in_memory(url):
            raise KeyringError(_missing_message(url))
        return None
    if path.exists():
        return None
    write_key_file(path, new_keyring(), exclusive=True)
    return path


def write_key_file(path: Path, keyring: Keyring, *, exclusive: bool = False) -> None:
    """Write the key file with mode 0600 (a new file, or atomically replacing the old one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    target = path if exclusive else path.with_name(path.name + f".{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    descriptor = os.open(target, flags, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(to_json(keyring))
        file.flush()
        os.fsync(file.fileno())
    if not exclusive:
        os.replace(target, path)


def load_keyring(url: str | URL, environ: Mapping[str, str] | None = None) -> Keyring:
    """The keys of the database at `url`; missing, unreadable or world-readable keys raise `KeyringError`."""
    env = os.environ if environ is None else environ
    if env.get(KEYS_ENV):
        return from_json(env[KEYS_ENV], KEYS_ENV)
    path = key_file_for(url, env)
    if path is None:
        raise KeyringError(_missing_message(url))
    try:
        mode = path.stat().st_mode
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise KeyringError(
            f"Het sleutelbestand {path} ontbreekt. Zonder de sleutels is de versleutelde inhoud niet te lezen en het "
            f"auditlogboek niet te controleren. Zet het juiste bestand terug (of wijs het aan met {KEY_FILE_ENV}); "
            "voor een nieuwe, lege database maakt 'bibob migrate' het."
        ) from None
    except OSError as error:
        raise KeyringError(f"Het sleutelbestand {path} is niet te lezen ({type(error).__name__}).") from None
    if mode & 0o077:
        raise KeyringError(f"Het sleutelbestand {path} is leesbaar voor anderen; maak het privé: chmod 600 {path}")
    return from_json(text, str(path))


# One keyring per database (by URL) in this process, re-read when the file changes (a rotation adds a key).
_CACHE: dict[URL, tuple[Keyring, float, float]] = {}  # url → (keyring, file mtime, last checked)
_LOCK = threading.Lock()


def keyring_for(conn: Connection) -> Keyring:
    """The keys of the database `conn` is connected to (cached; an in-memory database gets keys of its own)."""
    return keyring_for_url(conn.engine.url)


def keyring_for_url(url: URL) -> Keyring:
    """`keyring_for` by URL."""
    name = url
    now = time.monotonic()
    cached = _CACHE.get(name)
    if cached is not None and now - cached[2] < RELOAD_EVERY:
        return cached[0]
    with _LOCK:
        if _in_memory(url) and not os.environ.get(KEYS_ENV):
            keyring = cached[0] if cached is not None else new_keyring()
            _CACHE[name] = (keyring, 0.0, float("inf"))
            _DATA_KEYS.update(keyring.data)
            return keyring
        path = key_file_for(url)
        mtime = _mtime(path) if path is not None and not os.environ.get(KEYS_ENV) else 0.0
        if cached is not None and cached[1] == mtime:
            _CACHE[name] = (cached[0], mtime, now)
            return cached[0]
        keyring = load_keyring(url)
        _CACHE[name] = (keyring, mtime, now)
        _DATA_KEYS.update(keyring.data)
        return keyring


_DATA_KEYS: dict[str, bytes] = {}  # every data key loaded in this process, by its (random) id


def data_key(key_id: str) -> bytes:
    """The data key with this id among the keyrings loaded (re-read once when unknown: a rotation may have added
    it); `KeyringError` when no keyring has it."""
    found = _DATA_KEYS.get(key_id)
    if found is None:
        for url in list(_CACHE):
            forget_cached(url)
            try:
                keyring_for_url(url)
            except KeyringError:
                continue
        found = _DATA_KEYS.get(key_id)
    if found is None:
        raise KeyringError(f"De datasleutel '{key_id}' ontbreekt in de sleutels.")
    return found


def forget_cached(url: URL | None = None) -> None:
    """Drop the cached keyrings (all, or one database's): the next use reads the keys again."""
    with _LOCK:
        if url is None:
            _CACHE.clear()
        else:
            _CACHE.pop(url, None)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime_ns / 1e9
    except OSError:
        return -1.0


def _in_memory(url: str | URL) -> bool:
    parsed = make_url(url) if isinstance(url, str) else url
    return parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")


def _missing_message(url: str | URL) -> str:
    backend = (make_url(url) if isinstance(url, str) else url).get_backend_name()
    return (
        f"Geen sleutels voor de {backend}-database: zet {KEY_FILE_ENV} op het pad van het sleutelbestand "
        f"('bibob migrate' maakt het daar als het nog niet bestaat) of {KEYS_ENV} op de inhoud ervan."
    )


def _b64(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


def _key(value: Any) -> bytes:
    key = base64.b64decode(str(value), validate=True)
    if len(key) != KEY_BYTES:
        raise ValueError
    return key


PROBE_TEXT = b"bibob key check"


def probes(keyring: Keyring) -> dict[str, str]:
    """One probe per key (purpose → HMAC of a fixed text); stored, they tell a wrong key without revealing it."""
    keys = {"audit": keyring.audit, "subjects": keyring.subjects} | {f"data:{k}": v for k, v in keyring.data.items()}
    return {purpose: hmac.new(key, PROBE_TEXT, hashlib.sha256).hexdigest() for purpose, key in keys.items()}


def record_probes(conn: Connection, keyring: Keyring) -> None:
    """Store the probes of keys not recorded yet (a new data key after a rotation)."""
    from service.store.common import utcnow
    from service.store.tables import key_checks

    known = {row.purpose for row in conn.execute(sa.select(key_checks.c.purpose))}
    rows = [
        {"purpose": purpose, "probe": probe, "created_at": utcnow()}
        for purpose, probe in probes(keyring).items()
        if purpose not in known
    ]
    if rows:
        conn.execute(key_checks.insert(), rows)


def check_keys(conn: Connection, keyring: Keyring) -> None:
    """Raise `KeyringError` when a key the database was written with is missing from `keyring` or differs."""
    from service.store.tables import key_checks

    mine = probes(keyring)
    for row in conn.execute(sa.select(key_checks.c.purpose, key_checks.c.probe)):
        if row.purpose not in mine:
            raise KeyringError(
                f"De sleutel '{row.purpose}' waarmee deze database is beschreven ontbreekt in {keyring.source}. "
                "Zet het juiste sleutelbestand terug."
            )
        if not hmac.compare_digest(mine[row.purpose], row.probe):
            raise KeyringError(
                f"De sleutel '{row.purpose}' in {keyring.source} is niet de sleutel waarmee deze database is "
                "beschreven. Zet het juiste sleutelbestand terug."
            )


def has_recorded_keys(conn: Connection) -> bool:
    """Whether this database was written with keys already (then a new key file must not be made for it)."""
    if not sa.inspect(conn).has_table("key_checks"):
        return False
    return conn.execute(sa.text("SELECT 1 FROM key_checks LIMIT 1")).first() is not None
