"""Rendering a page: the template with what every page shows (who is signed in, the form token), and the headers
every page carries (a Content-Security-Policy without inline scripts or styles, no caching)."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template
from litestar.types import Message, Scope

from service.store.accounts import WebSession

SITE = "Bibob-screening"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)  # data: images: the Utrecht CSS draws its checkbox marks as inline SVG
PAGE_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "cache-control": "no-store",
    "referrer-policy": "same-origin",
}
_RAW_HEADERS = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in PAGE_HEADERS.items()]
_API_ROOTS = frozenset({"api", "schema"})


def is_page(path: str) -> bool:
    """Whether `path` belongs to the pages (and their static files) rather than the JSON API."""
    return path.split("/", 2)[1] not in _API_ROOTS if path.startswith("/") else False


def page(request: Request[Any, Any, Any], template: str, *, title: str, status: int = 200, **context: Any) -> Template:
    """`template` rendered with the page's title (never personal data) and the signed-in visitor, if any."""
    session = getattr(request.state, "web_session", None)
    common: dict[str, Any] = {"site": SITE, "title": title, "errors": ()}
    if isinstance(session, WebSession):
        common |= {"principal": session.principal, "csrf_token": session.csrf_token}
        common |= {"unread_notifications": getattr(request.state, "unread_notifications", 0)}
    return Template(template_name=template, context=common | context, status_code=status)


async def page_headers(message: Message, scope: Scope) -> None:
    """Before a page's response starts: replace the API's headers of the same names with the pages' own."""
    if message["type"] != "http.response.start" or not is_page(scope.get("path", "")):
        return
    kept = [(name, value) for name, value in message.get("headers", ()) if name.lower() not in _REPLACED]
    message["headers"] = [*kept, *_RAW_HEADERS]


_REPLACED = frozenset(name for name, _ in _RAW_HEADERS)
