"""Who needs a module of their own: partners, ultimate owners and ultimate managers named in section 1."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs

from bibob.exceptions import Problem
from bibob.questionnaires.caching import identity_first
from bibob.questionnaires.model import Questionnaire, Section
from bibob.questionnaires.walk import AnswerWalk, Located, entries, module_instances, walk

PersonKey = tuple[str, str]

# which roles in section 1 put a natural person on the roster of a module (domain.md §3.3, §3.6)
DIRECT_ROLES = {
    "partner": frozenset({"partner"}),
    "ultimateOwner": frozenset({"ultimateOwner", "shareholder"}),
    "ultimateManager": frozenset({"ultimateManager", "director"}),
}
CHAIN_ROLES = {
    "partner": frozenset(),
    "ultimateOwner": frozenset({"shareholder", "partner"}),
    "ultimateManager": frozenset(),
}


def person_key(value: object) -> PersonKey | None:
    """Surname (with prefix, case-folded) and date of birth of a natural person, or None."""
    if not isinstance(value, dict) or value.get("kind", "person") != "person":
        return None
    surname, prefix, born = value.get("surname"), value.get("prefix", ""), value.get("dateOfBirth")
    if not isinstance(surname, str) or not isinstance(prefix, str) or not isinstance(born, str):
        return None
    return " ".join(f"{prefix} {surname}".split()).casefold(), born


def _chain_persons(value: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    """Natural persons at the ends of an organisation's ownership chain."""
    if not isinstance(value, dict):
        return
    if value.get("kind") != "organisation":
        yield pointer, value
        return
    owners = value.get("owners")
    for index, owner in enumerate(owners if isinstance(owners, list) else []):
        yield from _chain_persons(owner, f"{pointer}/owners/{index}")


def rosters(flat: Sequence[Located]) -> dict[str, dict[PersonKey, str]]:
    """For each module kind, the persons who need one, with the pointer where section 1 names them."""
    found: dict[str, dict[PersonKey, str]] = {per: {} for per in DIRECT_ROLES}
    for located in flat:
        role = located.question.role
        if role is None:
            continue
        for pointer, value in entries(located):
            for per, roster_ in found.items():
                for where, person in _candidates(role, per, pointer, value):
                    key = person_key(person)
                    if key is not None:
                        roster_.setdefault(key, where)
    return found


def _candidates(role: str, per: str, pointer: str, value: Any) -> Iterator[tuple[str, Any]]:
    """The natural persons an answer in `role` puts on the roster of module kind `per`."""
    if role in CHAIN_ROLES[per] and isinstance(value, dict) and value.get("kind") == "organisation":
        yield from _chain_persons(value, pointer)
    elif role in DIRECT_ROLES[per]:
        yield pointer, value


@identity_first(8)
def walk_rosters(walked: AnswerWalk) -> dict[str, dict[PersonKey, str]]:
    """The rosters of one walk, computed once however many module sections ask for them."""
    return rosters(walked.flat)


def roster(flat: Sequence[Located], per: str) -> dict[PersonKey, str]:
    """The persons who need a module of kind `per`, each with the pointer where section 1 names them."""
    return rosters(flat)[per]


def expected_modules(questionnaire: Questionnaire, walked: AnswerWalk, section: Section) -> dict[PersonKey, str]:
    """The roster of a module section, minus persons covered by the modules it names."""
    assert section.repeat is not None
    all_rosters = walk_rosters(walked)
    expected = dict(all_rosters[section.repeat.per])
    for covered_id in section.repeat.exclude_covered_by:
        covered = questionnaire.section(covered_id)
        if covered.repeat is not None and questionnaire.applies(covered, walked.answers):
            for key in all_rosters[covered.repeat.per]:
                expected.pop(key, None)
    return expected


def module_problems(questionnaire: Questionnaire, walked: AnswerWalk) -> list[Problem]:
    """A module per person on the roster, and no module for a person who is not on it."""
    problems: list[Problem] = []
    for section in questionnaire.modules:
        if questionnaire.applies(section, walked.answers):
            problems += _section_roster_problems(questionnaire, walked, section)
    return problems


def _section_roster_problems(questionnaire: Questionnaire, walked: AnswerWalk, section: Section) -> list[Problem]:
    assert section.repeat is not None
    expected = expected_modules(questionnaire, walked, section)
    given: set[PersonKey] = set()
    problems: list[Problem] = []
    for pointer, instance in module_instances(walked.document, section):
        key = person_key(instance.get(section.repeat.subject_question))
        if key is None:
            continue
        given.add(key)
        if key not in expected:
            problems.append(
                Problem(
                    f"{pointer}/{section.repeat.subject_question}",
                    "moduleUnexpected",
                    f"Deze persoon staat in vraag 1 niet genoemd als {section.title.split(' (')[0].lower()}; "
                    "controleer de naam en geboortedatum.",
                )
            )
    for key, where in expected.items():
        if key not in given:
            problems.append(
                Problem(
                    f"/modules/{section.id}",
                    "moduleMissing",
                    f"Module {section.id} ({section.title.split(' (')[0].lower()}) ontbreekt voor de persoon "
                    f"genoemd bij {where}.",
                )
            )
    return problems


def subject_problems(walked: AnswerWalk) -> list[Problem]:
    """A bv or a foreign legal person must name at least one shareholder or ultimate owner."""
    located = walked.flat
    if any(item.question.role in ("shareholder", "ultimateOwner") and item.value for item in located):
        return []
    problems: list[Problem] = []
    for item in located:
        value = item.value
        if item.question.concept != "subjectOrganisation" or not isinstance(value, dict):
            continue
        if value.get("legalForm") in ("bv", "foreign"):
            problems.append(
                Problem(
                    item.pointer,
                    "noUltimateOwner",
                    "Vermeld de aandeelhouders en uiteindelijk zeggenschaphebbenden van deze rechtspersoon, "
                    "tot aan de natuurlijke personen.",
                )
            )
    return problems


@attrs.frozen
class ModulePerson:
    """A person who needs a module of their own: the module section, where section 1 names them, and the pointer of
    the module instance given for them (None while it is missing)."""

    section_id: str
    named_at: str
    module: str | None


def module_roster(questionnaire: Questionnaire, document: Mapping[str, Any]) -> tuple[ModulePerson, ...]:
    """Per module section that applies, every person on its roster (in the order section 1 names them), each with
    the module instance given for them, if any (matched on name and date of birth, as the completeness does)."""
    walked = walk(questionnaire, document, relevant_only=True)
    found: list[ModulePerson] = []
    for section in questionnaire.modules:
        if section.repeat is None or not questionnaire.applies(section, walked.answers):
            continue
        given: dict[PersonKey, str] = {}
        for pointer, instance in module_instances(walked.document, section):
            key = person_key(instance.get(section.repeat.subject_question))
            if key is not None:
                given.setdefault(key, pointer)
        expected = expected_modules(questionnaire, walked, section)
        found += [ModulePerson(section.id, where, given.get(key)) for key, where in expected.items()]
    return tuple(found)
