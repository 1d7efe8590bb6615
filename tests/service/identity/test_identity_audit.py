"""Identity in the audit chain: account and role changes (the functions the admin pages call), the privacy
officer's view of identity events, and every read of the audit log itself."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bibob.exceptions import NotFoundError
from service.auth import Principal, Role
from service.store import accounts, audit
from service.store.engine import create_engine_for
from service.store.tables import audit_log
from service.store.tokens import create_token
from tests.service.identity.conftest import PASSWORD, Client, bearer

ADMIN = Principal("beheerder-1", Role.FUNCTIONAL_ADMIN)
PRIVACY = Principal("privacy-1", Role.PRIVACY_OFFICER)


def test_account_changes_name_who_did_what_to_whom_and_keep_the_chain_whole(database_url: str) -> None:
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        accounts.create_user(conn, "nieuw-1", Role.PERMIT_OFFICER, PASSWORD, actor=ADMIN)
        token, _ = accounts.create_session(conn, Principal("nieuw-1", Role.PERMIT_OFFICER))
        assert accounts.change_role(conn, "nieuw-1", Role.MAYOR, actor=ADMIN)
        assert not accounts.change_role(conn, "nieuw-1", Role.MAYOR, actor=ADMIN)  # no change, no row
        assert not accounts.change_role(conn, "niemand", Role.MAYOR, actor=ADMIN)
        assert accounts.session_for_token(conn, token) is None  # a new role ends the sessions of the old one
        accounts.set_password(conn, "nieuw-1", "nog-een-lang-wachtwoord", actor=ADMIN)
        accounts.disable_user(conn, "nieuw-1", actor=ADMIN)
        rows = conn.execute(
            sa.select(audit_log.c.action, audit_log.c.user, audit_log.c.role, audit_log.c.object_id, audit_log.c.reason)
            .where(audit_log.c.object_id == "nieuw-1")
            .order_by(audit_log.c.seq)
        ).all()
        assert audit.verify_chain(conn).ok
    engine.dispose()
    assert [(r.action, r.user, r.role) for r in rows] == [
        (audit.USER_CREATED, "beheerder-1", "functionalAdmin"),
        (audit.ROLE_CHANGED, "beheerder-1", "functionalAdmin"),
        (audit.PASSWORD_CHANGED, "beheerder-1", "functionalAdmin"),
        (audit.USER_DISABLED, "beheerder-1", "functionalAdmin"),
    ]
    assert rows[1].reason == "permitOfficer -> mayor"
    assert all(PASSWORD not in r.reason for r in rows)


def test_the_privacy_officer_reads_identity_events_and_that_read_is_itself_audited(database_url: str) -> None:
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        create_token(conn, "partner-1", Role.SIGNAL_INTAKE_PARTNER, actor=ADMIN)
        events = audit.identity_events(conn, PRIVACY)
        assert events[0].action == audit.TOKEN_CREATED and events[0].user == "beheerder-1"
        assert all(event.action in audit.IDENTITY_ACTIONS for event in events)
        for someone in (ADMIN, Principal("vv-1", Role.PERMIT_OFFICER)):
            with pytest.raises(NotFoundError):
                audit.identity_events(conn, someone)
        last = conn.execute(sa.select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).mappings().one()
    engine.dispose()
    assert (last["action"], last["user"], last["object_id"]) == (audit.READ, "privacy-1", "identity")


def test_an_unknown_identity_action_is_refused(database_url: str) -> None:
    engine = create_engine_for(database_url)
    with engine.begin() as conn, pytest.raises(ValueError, match="identiteitsgebeurtenis"):
        audit.append_identity(conn, ADMIN, "identity.madeUp", "vv-1")
    engine.dispose()


def test_every_read_of_the_audit_log_over_the_api_is_a_row_of_the_chain(client: Client, tokens: dict[str, str]) -> None:
    privacy = bearer(tokens["privacyOfficer"])
    first = client.get("/api/v1/audit-log", params={"pageSize": 500}, headers=privacy).json()
    second = client.get("/api/v1/audit-log", params={"pageSize": 500}, headers=privacy).json()
    assert second["count"] == first["count"] + 1
    newest = second["results"][-1]
    assert (newest["action"], newest["user"]) == (audit.READ, "privacyOfficer-1")
    assert client.get("/api/v1/audit-log", headers=bearer(tokens["functionalAdmin"])).status_code == 404


def test_audit_log_reads_by_every_role_only_the_privacy_officer_reads_and_every_attempt_is_logged(
    client: Client, database_url: str, tokens: dict[str, str]
) -> None:
    outcomes = {
        role: client.get("/api/v1/audit-log", headers=bearer(token)).status_code for role, token in tokens.items()
    }
    assert outcomes == {role: 200 if role == "privacyOfficer" else 404 for role in tokens}
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(audit_log.c.action, audit_log.c.role).where(audit_log.c.object_type == "auditLog")
        )
        logged = {(row.action, row.role) for row in rows}
    engine.dispose()
    assert (audit.READ, "privacyOfficer") in logged
    assert {role for action, role in logged if action == audit.DENIED} == set(tokens) - {"privacyOfficer"}
