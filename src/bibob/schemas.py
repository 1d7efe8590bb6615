"""The shipped data folders and JSON Schemas: reading data files, listing every violation as a Problem in Dutch."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs

from bibob.exceptions import BibobError, DefinitionError, Problem

_PACKAGE = Path(__file__).resolve().parent


def data_dir(folder: str) -> Path:
    """Return the folder `folder` from the installed wheel, or from the source tree in development."""
    for candidate in (_PACKAGE / "_data" / folder, _PACKAGE.parents[1] / folder):
        if candidate.is_dir():
            return candidate
    raise BibobError(f"datamap '{folder}' niet gevonden bij het geïnstalleerde pakket")


def read_json(path: Path) -> object:
    """Read a JSON file, turning unreadable or malformed files into a DefinitionError."""
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        problem = Problem("", "malformedJson", f"geen geldige JSON: {error}", path.name)
        raise DefinitionError(path.name, [problem]) from None


@functools.cache
def _schema(schema_name: str) -> Any:
    return json.loads((data_dir("schemas") / schema_name).read_text(encoding="utf-8"))


@functools.cache
def _validator(schema_name: str) -> Any:
    validator_class = jsonschema.Draft202012Validator
    return validator_class(_schema(schema_name), format_checker=validator_class.FORMAT_CHECKER)


@functools.cache
def _fast_validator(schema_name: str) -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(_schema(schema_name), validate_formats=True)


def schema_problems(schema_name: str, document: object, source: str = "") -> tuple[Problem, ...]:
    """Every way `document` breaks `schemas/<schema_name>`, as Problems with Dutch messages.

    A valid document is recognised by jsonschema-rs (tens of times faster); only a document it rejects is
    walked by python-jsonschema, whose errors carry what the Dutch messages need.
    """
    try:
        if _fast_validator(schema_name).is_valid(document):
            return ()
    except ValueError:  # a value JSON cannot hold (a non-string key, bytes): let python-jsonschema judge it
        pass
    errors = _validator(schema_name).iter_errors(document)
    problems = dict.fromkeys(problem for error in errors for problem in _problems_of(error, source))
    return tuple(sorted(problems, key=lambda problem: problem.pointer))


def _pointer(path: Iterable[object]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _problems_of(error: Any, source: str) -> Iterator[Problem]:
    pointer, keyword = _pointer(error.absolute_path), str(error.validator)
    if keyword == "required":
        for name in error.validator_value:
            if name not in error.instance:
                yield Problem(f"{pointer}/{name}", "schema.required", "verplicht veld ontbreekt", source)
    elif keyword == "additionalProperties":
        known = error.schema.get("properties", {})
        for name in error.instance:
            if name not in known:
                yield Problem(f"{pointer}/{name}", "schema.unknownField", "onbekend veld", source)
    else:
        code = "schema.format" if keyword in ("format", "pattern") else f"schema.{keyword}"
        yield Problem(pointer, code, _message(keyword, error), source)


_TYPES = {
    "string": "tekst", "integer": "geheel getal", "number": "getal", "object": "object",
    "array": "lijst", "boolean": "ja/nee-waarde", "null": "leeg (null)",
}  # fmt: skip


_MESSAGES = {
    "minimum": "moet minstens {value} zijn",
    "maximum": "mag hoogstens {value} zijn",
    "minLength": "mag niet leeg zijn",
    "minItems": "moet minstens {value} element(en) bevatten",
    "maxItems": "mag hoogstens {value} element(en) bevatten",
}


def _message(keyword: str, error: Any) -> str:
    value = error.validator_value
    if keyword in ("format", "pattern"):
        expected = "datum JJJJ-MM-DD" if error.schema.get("format") == "date" else "geldig formaat"
        return f"ongeldige waarde, verwacht: {expected}"
    if keyword == "type":
        names = [value] if isinstance(value, str) else list(value)
        return "verwacht: " + " of ".join(_TYPES.get(name, name) for name in names)
    if keyword == "enum":
        return "onbekende waarde, toegestaan: " + ", ".join(map(str, value))
    template = _MESSAGES.get(keyword, "voldoet niet aan het schema (regel '{keyword}')")
    return template.format(value=value, keyword=keyword)
