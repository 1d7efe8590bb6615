"""Logs a SIEM can read: one JSON object per line, each with the id of the request it belongs to.

The request id comes from a sane incoming `X-Request-ID` or is made here; it is answered in the same header, so a
user reporting a failure can quote it and an operator finds every line of that request. Log lines carry codes,
ids and exception class names — never personal data, request bodies, query strings or secrets.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import sys
import uuid
from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"
_HEADER_KEY = REQUEST_ID_HEADER.lower().encode("latin-1")
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")  # a UUID, a trace id, a load balancer's id; nothing that could be text
#: The request being handled in this context ("" outside a request: start-up, background loops).
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("bibob_request_id", default="")

# attributes every LogRecord has (and uvicorn's terminal copy); anything else came in as `extra=` and goes in the JSON
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}
_STANDARD |= {"color_message"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, message, requestId, and the record's `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "requestId": getattr(record, "request_id", "") or request_id.get(),
        }
        entry |= {key: value for key, value in vars(record).items() if key not in _STANDARD and not key.startswith("_")}
        if record.exc_info and record.exc_info[0] is not None:
            entry["exceptionClass"] = record.exc_info[0].__name__  # the class only: a message may hold values
        return json.dumps(entry, ensure_ascii=False, default=str)


def _with_request_id(factory: Any) -> Any:
    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = factory(*args, **kwargs)
        record.request_id = request_id.get()
        return record

    make.bibob_request_id = True  # type: ignore[attr-defined]
    return make


def install_record_factory() -> None:
    """Every record made from now on carries the current request id (`record.request_id`), whatever handler."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "bibob_request_id", False):
        logging.setLogRecordFactory(_with_request_id(current))


def configure_logging(level: int = logging.INFO) -> None:
    """JSON lines on standard error for the root logger, unless a handler was configured already (e.g. uvicorn)."""
    install_record_factory()
    root = logging.getLogger()
    if not any(getattr(handler, "bibob_json", False) for handler in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler.bibob_json = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)


#: uvicorn's logging as JSON lines too (`bibob serve`); uvicorn's access log is off: it prints query strings.
UVICORN_LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": JsonFormatter}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "root": {"handlers": ["stderr"], "level": "INFO"},
    "loggers": {
        "uvicorn": {"level": "INFO", "handlers": [], "propagate": True},
        "uvicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
        "uvicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    },
}


def accepted_request_id(incoming: str | None) -> str:
    """The caller's id when it is sane (8–64 of letters, digits and `._:-`), else a new random one."""
    if incoming is not None and _SANE_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    """ASGI middleware: sets the request id for everything the request logs and answers it in `X-Request-ID`."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        incoming = next((value for name, value in scope["headers"] if name == _HEADER_KEY), None)
        current = accepted_request_id(incoming.decode("latin-1") if incoming is not None else None)
        token = request_id.set(current)
        header = (_HEADER_KEY, current.encode("latin-1"))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*(h for h in message.get("headers", ()) if h[0] != _HEADER_KEY), header]
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)

    return middleware
