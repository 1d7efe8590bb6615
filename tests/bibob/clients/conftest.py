"""Client tests: cassettes replay only (record_mode none) and never store keys or tokens; logs are captured."""

from __future__ import annotations

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
