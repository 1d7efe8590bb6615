"""Consultations of the safety advisor: the coordinator asks, the advisor shares a fact with its source or nothing.

Art. 3(2)/(3) Wet Bibob ask for facts: a case match is only a question. A shared fact enters the Bibob dossier
(a disclosure recorded the other way, art. 28) and the next assessment as an ordinary fact with its source.
"""

from __future__ import annotations

from typing import Any

from bibob.exceptions import InvalidInputError, Problem
from bibob.screening import shared_fact_from_json
from bibob.undermining import shared_from_case
from service.store import consultations, disclosures
from service.store.consultations import StoredConsultation
from service.usecases.session import Session
from service.views.inputs import json_object, text

ASK_FIELDS = ("question",)
ANSWER_FIELDS = ("nothingToShare", "fact")
#: What the permit officer is told while the coordinator waits for the advisor: no case, no count.
PENDING = "consultatie loopt"


def list_consultations(
    session: Session, *, application_id: str | None, status: str | None, limit: int, offset: int
) -> tuple[tuple[StoredConsultation, ...], int]:
    """One page of the consultations the principal may see, and the total."""
    return consultations.list_consultations(
        session.conn, session.principal, application_id=application_id, status=status, limit=limit, offset=offset,
        reason=session.reason,
    )  # fmt: skip


def read_consultation(session: Session, consultation_id: str) -> StoredConsultation:
    """One consultation (an audited read)."""
    return consultations.get_consultation(session.conn, session.principal, consultation_id, session.reason)


def ask(session: Session, consultation_id: str, version: int, body: object) -> StoredConsultation:
    """The coordinator asks the advisor about the subject (an optional question in Dutch)."""
    data = json_object(body, ASK_FIELDS)
    question = text(data, "question", limit=2000)
    return consultations.ask(session.conn, session.principal, consultation_id, version, question, session.reason)


def answer(session: Session, consultation_id: str, version: int, body: object) -> StoredConsultation:
    """The advisor shares one fact with its source, or says there is nothing to share; a shared fact is recorded."""
    given = _answer(body, consultation_id)
    answered = consultations.answer(session.conn, session.principal, consultation_id, version, given, session.reason)
    if "fact" in given:
        made = shared_from_case(answered.application_id, answered.owner_type, answered.owner_id)
        disclosures.record(session.conn, session.principal.user, made)
    return answered


def _answer(body: object, consultation_id: str) -> dict[str, Any]:
    data = json_object(body, ANSWER_FIELDS)
    if data.get("nothingToShare") is True and "fact" not in data:
        return {"nothingToShare": True}
    if "fact" in data and "nothingToShare" not in data:
        shared_fact_from_json(data["fact"], consultation_id)  # checked as an assessment's fact; 400 with /fact/…
        return {"fact": data["fact"]}
    message = "geef óf een feit met zijn bron (fact), óf nothingToShare: true"
    raise InvalidInputError([Problem("", "oneOf", message)])


def pending(session: Session, application_id: str) -> bool:
    """Whether a consultation about the application waits for the advisor: a yes or no for who may read it."""
    return consultations.pending(session.conn, session.principal, application_id, session.reason)
