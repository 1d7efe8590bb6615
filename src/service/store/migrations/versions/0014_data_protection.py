"""Data protection: a probe per key (a wrong key is told at start-up), legal holds (retention), the keyed epoch of
the audit chain, subject keys as keyed hashes, and every JSON document sealed (AES-GCM; `service.store.crypto`),
with the signal's theme kept beside its sealed document for the inbox filter.

A log begun before its rows were keyed keeps its plain sha256 links; this migration appends one keyed row
(`auditLog.keyed`) after them, whose HMAC covers the plain head: a rewritten earlier history breaks that link, and
a forger without the key cannot make a new one. The keys come from outside the database (`service.store.keys`);
`bibob migrate` makes the key file first.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from service.store import audit
    from service.store.common import UtcDateTime
    from service.store.crypto import seal_all
    from service.store.keys import keyring_for, record_probes

    op.create_table(
        "key_checks",
        sa.Column("purpose", sa.String(64), nullable=False),
        sa.Column("probe", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("purpose", name="pk_key_checks"),
    )
    op.create_table(
        "legal_holds",
        sa.Column("dossier_type", sa.String(64), nullable=False),
        sa.Column("dossier_id", sa.String(36), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("dossier_type", "dossier_id", name="pk_legal_holds"),
    )
    op.add_column("signals", sa.Column("theme", sa.String(64), nullable=True))
    op.create_index("ix_signals_theme", "signals", ["theme"])
    conn = op.get_bind()
    keyring = keyring_for(conn)
    record_probes(conn, keyring)
    _fill_themes(conn)
    _hash_subject_keys(conn)
    seal_all(conn)  # every JSON document written so far, sealed with the current data key
    if audit.chain_head(conn).seq > 0:
        audit.append_system(
            conn, audit.KEYED, "auditLog", ["chain"], "vanaf hier is elke auditregel met een sleutel beveiligd"
        )


def _fill_themes(conn: sa.Connection) -> None:
    """The theme of each signal beside its document (which is sealed next): the inbox filters on it."""
    rows = conn.execute(sa.text("SELECT id, CAST(document AS TEXT) FROM signals")).all()
    for identifier, text in rows:
        document = json.loads(text) if text else {}
        theme = document.get("theme") if isinstance(document, dict) else None
        if isinstance(theme, str):
            conn.execute(
                sa.text("UPDATE signals SET theme = :theme WHERE id = :id"), {"theme": theme[:64], "id": identifier}
            )


def _hash_subject_keys(conn: sa.Connection) -> None:
    """Replace the plain subject keys (BSN, name, address blocks) by their keyed hashes (`sealed_key`)."""
    from service.store.subjects import SubjectKey, sealed_key

    for row_id, kind, key in conn.execute(sa.text("SELECT id, kind, key FROM subjects")).all():
        hashed = sealed_key(conn, SubjectKey(kind, key)).key
        conn.execute(sa.text("UPDATE subjects SET key = :key WHERE id = :id"), {"key": hashed, "id": row_id})


def downgrade() -> None:
    op.drop_index("ix_signals_theme", "signals")
    op.drop_column("signals", "theme")
    op.drop_table("legal_holds")
    op.drop_table("key_checks")
