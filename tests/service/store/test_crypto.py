"""Sealed documents and keyed subject keys in the store, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from service.store import crypto
from service.store.signals import create_signal, get_signal
from service.store.subjects import SubjectKey, find_owners
from service.store.tables import signals, subjects
from tests.service.store.conftest import ADVISOR, PARTNER

SIGNAL_TEXT = "Kanarietekst: hennepgeur en afgeplakte ramen"


def test_documents_are_sealed_on_postgresql_too(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        created = create_signal(
            conn,
            PARTNER,
            source="police",
            status="received",
            received=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
            document={"text": SIGNAL_TEXT, "theme": "drugs"},
        )
        stored = conn.execute(sa.select(sa.cast(signals.c.document, sa.Text))).scalar()
        assert stored.startswith(f'"{crypto.PREFIX}') and "Kanarietekst" not in stored
        assert get_signal(conn, ADVISOR, created.id).document["text"] == SIGNAL_TEXT


def test_subject_keys_are_stored_as_keyed_hashes_and_still_found(engine: sa.Engine) -> None:
    bsn = SubjectKey("P:bsn", "111222333")
    with engine.begin() as conn:
        created = create_signal(
            conn,
            PARTNER,
            source="police",
            status="received",
            received=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
            document={"text": "x", "theme": "drugs"},
            keys=[bsn],
        )
        stored = conn.execute(sa.select(subjects.c.kind, subjects.c.key)).all()
        assert [kind for kind, _ in stored] == ["P:bsn"]
        assert "111222333" not in stored[0][1] and len(stored[0][1]) == 64
        found = find_owners(conn, ADVISOR, "signal", [bsn, SubjectKey("P:bsn", "999999999")])
    assert [(o.owner_id, o.subject) for o in found] == [(created.id, bsn)]
