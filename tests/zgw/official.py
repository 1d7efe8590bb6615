"""The official ZGW request schemas (tests/zgw/specs, from Open Zaak) as JSON Schema validators.

The specifications are OpenAPI 3.0: `nullable` becomes a null type and a `discriminator` becomes if/then per
mapped value, so that a body is checked against exactly the variant its discriminating field names.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path
from typing import Any

import jsonschema

SPECS = Path(__file__).parent / "specs"
FILES = {
    "zaken": "zaken-1.5.1.json",
    "besluiten": "besluiten-1.1.0.json",
    "documenten": "documenten-1.4.2.json",
    "notificaties": "notificaties-1.0.0.json",
}
# (method, the path after the API root) → (API, request schema)
OPERATIONS: tuple[tuple[str, re.Pattern[str], str, str], ...] = tuple(
    (method, re.compile(pattern), api, schema)
    for method, pattern, api, schema in (
        ("POST", r"/zaken/api/v1/zaken$", "zaken", "ZaakRequest"),
        ("PATCH", r"/zaken/api/v1/zaken/[^/]+$", "zaken", "PatchedZaakRequest"),
        ("POST", r"/zaken/api/v1/statussen$", "zaken", "StatusRequest"),
        ("POST", r"/zaken/api/v1/rollen$", "zaken", "RolRequest"),
        ("POST", r"/zaken/api/v1/zaakobjecten$", "zaken", "ZaakObjectRequest"),
        ("POST", r"/zaken/api/v1/resultaten$", "zaken", "ResultaatRequest"),
        ("POST", r"/zaken/api/v1/zaakinformatieobjecten$", "zaken", "ZaakInformatieObjectRequest"),
        ("POST", r"/besluiten/api/v1/besluiten$", "besluiten", "BesluitRequest"),
        ("POST", r"/documenten/api/v1/enkelvoudiginformatieobjecten$", "documenten",
         "EnkelvoudigInformatieObjectCreateLockRequest"),
        ("POST", r"/notificaties/api/v1/abonnement$", "notificaties", "Abonnement"),
    )
)  # fmt: skip


def _as_json_schema(node: Any) -> Any:
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _as_json_schema(value) for key, value in node.items()}
    discriminator = out.pop("discriminator", None)
    if isinstance(discriminator, dict) and "mapping" in discriminator and "oneOf" in out:
        field, mapping = discriminator["propertyName"], discriminator["mapping"]
        del out["oneOf"]
        out["required"] = sorted({*out.get("required", []), field})
        out["properties"] = {**out.get("properties", {}), field: {"enum": sorted(mapping)}}
        out["allOf"] = [
            {"if": {"properties": {field: {"const": value}}}, "then": {"$ref": ref}} for value, ref in mapping.items()
        ]
    if out.pop("nullable", False):
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


@functools.cache
def _spec(api: str) -> dict[str, Any]:
    raw: dict[str, Any] = json.loads((SPECS / FILES[api]).read_text(encoding="utf-8"))
    converted: dict[str, Any] = _as_json_schema(copy.deepcopy(raw))
    return converted


def version(api: str) -> str:
    return str(_spec(api)["info"]["version"])


def schema_for(method: str, path: str) -> tuple[str, str] | None:
    """(API, request schema name) of a request, None for one without a body of its own (GET)."""
    for wanted, pattern, api, schema in OPERATIONS:
        if method == wanted and pattern.search(path):
            return api, schema
    return None


def problems(api: str, schema: str, body: Any) -> list[str]:
    """Every way `body` breaks the official request schema, as 'pointer: message'."""
    spec = _spec(api)
    validator = jsonschema.Draft202012Validator(
        {"$ref": f"#/components/schemas/{schema}", "components": spec["components"]},
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    found = []
    for error in validator.iter_errors(body):
        found.append(f"/{'/'.join(map(str, error.absolute_path))}: {error.message}")
        found += [f"  {sub.message}" for sub in (error.context or [])][:3]
    return found
