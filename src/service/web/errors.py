"""Errors on pages: the service's one error mapping decides the status, the page says it in Dutch, as HTML."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from litestar import Request, Response
from litestar.response import Redirect

from service.web.rendering import is_page, page
from service.web.sessions import SESSION_COOKIE, SIGN_IN_PATH, CsrfRefused, NotSignedIn, cleared

Handler = Callable[[Request[Any, Any, Any], Exception], Response[Any]]

# status → (heading, what happened and what to do); never echoes input or names a dossier
TEXTS: dict[int, tuple[str, str]] = {
    400: ("Ongeldig verzoek", "Het verzoek kon niet worden verwerkt. Er is niets gewijzigd."),
    401: ("Niet aangemeld", "Meld u aan om verder te gaan."),
    403: ("Geen toegang", "U hebt geen toegang tot deze pagina. Er is niets gewijzigd."),
    404: ("Pagina niet gevonden", "Deze pagina bestaat niet, of is niet voor u zichtbaar. Controleer het adres."),
    405: ("Niet toegestaan", "Deze handeling is op deze pagina niet mogelijk. Er is niets gewijzigd."),
    409: ("Niet mogelijk", "Deze stap is nu niet mogelijk. Er is niets gewijzigd."),
    413: ("Te groot", "Wat u verstuurde is te groot om te verwerken. Er is niets gewijzigd."),
    429: ("Even geduld", "U deed te veel verzoeken in korte tijd. Er is niets gewijzigd. Probeer het later opnieuw."),
    500: ("Er ging iets mis", "Er ging aan onze kant iets mis. Probeer het later opnieuw."),
    503: (
        "Tijdelijk niet beschikbaar",
        "De opslag is tijdelijk niet beschikbaar; er is niets gewijzigd of getoond. Probeer het zo opnieuw.",
    ),
}
CSRF_TEXT = (
    "Formulier niet geaccepteerd",
    "Het formulier is verlopen of komt niet van deze website, en is daarom niet verwerkt. Er is niets gewijzigd. "
    "Ga terug, laad de pagina opnieuw en probeer het nog eens.",
)
_KEPT_HEADERS = ("retry-after", "allow")


def error_page(request: Request[Any, Any, Any], error: Exception, response: Response[Any]) -> Response[Any]:
    """The page for an error whose status (and background audit task) `response` already decided."""
    status = response.status_code or 500
    fallback = TEXTS[500 if status >= 500 else 400]
    heading, text = CSRF_TEXT if isinstance(error, CsrfRefused) else TEXTS.get(status, fallback)
    rendered = page(request, "error.html", title=heading, status=status, heading=heading, text=text)
    rendered.background = response.background  # e.g. the audit row of a refused dossier
    rendered.headers.update({name: value for name, value in response.headers.items() if name.lower() in _KEPT_HEADERS})
    return rendered


def for_pages(handler: Handler) -> Handler:
    """`handler` as it is for the API, and its outcome as a Dutch HTML page for everything else."""

    def handle(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
        response = handler(request, error)
        return error_page(request, error, response) if is_page(request.url.path) else response

    return handle


def with_pages(handlers: Mapping[Any, Any]) -> dict[Any, Any]:
    """The app's exception handlers, each answering pages in HTML; plus the way to sign in for pages behind it."""
    return {key: for_pages(handler) for key, handler in handlers.items()} | {NotSignedIn: to_sign_in}


def to_sign_in(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    """No live session: to the sign-in page, saying so when a session had ended (idle, too old, signed out)."""
    expired = isinstance(error, NotSignedIn) and error.expired
    target = SIGN_IN_PATH + ("?melding=verlopen" if expired else "")
    cookies = [cleared(request, SESSION_COOKIE)] if expired else []
    if request.headers.get("hx-request") == "true":  # htmx would swap the sign-in page into a fragment
        return Response(b"", status_code=204, headers={"HX-Redirect": target}, cookies=cookies)
    return Redirect(target, status_code=303, cookies=cookies)
