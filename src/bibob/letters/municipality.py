"""Reading a municipality's letter template (letters/<municipality>/municipality.json) over the standard texts."""

from __future__ import annotations

from pathlib import Path
from string import Template
from typing import Any

from bibob.exceptions import DefinitionError, Problem
from bibob.letters.model import Municipality, Signatory
from bibob.schemas import data_dir, read_json, schema_problems

MUNICIPALITY_FILE, TEXTS_FILE, DEFAULT_MUNICIPALITY = "municipality.json", "texts.json", "leusden"


def letters_dir() -> Path:
    """The shipped `letters/` folder: the standard texts and one folder per municipality."""
    return data_dir("letters")


def standard_texts(path: Path | None = None) -> dict[str, str]:
    """The standard letter texts (default: the shipped `letters/texts.json`), checked against their schema."""
    path = path or letters_dir() / TEXTS_FILE
    document: Any = read_json(path)
    problems = schema_problems("letter-texts.schema.json", document, path.name)
    if problems:
        raise DefinitionError(path.name, list(problems))
    return dict(document["texts"])


def load_municipality(folder: Path | str = DEFAULT_MUNICIPALITY, texts: dict[str, str] | None = None) -> Municipality:
    """The template in `folder` (a path, or the name of a shipped municipality) over the standard `texts`.

    Raises `DefinitionError` listing every problem: the schema's, an unknown text key, or a `$word` the standard
    text of that key does not offer.
    """
    path = Path(folder) if isinstance(folder, Path) else letters_dir() / folder
    source = f"{path.name}/{MUNICIPALITY_FILE}"
    document: Any = read_json(path / MUNICIPALITY_FILE)
    standard = texts if texts is not None else standard_texts()
    problems = schema_problems("municipality.schema.json", document, source) or _text_problems(
        document, standard, source
    )
    if problems:
        raise DefinitionError(source, list(problems))
    own = document.get("texts", {})
    signatory = Signatory(document["signatory"]["name"], document["signatory"]["function"])
    return Municipality(
        path.name, document["name"], document["body"], tuple(document["letterhead"]), tuple(document["address"]),
        document["contact"], signatory, document["objectionTo"], document["court"],
        tuple(sorted((standard | own).items())),
    )  # fmt: skip


def _text_problems(document: Any, standard: dict[str, str], source: str) -> tuple[Problem, ...]:
    """Own texts must replace a standard text and use only the words it fills in."""
    problems = []
    for key, text in document.get("texts", {}).items():
        pointer = "/texts/" + key.replace("~", "~0").replace("/", "~1")
        if key not in standard:
            problems.append(Problem(pointer, "letters.unknownText", "onbekende tekst; zie letters/texts.json", source))
            continue
        template = Template(text)
        if not template.is_valid():
            problems.append(Problem(pointer, "letters.badPlaceholder", "ongeldig gebruik van het dollarteken", source))
            continue
        unknown = sorted(set(template.get_identifiers()) - set(Template(standard[key]).get_identifiers()))
        if unknown:
            words = ", ".join(f"${word}" for word in unknown)
            problems.append(Problem(pointer, "letters.unknownPlaceholder", f"onbekend invulwoord {words}", source))
    return tuple(problems)
