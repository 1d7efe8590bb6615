"""The real service on a free port (uvicorn in a subprocess, a temporary migrated SQLite file, one account per
role) and Debian's Chromium driven by Playwright, with axe-core ready on every page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.auth import Role
from service.store import accounts
from service.store.engine import create_engine_for
from service.store.migrate import migrate
from tests.conftest import ROOT

CHROMIUM = Path(os.environ.get("BIBOB_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(__file__).parent / "screenshots"
PASSWORD = "een-lang-genoeg-wachtwoord"
LAPTOP = {"width": 1280, "height": 800}
TABLET = {"width": 768, "height": 1024}


def _why_not() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does"
    if not _has_playwright():
        return "the Python package playwright is missing (pip install -e '.[dev]')"
    return None


def _has_playwright() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    reason = _why_not()
    if reason:
        for item in items:
            if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
                item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="package")
def service_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The service's database (migrated, one account per role): tests may seed it through the use cases."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'bibob.sqlite3'}"
    migrate(url)
    engine = create_engine_for(url)
    with engine.begin() as conn:
        for role in Role:
            accounts.create_user(conn, f"{role.value}-1", role, PASSWORD)
    engine.dispose()
    return url


@pytest.fixture(scope="package")
def service(service_database: str) -> Iterator[str]:
    """The base URL of the service running in its own process; stopped at the end of the session."""
    url = service_database
    port = _free_port()
    env = {**os.environ, "BIBOB_DATABASE_URL": url, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    command = [sys.executable, "-m", "uvicorn", "--factory", "service.app:create_app", "--port", str(port)]
    process = subprocess.Popen([*command, "--host", "127.0.0.1", "--log-level", "warning"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_ready(base: str, process: subprocess.Popen[bytes], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the service stopped at start-up (exit status {process.returncode})")
        try:
            if httpx.get(f"{base}/api/v1/ready", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the service did not become ready in time")


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, service: str) -> Iterator[Any]:
    """A fresh laptop-sized tab (no cookies) with axe-core injected; console errors (CSP violations) fail the test."""
    context = browser.new_context(base_url=service, viewport=LAPTOP, locale="nl-NL")
    context.add_init_script(path=str(AXE))  # through the DevTools protocol: the page's CSP stays as it is
    tab = context.new_page()
    errors: list[str] = []

    def on_console(message: Any) -> None:
        # a page's own status (a 404 page, a refused form) is logged as a failed load: the responses say the rest
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def on_response(response: Any) -> None:
        if response.request.resource_type != "document" and response.status >= 400:
            errors.append(f"{response.status} for {response.url}")

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("response", on_response)
    yield tab
    context.close()
    assert errors == [], errors


@pytest.fixture
def page_without_javascript(browser: Any, service: str) -> Iterator[Any]:
    context = browser.new_context(base_url=service, viewport=LAPTOP, java_script_enabled=False)
    yield context.new_page()
    context.close()
