"""applications.questionnaire_id: the questionnaire the answers answer, kept beside them, so that showing an
application neither decodes nor parses its answer document. Filled in from the stored answers."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

MAX_ID = 256


def upgrade() -> None:
    op.add_column("applications", sa.Column("questionnaire_id", sa.String(MAX_ID), nullable=True))
    table = sa.table(
        "applications", sa.column("id", sa.String), sa.column("answers", sa.JSON), sa.column("questionnaire_id")
    )
    connection = op.get_bind()
    for identifier, answers in connection.execute(sa.select(table.c.id, table.c.answers)).all():
        reference = answers.get("questionnaire") if isinstance(answers, dict) else None
        found = reference.get("id") if isinstance(reference, dict) else None
        if isinstance(found, str) and len(found) <= MAX_ID:
            connection.execute(table.update().where(table.c.id == identifier).values(questionnaire_id=found))


def downgrade() -> None:
    op.drop_column("applications", "questionnaire_id")
