"""The cases: members, subjects, requests, meetings, plan, driehoek, status, evidence, journal."""

from __future__ import annotations

from litestar.handlers import HTTPRouteHandler

CASE_HANDLERS: list[HTTPRouteHandler | type] = []
