"""The signals: intake, weighing decisions, the inbox."""

from __future__ import annotations

from litestar.handlers import HTTPRouteHandler

SIGNAL_HANDLERS: list[HTTPRouteHandler | type] = []
