"""How a person or organisation stands to the applicant (Wet Bibob art. 3 lid 4): kind, period, shown or not."""

from __future__ import annotations

import datetime as dt

import attrs

from bibob.labels import LabelledEnum
from bibob.parties import Organisation, Party, Period, Person, RelationType, Role
from bibob.screening.declaration import Declaration


class RelationKind(LabelledEnum):
    """What ties a party to the applicant, strongest first; the last three are no relation in art. 3(4)."""

    SELF = "self", "de betrokkene zelf"
    DIRECTOR = "director", "bestuurder of leidinggevende"
    PARTNER = "partner", "vennoot"
    UBO = "ubo", "uiteindelijk belanghebbende"
    SHAREHOLDER = "shareholder", "aandeelhouder"
    DE_FACTO_MANAGER = "deFactoManager", "feitelijk leidinggevende (niet op het formulier)"
    FINANCIER = "financier", "financier (vermogensverschaffer)"
    BUSINESS_ASSOCIATE = "businessAssociate", "zakelijk samenwerkingsverband"
    LESSOR = "lessor", "verhuurder"
    SELLER = "seller", "verkoper van de onderneming"
    EMPLOYEE = "employee", "werknemer"
    FAMILY = "family", "familielid zonder aangetoonde zakelijke band"
    ALLEGED = "alleged", "relatie gesteld, niet aangetoond"
    NONE = "none", "geen relatie gebleken"

    @property
    def relation_type(self) -> RelationType:
        """The art. 3(4) relation this kind amounts to; family, alleged and none are no shown relation."""
        return _RELATION_TYPE[self]

    @property
    def shown(self) -> bool:
        """Whether the relation is one the law counts (art. 3(4)): family ties or an allegation are not."""
        return self.relation_type is not RelationType.NOT_SHOWN


_RELATION_TYPE = {
    RelationKind.SELF: RelationType.SELF,
    RelationKind.DIRECTOR: RelationType.MANAGER,
    RelationKind.DE_FACTO_MANAGER: RelationType.MANAGER,
    RelationKind.PARTNER: RelationType.CONTROLLER,
    RelationKind.UBO: RelationType.CONTROLLER,
    RelationKind.SHAREHOLDER: RelationType.CONTROLLER,
    RelationKind.FINANCIER: RelationType.FINANCIER,
    RelationKind.BUSINESS_ASSOCIATE: RelationType.BUSINESS_ASSOCIATE,
    RelationKind.LESSOR: RelationType.BUSINESS_ASSOCIATE,
    RelationKind.SELLER: RelationType.BUSINESS_ASSOCIATE,
    RelationKind.EMPLOYEE: RelationType.BUSINESS_ASSOCIATE,
    RelationKind.FAMILY: RelationType.NOT_SHOWN,
    RelationKind.ALLEGED: RelationType.NOT_SHOWN,
    RelationKind.NONE: RelationType.NOT_SHOWN,
}
#: The relation a role on the form amounts to; a fiscal partner is family unless a business tie is shown.
ROLE_KIND = {
    Role.SUBJECT: RelationKind.SELF,
    Role.OWNER: RelationKind.SELF,
    Role.PARTNER: RelationKind.PARTNER,
    Role.DIRECTOR: RelationKind.DIRECTOR,
    Role.ULTIMATE_MANAGER: RelationKind.DIRECTOR,
    Role.SHAREHOLDER: RelationKind.SHAREHOLDER,
    Role.ULTIMATE_OWNER: RelationKind.UBO,
    Role.ULTIMATE_BENEFICIARY: RelationKind.UBO,
    Role.FISCAL_PARTNER: RelationKind.FAMILY,
    Role.FINANCIER: RelationKind.FINANCIER,
    Role.PREMISES_LESSOR: RelationKind.LESSOR,
    Role.INVENTORY_LESSOR: RelationKind.LESSOR,
    Role.GAMING_MACHINE_OPERATOR: RelationKind.BUSINESS_ASSOCIATE,
    Role.CLIENT: RelationKind.BUSINESS_ASSOCIATE,
    Role.CONTRACTOR: RelationKind.BUSINESS_ASSOCIATE,
    Role.AUTHORISED_REPRESENTATIVE: RelationKind.BUSINESS_ASSOCIATE,
}
_ORDER = tuple(RelationKind)


@attrs.frozen
class Relation:
    """A party's relation to the applicant with its period; past relations count too ('had', 'heeft gestaan')."""

    kind: RelationKind
    period: Period = attrs.field(factory=Period)
    indirect: bool = False  # through another organisation (an owner of a financier finances indirectly)
    on_form: bool = True  # named on the questionnaire; de facto control found later is not
    description: str = ""

    @property
    def shown(self) -> bool:
        """Whether the relation is shown (art. 3(4)), as opposed to family ties or an allegation."""
        return self.kind.shown

    def ended(self, on: dt.date) -> bool:
        """Whether the relation had ended before `on` (it weighs less and points to conditions)."""
        return self.period.end is not None and self.period.end < on

    def describe(self, on: dt.date) -> str:
        """A Dutch description: 'bestuurder (indirect), beëindigd op 2025-03-01'."""
        parts = [self.kind.label + (" (indirect)" if self.indirect else "")]
        if not self.on_form and self.kind.shown:
            parts.append("niet opgegeven op het formulier")
        if self.ended(on):
            assert self.period.end is not None
            parts.append(f"beëindigd op {self.period.end.isoformat()}")
        return ", ".join(parts)


def same_party(first: Party | None, second: Party | None) -> bool:
    """Whether two mentions name the same party: by BSN or KvK number when both have one, else by name."""
    if isinstance(first, Person) and isinstance(second, Person):
        if first.bsn and second.bsn:
            return first.bsn == second.bsn
        if first.date_of_birth and second.date_of_birth and first.date_of_birth != second.date_of_birth:
            return False
        return _same_name(first, second)
    if isinstance(first, Organisation) and isinstance(second, Organisation):
        if first.kvk_number and second.kvk_number:
            return first.kvk_number == second.kvk_number
        return first.name.casefold().strip() == second.name.casefold().strip() and bool(first.name.strip())
    return False


def _same_name(first: Person, second: Person) -> bool:
    def words(text: str) -> str:
        return " ".join(text.casefold().split())

    if not first.surname or words(f"{first.prefix} {first.surname}") != words(f"{second.prefix} {second.surname}"):
        return False
    return not (first.first_names and second.first_names) or words(first.first_names) == words(second.first_names)


def declared_relation(declaration: Declaration, party: Party | None) -> Relation | None:
    """The strongest relation the answers give `party` (its role on the form), or None when it is not named."""
    if party is None:
        return None
    if same_party(party, declaration.subject):
        return Relation(RelationKind.SELF)
    found = [
        Relation(ROLE_KIND[i.via] if i.via is not None else ROLE_KIND[i.role], i.period, indirect=i.via is not None)
        for i in declaration.involvements
        if same_party(i.party, party)
    ]
    return min(found, key=lambda relation: _ORDER.index(relation.kind), default=None)
