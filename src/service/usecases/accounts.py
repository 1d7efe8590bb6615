"""The functional admin's work: accounts and their roles, API tokens. Every change is audited by the store (an
identity event: who changed which account or token); nothing here reads a dossier. Only the functional admin reaches
it, else `NotFoundError`."""

from __future__ import annotations

import secrets

import attrs

from bibob.exceptions import InvalidInputError, Problem
from service.auth import Role
from service.store import accounts, tokens
from service.store.access import Action, Resource, require
from service.store.accounts import Account
from service.store.tokens import TokenInfo
from service.usecases.session import Session


def overview(session: Session) -> tuple[tuple[Account, ...], tuple[TokenInfo, ...]]:
    """Every account and every API token (no hashes of passwords, no plain tokens)."""
    require(session.principal, Resource.ACCOUNT, Action.READ)
    return accounts.list_users(session.conn), tokens.list_tokens(session.conn)


def create_account(session: Session, name: str, role: Role, password: Secret) -> None:
    """A new account with a first password (`new_password`, to hand over once); a taken or bad name is refused."""
    require(session.principal, Resource.ACCOUNT, Action.UPDATE)
    accounts.create_user(session.conn, name, role, password.plain, session.principal, hashed=password.hashed)


def change_role(session: Session, name: str, role: Role) -> bool:
    """Another role for the account (its sessions end); False when unknown or unchanged."""
    require(session.principal, Resource.ACCOUNT, Action.UPDATE)
    return accounts.change_role(session.conn, name, role, session.principal)


def disable_account(session: Session, name: str) -> bool:
    """Disable the account and end its sessions (its API tokens are revoked too); False when not enabled.

    One's own account is refused: an admin who locks themselves out cannot undo it."""
    require(session.principal, Resource.ACCOUNT, Action.UPDATE)
    if name == session.principal.user:
        raise InvalidInputError([Problem("/name", "account.self", "u kunt uw eigen account niet uitschakelen")])
    disabled = accounts.disable_user(session.conn, name, session.now, session.principal)
    if disabled:
        tokens.revoke_tokens(session.conn, name, session.principal)
    return disabled


def reset_password(session: Session, name: str, password: Secret) -> bool:
    """A new password for the account (`new_password`; its sessions end); False when there is no account."""
    require(session.principal, Resource.ACCOUNT, Action.UPDATE)
    return accounts.set_password(session.conn, name, password.plain, session.principal, hashed=password.hashed)


def create_api_token(session: Session, user: str, role: Role) -> str:
    """A new API token for `user` in `role`; the plain token is returned once and never stored."""
    require(session.principal, Resource.ACCOUNT, Action.UPDATE)
    return tokens.create_token(session.conn, user, role, actor=session.principal)


def revoke_api_token(session: Session, key: str) -> bool:
    """Revoke one token by its key; False when there is no such active token."""
    require(session.principal, Resource.ACCOUNT, Action.UPDATE)
    return tokens.revoke_token(session.conn, key, session.principal)


@attrs.frozen
class Secret:
    """A new password to hand over once, and its argon2 hash."""

    plain: str = attrs.field(repr=False)
    hashed: str = attrs.field(repr=False)


def new_password() -> Secret:
    """A random password (22 characters, about 128 bits) and its hash; CPU-bound (argon2): call it off the event
    loop, before the transaction."""
    plain = secrets.token_urlsafe(16)
    return Secret(plain, accounts.hash_password(plain))
