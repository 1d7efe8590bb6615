"""The shape of the library: its public names, its faces, and the one-way order between its rooms."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

import bibob
from tests.conftest import ROOT

LIBRARY = ROOT / "src" / "bibob"

# Which subpackage may import which (the arrows of DESIGN.md §2); the kernel modules beside them import none.
MAY_IMPORT: dict[str, frozenset[str]] = {
    "questionnaires": frozenset(),
    "terms": frozenset(),
    "matching": frozenset(),
    "clients": frozenset(),
    "policy": frozenset({"questionnaires", "terms"}),
    "applications": frozenset({"terms"}),
    "screening": frozenset({"policy", "questionnaires", "terms", "matching", "clients"}),
    "undermining": frozenset({"screening", "policy", "questionnaires", "terms", "matching", "clients"}),
    "letters": frozenset({"applications", "screening", "policy", "questionnaires", "terms", "matching", "clients"}),
}
KERNEL = "kernel"

PUBLIC_NAMES = [
    "Application",
    "ApplicationState",
    "Assessment",
    "AssessmentRequest",
    "BibobError",
    "Catalogue",
    "Completeness",
    "CompletenessStatus",
    "DangerLevel",
    "DecisionOutcome",
    "DefinitionError",
    "Ground",
    "InvalidInputError",
    "LegalAct",
    "NotFoundError",
    "PermitType",
    "Policy",
    "Problem",
    "ProportionalityRecord",
    "Questionnaire",
    "Recommendation",
    "RecommendationKind",
    "Track",
    "TransitionError",
    "UpstreamError",
    "answer_schema",
    "application_deadlines",
    "application_from_json",
    "application_to_json",
    "apply_event",
    "apply_selection",
    "assess",
    "check_completeness",
    "declaration_from_answers",
    "load_catalogue",
    "load_policy",
    "load_questionnaire",
    "parse_questionnaire",
    "request_from_json",
    "validate_answers",
]


def isort_order(names: list[str]) -> list[str]:
    """Constants, then classes, then functions, each alphabetically (ruff's RUF022 order)."""
    return sorted(names, key=lambda name: (0 if name.isupper() else 1 if name[0].isupper() else 2, name))


def room_of(path: Path) -> str:
    """The subpackage a module lives in, or the kernel for the modules beside them."""
    parts = path.relative_to(LIBRARY).parts
    return parts[0] if len(parts) > 1 and parts[0] in MAY_IMPORT else KERNEL


def imported_modules(tree: ast.Module) -> Iterator[tuple[ast.stmt, str]]:
    """Every bibob module an import statement names, with the statement."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node, alias.name) for alias in node.names if alias.name.startswith("bibob."))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bibob."):
            yield node, node.module


def wrong_way(path: Path, source: str | None = None) -> list[str]:
    """The imports of one module (or of `source` standing in its place) that run against the order or around a face."""
    room = room_of(path)
    allowed = frozenset() if room == KERNEL else MAY_IMPORT[room] | {room}
    problems = []
    for node, module in imported_modules(ast.parse(source or path.read_text("utf-8"))):
        parts = module.split(".")
        target = parts[1] if parts[1] in MAY_IMPORT else KERNEL
        if target in (KERNEL, room):
            continue
        where = f"{path.relative_to(ROOT)}:{node.lineno}"
        if target not in allowed:
            problems.append(f"{where}: {room} may not import {module} ({target} is not below {room})")
        elif any(part.startswith("_") for part in parts[2:]):
            problems.append(f"{where}: {module} is private to {target}; import it through bibob.{target}")
    return problems


LIBRARY_MODULES = sorted(p for p in LIBRARY.rglob("*.py") if p != LIBRARY / "__init__.py")


def test_the_top_level_names_are_pinned_and_sorted() -> None:
    assert bibob.__all__ == PUBLIC_NAMES
    assert bibob.__all__ == isort_order(bibob.__all__)
    assert all(hasattr(bibob, name) for name in bibob.__all__)


@pytest.mark.parametrize("room", sorted(MAY_IMPORT))
def test_every_subpackage_has_a_face_with_sorted_names_that_resolve(room: str) -> None:
    face = importlib.import_module(f"bibob.{room}")
    names = list(face.__all__)
    assert names, f"bibob.{room} exports nothing"
    assert names == isort_order(names)
    assert [name for name in names if not hasattr(face, name)] == []


@pytest.mark.parametrize("path", LIBRARY_MODULES, ids=lambda p: str(p.relative_to(LIBRARY)))
def test_imports_run_one_way_and_through_faces(path: Path) -> None:
    assert wrong_way(path) == []


@pytest.mark.parametrize("path", sorted(LIBRARY.rglob("*.py")), ids=lambda p: str(p.relative_to(LIBRARY)))
def test_no_module_imports_inside_a_function(path: Path) -> None:
    tree = ast.parse(path.read_text("utf-8"))
    late = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]
    top = [node.lineno for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    assert sorted(set(late) - set(top)) == []


def test_the_order_check_names_an_import_that_runs_the_wrong_way() -> None:
    module = LIBRARY / "terms" / "calendar.py"  # terms sits below screening
    source = module.read_text("utf-8") + "from bibob.screening import assess\n"
    assert wrong_way(module, source) == [
        f"src/bibob/terms/calendar.py:{source.count(chr(10))}: "
        "terms may not import bibob.screening (screening is not below terms)"
    ]


def test_the_order_check_names_an_import_around_a_face() -> None:
    module = LIBRARY / "undermining" / "evidence.py"
    source = module.read_text("utf-8") + "from bibob.screening._hidden import thing\n"
    (problem,) = wrong_way(module, source)
    assert problem.endswith("bibob.screening._hidden is private to screening; import it through bibob.screening")


def test_no_import_cycle_between_library_modules() -> None:
    graph = {name: set(targets) for name, targets in module_graph().items()}
    assert find_cycle(graph) is None


def module_graph() -> dict[str, set[str]]:
    """Module name → the bibob modules it imports at module level (a name that is a submodule counts as one)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(LIBRARY.rglob("*.py")):
        parts = path.relative_to(ROOT / "src").with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        targets: set[str] = set()
        for node in ast.parse(path.read_text("utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bibob"):
                for alias in node.names:
                    candidate = f"{node.module}.{alias.name}"
                    targets.add(candidate if module_exists(candidate) else node.module)
            elif isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names if alias.name.startswith("bibob")}
        graph[name] = targets - {name}
    return graph


def module_exists(name: str) -> bool:
    relative = Path(*name.split("."))
    return (ROOT / "src" / relative).with_suffix(".py").exists() or (ROOT / "src" / relative / "__init__.py").exists()


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle in `graph` as a list of names, or None."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done

    def visit(node: str, stack: list[str]) -> list[str] | None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target] if target in stack else [node, target]
            if target not in state and (found := visit(target, [*stack, target])) is not None:
                return found
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])) is not None:
            return found
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


SERVICE_MODULES = sorted((ROOT / "src" / "service").rglob("*.py"))


@pytest.mark.parametrize("path", SERVICE_MODULES, ids=lambda p: str(p.relative_to(ROOT / "src")))
def test_the_service_reaches_each_subpackage_through_its_face(path: Path) -> None:
    around = [
        f"{path.name}:{node.lineno}: {module}"
        for node, module in imported_modules(ast.parse(path.read_text("utf-8")))
        if module.split(".")[1] in MAY_IMPORT and module.count(".") > 1
    ]
    assert around == []
