"""Which declared subjects a consultation of the Bibob register names: by number, by name, never by address."""

from __future__ import annotations

import datetime as dt

import pytest

from bibob.parties import Address, LegalForm, Organisation, Person
from bibob.undermining import ApplicationSubject, named_in_register

PREMISES = Address("Hamersveldseweg", 12, "", "3833GP", "Leusden")
BV = ApplicationSubject(
    Organisation(
        "Eetcafé Het Hoekje B.V.", LegalForm.BV, ("Het Hoekje",), kvk_number="23456789", rsin="800123451",
        address=PREMISES,
    ),
    "betrokkene",
)  # fmt: skip
DIRECTOR = ApplicationSubject(
    Person("Bakker", "Pieter Jan", date_of_birth=dt.date(1975, 9, 2), bsn="123456782"), "bestuurder"
)
SHAREHOLDER = ApplicationSubject(Person("Wit", "Anna", prefix="de"), "aandeelhouder")
NAMELESS = ApplicationSubject(Person("Vos"), "financier")  # no first names declared
LANDLORD = ApplicationSubject(Organisation("Vastgoed Heiligenbergerbeek B.V.", LegalForm.BV), "verhuurder pand")
ADDRESS = ApplicationSubject(PREMISES, "adres van de inrichting")
DECLARED = (BV, DIRECTOR, SHAREHOLDER, NAMELESS, LANDLORD, ADDRESS)


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("KvK 23456789", BV),
        ("RSIN: 800123451", BV),
        ("Eetcafé Het Hoekje BV", BV),
        ("het hoekje", BV),  # a trade name, whatever the case
        ("Vastgoed Heiligenbergerbeek", LANDLORD),  # the legal form left out
        ("P.J. Bakker", DIRECTOR),
        ("Pieter Bakker (1975)", DIRECTOR),
        ("BSN 123456782", DIRECTOR),
        ("A. de Wit", SHAREHOLDER),
        ("Vos", NAMELESS),  # no first names declared: the surname is all there is
    ],
)
def test_a_line_names_a_declared_subject_by_its_number_or_its_name(line: str, named: ApplicationSubject) -> None:
    assert named_in_register([line], DECLARED) == (named,)


@pytest.mark.parametrize(
    "line",
    [
        "J. Bakker",  # another initial: someone else called Bakker
        "Bakker",  # first names are declared, the line gives none
        "Hamersveldseweg 12, Leusden",  # addresses are not searched in the register
        "Hoekjesweg 3",  # part of a word is no name
        "KvK 2345678",  # not the number
        "",
        "   ",
        "-- ? --",
    ],
)
def test_a_line_that_names_no_declared_subject_names_nothing(line: str) -> None:
    assert named_in_register([line], DECLARED) == ()


def test_the_subjects_named_come_once_each_in_declared_order() -> None:
    lines = ["A. de Wit", "KvK 23456789", "Het Hoekje", "P.J. Bakker"]

    assert named_in_register(lines, DECLARED) == (BV, DIRECTOR, SHAREHOLDER)
    assert named_in_register(lines, ()) == ()
    assert named_in_register([], DECLARED) == ()
