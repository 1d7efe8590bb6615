"""What an application declares, as domain values: who is involved, how it is financed, what went before."""

from __future__ import annotations

import datetime as dt

import attrs

from bibob.labels import LabelledEnum
from bibob.parties import Address, Involvement, Organisation, Party, Period, Person


class AntecedentKind(LabelledEnum):
    """What kind of earlier event the answers declare (questions 2I–2L and their module twins)."""

    CRIMINAL = "criminal", "strafrechtelijk antecedent"
    FINE = "fine", "bestuurlijke of fiscale boete"
    REFUSAL = "refusal", "weigering of intrekking van een beschikking"
    ENFORCEMENT = "enforcement", "last onder bestuursdwang of dwangsom"


@attrs.frozen
class Antecedent:
    """An earlier offence, fine, refusal or enforcement measure, as declared."""

    kind: AntecedentKind
    pointer: str
    declared_by: Party | None  # the person whose module (or the subject) declared it
    concerns: str = ""  # who it concerns, in the applicant's words
    year: int | None = None
    description: str = ""
    outcome: str = ""  # veroordeling, transactie, strafbeschikking, verdachte, geweigerd, ingetrokken
    body: str = ""
    closure_13b: bool = False


@attrs.frozen
class Loan:
    """A loan declared by a person in the form, with its creditor."""

    pointer: str
    borrower: Party | None
    creditor: Party | None
    principal: int | None = None  # euro cents
    remaining: int | None = None
    interest_rate: float | None = None
    security: str = ""
    agreed_on: dt.date | None = None
    disbursed_on: dt.date | None = None


@attrs.frozen
class Financing:
    """How the business is financed (6B own capital, 6C borrowed capital and their twins)."""

    pointer: str
    own: bool
    amount: int | None = None
    financier: Party | None = None
    origin: str = ""


@attrs.frozen
class Debt:
    """A debt of a person in the form; `tax_authority` for debts to the Belastingdienst."""

    pointer: str
    debtor: Party | None
    creditor: str
    tax_authority: bool
    amounts: tuple[int | None, int | None, int | None]  # now, end of last year, end of the year before


@attrs.frozen
class Asset:
    """An asset of a person in the form, valued now, at the end of last year and the year before."""

    pointer: str
    holder: Party | None
    kind: str  # contant, banktegoed, effecten, …
    description: str
    values: tuple[int | None, int | None, int | None]


@attrs.frozen
class Income:
    """An income of a person in the form: this year, last year and the year before."""

    pointer: str
    holder: Party | None
    kind: str
    source: str
    amounts: tuple[int | None, int | None, int | None]


@attrs.frozen
class Premises:
    """The premises the permit is tied to, and how the applicant holds them."""

    addresses: tuple[Address, ...] = ()
    leased: bool = False
    lessor: Party | None = None
    monthly_rent: int | None = None
    rent_arrears: bool = False
    arrears_amount: int | None = None
    owned: bool = False
    purchase_price: int | None = None
    pointer: str = ""
    arrears_pointer: str = ""


@attrs.frozen
class Employment:
    """Earlier employment at the location of the permit (question 2M and twins)."""

    pointer: str
    person: Party | None
    employer: str
    period: Period


@attrs.frozen
class OtherRole:
    """A role a person has or had in another organisation (control or management, last five years)."""

    pointer: str
    person: Party | None
    organisation: Organisation | None
    kind: str  # "control" or "management"
    description: str
    period: Period


@attrs.frozen
class Declaration:
    """Everything the answers declare, as domain values; each item keeps its JSON pointer as evidence."""

    questionnaire_id: str
    answered_on: dt.date | None
    subject: Party | None
    business: Organisation | None
    involvements: tuple[Involvement, ...] = ()
    other_roles: tuple[OtherRole, ...] = ()
    business_status: str | None = None  # bestaand, overname, nieuw
    financing: tuple[Financing, ...] = ()
    loans: tuple[Loan, ...] = ()
    debts: tuple[Debt, ...] = ()
    assets: tuple[Asset, ...] = ()
    incomes: tuple[Income, ...] = ()
    antecedents: tuple[Antecedent, ...] = ()
    premises: Premises = Premises()
    employment: tuple[Employment, ...] = ()
    gaming_machine_operator: Party | None = None
    attachments: frozenset[tuple[str, str]] = frozenset()  # (kind, pointer) present

    @property
    def persons(self) -> tuple[Person, ...]:
        """Every natural person named in the answers, once."""
        found = [i.party for i in self.involvements if isinstance(i.party, Person)]
        return tuple(dict.fromkeys(found))

    @property
    def organisations(self) -> tuple[Organisation, ...]:
        """Every organisation named in the answers, once."""
        found = [i.party for i in self.involvements if isinstance(i.party, Organisation)]
        return tuple(dict.fromkeys(found))
