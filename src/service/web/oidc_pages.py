"""Signing in on the pages through the municipality's OpenID Connect provider: the code flow with PKCE (Authlib).

`/aanmelden/oidc` sends the browser to the provider with a fresh state, nonce and PKCE verifier (kept in a short
HttpOnly cookie for the way back); `/aanmelden/oidc/terug` checks the state, exchanges the code, checks the ID
token against the provider's keys and the nonce, maps the role claim to a role and starts a session. The account
is kept as an `oidc` account (no password); a local account of the same name is never taken over.
"""

from __future__ import annotations

import secrets
from typing import Any

import sqlalchemy as sa
from authlib.integrations.httpx_client import AsyncOAuth2Client
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from litestar import Request, Response, get
from litestar.params import FromQuery
from litestar.response import Redirect
from sqlalchemy.engine import Connection

from service.auth import Principal
from service.http import in_transaction
from service.oidc import OidcError, Provider, principal_from_claims
from service.resources import app_resources
from service.store import accounts, audit
from service.store.common import utcnow
from service.store.tables import users
from service.web.forms import FieldError
from service.web.pages import _sign_in_page, _signed_in
from service.web.sessions import SESSION_COOKIE, SIGN_IN_PATH, cleared, cookie, web_settings

START_PATH = SIGN_IN_PATH + "/oidc"
RETURN_PATH = START_PATH + "/terug"
FLOW_COOKIE = "bibob_oidc"  # state, nonce and PKCE verifier of one sign-in on its way to the provider and back
NOT_CONFIGURED = "Aanmelden via een identiteitsaanbieder is niet ingesteld."


@get(START_PATH, name="web:oidc-start")
async def start(request: Request[Any, Any, Any]) -> Response[Any]:
    """To the provider's sign-in, with PKCE (S256), a state and a nonce."""
    provider = _provider(request)
    if provider is None:
        return _refused(request, NOT_CONFIGURED, 404)
    try:
        metadata = await provider.metadata()
    except OidcError as error:
        return _refused(request, _sentence(error.reason), 503)
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    settings = provider.settings
    async with AsyncOAuth2Client(
        settings.client_id, settings.client_secret, scope=settings.scopes, redirect_uri=_redirect_uri(request)
    ) as client:
        url, _ = client.create_authorization_url(
            str(metadata["authorization_endpoint"]),
            state=state,
            nonce=nonce,
            code_challenge=create_s256_code_challenge(verifier),
            code_challenge_method="S256",
        )
    flow = cookie(request, FLOW_COOKIE, f"{state}.{nonce}.{verifier}", START_PATH)
    flow.max_age = 600
    return Redirect(url, status_code=303, cookies=[flow])


@get(RETURN_PATH, name="web:oidc-return")
async def come_back(
    request: Request[Any, Any, Any],
    code: FromQuery[str | None] = None,
    error: FromQuery[str | None] = None,
) -> Response[Any]:
    """The provider's answer: the state must be this browser's, the code is exchanged with its PKCE verifier, the
    ID token is checked (signature, issuer, audience, expiry, nonce); then a session in the mapped role."""
    provider = _provider(request)
    if provider is None:
        return _refused(request, NOT_CONFIGURED, 404)
    kept, state = request.cookies.get(FLOW_COOKIE, "").split("."), request.query_params.get("state")
    if error or not code or len(kept) != 3 or not state or not secrets.compare_digest(state, kept[0]):
        return _refused(
            request, "De aanmelding bij de identiteitsaanbieder is afgebroken of verlopen. Probeer het opnieuw."
        )
    _, nonce, verifier = kept
    settings = provider.settings
    try:
        metadata = await provider.metadata()
        async with AsyncOAuth2Client(
            settings.client_id, settings.client_secret, redirect_uri=_redirect_uri(request)
        ) as client:
            tokens = await client.fetch_token(
                str(metadata["token_endpoint"]), code=code, code_verifier=verifier, grant_type="authorization_code"
            )
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str):
            raise OidcError("de aanbieder gaf geen ID-token")
        now = app_resources(request).clock()
        claims = await provider.check(id_token, audience=settings.client_id, now=now, nonce=nonce)
        principal = principal_from_claims(settings, claims)
    except OidcError as refused:
        return _refused(request, _sentence(refused.reason))
    except Exception:
        return _refused(request, "De identiteitsaanbieder weigerde de aanmelding. Probeer het opnieuw.")
    old, limits = request.cookies.get(SESSION_COOKIE, ""), web_settings(request).limits

    def begin(conn: Connection) -> str | None:
        if not _keep_account(conn, principal):
            return None
        if old:
            accounts.end_session(conn, old)
        audit.append_identity(conn, principal, audit.SIGNED_IN, principal.user, reason="pagina's, OpenID Connect")
        return accounts.create_session(conn, principal, limits)[0]

    token = await in_transaction(request.app.state, begin)
    if token is None:
        return _refused(
            request,
            "Dit account kan niet via de identiteitsaanbieder aanmelden. Neem contact op met de functioneel beheerder.",
            403,
        )
    response = _signed_in(request, token, id_token)
    response.cookies.append(cleared(request, FLOW_COOKIE, START_PATH))
    return response


def _keep_account(conn: Connection, principal: Principal) -> bool:
    """Create or update the `oidc` account of `principal` (its role as the provider says now); False for a local
    account of that name, or a disabled one."""
    row = conn.execute(
        sa.select(users.c.origin, users.c.role, users.c.disabled_at).where(users.c.name == principal.user)
    ).first()
    if row is None:
        values = {"name": principal.user, "role": principal.role.value, "password_hash": "!", "created_at": utcnow()}
        conn.execute(users.insert().values(**values, origin="oidc"))
        audit.append_identity(
            conn, None, audit.USER_CREATED, principal.user, reason=f"OpenID Connect, rol {principal.role.value}"
        )
        return True
    if row.origin != "oidc" or row.disabled_at is not None:
        return False
    if row.role != principal.role.value:
        conn.execute(users.update().where(users.c.name == principal.user).values(role=principal.role.value))
        audit.append_identity(
            conn,
            None,
            audit.ROLE_CHANGED,
            principal.user,
            reason=f"OpenID Connect: {row.role} -> {principal.role.value}",
        )
    return True


def _provider(request: Request[Any, Any, Any]) -> Provider | None:
    provider: Provider | None = getattr(request.app.state, "oidc", None)
    return provider


def _redirect_uri(request: Request[Any, Any, Any]) -> str:
    provider = _provider(request)
    configured = provider.settings.redirect_url if provider else ""
    return configured or str(request.base_url).rstrip("/") + RETURN_PATH


def _sentence(reason: str) -> str:
    return reason[:1].upper() + reason[1:] + "."


def _refused(request: Request[Any, Any, Any], message: str, status: int = 400) -> Response[Any]:
    return _sign_in_page(request, status=status, errors=[FieldError("oidc", message)])


OIDC_HANDLERS = (start, come_back)
