"""The session a use case runs in: who acts, why, when, on which open transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

import attrs
from sqlalchemy.engine import Connection

from bibob.undermining import Confidentiality
from service.auth import Principal

T = TypeVar("T")

#: The clock the lifespan owns: an aware "now" (tests give a fixed one).
Clock = Callable[[], dt.datetime]


@attrs.frozen
class Session:
    """One request's unit of work: its transaction, the acting principal, the audit reason and the request's moment.

    `now` is read from the injected clock once per request; no use case reads the system clock itself.
    """

    conn: Connection
    principal: Principal
    reason: str
    now: dt.datetime
    #: reads of a case at this confidentiality or higher need a reason (`BIBOB_REASON_REQUIRED_FROM`); None: never
    reason_required_from: Confidentiality | None = None

    @property
    def today(self) -> dt.date:
        """The day of `now` on the server's own calendar (what `date.today()` would say at that moment)."""
        return self.now.astimezone().date()


class Runner(Protocol):
    """Runs `work` in a new session of the same principal (its own transaction) and returns its result."""

    def __call__(self, work: Callable[[Session], T], /) -> Awaitable[T]: ...
