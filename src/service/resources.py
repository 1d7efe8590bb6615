"""What the handlers share: one value built at start-up (service.lifespan), read with `app_resources(request)`.

The resources are not Litestar dependencies on purpose: Litestar resolves a handler's independent dependencies side by
side, in a task group with one task each, on every request (litestar-org/litestar#4563). With the resources read from
the app's state, each handler has one dependency (the principal, or on pages the session), and no task group.
"""

from __future__ import annotations

from typing import Any

import attrs
import httpx
from litestar.connection import ASGIConnection
from litestar.datastructures import State

from bibob.policy import Policy
from bibob.questionnaires import Catalogue
from bibob.terms import AtwCalendar
from service.integrations import Integrations
from service.usecases import Clock


@attrs.frozen
class AppResources:
    """The process-wide values every request may use; built once, when the app starts, and never changed."""

    catalogue: Catalogue  # the questionnaires and selections
    policy: Policy
    calendar: AtwCalendar  # the public holidays the legal terms skip
    clock: Clock  # what "now" means to every use case (a test gives a fixed one)
    http: httpx.AsyncClient  # the one client for the external registers and the zaaksysteem
    integrations: Integrations


def app_resources(connection: ASGIConnection[Any, Any, Any, Any]) -> AppResources:
    """The app's resources, from a request (or any connection) to it."""
    return app_resources_in(connection.app.state)


def app_resources_in(state: State) -> AppResources:
    """The app's resources, from its state (where the lifespan keeps them)."""
    held: AppResources = state.resources
    return held
