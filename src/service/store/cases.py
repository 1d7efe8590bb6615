"""Undermining cases (casussen): the JSON document with indexed status, lead and confidentiality, and members."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from bibob.exceptions import InvalidInputError, Problem
from bibob.undermining import Case, case_from_json, case_to_json
from service.auth import Principal
from service.store import audit
from service.store.access import Action, Resource, condition
from service.store.common import new_id, utcnow
from service.store.errors import StaleVersionError
from service.store.rows import (
    documents_of,
    one_visible,
    page_rows,
    require_visible,
    versioned_update,
    versions_by_status,
)
from service.store.subjects import SubjectKey, add_keys_of_new_owner
from service.store.tables import case_members, case_signals, cases, signals

KIND = Resource.CASE.value
AUDIT_TYPE = "case"
# The wire values of `bibob.undermining.vocabulary.Confidentiality` (ZGW's eight levels, lowest first).
CONFIDENTIALITY = (
    "public",
    "restrictedPublic",
    "internal",
    "caseConfidential",
    "confidential",
    "highlyConfidential",
    "secret",
    "topSecret",
)


@attrs.frozen
class StoredCase:
    """A case as stored, with the users who have need-to-know (its lead among them)."""

    id: str
    status: str
    lead: str
    confidentiality: str
    document: Mapping[str, Any]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    members: tuple[str, ...]

    @property
    def case(self) -> Case:
        """The domain case, by replaying the stored events."""
        return case_from_json(self.document)


def create_case(
    conn: Connection,
    principal: Principal,
    *,
    status: str,
    confidentiality: str,
    document: Mapping[str, Any],
    members: Iterable[str] = (),
    case_id: str | None = None,
    signal_ids: Iterable[str] = (),
    keys: Iterable[SubjectKey] = (),
    reason: str = "",
) -> StoredCase:
    """Open a case led by the principal, who becomes a member with `members`; `signal_ids` are linked to it.

    `keys` are the subject keys of its subjects (`service.store.subjects.keys_of`): what lookups find it by.
    """
    condition(principal, Resource.CASE, Action.CREATE)
    _check_confidentiality(confidentiality)
    audit.lock_chain(conn)
    now, identifier = utcnow(), case_id or new_id()
    values: dict[str, Any] = {
        "id": identifier,
        "status": status,
        "lead": principal.user,
        "confidentiality": confidentiality,
    }
    values |= {"document": dict(document), "version": 1, "created_at": now, "updated_at": now}
    row = conn.execute(cases.insert().values(**values).returning(*cases.c)).mappings().one()
    users = sorted({principal.user, *members})
    conn.execute(case_members.insert(), [{"case_id": identifier, "user": user, "added_at": now} for user in users])
    link_signals(conn, identifier, signal_ids)
    add_keys_of_new_owner(conn, AUDIT_TYPE, identifier, keys)
    audit.append(conn, principal, "case.create", AUDIT_TYPE, identifier, reason)
    return _stored(conn, row)


def get_case(conn: Connection, principal: Principal, case_id: str, reason: str = "") -> StoredCase:
    """The case, if the principal has need-to-know; the read is audited."""
    visible = condition(principal, Resource.CASE, Action.READ, case_id)
    audit.lock_chain(conn)
    row = one_visible(conn, cases, KIND, case_id, visible)
    audit.append(conn, principal, "case.read", AUDIT_TYPE, case_id, reason)
    return _stored(conn, row)


def list_cases(
    conn: Connection,
    principal: Principal,
    *,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
    reason: str = "",
) -> tuple[StoredCase, ...]:
    """The cases the principal may see, most recently changed first; one audit row per case."""
    visible = condition(principal, Resource.CASE, Action.READ)
    audit.lock_chain(conn)
    query = sa.select(cases).where(visible).order_by(cases.c.updated_at.desc(), cases.c.id)
    if status is not None:
        query = query.where(cases.c.status == status)
    rows = page_rows(conn, query, limit, offset)
    audit.append_many(conn, principal, "case.list", AUDIT_TYPE, [row["id"] for row in rows], reason)
    return tuple(_stored(conn, row) for row in rows)


def in_states(
    conn: Connection, principal: Principal, states: Iterable[str], reason: str = ""
) -> tuple[tuple[str, int], ...]:
    """(id, version) of every case in `states` the principal may see, by key; audited like a list of cases.

    For the meeting agenda: read with `documents` only what changed since the last read (`service.usecases.cases`).
    """
    visible = condition(principal, Resource.CASE, Action.READ)
    found = versions_by_status(conn, cases, tuple(states), visible)
    audit.append_many(conn, principal, "case.list", AUDIT_TYPE, [identifier for identifier, _ in found], reason)
    return found


def documents(conn: Connection, principal: Principal, identifiers: Sequence[str]) -> dict[str, Any]:
    """The documents of the cases `identifiers` the principal may see (listed, and audited, by `in_states`)."""
    return documents_of(conn, cases, identifiers, condition(principal, Resource.CASE, Action.READ))


def page_of_cases(
    conn: Connection,
    principal: Principal,
    *,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
    reason: str = "",
) -> tuple[tuple[StoredCase, ...], int]:
    """One page of the cases the principal may see (`list_cases`) and how many there are in all."""
    visible = condition(principal, Resource.CASE, Action.READ)
    total = sa.select(sa.func.count()).select_from(cases).where(visible)
    if status is not None:
        total = total.where(cases.c.status == status)
    count = int(conn.execute(total).scalar_one())
    return list_cases(conn, principal, status=status, limit=limit, offset=offset, reason=reason), count


def replace_members(
    conn: Connection, principal: Principal, case_id: str, users: Iterable[str], reason: str = ""
) -> tuple[str, ...]:
    """Make `users` (and the lead) exactly the members of the case; only the lead decides. Returns the members."""
    visible = condition(principal, Resource.CASE_MEMBERSHIP, Action.UPDATE, case_id)
    audit.lock_chain(conn)
    row = one_visible(conn, cases, KIND, case_id, visible)
    wanted, present = {row["lead"], *users}, set(_members(conn, case_id))
    gone = sorted(present - wanted)
    if gone:
        conn.execute(case_members.delete().where(case_members.c.case_id == case_id, case_members.c.user.in_(gone)))
    added = [{"case_id": case_id, "user": user, "added_at": utcnow()} for user in sorted(wanted - present)]
    if added:
        conn.execute(case_members.insert(), added)
    audit.append(conn, principal, "case.member.replace", AUDIT_TYPE, case_id, reason)
    return _members(conn, case_id)


def update_case(
    conn: Connection,
    principal: Principal,
    case_id: str,
    expected_version: int,
    *,
    status: str | None = None,
    confidentiality: str | None = None,
    document: Mapping[str, Any] | None = None,
    reason: str = "",
) -> StoredCase:
    """Change status, confidentiality and/or document, if `expected_version` is current."""
    visible = condition(principal, Resource.CASE, Action.UPDATE, case_id)
    if confidentiality is not None:
        _check_confidentiality(confidentiality)
    audit.lock_chain(conn)
    values: dict[str, Any] = {"status": status} if status is not None else {}
    values |= {"confidentiality": confidentiality} if confidentiality is not None else {}
    values |= {"document": dict(document)} if document is not None else {}
    row = versioned_update(conn, cases, KIND, case_id, expected_version, visible, values)
    audit.append(conn, principal, "case.update", AUDIT_TYPE, case_id, reason)
    return _stored(conn, row)


def load(conn: Connection, principal: Principal, case_id: str, expected_version: int, reason: str = "") -> StoredCase:
    """The case to change, if the principal may change it and `expected_version` is current (an audited read).

    A case the principal may read but not change is `NotFoundError` here, before its version is compared.
    """
    require_changeable(conn, principal, case_id)
    stored = get_case(conn, principal, case_id, reason)
    if stored.version != expected_version:
        raise StaleVersionError(KIND, case_id, expected_version)
    return stored


def require_changeable(conn: Connection, principal: Principal, case_id: str) -> None:
    """`NotFoundError` unless the principal may change the case (reads only its id; not audited by itself)."""
    require_visible(conn, cases, KIND, case_id, condition(principal, Resource.CASE, Action.UPDATE, case_id))


def save(conn: Connection, principal: Principal, case: Case, expected_version: int, reason: str = "") -> StoredCase:
    """Store the changed case (status, confidentiality, document), if `expected_version` is still current.

    Signals the case took in (`Case.signal_ids`) are linked to it: from then on only its members see them.
    """
    stored = update_case(
        conn,
        principal,
        case.id,
        expected_version,
        status=case.state.value,
        confidentiality=case.confidentiality.value,
        document=case_to_json(case),
        reason=reason,
    )
    link_signals(conn, case.id, case.signal_ids)
    return stored


def link_signals(conn: Connection, case_id: str, signal_ids: Iterable[str]) -> None:
    """Link the stored signals among `signal_ids` to the case (once each): `service.store.access` then shows a
    signal to an advisor only through a case it is linked to. Called after the principal's right on the case
    was checked; ids of no stored signal are left out."""
    wanted = sorted(set(signal_ids))
    if not wanted:
        return
    linked = sa.select(case_signals.c.signal_id).where(case_signals.c.case_id == case_id)
    new = sa.select(sa.literal(case_id, sa.String), signals.c.id).where(
        signals.c.id.in_(wanted), signals.c.id.not_in(linked)
    )
    conn.execute(case_signals.insert().from_select(["case_id", "signal_id"], new))


def add_member(conn: Connection, principal: Principal, case_id: str, user: str, reason: str = "") -> None:
    """Give `user` need-to-know on the case (the lead decides); adding a member twice changes nothing."""
    visible = condition(principal, Resource.CASE_MEMBERSHIP, Action.UPDATE, case_id)
    audit.lock_chain(conn)
    require_visible(conn, cases, KIND, case_id, visible)
    if user not in _members(conn, case_id):
        conn.execute(case_members.insert().values(case_id=case_id, user=user, added_at=utcnow()))
    audit.append(conn, principal, "case.member.add", AUDIT_TYPE, case_id, reason)


def remove_member(conn: Connection, principal: Principal, case_id: str, user: str, reason: str = "") -> None:
    """Take need-to-know away from `user` at once; the lead cannot be removed."""
    visible = condition(principal, Resource.CASE_MEMBERSHIP, Action.UPDATE, case_id)
    audit.lock_chain(conn)
    row = one_visible(conn, cases, KIND, case_id, visible)
    if user == row["lead"]:
        raise InvalidInputError([Problem("/user", "member.isLead", "de casusregisseur kan niet worden verwijderd")])
    conn.execute(case_members.delete().where(case_members.c.case_id == case_id, case_members.c.user == user))
    audit.append(conn, principal, "case.member.remove", AUDIT_TYPE, case_id, reason)


def _check_confidentiality(value: str) -> None:
    if value not in CONFIDENTIALITY:
        message = "onbekende vertrouwelijkheidaanduiding; kies uit " + ", ".join(CONFIDENTIALITY)
        raise InvalidInputError([Problem("/confidentiality", "confidentiality.unknown", message)])


def _members(conn: Connection, case_id: str) -> tuple[str, ...]:
    query = sa.select(case_members.c.user).where(case_members.c.case_id == case_id).order_by(case_members.c.user)
    return tuple(conn.execute(query).scalars())


def _stored(conn: Connection, row: RowMapping) -> StoredCase:
    fields = {field.name: row[field.name] for field in attrs.fields(StoredCase) if field.name != "members"}
    return StoredCase(**fields, members=_members(conn, row["id"]))
