"""The pages every user sees: the start page of their role, signing in and signing out."""

from __future__ import annotations

import asyncio
import secrets
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from service.http import in_transaction
from service.store import accounts
from service.store.accounts import NAME_MAX, PASSWORD_MAX, WebSession
from service.web.desks import desks_for
from service.web.forms import FieldError, required_text
from service.web.rendering import page
from service.web.sessions import (
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    SIGN_IN_PATH,
    cleared,
    cookie,
    current_session,
    web_settings,
)

LOCAL_TIME = ZoneInfo("Europe/Amsterdam")
WRONG_CREDENTIALS = "De gebruikersnaam of het wachtwoord klopt niet."  # the same whether the name exists or not
NOTICES = {
    "afgemeld": "U bent afgemeld.",
    "verlopen": "Uw sessie is verlopen of beëindigd. Meld u opnieuw aan.",
}


@get("/", name="web:home")
async def home(request: Request[Any, Any, Any], signed_in: WebSession) -> Template:
    """The start page: who is signed in, in which role, and the desks of that role."""
    settings = web_settings(request)
    return page(
        request,
        "home.html",
        title="Start",
        desks=desks_for(request.app, signed_in.principal.role),
        idle_minutes=int(settings.limits.idle.total_seconds() // 60),
        ends_at=signed_in.expires_at.astimezone(LOCAL_TIME).strftime("%H:%M"),
    )


@get(SIGN_IN_PATH, name="web:sign-in")
async def sign_in_form(request: Request[Any, Any, Any], melding: str | None = None) -> Response[Any]:
    """The sign-in form; someone already signed in goes to the start page."""
    if await current_session(request) is not None:
        return Redirect("/", status_code=303)
    return _sign_in_page(request, notice=NOTICES.get(melding or ""))


@post(SIGN_IN_PATH, name="web:sign-in-post", opt={"csrf": "sign-in"}, status_code=303)
async def sign_in(request: Request[Any, Any, Any]) -> Response[Any]:
    """Check the name and password; on success a new session (a new cookie) and the start page."""
    form, errors = await request.form(), list[FieldError]()
    name = required_text(form, "gebruikersnaam", "gebruikersnaam", NAME_MAX, errors)
    password = required_text(form, "wachtwoord", "wachtwoord", PASSWORD_MAX, errors)
    if errors:
        return _sign_in_page(request, status=400, errors=errors, name=name)
    state = request.app.state
    found = await in_transaction(state, lambda conn: accounts.credentials(conn, name))
    principal = await asyncio.to_thread(accounts.verify_password, found, password)  # argon2: off the event loop
    if found is None or principal is None:
        return _sign_in_page(request, status=400, errors=[FieldError("gebruikersnaam", WRONG_CREDENTIALS)], name=name)
    new_hash = await asyncio.to_thread(accounts.hash_password, password) if accounts.needs_rehash(found) else None
    old, limits = request.cookies.get(SESSION_COOKIE, ""), web_settings(request).limits

    def start(conn: Any) -> str:
        if old:
            accounts.end_session(conn, old)  # a new session on every sign-in: no fixation of an earlier cookie
        return accounts.create_session(conn, principal, limits, new_hash=new_hash)[0]

    token = await in_transaction(state, start)
    cookies = [cookie(request, SESSION_COOKIE, token), cleared(request, SIGN_IN_COOKIE, SIGN_IN_PATH)]
    return Redirect("/", status_code=303, cookies=cookies)


@post("/afmelden", name="web:sign-out", status_code=303)
async def sign_out(request: Request[Any, Any, Any], signed_in: WebSession) -> Response[Any]:
    """End the session at once (the cookie no longer opens anything, wherever it is kept)."""
    token = request.cookies.get(SESSION_COOKIE, "")
    await in_transaction(request.app.state, lambda conn: accounts.end_session(conn, token))
    return Redirect(SIGN_IN_PATH + "?melding=afgemeld", status_code=303, cookies=[cleared(request, SESSION_COOKIE)])


def _sign_in_page(
    request: Request[Any, Any, Any],
    *,
    status: int = 200,
    errors: list[FieldError] | None = None,
    name: str = "",
    notice: str | None = None,
) -> Template:
    """The form with a fresh token of its own (in a cookie and a hidden field), since no session exists yet."""
    token = secrets.token_urlsafe(32)
    rendered = page(
        request, "sign_in.html", title="Aanmelden", status=status, errors=errors or (), name=name, notice=notice
    )
    rendered.context["csrf_token"] = token
    rendered.set_cookie(cookie(request, SIGN_IN_COOKIE, token, SIGN_IN_PATH))
    return rendered


PAGE_HANDLERS = (home, sign_in_form, sign_in, sign_out)
