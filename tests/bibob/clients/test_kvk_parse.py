"""The KvK JSON conventions: "yyyymmdd" dates, "Ja"/"Nee" booleans and legal form texts."""

from __future__ import annotations

import datetime as dt

import pytest

from bibob.clients import kvk, kvk_parse
from bibob.clients.kvk_parse import basic_profile, kvk_date, yes_no
from bibob.clients.kvk_values import legal_form_of
from bibob.exceptions import InvalidInputError
from bibob.parties import LegalForm
from tests.bibob.clients.kvk_samples import EENMANSZAAK


@pytest.mark.parametrize(("text", "day"), [
    ("20150622", dt.date(2015, 6, 22)), ("20150600", dt.date(2015, 6, 1)), ("19800000", dt.date(1980, 1, 1)),
    ("20151341", None), ("2015-06-22", None), (20150622, None), ("", None),
])  # fmt: skip
def test_kvk_dates_are_read_with_unknown_day_or_month_as_the_first(text: object, day: dt.date | None) -> None:
    assert kvk_date(text) == day


def test_ja_and_nee_are_booleans_and_anything_else_is_unknown() -> None:
    assert (yes_no("Ja"), yes_no("Nee"), yes_no("ja"), yes_no(""), yes_no(None)) == (True, False, True, None, None)


@pytest.mark.parametrize(("text", "form"), [
    ("BeslotenVennootschap", LegalForm.BV), ("BesloteVennootschap", LegalForm.BV),
    ("Besloten Vennootschap met gewone structuur", LegalForm.BV),
    ("NaamlozeVennootschap", LegalForm.NV), ("Eenmanszaak", LegalForm.EENMANSZAAK),
    ("VennootschapOnderFirma", LegalForm.VOF), ("CommanditaireVennootschap", LegalForm.CV),
    ("Maatschap", LegalForm.MAATSCHAP), ("Stichting", LegalForm.STICHTING), ("Coöperatie U.A.", LegalForm.COOPERATIE),
    ("Onderlinge Waarborgmaatschappij", LegalForm.OWM),
    ("Vereniging met volledige rechtsbevoegdheid", LegalForm.VERENIGING),
    ("Vereniging van Eigenaars", None), ("Kerkgenootschap", None), ("BuitenlandseRechtsvorm", LegalForm.FOREIGN),
    ("", None),
])  # fmt: skip
def test_register_legal_form_texts_map_to_our_legal_forms(text: str, form: LegalForm | None) -> None:
    assert legal_form_of(text) is form


def test_an_eenmanszaak_profile_has_no_rsin_and_starts_before_its_registration() -> None:
    profile = basic_profile(EENMANSZAAK)
    assert profile.owner is not None and profile.owner.rsin == ""
    assert profile.legal_form is LegalForm.EENMANSZAAK
    assert profile.registration.founded_on == dt.date(2017, 10, 1)
    assert profile.registration.is_active(dt.date(2026, 11, 1))
    assert profile.non_mailing is False


def test_a_profile_without_kvk_number_is_malformed() -> None:
    with pytest.raises(KeyError):
        basic_profile({"naam": "x"})


def test_a_postbus_keeps_its_number_and_letter_and_addition_stay_apart() -> None:
    """Synthetic bodies shaped after the Basisprofiel API documentation (no recorded answer has them)."""
    postbus, house = kvk_parse.register_addresses([
        {"type": "postadres", "postbusnummer": 1234, "postcode": "3830 AA", "plaats": "Leusden"},
        {"type": "bezoekadres", "straatnaam": "Dorpsstraat", "huisnummer": 7, "huisletter": "A",
         "huisnummerToevoeging": "2", "postcode": "3831AB", "plaats": "Leusden"},
    ])  # fmt: skip
    assert (postbus.po_box, postbus.address.street, postbus.address.house_number) == (1234, "Postbus", 1234)
    assert postbus.address.postcode == "3830AA"
    assert (house.house_letter, house.addition, house.po_box) == ("A", "2", None)
    assert house.address.house_number_addition == "A 2"


def test_a_branch_profile_keeps_the_rsin_and_the_statutory_name() -> None:
    branch = kvk_parse.branch({"vestigingsnummer": "000012345678", "kvkNummer": "90001354", "rsin": "992760562",
                               "statutaireNaam": "Grand Joyflex B.V.", "indNonMailing": "Nee"})  # fmt: skip
    assert (branch.rsin, branch.statutory_name, branch.non_mailing) == ("992760562", "Grand Joyflex B.V.", False)


def test_a_search_by_a_malformed_branch_number_is_refused_before_any_call() -> None:
    with pytest.raises(InvalidInputError) as caught:
        kvk.search_params(branch_number="12345")
    assert [p.code for p in caught.value.problems] == ["invalidBranchNumber"]
    assert kvk.search_params(branch_number="990000541921") == {"vestigingsnummer": "990000541921"}
