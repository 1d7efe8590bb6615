"""No handler has two dependencies Litestar would resolve side by side.

Litestar resolves a handler's dependencies in batches (those whose own dependencies are resolved); a batch of two or
more runs in a task group of its own, one task per dependency, on every request: that costs the event loop about a
third of its CPU per request (litestar-org/litestar#4563). So the dependencies a handler uses must form a chain, each
depending on the one before: one per batch. The app's resources are not dependencies (`service.resources`).
"""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar
from litestar.handlers import BaseRouteHandler

from service.app import create_app
from service.settings import Settings


def _used(handler: BaseRouteHandler) -> dict[str, set[str]]:
    """The dependencies the handler uses, directly or through another, each with the dependencies it names."""
    provided = handler.resolve_dependencies()
    used: dict[str, set[str]] = {}
    wanted = [name for name in handler.parsed_fn_signature.parameters if name in provided]
    while wanted:
        name = wanted.pop()
        if name not in used:
            used[name] = {own for own in provided[name].parsed_fn_signature.parameters if own in provided}
            wanted.extend(used[name])
    return used


def side_by_side(used: dict[str, set[str]]) -> list[set[str]]:
    """Litestar's batches (each holds what depends only on earlier ones) that hold more than one dependency."""
    batches, done, left = [], set[str](), dict(used)
    while left:
        batch = {name for name, own in left.items() if own <= done}
        batches.append(batch)
        done |= batch
        left = {name: own for name, own in left.items() if name not in batch}
    return [batch for batch in batches if len(batch) > 1]


def _handlers(app: Litestar) -> dict[str, BaseRouteHandler]:
    return {
        f"{method} {path}": handler
        for path, methods in app.route_handler_method_map.items()
        for method, handler in methods.items()
    }


def test_batches_are_found_as_litestar_makes_them() -> None:
    assert side_by_side({}) == []
    assert side_by_side({"principal": set()}) == []
    assert side_by_side({"a": set(), "b": {"a"}, "c": {"b"}}) == []  # a chain
    assert side_by_side({"principal": set(), "catalogue": set()}) == [{"principal", "catalogue"}]
    assert side_by_side({"a": set(), "b": {"a"}, "c": {"a"}}) == [{"b", "c"}]


def test_no_handler_of_the_api_or_the_pages_resolves_two_dependencies_side_by_side(tmp_path: Path) -> None:
    handlers = _handlers(create_app(Settings(database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}")))
    assert any(key.endswith(" /api/v1/me") for key in handlers) and any(key.endswith(" /") for key in handlers)
    batched = {key: side_by_side(_used(handler)) for key, handler in handlers.items()}
    assert {key: batches for key, batches in batched.items() if batches} == {}


def test_api_handlers_still_get_the_principal_and_pages_the_session_as_a_dependency(tmp_path: Path) -> None:
    handlers = _handlers(create_app(Settings(database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}")))
    assert set(_used(handlers["GET /api/v1/me"])) == {"principal"}
    assert set(_used(handlers["GET /"])) == {"signed_in"}
