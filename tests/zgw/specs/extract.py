"""Keep from an official ZGW OpenAPI file the request schemas bibob sends, with all they refer to, unchanged.

    python tests/zgw/specs/extract.py openapi.yaml zaken-1.5.1.json ZaakRequest StatusRequest …

The files in this folder were made this way; README.md says from where.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml


def referenced(schemas: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """The named schemas and, transitively, every schema they refer to by `#/components/schemas/…`."""
    kept: dict[str, Any] = {}
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in kept:
            continue
        kept[name] = schemas[name]
        todo += [ref.rsplit("/", 1)[-1] for ref in _refs(schemas[name])]
    return dict(sorted(kept.items()))


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        mapping = node.get("mapping") if isinstance(node.get("mapping"), dict) else {}
        return own + list(mapping.values()) + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


def main(source: str, target: str, *names: str) -> None:
    spec = yaml.safe_load(Path(source).read_text(encoding="utf-8"))
    kept = {"info": {"title": spec["info"]["title"], "version": spec["info"]["version"]},
            "components": {"schemas": referenced(spec["components"]["schemas"], list(names))}}  # fmt: skip
    Path(target).write_text(json.dumps(kept, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
