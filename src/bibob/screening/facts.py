"""What the own investigation found (eigen onderzoek): facts with their source, date and subject."""

from __future__ import annotations

import datetime as dt

import attrs

from bibob.labels import LabelledEnum
from bibob.legal import DangerLevel, Ground
from bibob.parties import Party


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


class AntecedentStatus(LabelledEnum):
    """How far a criminal antecedent got; art. 3a lists what counts as 'erop wijzen'."""

    CONVICTION = "conviction", "veroordeling"
    SETTLEMENT = "settlement", "transactie met het OM"
    PENAL_ORDER = "penalOrder", "strafbeschikking"
    SUSPICION = "suspicion", "verdenking"
    DISMISSAL = "dismissal", "sepot"

    @property
    def indicates(self) -> bool:
        """Whether it 'indicates' (erop wijzen, art. 3a) rather than only 'reasonably suggests'."""
        return self in (AntecedentStatus.CONVICTION, AntecedentStatus.SETTLEMENT, AntecedentStatus.PENAL_ORDER)


@attrs.frozen
class AntecedentFact:
    """A criminal antecedent found in closed sources."""

    offence: str
    year: int
    status: AntecedentStatus
    relates_to_activity: bool  # samenhang with the permitted activity (art. 3 lid 3)
    financial: bool = False  # an offence that yields money (A-ground): witwassen, fraude, drugshandel, heling
    country: str = "NL"


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


@attrs.frozen
class FalseAnswer:
    """An answer a source contradicts (art. 3 lid 6: valsheid in geschrifte to obtain the permit)."""

    pointer: str
    description: str


@attrs.frozen
class RefusedToCooperate:
    """The subject refused to complete the form or to give the LBB more data (art. 4)."""

    description: str


@attrs.frozen
class Note:
    """Anything else worth recording; never feeds an indicator."""

    text: str


FactContent = (
    AntecedentFact | FineFact | RegisterHit | LbbAdvice | KnownInCase | MarketReference | FalseAnswer
    | RefusedToCooperate | Note
)  # fmt: skip


@attrs.frozen
class Fact:
    """One finding of the own investigation: evidence that can be pointed at by its id."""

    id: str
    source: FactSource
    on: dt.date
    content: FactContent
    subject: Party | None = None  # the person or organisation it concerns; None for the application as a whole
