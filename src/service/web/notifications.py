"""Every signed-in user's notifications (`/notificaties`, the bell in the header leads here): their own, newest
first, unread ones marked; the Bibob terms of their applications ending within five working days, computed now;
marking read one or all. The same use cases as `GET /api/v1/notifications`."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from bibob.exceptions import InvalidInputError, Problem
from service.auth import Role
from service.http import in_session
from service.resources import app_resources
from service.store.accounts import WebSession
from service.store.notifications import TERM_ENDING, Notification
from service.usecases import notifications
from service.web.forms import text
from service.web.rendering import page

PAGE_SIZE = 50
DUTCH_TIME = ZoneInfo("Europe/Amsterdam")
NOTICES = {"gelezen": "De notificatie is als gelezen gemarkeerd.", "alles": "Alle notificaties zijn gelezen."}


def link_of(notification: Notification, role: Role) -> str:
    """Where the notification's object is opened, on the recipient's own desk."""
    kind, identifier = notification.object_type, notification.object_id
    if kind == "case":
        return f"/casussen/{identifier}"
    if kind == "signal":
        return f"/meldingen/{identifier}"
    if kind == "application":
        return f"/besluiten/{identifier}" if role is Role.MAYOR else f"/aanvragen/{identifier}"
    return ""


@get("/notificaties", name="web:notifications")
async def notifications_page(
    request: Request[Any, Any, Any],
    signed_in: NamedDependency[WebSession],
    pagina: FromQuery[int] = 1,
    melding: FromQuery[str | None] = None,
) -> Template:
    """One's own notifications and one's terms ending soon."""
    shared = app_resources(request)
    catalogue, policy, calendar = shared.catalogue, shared.policy, shared.calendar
    if not 1 <= pagina <= 100_000:
        raise InvalidInputError([Problem("pagina", "outOfRange", "onbekende pagina")])
    offset = (pagina - 1) * PAGE_SIZE

    def read(s: Any) -> Any:
        found = notifications.my_notifications(s, unread_only=False, limit=PAGE_SIZE, offset=offset)
        return found, notifications.my_ending_terms(s, catalogue, policy, calendar)

    (found, count), ending = await in_session(request, signed_in.principal, read)
    role = signed_in.principal.role
    return page(
        request,
        "notifications/list.html",
        title="Notificaties",
        notice=NOTICES.get(melding or ""),
        rows=[_row(n, role) for n in found],
        ending=[_row(n, role) for n in ending],
        count=count,
        pagina=pagina,
        pages=max(1, -(-count // PAGE_SIZE)),
    )


def _row(notification: Notification, role: Role) -> dict[str, Any]:
    local = notification.created_at.astimezone(DUTCH_TIME)
    return {
        "id": notification.id,
        "text": notification.text,
        "at": f"{local:%d-%m-%Y %H:%M}",
        "unread": notification.read_at is None and notification.kind != TERM_ENDING,
        "link": link_of(notification, role),
    }


@post("/notificaties/gelezen", name="web:notifications-read", status_code=303)
async def mark_read(request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession]) -> Response[Any]:
    """Mark one notification read (`id`), or all of one's own (`alles`); another user's id changes nothing."""
    form = await request.form()
    everything, identifier = text(form, "alles") == "ja", text(form, "id")
    if not everything and not 0 < len(identifier) <= 80:
        raise InvalidInputError([Problem("id", "required", "kies een notificatie")])
    ids = None if everything else (identifier,)
    await in_session(request, signed_in.principal, lambda s: notifications.mark_read(s, ids))
    return Redirect(f"/notificaties?melding={'alles' if everything else 'gelezen'}", status_code=303)


NOTIFICATION_PAGE_HANDLERS = (notifications_page, mark_read)
