"""The vocabulary of the undermining process: partners, themes, confidentiality, plan and evidence values."""

from __future__ import annotations

import datetime as dt

import attrs

from bibob.labels import LabelledEnum


class Partner(LabelledEnum):
    """A partner in the integrated approach (RIEC convenant, domain.md §6.1, §7.1)."""

    MUNICIPALITY = "municipality", "gemeente"
    POLICE = "police", "politie"
    PUBLIC_PROSECUTOR = "publicProsecutor", "Openbaar Ministerie"
    TAX_AUTHORITY = "taxAuthority", "Belastingdienst"
    FIOD = "fiod", "FIOD"
    CUSTOMS = "customs", "Douane"
    KMAR = "kmar", "Koninklijke Marechaussee"
    LABOUR_INSPECTORATE = "labourInspectorate", "Nederlandse Arbeidsinspectie"
    UWV = "uwv", "UWV"
    IND = "ind", "IND"
    NVWA = "nvwa", "NVWA"
    PROVINCE = "province", "provincie"
    HOUSING_CORPORATION = "housingCorporation", "woningcorporatie"
    RIEC = "riec", "RIEC"
    LBB = "lbb", "Landelijk Bureau Bibob"

    @property
    def in_triangle(self) -> bool:
        """Whether the partner sits in the driehoek besides the mayor: police or public prosecutor."""
        return self in (Partner.POLICE, Partner.PUBLIC_PROSECUTOR)


class Theme(LabelledEnum):
    """The phenomenon a signal or case is about (domain.md §6.5)."""

    DRUGS = "drugs", "drugs (hennepteelt, synthetische drugs)"
    MONEY_LAUNDERING = "moneyLaundering", "witwassen en financieel-economische criminaliteit"
    HOSPITALITY = "hospitality", "horeca en witwassen"
    REAL_ESTATE = "realEstate", "vastgoed (misbruik)"
    HUMAN_TRAFFICKING = "humanTrafficking", "mensenhandel en -smokkel"
    PROSTITUTION = "prostitution", "prostitutie en seksbranche"
    CARE_FRAUD = "careFraud", "zorgfraude"
    MOBILE_BANDITRY = "mobileBanditry", "mobiel banditisme"
    LABOUR_EXPLOITATION = "labourExploitation", "arbeidsuitbuiting"
    OTHER = "other", "overig"


class Confidentiality(LabelledEnum):
    """ZGW's vertrouwelijkheidaanduiding, lowest first; `zgw` is the name ZGW uses on its wire."""

    PUBLIC = "public", "openbaar"
    RESTRICTED_PUBLIC = "restrictedPublic", "beperkt openbaar"
    INTERNAL = "internal", "intern"
    CASE_CONFIDENTIAL = "caseConfidential", "zaakvertrouwelijk"
    CONFIDENTIAL = "confidential", "vertrouwelijk"
    HIGHLY_CONFIDENTIAL = "highlyConfidential", "confidentieel"
    SECRET = "secret", "geheim"
    TOP_SECRET = "topSecret", "zeer geheim"

    @property
    def zgw(self) -> str:
        """The ZGW value: openbaar, beperkt_openbaar, …, zeer_geheim."""
        return self.label.replace(" ", "_")

    @property
    def rank(self) -> int:
        """0 for openbaar up to 7 for zeer geheim."""
        return list(Confidentiality).index(self)


class InterventionKind(LabelledEnum):
    """What a partner does in the plan of action (domain.md §6.5)."""

    BIBOB_REFUSAL = "bibobRefusal", "bestuurlijk: weigering op grond van de Wet Bibob"
    BIBOB_WITHDRAWAL = "bibobWithdrawal", "bestuurlijk: intrekking op grond van de Wet Bibob"
    CLOSURE_13B = "closure13b", "bestuurlijk: sluiting (art. 13b Opiumwet)"
    ADMINISTRATIVE = "administrative", "bestuurlijk: overig (174a Gemeentewet, last onder dwangsom, APV)"
    CRIMINAL = "criminal", "strafrechtelijk"
    FISCAL = "fiscal", "fiscaal"
    CARE = "care", "zorg en sociaal domein"
    PREVENTIVE = "preventive", "preventief (barrière)"


class InterventionStatus(LabelledEnum):
    """How far an intervention got."""

    PLANNED = "planned", "gepland"
    IN_PROGRESS = "inProgress", "in uitvoering"
    DONE = "done", "uitgevoerd"
    CANCELLED = "cancelled", "vervallen"

    @property
    def is_open(self) -> bool:
        """Whether the intervention still has to be carried out."""
        return self in (InterventionStatus.PLANNED, InterventionStatus.IN_PROGRESS)


class EvidenceKind(LabelledEnum):
    """What an evidence item in a case is."""

    FINDING = "finding", "bevinding"
    PARTNER_ANSWER = "partnerAnswer", "antwoord van een partner"
    DOCUMENT_REFERENCE = "documentReference", "verwijzing naar een document"
    PERMIT_DECISION = "permitDecision", "besluit op een vergunning"


class EvidenceStatus(LabelledEnum):
    """Where an evidence link stands; a link proposed by a possible match waits for review."""

    TO_REVIEW = "toReview", "te beoordelen"
    LINKED = "linked", "gekoppeld"
    CONFIRMED = "confirmed", "bevestigd"
    DETACHED = "detached", "ontkoppeld"
    # a decision resting only on what this case shared: no independent evidence for it (no echo), never confirmed
    DERIVED = "derivedFromThisCase", "afgeleid uit deze casus (geen zelfstandig bewijs)"


@attrs.frozen
class InformationRequest:
    """A question to a named partner, with when it was asked and answered and a summary of the answer."""

    id: str
    partner: Partner
    question: str
    asked: dt.datetime
    answered: dt.datetime | None = None
    answer_summary: str = ""


@attrs.frozen
class Meeting:
    """A case meeting: the partners present, the agenda and what was decided."""

    held: dt.datetime
    attendees: tuple[Partner, ...]
    agenda: tuple[str, ...]
    decisions: tuple[str, ...] = ()


@attrs.frozen
class Intervention:
    """One partner's contribution to the plan: what, by whom, by when, and how far it got."""

    id: str
    partner: Partner
    kind: InterventionKind
    description: str
    owner: str
    due: dt.date
    status: InterventionStatus = InterventionStatus.PLANNED


@attrs.frozen
class ActionPlan:
    """The plan of action (plan van aanpak): goals and interventions per partner."""

    goals: tuple[str, ...]
    interventions: tuple[Intervention, ...]

    @property
    def needs_triangle(self) -> bool:
        """Whether police or public prosecutor take part, so the driehoek must align the plan."""
        return any(i.partner.in_triangle or i.kind is InterventionKind.CRIMINAL for i in self.interventions)


@attrs.frozen
class TriangleApproval:
    """The mayor's approval of the plan after alignment in the driehoek."""

    approved: dt.datetime
    mayor: str
    notes: str = ""


@attrs.frozen
class MatchedSubject:
    """A subject of the case a decision matched: its key there (`known_key`, a hash) and its role in the application."""

    key: str
    role: str  # Dutch, as the application names it: "onderneming", "bestuurder", "adres van de inrichting", …
    application_key: str = ""  # the subject's `subject_key` in the application (a hash), to draw both as one


@attrs.frozen
class EvidenceItem:
    """A piece of evidence in a case, with its source, confidentiality and why it is linked."""

    id: str
    kind: EvidenceKind
    source: str  # Dutch: "aanvraag A-1", "politie", "document"
    reference: str  # the application, request or document id
    summary: str
    confidentiality: Confidentiality
    status: EvidenceStatus = EvidenceStatus.LINKED
    match_explanation: str = ""  # when linked automatically by subject matching
    reason: str = ""  # when linked by hand
    codes: tuple[str, ...] = ()  # indicator codes of the findings
    detach_reason: str = ""
    matched: tuple[MatchedSubject, ...] = ()  # a decision's matched case subjects (art. 28: the matched subject)


@attrs.frozen
class JournalEntry:
    """One line of the case journal: when, who, what (Dutch, no personal data but the actor's user name)."""

    at: dt.datetime
    by: str
    text: str
