"""Subjects normalised once for comparison (an index keeps them), and their stable keys."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from typing import Any, TypeAlias

import attrs

from bibob.identifiers import normalise_bsn, normalise_kvk, normalise_postcode, normalise_rsin
from bibob.matching.normalise import (
    Surname,
    first_name_tokens,
    normalise_addition,
    organisation_name,
    split_surname,
    street_name,
    words,
)
from bibob.parties import Address, Organisation, Person

Subject: TypeAlias = Person | Organisation | Address


@attrs.frozen
class AddressProfile:
    """An address normalised: postcode, number, addition (normalised and as written), street, city."""

    postcode: str
    number: int | None
    addition: str
    addition_raw: str
    street: str
    city: str

    @property
    def display(self) -> str:
        """Postcode, number and addition as written, for an explanation (made when asked: an index holds many)."""
        return " ".join(f"{self.postcode} {self.number or ''} {self.addition_raw}".split())


@attrs.frozen
class PersonProfile:
    """A person normalised: valid BSN, split surname, first-name tokens, birth date, address."""

    bsn: str | None
    surname: Surname
    first: tuple[str, ...]
    first_display: str
    dob: dt.date | None
    address: AddressProfile | None


@attrs.frozen
class OrganisationProfile:
    """An organisation normalised: valid KvK number and RSIN, names, address."""

    kvk: str | None
    rsin: str | None
    names: tuple[str, ...]  # normalised name first, then trade names
    display: str
    address: AddressProfile | None


Profile: TypeAlias = PersonProfile | OrganisationProfile | AddressProfile


def profile_of(subject: Subject) -> Profile:
    """The subject normalised for comparison (made once for a subject that comes back, e.g. a kept dossier's)."""
    try:
        return _profile(subject)
    except TypeError:  # a subject with an unhashable part (not made by the readers) is normalised every time
        return _profile_of(subject)


def _profile_of(subject: Subject) -> Profile:
    if isinstance(subject, Person):
        return _person_profile(subject)
    if isinstance(subject, Organisation):
        return _organisation_profile(subject)
    return _address_profile(subject)


# Names, streets and cities come back again and again: the parts of profiles made from the same text are made once
# and shared (they are frozen), so an index of a million subjects holds each distinct name once.
_CACHED = 1 << 16
#: Subjects whose profile and key are kept: those of the dossiers a lookup compares come back lookup after lookup.
_SUBJECTS_CACHED = 1 << 14
_profile = functools.lru_cache(maxsize=_SUBJECTS_CACHED)(_profile_of)


@functools.lru_cache(maxsize=_CACHED)
def _spaced(text: str) -> str:
    return " ".join(text.split())


@functools.lru_cache(maxsize=_CACHED)
def _city(text: str) -> str:
    return " ".join(words(text))


_street = functools.lru_cache(maxsize=_CACHED)(street_name)
_addition = functools.lru_cache(maxsize=_CACHED)(normalise_addition)
_surname = functools.lru_cache(maxsize=_CACHED)(split_surname)


def _kept(normalised: str | None, given: str) -> str | None:
    """The normalised text, as the very string given when that was normalised already (an index holds one copy)."""
    return given if normalised == given else normalised


def _address_profile(address: Address) -> AddressProfile:
    dutch = address.country.upper() in ("NL", "")
    normalised = _kept(normalise_postcode(address.postcode), address.postcode) if dutch else None
    postcode = normalised or "".join(words(address.postcode or "")).upper()
    number = address.house_number if isinstance(address.house_number, int) else None
    addition = address.house_number_addition or ""
    return AddressProfile(
        postcode, number, _addition(addition), addition, _street(address.street or ""), _city(address.city or "")
    )


def _person_profile(person: Person) -> PersonProfile:
    return PersonProfile(
        bsn=_kept(normalise_bsn(person.bsn), person.bsn) if person.bsn else None,
        surname=_surname(person.surname or "", person.prefix or ""),
        first=first_name_tokens(person.first_names or ""),
        first_display=_spaced(person.first_names or ""),
        dob=person.date_of_birth if isinstance(person.date_of_birth, dt.date) else None,
        address=_address_profile(person.address) if person.address else None,
    )


def _organisation_profile(organisation: Organisation) -> OrganisationProfile:
    names = map(organisation_name, (organisation.name or "", *organisation.trade_names))
    return OrganisationProfile(
        kvk=_kept(normalise_kvk(organisation.kvk_number), organisation.kvk_number) if organisation.kvk_number else None,
        rsin=_kept(normalise_rsin(organisation.rsin), organisation.rsin) if organisation.rsin else None,
        names=tuple(dict.fromkeys(name for name in names if name)),
        display=_kept(" ".join((organisation.name or "").split()), organisation.name) or "",
        address=_address_profile(organisation.address) if organisation.address else None,
    )


def subject_key(subject: Subject) -> str:
    """A stable key for a subject without caller id: a hash of its identifying fields, no BSN."""
    try:
        return _subject_key(subject)
    except TypeError:  # unhashable: see `profile_of`
        return _key_of(subject)


def _key_of(subject: Subject) -> str:
    fields: tuple[Any, ...]
    if isinstance(subject, Person):
        bsn = normalise_bsn(subject.bsn) or ""
        fields = ("person", subject.surname, subject.prefix, subject.first_names, subject.date_of_birth, bsn)
    elif isinstance(subject, Organisation):
        kvk, rsin = normalise_kvk(subject.kvk_number) or "", normalise_rsin(subject.rsin) or ""
        fields = ("organisation", subject.name, kvk, rsin)
    else:
        address = _address_profile(subject)
        fields = ("address", address.postcode, str(address.number or ""), address.addition)
    digest = hashlib.sha256(repr(fields).encode()).hexdigest()[:20]
    return f"{fields[0]}:{digest}"


_subject_key = functools.lru_cache(maxsize=_SUBJECTS_CACHED)(_key_of)
