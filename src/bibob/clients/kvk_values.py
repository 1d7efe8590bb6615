"""What the KvK Handelsregister APIs answer, as frozen values (parsed by kvk_parse)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from bibob.parties import Address, LegalForm


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@attrs.frozen
class SbiActivity:
    """A business activity by its SBI code (Standaard Bedrijfsindeling), e.g. '5610' restaurants."""

    code: str
    description: str
    main: bool = False


@attrs.frozen
class RegisterAddress:
    """An address as the register gives it: its kind (bezoekadres, postadres) and whether it is shielded."""

    kind: str
    address: Address  # a postbus reads street "Postbus", house number its number
    full_text: str = ""
    shielded: bool = False
    house_letter: str = ""  # huisletter, as the register keeps it apart
    addition: str = ""  # huisnummerToevoeging
    po_box: int | None = None  # postbusnummer (a postadres)


@attrs.frozen
class Registration:
    """When a registration was made and when the business started and (if so) ended."""

    registered_on: dt.date | None = None  # formeleRegistratiedatum
    started_on: dt.date | None = None  # materieleRegistratie.datumAanvang
    ended_on: dt.date | None = None  # materieleRegistratie.datumEinde

    @property
    def founded_on(self) -> dt.date | None:
        """The earliest known start: the start of the business, or else its formal registration."""
        known = [day for day in (self.started_on, self.registered_on) if day is not None]
        return min(known) if known else None

    def is_active(self, on: dt.date) -> bool:
        """Whether the registration is current on `on` (not uitgeschreven)."""
        return self.ended_on is None or self.ended_on > on


@attrs.frozen
class Branch:
    """A vestiging: the hoofdvestiging of a basisprofiel, or a vestigingsprofiel."""

    branch_number: str
    kvk_number: str = ""
    first_trade_name: str = ""
    trade_names: tuple[str, ...] = ()
    is_main: bool | None = None
    is_commercial: bool | None = None
    registration: Registration = Registration()
    addresses: tuple[RegisterAddress, ...] = ()
    sbi_activities: tuple[SbiActivity, ...] = ()
    employees: int | None = None
    rsin: str = ""  # of the legal person the branch belongs to (none for an eenmanszaak)
    statutory_name: str = ""  # statutaireNaam of that legal person
    non_mailing: bool | None = None
    raw: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False, converter=_frozen)

    @property
    def visiting_address(self) -> RegisterAddress | None:
        """The bezoekadres, or else the first address given."""
        return next((a for a in self.addresses if a.kind == "bezoekadres"), next(iter(self.addresses), None))


@attrs.frozen
class Owner:
    """The eigenaar of a registration: the legal person (or the natural person of an eenmanszaak)."""

    rsin: str = ""
    legal_form_text: str = ""  # rechtsvorm, e.g. "BesloteVennootschap"
    extended_legal_form_text: str = ""  # uitgebreideRechtsvorm, e.g. "Besloten Vennootschap"
    addresses: tuple[RegisterAddress, ...] = ()

    @property
    def legal_form(self) -> LegalForm | None:
        """The legal form in our vocabulary, when the register's text maps to one."""
        return legal_form_of(self.extended_legal_form_text) or legal_form_of(self.legal_form_text)


@attrs.frozen
class BasicProfile:
    """A basisprofiel (Basisprofiel API v1) with its eigenaar and hoofdvestiging embedded."""

    kvk_number: str
    name: str
    statutory_name: str = ""
    trade_names: tuple[str, ...] = ()
    registration: Registration = Registration()
    sbi_activities: tuple[SbiActivity, ...] = ()
    employees: int | None = None
    non_mailing: bool | None = None
    owner: Owner | None = None
    main_branch: Branch | None = None
    raw: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False, converter=_frozen)

    @property
    def legal_form(self) -> LegalForm | None:
        """The legal form of the owner, when known and mappable."""
        return self.owner.legal_form if self.owner else None

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the register knows: name, statutory name and trade names, once each."""
        return tuple(dict.fromkeys(n for n in (self.name, self.statutory_name, *self.trade_names) if n))

    @property
    def business_address(self) -> RegisterAddress | None:
        """The bezoekadres of the hoofdvestiging, or else the owner's first address."""
        if self.main_branch and self.main_branch.visiting_address:
            return self.main_branch.visiting_address
        return next(iter(self.owner.addresses), None) if self.owner else None


@attrs.frozen
class SearchResult:
    """One hit of Zoeken v2: a rechtspersoon, hoofdvestiging or nevenvestiging."""

    kvk_number: str
    name: str
    type: str  # hoofdvestiging, nevenvestiging, rechtspersoon
    rsin: str = ""
    branch_number: str = ""
    address: Address | None = None
    active: bool | None = None


@attrs.frozen
class SearchPage:
    """One page of Zoeken v2 results; an empty page when nothing matched."""

    page: int
    per_page: int
    total: int
    results: tuple[SearchResult, ...] = ()


# --- legal forms ----------------------------------------------------------------------------------------

_LEGAL_FORMS = (  # folded text fragment → legal form; the first match wins, so specific before general
    ("onderlingewaarborgmaatschappij", LegalForm.OWM),
    ("verenigingvaneigenaars", None),
    ("kerkgenootschap", None),
    ("buitenlandse", LegalForm.FOREIGN),
    ("eenmanszaak", LegalForm.EENMANSZAAK),
    ("beslote", LegalForm.BV),
    ("naamloze", LegalForm.NV),
    ("vennootschaponderfirma", LegalForm.VOF),
    ("commanditairevennootschap", LegalForm.CV),
    ("maatschap", LegalForm.MAATSCHAP),
    ("stichting", LegalForm.STICHTING),
    ("cooperatie", LegalForm.COOPERATIE),
    ("vereniging", LegalForm.VERENIGING),
)
_NOT_LETTERS = re.compile(r"[^a-z]")


def legal_form_of(text: str) -> LegalForm | None:
    """Our LegalForm for the register's rechtsvorm text ('BesloteVennootschap', 'Coöperatie U.A.'), or None."""
    folded = _NOT_LETTERS.sub("", text.casefold().replace("ö", "o"))
    return next((form for fragment, form in _LEGAL_FORMS if fragment in folded), None) if folded else None
