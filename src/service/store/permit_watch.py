"""The watch on granted permits: their subjects kept as subject keys, re-screen prompts, conditions as tasks.

When a subject becomes known elsewhere (a signal weighed, a case gaining subjects, a Bibob decision), the granted
permits holding a matching subject are found through the subject-key index and the coordinator gets a prompt to
consider a re-screening (art. 4 Wet Bibob). The one whose act caused it learns nothing: the prompt names the permit,
the role of the subject in it and which fields agreed, never the signal's or case's contents. Conditions
(voorschriften) of a permit are tasks with a due date, an owner and a check result; past due, they are on the
coordinator's list. Every read and write is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from bibob._json import object_from_json, object_to_json
from bibob.exceptions import NotFoundError
from bibob.matching import ReviewLedger, Subject
from bibob.parties import Address, Organisation, Person
from bibob.terms import dutch_date
from bibob.undermining import ApplicationSubject, Subjects, permit_watch_matches
from service.auth import Principal
from service.store import audit, replays
from service.store.access import Action, Resource, condition
from service.store.common import new_id, utcnow
from service.store.rows import require_visible
from service.store.subjects import (
    Lookup,
    SubjectKey,
    add_keys_of_new_owner,
    candidate_owners,
    keys_of,
    lookups_of,
    sealed_key,
    set_subject_keys,
)
from service.store.tables import (
    applications,
    lbb_advices,
    permit_conditions,
    subjects,
    watch_prompts,
    watched_permits,
)

OWNER = "permit"
LBB_OWNER = "lbbAdvice"
OPEN = "open"
CHECK_RESULTS = ("met", "notMet")
REUSE_DAYS = 1826  # five years: an LBB advice may be offered again for that long
#: The keys that offer an earlier LBB advice: identifiers and exact addresses, never a name alone.
REUSE_KINDS = {"P:bsn": "BSN", "O:kvk": "KvK-nummer", "O:rsin": "RSIN", "A:pc": "adres", "O:pc": "vestigingsadres",
               "P:pc": "woonadres"}  # fmt: skip


@attrs.frozen
class StoredPrompt:
    """A re-screen prompt: which permit, why (the trigger), the subject's role and which fields agreed."""

    id: str
    application_id: str
    trigger: str
    role: str
    match_explanation: str
    status: str
    created_at: dt.datetime


@attrs.frozen
class StoredCondition:
    """A condition (voorschrift) of a permit as a task."""

    id: str
    application_id: str
    text: str
    due_on: dt.date
    owner: str
    check_result: str | None
    checked_on: dt.date | None
    checked_by: str | None
    created_at: dt.datetime


def keep_granted_permit(
    conn: Connection,
    principal: Principal,
    application_id: str,
    items: Iterable[ApplicationSubject],
    granted_on: dt.date,
    reason: str = "",
) -> None:
    """Keep a granted permit's subjects (holder, directors, owners, financiers, premises) and their subject keys.

    For who records its decision; recording it again replaces what was kept.
    """
    visible = condition(principal, Resource.DECISION, Action.CREATE, application_id)
    require_visible(conn, applications, Resource.APPLICATION.value, application_id, visible)
    items = tuple(items)
    document = [{"role": item.role, "subjects": object_to_json(_as_subjects([item.subject]))} for item in items]
    conn.execute(watched_permits.delete().where(watched_permits.c.application_id == application_id))
    conn.execute(
        watched_permits.insert().values(
            application_id=application_id, subjects=document, granted_on=granted_on, created_at=utcnow()
        )
    )
    owned = sa.and_(subjects.c.owner_type == OWNER, subjects.c.owner_id == application_id)
    conn.execute(subjects.delete().where(owned))
    add_keys_of_new_owner(conn, OWNER, application_id, keys_of(item.subject for item in items))
    audit.append(conn, principal, "permitWatch.kept", "application", application_id, reason)


def prompt(
    conn: Connection,
    principal: Principal,
    trigger: str,
    source: tuple[str, str],
    found: Iterable[Subject],
    reason: str = "",
) -> int:
    """Prompt the coordinator for every granted permit with a subject matching one of `found`; how many are new.

    `source` (type, id) is the signal, case or application the subjects became known in; it only keeps a second
    prompt about the same permit, subject and source from being made, and is never shown. Acts for whoever caused
    it (they learn nothing); each permit prompted is audited. The permit's own decision prompts nothing about it.
    """
    found = tuple(found)
    candidates = candidate_owners(conn, (OWNER,), lookups_of(found))[OWNER] if found else ()
    candidates = tuple(c for c in candidates if (source[0], c) != ("application", source[1]))
    if not candidates:
        return 0
    permits = _permit_subjects(conn, candidates)
    existing = {
        (row.application_id, row.subject_key)
        for row in conn.execute(
            sa.select(watch_prompts.c.application_id, watch_prompts.c.subject_key).where(
                watch_prompts.c.source_id == source[1], watch_prompts.c.application_id.in_(candidates)
            )
        )
    }
    made: list[dict[str, Any]] = []
    matched = permit_watch_matches(permits.items(), found, ReviewLedger())
    for application_id, matches in matched.items():
        for match in matches:
            if (application_id, match.subject_key) in existing:
                continue
            existing.add((application_id, match.subject_key))
            made.append({
                "id": new_id(), "application_id": application_id, "trigger": trigger, "source_type": source[0],
                "source_id": source[1], "subject_key": match.subject_key, "role": match.role,
                "match_explanation": match.explanation, "status": OPEN, "created_at": utcnow(),
            })  # fmt: skip
    if made:
        conn.execute(watch_prompts.insert(), made)
    prompted = sorted({row["application_id"] for row in made})
    audit.append_many(conn, principal, "permitWatch.prompted", "application", prompted, reason)
    return len(made)


def _permit_subjects(conn: Connection, ids: Sequence[str]) -> dict[str, tuple[ApplicationSubject, ...]]:
    """The subjects of the granted permits `ids` (those still watched), by id.

    A permit is kept anew (`keep_granted_permit`: its row deleted and inserted) with a new `created_at`, so that
    moment names the version of its subjects: one read before is not read, decrypted and parsed again
    (`service.store.replays`).
    """
    versions = [(str(row[0]), _version(row[1])) for row in conn.execute(_KEPT_AT, {"ids": list(ids)})]
    found = replays.at_versions(conn, "permit.watch", versions, lambda missing: _subjects_of(conn, missing), _items)
    return {identifier: items for identifier, items in found.items() if isinstance(items, tuple)}


_KEPT_AT = (
    sa.select(watched_permits.c.application_id, watched_permits.c.created_at)
    .where(watched_permits.c.application_id.in_(sa.bindparam("ids", expanding=True)))
    .order_by(watched_permits.c.application_id)
)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _version(created_at: dt.datetime) -> int:
    """The moment a permit's subjects were kept, in microseconds: the version of its row."""
    return (created_at - _EPOCH) // dt.timedelta(microseconds=1)


def _subjects_of(conn: Connection, ids: Sequence[str]) -> dict[str, Any]:
    query = sa.select(watched_permits.c.application_id, watched_permits.c.subjects)
    return {str(row[0]): row[1] for row in conn.execute(query.where(watched_permits.c.application_id.in_(ids)))}


def keep_application_subjects(
    conn: Connection, principal: Principal, application_id: str, found: Iterable[Subject], reason: str = ""
) -> None:
    """The subject keys of an application's declared subjects (replaced when its answers are stored again)."""
    set_subject_keys(conn, principal, "application", application_id, keys_of(found), reason)


def record_lbb_advice(
    conn: Connection, principal: Principal, application_id: str, advised_on: dt.date, reason: str = ""
) -> str:
    """Keep an LBB advice received on an application per subject (the application's keys), for its reuse."""
    visible = condition(principal, Resource.APPLICATION, Action.UPDATE, application_id)
    require_visible(conn, applications, Resource.APPLICATION.value, application_id, visible)
    identifier = new_id()
    conn.execute(
        lbb_advices.insert().values(
            id=identifier, application_id=application_id, advised_on=advised_on, created_at=utcnow()
        )
    )
    held = sa.select(subjects.c.kind, subjects.c.key).where(
        subjects.c.owner_type == "application", subjects.c.owner_id == application_id
    )
    rows = [  # the application's keys as held (sealed already): copied, not sealed again
        {"kind": row.kind, "key": row.key, "owner_type": LBB_OWNER, "owner_id": identifier}
        for row in conn.execute(held)
    ]
    if rows:
        conn.execute(subjects.insert(), rows)
    audit.append(conn, principal, "lbbAdvice.kept", "application", application_id, reason)
    return identifier


def offer_lbb_reuse(
    conn: Connection,
    principal: Principal,
    application_id: str,
    found: Iterable[Subject],
    today: dt.date,
    reason: str = "",
) -> int:
    """Prompt the coordinator when an LBB advice of the last five years was about a subject this application names.

    Only identifiers and exact addresses offer one (never a name alone); the prompt names the advice's date and
    which kind of key agreed. Acts for who assesses the application; they learn nothing of it.
    """
    reusable = [
        Lookup(tuple(k for k in (*lookup.identifiers, *lookup.others) if k.kind in REUSE_KINDS), ())
        for lookup in lookups_of(found)
    ]
    candidates = candidate_owners(conn, (LBB_OWNER,), reusable)[LBB_OWNER]
    since = today - dt.timedelta(days=REUSE_DAYS)
    query = sa.select(lbb_advices).where(
        lbb_advices.c.id.in_(candidates),
        lbb_advices.c.advised_on >= since,
        lbb_advices.c.application_id != application_id,
    )
    advices = conn.execute(query.order_by(lbb_advices.c.advised_on)).all() if candidates else []
    if not advices:
        return 0
    wanted = {sealed_key(conn, key) for lookup in reusable for key in lookup.identifiers}  # as the database holds them
    made: list[dict[str, Any]] = []
    for advice in advices:
        held = conn.execute(
            sa.select(subjects.c.kind, subjects.c.key).where(
                subjects.c.owner_type == LBB_OWNER, subjects.c.owner_id == advice.id
            )
        )
        kinds = sorted({REUSE_KINDS[row.kind] for row in held if SubjectKey(row.kind, row.key) in wanted})
        exists = sa.select(watch_prompts.c.id).where(
            watch_prompts.c.application_id == application_id, watch_prompts.c.source_id == advice.id
        )
        if not kinds or conn.execute(exists).first() is not None:
            continue
        explanation = f"LBB-advies van {dutch_date(advice.advised_on)} over een betrokkene met hetzelfde "
        explanation += ", ".join(kinds)
        made.append({
            "id": new_id(), "application_id": application_id, "trigger": "lbbAdviceReuse", "source_type": LBB_OWNER,
            "source_id": advice.id, "subject_key": f"lbb:{advice.id}", "role": "betrokkene",
            "match_explanation": explanation, "status": OPEN, "created_at": utcnow(),
        })  # fmt: skip
    if made:
        conn.execute(watch_prompts.insert(), made)
        audit.append(conn, principal, "permitWatch.prompted", "application", application_id, reason)
    return len(made)


def list_prompts(conn: Connection, principal: Principal, reason: str = "") -> tuple[StoredPrompt, ...]:
    """The open re-screen prompts, oldest first (coordinator); one audit row per permit named."""
    visible = condition(principal, Resource.PERMIT_WATCH, Action.READ)
    query = sa.select(watch_prompts).where(visible, watch_prompts.c.status == OPEN)
    rows = conn.execute(query.order_by(watch_prompts.c.created_at, watch_prompts.c.id)).mappings().all()
    found = tuple(_prompt(row) for row in rows)
    audit.append_many(
        conn, principal, "permitWatch.list", "application", sorted({p.application_id for p in found}), reason
    )
    return found


def add_condition(
    conn: Connection,
    principal: Principal,
    application_id: str,
    *,
    text: str,
    due_on: dt.date,
    owner: str,
    reason: str = "",
) -> StoredCondition:
    """Record a condition of a permit as a task with a due date and an owner (coordinator)."""
    condition(principal, Resource.PERMIT_WATCH, Action.UPDATE, application_id)
    _require_application(conn, principal, application_id)
    values: dict[str, Any] = {"id": new_id(), "application_id": application_id, "text": text, "due_on": due_on}
    values |= {"owner": owner, "check_result": None, "checked_on": None, "checked_by": None, "created_at": utcnow()}
    conn.execute(permit_conditions.insert().values(**values))
    audit.append(conn, principal, "permitCondition.create", "application", application_id, reason)
    return StoredCondition(**values)


def list_conditions(
    conn: Connection, principal: Principal, application_id: str, reason: str = ""
) -> tuple[StoredCondition, ...]:
    """The conditions of a permit, by due date (coordinator)."""
    visible = condition(principal, Resource.PERMIT_WATCH, Action.READ, application_id)
    _require_application(conn, principal, application_id)
    query = sa.select(permit_conditions).where(visible, permit_conditions.c.application_id == application_id)
    rows = conn.execute(query.order_by(permit_conditions.c.due_on, permit_conditions.c.id)).mappings().all()
    audit.append(conn, principal, "permitCondition.list", "application", application_id, reason)
    return tuple(_condition(row) for row in rows)


def check_condition(
    conn: Connection,
    principal: Principal,
    application_id: str,
    condition_id: str,
    *,
    result: str,
    on: dt.date,
    reason: str = "",
) -> StoredCondition:
    """Record the check of a condition: met or not met, on a day, by the principal (coordinator)."""
    visible = condition(principal, Resource.PERMIT_WATCH, Action.UPDATE, application_id)
    _require_application(conn, principal, application_id)
    mine = sa.and_(permit_conditions.c.id == condition_id, permit_conditions.c.application_id == application_id)
    values = {"check_result": result, "checked_on": on, "checked_by": principal.user}
    row = (
        conn.execute(permit_conditions.update().where(visible, mine).values(**values).returning(*permit_conditions.c))
        .mappings()
        .first()
    )
    if row is None:
        raise NotFoundError("voorschrift", condition_id)
    audit.append(conn, principal, "permitCondition.checked", "application", application_id, reason)
    return _condition(row)


def overdue_conditions(
    conn: Connection, principal: Principal, today: dt.date, reason: str = ""
) -> tuple[StoredCondition, ...]:
    """Conditions past their due date and not checked as met, oldest due first (coordinator's list)."""
    visible = condition(principal, Resource.PERMIT_WATCH, Action.READ)
    open_check = sa.or_(permit_conditions.c.check_result.is_(None), permit_conditions.c.check_result != "met")
    query = sa.select(permit_conditions).where(visible, permit_conditions.c.due_on < today, open_check)
    rows = conn.execute(query.order_by(permit_conditions.c.due_on, permit_conditions.c.id)).mappings().all()
    found = tuple(_condition(row) for row in rows)
    named = sorted({c.application_id for c in found})
    audit.append_many(conn, principal, "permitCondition.overdueList", "application", named, reason)
    return found


def _require_application(conn: Connection, principal: Principal, application_id: str) -> None:
    visible = condition(principal, Resource.APPLICATION, Action.READ, application_id)
    require_visible(conn, applications, Resource.APPLICATION.value, application_id, visible)


def _as_subjects(found: Sequence[Subject]) -> Subjects:
    return Subjects(
        persons=tuple(s for s in found if isinstance(s, Person)),
        organisations=tuple(s for s in found if isinstance(s, Organisation)),
        addresses=tuple(s for s in found if isinstance(s, Address)),
    )


def _items(document: Any) -> tuple[ApplicationSubject, ...]:
    found = []
    for entry in document or ():
        for subject in object_from_json(Subjects, entry["subjects"]).matchable:
            found.append(ApplicationSubject(subject, str(entry["role"])))
    return tuple(found)


def _prompt(row: RowMapping) -> StoredPrompt:
    return StoredPrompt(**{field.name: row[field.name] for field in attrs.fields(StoredPrompt)})


def _condition(row: RowMapping) -> StoredCondition:
    return StoredCondition(**{field.name: row[field.name] for field in attrs.fields(StoredCondition)})
