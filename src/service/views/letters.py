"""Letters on the wire: a stored letter's metadata, and the media type per file format."""

from __future__ import annotations

from typing import Any

from bibob.letters import LetterKind
from service.store.letters import StoredLetter

MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def letter_view(letter: StoredLetter) -> dict[str, Any]:
    """A stored letter as JSON: name, kind (with its Dutch label), hashes, who made it and when, the download links."""
    kind = LetterKind.parse(letter.kind)
    base = f"/api/v1/applications/{letter.application_id}/letters/{letter.id}"
    return {
        "id": letter.id,
        "applicationId": letter.application_id,
        "kind": letter.kind,
        "kindLabel": kind.label if kind else letter.kind,
        "name": letter.name,
        "sha256": {"docx": letter.docx_sha256, "pdf": letter.pdf_sha256},
        "createdBy": letter.created_by,
        "createdAt": letter.created_at.isoformat(),
        "document": dict(letter.document),
        "files": {name: f"{base}/{name}" for name in MEDIA_TYPES},
    }
