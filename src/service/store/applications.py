"""Applications under screening: the file (state, history), its answers and attachments metadata."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from bibob.applications import Application, application_from_json, application_to_json
from bibob.exceptions import InvalidInputError, Problem
from service.auth import Principal
from service.store import audit
from service.store.access import Action, Resource, condition
from service.store.common import utcnow
from service.store.engine import json_value
from service.store.errors import IdTakenError, StaleVersionError
from service.store.rows import by_id, one_visible, page_rows, versioned_update
from service.store.tables import QUESTIONNAIRE_ID, applications

KIND = Resource.APPLICATION.value
AUDIT_TYPE = "application"
#: What a read selects: the answers as text, decoded only when used (showing the file does not need them).
COLUMNS = (
    *(column for column in applications.c if column.name != "answers"),
    sa.cast(applications.c.answers, sa.Text).label("answers_text"),
)
_BY_ID = by_id(applications, *COLUMNS)
_QUESTIONNAIRE_BY_ID = by_id(applications, applications.c.questionnaire_id)


@attrs.frozen
class StoredApplication:
    """An application file as stored; `version` is its ETag."""

    id: str
    permit_type: str
    legal_act: str
    track: str
    received: dt.date
    state: str
    version: int
    owner: str
    answers_text: str = attrs.field(repr=False)
    questionnaire_id: str | None
    attachments: Sequence[Mapping[str, Any]]
    history: Sequence[Mapping[str, Any]]
    created_at: dt.datetime
    updated_at: dt.datetime
    event_authors: Sequence[str] | None = None  # who recorded each event, in order ("" or missing: not known)

    def recorded_by(self, index: int) -> str:
        """The account that recorded the event at `index` of the history ("" when not known)."""
        authors = self.event_authors or ()
        return authors[index] if 0 <= index < len(authors) else ""

    @functools.cached_property
    def answers(self) -> Mapping[str, Any]:
        """The answer document (decoded on first use)."""
        document = json_value(self.answers_text)
        return document if isinstance(document, dict) else {}

    @property
    def document(self) -> dict[str, Any]:
        """The file as `application.schema.json` describes it."""
        fixed = {"id": self.id, "permitType": self.permit_type, "legalAct": self.legal_act, "track": self.track}
        return fixed | {"received": self.received.isoformat(), "state": self.state, "events": list(self.history)}

    @property
    def application(self) -> Application:
        """The domain value, by replaying the stored history through the lifecycle."""
        return application_from_json(self.document)


def create_application(
    conn: Connection,
    principal: Principal,
    application: Application,
    *,
    answers: Mapping[str, Any] | None = None,
    attachments: Sequence[Mapping[str, Any]] = (),
    reason: str = "",
) -> StoredApplication:
    """Store a new application owned by the principal (version 1)."""
    condition(principal, Resource.APPLICATION, Action.CREATE, application.id)
    audit.lock_chain(conn)
    if conn.execute(sa.select(applications.c.id).where(applications.c.id == application.id)).first():
        raise IdTakenError(application.id)  # taken by a dossier the caller may see or not: one answer, audited
    now = utcnow()
    values = _file_values(application) | _answer_values(answers or {}) | {"attachments": list(attachments)}
    values |= {"event_authors": [principal.user] * len(application.history)}
    values |= {"id": application.id, "owner": principal.user, "version": 1, "created_at": now, "updated_at": now}
    row = conn.execute(applications.insert().returning(*COLUMNS), values).mappings().one()
    audit.append(conn, principal, "application.create", AUDIT_TYPE, application.id, reason)
    return _stored(row)


def get_application(conn: Connection, principal: Principal, application_id: str, reason: str = "") -> StoredApplication:
    """The application, if the principal may see it; the read is audited."""
    visible = condition(principal, Resource.APPLICATION, Action.READ, application_id)
    audit.lock_chain(conn)
    row = one_visible(conn, applications, KIND, application_id, visible, _BY_ID)
    audit.append(conn, principal, "application.read", AUDIT_TYPE, application_id, reason)
    return _stored(row)


def questionnaire_of(conn: Connection, principal: Principal, application_id: str) -> str:
    """The id of the questionnaire an application's answers answer, for a principal who may update it.

    Not audited by itself: it serves an update in the same transaction, which is (and which, when refused,
    takes this read back with it).
    """
    visible = condition(principal, Resource.APPLICATION, Action.UPDATE, application_id)
    row = one_visible(conn, applications, KIND, application_id, visible, _QUESTIONNAIRE_BY_ID)
    return str(row["questionnaire_id"] or "")


def _filtered(
    query: sa.Select[Any], visible: sa.ColumnElement[bool], state: str | None, permit_type: str | None
) -> sa.Select[Any]:
    query = query.where(visible)
    if state is not None:
        query = query.where(applications.c.state == state)
    if permit_type is not None:
        query = query.where(applications.c.permit_type == permit_type)
    return query


def list_applications(
    conn: Connection,
    principal: Principal,
    *,
    state: str | None = None,
    permit_type: str | None = None,
    limit: int = 50,
    offset: int = 0,
    reason: str = "",
) -> tuple[StoredApplication, ...]:
    """The applications the principal may see, newest first; one audit row per application listed."""
    visible = condition(principal, Resource.APPLICATION, Action.READ)
    audit.lock_chain(conn)
    query = _filtered(sa.select(*COLUMNS), visible, state, permit_type)
    query = query.order_by(applications.c.created_at.desc(), applications.c.id)
    rows = page_rows(conn, query, limit, offset)
    audit.append_many(conn, principal, "application.list", AUDIT_TYPE, [row["id"] for row in rows], reason)
    return tuple(_stored(row) for row in rows)


def visible_versions(
    conn: Connection, principal: Principal, *, state: str | None = None, permit_type: str | None = None
) -> tuple[tuple[str, int, dt.datetime], ...]:
    """(id, version, updated_at) of every application the principal may see (filtered): what a use case needs to
    know which files changed since it last computed their deadlines. Not audited: nothing of a file is read."""
    visible = condition(principal, Resource.APPLICATION, Action.READ)
    columns = (applications.c.id, applications.c.version, applications.c.updated_at)
    query = _filtered(sa.select(*columns), visible, state, permit_type).order_by(applications.c.id)
    return tuple((row.id, row.version, row.updated_at) for row in conn.execute(query))


def visible_by_ids(
    conn: Connection, principal: Principal, application_ids: Sequence[str]
) -> tuple[StoredApplication, ...]:
    """The applications of `application_ids` the principal may see, for a use case that sorts or searches on what the
    library computes before it shows a page. Not audited by itself: the caller audits what it shows
    (`audit_listed`), in the same transaction."""
    if not application_ids:
        return ()
    visible = condition(principal, Resource.APPLICATION, Action.READ)
    query = sa.select(*COLUMNS).where(visible, applications.c.id.in_(list(application_ids)))
    return tuple(_stored(row) for row in conn.execute(query).mappings())


def audit_listed(conn: Connection, principal: Principal, application_ids: Sequence[str], reason: str = "") -> None:
    """One audit row per application a list or search showed."""
    audit.append_many(conn, principal, "application.list", AUDIT_TYPE, application_ids, reason)


def page_of_applications(
    conn: Connection,
    principal: Principal,
    *,
    state: str | None = None,
    permit_type: str | None = None,
    limit: int = 50,
    offset: int = 0,
    reason: str = "",
) -> tuple[tuple[StoredApplication, ...], int]:
    """One page of the applications the principal may see and how many there are in all (audit: the page only)."""
    visible = condition(principal, Resource.APPLICATION, Action.READ)
    total = _filtered(sa.select(sa.func.count()).select_from(applications), visible, state, permit_type)
    count = int(conn.execute(total).scalar_one())
    page = list_applications(
        conn, principal, state=state, permit_type=permit_type, limit=limit, offset=offset, reason=reason
    )
    return page, count


def update_application(
    conn: Connection,
    principal: Principal,
    application_id: str,
    expected_version: int,
    *,
    application: Application | None = None,
    answers: Mapping[str, Any] | None = None,
    attachments: Sequence[Mapping[str, Any]] | None = None,
    reason: str = "",
    right: tuple[Resource, Action] = (Resource.APPLICATION, Action.UPDATE),
) -> StoredApplication:
    """Replace the file (state and history), the answers and/or the attachments, if `expected_version` is current.

    `right`: the rule the change needs; recording a decision needs (DECISION, CREATE), which the mayor has.
    """
    visible = condition(principal, *right, application_id)
    if application is not None and application.id != application_id:
        raise InvalidInputError([Problem("/id", "id.mismatch", "het kenmerk wijkt af van de aanvraag")])
    audit.lock_chain(conn)
    values: dict[str, Any] = {}
    if application is not None:
        values |= _file_values(application) | _authors(conn, principal, application, visible)
    values |= _answer_values(answers) if answers is not None else {}
    values |= {"attachments": list(attachments)} if attachments is not None else {}
    row = versioned_update(conn, applications, KIND, application_id, expected_version, visible, values, COLUMNS)
    audit.append(conn, principal, "application.update", AUDIT_TYPE, application_id, reason)
    return _stored(row)


def load(
    conn: Connection, principal: Principal, application_id: str, expected_version: int, reason: str = ""
) -> StoredApplication:
    """The application to change, if the principal may see it and `expected_version` is current (an audited read).

    `StaleVersionError` (412) comes before any rule is checked: a client with an old ETag must first see what changed.
    """
    stored = get_application(conn, principal, application_id, reason)
    if stored.version != expected_version:
        raise StaleVersionError(KIND, application_id, expected_version)
    return stored


def save(
    conn: Connection,
    principal: Principal,
    application: Application,
    expected_version: int,
    reason: str = "",
    *,
    decision: bool = False,
) -> StoredApplication:
    """Store the changed file (state and history) of a `load`ed application, if `expected_version` is still current.

    `decision`: the change records the permit decision, which needs the decision right rather than the update right.
    """
    right = (Resource.DECISION, Action.CREATE) if decision else (Resource.APPLICATION, Action.UPDATE)
    return update_application(
        conn, principal, application.id, expected_version, application=application, reason=reason, right=right
    )


def _authors(
    conn: Connection, principal: Principal, application: Application, visible: sa.ColumnElement[bool]
) -> dict[str, Any]:
    """The event authors after the change: those known so far, and the principal for every event it adds."""
    query = sa.select(applications.c.history, applications.c.event_authors)
    row = conn.execute(query.where(applications.c.id == application.id, visible)).first()
    if row is None:
        return {}  # the versioned update answers not found
    before = len(row.history or [])
    known = [*(row.event_authors or [])[:before], *[""] * max(0, before - len(row.event_authors or []))]
    return {"event_authors": known + [principal.user] * max(0, len(application.history) - before)}


def _answer_values(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers and, beside them, the id of the questionnaire they answer (None when they name none)."""
    reference = answers.get("questionnaire")
    found = reference.get("id") if isinstance(reference, Mapping) else None
    usable = isinstance(found, str) and len(found) <= QUESTIONNAIRE_ID
    return {"answers": dict(answers), "questionnaire_id": found if usable else None}


def _file_values(application: Application) -> dict[str, Any]:
    document = application_to_json(application)
    return {
        "permit_type": document["permitType"],
        "legal_act": document["legalAct"],
        "track": document["track"],
        "received": application.received,
        "state": document["state"],
        "history": document["events"],
    }


def stored_from_row(row: RowMapping) -> StoredApplication:
    """An application from a row that selected `COLUMNS` (and maybe more)."""
    return _stored(row)


def _stored(row: RowMapping) -> StoredApplication:
    return StoredApplication(**{name: row[name] for name in _FIELDS})


_FIELDS = tuple(field.name for field in attrs.fields(StoredApplication))
