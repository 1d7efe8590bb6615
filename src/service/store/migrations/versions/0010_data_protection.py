"""Data protection: a probe per key (a wrong key is told at start-up), legal holds (retention), and the keyed epoch
of the audit chain.

A log begun before its rows were keyed keeps its plain sha256 links; this migration appends one keyed row
(`auditLog.keyed`) after them, whose HMAC covers the plain head: a rewritten earlier history breaks that link, and
a forger without the key cannot make a new one. The keys come from outside the database (`service.store.keys`);
`bibob migrate` makes the key file first.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from service.store import audit
    from service.store.common import UtcDateTime
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
    conn = op.get_bind()
    keyring = keyring_for(conn)
    record_probes(conn, keyring)
    if audit.chain_head(conn).seq > 0:
        audit.append_system(
            conn, audit.KEYED, "auditLog", ["chain"], "vanaf hier is elke auditregel met een sleutel beveiligd"
        )


def downgrade() -> None:
    op.drop_table("legal_holds")
    op.drop_table("key_checks")
