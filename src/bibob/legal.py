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
    # a real-estate transaction (art. 5a): the municipality as a legal person
    CONCLUDED = "concluded", "rechtshandeling aangegaan"
    NOT_CONCLUDED = "notConcluded", "vastgoedtransactie niet aangegaan op grond van de Wet Bibob"
    TRANSACTION_DISSOLVED = "transactionDissolved", "vastgoedtransactie ontbonden op grond van de Wet Bibob"
    # a public contract (art. 5)
    AWARDED = "awarded", "opdracht gegund"
    NOT_AWARDED = "notAwarded", "opdracht niet gegund op grond van de Wet Bibob"
    EXCLUDED = "excluded", "gegadigde uitgesloten op grond van de Wet Bibob"
    CONTRACT_DISSOLVED = "contractDissolved", "overeenkomst ontbonden op grond van de Wet Bibob"
    # a subsidy (art. 6; art. 2: a lower final amount counts as a withdrawal)
    SUBSIDY_REFUSED = "subsidyRefused", "subsidie geweigerd op grond van de Wet Bibob"
    SUBSIDY_LOWERED = "subsidyLowered", "subsidie lager vastgesteld op grond van de Wet Bibob"
    SUBSIDY_WITHDRAWN = "subsidyWithdrawn", "subsidie ingetrokken op grond van de Wet Bibob"

    @property
    def is_bibob_measure(self) -> bool:
        """Refusal, withdrawal or conditions on Bibob grounds: the outcomes that become case evidence."""
        return self is DecisionOutcome.GRANTED_WITH_CONDITIONS or self.is_negative_bibob

    @property
    def is_negative_bibob(self) -> bool:
        """A negative decision on Bibob grounds: it needs serious danger, a proportionality record and a zienswijze."""
        return self in _NEGATIVE_BIBOB

    @property
    def legal_basis(self) -> str:
        """The article of the Wet Bibob (or the Awb) the outcome rests on, in Dutch; '' for a plain grant."""
        return _LEGAL_BASES.get(self, "")


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
    """What is screened: an application, an existing permit, a real-estate transaction, a public contract, a subsidy.

    On an application and a subsidy the Awb decision term and Awb 4:5 apply; on an existing permit
    art. 4; a real-estate transaction (art. 5a) and a public contract (art. 5) are acts of the
    municipality as a legal person: no decision term, no objection, but a zienswijze (art. 33 lid 3).
    """

    APPLICATION = "application", "aanvraag"
    EXISTING_PERMIT = "existingPermit", "bestaande beschikking (intrekkingsspoor)"
    REAL_ESTATE = "realEstate", "vastgoedtransactie (art. 5a Wet Bibob)"
    PUBLIC_CONTRACT = "publicContract", "overheidsopdracht (art. 5 Wet Bibob)"
    SUBSIDY = "subsidy", "subsidie (art. 6 Wet Bibob)"

    @property
    def outcomes(self) -> tuple[DecisionOutcome, ...]:
        """The decisions a person may record on this track."""
        return _OUTCOMES_BY_TRACK[self]

    @property
    def has_application(self) -> bool:
        """An application under the Awb: a decision term (Awb 4:13), Awb 4:5 and 4:14, withdrawal by the applicant."""
        return self in (Track.APPLICATION, Track.SUBSIDY)

    @property
    def is_private_law(self) -> bool:
        """An act of the municipality as a legal person (art. 5 and 5a): no besluit, so no objection under the Awb."""
        return self in (Track.REAL_ESTATE, Track.PUBLIC_CONTRACT)


_O = DecisionOutcome
_NEGATIVE_BIBOB = frozenset({
    _O.REFUSED_BIBOB, _O.WITHDRAWN_BIBOB, _O.WITHDRAWN_ART4, _O.NOT_CONCLUDED, _O.TRANSACTION_DISSOLVED,
    _O.NOT_AWARDED, _O.EXCLUDED, _O.CONTRACT_DISSOLVED, _O.SUBSIDY_REFUSED, _O.SUBSIDY_LOWERED, _O.SUBSIDY_WITHDRAWN,
})  # fmt: skip
_LEGAL_BASES = {
    _O.GRANTED_WITH_CONDITIONS: "Wet Bibob art. 3 lid 7",
    _O.REFUSED_BIBOB: "Wet Bibob art. 3 lid 1",
    _O.REFUSED_REGULAR: "de wet of verordening van de vergunning",
    _O.NOT_PROCESSED: "Awb 4:5",
    _O.WITHDRAWN_BIBOB: "Wet Bibob art. 3 lid 1",
    _O.WITHDRAWN_ART4: "Wet Bibob art. 4",
    _O.NOT_CONCLUDED: "Wet Bibob art. 5a en art. 3 lid 1",
    _O.TRANSACTION_DISSOLVED: "Wet Bibob art. 5a en art. 3 lid 1 (ontbindende voorwaarde of ontbinding)",
    _O.NOT_AWARDED: "Wet Bibob art. 5 en art. 3 lid 1",
    _O.EXCLUDED: "Wet Bibob art. 5 en art. 3 lid 1 (uitsluiting van een gegadigde)",
    _O.CONTRACT_DISSOLVED: "Wet Bibob art. 5 en art. 3 lid 1 (ontbinding van de overeenkomst)",
    _O.SUBSIDY_REFUSED: "Wet Bibob art. 6 en art. 3 lid 1",
    _O.SUBSIDY_LOWERED: "Wet Bibob art. 6 en art. 2 (lagere vaststelling geldt als intrekking)",
    _O.SUBSIDY_WITHDRAWN: "Wet Bibob art. 6 en art. 3 lid 1",
}
_OUTCOMES_BY_TRACK = {
    Track.APPLICATION: (_O.GRANTED, _O.GRANTED_WITH_CONDITIONS, _O.REFUSED_BIBOB, _O.REFUSED_REGULAR),
    Track.EXISTING_PERMIT: (_O.GRANTED_WITH_CONDITIONS, _O.WITHDRAWN_BIBOB, _O.WITHDRAWN_ART4),
    Track.REAL_ESTATE: (_O.CONCLUDED, _O.NOT_CONCLUDED, _O.TRANSACTION_DISSOLVED),
    Track.PUBLIC_CONTRACT: (_O.AWARDED, _O.NOT_AWARDED, _O.EXCLUDED, _O.CONTRACT_DISSOLVED),
    Track.SUBSIDY: (_O.GRANTED, _O.GRANTED_WITH_CONDITIONS, _O.SUBSIDY_REFUSED, _O.SUBSIDY_LOWERED,
                    _O.SUBSIDY_WITHDRAWN, _O.REFUSED_REGULAR),
}  # fmt: skip
