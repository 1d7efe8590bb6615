"""Logs a SIEM can read: JSON lines, each naming its request; a failing request's line and answer share one id."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import attrs
import pytest
from litestar.testing import TestClient

from service.app import create_app
from service.logs import REQUEST_ID_HEADER, JsonFormatter, accepted_request_id
from service.settings import Settings
from service.store.migrate import migrate


class _BrokenCatalogue:
    def __len__(self) -> int:
        raise RuntimeError("a secret value 123456782 that must not be logged")


def _lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(record)) for record in caplog.records]


def test_a_request_failing_with_500_is_logged_with_its_cause_class_and_the_request_id_it_answered(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    migrate(url)  # the readiness check passes the database and reaches the (broken) catalogue
    with TestClient(create_app(Settings(database_url=url))) as client:
        state = client.app.state
        state.resources = attrs.evolve(state.resources, catalogue=_BrokenCatalogue())
        caplog.clear()
        with caplog.at_level(logging.INFO):
            response = client.get("/api/v1/ready")
    assert response.status_code == 500
    request_id = response.headers[REQUEST_ID_HEADER]
    failed = [line for line in _lines(caplog) if line.get("event") == "request.failed"]
    assert len(failed) == 1
    assert failed[0]["requestId"] == request_id
    assert failed[0]["status"] == 500 and failed[0]["cause"] == "RuntimeError"
    assert failed[0]["route"] == "/api/v1/ready"
    assert "123456782" not in caplog.text  # the exception's message (it may hold values) is not logged


def test_a_request_failing_with_503_is_logged_with_the_callers_sane_request_id(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # a database that was never migrated: the token lookup fails in the store, which is a 503
    with TestClient(create_app(Settings(database_url=f"sqlite:///{tmp_path / 'empty.sqlite3'}"))) as client:
        caplog.clear()
        with caplog.at_level(logging.INFO):
            response = client.get(
                "/api/v1/me", headers={"Authorization": "Bearer bibob_abcdefgh", REQUEST_ID_HEADER: "trace-0001-abcd"}
            )
    assert response.status_code == 503
    assert response.headers[REQUEST_ID_HEADER] == "trace-0001-abcd"
    failed = [line for line in _lines(caplog) if line.get("event") == "request.failed"]
    assert [(line["requestId"], line["status"], line["cause"]) for line in failed] == [
        ("trace-0001-abcd", 503, "OperationalError")
    ]
    assert "api_tokens" not in caplog.text  # the driver's message names the statement: not logged


def test_every_response_carries_a_request_id_and_two_requests_get_different_ones(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}"))) as client:
        first = client.get("/api/v1/health").headers[REQUEST_ID_HEADER]
        second = client.get("/api/v1/health").headers[REQUEST_ID_HEADER]
    assert first and second and first != second


@pytest.mark.parametrize("incoming", ["", "short", "x" * 65, "has space in it", "naam=Jansen;bsn", "é" * 10])
def test_an_incoming_request_id_that_is_not_sane_is_replaced_by_a_new_one(incoming: str) -> None:
    made = accepted_request_id(incoming)
    assert made != incoming and len(made) == 32


def test_a_log_line_is_one_json_object_with_time_level_logger_message_and_extra_fields() -> None:
    record = logging.LogRecord("bibob.test", logging.WARNING, __file__, 1, "iets %s", ("gebeurd",), None)
    record.request_id = "req-12345678"
    record.event = "test.happened"
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "WARNING" and line["logger"] == "bibob.test" and line["message"] == "iets gebeurd"
    assert line["requestId"] == "req-12345678" and line["event"] == "test.happened"
    assert line["time"].endswith("+00:00")
