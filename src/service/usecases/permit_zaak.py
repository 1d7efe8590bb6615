"""The zaak of an application's permit in the zaaksysteem: recorded by an official, so its letters can follow there."""

from __future__ import annotations

from typing import Any

from bibob.exceptions import InvalidInputError, Problem
from service.integrations import Integrations
from service.letter_documents import enabled, request_letters
from service.store import permit_zaken
from service.store.permit_zaken import MAX_URL, PermitZaak
from service.usecases.session import Session
from service.views.inputs import json_object

PERMIT_ZAAK_FIELDS = ("url",)


def zaak_url(body: object) -> str:
    """The permit zaak URL in `body` (`{"url": "https://…/zaken/api/v1/zaken/…"}`); every problem at once."""
    data: dict[str, Any] = json_object(body, PERMIT_ZAAK_FIELDS, ("url",))
    url = data["url"]
    scheme, _, rest = url.partition("://") if isinstance(url, str) else ("", "", "")
    if scheme not in ("http", "https") or not rest.strip("/") or len(url) > MAX_URL or not _plain(url):
        message = f"verwacht: de http(s)-URL van een zaak, hoogstens {MAX_URL} tekens"
        raise InvalidInputError([Problem("/url", "schema.format", message)])
    return str(url)


def record_permit_zaak(session: Session, integrations: Integrations, application_id: str, body: object) -> PermitZaak:
    """Record the permit zaak of the application; when letters go to the zaaksysteem, its letters follow there."""
    url = zaak_url(body)
    recorded = permit_zaken.record(session.conn, session.principal, application_id, url, session.reason)
    if enabled(integrations):
        request_letters(session.conn, application_id)
    return recorded


def _plain(url: str) -> bool:
    """No spaces and no control characters (a NUL would not even fit in a PostgreSQL text column)."""
    return url.isprintable() and not any(c.isspace() for c in url)
