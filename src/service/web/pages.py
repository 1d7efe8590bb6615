"""The pages every user sees: the start page of their role, signing in and signing out."""

from __future__ import annotations

import asyncio
import secrets
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from service.auth import Principal
from service.http import client_address, in_transaction
from service.resources import app_resources
from service.store import accounts, audit, limits
from service.store.accounts import MFA_STAGE, NAME_MAX, PASSWORD_MAX, WebSession
from service.store.limits import RateLimits
from service.web.desks import desks_for
from service.web.forms import FieldError, required_text
from service.web.rendering import page
from service.web.sessions import (
    OIDC_HINT_COOKIE,
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    SIGN_IN_PATH,
    SIGN_OUT_PATH,
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
async def home(request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession]) -> Template:
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
async def sign_in_form(request: Request[Any, Any, Any], melding: FromQuery[str | None] = None) -> Response[Any]:
    """The sign-in form; someone already signed in goes to the start page."""
    if await current_session(request) is not None:
        return Redirect("/", status_code=303)
    return _sign_in_page(request, notice=NOTICES.get(melding or ""))


@post(SIGN_IN_PATH, name="web:sign-in-post", opt={"csrf": "sign-in"}, status_code=303)
async def sign_in(request: Request[Any, Any, Any]) -> Response[Any]:
    """Check the name and password; on success a new session (a new cookie) and the start page.

    Too many failures for a name or from an address lock signing in for a while (429 with `Retry-After`, said in
    Dutch on the form); a locked name is refused before its password is checked, whether the account exists or
    not. Every sign-in, failure and lockout is a row of the audit chain.
    """
    form, errors = await request.form(), list[FieldError]()
    name = required_text(form, "gebruikersnaam", "gebruikersnaam", NAME_MAX, errors)
    password = required_text(form, "wachtwoord", "wachtwoord", PASSWORD_MAX, errors)
    if errors:
        return _sign_in_page(request, status=400, errors=errors, name=name)
    state, address = request.app.state, client_address(request)
    rate: RateLimits = state.rate_limits
    now = app_resources(request).clock()

    def look_up(conn: Any) -> accounts.Credentials | None:
        limits.check(conn, "signInAccount", name, rate.sign_in_account, now)
        limits.check(conn, "signInAddress", address, rate.sign_in_address, now)
        return accounts.credentials(conn, name)

    try:
        found = await in_transaction(state, look_up)
    except limits.RateLimitedError as refused:
        return _locked_page(request, refused, name)
    principal = await asyncio.to_thread(accounts.verify_password, found, password)  # argon2: off the event loop
    if found is None or principal is None:
        known = found.principal if found else None
        await in_transaction(state, lambda conn: _record_failure(conn, rate, now, name, address, known))
        return _sign_in_page(request, status=400, errors=[FieldError("gebruikersnaam", WRONG_CREDENTIALS)], name=name)
    new_hash = await asyncio.to_thread(accounts.hash_password, password) if accounts.needs_rehash(found) else None
    old, settings = request.cookies.get(SESSION_COOKIE, ""), web_settings(request)

    def start(conn: Any) -> tuple[str, bool]:
        if old:
            accounts.end_session(conn, old)  # a new session on every sign-in: no fixation of an earlier cookie
        totp = accounts.totp_of(conn, name)
        if (totp is not None and totp.confirmed) or principal.role in settings.mfa_roles:
            if totp is None:
                accounts.start_totp(conn, name, principal)  # enrolling on the next page, with a first code
            half = accounts.create_session(conn, principal, settings.limits, new_hash=new_hash, stage=MFA_STAGE)
            return half[0], True
        limits.clear(conn, "signInAccount", name)
        audit.append_identity(conn, principal, audit.SIGNED_IN, principal.user, reason="pagina's, wachtwoord")
        return accounts.create_session(conn, principal, settings.limits, new_hash=new_hash)[0], False

    token, code_to_come = await in_transaction(state, start)
    if code_to_come:
        return Redirect(CODE_PATH, status_code=303, cookies=[cookie(request, PENDING_COOKIE, token, SIGN_IN_PATH)])
    return _signed_in(request, token)


def _signed_in(request: Request[Any, Any, Any], token: str, id_token: str = "") -> Response[Any]:
    """To the start page with the session's cookie; the sign-in's own cookies are cleared. `id_token`: signed in
    through the provider, whose ID token the sign-out hands back to it (otherwise an old one is forgotten)."""
    hint = cookie(request, OIDC_HINT_COOKIE, id_token, SIGN_OUT_PATH) if id_token else None
    cookies = [
        cookie(request, SESSION_COOKIE, token),
        cleared(request, SIGN_IN_COOKIE, SIGN_IN_PATH),
        cleared(request, PENDING_COOKIE, SIGN_IN_PATH),
        hint or cleared(request, OIDC_HINT_COOKIE, SIGN_OUT_PATH),
    ]
    return Redirect("/", status_code=303, cookies=cookies)


CODE_PATH = SIGN_IN_PATH + "/code"
PENDING_COOKIE = "bibob_tweede_stap"  # a half-finished sign-in: the password was right, the code is to come
WRONG_CODE = "De code klopt niet, is verlopen of is al gebruikt. Neem de nieuwste code uit uw app."


@get(CODE_PATH, name="web:sign-in-code")
async def code_form(request: Request[Any, Any, Any]) -> Response[Any]:
    """The second step: a code from the authenticator app; on first use, the key to add to the app first."""
    found = await _pending(request)
    if found is None:
        return Redirect(SIGN_IN_PATH + "?melding=verlopen", status_code=303)
    return await _code_page(request, found)


@post(CODE_PATH, name="web:sign-in-code-post", opt={"csrf": "sign-in"}, status_code=303)
async def sign_in_code(request: Request[Any, Any, Any]) -> Response[Any]:
    """Check the code; on success the half-finished sign-in becomes a session. Wrong codes count towards the same
    lockout as wrong passwords; every outcome is audited."""
    found = await _pending(request)
    if found is None:
        return Redirect(SIGN_IN_PATH + "?melding=verlopen", status_code=303)
    form, errors = await request.form(), list[FieldError]()
    code = required_text(form, "code", "code", 16, errors).replace(" ", "")
    if errors:
        return await _code_page(request, found, status=400, errors=errors)
    state, address, settings = request.app.state, client_address(request), web_settings(request)
    rate: RateLimits = state.rate_limits
    now, pending = app_resources(request).clock(), request.cookies.get(PENDING_COOKIE, "")

    def finish(conn: Any) -> str | None:
        limits.check(conn, "signInAccount", found.user, rate.sign_in_account, now)
        limits.check(conn, "signInAddress", address, rate.sign_in_address, now)
        if not accounts.check_totp(conn, found.user, code, now):
            return None
        accounts.end_session(conn, pending)
        limits.clear(conn, "signInAccount", found.user)
        audit.append_identity(conn, found, audit.SIGNED_IN, found.user, reason="pagina's, wachtwoord en TOTP")
        return accounts.create_session(conn, found, settings.limits)[0]

    try:
        token = await in_transaction(state, finish)
    except limits.RateLimitedError as refused:
        return await _code_page(request, found, status=429, errors=[_wait(refused, "code")], retry=refused)
    if token is None:
        await in_transaction(state, lambda conn: _record_failure(conn, rate, now, found.user, address, found, "TOTP"))
        return await _code_page(request, found, status=400, errors=[FieldError("code", WRONG_CODE)])
    return _signed_in(request, token)


async def _pending(request: Request[Any, Any, Any]) -> Principal | None:
    token, now = request.cookies.get(PENDING_COOKIE, ""), app_resources(request).clock()
    if not token:
        return None
    return await in_transaction(request.app.state, lambda conn: accounts.pending_principal(conn, token, now))


async def _code_page(
    request: Request[Any, Any, Any],
    found: Principal,
    *,
    status: int = 200,
    errors: list[FieldError] | None = None,
    retry: limits.RateLimitedError | None = None,
) -> Template:
    totp = await in_transaction(request.app.state, lambda conn: accounts.totp_of(conn, found.user))
    enrolling = totp is not None and not totp.confirmed
    key = " ".join(totp.secret[i : i + 4] for i in range(0, len(totp.secret), 4)) if totp and enrolling else ""
    uri = accounts.provisioning_uri(found.user, totp) if totp and enrolling else ""
    rendered = _sign_in_page(request, status=status, errors=errors, template="sign_in_code.html", title="Code invoeren")
    rendered.context |= {"enrolling": enrolling, "key": key, "uri": uri}
    if retry is not None:
        rendered.headers["Retry-After"] = str(retry.retry_after)
    return rendered


def _wait(refused: limits.RateLimitedError, field: str) -> FieldError:
    minutes = -(-refused.retry_after // 60)
    wait = f"Probeer het over {minutes} {'minuut' if minutes == 1 else 'minuten'} opnieuw."
    return FieldError(field, f"{refused.detail} {wait}")


def _record_failure(
    conn: Any,
    rate: RateLimits,
    now: Any,
    name: str,
    address: str,
    known: Principal | None,
    factor: str = "wachtwoord",
) -> None:
    """Count a failed sign-in against the name and the address; audit it, and a lockout when one begins."""
    failures = limits.count(conn, "signInAccount", name, rate.sign_in_account, now)
    from_address = limits.count(conn, "signInAddress", address, rate.sign_in_address, now)
    account = name if known else None  # a name no account has may be a mistyped password: never kept
    audit.append_identity(conn, known, audit.SIGN_IN_FAILED, account, reason=f"pagina's, {factor}")
    if failures == rate.sign_in_account.count:
        audit.append_identity(conn, known, audit.LOCKED_OUT, account, reason="gebruikersnaam")
    if from_address == rate.sign_in_address.count:
        audit.append_identity(conn, None, audit.LOCKED_OUT, None, object_type="address", reason="pagina's")


def _locked_page(request: Request[Any, Any, Any], refused: limits.RateLimitedError, name: str) -> Template:
    """The sign-in form, answering 429 with `Retry-After`, saying in Dutch how long signing in is blocked."""
    rendered = _sign_in_page(request, status=429, errors=[_wait(refused, "gebruikersnaam")])
    rendered.context["name"] = name
    rendered.headers["Retry-After"] = str(refused.retry_after)
    return rendered


SIGNED_OUT_PATH = SIGN_IN_PATH + "?melding=afgemeld"


@post(SIGN_OUT_PATH, name="web:sign-out", status_code=303)
async def sign_out(request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession]) -> Response[Any]:
    """End the session at once (the cookie no longer opens anything, wherever it is kept); signed in through the
    provider, the browser goes on to the provider's sign-out, which sends it back to the sign-in page."""
    token = request.cookies.get(SESSION_COOKIE, "")

    def end(conn: Any) -> None:
        if accounts.end_session(conn, token):
            audit.append_identity(conn, signed_in.principal, audit.SIGNED_OUT, signed_in.principal.user)

    await in_transaction(request.app.state, end)
    cookies = [cleared(request, SESSION_COOKIE), cleared(request, OIDC_HINT_COOKIE, SIGN_OUT_PATH)]
    provider, id_token = getattr(request.app.state, "oidc", None), request.cookies.get(OIDC_HINT_COOKIE, "")
    if provider is not None and id_token:
        back = provider.settings.post_logout_url or str(request.base_url).rstrip("/") + SIGNED_OUT_PATH
        at_provider = await provider.end_session_url(id_token, back)
        if at_provider is not None:
            return Redirect(at_provider, status_code=303, cookies=cookies)
    return Redirect(SIGNED_OUT_PATH, status_code=303, cookies=cookies)


def _sign_in_page(
    request: Request[Any, Any, Any],
    *,
    status: int = 200,
    errors: list[FieldError] | None = None,
    name: str = "",
    notice: str | None = None,
    template: str = "sign_in.html",
    title: str = "Aanmelden",
) -> Template:
    """The form with a fresh token of its own (in a cookie and a hidden field), since no session exists yet."""
    token = secrets.token_urlsafe(32)
    provider = getattr(request.app.state, "oidc", None)
    oidc_label = provider.settings.label if provider is not None else None
    rendered = page(
        request, template, title=title, status=status, errors=errors or (), name=name, notice=notice, oidc=oidc_label
    )
    rendered.context["csrf_token"] = token
    rendered.set_cookie(cookie(request, SIGN_IN_COOKIE, token, SIGN_IN_PATH))
    return rendered


PAGE_HANDLERS = (home, sign_in_form, sign_in, code_form, sign_in_code, sign_out)
