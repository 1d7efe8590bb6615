"""The legal vocabulary all contexts share: grounds, danger levels, outcomes, proportionality, permits, tracks."""

from __future__ import annotations

import datetime as dt

import attrs

from bibob.labels import LabelledEnum


class Ground(LabelledEnum):
    """The grounds on which Wet Bibob allows refusal or withdrawal."""

    A_BENEFIT = "aBenefit", "art. 3 lid 1 sub a: benutten van uit strafbare feiten verkregen voordelen"
    B_OFFENCES = "bOffences", "art. 3 lid 1 sub b: plegen van strafbare feiten"
    ART3_6_OBTAINING = "art3lid6", "art. 3 lid 6: strafbaar feit om de beschikking te verkrijgen of te behouden"
    ART4_REFUSAL = "art4", "art. 4: weigering om gegevens te verstrekken (bestaande beschikking)"


class DangerLevel(LabelledEnum):
    """Mate van gevaar per ground (art. 3 lid 1 and lid 7)."""

    NONE = "none", "geen gevaar"
    LESSER = "lesser", "mindere mate van gevaar"
    SERIOUS = "serious", "ernstig gevaar"

    @property
    def rank(self) -> int:
        """0 for none, 1 for lesser, 2 for serious."""
        return ("none", "lesser", "serious").index(self.value)


class AssessmentSource(LabelledEnum):
    """Who concluded a danger level."""

    OWN_INVESTIGATION = "ownInvestigation", "eigen onderzoek"
    LBB = "lbb", "advies Landelijk Bureau Bibob"
    BODY_FINAL = "bodyFinal", "eindoordeel bestuursorgaan"


class DecisionOutcome(LabelledEnum):
    """The permit decision (besluit) as the body takes it — never taken by the software."""

    GRANTED = "granted", "verleend"
    GRANTED_WITH_CONDITIONS = "grantedWithConditions", "verleend met voorschriften (art. 3 lid 7)"
    REFUSED_BIBOB = "refusedBibob", "geweigerd op grond van de Wet Bibob"
    REFUSED_REGULAR = "refusedRegular", "geweigerd op een reguliere grond"
    NOT_PROCESSED = "notProcessed", "buiten behandeling gelaten (Awb 4:5)"
    WITHDRAWN_BIBOB = "withdrawnBibob", "ingetrokken op grond van de Wet Bibob"
    WITHDRAWN_ART4 = "withdrawnArt4", "ingetrokken wegens weigering medewerking (art. 4)"
    APPLICATION_WITHDRAWN = "applicationWithdrawn", "aanvraag ingetrokken door de aanvrager"

    @property
    def is_bibob_measure(self) -> bool:
        """Refusal, withdrawal or conditions on Bibob grounds: the outcomes that become case evidence."""
        return self in (
            DecisionOutcome.GRANTED_WITH_CONDITIONS,
            DecisionOutcome.REFUSED_BIBOB,
            DecisionOutcome.WITHDRAWN_BIBOB,
            DecisionOutcome.WITHDRAWN_ART4,
        )


@attrs.frozen
class ProportionalityRecord:
    """The evenredigheidstoets (art. 3 lid 5) a refusal or withdrawal needs; written by a person."""

    seriousness: str
    number_and_recency: str
    link_to_activity: str
    relation_current: str
    applicant_interests: str
    lesser_means_considered: str
    recorded_by: str
    recorded_on: dt.date
    comparable_cases: str = ""

    @property
    def missing(self) -> tuple[str, ...]:
        """The required considerations left empty."""
        required = (
            "seriousness", "number_and_recency", "link_to_activity", "relation_current",
            "applicant_interests", "lesser_means_considered", "recorded_by",
        )  # fmt: skip
        return tuple(name for name in required if not str(getattr(self, name)).strip())

    @property
    def is_complete(self) -> bool:
        """Whether every required consideration is written down."""
        return not self.missing


class PermitType(LabelledEnum):
    """The decisions and legal acts a municipality may screen (domain.md §2.1, §7.1)."""

    EXPLOITATIE_HORECA = "exploitatieHoreca", "exploitatievergunning horecabedrijf"
    ALCOHOLWET = "alcoholwet", "alcoholwetvergunning"
    ALCOHOLWET_AANHANGSEL = "alcoholwetAanhangselLeidinggevende", "wijziging leidinggevenden (aanhangsel Alcoholwet)"
    SEKSINRICHTING = "seksinrichting", "vergunning seksinrichting"
    ESCORTBEDRIJF = "escortbedrijf", "vergunning escortbedrijf"
    SPEELAUTOMATENHAL = "speelautomatenhal", "exploitatievergunning speelautomatenhal"
    AANWEZIGHEID_KANSSPELAUTOMATEN = "aanwezigheidKansspelautomaten", "aanwezigheidsvergunning kansspelautomaten"
    COFFEESHOP = "coffeeshopExploitatie", "exploitatievergunning coffeeshop"
    SMART_GROW_HEADSHOP = "smartGrowHeadshop", "exploitatievergunning smart-, grow- of headshop"
    EVENEMENT = "evenement", "evenementenvergunning"
    HUISVESTING_ARBEIDSMIGRANTEN = "huisvestingArbeidsmigranten", "vergunning huisvesting arbeidsmigranten"
    HUISVESTINGSWET = "huisvestingswet", "vergunning op grond van de Huisvestingswet 2014"
    OV_BOUWACTIVITEIT = "ovBouwactiviteit", "omgevingsvergunning bouwactiviteit"
    OV_OMGEVINGSPLANACTIVITEIT = "ovOmgevingsplanactiviteit", "omgevingsvergunning omgevingsplanactiviteit"
    OV_MILIEUBELASTENDE_ACTIVITEIT = "ovMilieubelastendeActiviteit", "omgevingsvergunning milieubelastende activiteit"
    OVERIG_APV = "overigApv", "overige APV-vergunning"
    SUBSIDIE = "subsidie", "subsidie"
    OVERHEIDSOPDRACHT = "overheidsopdracht", "overheidsopdracht"
    VASTGOEDTRANSACTIE = "vastgoedtransactie", "vastgoedtransactie"


class LegalAct(LabelledEnum):
    """The kind of legal act under screening (Bibob-rechtshandeling)."""

    VERGUNNING = "vergunning", "vergunning"
    ONTHEFFING = "ontheffing", "ontheffing"
    SUBSIDIE = "subsidie", "subsidie"
    OVERHEIDSOPDRACHT = "overheidsopdracht", "overheidsopdracht"
    VASTGOEDTRANSACTIE = "vastgoedtransactie", "vastgoedtransactie"
    OMGEVINGSPLANWIJZIGING = "omgevingsplanwijziging", "wijziging van het omgevingsplan"

    @property
    def allows_art4(self) -> bool:
        """Art. 4 does not apply to awarded contractors and vastgoed counterparties."""
        return self not in (LegalAct.OVERHEIDSOPDRACHT, LegalAct.VASTGOEDTRANSACTIE)


class Track(LabelledEnum):
    """A new application (Awb 4:5 applies) or the investigation of an existing permit (art. 4 applies)."""

    APPLICATION = "application", "aanvraag"
    EXISTING_PERMIT = "existingPermit", "bestaande beschikking (intrekkingsspoor)"
