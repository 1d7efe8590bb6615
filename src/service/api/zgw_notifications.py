"""Notifications from the Notificaties API (ZGW): a new permit zaak becomes an application to screen."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, post
from litestar.exceptions import NotAuthorizedException, NotFoundException, PermissionDeniedException
from litestar.handlers import HTTPRouteHandler

from service.http import read_json_body
from service.openapi import DATE_TIME, OBJECT, READ_ERRORS, STRING, request_body
from service.resources import app_resources
from service.zgw_notifications import NotificationSettings, accept, parse_notification, secret_matches

URI: dict[str, Any] = {"type": "string", "format": "uri"}
FIELDS = {"kanaal": STRING, "hoofdObject": URI, "resource": STRING, "resourceUrl": URI, "actie": STRING,
          "aanmaakdatum": DATE_TIME, "kenmerken": OBJECT}  # fmt: skip


@post(
    "/zgw-notifications",
    opt=request_body(
        "A Notificatie as the Notificaties API (ZGW, 1.0) sends it to a subscriber's callbackUrl.",
        FIELDS,
        ("kanaal", "hoofdObject", "resource", "resourceUrl", "actie", "aanmaakdatum"),
    ),
    summary="Receive a notification from the Notificaties API",
    description="Called by the Notificaties API, not by a user: the Authorization header carries the secret of "
    "the abonnement (BIBOB_ZGW_NOTIFICATION_SECRET; `bibob zgw subscribe` registers it), 401 without it and 403 "
    "with another; 404 when notifications are not configured. A new zaak (kanaal `zaken`, resource `zaak`, actie "
    "`create`) of a permit zaaktype in BIBOB_ZGW_PERMIT_ZAAKTYPEN is queued (`queued`): the zaak is read from the "
    "Zaken API and the application `<zaak uuid>` registered for Bibob screening. A repeated notification of the "
    "same zaak changes nothing (`repeated`); any other notification is acknowledged and `ignored`.",
    tags=["applications"],
    status_code=200,
    raises=[*READ_ERRORS, NotAuthorizedException, PermissionDeniedException],
    security=[{"zgwNotification": []}],
)
async def receive_zgw_notification(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    integrations = app_resources(request).integrations
    settings: NotificationSettings | None = request.app.state.zgw_notifications
    if settings is None or integrations.zgw is None:
        raise NotFoundException()
    authorization = request.headers.get("authorization")
    if not authorization:
        raise NotAuthorizedException(headers={"WWW-Authenticate": 'Token realm="zgw-notifications"'})
    if not secret_matches(settings, authorization):
        raise PermissionDeniedException()
    notification = parse_notification(await read_json_body(request))
    zaken_url = integrations.zgw.zaken_url
    outcome = await request.app.state.committer.run(lambda conn: accept(conn, settings, zaken_url, notification))
    return Response({"outcome": outcome}, status_code=200)


ZGW_NOTIFICATION_HANDLERS: list[HTTPRouteHandler | type] = [receive_zgw_notification]
