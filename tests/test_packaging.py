"""Packaging: the wheel carries schemas and questionnaires, and the library stays free of the service."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT

FORBIDDEN = ("litestar", "sqlalchemy", "alembic", "service", "uvicorn")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "src" / "bibob").rglob("*.py")), ids=lambda p: p.name)
def test_the_library_never_imports_the_service_or_its_frameworks(path: Path) -> None:
    assert _imports(path).isdisjoint(FORBIDDEN)


@pytest.mark.slow
def test_an_installed_wheel_finds_its_questionnaires_without_the_source_tree(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("bibob-*.whl")
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)], check=True)
    site = next(p for p in sys.path if p.endswith("site-packages"))  # dependencies come from the test venv
    script = (
        "import bibob, sys; "
        "assert bibob.__file__.startswith(sys.prefix), bibob.__file__; "
        "q = bibob.load_catalogue()['bibob-overige-beschikkingen']; "
        "print(q.id, len(q.question_ids), bibob.answer_schema(q)['$id'])"
    )
    result = subprocess.run(
        [python, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": site},
    )
    assert result.stdout.split()[0] == "bibob-overige-beschikkingen"
