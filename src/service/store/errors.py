"""Errors the store raises besides `bibob.exceptions.NotFoundError`; each maps to one HTTP status."""

from __future__ import annotations

from bibob.exceptions import BibobError


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
