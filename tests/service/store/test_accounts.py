"""Local accounts and web sessions in the store, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.engine import Connection, Engine

from bibob.exceptions import InvalidInputError
from service.auth import Principal, Role
from service.store import accounts
from service.store.accounts import SessionLimits
from service.store.tables import users, web_sessions

PASSWORD = "correct-paard-batterij-niet"
NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
LIMITS = SessionLimits(idle=dt.timedelta(minutes=30), absolute=dt.timedelta(hours=10))
SHIPPED = accounts._HASHER  # before any test makes hashing cheap
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # argon2id still, at a test's pace


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_HASHER", CHEAP)


def test_a_created_account_signs_in_with_its_password_and_with_no_other(conn: Connection) -> None:
    assert accounts.create_user(conn, "vv-1", Role.PERMIT_OFFICER, PASSWORD) == Principal("vv-1", Role.PERMIT_OFFICER)
    assert accounts.authenticate(conn, "vv-1", PASSWORD) == Principal("vv-1", Role.PERMIT_OFFICER)
    assert accounts.authenticate(conn, "vv-1", PASSWORD + "x") is None
    assert accounts.authenticate(conn, "VV-1", PASSWORD) is None


def test_only_an_argon2id_hash_is_stored_never_the_password(conn: Connection) -> None:
    accounts.create_user(conn, "vv-1", Role.PERMIT_OFFICER, PASSWORD)
    stored = conn.execute(sa.select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_a_taken_name_is_refused(conn: Connection) -> None:
    accounts.create_user(conn, "vv-1", Role.PERMIT_OFFICER, PASSWORD)
    with pytest.raises(InvalidInputError) as refused:
        accounts.create_user(conn, "vv-1", Role.MAYOR, PASSWORD)
    assert [p.code for p in refused.value.problems] == ["nameTaken"]


def test_a_bad_name_and_a_weak_password_are_refused_together(conn: Connection) -> None:
    with pytest.raises(InvalidInputError) as refused:
        accounts.create_user(conn, "jan de vries", Role.PERMIT_OFFICER, "kort")
    assert [(p.pointer, p.code) for p in refused.value.problems] == [
        ("/name", "invalidName"),
        ("/password", "invalidPassword"),
    ]
    assert conn.execute(sa.select(sa.func.count()).select_from(users)).scalar_one() == 0


@pytest.mark.parametrize("name", ["", "a" * 129, "naam\n", "<script>"])
def test_names_outside_letters_digits_and_dot_underscore_at_dash_are_refused(name: str) -> None:
    assert accounts.name_problems(name)


def test_an_unknown_name_costs_a_password_check_too(conn: Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[str] = []

    class Counting(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> bool:
            checked.append(str(hash))
            return super().verify(hash, password)

    monkeypatch.setattr(accounts, "_HASHER", Counting(time_cost=1, memory_cost=1024, parallelism=1))
    assert accounts.authenticate(conn, "bestaat-niet", PASSWORD) is None
    assert len(checked) == 1 and checked[0].startswith("$argon2id$")


def test_accounts_are_hashed_with_argon2id_at_the_recommended_cost_outside_tests() -> None:
    assert SHIPPED.type.name == "ID" and (SHIPPED.time_cost, SHIPPED.memory_cost) >= (3, 65536)


def test_a_disabled_account_no_longer_signs_in_and_its_sessions_end(conn: Connection) -> None:
    principal = accounts.create_user(conn, "vv-1", Role.PERMIT_OFFICER, PASSWORD)
    token, _ = accounts.create_session(conn, principal, LIMITS, NOW)
    assert accounts.disable_user(conn, "vv-1", NOW)
    assert accounts.authenticate(conn, "vv-1", PASSWORD) is None
    assert accounts.session_for_token(conn, token, LIMITS, NOW) is None


def test_a_session_is_found_by_its_token_and_stored_only_as_a_hash(conn: Connection) -> None:
    principal = accounts.create_user(conn, "vv-1", Role.PERMIT_OFFICER, PASSWORD)
    token, session = accounts.create_session(conn, principal, LIMITS, NOW)
    found = accounts.session_for_token(conn, token, LIMITS, NOW + dt.timedelta(minutes=5))
    assert found == session and found.principal == principal
    stored = conn.execute(sa.select(web_sessions.c.id, web_sessions.c.csrf_token)).one()
    assert token not in stored.id and stored.csrf_token == session.csrf_token != token


def test_a_session_ends_after_its_idle_time_without_a_request(conn: Connection) -> None:
    principal = accounts.create_user(conn, "vv-1", Role.PERMIT_OFFICER, PASSWORD)
    token, _ = accounts.create_session(conn, principal, LIMITS, NOW)
    assert accounts.session_for_token(conn, token, LIMITS, NOW + dt.timedelta(minutes=29))  # seen: the clock restarts
    assert accounts.session_for_token(conn, token, LIMITS, NOW + dt.timedelta(minutes=58))
    assert accounts.session_for_token(conn, token, LIMITS, NOW + dt.timedelta(minutes=88)) is None
    assert conn.execute(sa.select(sa.func.count()).select_from(web_sessions)).scalar_one() == 0  # and is deleted


def test_a_session_ends_at_its_absolute_end_however_active(conn: Connection) -> None:
    principal = accounts.create_user(conn, "vv-1", Role.PERMIT_OFFICER, PASSWORD)
    token, session = accounts.create_session(conn, principal, LIMITS, NOW)
    moment = NOW
    while moment < NOW + dt.timedelta(hours=10) - dt.timedelta(minutes=20):
        moment += dt.timedelta(minutes=20)
        assert accounts.session_for_token(conn, token, LIMITS, moment) is not None
    assert accounts.session_for_token(conn, token, LIMITS, session.expires_at) is None


def test_a_signed_out_session_opens_nothing(conn: Connection) -> None:
    principal = accounts.create_user(conn, "vv-1", Role.PERMIT_OFFICER, PASSWORD)
    token, _ = accounts.create_session(conn, principal, LIMITS, NOW)
    assert accounts.end_session(conn, token)
    assert accounts.session_for_token(conn, token, LIMITS, NOW) is None
    assert not accounts.end_session(conn, token)


def test_a_new_password_ends_every_session_of_the_account(conn: Connection) -> None:
    principal = accounts.create_user(conn, "vv-1", Role.PERMIT_OFFICER, PASSWORD)
    tokens = [accounts.create_session(conn, principal, LIMITS, NOW)[0] for _ in range(2)]
    assert accounts.set_password(conn, "vv-1", "een-heel-ander-wachtwoord")
    assert all(accounts.session_for_token(conn, token, LIMITS, NOW) is None for token in tokens)
    assert accounts.authenticate(conn, "vv-1", "een-heel-ander-wachtwoord") == principal


def test_signing_in_purges_sessions_past_their_time(conn: Connection) -> None:
    principal = accounts.create_user(conn, "vv-1", Role.PERMIT_OFFICER, PASSWORD)
    accounts.create_session(conn, principal, LIMITS, NOW)
    accounts.create_session(conn, principal, LIMITS, NOW + dt.timedelta(hours=1))
    assert conn.execute(sa.select(sa.func.count()).select_from(web_sessions)).scalar_one() == 1


@pytest.mark.parametrize("token", ["", "x" * 101, "bestaat-niet"])
def test_empty_overlong_and_unknown_tokens_open_nothing(conn: Connection, token: str) -> None:
    assert accounts.session_for_token(conn, token, LIMITS, NOW) is None


def test_the_demo_gets_one_account_per_role_and_a_rerun_gives_new_working_passwords(engine: Engine) -> None:
    first = accounts.create_demo_accounts(engine)
    assert sorted(role.value for _, role, _ in first) == sorted(role.value for role in Role)
    again = accounts.create_demo_accounts(engine)
    with engine.begin() as conn:
        for (name, role, old), (_, _, new) in zip(first, again, strict=True):
            assert old != new
            assert accounts.authenticate(conn, name, new) == Principal(name, role)
            assert accounts.authenticate(conn, name, old) is None
