"""Persons, organisations, addresses and the roles and relations that tie them to an application."""

from __future__ import annotations

import datetime as dt

import attrs

from bibob.labels import LabelledEnum


class LegalForm(LabelledEnum):
    """Rechtsvorm of an organisation (or of the applicant when it is a natural person)."""

    NATURAL_PERSON = "naturalPerson", "natuurlijk persoon"
    EENMANSZAAK = "eenmanszaak", "eenmanszaak"
    VOF = "vof", "vennootschap onder firma"
    CV = "cv", "commanditaire vennootschap"
    MAATSCHAP = "maatschap", "maatschap"
    BV = "bv", "besloten vennootschap"
    NV = "nv", "naamloze vennootschap"
    STICHTING = "stichting", "stichting"
    VERENIGING = "vereniging", "vereniging"
    COOPERATIE = "cooperatie", "coöperatie"
    OWM = "owm", "onderlinge waarborgmaatschappij"
    FOREIGN = "foreign", "buitenlandse rechtsvorm"


class RelationType(LabelledEnum):
    """How a party relates to the subject, Wet Bibob art. 3(4)."""

    SELF = "self", "betrokkene zelf"
    MANAGER = "manager", "leidinggevende"
    CONTROLLER = "controller", "zeggenschaphebbende"
    FINANCIER = "financier", "vermogensverschaffer"
    BUSINESS_ASSOCIATE = "businessAssociate", "zakelijk samenwerkingsverband"
    NOT_SHOWN = "notShown", "relatie met de betrokkene niet aangetoond"


class Role(LabelledEnum):
    """The role a party has in the application, as the questionnaire names it."""

    SUBJECT = "subject", "betrokkene"
    OWNER = "owner", "eigenaar eenmanszaak"
    PARTNER = "partner", "vennoot"
    DIRECTOR = "director", "bestuurder"
    SHAREHOLDER = "shareholder", "aandeelhouder"
    ULTIMATE_OWNER = "ultimateOwner", "uiteindelijk zeggenschaphebbende"
    ULTIMATE_MANAGER = "ultimateManager", "uiteindelijk leidinggevende"
    ULTIMATE_BENEFICIARY = "ultimateBeneficiary", "uiteindelijk begunstigde"
    FISCAL_PARTNER = "fiscalPartner", "fiscaal partner"
    FINANCIER = "financier", "financier"
    PREMISES_LESSOR = "premisesLessor", "verhuurder pand"
    INVENTORY_LESSOR = "inventoryLessor", "verhuurder inventaris"
    GAMING_MACHINE_OPERATOR = "gamingMachineOperator", "plaatser speelautomaten"
    CLIENT = "client", "opdrachtgever"
    CONTRACTOR = "contractor", "aannemer"
    AUTHORISED_REPRESENTATIVE = "authorisedRepresentative", "gemachtigde"


ROLE_RELATION: dict[Role, RelationType] = {
    Role.SUBJECT: RelationType.SELF,
    Role.OWNER: RelationType.SELF,
    Role.PARTNER: RelationType.CONTROLLER,
    Role.DIRECTOR: RelationType.MANAGER,
    Role.SHAREHOLDER: RelationType.CONTROLLER,
    Role.ULTIMATE_OWNER: RelationType.CONTROLLER,
    Role.ULTIMATE_MANAGER: RelationType.MANAGER,
    Role.ULTIMATE_BENEFICIARY: RelationType.CONTROLLER,
    Role.FISCAL_PARTNER: RelationType.BUSINESS_ASSOCIATE,
    Role.FINANCIER: RelationType.FINANCIER,
    Role.PREMISES_LESSOR: RelationType.BUSINESS_ASSOCIATE,
    Role.INVENTORY_LESSOR: RelationType.BUSINESS_ASSOCIATE,
    Role.GAMING_MACHINE_OPERATOR: RelationType.BUSINESS_ASSOCIATE,
    Role.CLIENT: RelationType.BUSINESS_ASSOCIATE,
    Role.CONTRACTOR: RelationType.BUSINESS_ASSOCIATE,
    Role.AUTHORISED_REPRESENTATIVE: RelationType.BUSINESS_ASSOCIATE,
}


@attrs.frozen
class Address:
    """A postal address; `postcode` is normalised ('1234AB') for Dutch addresses."""

    street: str = ""
    house_number: int | None = None
    house_number_addition: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "NL"


@attrs.frozen
class Period:
    """A closed or open period; `end` None means the period is still running."""

    start: dt.date | None = None
    end: dt.date | None = None

    def is_current(self, on: dt.date) -> bool:
        """Whether the period covers `on` (an open end counts as current)."""
        return (self.start is None or self.start <= on) and (self.end is None or self.end >= on)


@attrs.frozen
class Person:
    """A natural person as declared; identifiers are normalised, unknown values empty."""

    surname: str
    first_names: str = ""
    prefix: str = ""  # tussenvoegsel: van, de, van der, …
    date_of_birth: dt.date | None = None
    place_of_birth: str = ""
    bsn: str = ""
    address: Address | None = None
    nationality: str = ""

    @property
    def display_name(self) -> str:
        """The name as a Dutch letter would write it: first names, prefix, surname."""
        return " ".join(part for part in (self.first_names, self.prefix, self.surname) if part)


@attrs.frozen
class Organisation:
    """A legal person or business as declared; `kvk_number`/`rsin` normalised when Dutch."""

    name: str
    legal_form: LegalForm | None = None
    trade_names: tuple[str, ...] = ()
    kvk_number: str = ""
    rsin: str = ""
    country: str = "NL"
    address: Address | None = None
    founded_on: dt.date | None = None

    @property
    def is_foreign(self) -> bool:
        """Whether the organisation is registered outside the Netherlands."""
        return self.country.upper() != "NL" or self.legal_form is LegalForm.FOREIGN


Party = Person | Organisation


@attrs.frozen
class Involvement:
    """A party's role in an application, with its period and where the answers say so."""

    party: Party
    role: Role
    pointer: str
    period: Period = Period()
    via: Role | None = None  # the role of the party this one owns (directly or further up), when not the subject's

    @property
    def relation(self) -> RelationType:
        """The art. 3(4) relation type that this role amounts to.

        An owner of a financier finances the subject indirectly; it does not control the subject.
        """
        if self.via is not None and ROLE_RELATION[self.via] not in (RelationType.SELF, RelationType.CONTROLLER):
            return ROLE_RELATION[self.via]
        return ROLE_RELATION[self.role]
