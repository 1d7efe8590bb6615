"""The zaaksysteem mirror of a case: ask for it (it runs in the background), and see how far it got."""

from __future__ import annotations

from bibob.exceptions import InvalidInputError, Problem
from service.integrations import MIRROR, Integrations
from service.store import jobs
from service.store.access import Action, Resource, require
from service.store.cases import get_case, require_changeable
from service.usecases.session import Session


def request_mirror(session: Session, integrations: Integrations, case_id: str) -> jobs.Job:
    """Ask for the case to be mirrored; the work is done in the background and resumes after failures."""
    if integrations.zgw is None:
        raise InvalidInputError([Problem("", "notConfigured", "er is geen zaaksysteem ingesteld")])
    require(session.principal, Resource.CASE, Action.UPDATE, case_id)
    require_changeable(session.conn, session.principal, case_id)
    get_case(session.conn, session.principal, case_id, session.reason)
    return jobs.request_job(session.conn, MIRROR, case_id)


def mirror_status(session: Session, case_id: str) -> jobs.Job | None:
    """The mirror job of a case the principal may read, or None when none was asked for."""
    get_case(session.conn, session.principal, case_id, session.reason)
    try:
        return jobs.job(session.conn, MIRROR, case_id)
    except LookupError:
        return None
