"""Open Formulieren's Generic JSON registration on the wire: a submission mapped onto a questionnaire's answers.

A submission (`values`, `values_schema`, `metadata`, `metadata_schema`; files in `values` as
`{"file_name", "content"}` with the content in base64) is turned into an answer document through a mapping file
a municipality edits (`intake/open-formulieren/*.json`): in its `answers` template, a text that starts with `/`
is a JSON pointer into `values`, anything else is copied as it is, and what the submission lacks is left out.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import mimetypes
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from bibob.exceptions import InvalidInputError, Problem
from service.views.inputs import json_object

SUBMISSION_FIELDS = ("values", "values_schema", "metadata", "metadata_schema")
MAPPING_FIELDS = ("$comment", "title", "questionnaireId", "permitType", "legalAct", "answers", "attachments")
REFERENCE = re.compile(r"[A-Za-z0-9._-]{1,32}")  # Open Formulieren's public reference, e.g. OF-7YK3ZA
MAPPING_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024


@attrs.frozen
class FormMapping:
    """One municipality's mapping of one form onto a questionnaire."""

    id: str
    title: str
    questionnaire_id: str
    permit_type: str
    legal_act: str
    answers: Mapping[str, Any]
    attachments: Mapping[str, Mapping[str, str]]


@attrs.frozen
class Intake:
    """What a submission becomes: the application's fields, its answer document and its attachments' metadata."""

    reference: str
    application_id: str
    received: dt.date
    fields: dict[str, Any]  # the body of a new application (permitType, legalAct, received, questionnaireId, id)
    answers: dict[str, Any]  # the answer document, without its questionnaire reference
    attachments: list[dict[str, Any]]


def load_mapping(folder: Path, mapping_id: str) -> FormMapping:
    """The mapping `mapping_id` from `folder`; a NotFound-like LookupError when there is none."""
    path = folder / f"{mapping_id}.json"
    if not MAPPING_ID.fullmatch(mapping_id) or not path.is_file():
        raise LookupError(mapping_id)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        message = "het koppelbestand is geen geldige JSON"
        raise InvalidInputError([Problem(f"/{mapping_id}", "invalidMapping", message)]) from None
    data = json_object(raw, MAPPING_FIELDS, ("questionnaireId", "permitType", "legalAct", "answers"))
    attachments = data.get("attachments", {})
    if not isinstance(data["answers"], dict) or not isinstance(attachments, dict):
        raise InvalidInputError([Problem("/answers", "schema.type", "answers en attachments zijn objecten")])
    return FormMapping(mapping_id, str(data.get("title", mapping_id)), str(data["questionnaireId"]),
                    str(data["permitType"]), str(data["legalAct"]), data["answers"], attachments)  # fmt: skip


def mapping_problems(folder: Path, known_questionnaires: set[str], permit_types: set[str]) -> list[Problem]:
    """Every mapping file in `folder` that cannot be read or names an unknown questionnaire or permit type."""
    problems = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            mapping = load_mapping(folder, path.stem)
        except (LookupError, InvalidInputError):
            problems.append(Problem(str(path.name), "invalidMapping", "geen geldig koppelbestand (JSON met answers)"))
            continue
        if mapping.questionnaire_id not in known_questionnaires:
            problems.append(
                Problem(path.name, "unknownQuestionnaire", f"onbekend vragenformulier '{mapping.questionnaire_id}'")
            )
        if mapping.permit_type not in permit_types:
            problems.append(Problem(path.name, "unknownPermitType", f"onbekend vergunningtype '{mapping.permit_type}'"))
    return problems


def intake_of(mapping: FormMapping, body: object, today: dt.date) -> Intake:
    """The application, answers and attachments of a submission; every problem at once, nothing half-made."""
    data = json_object(body, SUBMISSION_FIELDS, ("values", "metadata"))
    values, metadata = data["values"], data["metadata"]
    problems = []
    if not isinstance(values, dict):
        problems.append(Problem("/values", "schema.type", "values is een object"))
    if not isinstance(metadata, dict):
        problems.append(Problem("/metadata", "schema.type", "metadata is een object"))
    reference = metadata.get("public_reference") if isinstance(metadata, dict) else None
    if not isinstance(reference, str) or not REFERENCE.fullmatch(reference):
        problems.append(Problem("/metadata/public_reference", "required", "het kenmerk van de inzending ontbreekt"))
    if problems:
        raise InvalidInputError(problems)
    assert isinstance(values, dict) and isinstance(metadata, dict) and isinstance(reference, str)
    received = _received(metadata.get("registration_timestamp"), today)
    attachments = [
        attachment
        for pointer, spec in mapping.attachments.items()
        for attachment in _attachments(values, pointer, spec, problems)
    ]
    if problems:
        raise InvalidInputError(problems)
    application_id = f"of-{reference}"
    fields = {"id": application_id, "permitType": mapping.permit_type, "legalAct": mapping.legal_act,
              "received": received.isoformat(), "questionnaireId": mapping.questionnaire_id}  # fmt: skip
    filled = _filled(mapping.answers, values)
    answers = {"answeredOn": received.isoformat(), "answers": {} if filled is _MISSING else filled}
    return Intake(reference, application_id, received, fields, answers, attachments)


_MISSING = object()


def _filled(template: Any, values: Mapping[str, Any]) -> Any:
    """The template with each `/pointer` replaced by the value it points at; what is missing is left out."""
    if isinstance(template, str) and template.startswith("/"):
        return _resolve(values, template)
    if isinstance(template, dict):
        filled = {key: _filled(value, values) for key, value in template.items()}
        kept = {key: value for key, value in filled.items() if value is not _MISSING}
        return kept if any(_filled_from_values(template[key]) for key in kept) else _MISSING
    if isinstance(template, list):
        return [item for item in (_filled(value, values) for value in template) if item is not _MISSING]
    return template


def _filled_from_values(template: Any) -> bool:
    """Whether a template part reads the submission (an object of literals alone is no answer)."""
    if isinstance(template, str):
        return template.startswith("/")
    if isinstance(template, dict):
        return any(_filled_from_values(value) for value in template.values())
    if isinstance(template, list):
        return any(_filled_from_values(value) for value in template)
    return False


def _resolve(document: Any, pointer: str) -> Any:
    """RFC 6901: the value at `pointer`, or _MISSING (also for an empty text or null, as a form leaves them)."""
    current = document
    for token in pointer.split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(current, dict) and key in current:
            current = current[key]
        elif isinstance(current, list) and key.isdigit() and int(key) < len(current):
            current = current[int(key)]
        else:
            return _MISSING
    return _MISSING if current in ("", None) else current


def _received(value: object, today: dt.date) -> dt.date:
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
        except ValueError:
            pass
    return today


def _attachments(
    values: Mapping[str, Any], pointer: str, spec: Mapping[str, str], problems: list[Problem]
) -> list[dict[str, Any]]:
    """The metadata of the files at `pointer` (one file, or a list of them): name, type, size, SHA-256, kind."""
    found = _resolve(values, pointer)
    files = [] if found is _MISSING else found if isinstance(found, list) else [found]
    made = []
    for position, item in enumerate(files):
        where = f"/values{pointer}" + (f"/{position}" if isinstance(found, list) else "")
        content = item.get("content") if isinstance(item, dict) else None
        name = item.get("file_name") if isinstance(item, dict) else None
        try:
            data = base64.b64decode(content, validate=True) if isinstance(content, str) else None
        except (binascii.Error, ValueError):
            data = None
        if data is None or not isinstance(name, str) or not name or len(data) > MAX_ATTACHMENT_BYTES:
            problems.append(Problem(where, "invalidFile", "een bestand heeft file_name en content (base64)"))
            continue
        safe_name = re.sub(r"[\x00-\x1f/\\]", "_", name)[:200]
        media_type = mimetypes.guess_type(safe_name)[0] or "application/octet-stream"
        made.append({"fileName": safe_name, "mediaType": media_type, "size": len(data),
                     "sha256": hashlib.sha256(data).hexdigest(), "kind": spec.get("kind", ""),
                     "pointer": spec.get("pointer", "")})  # fmt: skip
    return [{key: value for key, value in item.items() if value != ""} for item in made]


def intake_view(application_id: str, version: int, created: bool, completeness: str) -> dict[str, Any]:
    """The answer to Open Formulieren: which application, and whether this delivery made it."""
    return {"applicationId": application_id, "version": version, "created": created, "completeness": completeness}
