"""Who is signed in on the pages: the session cookie, its lookup once per request, and the CSRF check on posts."""

from __future__ import annotations

import hmac
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.exceptions import PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from sqlalchemy.engine import Connection

from service.http import in_transaction
from service.store.accounts import SessionLimits, WebSession, session_for_token
from service.store.notifications import unread_count
from service.web.settings import WebSettings

SESSION_COOKIE = "bibob_sessie"
SIGN_IN_COOKIE = "bibob_aanmelden"  # the sign-in form's own CSRF token, before there is a session
SIGN_IN_PATH = "/aanmelden"
SIGN_OUT_PATH = "/afmelden"
#: After a sign-in through the OpenID Connect provider: its ID token, sent back only to the sign-out (as the
#: `id_token_hint` that ends the session at the provider too); cleared by every other sign-in.
OIDC_HINT_COOKIE = "bibob_oidc_afmelden"
CSRF_FIELD = "_csrf"  # the hidden field in every form
CSRF_HEADER = "x-csrf-token"  # the same token from htmx (hx-headers on <body>)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_UNKNOWN = object()


class NotSignedIn(Exception):
    """No live session: the visitor is sent to the sign-in page (`expired`: a cookie was sent, but it ended)."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("niet aangemeld")
        self.expired = expired


class CsrfRefused(PermissionDeniedException):
    """A form came without this session's token, or with another: refused, nothing changed."""


def web_settings(request: ASGIConnection[Any, Any, Any, Any]) -> WebSettings:
    """The pages' settings, put in the app's state by the web plugin."""
    settings: WebSettings = request.app.state.web_settings
    return settings


async def current_session(request: ASGIConnection[Any, Any, Any, Any]) -> WebSession | None:
    """The visitor's live session (looked up, and marked as seen, once per request), or None."""
    found = getattr(request.state, "web_session", _UNKNOWN)
    if isinstance(found, WebSession) or found is None:
        return found
    token, limits = request.cookies.get(SESSION_COOKIE, ""), web_settings(request).limits
    session, unread = None, 0
    if token:
        session, unread = await in_transaction(request.app.state, lambda conn: _lookup(conn, token, limits))
    request.state.web_session = session
    request.state.unread_notifications = unread  # the number on the bell, read in the same transaction
    if session is not None:
        request.state.principal = session.principal  # a hidden dossier's 404 is audited as for the API
    return session


def _lookup(conn: Connection, token: str, limits: SessionLimits) -> tuple[WebSession | None, int]:
    session = session_for_token(conn, token, limits)
    return session, unread_count(conn, session.principal.user) if session else 0


async def signed_in(request: Request[Any, Any, Any]) -> WebSession:
    """Dependency of every page behind sign-in: the live session, or off to the sign-in page."""
    session = await current_session(request)
    if session is None:
        raise NotSignedIn(expired=SESSION_COOKIE in request.cookies)
    return session


async def csrf_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Every page request that may change something carries the form's token: the session's, or on the sign-in
    form (opt `csrf="sign-in"`) the one in its own cookie. Compared in constant time; refused with 403."""
    if connection.scope.get("method", "GET") in SAFE_METHODS:
        return
    if handler.opt.get("csrf") == "sign-in":
        expected = connection.cookies.get(SIGN_IN_COOKIE, "")
    else:
        session = await current_session(connection)
        if session is None:
            raise NotSignedIn(expired=SESSION_COOKIE in connection.cookies)
        expected = session.csrf_token
    sent = connection.headers.get(CSRF_HEADER) or await _form_token(connection)
    if not expected or not hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8")):
        raise CsrfRefused(detail="Het formulier is verlopen of komt niet van deze website.")


async def _form_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    if not isinstance(connection, Request):
        return ""
    value = (await connection.form()).get(CSRF_FIELD, "")  # parsed once: the handler reads the same form
    return value if isinstance(value, str) else ""


def is_secure(request: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """Whether cookies go out Secure: over HTTPS, or always when the settings say so."""
    return request.url.scheme == "https" or web_settings(request).secure_cookie


def cookie(request: ASGIConnection[Any, Any, Any, Any], key: str, value: str, path: str = "/") -> Cookie:
    """A cookie as the pages set them: HttpOnly, SameSite=Lax, Secure behind TLS, gone when the browser closes."""
    return Cookie(key=key, value=value, path=path, httponly=True, samesite="lax", secure=is_secure(request))


def cleared(request: ASGIConnection[Any, Any, Any, Any], key: str, path: str = "/") -> Cookie:
    """The same cookie, expired: the browser forgets it."""
    return Cookie(
        key=key, value="", path=path, max_age=0, expires=0, httponly=True, samesite="lax", secure=is_secure(request)
    )
