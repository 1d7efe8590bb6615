"""The the audit log: read and verify, for the privacy officer."""

from __future__ import annotations

from litestar.handlers import HTTPRouteHandler

AUDIT_HANDLERS: list[HTTPRouteHandler | type] = []
