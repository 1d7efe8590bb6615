"""The permit watch: granted permits with their subjects, re-screen prompts for the coordinator, conditions as tasks,
and LBB advices kept per subject (their five-year reuse).

Also an index on the right side of match reviews: a lookup reads the reviews of its own subjects on either side.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "watched_permits",
        sa.Column("application_id", sa.String(36), sa.ForeignKey("applications.id"), nullable=False),
        sa.Column("subjects", sa.JSON, nullable=False),
        sa.Column("granted_on", sa.Date, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("application_id", name="pk_watched_permits"),
    )
    op.create_table(
        "watch_prompts",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("application_id", sa.String(36), sa.ForeignKey("applications.id"), nullable=False),
        sa.Column("trigger", sa.String(64), nullable=False),
        sa.Column("source_type", sa.String(64), nullable=False),
        sa.Column("source_id", sa.String(36), nullable=False),
        sa.Column("subject_key", sa.String(256), nullable=False),
        sa.Column("role", sa.String(256), nullable=False),
        sa.Column("match_explanation", sa.Text, nullable=False),
        sa.Column("status", sa.String(64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_watch_prompts"),
        sa.UniqueConstraint(
            "application_id",
            "source_id",
            "subject_key",
            name="uq_watch_prompts_application_id_source_id_subject_key",
        ),
    )
    op.create_index("ix_watch_prompts_application_id", "watch_prompts", ["application_id"])
    op.create_index("ix_watch_prompts_status", "watch_prompts", ["status"])
    op.create_table(
        "permit_conditions",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("application_id", sa.String(36), sa.ForeignKey("applications.id"), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("owner", sa.String(128), nullable=False),
        sa.Column("check_result", sa.String(64), nullable=True),
        sa.Column("checked_on", sa.Date, nullable=True),
        sa.Column("checked_by", sa.String(128), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_permit_conditions"),
    )
    op.create_index("ix_permit_conditions_application_id", "permit_conditions", ["application_id"])
    op.create_index("ix_permit_conditions_due_on", "permit_conditions", ["due_on"])
    op.create_index("ix_match_reviews_right_key", "match_reviews", ["right_key"])
    op.create_table(
        "lbb_advices",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("application_id", sa.String(36), sa.ForeignKey("applications.id"), nullable=False),
        sa.Column("advised_on", sa.Date, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_lbb_advices"),
    )
    op.create_index("ix_lbb_advices_application_id", "lbb_advices", ["application_id"])
    op.create_index("ix_lbb_advices_advised_on", "lbb_advices", ["advised_on"])


def downgrade() -> None:
    op.drop_table("lbb_advices")
    op.drop_index("ix_match_reviews_right_key", "match_reviews")
    op.drop_table("permit_conditions")
    op.drop_table("watch_prompts")
    op.drop_table("watched_permits")
