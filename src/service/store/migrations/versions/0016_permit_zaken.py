"""The zaak of an application's permit in the zaaksysteem: where its letters go as documents (ZGW)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

TIMESTAMP = sa.DateTime(timezone=True)

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "permit_zaken",
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("url", sa.String(1000), nullable=False),
        sa.Column("recorded_by", sa.String(128), nullable=False),
        sa.Column("recorded_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("application_id", name="pk_permit_zaken"),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name="fk_permit_zaken_application_id_applications"
        ),
    )


def downgrade() -> None:
    op.drop_table("permit_zaken")
