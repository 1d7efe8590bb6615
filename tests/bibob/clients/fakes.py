"""Helpers for client tests: running coroutines, recording sleeps, MockTransport clients, leak checks."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterable
from typing import Any, TypeVar

import attrs
import httpx
import pytest

from bibob.clients._http import Retry

T = TypeVar("T")
Handler = Callable[[httpx.Request], httpx.Response]


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run one coroutine to completion (the tests stay synchronous)."""
    return asyncio.run(coroutine)


@attrs.define
class Sleeps:
    """A sleep that records how long it was asked to wait, and does not wait."""

    seconds: list[float] = attrs.Factory(list)

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)

    def retry(self, retries: int = 2) -> Retry:
        return Retry(retries=retries, backoff=0.5, max_delay=30.0, sleep=self)


@attrs.define
class Script:
    """A MockTransport handler answering from a list of responses (or exceptions), recording the requests."""

    answers: list[httpx.Response | Exception]
    requests: list[httpx.Request] = attrs.Factory(list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self))


def respond(status: int, body: Any = None, text: str | None = None, **headers: str) -> httpx.Response:
    """A response with a JSON body (or raw text)."""
    if text is not None:
        return httpx.Response(status, text=text, headers=headers)
    return httpx.Response(status, json=body if body is not None else {}, headers=headers)


def assert_nothing_leaks(secrets: Iterable[str], caplog: pytest.LogCaptureFixture, *errors: BaseException) -> None:
    """No secret or identifier in an error message or in a log line of ours (httpx and vcr log URLs themselves)."""
    ours = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore", "vcr"))]
    assert any(r.name.startswith("bibob") for r in ours), "expected our own log lines"
    texts = [str(e) for e in errors] + [repr(e) for e in errors] + [r.getMessage() for r in ours]
    for secret in secrets:
        for text in texts:
            assert secret not in text
