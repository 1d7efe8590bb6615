"""The functional admin's desk (beheer): accounts and roles (add, change role, new password, disable) and API
tokens (make, shown once; revoke). Every change goes through `service.usecases.accounts`, which audits it; nothing
here shows a dossier. Secrets (a first password, a token) are shown once on the answer to the form, never stored."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from bibob.exceptions import InvalidInputError, NotFoundError
from bibob.terms import dutch_date
from service.auth import Role
from service.http import in_session
from service.store.access import Action, Resource, require
from service.store.accounts import NAME_MAX, Account, WebSession, name_problems
from service.store.tokens import TokenInfo
from service.usecases import accounts
from service.web.forms import FieldError, capital, sentence, text
from service.web.rendering import page

DUTCH_TIME = ZoneInfo("Europe/Amsterdam")
KEY = re.compile(r"[0-9a-f]{64}")
SHOWN_KEY = 8  # the first hex digits of a token's key, as the page names it
NOTICES = {
    "rol": "De rol is gewijzigd. Lopende sessies van dit account zijn beëindigd.",
    "uitgeschakeld": "Het account is uitgeschakeld: aanmelden kan niet meer, sessies en API-tokens zijn beëindigd.",
    "ingetrokken": "Het API-token is ingetrokken: het opent niets meer.",
    "ongewijzigd": "Er is niets gewijzigd: het account had die rol al, of was al uitgeschakeld.",
}
ROLE_MESSAGE = "Kies een rol uit de lijst."
NAME_MESSAGE = "Vul een gebruikersnaam in van 1 tot 128 tekens: letters, cijfers en . _ @ -."


def _require_admin(session: WebSession) -> None:
    require(session.principal, Resource.ACCOUNT, Action.READ)


def _role(value: str, field: str, errors: list[FieldError]) -> Role | None:
    role = Role.parse(value)
    if role is None:
        errors.append(FieldError(field, ROLE_MESSAGE))
    return role


def _day(at: dt.datetime | None) -> str:
    return dutch_date(at.astimezone(DUTCH_TIME).date()) if at else ""


@get("/beheer", name="admin:home")
async def admin_page(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], melding: FromQuery[str | None] = None
) -> Template:
    """Every account and API token, the forms to add one, and a notice after a change."""
    _require_admin(signed_in)
    return await _overview(request, signed_in, notice=NOTICES.get(melding or ""))


async def _overview(
    request: Request[Any, Any, Any],
    signed_in: WebSession,
    *,
    status: int = 200,
    errors: list[FieldError] | None = None,
    values: dict[str, str] | None = None,
    notice: str | None = None,
    secret: dict[str, str] | None = None,
) -> Template:
    users, api_tokens = await in_session(request, signed_in.principal, accounts.overview)
    return page(
        request,
        "admin/overview.html",
        title="Beheer",
        status=status,
        errors=errors or [],
        values=values or {},
        notice=notice,
        secret=secret,
        users=[_user_row(user) for user in users],
        tokens=[_token_row(token) for token in api_tokens],
        roles=[(role.value, capital(role.label)) for role in Role],
    )


def _user_row(user: Account) -> dict[str, str]:
    role = Role.parse(user.role)
    return {
        "name": user.name,
        "role": capital(role.label) if role else user.role,
        "since": _day(user.created_at),
        "state": f"uitgeschakeld sinds {_day(user.disabled_at)}" if user.disabled_at else "actief",
    }


def _token_row(token: TokenInfo) -> dict[str, str]:
    role = Role.parse(token.role)
    return {
        "key": token.key,
        "short": token.key[:SHOWN_KEY],
        "user": token.user,
        "role": capital(role.label) if role else token.role,
        "since": _day(token.created_at),
        "state": f"ingetrokken op {_day(token.revoked_at)}" if token.revoked_at else "actief",
    }


@post("/beheer/gebruikers", name="admin:create-user", status_code=200)
async def create_user(request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession]) -> Template:
    """A new account with a first password shown once; a bad or taken name is named at its field."""
    _require_admin(signed_in)
    form = await request.form()
    values = {"naam": text(form, "naam").strip(), "rol": text(form, "rol")}
    errors: list[FieldError] = []
    if name_problems(values["naam"]):
        errors.append(FieldError("naam", NAME_MESSAGE))
    role = _role(values["rol"], "rol", errors)
    if not errors and role is not None:
        name = values["naam"]
        password = await asyncio.to_thread(accounts.new_password)  # argon2: off the event loop
        try:
            await in_session(request, signed_in.principal, lambda s: accounts.create_account(s, name, role, password))
        except InvalidInputError as error:
            errors = [FieldError("naam", sentence(problem.message)) for problem in error.problems[:1]]
        else:
            secret = {"what": f"Eerste wachtwoord voor {name}", "value": password.plain}
            return await _overview(request, signed_in, notice=f"Het account {name} is toegevoegd.", secret=secret)
    return await _overview(request, signed_in, status=400, errors=errors, values=values)


@get("/beheer/gebruikers/{name:str}", name="admin:user")
async def user_page(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], name: FromPath[str]
) -> Template:
    """One account: its role to change, a new password, disabling it."""
    _require_admin(signed_in)
    return await _user(request, signed_in, name)


async def _user(
    request: Request[Any, Any, Any],
    signed_in: WebSession,
    name: str,
    *,
    status: int = 200,
    errors: list[FieldError] | None = None,
    secret: dict[str, str] | None = None,
) -> Template:
    users, api_tokens = await in_session(request, signed_in.principal, accounts.overview)
    found = next((user for user in users if user.name == name), None)
    if found is None:
        raise NotFoundError("account", "")
    return page(
        request,
        "admin/user.html",
        title=f"Account {name}",
        status=status,
        errors=errors or [],
        secret=secret,
        user=_user_row(found),
        current_role=found.role,
        enabled=found.disabled_at is None,
        own=name == signed_in.principal.user,
        tokens=[_token_row(token) for token in api_tokens if token.user == name],
        roles=[(role.value, capital(role.label)) for role in Role],
    )


@post("/beheer/gebruikers/{name:str}/rol", name="admin:role", status_code=303)
async def change_role(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], name: FromPath[str]
) -> Response[Any]:
    """Another role for the account; its sessions end so that the next sign-in works in the new role."""
    _require_admin(signed_in)
    errors: list[FieldError] = []
    role = _role(text(await request.form(), "rol"), "rol", errors)
    if role is None:
        return await _user(request, signed_in, name, status=400, errors=errors)
    changed = await in_session(request, signed_in.principal, lambda s: accounts.change_role(s, name, role))
    return Redirect(f"/beheer?melding={'rol' if changed else 'ongewijzigd'}", status_code=303)


@post("/beheer/gebruikers/{name:str}/wachtwoord", name="admin:password", status_code=200)
async def reset_password(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], name: FromPath[str]
) -> Template:
    """A new random password, shown once; the account's sessions end."""
    _require_admin(signed_in)
    password = await asyncio.to_thread(accounts.new_password)  # argon2: off the event loop
    if not await in_session(request, signed_in.principal, lambda s: accounts.reset_password(s, name, password)):
        raise NotFoundError("account", "")
    return await _user(request, signed_in, name, secret={"what": "Nieuw wachtwoord", "value": password.plain})


@post("/beheer/gebruikers/{name:str}/uitschakelen", name="admin:disable", status_code=303)
async def disable_user(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], name: FromPath[str]
) -> Response[Any]:
    """Disable the account: no sign-in, its sessions end and its API tokens are revoked."""
    _require_admin(signed_in)
    try:
        disabled = await in_session(request, signed_in.principal, lambda s: accounts.disable_account(s, name))
    except InvalidInputError as error:
        errors = [FieldError("uitschakelen", sentence(error.problems[0].message))]
        return await _user(request, signed_in, name, status=400, errors=errors)
    return Redirect(f"/beheer?melding={'uitgeschakeld' if disabled else 'ongewijzigd'}", status_code=303)


@post("/beheer/tokens", name="admin:create-token", status_code=200)
async def create_token(request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession]) -> Template:
    """A new API token, shown once on this answer and never again."""
    _require_admin(signed_in)
    form = await request.form()
    values = {"token-gebruiker": text(form, "token-gebruiker").strip(), "token-rol": text(form, "token-rol")}
    errors: list[FieldError] = []
    user = values["token-gebruiker"]
    if name_problems(user) or len(user) > NAME_MAX:
        errors.append(FieldError("token-gebruiker", NAME_MESSAGE))
    role = _role(values["token-rol"], "token-rol", errors)
    if errors or role is None:
        return await _overview(request, signed_in, status=400, errors=errors, values=values)
    token = await in_session(request, signed_in.principal, lambda s: accounts.create_api_token(s, user, role))
    secret = {"what": f"API-token voor {user}", "value": token}
    return await _overview(request, signed_in, notice="Het API-token is aangemaakt.", secret=secret)


@post("/beheer/tokens/{key:str}/intrekken", name="admin:revoke-token", status_code=303)
async def revoke_token(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], key: FromPath[str]
) -> Response[Any]:
    """Revoke one API token at once."""
    _require_admin(signed_in)
    if not KEY.fullmatch(key):
        raise NotFoundError("API-token", "")
    revoked = await in_session(request, signed_in.principal, lambda s: accounts.revoke_api_token(s, key))
    return Redirect(f"/beheer?melding={'ingetrokken' if revoked else 'ongewijzigd'}", status_code=303)


ADMIN_HANDLERS = (
    admin_page,
    create_user,
    user_page,
    change_role,
    reset_password,
    disable_user,
    create_token,
    revoke_token,
)
