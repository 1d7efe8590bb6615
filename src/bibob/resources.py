"""Where the shipped data folders (schemas, questionnaires, calendars, policies) live."""

from __future__ import annotations

from pathlib import Path

from bibob.exceptions import BibobError

_PACKAGE = Path(__file__).resolve().parent


def data_dir(folder: str) -> Path:
    """Return the folder `folder` from the installed wheel, or from the source tree in development."""
    for candidate in (_PACKAGE / "_data" / folder, _PACKAGE.parents[1] / folder):
        if candidate.is_dir():
            return candidate
    raise BibobError(f"datamap '{folder}' niet gevonden bij het geïnstalleerde pakket")
