"""What the own investigation found (eigen onderzoek): facts with their source, date and subject."""

from __future__ import annotations

import datetime as dt

import attrs

from bibob.labels import LabelledEnum
from bibob.legal import DangerLevel, Ground
from bibob.parties import Party
from bibob.screening.relations import Relation


class FactSource(LabelledEnum):
    """Where a fact of the own investigation comes from (domain.md §1.3, §2.4)."""

    POLICE_INFO_DESK = "policeInfoDesk", "politie (informatiedesk)"
    JUSTID = "justid", "Justid (justitiële documentatie)"
    PUBLIC_PROSECUTOR = "publicProsecutor", "Openbaar Ministerie"
    BIBOB_REGISTER = "bibobRegister", "Bibob-register"
    ART11A_QUERY = "art11aQuery", "artikel 11a-bericht (LBB)"
    LBB = "lbb", "Landelijk Bureau Bibob"
    RIEC = "riec", "RIEC"
    KVK = "kvk", "KvK Handelsregister"
    KADASTER = "kadaster", "Kadaster"
    BRP = "brp", "Basisregistratie Personen"
    OPEN_SOURCES = "openSources", "open bronnen"
    ZIENSWIJZE = "zienswijze", "zienswijze van de betrokkene"
    CASE_FILE = "caseFile", "casus ondermijning"
    TAX_AUTHORITY = "taxAuthority", "Belastingdienst"
    SUPERVISOR = "supervisor", "toezichthouder"
    MUNICIPALITY = "municipality", "gemeentelijke dossiers"


class AntecedentStatus(LabelledEnum):
    """The evidence level of an antecedent, weakest first; art. 3a lists what counts as 'erop wijzen'."""

    INTELLIGENCE = "intelligence", "informatie (CIE of één onbevestigde bron)"
    DISMISSAL = "dismissal", "sepot"
    SUSPICION = "suspicion", "verdenking"
    ESTABLISHED = "established", "vastgesteld door politie of toezichthouder"
    PENAL_ORDER = "penalOrder", "strafbeschikking"
    SETTLEMENT = "settlement", "transactie met het OM"
    CONVICTION = "conviction", "veroordeling"

    @property
    def indicates(self) -> bool:
        """Whether it 'indicates' (erop wijzen, art. 3a) rather than only 'reasonably suggests'."""
        return self in (AntecedentStatus.CONVICTION, AntecedentStatus.SETTLEMENT, AntecedentStatus.PENAL_ORDER)

    @property
    def unverified(self) -> bool:
        """Whether it rests on intelligence, a dismissal or a suspicion: to verify before it carries a decision."""
        return self in (AntecedentStatus.INTELLIGENCE, AntecedentStatus.DISMISSAL, AntecedentStatus.SUSPICION)


class Severity(LabelledEnum):
    """How serious an offence is (art. 3 lid 2 sub b, lid 3 sub b, lid 5 sub b)."""

    MINOR = "minor", "licht (overtreding)"
    MODERATE = "moderate", "middelzwaar"
    SERIOUS = "serious", "ernstig"
    VERY_SERIOUS = "verySerious", "zeer ernstig (georganiseerd, grootschalig)"


@attrs.frozen
class AntecedentFact:
    """A criminal antecedent found in closed sources."""

    offence: str
    year: int
    status: AntecedentStatus
    relates_to_activity: bool  # samenhang with the permitted activity (art. 3 lid 3)
    financial: bool = False  # an offence that yields money (A-ground): witwassen, fraude, drugshandel, heling
    country: str = "NL"
    severity: Severity | None = None  # None: derived from the offence
    amount_cents: int | None = None  # the size of the benefit (art. 3 lid 2 sub d)
    declared_at: str = ""  # the answer (JSON pointer) of the declared antecedent this fact confirms


@attrs.frozen
class FineFact:
    """An administrative or fiscal fine, or an enforcement measure (incl. 13b Opiumwet closure)."""

    description: str
    year: int
    closure_13b: bool = False


@attrs.frozen
class RegisterHit:
    """A hit in the Bibob register or an art. 11a answer: an earlier Bibob conclusion about the subject."""

    year: int
    level: DangerLevel
    decision: str = ""


@attrs.frozen
class LbbAdvice:
    """An LBB advice with its degree of danger per ground."""

    levels: tuple[tuple[Ground, DangerLevel], ...]
    advice_date: dt.date | None = None


@attrs.frozen
class KnownInCase:
    """The subject matches a subject of an undermining case or signal (never its contents)."""

    reference: str  # the id of the case or signal
    match_explanation: str = ""


@attrs.frozen
class MarketReference:
    """A market value to compare a declared amount with (rent per month, takeover price)."""

    item: str  # "rent" or "takeoverPrice"
    market_cents: int
    declared_cents: int | None = None  # when the form does not ask it, the coordinator records it


class Intent(LabelledEnum):
    """Whether a wrong answer was given on purpose: valsheid in geschrifte (art. 225 Sr) needs intent."""

    DELIBERATE = "deliberate", "opzettelijk"
    UNKNOWN = "unknown", "opzet nog niet vastgesteld"
    NEGLIGENT = "negligent", "vergissing of slordigheid"


@attrs.frozen
class FalseAnswer:
    """An answer a source contradicts (art. 3 lid 6: an offence to obtain or keep the permit)."""

    pointer: str
    description: str
    intent: Intent = Intent.UNKNOWN
    corrected: bool = False  # the subject corrected it (in a repair, a zienswijze or on its own)


class CooperationScope(LabelledEnum):
    """What the subject refused to answer."""

    FORM = "form", "het Bibob-vragenformulier"
    LBB_QUESTIONS = "lbbQuestions", "de aanvullende vragen van het LBB (art. 12)"


@attrs.frozen
class RefusedToCooperate:
    """The subject refused to complete the form or to give the LBB more data (art. 4; Awb 4:5 on an application)."""

    description: str
    scope: CooperationScope = CooperationScope.FORM


class LenderKind(LabelledEnum):
    """Who lent the money, as the own investigation found."""

    BANK = "bank", "bank onder toezicht"
    SUPPLIER = "supplier", "leverancier (leverancierskrediet)"
    COMPANY = "company", "onderneming"
    PRIVATE = "private", "particulier"
    UNKNOWN = "unknown", "onbekend"


@attrs.frozen
class FinancingFact:
    """Financing as it happened: vendor credit, a company loan, cash, or a financier found later than the form."""

    lender_kind: LenderKind
    amount_cents: int | None = None
    declared: bool = True  # named on the form; False: found later (hidden financier)
    paid_in_cash: bool = False
    supplier_tied: bool = False  # tied to purchase obligations (e.g. a brewery) above market prices
    agreement: bool = True  # a written agreement exists
    proof_of_receipt: bool = True  # the money demonstrably came in through a bank
    description: str = ""


@attrs.frozen
class CashFound:
    """Cash the police found with a person or at the premises."""

    amount_cents: int
    description: str = ""


@attrs.frozen
class ConditionBreach:
    """A breach of the conditions (voorschriften) of a permit, established by a supervisor (art. 3 lid 7)."""

    condition: str
    year: int
    description: str = ""


@attrs.frozen
class TaxAudit:
    """Findings of a tax audit (boekenonderzoek): income not declared, corrections, a fraud penalty."""

    description: str
    year: int
    correction_cents: int | None = None
    fraud_penalty: bool = False  # a vergrijpboete: intent or gross negligence established


@attrs.frozen
class RelationFact:
    """A relation the own investigation found (e.g. de facto control by someone not on the form)."""

    relation: Relation


@attrs.frozen
class OwnershipChange:
    """A change of owners at group level (shares of a parent company transferred)."""

    description: str
    on: dt.date | None = None
    reported: bool = False  # the subject reported it to the body


class DocumentOutcome(LabelledEnum):
    """What came of the body's request for documents beyond the form."""

    PROVIDED = "provided", "verstrekt"
    NOT_PROVIDED = "notProvided", "niet verstrekt"
    PENDING = "pending", "nog niet ontvangen"


@attrs.frozen
class DocumentRequest:
    """The body asked for documents beyond the form (own investigation); the subject need not comply."""

    description: str
    outcome: DocumentOutcome
    concerns: str = ""  # the answer (JSON pointer) the documents are meant to explain
    explains: bool = False  # the documents provided explain that answer


@attrs.frozen
class Note:
    """Anything else worth recording; never feeds an indicator."""

    text: str


FactContent = (
    AntecedentFact | FineFact | RegisterHit | LbbAdvice | KnownInCase | MarketReference | FalseAnswer
    | RefusedToCooperate | FinancingFact | CashFound | ConditionBreach | TaxAudit | RelationFact | OwnershipChange
    | DocumentRequest | Note
)  # fmt: skip


@attrs.frozen
class Fact:
    """One finding of the own investigation: evidence that can be pointed at by its id."""

    id: str
    source: FactSource
    on: dt.date
    content: FactContent
    subject: Party | None = None  # the person or organisation it concerns; None for the application as a whole
    relation: Relation | None = (
        None  # the subject's relation to the applicant; None: as the answers say, else not shown
    )
