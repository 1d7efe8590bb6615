"""The recorded events of a permit application's Bibob lifecycle, each a dated, frozen value."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import attrs

from bibob.labels import LabelledEnum
from bibob.legal import DangerLevel, DecisionOutcome, Ground, ProportionalityRecord
from bibob.terms import DEFAULT_ZIENSWIJZE_TERM, Term

OBJECTION_EXTENSION = Term.weeks(6)  # Awb 7:10 lid 3: at most six weeks

Levels = tuple[tuple[Ground, DangerLevel], ...]


class Screening(LabelledEnum):
    """Whether the policy requires a Bibob screening of this application (domain.md §2.3)."""

    MANDATORY = "mandatory", "altijd Bibob-toets volgens beleid"
    ON_INDICATION = "onIndication", "Bibob-toets op grond van een aanleiding"
    NONE = "none", "geen Bibob-toets"


class IntentionKind(LabelledEnum):
    """What a voornemen announces; both need a zienswijze opportunity (art. 33)."""

    NEGATIVE = "negative", "voornemen tot weigering of intrekking"
    CONDITIONS = "conditions", "voornemen tot verbinden van voorschriften (art. 3 lid 7)"


class ScreeningTrigger(LabelledEnum):
    """Why a screening was started: the typed reasons of domain.md (a tip is only a reason to investigate)."""

    POLICY = "policy", "beleid: altijd een Bibob-toets"
    OM_TIP = "omTip", "tip van het Openbaar Ministerie (art. 26 Wet Bibob)"
    LBB_TIP = "lbbTip", "tip van het Landelijk Bureau Bibob"
    OTHER_BODY_TIP = "otherBodyTip", "tip van een ander bestuursorgaan (sinds 1 oktober 2022)"
    RIEC_ADVICE = "riecAdvice", "advies van het RIEC"
    REGISTER_HIT = "registerHit", "treffer in het Bibob-register"
    SIGNAL = "signal", "signaal"
    THRESHOLD = "threshold", "drempel uit het beleid (bouwsom, subsidiebedrag)"
    SAMPLE = "sample", "steekproef"

    @property
    def needs_source(self) -> bool:
        """A tip or an advice comes from someone, who is named."""
        return self in (
            ScreeningTrigger.OM_TIP, ScreeningTrigger.LBB_TIP, ScreeningTrigger.OTHER_BODY_TIP,
            ScreeningTrigger.RIEC_ADVICE,
        )  # fmt: skip


class ObjectionOutcome(LabelledEnum):
    """The decision on an objection (Awb 7:11)."""

    UNFOUNDED = "unfounded", "ongegrond"
    WELL_FOUNDED = "wellFounded", "gegrond"
    PARTLY_WELL_FOUNDED = "partlyWellFounded", "gedeeltelijk gegrond"
    INADMISSIBLE = "inadmissible", "niet-ontvankelijk"


@attrs.frozen
class RegularReviewStarted:
    """The regular (non-Bibob) grounds are being checked."""

    TYPE: ClassVar[str] = "regularReviewStarted"
    LABEL: ClassVar[str] = "reguliere toets gestart"
    on: dt.date


@attrs.frozen
class ScreeningDetermined:
    """The policy rule says whether a Bibob screening is needed."""

    TYPE: ClassVar[str] = "screeningDetermined"
    LABEL: ClassVar[str] = "Bibob-toets bepaald"
    on: dt.date
    screening: Screening
    motivation: str = ""


@attrs.frozen
class QuestionnaireSent:
    """The Bibob questionnaire (or a selection) was sent with a term."""

    TYPE: ClassVar[str] = "questionnaireSent"
    LABEL: ClassVar[str] = "vragenformulier uitgezet"
    on: dt.date


@attrs.frozen
class RepairRequested:
    """An Awb 4:5 invitation to complete the application before `term_end`."""

    TYPE: ClassVar[str] = "repairRequested"
    LABEL: ClassVar[str] = "aanvulling gevraagd (Awb 4:5)"
    on: dt.date
    term_end: dt.date


@attrs.frozen
class RepairCompleted:
    """The applicant completed the application."""

    TYPE: ClassVar[str] = "repairCompleted"
    LABEL: ClassVar[str] = "aanvulling ontvangen"
    on: dt.date


@attrs.frozen
class NotProcessedDecided:
    """A person decided not to process the incomplete application (Awb 4:5)."""

    TYPE: ClassVar[str] = "notProcessedDecided"
    LABEL: ClassVar[str] = "besluit buiten behandeling laten"
    outcome: ClassVar[DecisionOutcome] = DecisionOutcome.NOT_PROCESSED
    on: dt.date
    decided_by: str
    motivation: str = ""


@attrs.frozen
class OwnInvestigationStarted:
    """The body's own investigation (eigen onderzoek) began."""

    TYPE: ClassVar[str] = "ownInvestigationStarted"
    LABEL: ClassVar[str] = "eigen onderzoek gestart"
    on: dt.date


@attrs.frozen
class OwnInvestigationConcluded:
    """The own investigation's conclusion: a danger level per ground, with its motivation."""

    TYPE: ClassVar[str] = "ownInvestigationConcluded"
    LABEL: ClassVar[str] = "eigen onderzoek afgerond"
    on: dt.date
    levels: Levels
    motivation: str


@attrs.frozen
class LbbRequested:
    """LBB advice requested (art. 9); the applicant must be told in writing (art. 32)."""

    TYPE: ClassVar[str] = "lbbRequested"
    LABEL: ClassVar[str] = "Bibob-advies aangevraagd"
    on: dt.date
    applicant_informed_on: dt.date | None = None


@attrs.frozen
class LbbDataRequested:
    """The LBB asks for missing data; its advice term waits (art. 15 lid 2)."""

    TYPE: ClassVar[str] = "lbbDataRequested"
    LABEL: ClassVar[str] = "aanvullende vragen van het LBB"
    on: dt.date


@attrs.frozen
class LbbDataSupplied:
    """The data the LBB asked for was supplied."""

    TYPE: ClassVar[str] = "lbbDataSupplied"
    LABEL: ClassVar[str] = "aanvullende gegevens aan het LBB verstrekt"
    on: dt.date


@attrs.frozen
class LbbExtended:
    """The LBB's one-time notice that its advice takes at most 4 weeks longer (art. 15 lid 3)."""

    TYPE: ClassVar[str] = "lbbExtended"
    LABEL: ClassVar[str] = "adviestermijn verlengd door het LBB"
    on: dt.date
    term: Term


@attrs.frozen
class LbbAdviceReceived:
    """The LBB advice arrived: a danger level per ground (it never advises on the decision)."""

    TYPE: ClassVar[str] = "lbbAdviceReceived"
    LABEL: ClassVar[str] = "Bibob-advies ontvangen"
    on: dt.date
    levels: Levels


@attrs.frozen
class CooperationRefused:
    """On an existing permit the holder refused to supply data: deemed serious danger (art. 4)."""

    TYPE: ClassVar[str] = "cooperationRefused"
    LABEL: ClassVar[str] = "weigering medewerking (art. 4)"
    on: dt.date
    motivation: str = ""


@attrs.frozen
class IntentionSent:
    """A voornemen (negative or conditions) was sent; the zienswijze term starts (art. 33)."""

    TYPE: ClassVar[str] = "intentionSent"
    LABEL: ClassVar[str] = "voornemen verstuurd"
    on: dt.date
    kind: IntentionKind
    zienswijze_term: Term = DEFAULT_ZIENSWIJZE_TERM


@attrs.frozen
class ZienswijzeReceived:
    """The subject gave a view on the intention, orally or in writing."""

    TYPE: ClassVar[str] = "zienswijzeReceived"
    LABEL: ClassVar[str] = "zienswijze ontvangen"
    on: dt.date


@attrs.frozen
class ZienswijzeTermExpired:
    """The zienswijze term ended without a view."""

    TYPE: ClassVar[str] = "zienswijzeTermExpired"
    LABEL: ClassVar[str] = "zienswijzetermijn verstreken"
    on: dt.date


@attrs.frozen
class DecisionRecorded:
    """A person's decision (besluit), recorded — the software never takes it."""

    TYPE: ClassVar[str] = "decisionRecorded"
    LABEL: ClassVar[str] = "besluit vastgelegd"
    on: dt.date
    outcome: DecisionOutcome
    decided_by: str
    grounds: tuple[Ground, ...] = ()
    levels: Levels = ()
    proportionality: ProportionalityRecord | None = None
    conditions: tuple[str, ...] = ()
    deviation_motivation: str = ""
    motivation: str = ""


@attrs.frozen
class InvestigationClosed:
    """A person closed the investigation of an existing permit without a measure."""

    TYPE: ClassVar[str] = "investigationClosed"
    LABEL: ClassVar[str] = "onderzoek afgesloten zonder maatregel"
    on: dt.date
    decided_by: str
    motivation: str = ""


@attrs.frozen
class DecisionExtended:
    """A notice under Awb 4:14 that the decision takes longer by `term`."""

    TYPE: ClassVar[str] = "decisionExtended"
    LABEL: ClassVar[str] = "beslistermijn verdaagd (Awb 4:14)"
    on: dt.date
    term: Term


@attrs.frozen
class ApplicationWithdrawn:
    """The applicant withdrew the application."""

    TYPE: ClassVar[str] = "applicationWithdrawn"
    LABEL: ClassVar[str] = "aanvraag ingetrokken door de aanvrager"
    on: dt.date


@attrs.frozen
class DecisionAnnounced:
    """The decision was made known (bekendmaking); the objection term starts."""

    TYPE: ClassVar[str] = "decisionAnnounced"
    LABEL: ClassVar[str] = "besluit bekendgemaakt"
    on: dt.date


@attrs.frozen
class ObjectionReceived:
    """A notice of objection (bezwaarschrift) was received; with an advisory committee (Awb 7:13): 12 weeks."""

    TYPE: ClassVar[str] = "objectionReceived"
    LABEL: ClassVar[str] = "bezwaar ontvangen"
    on: dt.date
    advisory_committee: bool = False


@attrs.frozen
class ObjectionDecided:
    """A person decided on the objection (Awb 7:11)."""

    TYPE: ClassVar[str] = "objectionDecided"
    LABEL: ClassVar[str] = "beslissing op bezwaar"
    on: dt.date
    decided_by: str
    motivation: str = ""
    result: ObjectionOutcome | None = None


@attrs.frozen
class ObjectionHearingHeld:
    """The objector was heard (Awb 7:2), by the body or its advisory committee."""

    TYPE: ClassVar[str] = "objectionHearingHeld"
    LABEL: ClassVar[str] = "hoorzitting gehouden (Awb 7:2)"
    on: dt.date


@attrs.frozen
class SupplementaryAdviceRequested:
    """A supplementary LBB advice was asked during the objection (vergewisplicht, Awb 3:9)."""

    TYPE: ClassVar[str] = "supplementaryAdviceRequested"
    LABEL: ClassVar[str] = "aanvullend Bibob-advies gevraagd"
    on: dt.date


@attrs.frozen
class SupplementaryAdviceReceived:
    """The supplementary LBB advice arrived."""

    TYPE: ClassVar[str] = "supplementaryAdviceReceived"
    LABEL: ClassVar[str] = "aanvullend Bibob-advies ontvangen"
    on: dt.date
    levels: Levels = ()


@attrs.frozen
class ObjectionDecisionExtended:
    """The decision on the objection was postponed by at most six weeks (Awb 7:10 lid 3)."""

    TYPE: ClassVar[str] = "objectionDecisionExtended"
    LABEL: ClassVar[str] = "beslissing op bezwaar verdaagd (Awb 7:10 lid 3)"
    on: dt.date
    term: Term = OBJECTION_EXTENSION


@attrs.frozen
class ScreeningTriggered:
    """Why this application is screened: a typed trigger, with who gave it when it is a tip or an advice."""

    TYPE: ClassVar[str] = "screeningTriggered"
    LABEL: ClassVar[str] = "aanleiding voor de Bibob-toets vastgelegd"
    on: dt.date
    trigger: ScreeningTrigger
    source: str = ""
    note: str = ""


@attrs.frozen
class RegisterConsulted:
    """The Bibob register was consulted (since 1 October 2022): by whom, for which subjects, with a hit or not."""

    TYPE: ClassVar[str] = "registerConsulted"
    LABEL: ClassVar[str] = "Bibob-register geraadpleegd"
    on: dt.date
    consulted_by: str
    subjects: tuple[str, ...]
    hit: bool


@attrs.frozen
class DangerConclusionRegistered:
    """The body registered its danger conclusion in the Bibob register, without delay (onverwijld)."""

    TYPE: ClassVar[str] = "dangerConclusionRegistered"
    LABEL: ClassVar[str] = "conclusie mate van gevaar geregistreerd in het Bibob-register"
    on: dt.date
    registered_by: str


@attrs.frozen
class WithdrawalRegistered:
    """The withdrawal of an application under screening was registered in the Bibob register (terugtrekking)."""

    TYPE: ClassVar[str] = "withdrawalRegistered"
    LABEL: ClassVar[str] = "terugtrekking geregistreerd in het Bibob-register"
    on: dt.date
    registered_by: str


@attrs.frozen
class TipSent:
    """An outbound tip to another body: only a reason for it to investigate, recorded as a disclosure."""

    TYPE: ClassVar[str] = "tipSent"
    LABEL: ClassVar[str] = "tip verstuurd aan een ander bestuursorgaan"
    on: dt.date
    sent_by: str
    recipient: str
    purpose: str = ""


@attrs.frozen
class LbbAdviceCopySent:
    """The subject got a copy of the LBB advice with a written warning of the secrecy duty (art. 28 Wet Bibob)."""

    TYPE: ClassVar[str] = "lbbAdviceCopySent"
    LABEL: ClassVar[str] = "afschrift Bibob-advies met geheimhoudingswaarschuwing verstrekt"
    on: dt.date
    sent_by: str
    secrecy_warning: str


@attrs.frozen
class FileClosed:
    """The file was closed once its checklist (Bibob register among it) was done."""

    TYPE: ClassVar[str] = "fileClosed"
    LABEL: ClassVar[str] = "dossier gesloten"
    on: dt.date
    closed_by: str


Event = (
    RegularReviewStarted | ScreeningDetermined | QuestionnaireSent | RepairRequested | RepairCompleted
    | NotProcessedDecided | OwnInvestigationStarted | OwnInvestigationConcluded | LbbRequested | LbbDataRequested
    | LbbDataSupplied | LbbExtended | LbbAdviceReceived | CooperationRefused | IntentionSent | ZienswijzeReceived
    | ZienswijzeTermExpired | DecisionRecorded | InvestigationClosed | DecisionExtended | ApplicationWithdrawn
    | DecisionAnnounced | ObjectionReceived | ObjectionDecided | ObjectionHearingHeld | SupplementaryAdviceRequested
    | SupplementaryAdviceReceived | ObjectionDecisionExtended | ScreeningTriggered | RegisterConsulted
    | DangerConclusionRegistered | WithdrawalRegistered | TipSent | LbbAdviceCopySent | FileClosed
)  # fmt: skip
Decision = DecisionRecorded | NotProcessedDecided

EVENT_TYPES: tuple[type[Event], ...] = (
    RegularReviewStarted, ScreeningDetermined, QuestionnaireSent, RepairRequested, RepairCompleted,
    NotProcessedDecided, OwnInvestigationStarted, OwnInvestigationConcluded, LbbRequested, LbbDataRequested,
    LbbDataSupplied, LbbExtended, LbbAdviceReceived, CooperationRefused, IntentionSent, ZienswijzeReceived,
    ZienswijzeTermExpired, DecisionRecorded, InvestigationClosed, DecisionExtended, ApplicationWithdrawn,
    DecisionAnnounced, ObjectionReceived, ObjectionDecided, ObjectionHearingHeld, SupplementaryAdviceRequested,
    SupplementaryAdviceReceived, ObjectionDecisionExtended, ScreeningTriggered, RegisterConsulted,
    DangerConclusionRegistered, WithdrawalRegistered, TipSent, LbbAdviceCopySent, FileClosed,
)  # fmt: skip
EVENTS_BY_TYPE: dict[str, type[Event]] = {event_type.TYPE: event_type for event_type in EVENT_TYPES}
