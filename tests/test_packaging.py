"""Packaging: the wheel carries schemas and questionnaires, and the library stays free of the service."""

from __future__ import annotations

import ast
import functools
import os
import re
import subprocess
import sys
import tomllib
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


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A fresh venv with the built wheel (its `bin/`), and an environment lending it the test venv's dependencies."""
    tmp_path = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("bibob-*.whl")
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    pip = [target / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)]
    subprocess.run(pip, check=True)
    site = next(p for p in sys.path if p.endswith("site-packages"))  # dependencies come from the test venv
    return target / "bin", {**os.environ, "PYTHONPATH": site}


@pytest.mark.slow
def test_an_installed_wheel_finds_its_questionnaires_without_the_source_tree(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    bin_dir, env = installed
    script = (
        "import bibob, sys; "
        "assert bibob.__file__.startswith(sys.prefix), bibob.__file__; "
        "q = bibob.load_catalogue()['bibob-overige-beschikkingen']; "
        "print(q.id, len(q.question_ids), bibob.answer_schema(q)['$id'])"
    )
    result = subprocess.run(
        [bin_dir / "python", "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.split()[0] == "bibob-overige-beschikkingen"


SERVICE_ONLY = (
    "litestar",
    "uvicorn",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "jinja2",
    "argon2",
    "docx",
    "fpdf",
)
# the distributions the library's imports come from (rfc3339-validator is what jsonschema checks date-times with)
DISTRIBUTIONS = {"attrs": "attrs", "httpx": "httpx", "jsonschema": "jsonschema", "jsonschema_rs": "jsonschema-rs",
                 "rapidfuzz": "rapidfuzz", "stdnum": "python-stdnum", "jwt": "PyJWT", "msgspec": "msgspec"}  # fmt: skip
BLOCK_SERVICE = (
    "import sys\n"
    "class Block:\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    f"        if name.split('.')[0] in {SERVICE_ONLY!r}:\n"
    "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
    "sys.meta_path.insert(0, Block())\n"
)


def _run_without_service(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", BLOCK_SERVICE + code], capture_output=True, text=True, cwd=ROOT)


def test_the_whole_library_imports_and_assesses_without_the_service_dependencies() -> None:
    code = (
        "import importlib, pkgutil, bibob\n"
        "names = [m.name for m in pkgutil.walk_packages(bibob.__path__, 'bibob.')]\n"
        "for name in names: importlib.import_module(name)\n"
        "q = bibob.load_catalogue()['bibob-overige-beschikkingen']\n"
        "print(len(names), len(bibob.validate_answers(q, {})))\n"
    )
    result = _run_without_service(code)
    assert result.returncode == 0, result.stderr
    modules, problems = map(int, result.stdout.split())
    assert modules > 50
    assert problems > 0  # an empty answer document has problems: the library ran, not only imported


def test_the_blocker_really_hides_the_service_dependencies() -> None:
    result = _run_without_service("import service.app")
    assert result.returncode != 0
    assert "ModuleNotFoundError" in result.stderr


def test_the_library_declares_exactly_the_distributions_it_imports() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    declared = {re.split(r"[\[<>=!~ ]", requirement)[0] for requirement in project["dependencies"]}
    imported: set[str] = set()
    for path in (ROOT / "src" / "bibob").rglob("*.py"):
        imported |= {name for name in _imports(path) if name not in sys.stdlib_module_names and name != "bibob"}
    assert {DISTRIBUTIONS[name] for name in imported} | {"rfc3339-validator"} == declared
    service = {re.split(r"[\[<>=!~ ]", requirement)[0] for requirement in project["optional-dependencies"]["service"]}
    assert declared.isdisjoint(service)


def test_the_command_without_the_service_says_how_to_install_it() -> None:
    result = _run_without_service("import sys\nfrom service.entry import main\nsys.exit(main(['migrate']))")
    assert result.returncode == 2
    assert "pip install 'bibob[service]'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_the_installed_bibob_command_loads_the_demo_without_the_source_tree(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    bin_dir, env = installed
    env = {**env, "BIBOB_DATABASE_URL": f"sqlite:///{tmp_path / 'bibob.sqlite3'}"}
    where = "import service.demo as d, sys; assert d.DATA.is_relative_to(sys.prefix), d.DATA; print(d.DATA)"
    run = functools.partial(subprocess.run, cwd=tmp_path, capture_output=True, text=True, check=True, env=env)
    assert not Path(run([bin_dir / "python", "-c", where]).stdout.strip()).is_relative_to(ROOT)
    run([bin_dir / "bibob", "migrate"])
    first, second = run([bin_dir / "bibob", "demo", "--port", "8123"]).stdout, run([bin_dir / "bibob", "demo"]).stdout
    assert "25 aanvragen, 13 meldingen, 2 casussen met 4 bewijsstukken" in first
    assert "weigering LEU-2026-D15 gekoppeld aan casus LEU-C-01" in first
    assert "demo-vergunningverlener" in first and "http://127.0.0.1:8123/api/v1/cases" in first
    assert "niets dubbel toegevoegd" in second
