"""Drop ix_subjects_kind_key: the unique constraint on (kind, key, owner_type, owner_id) starts with the same
columns and serves every lookup by key, and each subject key written updated both (signal intake writes ~8)."""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_subjects_kind_key", table_name="subjects")


def downgrade() -> None:
    op.create_index("ix_subjects_kind_key", "subjects", ["kind", "key"], unique=False)
