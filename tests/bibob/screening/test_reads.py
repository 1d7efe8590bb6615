"""Answers read once per answers version: `AnswerReads`, the cache `assess` keeps what it read in."""

from __future__ import annotations

import copy
import json
import sys
import threading
from typing import Any

import attrs
import pytest

from bibob.policy import Policy, load_policy
from bibob.questionnaires import Catalogue
from bibob.screening import READS, AnswerReads, AnswersRead, assess, request_from_json
from tests.conftest import SCENARIOS

FIRST = sorted(SCENARIOS.glob("*.json"))[0]


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


def _document() -> dict[str, Any]:
    result: dict[str, Any] = json.loads(FIRST.read_text("utf-8"))
    return result


def test_the_same_content_is_read_once_and_changed_content_anew(catalogue: Catalogue) -> None:
    reads = AnswerReads()
    document = _document()
    first = reads.read(request_from_json(document, catalogue))
    again = reads.read(request_from_json(copy.deepcopy(document), catalogue))
    changed = copy.deepcopy(document)
    changed["answers"]["subject"] = changed["answers"].get("subject", {}) | {"surname": "Anders-Dan-Voorheen"}
    other = reads.read(request_from_json(changed, catalogue))

    assert isinstance(first, AnswersRead)
    assert again.declaration is first.declaration and again.completeness is first.completeness
    assert other.declaration is not first.declaration
    assert len(reads) == 2


def test_a_named_answers_version_is_found_by_its_name(catalogue: Catalogue) -> None:
    reads = AnswerReads()
    request = attrs.evolve(request_from_json(_document(), catalogue), answers_version="v1")
    first = reads.read(request)
    # the caller promises one name, one content: the name alone finds what was read
    renamed = attrs.evolve(request, answers={**request.answers, "extra": True})
    again = reads.read(renamed)
    other = reads.read(attrs.evolve(renamed, answers_version="v2"))

    assert again.declaration is first.declaration
    assert other.declaration is not first.declaration


def test_size_bounds_what_is_kept_and_zero_keeps_nothing(catalogue: Catalogue) -> None:
    request = request_from_json(_document(), catalogue)
    small = AnswerReads(size=1)
    small.read(attrs.evolve(request, answers_version="a"))
    small.read(attrs.evolve(request, answers_version="b"))
    none = AnswerReads(size=0)
    none.read(request)

    assert len(small) == 1
    assert len(none) == 0


def test_clear_forgets_what_was_read(catalogue: Catalogue) -> None:
    reads = AnswerReads()
    request = request_from_json(_document(), catalogue)
    first = reads.read(request)
    reads.clear()

    assert len(reads) == 0
    assert reads.read(request).declaration is not first.declaration


@pytest.mark.parametrize("size", [-1, 1.5, "8", True])
def test_a_size_that_is_no_whole_number_of_at_least_zero_is_refused(size: Any) -> None:
    with pytest.raises(ValueError, match="size must be a whole number"):
        AnswerReads(size=size)


def test_assessments_are_the_same_with_shared_own_or_no_reads(catalogue: Catalogue, policy: Policy) -> None:
    request = request_from_json(_document(), catalogue)
    own = AnswerReads()
    assess(request, policy, reads=own)

    shared = assess(request, policy)
    remembered = assess(request, policy, reads=own)
    afresh = assess(request, policy, reads=None)

    assert shared == remembered == afresh
    assert len(own) == 1
    assert len(READS) >= 1


def test_threads_sharing_one_cache_all_get_their_reads_and_the_bound_holds(catalogue: Catalogue) -> None:
    """The service assesses on several threads at once with the shared `READS`; a full cache drops under a lock."""
    request = request_from_json(_document(), catalogue)
    reads = AnswerReads(size=2)
    failures: list[BaseException] = []
    start = threading.Barrier(8)

    def reader(thread: int) -> None:
        start.wait()
        for n in range(150):
            try:
                reads.read(attrs.evolve(request, answers_version=f"{thread}-{n}"))
            except BaseException as error:  # any failure is what this test looks for
                failures.append(error)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, so a race shows
    try:
        threads = [threading.Thread(target=reader, args=(t,)) for t in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert failures == []
    assert len(reads) <= 2


class _Unusual:
    """A value JSON has no type for (the key of its content is then made as `str` writes it)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


def test_answers_with_a_value_json_has_no_type_for_are_refused_by_the_reading_not_by_the_key(
    catalogue: Catalogue,
) -> None:
    request = request_from_json(_document(), catalogue)
    unusual = attrs.evolve(request, answers={**request.answers, "note": _Unusual("a")})

    with pytest.raises(ValueError, match="_Unusual"):
        AnswerReads().read(unusual)
