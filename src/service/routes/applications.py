"""The applications: create, read, answers, attachments, assessments, lifecycle events, decisions, timeline."""

from __future__ import annotations

from litestar.handlers import HTTPRouteHandler

APPLICATION_HANDLERS: list[HTTPRouteHandler | type] = []
