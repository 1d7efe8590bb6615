"""Who and what a signal or case is about: persons, organisations, addresses and vehicles."""

from __future__ import annotations

import re

import attrs

from bibob.matching import Subject
from bibob.parties import Address, Organisation, Person

_NOT_PLATE = re.compile(r"[^A-Z0-9]")


def normalise_plate(text: str) -> str:
    """A licence plate without dashes or spaces, upper case: '12-ABC-3' → '12ABC3'."""
    return _NOT_PLATE.sub("", text.upper())


@attrs.frozen
class Vehicle:
    """A vehicle by its licence plate (kenteken), normalised, with an optional description."""

    licence_plate: str = attrs.field(converter=normalise_plate)
    description: str = ""


@attrs.frozen
class Subjects:
    """The persons, organisations, addresses and vehicles a signal or case concerns."""

    persons: tuple[Person, ...] = ()
    organisations: tuple[Organisation, ...] = ()
    addresses: tuple[Address, ...] = ()
    vehicles: tuple[Vehicle, ...] = ()

    @property
    def matchable(self) -> tuple[Subject, ...]:
        """The subjects subject matching compares: persons, organisations and addresses."""
        return (*self.persons, *self.organisations, *self.addresses)

    def __bool__(self) -> bool:
        return bool(self.matchable or self.vehicles)

    def merged(self, other: Subjects) -> Subjects:
        """Both sets of subjects, each subject once, in order of first appearance."""
        return Subjects(
            tuple(dict.fromkeys((*self.persons, *other.persons))),
            tuple(dict.fromkeys((*self.organisations, *other.organisations))),
            tuple(dict.fromkeys((*self.addresses, *other.addresses))),
            tuple(dict.fromkeys((*self.vehicles, *other.vehicles))),
        )
