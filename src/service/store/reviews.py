"""Human reviews of uncertain subject matches (confirm or dismiss), made in a case and remembered for its next match.

A verdict belongs to the case it was made in: only a member of that case records one, and it counts only in the
searches made for that case and in the evidence links written into it — never in another case's work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from bibob.exceptions import InvalidInputError, NotFoundError, Problem
from service.auth import Principal
from service.store import audit
from service.store.access import Action, Resource, condition
from service.store.common import utcnow
from service.store.tables import case_members, match_reviews

AUDIT_TYPE = "matchReview"


@attrs.frozen
class MatchReview:
    """A reviewer's verdict on whether two subject keys denote the same subject; keys are stored in sorted order."""

    id: int
    left_key: str
    right_key: str
    confirmed: bool
    reviewer: str
    reason: str
    at: dt.datetime
    case_id: str | None  # None only for verdicts recorded before reviews named their case: they count nowhere


def record_review(
    conn: Connection,
    principal: Principal,
    case_id: str,
    left_key: str,
    right_key: str,
    *,
    confirmed: bool,
    reason: str,
) -> MatchReview:
    """Remember a verdict in a case the reviewer is a member of (404 otherwise); the latest on a pair counts.

    A reason is required.
    """
    condition(principal, Resource.MATCH_REVIEW, Action.CREATE)
    if not reason.strip():
        raise InvalidInputError([Problem("/reason", "reason.missing", "geef een reden voor de beoordeling")])
    audit.lock_chain(conn)
    require_member(conn, principal, case_id)
    left, right = sorted((left_key, right_key))
    values = {"left_key": left, "right_key": right, "confirmed": confirmed, "reviewer": principal.user}
    values |= {"case_id": case_id, "reason": reason, "at": utcnow()}
    row = conn.execute(match_reviews.insert().values(**values).returning(*match_reviews.c)).mappings().one()
    audit.append(conn, principal, "matchReview.create", AUDIT_TYPE, str(row["id"]))
    return _review(row)


def require_member(conn: Connection, principal: Principal, case_id: str) -> None:
    """`NotFoundError` for the case unless the principal is one of its members (an unknown case answers the same)."""
    member = sa.select(case_members.c.case_id).where(
        case_members.c.case_id == case_id, case_members.c.user == principal.user
    )
    if conn.execute(member.limit(1)).first() is None:
        raise NotFoundError(Resource.CASE.value, case_id)


def latest_review(
    conn: Connection, principal: Principal, case_id: str, left_key: str, right_key: str
) -> MatchReview | None:
    """The latest verdict on the pair (in either order) made in the case, or None when nobody there reviewed it."""
    condition(principal, Resource.MATCH_REVIEW, Action.READ)
    audit.lock_chain(conn)
    require_member(conn, principal, case_id)
    left, right = sorted((left_key, right_key))
    pair = (match_reviews.c.case_id == case_id, match_reviews.c.left_key == left, match_reviews.c.right_key == right)
    row = conn.execute(sa.select(match_reviews).where(*pair).order_by(match_reviews.c.id.desc()).limit(1))
    found = row.mappings().first()
    if found is not None:
        audit.append(conn, principal, "matchReview.read", AUDIT_TYPE, str(found["id"]))
    return None if found is None else _review(found)


def reviews_in_case(
    conn: Connection, principal: Principal, case_id: str, keys: Iterable[str]
) -> tuple[MatchReview, ...]:
    """Every verdict made in the case on a pair that has one of `keys` on either side, oldest first (the latest
    wins in a ledger); only for a member of the case (404 otherwise)."""
    condition(principal, Resource.MATCH_REVIEW, Action.READ)
    audit.lock_chain(conn)
    require_member(conn, principal, case_id)
    keys = tuple(keys)
    involved = sa.or_(match_reviews.c.left_key.in_(keys), match_reviews.c.right_key.in_(keys))
    query = sa.select(match_reviews).where(match_reviews.c.case_id == case_id, involved)
    rows = conn.execute(query.order_by(match_reviews.c.id)).mappings().all()
    audit.append_many(conn, principal, "matchReview.read", AUDIT_TYPE, [str(row["id"]) for row in rows])
    return tuple(_review(row) for row in rows)


def _review(row: RowMapping) -> MatchReview:
    return MatchReview(**{field.name: row[field.name] for field in attrs.fields(MatchReview)})
