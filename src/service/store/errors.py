"""Errors the store raises besides `bibob.exceptions.NotFoundError`; each maps to one HTTP status."""

from __future__ import annotations

from bibob.exceptions import BibobError, InvalidInputError, Problem


class StaleVersionError(BibobError):
    """An update named a version that is no longer current (HTTP 412)."""

    def __init__(self, kind: str, identifier: str, expected: int) -> None:
        self.kind = kind
        self.identifier = identifier
        self.expected = expected
        super().__init__(f"{kind} '{identifier}' is intussen gewijzigd; versie {expected} is niet meer actueel")


class IdempotencyMismatchError(BibobError):
    """An Idempotency-Key was used before with a different request (HTTP 422)."""

    def __init__(self) -> None:
        super().__init__("deze Idempotency-Key is al gebruikt voor een ander verzoek")


class IdempotencyConflictError(BibobError):
    """Another request with the same Idempotency-Key finished first; retry to get its answer (HTTP 409)."""

    def __init__(self) -> None:
        super().__init__("een verzoek met deze Idempotency-Key is tegelijk verwerkt; probeer het opnieuw")


class UnreadableDocumentError(BibobError):
    """A stored JSON document cannot be read back (nested past the reader's recursion): 409, never a 500.

    Bodies are refused past `service.http.MAX_JSON_DEPTH` before they are written; this is for what was stored
    before that limit. The client can replace the document (e.g. PUT the answers again).
    """


class IdTakenError(InvalidInputError):
    """A new application named an id that exists (400, `id.taken`), the same answer whoever's dossier has it.

    The store cannot keep the attempt in its own (rolled back) transaction: the HTTP layer records it
    (`service.errors`), as it records a refused access, so that guessing ids shows up in the audit log.
    """

    def __init__(self, application_id: str) -> None:
        super().__init__([Problem("/id", "id.taken", "er bestaat al een aanvraag met dit kenmerk")])
        self.application_id = application_id
        self.recorded = False  # set once the HTTP layer has written the attempt's audit row


class CorruptAuditRowError(BibobError):
    """An audit row cannot be read (e.g. its timestamp is not one): 409 naming its position, never a 500."""

    def __init__(self, seq: int) -> None:
        self.seq = seq
        super().__init__(f"Auditregel {seq} is beschadigd (tijdstip onleesbaar); controleer de keten van het logboek.")
