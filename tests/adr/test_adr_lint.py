"""The published OpenAPI document passes the official NL API Design Rules linter (Spectral, Logius rulesets)."""

from __future__ import annotations

import collections
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.figures import report
from tests.service.conftest import Client

HERE = Path(__file__).parent
SPECTRAL = HERE / "node_modules" / ".bin" / "spectral"
RULESETS = {"2.1.0": HERE / "ruleset-2.1.0.yaml", "2.2.0-rc.1": HERE / "ruleset-2.2.0-rc.1.yaml"}
# the one error allowed: the 2.1.0 ruleset accepts only OpenAPI 3.0; Logius fixed the rule since (README.md)
KNOWN = {"2.1.0": {"openapi3"}, "2.2.0-rc.1": set()}
ERROR = 0  # Spectral's severity numbers: 0 error, 1 warning, 2 info, 3 hint


def lint(ruleset: Path, document: Path) -> list[dict[str, Any]]:
    if not SPECTRAL.exists():
        pytest.fail("Spectral ontbreekt: draai `npm ci --prefix tests/adr` (make test doet dat)")
    done = subprocess.run(
        [str(SPECTRAL), "lint", "-r", str(ruleset), str(document), "-f", "json", "-q", "--fail-severity", "hint"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.stdout.strip().startswith("["), done.stderr
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


@pytest.mark.parametrize("version", sorted(RULESETS))
def test_the_published_document_has_no_errors_under_the_official_adr_ruleset(
    client: Client, tmp_path: Path, version: str
) -> None:
    document = tmp_path / "openapi.json"
    document.write_text(client.get("/api/v1/openapi.json").text, encoding="utf-8")
    results = lint(RULESETS[version], document)
    errors = [r for r in results if r["severity"] == ERROR and r["code"] not in KNOWN[version]]
    by_severity = collections.Counter(
        {0: "errors", 1: "warnings", 2: "infos", 3: "hints"}[r["severity"]] for r in results
    )
    rules = len(yaml.safe_load(RULESETS[version].read_text(encoding="utf-8"))["rules"])
    report(f"adr {version}", f"ruleset ADR {version} ({rules} rules + spectral:oas): {by_severity['errors']} errors "
           f"({len(errors)} outside the known exception), {by_severity['warnings']} warnings")  # fmt: skip
    assert errors == [], [(e["code"], e["path"], e["message"]) for e in errors]


def test_the_linter_finds_errors_in_a_document_that_breaks_the_rules(tmp_path: Path) -> None:
    document = tmp_path / "openapi.json"
    broken = {"openapi": "3.1.0", "info": {"title": "x", "version": "1"}, "servers": [{"url": "/api"}],
              "paths": {"/things/": {"get": {"responses": {"200": {"description": "ok"}}}}}}  # fmt: skip
    document.write_text(json.dumps(broken), encoding="utf-8")
    codes = {r["code"] for r in lint(RULESETS["2.2.0-rc.1"], document) if r["severity"] == ERROR}
    assert {"nlgov:missing-header", "nlgov:include-major-version-in-uri", "info-contact", "nlgov:semver"} <= codes
