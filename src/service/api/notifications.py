"""Notifications inside the product, for every signed-in role: one's own list and marking them read."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromQuery, QueryParameter

from service.auth import Principal
from service.http import in_session, page_window, paginated, read_json_body
from service.openapi import BOOLEAN, READ_ERRORS, STRING, request_body
from service.resources import app_resources
from service.usecases import notifications
from service.views.notifications import MAX_IDS, marked, notification_view


@get(
    "/notifications",
    summary="My notifications (newest first) and the Bibob terms of my applications ending soon",
    description=(
        "Only one's own. `unreadOnly` leaves out those read. `endingTerms`: running terms of the applications one "
        "may see that end within five working days (Atw), computed now. Texts name ids and labels only."
    ),
    tags=["notifications"],
    raises=READ_ERRORS,
)
async def list_notifications(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    unread_only: Annotated[bool, QueryParameter(name="unreadOnly")] = False,
    page: FromQuery[int] = 1,
    page_size: Annotated[int, QueryParameter(name="pageSize")] = 50,
) -> Response[dict[str, Any]]:
    shared = app_resources(request)
    catalogue, policy, calendar = shared.catalogue, shared.policy, shared.calendar
    offset, limit = page_window(page, page_size)

    def read(s: Any) -> Any:
        found = notifications.my_notifications(s, unread_only=unread_only, limit=limit, offset=offset)
        return found, notifications.unread(s), notifications.my_ending_terms(s, catalogue, policy, calendar)

    (found, count), unread, ending = await in_session(request, principal, read)
    response = paginated(request, [notification_view(n) for n in found], count, page, page_size)
    response.content |= {"unread": unread, "endingTerms": [notification_view(n) for n in ending]}
    return response


@post(
    "/notifications/_acknowledge",
    opt=request_body(
        "Either the ids to mark read, or all of one's own.",
        {"ids": {"type": "array", "items": STRING, "minItems": 1, "maxItems": MAX_IDS}, "all": BOOLEAN},
    ),
    summary="Mark my notifications read",
    description="Body: {ids: [...]} or {all: true}. Ids of other users' notifications change nothing.",
    tags=["notifications"],
    status_code=200,
    raises=READ_ERRORS,
)
async def mark_read(request: Request[Any, Any, Any], principal: NamedDependency[Principal]) -> dict[str, Any]:
    ids = marked(await read_json_body(request))
    count = await in_session(request, principal, lambda s: notifications.mark_read(s, ids))
    return {"marked": count}


NOTIFICATION_HANDLERS: list[HTTPRouteHandler | type] = [list_notifications, mark_read]
