"""The signals of a case, as rows: a signal linked to a case is visible to an advisor only through that case.

Filled from the cases' stored documents (their registration and later subjects added name the signals).
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_signals",
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("signal_id", sa.String(36), sa.ForeignKey("signals.id"), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "signal_id"),
    )
    op.create_index("ix_case_signals_signal_id", "case_signals", ["signal_id"])
    conn = op.get_bind()
    known = {row[0] for row in conn.execute(sa.text("SELECT id FROM signals"))}
    links: list[dict[str, str]] = []
    for case_id, document in conn.execute(sa.text("SELECT id, document FROM cases")):
        value = json.loads(document) if isinstance(document, (str, bytes)) else document
        links.extend({"case_id": case_id, "signal_id": s} for s in sorted(_signal_ids(value)) if s in known)
    if links:
        conn.execute(sa.text("INSERT INTO case_signals (case_id, signal_id) VALUES (:case_id, :signal_id)"), links)


def _signal_ids(document: Any) -> set[str]:
    events = document.get("events", []) if isinstance(document, dict) else []
    return {str(s) for event in events if isinstance(event, dict) for s in event.get("signalIds", []) or []}


def downgrade() -> None:
    op.drop_index("ix_case_signals_signal_id", "case_signals")
    op.drop_table("case_signals")
