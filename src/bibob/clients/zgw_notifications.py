"""The Notificaties API (ZGW) seen from bibob: subscribing to the `zaken` kanaal, and reading the zaak a notification
names. bibob publishes nothing itself: Open Zaak notifies every write the mirror makes through its API."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx

from bibob.clients._http import Call
from bibob.clients.zgw import CRS, SERVICE, ZgwSettings, _call, _headers
from bibob.exceptions import InvalidInputError, Problem

KANAAL = "zaken"  # the kanaal on which a Zaken API announces its zaken
MAX_CALLBACK = 200  # Abonnement.callbackUrl, Notificaties API 1.0


def abonnement_body(callback_url: str, auth: str, zaaktypen: Iterable[str]) -> dict[str, Any]:
    """An abonnement (Notificaties API 1.0): the callback, the Authorization value it is sent with, and the `zaken`
    kanaal filtered on each zaaktype (a filter is one value per key, so one kanaal entry per zaaktype)."""
    types = sorted(set(zaaktypen))
    problems = (
        []
        if callback_url.startswith(("https://", "http://"))
        else [Problem("callbackUrl", "invalidUrl", "moet een http(s)-URL zijn")]
    )
    if not auth:
        problems.append(Problem("auth", "required", "het geheim waarmee de notificaties komen ontbreekt"))
    if not types:
        problems.append(Problem("kanalen", "required", "geen zaaktype om op te filteren"))
    if problems:
        raise InvalidInputError(problems)
    return {
        "callbackUrl": callback_url,
        "auth": auth,
        "kanalen": [{"naam": KANAAL, "filters": {"zaaktype": zaaktype}} for zaaktype in types],
    }


async def subscribe(client: httpx.AsyncClient, settings: ZgwSettings, notificaties_url: str,
                    body: dict[str, Any]) -> str:  # fmt: skip
    """Register the abonnement with the Notificaties API; its URL. Raises UpstreamError when refused."""
    call = Call(SERVICE, "abonnement", "POST", f"{notificaties_url.rstrip('/')}/abonnement", _headers(settings),
                json=body)  # fmt: skip
    return str((await _call(client, settings, call, 201))["url"])


async def read_zaak(client: httpx.AsyncClient, settings: ZgwSettings, url: str) -> dict[str, Any]:
    """The zaak at `url` (which must lie in the configured Zaken API: our token goes nowhere else)."""
    if not url.startswith(settings.zaken_url.rstrip("/") + "/zaken/"):
        raise InvalidInputError([Problem("resourceUrl", "foreignUrl", "ligt niet in de ingestelde Zaken API")])
    call = Call(SERVICE, "zaak lezen", "GET", url, _headers(settings, CRS))
    return await _call(client, settings, call, 200)
