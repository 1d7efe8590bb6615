"""A letter as data: its kind, addressee, date, reference, sections and enclosures, before any file format."""

from __future__ import annotations

import datetime as dt

import attrs

from bibob.labels import LabelledEnum


class LetterKind(LabelledEnum):
    """The letters a Bibob procedure produces; the label is the letter's Dutch name."""

    REPAIR_REQUEST = "repairRequest", "verzoek om aanvulling (Awb 4:5)"
    LBB_NOTICE = "lbbNotice", "mededeling adviesaanvraag Landelijk Bureau Bibob (art. 32)"
    LBB_INFORMATION_REQUEST = "lbbInformationRequest", "verzoek om aanvullende gegevens voor het LBB"
    INTENTION = "intention", "voornemen met uitnodiging voor een zienswijze (art. 33)"
    DECISION_GRANT = "decisionGrant", "besluit: verlening"
    DECISION_GRANT_WITH_CONDITIONS = "decisionGrantWithConditions", "besluit: verlening met voorschriften"
    DECISION_REFUSAL = "decisionRefusal", "besluit: weigering"
    DECISION_WITHDRAWAL = "decisionWithdrawal", "besluit: intrekking"
    DECISION_NOT_PROCESSED = "decisionNotProcessed", "besluit: buiten behandeling laten (Awb 4:5)"
    OBJECTION_DECISION = "objectionDecision", "beslissing op bezwaar"
    LBB_REQUEST = "lbbRequest", "adviesaanvraag aan het Landelijk Bureau Bibob"

    @property
    def to_applicant(self) -> bool:
        """Whether the letter goes to the applicant (art. 28: never what the law keeps back from them)."""
        return self is not LetterKind.LBB_REQUEST

    @property
    def is_decision(self) -> bool:
        """Whether the letter is a decision (besluit) that carries an objection or appeal clause (Awb 3:45)."""
        return self.value.startswith("decision") or self is LetterKind.OBJECTION_DECISION


@attrs.frozen
class Signatory:
    """Who signs the municipality's letters, and in which function."""

    name: str
    function: str


@attrs.frozen
class Municipality:
    """A municipality's letter template: letterhead, return address, signatory and its own texts."""

    code: str  # the folder name
    name: str
    body: str  # the deciding body: 'De burgemeester van Leusden'
    letterhead: tuple[str, ...]
    address: tuple[str, ...]
    contact: str
    signatory: Signatory
    objection_to: str  # where an objection goes
    court: str  # the court for an appeal (beroep)
    texts: tuple[tuple[str, str], ...]  # every text key with its template (the standard texts with its own over them)

    def text(self, key: str) -> str:
        """The template text stored under `key`."""
        return dict(self.texts)[key]


@attrs.frozen
class Section:
    """A part of a letter: an optional heading and its paragraphs (a paragraph starting '- ' is a list item)."""

    heading: str
    paragraphs: tuple[str, ...]
    name: str = ""  # a stable code tests and readers find it by: 'grounds', 'facts', 'objection', …


@attrs.frozen
class Letter:
    """One letter: everything a format needs, nothing more."""

    kind: LetterKind
    municipality: Municipality
    addressee: tuple[str, ...]  # name, then address lines
    date: dt.date
    reference: str
    subject: str
    salutation: str
    sections: tuple[Section, ...]
    signature: tuple[str, ...] = ()  # closing, 'namens …', the signatory's name and function
    enclosures: tuple[str, ...] = ()
    confidential: bool = False  # carries Bibob data (art. 28): marked 'vertrouwelijk'

    def section(self, name: str) -> Section | None:
        """The section named `name`, or None."""
        return next((s for s in self.sections if s.name == name), None)

    @property
    def text(self) -> str:
        """The whole letter as plain text, for checks and previews."""
        parts = [*self.municipality.letterhead, *self.addressee, self.subject, self.salutation]
        for section in self.sections:
            parts += [section.heading, *section.paragraphs]
        parts += [*self.signature, *self.enclosures]
        return "\n".join(part for part in parts if part)

    @property
    def file_stem(self) -> str:
        """A file name without extension: date, reference and kind."""
        return f"{self.date.isoformat()}-{self.reference}-{self.kind.value}"
