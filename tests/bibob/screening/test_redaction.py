"""A permit officer sees the assessment without case contents or antecedent details (need-to-know)."""

from __future__ import annotations

import json

import pytest

from bibob.exceptions import InvalidInputError
from bibob.policy import load_policy
from bibob.questionnaires import Catalogue
from bibob.screening import CLOSED_NOTICE, assess, for_permit_officer, request_from_json, shared_fact_from_json
from tests.conftest import SCENARIOS


def _both(name: str, catalogue: Catalogue) -> tuple[str, str, list[str], list[str]]:
    request = request_from_json(json.loads((SCENARIOS / name).read_text("utf-8")), catalogue)
    policy = load_policy()
    full = assess(request, policy)
    officer = for_permit_officer(full, request, policy)
    return (
        full.explanation,
        officer.explanation,
        [f.explanation for f in full.findings],
        [f.explanation for f in officer.findings],
    )


def test_antecedents_from_justid_are_hidden_but_the_advice_stays(catalogue: Catalogue) -> None:
    full, officer, _, findings = _both("s05-serious-refusal-possible.json", catalogue)
    assert "witwassen" in full
    assert "witwassen" not in officer
    assert findings.count(CLOSED_NOTICE) == 3  # two antecedents and the repetition they make
    assert "Advies: weigeren of intrekken is mogelijk" in officer


def test_a_case_hit_shows_nothing_of_the_case_to_any_role_art_28(catalogue: Catalogue) -> None:
    """No finding, no case id, no notice: the match is a consultation for the coordinator, outside the assessment."""
    full, officer, full_findings, findings = _both("s11-known-in-case-only.json", catalogue)
    assert "casus-2026-014" not in full and "casus-2026-014" not in officer
    assert full_findings == findings == []
    assert full == officer


def test_findings_from_the_answers_themselves_are_shown_unchanged(catalogue: Catalogue) -> None:
    full, officer, full_findings, officer_findings = _both("s04-rent-arrears-off-market.json", catalogue)
    assert full_findings == officer_findings
    assert full == officer


def test_no_text_for_the_applicants_letter_reveals_that_someone_is_known_in_an_undermining_case(
    catalogue: Catalogue,
) -> None:
    """Art. 28: findings and draft lines, which the letter draws on, never mention a case or the safety advisor."""
    for name in ("s11-known-in-case-only.json", "s12-suspicion-lbb-advice.json"):
        full, officer, full_findings, officer_findings = _both(name, catalogue)
        for text in (full, officer, *full_findings, *officer_findings):
            lowered = text.lower()
            assert "casus" not in lowered and "ondermijning" not in lowered and "adviseur veiligheid" not in lowered


def test_a_shared_fact_names_its_original_source_never_the_case() -> None:
    with pytest.raises(InvalidInputError) as raised:
        shared_fact_from_json({"kind": "fine", "source": "caseFile", "on": "2026-01-01", "description": "d",
                               "year": 2025}, "s-1")  # fmt: skip
    assert [p.pointer for p in raised.value.problems] == ["/fact/source"]
    with pytest.raises(InvalidInputError) as raised:
        shared_fact_from_json({"kind": "knownInCase", "source": "riec", "on": "2026-01-01", "reference": "C"}, "s-1")
    assert [p.pointer for p in raised.value.problems] == ["/fact/kind"]
