"""Consultations in the store: opened by an assessment for who may read the application, asked, answered.

A match of an application's subject with a case or signal is no finding (art. 3(2)/(3) Wet Bibob): it is stored
here, at most once per application, subject and case or signal, for the coordinator to ask the safety advisor.
Whoever ran the assessment learns nothing of it; every probe is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from bibob.exceptions import TransitionError
from bibob.undermining import Consultation
from service.auth import Principal
from service.store import audit
from service.store.access import Action, Resource, condition
from service.store.common import new_id, utcnow
from service.store.rows import one_visible, page_rows, require_visible, versioned_update
from service.store.tables import applications, consultations

KIND = Resource.CONSULTATION.value
AUDIT_TYPE = "consultation"
OPEN, ASKED, ANSWERED = "open", "asked", "answered"


@attrs.frozen
class StoredConsultation:
    """A consultation as stored: which subject touched which case or signal, the question and the answer."""

    id: str
    application_id: str
    subject_key: str
    role: str
    owner_type: str
    owner_id: str
    match_explanation: str
    status: str
    question: str
    asked_by: str | None
    answered_by: str | None
    answer: Mapping[str, Any] | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


def _stored(row: RowMapping) -> StoredConsultation:
    return StoredConsultation(**{field.name: row[field.name] for field in attrs.fields(StoredConsultation)})


def open_consultations(
    conn: Connection, principal: Principal, application_id: str, found: Iterable[Consultation], reason: str = ""
) -> None:
    """Store the consultations not there yet (idempotent), and audit every subject probed, new or not.

    For who may read the application (the known-subject check already read the dossiers for them); nothing goes back.
    """
    require_visible(
        conn, applications, Resource.APPLICATION.value, application_id, _application(principal, application_id)
    )
    query = sa.select(consultations.c.id, consultations.c.subject_key, consultations.c.owner_id)
    existing = {
        (row.subject_key, row.owner_id): row.id
        for row in conn.execute(query.where(consultations.c.application_id == application_id))
    }
    probed: list[str] = []
    for item in found:
        identifier = existing.get((item.subject_key, item.owner_id))
        if identifier is None:
            identifier = new_id()
            existing[item.subject_key, item.owner_id] = identifier
            conn.execute(consultations.insert().values(**_new(identifier, item)))
        probed.append(identifier)
    audit.append_many(conn, principal, "subject.probedForAssessment", AUDIT_TYPE, probed, reason)


def _application(principal: Principal, application_id: str) -> sa.ColumnElement[bool]:
    return condition(principal, Resource.APPLICATION, Action.READ, application_id)


def _new(identifier: str, item: Consultation) -> dict[str, Any]:
    now = utcnow()
    return {
        "id": identifier, "application_id": item.application_id, "subject_key": item.subject_key, "role": item.role,
        "owner_type": item.owner_type, "owner_id": item.owner_id, "match_explanation": item.match_explanation,
        "status": OPEN, "question": "", "asked_by": None, "answered_by": None, "answer": None, "version": 1,
        "created_at": now, "updated_at": now,
    }  # fmt: skip


def list_consultations(
    conn: Connection,
    principal: Principal,
    *,
    application_id: str | None = None,
    status: str | None = None,
    limit: int = 100,
    offset: int = 0,
    reason: str = "",
) -> tuple[tuple[StoredConsultation, ...], int]:
    """The consultations the principal may see (coordinator: all; advisor: asked, about their cases), oldest first."""
    where = [condition(principal, Resource.CONSULTATION, Action.READ)]
    where += [consultations.c.application_id == application_id] if application_id else []
    where += [consultations.c.status == status] if status else []
    count = conn.execute(sa.select(sa.func.count()).select_from(consultations).where(*where)).scalar_one()
    query = sa.select(consultations).where(*where).order_by(consultations.c.created_at, consultations.c.id)
    found = tuple(_stored(row) for row in page_rows(conn, query, limit, offset))
    audit.append_many(conn, principal, "consultation.list", AUDIT_TYPE, [c.id for c in found], reason)
    return found, count


def get_consultation(conn: Connection, principal: Principal, identifier: str, reason: str = "") -> StoredConsultation:
    """One consultation the principal may see (an audited read); `NotFoundError` otherwise."""
    visible = condition(principal, Resource.CONSULTATION, Action.READ, identifier)
    found = _stored(one_visible(conn, consultations, KIND, identifier, visible))
    audit.append(conn, principal, "consultation.read", AUDIT_TYPE, identifier, reason)
    return found


def ask(
    conn: Connection, principal: Principal, identifier: str, version: int, question: str, reason: str = ""
) -> StoredConsultation:
    """The coordinator asks the safety advisor; only an open consultation can be asked (`TransitionError`)."""
    visible = condition(principal, Resource.CONSULTATION_QUESTION, Action.UPDATE, identifier)
    _in_status(conn, identifier, visible, OPEN, "is al gevraagd", "consultationAsked")
    values = {"status": ASKED, "question": question, "asked_by": principal.user}
    row = versioned_update(conn, consultations, KIND, identifier, version, visible, values)
    audit.append(conn, principal, "consultation.asked", AUDIT_TYPE, identifier, reason)
    return _stored(row)


def answer(
    conn: Connection, principal: Principal, identifier: str, version: int, given: Mapping[str, Any], reason: str = ""
) -> StoredConsultation:
    """The safety advisor answers an asked consultation: a fact with its source, or nothing to share."""
    visible = condition(principal, Resource.CONSULTATION_ANSWER, Action.UPDATE, identifier)
    _in_status(conn, identifier, visible, ASKED, "is niet (meer) open voor een antwoord", "consultationAnswered")
    values = {"status": ANSWERED, "answer": dict(given), "answered_by": principal.user}
    row = versioned_update(conn, consultations, KIND, identifier, version, visible, values)
    audit.append(conn, principal, "consultation.answered", AUDIT_TYPE, identifier, reason)
    return _stored(row)


def _in_status(
    conn: Connection, identifier: str, visible: sa.ColumnElement[bool], wanted: str, otherwise: str, event: str
) -> None:
    query = sa.select(consultations.c.status).where(consultations.c.id == identifier, visible)
    status = conn.execute(query).scalar_one_or_none()
    if status is None:
        require_visible(conn, consultations, KIND, identifier, visible)  # raises NotFoundError
    if status != wanted:
        raise TransitionError(str(status), event, f"de consultatie {otherwise}")


def pending(conn: Connection, principal: Principal, application_id: str, reason: str = "") -> bool:
    """Whether the coordinator asked the advisor about the application and no answer came yet (a yes or no only)."""
    require_visible(
        conn, applications, Resource.APPLICATION.value, application_id, _application(principal, application_id)
    )
    query = sa.select(consultations.c.id).where(
        consultations.c.application_id == application_id, consultations.c.status == ASKED
    )
    audit.append(conn, principal, "consultation.pendingRead", "application", application_id, reason)
    return conn.execute(query.limit(1)).first() is not None


def shared(conn: Connection, principal: Principal, application_id: str) -> tuple[StoredConsultation, ...]:
    """The answered consultations of an application that shared a fact, for who may read the application."""
    require_visible(
        conn, applications, Resource.APPLICATION.value, application_id, _application(principal, application_id)
    )
    query = sa.select(consultations).where(
        consultations.c.application_id == application_id, consultations.c.status == ANSWERED
    )
    found = tuple(
        _stored(row) for row in conn.execute(query.order_by(consultations.c.created_at, consultations.c.id)).mappings()
    )
    return tuple(c for c in found if c.answer is not None and "fact" in c.answer)
