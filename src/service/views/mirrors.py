"""The zaaksysteem mirror of a case on the wire: how far it got."""

from __future__ import annotations

from typing import Any

from service.store.jobs import Job

NOT_REQUESTED: dict[str, Any] = {"status": "none", "attempts": 0, "lastError": "", "nextAttemptAt": None, "zaak": ""}


def mirror_view(job: Job | None) -> dict[str, Any]:
    """The mirror job's status, attempts, last error, next attempt and the zaak made so far."""
    if job is None:
        return dict(NOT_REQUESTED)
    return {
        "status": job.status,
        "attempts": job.attempts,
        "lastError": job.last_error,
        "nextAttemptAt": job.next_attempt_at.isoformat(),
        "zaak": job.state.get("zaak", ""),
    }
