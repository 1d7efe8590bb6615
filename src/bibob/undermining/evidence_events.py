"""The evidence events of a case: an item linked (by matching or by hand), confirmed or detached."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import attrs

from bibob.undermining.vocabulary import EvidenceItem


@attrs.frozen
class EvidenceLinked:
    """An evidence item joins the case: automatically by subject matching, or by hand with a reason."""

    TYPE: ClassVar[str] = "evidenceLinked"
    LABEL: ClassVar[str] = "bewijsstuk gekoppeld"
    at: dt.datetime
    by: str
    item: EvidenceItem

    def describe(self) -> str:
        """The journal text."""
        how = "automatisch op overeenkomende betrokkenen" if self.item.match_explanation else "met de hand"
        return (
            f"Bewijsstuk {self.item.id} ({self.item.kind.label}, {self.item.source}) {how} gekoppeld; "
            f"status '{self.item.status.label}'"
        )


@attrs.frozen
class EvidenceConfirmed:
    """The advisor confirms an evidence link."""

    TYPE: ClassVar[str] = "evidenceConfirmed"
    LABEL: ClassVar[str] = "bewijsstuk bevestigd"
    at: dt.datetime
    by: str
    evidence_id: str

    def describe(self) -> str:
        """The journal text."""
        return f"Koppeling van bewijsstuk {self.evidence_id} bevestigd"


@attrs.frozen
class EvidenceDetached:
    """The advisor detaches an evidence link, with the reason."""

    TYPE: ClassVar[str] = "evidenceDetached"
    LABEL: ClassVar[str] = "bewijsstuk ontkoppeld"
    at: dt.datetime
    by: str
    evidence_id: str
    reason: str

    def describe(self) -> str:
        """The journal text."""
        return f"Bewijsstuk {self.evidence_id} ontkoppeld"


__all__ = ["EvidenceConfirmed", "EvidenceDetached", "EvidenceLinked"]
