"""The case a match review was made in: a verdict counts only in the searches and evidence links of that case.

Reviews recorded before this migration name no case and so count nowhere any more (a reviewer confirms or
dismisses again, in a case).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("match_reviews") as batch:
        batch.add_column(sa.Column("case_id", sa.String(36), nullable=True))
    op.create_index("ix_match_reviews_case_id", "match_reviews", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_match_reviews_case_id", "match_reviews")
    with op.batch_alter_table("match_reviews") as batch:
        batch.drop_column("case_id")
