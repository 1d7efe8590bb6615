"""The store functions behind the functional admin's pages: listing accounts, changing a role, listing and revoking
one API token; on both databases (the `conn` fixture)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy.engine import Connection

from service.auth import Principal, Role
from service.store import accounts, tokens

PASSWORD = "correct-paard-batterij-niet"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def test_the_account_list_names_each_role_and_which_are_disabled_without_hashes(conn: Connection) -> None:
    accounts.create_user(conn, "b-1", Role.MAYOR, PASSWORD)
    accounts.create_user(conn, "a-1", Role.PERMIT_OFFICER, PASSWORD)
    accounts.disable_user(conn, "b-1")
    listed = accounts.list_users(conn)
    assert [(a.name, a.role, a.disabled_at is not None) for a in listed] == [
        ("a-1", "permitOfficer", False),
        ("b-1", "mayor", True),
    ]
    assert "argon2" not in repr(listed)


def test_a_changed_role_applies_at_the_next_sign_in_and_ends_the_sessions(conn: Connection) -> None:
    principal = accounts.create_user(conn, "a-1", Role.PERMIT_OFFICER, PASSWORD)
    token, _ = accounts.create_session(conn, principal)
    assert accounts.change_role(conn, "a-1", Role.MAYOR) is True
    assert accounts.session_for_token(conn, token) is None
    assert accounts.authenticate(conn, "a-1", PASSWORD) == Principal("a-1", Role.MAYOR)
    assert accounts.change_role(conn, "a-1", Role.MAYOR) is False  # unchanged
    assert accounts.change_role(conn, "bestaat-niet", Role.MAYOR) is False


def test_one_token_is_revoked_by_its_key_and_the_others_keep_working(conn: Connection) -> None:
    first = tokens.create_token(conn, "koppeling", Role.MAYOR)
    second = tokens.create_token(conn, "koppeling", Role.MAYOR)
    listed = tokens.list_tokens(conn)
    assert {t.key for t in listed} == {tokens.token_hash(first), tokens.token_hash(second)}
    assert first not in repr(listed) and second not in repr(listed)
    assert tokens.revoke_token(conn, tokens.token_hash(first)) is True
    assert tokens.principal_for_token(conn, first) is None
    assert tokens.principal_for_token(conn, second) == Principal("koppeling", Role.MAYOR)
    assert tokens.revoke_token(conn, tokens.token_hash(first)) is False  # already revoked
    assert tokens.revoke_token(conn, "geen-sleutel") is False


def test_a_hash_made_beforehand_is_stored_as_given_for_a_new_account_and_a_new_password(conn: Connection) -> None:
    first, second = accounts.hash_password(PASSWORD), accounts.hash_password(PASSWORD + "2")
    accounts.create_user(conn, "a-1", Role.MAYOR, PASSWORD, hashed=first)
    assert accounts.credentials(conn, "a-1").password_hash == first  # type: ignore[union-attr]
    assert accounts.set_password(conn, "a-1", PASSWORD + "2", hashed=second) is True
    assert accounts.authenticate(conn, "a-1", PASSWORD + "2") == Principal("a-1", Role.MAYOR)
