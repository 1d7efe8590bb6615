"""External jobs (the ZGW case mirror): what is pending, what the other system already has, when to retry."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "external_jobs",
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("object_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(64), nullable=False),
        sa.Column("state", sa.JSON, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.String(500), nullable=False),
        sa.Column("next_attempt_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("kind", "object_id", name="pk_external_jobs"),
    )
    op.create_index("ix_external_jobs_status", "external_jobs", ["status"])
    op.create_index("ix_external_jobs_next_attempt_at", "external_jobs", ["next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_external_jobs_next_attempt_at", "external_jobs")
    op.drop_index("ix_external_jobs_status", "external_jobs")
    op.drop_table("external_jobs")
