"""Sending one request to an external register: timeout, retries with backoff, and logs without identifiers."""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import itertools
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import attrs
import httpx

from bibob.exceptions import UpstreamError

Sleep = Callable[[float], Awaitable[None]]
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
NOT_PROCESSED_STATUSES = frozenset({429, 503})  # safe to repeat even a POST: the server did nothing
_LOG = logging.getLogger("bibob.clients")


@attrs.frozen
class Retry:
    """How often and how patiently to repeat a request after 429, 5xx or a timeout (exponential backoff)."""

    retries: int = 3  # repeats after the first attempt
    backoff: float = 0.5  # seconds before the first repeat; doubles each time
    max_delay: float = 30.0  # never wait longer than this, whatever Retry-After says
    sleep: Sleep = attrs.field(default=asyncio.sleep, eq=False, repr=False)

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait before repeat `attempt` (1-based): Retry-After when given, else backoff."""
        advised = _retry_after_seconds(retry_after)
        wanted = advised if advised is not None else self.backoff * 2 ** (attempt - 1)
        return max(0.0, min(wanted, self.max_delay))


def _retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return max(0.0, (moment - dt.datetime.now(dt.UTC)).total_seconds())


@attrs.frozen
class Call:
    """What to send, described without its secrets; `headers` is built fresh for every attempt."""

    service: str  # "kvk", "zgw": the name in errors and logs
    operation: str  # a fixed label such as "basisprofiel"; never an identifier
    method: str
    url: str
    headers: Callable[[], Mapping[str, str]] = attrs.field(eq=False, repr=False)
    params: Mapping[str, Any] | None = None
    json: Any = None

    @property
    def repeatable(self) -> bool:
        """Whether repeating after an unknown outcome cannot create something twice."""
        return self.method in ("GET", "HEAD", "PUT", "DELETE")


async def send(client: httpx.AsyncClient, call: Call, timeout: float, retry: Retry) -> httpx.Response:
    """The response to `call`, repeating on 429/5xx/timeouts; raises UpstreamError when it keeps failing.

    A POST is repeated only when the server certainly did nothing (429, 503, no connection), so a retry
    never creates a resource twice.
    """
    for attempt in itertools.count(1):
        started = time.perf_counter()
        retry_after: str | None = None
        try:
            response = await _send_once(client, call, timeout)
        except httpx.TimeoutException:
            _log(call, "timeout", started)
            error = UpstreamError(call.service, f"geen antwoord binnen {timeout:g} s")
            repeat = call.repeatable
        except httpx.TransportError as exc:
            _log(call, "niet bereikbaar", started)
            error = UpstreamError(call.service, "niet bereikbaar")
            repeat = call.repeatable or isinstance(exc, httpx.ConnectError)
        else:
            _log(call, f"HTTP {response.status_code}", started)
            if attempt > retry.retries or not _should_repeat(call, response):
                return response
            error, repeat, retry_after = failure(call.service, response), True, response.headers.get("Retry-After")
        if not repeat or attempt > retry.retries:
            raise error
        await retry.sleep(retry.delay(attempt, retry_after))
    raise AssertionError("unreachable")  # pragma: no cover


async def _send_once(client: httpx.AsyncClient, call: Call, timeout: float) -> httpx.Response:
    request = client.build_request(
        call.method, call.url, params=call.params, json=call.json, headers=dict(call.headers()), timeout=timeout
    )
    response = await client.send(request)
    await response.aread()
    return response


def _should_repeat(call: Call, response: httpx.Response) -> bool:
    statuses = RETRY_STATUSES if call.repeatable else NOT_PROCESSED_STATUSES
    return response.status_code in statuses


def _log(call: Call, outcome: str, started: float) -> None:
    """Only the service, a fixed operation label, the outcome and the duration: no URL, no identifier."""
    elapsed = (time.perf_counter() - started) * 1000
    _LOG.info("%s %s: %s in %.0f ms", call.service, call.operation, outcome, elapsed)


def json_body(service: str, response: httpx.Response) -> Any:
    """The JSON body, or an UpstreamError saying the register answered something unreadable."""
    try:
        return response.json()
    except ValueError:
        raise UpstreamError(service, "onleesbaar antwoord (geen JSON)", response.status_code) from None


def failure(service: str, response: httpx.Response, detail: str = "") -> UpstreamError:
    """The UpstreamError for a response we cannot use, in Dutch; `detail` must hold no identifiers."""
    status = response.status_code
    if status in (401, 403):
        reason = "toegang geweigerd; controleer de sleutel of de autorisaties"
    elif status == 429:
        reason = "te veel verzoeken; probeer het later opnieuw"
    elif status >= 500:
        reason = "de dienst is tijdelijk niet beschikbaar"
    else:
        reason = "verzoek afgewezen"
    return UpstreamError(service, f"{reason} ({detail})" if detail else reason, status)
