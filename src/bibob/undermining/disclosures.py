"""Disclosures under art. 28 Wet Bibob: what leaves the Bibob dossier (or enters it from a case), and on what basis."""

from __future__ import annotations

import attrs

from bibob.labels import LabelledEnum
from bibob.undermining.evidence import RecordedDecision


class DisclosureBasis(LabelledEnum):
    """The legal basis of a disclosure, in the words the privacy officer checks.

    Art. 28 lid 1 binds everyone who applies the Wet Bibob to secrecy about data they know or should presume to be
    confidential, save where the law obliges them or their task in applying the Act requires it. The decision
    itself (outcome, date, grounds) is made known to the subject and is carried within the municipality as a
    task under the Act; the findings, the answers and the LBB advice are not (those go only where art. 28 lid 2
    allows: subject, third party named, driehoek, RIEC, objection committee, court).
    """

    DECISION_FOR_CASE = (
        "art28Lid1DecisionForCase",
        "art. 28 lid 1 Wet Bibob: mededeling uit de taak bij de uitvoering van de wet — alleen de beschikking "
        "(uitkomst, datum, gronden, soort beschikking, betrokkene, referentie) aan de adviseur veiligheid",
    )
    DECISION_FOR_ZAAKSYSTEEM = (
        "art28Lid1DecisionForZaaksysteem",
        "art. 28 lid 1 Wet Bibob: de beschikking (uitkomst, datum, gronden) in het zaaksysteem van hetzelfde "
        "bestuursorgaan; geen bevindingen of advies",
    )
    FINDING_FOR_CASE = (
        "art28FindingForCase",
        "art. 28 Wet Bibob: een bevinding die een adviseur met de hand en met reden aan een casus koppelt — alleen "
        "voor zover de uitvoering van de wet dat vraagt; de reden staat bij het doel",
    )
    TIP_TO_OTHER_BODY = (
        "tipToOtherBody",
        "Wet Bibob, tip aan een ander bestuursorgaan (sinds 1 oktober 2022): alleen een aanleiding voor eigen "
        "onderzoek, zonder bevindingen, antwoorden of advies",
    )
    PROCEEDINGS = (
        "art28Lid2Proceedings",
        "art. 28 lid 2 Wet Bibob: het dossier aan de commissie bezwaarschriften (Awb 7:13) of de rechter (Awb 8:42), "
        "voor zover nodig; wat is weggelaten staat in de inventarislijst",
    )
    SHARED_FOR_OWN_INVESTIGATION = (
        "sharedForOwnInvestigation",
        "eigen onderzoek van het bestuursorgaan (art. 7a Wet Bibob): een feit met bron dat de adviseur veiligheid "
        "uit de casus deelt, volgens de grondslag van de casus (convenant, WGS)",
    )


class Direction(LabelledEnum):
    """Whether data left the Bibob dossier or entered it."""

    OUT = "out", "uit het Bibob-dossier"
    IN = "in", "in het Bibob-dossier"


@attrs.frozen
class Disclosure:
    """One disclosure: the Bibob dossier (an application), to or from whom, the basis, the purpose and what went."""

    application_id: str
    direction: Direction
    recipient: str
    basis: DisclosureBasis
    purpose: str
    content: str


#: What a decision carries outside the Bibob dossier (art. 28): never the findings, answers or advice.
DECISION_CONTENT = "uitkomst, datum, gronden, soort beschikking, overeenkomende betrokkene en referentie"


def decision_into_case(decision: RecordedDecision, case_id: str, *, derived: bool) -> Disclosure:
    """The record of a Bibob measure linked into a case (derived: it rests on that case's own information)."""
    purpose = "de adviseur veiligheid informeren over een Bibob-maatregel over betrokkenen van de casus"
    purpose += " (afgeleid uit deze casus, geen zelfstandig bewijs)" if derived else ""
    return Disclosure(
        decision.application_id, Direction.OUT, f"casus {case_id}", DisclosureBasis.DECISION_FOR_CASE, purpose,
        DECISION_CONTENT,
    )  # fmt: skip


def decision_into_signal(decision: RecordedDecision, signal_id: str) -> Disclosure:
    """The record of a Bibob measure that matched no case and became a signal for the advisor to weigh."""
    purpose = "de adviseur veiligheid een Bibob-maatregel laten wegen (geen open casus over dezelfde betrokkenen)"
    return Disclosure(
        decision.application_id, Direction.OUT, f"melding {signal_id}", DisclosureBasis.DECISION_FOR_CASE, purpose,
        DECISION_CONTENT,
    )  # fmt: skip


def decision_into_zaaksysteem(application_id: str, case_id: str, zaak: str) -> Disclosure:
    """The record of a decision mirrored as a besluit into the zaak of an undermining case."""
    return Disclosure(
        application_id, Direction.OUT, f"zaaksysteem (ZGW), zaak {zaak or '?'} van casus {case_id}",
        DisclosureBasis.DECISION_FOR_ZAAKSYSTEEM, "de casus in het zaaksysteem volgen", "uitkomst, datum, gronden",
    )  # fmt: skip


def shared_from_case(application_id: str, owner_type: str, owner_id: str) -> Disclosure:
    """The record of a fact the safety advisor shared from a case or signal into the Bibob dossier."""
    origin = f"{'casus' if owner_type == 'case' else 'melding'} {owner_id}"
    return Disclosure(
        application_id, Direction.IN, f"Bibob-dossier van aanvraag {application_id} (uit {origin})",
        DisclosureBasis.SHARED_FOR_OWN_INVESTIGATION, "eigen onderzoek naar de aanvraag (art. 3 lid 2 en 3: feiten)",
        "een feit met zijn bron",
    )  # fmt: skip


def finding_into_case(application_id: str, case_id: str, code: str, reason: str) -> Disclosure:
    """The record of a finding of an assessment linked by hand into a case, with the reason the linker gave."""
    return Disclosure(
        application_id, Direction.OUT, f"casus {case_id}", DisclosureBasis.FINDING_FOR_CASE,
        f"met de hand gekoppeld als bewijs; reden: {reason}", f"bevinding {code} (titel en toelichting)",
    )  # fmt: skip


def tip_to_body(application_id: str, recipient: str, purpose: str) -> Disclosure:
    """The record of an outbound tip: that there is reason for the recipient to screen the subject, nothing more."""
    return Disclosure(
        application_id, Direction.OUT, recipient, DisclosureBasis.TIP_TO_OTHER_BODY,
        purpose or "aanleiding voor een eigen Bibob-onderzoek door de ontvanger",
        "dat er aanleiding is voor een Bibob-onderzoek naar de betrokkene",
    )  # fmt: skip
