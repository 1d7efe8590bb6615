"""Which of an application's declared subjects a consultation of the Bibob register names.

A consultation records, one line each, the persons and companies searched for, as the coordinator typed them
("P.J. Bakker", "Eetcafé De Gouden Leeuw (KvK 23456789)"), and one hit for all of them. The permit watch needs
the subjects' data to find their other permits, so each line is tied to the subjects the application declared; a
line that ties to none names nothing (a name alone is no subject to match on).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from bibob.matching import first_name_tokens, fold, organisation_name, split_surname
from bibob.parties import Organisation, Person
from bibob.undermining.evidence import ApplicationSubject

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def named_in_register(lines: Iterable[str], items: Iterable[ApplicationSubject]) -> tuple[ApplicationSubject, ...]:
    """The declared persons and organisations that any of `lines` names, in declared order, each once.

    A line names an organisation by its KvK number or RSIN, or by its name or a trade name as whole words (legal
    form, a leading article and punctuation aside); a person by their BSN, or by every part of the surname with
    the first of the first names or its initial ("P.J. Bakker"; without declared first names the surname is
    enough). Addresses are not searched in the register, so no line names one.
    """
    said = tuple(_Line(_words(line), tuple(organisation_name(line).split())) for line in lines if line.strip())
    return tuple(item for item in items if any(_names(line, item.subject) for line in said))


@attrs.frozen
class _Line:
    words: tuple[str, ...]  # folded words: 'P.J. Bakker' → ('p', 'j', 'bakker')
    as_organisation: tuple[str, ...]  # the words as an organisation's name compares them: no legal form


def _names(line: _Line, subject: object) -> bool:
    if isinstance(subject, Organisation):
        return _names_organisation(line, subject)
    if isinstance(subject, Person):
        return _names_person(line.words, subject)
    return False


def _names_organisation(line: _Line, organisation: Organisation) -> bool:
    if any(number and number in line.words for number in (organisation.kvk_number, organisation.rsin)):
        return True
    said = line.as_organisation
    names = (tuple(organisation_name(name).split()) for name in (organisation.name, *organisation.trade_names))
    return any(name and _contains(said, name) for name in names)


def _names_person(words: tuple[str, ...], person: Person) -> bool:
    if person.bsn and person.bsn in words:
        return True
    parts = split_surname(person.surname, person.prefix).parts
    if not parts or not all(part in words for part in parts):
        return False
    first = first_name_tokens(person.first_names)
    return not first or first[0] in words or first[0][0] in words


def _contains(words: tuple[str, ...], run: tuple[str, ...]) -> bool:
    """Whether `run` occurs in `words` as consecutive words."""
    return any(words[start : start + len(run)] == run for start in range(len(words) - len(run) + 1))


def _words(text: str) -> tuple[str, ...]:
    return tuple(_NOT_ALNUM.sub(" ", fold(text)).split())
