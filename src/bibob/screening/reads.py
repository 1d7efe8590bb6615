"""Answers read once: the declaration and completeness of an answers version, kept for the next assessment.

An assessment reads its answers twice over (what they declare, and what is missing or wrong); both depend only on
the questionnaire and the answers (completeness also on the day and the attachments registered apart). The service
assesses, re-assesses and links decisions on the same stored answers, so `AnswerReads` keeps what was read, a
bounded number of answers versions per process. `assess` uses the shared `READS` unless given another (or None).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Mapping
from typing import Any

import attrs
import msgspec

from bibob.questionnaires import AnswerWalk, Completeness, check_completeness, relevant_part, walk
from bibob.screening.declaration import Declaration
from bibob.screening.model import AssessmentRequest
from bibob.screening.reading import declaration_from_answers

#: Answers versions one `AnswerReads` remembers by default; the oldest is dropped first.
DEFAULT_SIZE = 512


@attrs.frozen
class AnswersRead:
    """What one reading of an answers version gives an assessment: the declaration and the completeness."""

    declaration: Declaration
    completeness: Completeness


def _read_anew(request: AssessmentRequest) -> AnswersRead:
    """The declaration and the completeness of the request's answers, read now in one walk (nothing remembered)."""
    walked = walk(request.questionnaire, request.answers)
    declaration = declaration_from_answers(request.questionnaire, request.answers, walked=walked)
    return AnswersRead(declaration, _completeness(request, walked))


def _completeness(request: AssessmentRequest, walked: AnswerWalk | None = None) -> Completeness:
    """The completeness of the request's answers; `walked`: the answers walked in full already."""
    return check_completeness(
        request.questionnaire,
        request.answers,
        today=request.reference_date,
        registered=request.registered_attachments,
        walked=None if walked is None else relevant_part(walked),
    )


_Content = str | bytes
_VersionKey = tuple[int, str, str, _Content]


@attrs.define
class AnswerReads:
    """Answers read before, by questionnaire and answers version: each version is read once.

    A version is named by `AssessmentRequest.answers_version` when the caller gives one (a stored version's
    identifier: the caller promises that one name means one content), otherwise by the answers' content, so a
    changed document is always read anew. At most `size` versions are kept (0: none); the oldest goes first.
    Safe to share between threads (the service's group commit assesses on several): dropping the oldest and adding
    are done under a lock; two threads reading the same new version at once both read it, and one of them is kept.
    """

    size: int = attrs.field(default=DEFAULT_SIZE)
    _versions: dict[_VersionKey, tuple[Declaration, dict[tuple[dt.date, _Content], Completeness]]] = attrs.field(
        factory=dict, init=False, repr=False
    )
    _lock: threading.Lock = attrs.field(factory=threading.Lock, init=False, repr=False, eq=False)

    @size.validator
    def _check_size(self, _: attrs.Attribute[int], value: int) -> None:
        if type(value) is not int or value < 0:
            raise ValueError(f"size must be a whole number of at least 0, not {value!r}")

    def __len__(self) -> int:
        return len(self._versions)

    def clear(self) -> None:
        """Forget every answers version read before."""
        with self._lock:
            self._versions.clear()

    def read(self, request: AssessmentRequest) -> AnswersRead:
        """The declaration and the completeness of the request's answers, read once per answers version."""
        if self.size == 0:
            return _read_anew(request)
        questionnaire = request.questionnaire
        version = request.answers_version or _content(request.answers)
        key = (id(questionnaire), questionnaire.id, questionnaire.version, version)
        registered = request.registered_attachments
        day = (request.reference_date, _content(registered) if registered else "")
        found = self._versions.get(key)
        if found is None:
            read = _read_anew(request)  # one walk for both
            with self._lock:
                while len(self._versions) >= self.size:
                    del self._versions[next(iter(self._versions))]
                self._versions[key] = (read.declaration, {day: read.completeness})
            return read
        declaration, completeness_by_day = found
        completeness = completeness_by_day.get(day)
        if completeness is None:
            completeness = completeness_by_day[day] = _completeness(request)
        return AnswersRead(declaration, completeness)


def _content(value: Mapping[str, Any] | tuple[Mapping[str, Any], ...]) -> _Content:
    """A canonical text of JSON-like content (keys sorted), as the key of what was read from it.

    msgspec's encoder (bytes) is about eight times as fast as the standard library's (text) on an answers document;
    a value it has no JSON type for falls back to the standard library's, which writes it as `str` gives it.
    """
    try:
        return _ENCODER.encode(value)
    except (TypeError, msgspec.EncodeError):  # a value JSON has no type for: as `str` gives it
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))


_ENCODER = msgspec.json.Encoder(order="sorted")


#: The reads `assess` shares by default within one process.
READS = AnswerReads()
