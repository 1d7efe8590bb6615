"""The subject search and match review (POST …/_search: no BSN or KvK number in a URL)."""

from __future__ import annotations

from litestar.handlers import HTTPRouteHandler

SUBJECT_HANDLERS: list[HTTPRouteHandler | type] = []
