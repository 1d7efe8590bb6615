"""Consultations and disclosures on the wire: coordinator's view, advisor's notice, the permit officer's line."""

from __future__ import annotations

from typing import Any

from service.auth import Principal, Role
from service.store.consultations import StoredConsultation
from service.store.disclosures import StoredDisclosure
from service.usecases.consultations import PENDING

STATUSES = ("open", "asked", "answered")


def consultation_view(stored: StoredConsultation, principal: Principal) -> dict[str, Any]:
    """The coordinator sees the question and answer but no case or signal; the advisor the case it touches."""
    view: dict[str, Any] = {
        "id": stored.id,
        "status": stored.status,
        "role": stored.role,
        "matchExplanation": stored.match_explanation,
        "question": stored.question,
        "answer": dict(stored.answer) if stored.answer is not None else None,
        "askedBy": stored.asked_by,
        "answeredBy": stored.answered_by,
        "version": stored.version,
    }
    if principal.role is Role.SAFETY_ADVISOR:
        kind = "casus" if stored.owner_type == "case" else "melding"
        view |= {"ownerType": stored.owner_type, "ownerId": stored.owner_id}
        view["notice"] = f"Bibob-screening raakt betrokkenen van {kind} {stored.owner_id}"
    else:
        view["applicationId"] = stored.application_id
    return view


def pending_view(pending: bool) -> dict[str, Any]:
    """What anyone who may read the application learns: a consultation is pending, or nothing (no case, no count)."""
    return {"pending": pending, "message": PENDING if pending else ""}


def disclosure_view(stored: StoredDisclosure) -> dict[str, Any]:
    """One disclosure for the privacy officer."""
    return {
        "id": stored.id,
        "dossierType": stored.dossier_type,
        "dossierId": stored.dossier_id,
        "direction": stored.direction,
        "recipient": stored.recipient,
        "legalBasis": stored.legal_basis,
        "purpose": stored.purpose,
        "content": stored.content,
        "by": stored.by,
        "at": stored.at.isoformat(),
    }
