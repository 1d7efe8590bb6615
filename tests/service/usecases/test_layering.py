"""The use cases stay free of the web framework: the JSON API and the pages both call them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_packaging import _imports

USECASES = ROOT / "src" / "service" / "usecases"


@pytest.mark.parametrize("path", sorted(USECASES.rglob("*.py")), ids=lambda p: p.name)
def test_no_use_case_module_imports_litestar(path: Path) -> None:
    assert "litestar" not in _imports(path)


def test_importing_every_use_case_loads_no_litestar_at_all() -> None:
    modules = sorted(f"service.usecases.{p.stem}" for p in USECASES.glob("*.py") if p.stem != "__init__")
    loaded = "sorted(name for name in sys.modules if name.startswith('litestar'))"
    script = f"import sys; import {', '.join(modules)}; print({loaded})"
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT, env=_path_env()
    )

    assert found.stdout.strip() == "[]"


def _path_env() -> dict[str, str]:
    """The modules found as the test run finds them (this checkout's src first when PYTHONPATH says so)."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
