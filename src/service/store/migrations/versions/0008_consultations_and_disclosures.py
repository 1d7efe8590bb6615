"""Consultations of the safety advisor (a case match is no finding) and the disclosures record (art. 28 Wet Bibob)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "consultations",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("subject_key", sa.String(256), nullable=False),
        sa.Column("role", sa.String(256), nullable=False),
        sa.Column("owner_type", sa.String(64), nullable=False),
        sa.Column("owner_id", sa.String(36), nullable=False),
        sa.Column("match_explanation", sa.Text(), nullable=False),
        sa.Column("status", sa.String(64), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("asked_by", sa.String(128), nullable=True),
        sa.Column("answered_by", sa.String(128), nullable=True),
        sa.Column("answer", sa.JSON(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_consultations"),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name="fk_consultations_application_id_applications"
        ),
        sa.UniqueConstraint(
            "application_id", "subject_key", "owner_id", name="uq_consultations_application_id_subject_key_owner_id"
        ),
    )
    op.create_index("ix_consultations_application_id", "consultations", ["application_id"])
    op.create_index("ix_consultations_owner_id", "consultations", ["owner_id"])
    op.create_index("ix_consultations_status", "consultations", ["status"])
    op.create_table(
        "disclosures",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("dossier_type", sa.String(64), nullable=False),
        sa.Column("dossier_id", sa.String(36), nullable=False),
        sa.Column("direction", sa.String(64), nullable=False),
        sa.Column("recipient", sa.String(512), nullable=False),
        sa.Column("legal_basis", sa.String(64), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("by", sa.String(128), nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_disclosures"),
    )
    op.create_index("ix_disclosures_dossier_id", "disclosures", ["dossier_id"])
    op.create_index("ix_disclosures_at", "disclosures", ["at"])


def downgrade() -> None:
    op.drop_index("ix_disclosures_at", "disclosures")
    op.drop_index("ix_disclosures_dossier_id", "disclosures")
    op.drop_table("disclosures")
    op.drop_index("ix_consultations_status", "consultations")
    op.drop_index("ix_consultations_owner_id", "consultations")
    op.drop_index("ix_consultations_application_id", "consultations")
    op.drop_table("consultations")
