"""The municipality template the service writes letters with: BIBOB_LETTERS_TEMPLATE, a folder or a shipped name."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from bibob.letters import DEFAULT_MUNICIPALITY, Municipality, load_municipality

TEMPLATE_VARIABLE = "BIBOB_LETTERS_TEMPLATE"


@functools.cache
def _load(setting: str) -> Municipality:
    folder = Path(setting)
    return load_municipality(folder if folder.is_dir() else setting)


def municipality() -> Municipality:
    """The template named by BIBOB_LETTERS_TEMPLATE (default: the shipped demo municipality), read once per value."""
    return _load(os.environ.get(TEMPLATE_VARIABLE, DEFAULT_MUNICIPALITY))
