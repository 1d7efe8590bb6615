"""The questionnaires on offer: every variant in a folder, and municipal shortened selections of them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from bibob.exceptions import DefinitionError, NotFoundError, Problem
from bibob.questionnaires.model import Questionnaire
from bibob.questionnaires.parse import definition_problems, parse_questionnaire
from bibob.schemas import data_dir, read_json, schema_problems


@attrs.frozen
class Catalogue(Mapping[str, Questionnaire]):
    """Questionnaires by id, read-only."""

    by_id: Mapping[str, Questionnaire]

    def __getitem__(self, questionnaire_id: str) -> Questionnaire:
        try:
            return self.by_id[questionnaire_id]
        except KeyError:
            raise NotFoundError("vragenformulier", questionnaire_id) from None

    def get(self, questionnaire_id: str, default: Any = None) -> Any:
        """The questionnaire with this id, or `default`."""
        return self.by_id.get(questionnaire_id, default)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.by_id))

    def __len__(self) -> int:
        return len(self.by_id)


def apply_selection(base: Questionnaire, selection: Mapping[str, Any], source: str) -> Questionnaire:
    """The base questionnaire cut down to the kept official ids; refuses additions and alterations."""
    problems: list[Problem] = []
    wanted = selection["base"]
    if wanted["version"] != base.version:
        problems.append(
            Problem(
                "/base/version",
                "baseVersionMismatch",
                f"selectie is gemaakt voor versie {wanted['version']}, het formulier heeft versie {base.version}",
                source,
            )
        )
    asked = base.used_official_ids
    for index, official_id in enumerate(selection["keep"]):
        if official_id not in asked:
            problems.append(
                Problem(
                    f"/keep/{index}",
                    "notInBase",
                    f"vraag {official_id} staat niet in '{base.id}'; een selectie mag geen vragen toevoegen",
                    source,
                )
            )
    if problems:
        raise DefinitionError(source, problems)
    keep = frozenset(selection["keep"])
    sections = tuple(
        attrs.evolve(section, questions=kept)
        for section in base.sections
        if (kept := tuple(q for q in section.questions if q.official_id in keep))
    )
    shortened = attrs.evolve(
        base,
        id=selection["id"],
        version=selection["version"],
        title=selection["title"],
        description=selection.get("description", ""),
        sections=sections,
        base=f"{base.id}@{base.version}",
    )
    dangling = [attrs.evolve(p, source=source) for p in definition_problems(shortened)]
    if dangling:
        raise DefinitionError(source, dangling)
    return shortened


def load_selection(path: Path, bases: Mapping[str, Questionnaire]) -> Questionnaire:
    """Load a shortened selection file against the base questionnaires already loaded."""
    document = read_json(path)
    problems = list(schema_problems("selection.schema.json", document, path.name))
    if problems:
        raise DefinitionError(path.name, problems)
    assert isinstance(document, dict)
    base = bases.get(document["base"]["id"])
    if base is None:
        raise DefinitionError(
            path.name,
            [Problem("/base/id", "unknownBase", f"basisformulier '{document['base']['id']}' bestaat niet", path.name)],
        )
    return apply_selection(base, document, path.name)


def _collect(
    paths: list[Path], load: Callable[[Path], Questionnaire], found: dict[str, Questionnaire], problems: list[Problem]
) -> None:
    """Load each file into `found`, gathering every file's problems (and duplicate ids) into `problems`."""
    for path in paths:
        try:
            questionnaire = load(path)
        except DefinitionError as error:
            problems += error.problems
            continue
        if questionnaire.id in found:
            message = f"formulier-id '{questionnaire.id}' komt twee keer voor"
            problems.append(Problem("/id", "duplicateId", message, path.name))
        found[questionnaire.id] = questionnaire


def load_catalogue(folder: Path | None = None, selections: Path | None = None) -> Catalogue:
    """Every questionnaire in `folder` (default: the shipped ones) plus the selections in `selections`.

    Raises DefinitionError with the problems of every file that is invalid, not only the first.
    """
    folder = folder or data_dir("questionnaires")
    found: dict[str, Questionnaire] = {}
    problems: list[Problem] = []
    _collect(
        sorted(folder.glob("*.json")), lambda path: parse_questionnaire(read_json(path), path.name), found, problems
    )
    if selections is not None:
        _collect(sorted(selections.glob("*.json")), lambda path: load_selection(path, found), found, problems)
    if problems:
        raise DefinitionError(str(folder), problems)
    return Catalogue(found)
