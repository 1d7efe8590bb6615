"""The exception tree of bibob: one root, a few subclasses that carry data."""

from __future__ import annotations

from collections.abc import Sequence

import attrs


@attrs.frozen
class Problem:
    """One thing wrong with a document: where (JSON pointer), what (stable code), and why in Dutch."""

    pointer: str
    code: str
    message: str
    source: str = ""  # file name or document label; empty when the caller knows it


class BibobError(Exception):
    """Root of every error bibob raises on purpose."""


class DefinitionError(BibobError):
    """A data file (questionnaire, selection, policy, calendar) is invalid; lists every problem."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        first = self.problems[0].message if self.problems else "onbekend probleem"
        super().__init__(f"{source}: {len(self.problems)} probleem/problemen, eerste: {first}")


class NotFoundError(BibobError):
    """A thing asked for by id does not exist (or may not be seen)."""

    def __init__(self, kind: str, identifier: str) -> None:
        self.kind = kind
        self.identifier = identifier
        super().__init__(f"{kind} '{identifier}' bestaat niet")


class InvalidInputError(BibobError):
    """Input to a public function is invalid; carries every problem at once."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.pointer or '/'}: {p.message}" for p in self.problems))


class TransitionError(BibobError):
    """A lifecycle event is not allowed in the current state or its legal precondition is unmet."""

    def __init__(self, state: str, event: str, reason: str) -> None:
        self.state = state
        self.event = event
        self.reason = reason
        super().__init__(f"'{event}' is niet toegestaan in status '{state}': {reason}")


class UpstreamError(BibobError):
    """An external register answered badly or not at all; never carries keys or personal data."""

    def __init__(self, service: str, reason: str, status: int | None = None) -> None:
        self.service = service
        self.reason = reason
        self.status = status
        super().__init__(f"{service}: {reason}" + (f" (HTTP {status})" if status else ""))
