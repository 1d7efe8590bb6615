"""Human reviews of uncertain subject matches (confirm or dismiss), remembered for the next match."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from bibob.exceptions import InvalidInputError, Problem
from service.auth import Principal
from service.store import audit
from service.store.access import Action, Resource, condition
from service.store.common import utcnow
from service.store.tables import match_reviews

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


def record_review(
    conn: Connection, principal: Principal, left_key: str, right_key: str, *, confirmed: bool, reason: str
) -> MatchReview:
    """Remember a verdict; the latest verdict on a pair is the one that counts. A reason is required."""
    condition(principal, Resource.MATCH_REVIEW, Action.CREATE)
    if not reason.strip():
        raise InvalidInputError([Problem("/reason", "reason.missing", "geef een reden voor de beoordeling")])
    audit.lock_chain(conn)
    left, right = sorted((left_key, right_key))
    values = {"left_key": left, "right_key": right, "confirmed": confirmed, "reviewer": principal.user}
    statement = match_reviews.insert().values(**values, reason=reason, at=utcnow()).returning(*match_reviews.c)
    row = conn.execute(statement).mappings().one()
    audit.append(conn, principal, "matchReview.create", AUDIT_TYPE, str(row["id"]))
    return _review(row)


def latest_review(conn: Connection, principal: Principal, left_key: str, right_key: str) -> MatchReview | None:
    """The latest verdict on the pair (in either order), or None when nobody reviewed it."""
    condition(principal, Resource.MATCH_REVIEW, Action.READ)
    audit.lock_chain(conn)
    left, right = sorted((left_key, right_key))
    query = sa.select(match_reviews).where(match_reviews.c.left_key == left, match_reviews.c.right_key == right)
    row = conn.execute(query.order_by(match_reviews.c.id.desc()).limit(1)).mappings().first()
    if row is not None:
        audit.append(conn, principal, "matchReview.read", AUDIT_TYPE, str(row["id"]))
    return None if row is None else _review(row)


def reviews_involving(
    conn: Connection, principal: Principal, keys: Iterable[str], *, reviewer: str | None = None
) -> tuple[MatchReview, ...]:
    """Every verdict on a pair that has one of `keys` on either side, oldest first (so the latest wins in a ledger);
    only `reviewer`'s own verdicts when given."""
    condition(principal, Resource.MATCH_REVIEW, Action.READ)
    audit.lock_chain(conn)
    keys = tuple(keys)
    involved = sa.or_(match_reviews.c.left_key.in_(keys), match_reviews.c.right_key.in_(keys))
    if reviewer is not None:
        involved = sa.and_(involved, match_reviews.c.reviewer == reviewer)
    rows = conn.execute(sa.select(match_reviews).where(involved).order_by(match_reviews.c.id)).mappings().all()
    audit.append_many(conn, principal, "matchReview.read", AUDIT_TYPE, [str(row["id"]) for row in rows])
    return tuple(_review(row) for row in rows)


def _review(row: RowMapping) -> MatchReview:
    return MatchReview(**{field.name: row[field.name] for field in attrs.fields(MatchReview)})
