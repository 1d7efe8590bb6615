"""Identity: shared rate-limit counters, token expiry, a second factor (TOTP), the origin of an account, and the
stage of a session (a password proved, its code still to come)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "rate_counters",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("window_start", TIMESTAMP, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_rate_counters"),
    )
    op.create_index("ix_rate_counters_window_start", "rate_counters", ["window_start"])
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("expires_at", TIMESTAMP, nullable=True))
    op.create_index("ix_api_tokens_expires_at", "api_tokens", ["expires_at"])
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("origin", sa.String(64), nullable=False, server_default="local"))
        batch.add_column(sa.Column("totp_secret", sa.String(64), nullable=True))
        batch.add_column(sa.Column("totp_confirmed_at", TIMESTAMP, nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.Integer, nullable=True))
    with op.batch_alter_table("web_sessions") as batch:
        batch.add_column(sa.Column("stage", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("web_sessions") as batch:
        batch.drop_column("stage")
    with op.batch_alter_table("users") as batch:
        for column in ("totp_last_step", "totp_confirmed_at", "totp_secret", "origin"):
            batch.drop_column(column)
    op.drop_index("ix_api_tokens_expires_at", "api_tokens")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("expires_at")
    op.drop_index("ix_rate_counters_window_start", "rate_counters")
    op.drop_table("rate_counters")
