"""The recorded events of an undermining case, each dated, signed and described for the journal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar

import attrs

from bibob.terms import dutch_date
from bibob.undermining.evidence_events import EvidenceConfirmed as EvidenceConfirmed
from bibob.undermining.evidence_events import EvidenceDetached as EvidenceDetached
from bibob.undermining.evidence_events import EvidenceLinked as EvidenceLinked
from bibob.undermining.subjects import Subjects
from bibob.undermining.vocabulary import (
    Confidentiality,
    Intervention,
    InterventionStatus,
    Partner,
    Theme,
)

# Journal texts name ids, partners and counts, never subjects or contents: only the actor's user name is personal.


def _partners(partners: tuple[Partner, ...]) -> str:
    return ", ".join(partner.label for partner in partners) or "geen"


@attrs.frozen
class CaseRegistered:
    """The case was registered: what it is about, who leads it and who may know of it."""

    TYPE: ClassVar[str] = "caseRegistered"
    LABEL: ClassVar[str] = "casus geregistreerd"
    at: dt.datetime
    by: str
    title: str
    theme: Theme
    lead: str
    confidentiality: Confidentiality
    members: tuple[str, ...] = ()
    partners: tuple[Partner, ...] = ()
    subjects: Subjects = attrs.Factory(Subjects)
    signal_ids: tuple[str, ...] = ()
    legal_basis: str = ""

    def describe(self) -> str:
        """The journal text."""
        linked = f"; gekoppelde signalen: {', '.join(self.signal_ids)}" if self.signal_ids else ""
        return f"Casus geregistreerd (vertrouwelijkheid: {self.confidentiality.label}){linked}"


@attrs.frozen
class SubjectsAdded:
    """More subjects or signals belong to the case."""

    TYPE: ClassVar[str] = "subjectsAdded"
    LABEL: ClassVar[str] = "betrokkenen toegevoegd"
    at: dt.datetime
    by: str
    subjects: Subjects = attrs.Factory(Subjects)
    signal_ids: tuple[str, ...] = ()

    def describe(self) -> str:
        """The journal text."""
        count = len(self.subjects.matchable) + len(self.subjects.vehicles)
        linked = f"; signalen gekoppeld: {', '.join(self.signal_ids)}" if self.signal_ids else ""
        return f"{count} betrokkene(n) toegevoegd{linked}"


@attrs.frozen
class PartnersSelected:
    """The partners taking part in the case (need-to-know among partners)."""

    TYPE: ClassVar[str] = "partnersSelected"
    LABEL: ClassVar[str] = "partners geselecteerd"
    at: dt.datetime
    by: str
    partners: tuple[Partner, ...]

    def describe(self) -> str:
        """The journal text."""
        return f"Geselecteerde partners: {_partners(self.partners)}"


@attrs.frozen
class MembersChanged:
    """The people with need-to-know besides the lead."""

    TYPE: ClassVar[str] = "membersChanged"
    LABEL: ClassVar[str] = "leden gewijzigd"
    at: dt.datetime
    by: str
    members: tuple[str, ...]

    def describe(self) -> str:
        """The journal text."""
        return f"Leden met need-to-know gewijzigd ({len(self.members)} naast de regisseur)"


@attrs.frozen
class ConfidentialityChanged:
    """A new confidentiality level, with the reason."""

    TYPE: ClassVar[str] = "confidentialityChanged"
    LABEL: ClassVar[str] = "vertrouwelijkheid gewijzigd"
    at: dt.datetime
    by: str
    confidentiality: Confidentiality
    reason: str

    def describe(self) -> str:
        """The journal text."""
        return f"Vertrouwelijkheid gewijzigd naar '{self.confidentiality.label}'"


@attrs.frozen
class InvestigationStarted:
    """The advisor starts building the information picture."""

    TYPE: ClassVar[str] = "investigationStarted"
    LABEL: ClassVar[str] = "onderzoek gestart"
    at: dt.datetime
    by: str

    def describe(self) -> str:
        """The journal text."""
        return "Onderzoek (informatiebeeld) gestart"


@attrs.frozen
class InformationRequested:
    """A question put to a named partner."""

    TYPE: ClassVar[str] = "informationRequested"
    LABEL: ClassVar[str] = "informatieverzoek uitgezet"
    at: dt.datetime
    by: str
    request_id: str
    partner: Partner
    question: str

    def describe(self) -> str:
        """The journal text."""
        return f"Informatieverzoek {self.request_id} uitgezet aan {self.partner.label}"


@attrs.frozen
class InformationAnswered:
    """A partner's answer, summarised."""

    TYPE: ClassVar[str] = "informationAnswered"
    LABEL: ClassVar[str] = "informatieverzoek beantwoord"
    at: dt.datetime
    by: str
    request_id: str
    answer_summary: str

    def describe(self) -> str:
        """The journal text."""
        return f"Antwoord op informatieverzoek {self.request_id} vastgelegd"


@attrs.frozen
class MeetingScheduled:
    """The case goes to the case meeting; without an answered request the lead records why."""

    TYPE: ClassVar[str] = "meetingScheduled"
    LABEL: ClassVar[str] = "geagendeerd voor casusoverleg"
    at: dt.datetime
    by: str
    agenda: tuple[str, ...] = ()
    no_answer_reason: str = ""

    def describe(self) -> str:
        """The journal text."""
        why = " zonder beantwoord informatieverzoek (reden vastgelegd)" if self.no_answer_reason else ""
        return f"Casus geagendeerd voor het casusoverleg{why}"


@attrs.frozen
class MeetingHeld:
    """A case meeting with the selected partners: attendees, agenda and decisions."""

    TYPE: ClassVar[str] = "meetingHeld"
    LABEL: ClassVar[str] = "casusoverleg gehouden"
    at: dt.datetime
    by: str
    attendees: tuple[Partner, ...]
    agenda: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()

    def describe(self) -> str:
        """The journal text."""
        return f"Casusoverleg gehouden met {_partners(self.attendees)}; {len(self.decisions)} besluit(en)"


@attrs.frozen
class PlanDrafted:
    """The plan of action: goals and the interventions per partner (drafted or revised)."""

    TYPE: ClassVar[str] = "planDrafted"
    LABEL: ClassVar[str] = "plan van aanpak opgesteld"
    at: dt.datetime
    by: str
    goals: tuple[str, ...]
    interventions: tuple[Intervention, ...]

    def describe(self) -> str:
        """The journal text."""
        return f"Plan van aanpak opgesteld: {len(self.goals)} doel(en), {len(self.interventions)} interventie(s)"


@attrs.frozen
class PlanAdopted:
    """A plan without police or public-prosecutor interventions is adopted without the driehoek."""

    TYPE: ClassVar[str] = "planAdopted"
    LABEL: ClassVar[str] = "plan van aanpak vastgesteld"
    at: dt.datetime
    by: str

    def describe(self) -> str:
        """The journal text."""
        return "Plan van aanpak vastgesteld; uitvoering gestart"


@attrs.frozen
class TriangleAlignmentRequested:
    """The plan goes to the driehoek (mayor, public prosecutor, police chief)."""

    TYPE: ClassVar[str] = "triangleAlignmentRequested"
    LABEL: ClassVar[str] = "voorgelegd aan de driehoek"
    at: dt.datetime
    by: str

    def describe(self) -> str:
        """The journal text."""
        return "Plan van aanpak voorgelegd aan de driehoek"


@attrs.frozen
class TriangleApproved:
    """The mayor approved the plan after alignment in the driehoek."""

    TYPE: ClassVar[str] = "triangleApproved"
    LABEL: ClassVar[str] = "goedgekeurd in de driehoek"
    at: dt.datetime
    by: str
    mayor: str
    notes: str = ""

    def describe(self) -> str:
        """The journal text."""
        return "Plan van aanpak afgestemd in de driehoek en goedgekeurd door de burgemeester; uitvoering gestart"


@attrs.frozen
class InterventionUpdated:
    """Progress on one intervention."""

    TYPE: ClassVar[str] = "interventionUpdated"
    LABEL: ClassVar[str] = "interventie bijgewerkt"
    at: dt.datetime
    by: str
    intervention_id: str
    status: InterventionStatus
    note: str = ""

    def describe(self) -> str:
        """The journal text."""
        return f"Interventie {self.intervention_id}: status '{self.status.label}'"


@attrs.frozen
class ReviewScheduled:
    """The next moment the case is discussed again (monitoring, evaluation)."""

    TYPE: ClassVar[str] = "reviewScheduled"
    LABEL: ClassVar[str] = "evaluatiemoment gepland"
    at: dt.datetime
    by: str
    review_on: dt.date

    def describe(self) -> str:
        """The journal text."""
        return f"Evaluatiemoment gepland op {dutch_date(self.review_on)}"


@attrs.frozen
class CaseClosed:
    """The case is closed with its result."""

    TYPE: ClassVar[str] = "caseClosed"
    LABEL: ClassVar[str] = "casus afgesloten"
    at: dt.datetime
    by: str
    result: str

    def describe(self) -> str:
        """The journal text."""
        return "Casus afgesloten met resultaat"


@attrs.frozen
class CaseReopened:
    """A closed case is opened again, with the reason."""

    TYPE: ClassVar[str] = "caseReopened"
    LABEL: ClassVar[str] = "casus heropend"
    at: dt.datetime
    by: str
    reason: str

    def describe(self) -> str:
        """The journal text."""
        return "Casus heropend"


CaseEvent = (
    CaseRegistered | SubjectsAdded | PartnersSelected | MembersChanged | ConfidentialityChanged | InvestigationStarted
    | InformationRequested | InformationAnswered | MeetingScheduled | MeetingHeld | PlanDrafted | PlanAdopted
    | TriangleAlignmentRequested | TriangleApproved | InterventionUpdated | ReviewScheduled | CaseClosed | CaseReopened
    | EvidenceLinked | EvidenceConfirmed | EvidenceDetached
)  # fmt: skip
CASE_EVENT_TYPES: tuple[type[CaseEvent], ...] = (
    CaseRegistered, SubjectsAdded, PartnersSelected, MembersChanged, ConfidentialityChanged, InvestigationStarted,
    InformationRequested, InformationAnswered, MeetingScheduled, MeetingHeld, PlanDrafted, PlanAdopted,
    TriangleAlignmentRequested, TriangleApproved, InterventionUpdated, ReviewScheduled, CaseClosed, CaseReopened,
    EvidenceLinked, EvidenceConfirmed, EvidenceDetached,
)  # fmt: skip
CASE_EVENTS_BY_TYPE: Mapping[str, type[CaseEvent]] = MappingProxyType({kind.TYPE: kind for kind in CASE_EVENT_TYPES})
