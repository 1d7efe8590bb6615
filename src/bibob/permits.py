"""What a municipality may screen: the permit types (seed list, configured by policy) and the legal acts."""

from __future__ import annotations

from bibob.labels import LabelledEnum


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
