"""Client tests: cassettes replay only (record_mode none) and never store keys or tokens; logs are captured."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

FILTERED = "DUMMY"


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    """Replay only; `--vcr-record=all` overrides the mode when re-recording against a test environment."""
    return {
        "record_mode": "none",
        "filter_headers": [("apikey", FILTERED), ("authorization", FILTERED)],
        "match_on": ("method", "scheme", "host", "port", "path", "query"),
        "decode_compressed_response": True,
    }


@pytest.fixture
def capture(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every log record, at every level."""
    caplog.set_level(logging.DEBUG)
    return caplog


def same_json_body(recorded: Any, sent: Any) -> None:
    """vcrpy matcher: the request bodies are the same JSON (key order and spacing aside); raises when not."""

    def parsed(request: Any) -> Any:
        body = request.body
        if not body:
            return None
        return json.loads(body.decode() if isinstance(body, bytes) else body)

    assert parsed(recorded) == parsed(sent), "the request body differs from the recorded one"


@pytest.fixture(scope="module")
def vcr(vcr: Any) -> Any:
    """pytest-vcr's VCR with the `json_body` matcher, for cassettes whose request bodies must match too."""
    vcr.register_matcher("json_body", same_json_body)
    return vcr
