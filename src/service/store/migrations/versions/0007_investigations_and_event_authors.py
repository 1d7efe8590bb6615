"""The coordinator's investigation file (facts, proportionality record, decision proposal) and who recorded each event.

`investigations`: append-only; the newest row of an application is its current file. `applications.event_authors`:
the account that recorded each event of the history, in order (empty for events recorded before this revision).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "investigations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_investigations_application_id_applications")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investigations")),
    )
    op.create_index(op.f("ix_investigations_application_id"), "investigations", ["application_id"], unique=False)
    op.add_column("applications", sa.Column("event_authors", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("event_authors")
    op.drop_index(op.f("ix_investigations_application_id"), table_name="investigations")
    op.drop_table("investigations")
