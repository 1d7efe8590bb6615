"""Matching two subjects: persons, organisations or addresses, with the verdict explained."""

from __future__ import annotations

from typing import Any

from bibob.matching.compare import judge
from bibob.matching.explain import explained
from bibob.matching.profiles import Subject, profile_of, subject_key
from bibob.matching.result import Match
from bibob.matching.review import ReviewLedger, apply_review
from bibob.parties import Address, Organisation, Person


def match_subjects(
    left: Subject,
    right: Subject,
    *,
    left_key: str | None = None,
    right_key: str | None = None,
    ledger: ReviewLedger | None = None,
) -> Match:
    """Compare two subjects and explain the verdict; keys default to `subject_key`."""
    keys = (left_key or subject_key(left), right_key or subject_key(right))
    match = explained(judge(profile_of(left), profile_of(right)), keys, (left, right))
    return apply_review(match, ledger) if ledger is not None else match


def match_persons(left: Person, right: Person, **options: Any) -> Match:
    """Persons: certain on equal BSN, none on different BSNs, else names and birth date decide."""
    return match_subjects(left, right, **options)


def match_organisations(left: Organisation, right: Organisation, **options: Any) -> Match:
    """Organisations: certain on equal KvK number or RSIN, else normalised name and address."""
    return match_subjects(left, right, **options)


def match_addresses(left: Address, right: Address, **options: Any) -> Match:
    """Addresses: certain on postcode + house number + addition; street and city support."""
    return match_subjects(left, right, **options)
